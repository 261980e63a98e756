"""SQL databases → the event store, with incremental loads by watermark.

Any SQLAlchemy URL: PostgreSQL (psycopg) out of the box; Microsoft SQL Server (pymssql, extra
`saksflyt[mssql]`) and Oracle (oracledb, extra `saksflyt[oracle]`) as extras; SQLite through Python's own
driver (`sqlite:///file.db`, or a file with `--format sql`). A `query` or a `table` is read in batches into
Arrow and handed to the tabular reader through a temporary Parquet file, so the column flags, the
recognised column names and the timestamp rules are those of CSV, while database types survive (numbers
stay numbers; `timestamp without time zone` is local time in `--tz`, like a CSV time without an offset).
PostgreSQL sessions are read-only and in UTC.

Passwords never reach the store: the source is recorded as the URL without its password and without
password-like query parameters, and database error messages are scrubbed of it.

Incremental loads (`since_column`): the log's watermark (table `log_watermarks`) is the largest value of
that column read so far. A rerun reads only rows with `column >= watermark` and appends them, relying on
the store dropping exact duplicates: a strict `>` would lose rows that arrive later with the same value as
the last row read. A rerun that finds nothing new leaves the store exactly as it was and says so. So that
a re-read row is recognised as a duplicate, a rerun keeps the first load's attribute columns, their roles
(case or event attribute), its personal columns and its time zone; a column that appears later is left
out until the log is reloaded with `--replace`. The watermark is written just after the events: if the
process dies in between, the watermark lags and the next run re-reads a little more, never less.
"""
from __future__ import annotations

import dataclasses
import hashlib
import json
import logging
import re
import tempfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime, timezone
from decimal import Decimal
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from . import ingest_store, pseudonym, staging, store
from .errors import InputError, StoreError
from .staging import IngestOptions, IngestReport, Staged
from .tabular import ColumnMap, stage_tabular

log = logging.getLogger(__name__)
Progress = Callable[[str], None]

FETCH_BATCH_ROWS = 50_000
# plain dialect names → the driver we support for them (extra to install, when optional)
DRIVERS = {"postgresql": "psycopg", "postgres": "psycopg", "mssql": "pymssql", "oracle": "oracledb"}
EXTRAS = {"pymssql": "mssql", "oracledb": "oracle"}
SECRET_PARAM_RE = re.compile(r"(?i)pass|pwd|secret|token|credential|api_?key")
# a bind parameter to SQLAlchemy's text(): `:name` not preceded by a colon, word character or backslash
_BIND_RE = re.compile(r"(?<![:\w\\]):(\w+)(?!:)")


# --- URLs and secrets ---------------------------------------------------------------------------


def is_sql_source(source: str, fmt: str | None = None) -> bool:
    """A database URL (`dialect://…`), or any source given with `--format sql`."""
    return fmt == "sql" or (re.match(r"^[A-Za-z][A-Za-z0-9+.-]*://", source) is not None
                            and not Path(source).exists())


def _parse_url(source: str):
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError

    if "://" not in source:  # a SQLite database file given with --format sql
        path = Path(source)
        if not path.is_file():
            raise InputError("no such file", file=source)
        source = f"sqlite:///{path.resolve()}"
    try:
        url = make_url(source)
    except ArgumentError as exc:
        raise InputError("not a database URL (e.g. postgresql://user@host:5432/database)") from exc
    driver = DRIVERS.get(url.drivername)
    if driver:
        url = url.set(drivername=f"{'postgresql' if driver == 'psycopg' else url.drivername}+{driver}")
    return url


def redact_url(url: Any) -> str:
    """The URL as stored and shown: no password, no password-like query parameters."""
    from sqlalchemy.engine import URL

    if isinstance(url, str):
        url = _parse_url(url)
    query = {k: v for k, v in url.query.items() if not SECRET_PARAM_RE.search(k)}
    # URL.set(password=None) keeps the password; build a new URL without it
    clean = URL.create(url.drivername, username=url.username, password=None, host=url.host, port=url.port,
                       database=url.database, query=query)
    return clean.render_as_string(hide_password=False)


def _secrets(url: Any) -> list[str]:
    from urllib.parse import quote

    values = [str(url.password)] if url.password else []
    values += [str(v) for k, v in url.query.items() if SECRET_PARAM_RE.search(k) and isinstance(v, str)]
    return [s for v in values if v for s in {v, quote(v, safe="")}]


def scrub(text: str, secrets: Iterable[str]) -> str:
    for s in sorted(secrets, key=len, reverse=True):
        text = text.replace(s, "***")
    return text


def _db_error(exc: BaseException, *, secrets: list[str], source: str) -> InputError:
    """One scrubbed line from a driver's error: SQLAlchemy's own text adds SQL and links, not the cause."""
    cause = getattr(exc, "orig", None) or exc
    lines = [ln.strip() for ln in str(cause).splitlines() if ln.strip()]
    message = scrub("; ".join(lines)[:400] or type(cause).__name__, secrets)
    return InputError(f"database error: {message}", file=source)


# --- reading ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Watermark:
    column: str
    kind: str
    value: str

    def bind(self) -> Any:
        """The stored text as the Python value the driver compares with the column."""
        if self.kind in ("timestamptz", "timestamp"):
            return datetime.fromisoformat(self.value)
        if self.kind == "date":
            return date.fromisoformat(self.value)
        if self.kind == "integer":
            return int(self.value)
        if self.kind == "float":
            return float(self.value)
        if self.kind == "decimal":
            return Decimal(self.value)
        return self.value


def _watermark_of(data: pa.Table, column: str, *, source: str) -> Watermark:
    """The largest value of `column` in the rows read, as text with its kind."""
    col = data.column(column)
    t = col.type
    top = pc.max(col).as_py()
    if pa.types.is_timestamp(t):
        kind = "timestamptz" if t.tz else "timestamp"
        if top is not None and t.tz:
            top = top.astimezone(timezone.utc)
    elif pa.types.is_date(t):
        kind = "date"
    elif pa.types.is_integer(t):
        kind = "integer"
    elif pa.types.is_floating(t):
        kind = "float"
    elif pa.types.is_decimal(t):
        kind = "decimal"
    elif pa.types.is_string(t) or pa.types.is_large_string(t):
        kind = "text"
    else:
        raise InputError(f"--since-column '{column}' has type {t}, which cannot order rows "
                         f"(use a time, date, number or text column)", file=source)
    if top is None:
        raise InputError(f"--since-column '{column}' is empty in every row read", file=source)
    text = top.isoformat() if isinstance(top, (datetime, date)) else str(top)
    return Watermark(column, kind, text)


def _arrow_column(values: list[Any]) -> pa.Array:
    """Scalar Arrow types only: nested, binary or unknown values become text, so every text value is
    seen by the fødselsnummer scan (it reads VARCHAR columns only)."""
    try:
        arr = pa.array(values)
    except (pa.ArrowInvalid, pa.ArrowTypeError, pa.ArrowNotImplementedError, TypeError, ValueError,
            OverflowError):
        arr = None
    if arr is not None:
        t = arr.type
        if pa.types.is_decimal(t):
            return arr.cast(pa.float64())
        if (pa.types.is_null(t) or pa.types.is_boolean(t) or pa.types.is_integer(t) or pa.types.is_floating(t)
                or pa.types.is_string(t) or pa.types.is_large_string(t) or pa.types.is_timestamp(t)
                or pa.types.is_date(t) or pa.types.is_time(t) or pa.types.is_duration(t)):
            return arr

    def text(v: Any) -> str | None:
        if v is None:
            return None
        if isinstance(v, (dict, list, tuple)):
            return json.dumps(v, ensure_ascii=False, default=str)
        if isinstance(v, (bytes, bytearray, memoryview)):
            return bytes(v).hex()
        return str(v)

    return pa.array([text(v) for v in values], type=pa.string())


def _unify(names: list[str], batches: list[pa.Table]) -> pa.Table:
    """One table from batches whose inferred types may differ (all-null batches, ints then floats)."""
    if not batches:
        return pa.table({n: pa.array([], pa.string()) for n in names})
    try:
        return pa.concat_tables(batches, promote_options="permissive")
    except (pa.ArrowInvalid, pa.ArrowTypeError):
        # types that do not promote (text in one batch, numbers in another): text throughout
        columns = {}
        for i, n in enumerate(names):
            types = {b.schema.field(i).type for b in batches} - {pa.null()}
            if len(types) > 1:
                columns[n] = pa.chunked_array([pc.cast(b.column(i), pa.string()) for b in batches])
            else:
                columns[n] = pa.concat_tables([b.select([i]) for b in batches],
                                              promote_options="permissive").column(0)
        return pa.table(columns)


def _statement(*, query: str | None, table: str | None, since: str | None, mark: Watermark | None):
    import sqlalchemy as sa

    if table:
        schema, _, name = table.rpartition(".")
        stmt = sa.select(sa.literal_column("*")).select_from(sa.table(name, schema=schema or None))
    else:
        text = _BIND_RE.sub(r"\\:\1", (query or "").strip().rstrip(";").strip())
        if not since or mark is None:
            return sa.text(text)
        stmt = sa.select(sa.literal_column("*")).select_from(sa.text(text).columns().subquery("saksflyt_source"))
    if since and mark is not None:
        stmt = stmt.where(sa.column(since) >= sa.bindparam("saksflyt_watermark", mark.bind()))
    return stmt


def fetch(url: Any, stmt: Any, *, secrets: list[str], source: str,
          progress: Progress | None = None) -> pa.Table:
    """Run one statement and return its rows as Arrow, read in batches (server-side cursor where the
    driver has one) so memory holds Arrow columns, not millions of Python tuples."""
    import sqlalchemy as sa

    connect_args: dict[str, Any] = {}
    if url.get_backend_name() == "postgresql":
        # UTC sessions give aware times in UTC; read-only: an extractor never changes its source
        connect_args["options"] = "-c TimeZone=UTC -c default_transaction_read_only=on"
    try:
        engine = sa.create_engine(url, poolclass=sa.pool.NullPool, connect_args=connect_args)
    except ModuleNotFoundError as exc:
        driver = url.get_driver_name()
        extra = EXTRAS.get(driver)
        hint = f": pip install 'saksflyt[{extra}]'" if extra else ""
        raise InputError(f"the database driver {exc.name or driver} is not installed{hint}", file=source) from exc
    except sa.exc.NoSuchModuleError as exc:
        raise InputError(f"unknown kind of database '{url.drivername}' in the URL", file=source) from exc
    batches: list[pa.Table] = []
    try:
        with engine.connect() as conn:
            result = conn.execution_options(stream_results=True, yield_per=FETCH_BATCH_ROWS).execute(stmt)
            names = list(result.keys())
            dupes = sorted({n for n in names if names.count(n) > 1})
            if dupes:
                raise InputError(f"the result has more than one column named {', '.join(dupes)}; "
                                 f"give them distinct names (AS …)", file=source)
            read = 0
            for part in result.partitions():
                cols = list(zip(*part, strict=True)) if part else [() for _ in names]
                batches.append(pa.table({n: _arrow_column(list(c)) for n, c in zip(names, cols, strict=True)}))
                read += len(part)
                if progress:
                    progress(f"read {read:,} rows")
    except sa.exc.SQLAlchemyError as exc:
        raise _db_error(exc, secrets=secrets, source=source) from exc
    finally:
        engine.dispose()
    return _unify(names, batches)


# --- the store's memory of earlier loads ---------------------------------------------------------


@dataclass(frozen=True)
class Previous:
    """What the store knows about a log from earlier loads."""

    source: str
    source_kind: str
    pseudonymised: bool
    settings: dict[str, Any]
    watermark: Watermark | None


def previous_load(store_path: str | Path | None, log_name: str) -> Previous | None:
    target = store.store_path(store_path)
    if not target.exists():
        return None
    with store.read(target) as con:
        tables = {r[0] for r in con.execute("SELECT table_name FROM duckdb_tables()").fetchall()}
        if "logs" not in tables:
            return None
        row = con.execute("SELECT source, source_kind, pseudonymised, settings FROM logs WHERE log = ?",
                          [log_name]).fetchall()
        if not row:
            return None
        mark = con.execute("SELECT column_name, value FROM log_watermarks WHERE log = ?", [log_name]).fetchall()
    source, kind, pseudonymised, settings = row[0]
    settings = json.loads(settings or "{}")
    watermark = None
    if mark:
        since = settings.get("since") or {}
        watermark = Watermark(mark[0][0], since.get("kind", "text"), mark[0][1])
    return Previous(source, kind, bool(pseudonymised), settings, watermark)


def _write_watermark(store_path: Path, log_name: str, mark: Watermark | None) -> None:
    with store.write(store_path) as w:
        w.execute("DELETE FROM log_watermarks WHERE log = ?", [log_name])
        if mark is not None:
            w.execute("INSERT INTO log_watermarks VALUES (?, ?, ?, ?)",
                      [log_name, mark.column, mark.value, datetime.now(timezone.utc)])


def _count_new(con: duckdb.DuckDBPyConnection, store_path: Path, log_name: str) -> int:
    """How many prepared events the store does not hold yet (the same test as `--append`'s duplicate
    dropping), so that a rerun with nothing new can leave the store untouched."""
    lo = con.execute("SELECT min(ts_end) FROM final_events").fetchall()[0][0]
    if lo is None:
        return 0
    cols = "case_id, activity, ts_start, ts_end, resource, lifecycle, unit, attributes::VARCHAR AS attributes"
    with store.read(store_path) as r:
        # a store written before events.unit existed is migrated only by the commit that follows
        has_unit = r.execute("SELECT count(*) FROM duckdb_columns() WHERE table_name = 'events' "
                             "AND column_name = 'unit' AND database_name = current_database()").fetchall()[0][0]
        stored_cols = cols if has_unit else cols.replace("unit,", "NULL::VARCHAR AS unit,")
        stored = r.sql(f"SELECT {stored_cols} FROM events WHERE log = ? AND ts_end >= ?",
                       params=[log_name, lo]).to_arrow_table()
    con.register("__stored_events", stored)
    try:
        return con.execute(f"SELECT count(*) FROM (SELECT {cols} FROM final_events "
                           f"EXCEPT SELECT * FROM __stored_events)").fetchall()[0][0]
    finally:
        con.unregister("__stored_events")


def _roles(con: duckdb.DuckDBPyConnection) -> dict[str, list[str]]:
    """Which kept attribute columns became case and which event attributes (after `prepare`)."""
    attrs = [n for n, _ in con.execute(
        "SELECT column_name, data_type FROM duckdb_columns() WHERE table_name = 'typed' ORDER BY column_index"
    ).fetchall() if n not in staging.CANONICAL]
    case_names = {r[0] for r in con.execute("SELECT DISTINCT name FROM final_cases").fetchall()}
    case = [c for c in attrs if (c[5:] if c.lower().startswith("case:") else c) in case_names]
    return {"case": case, "event": [c for c in attrs if c not in case]}


def _apply_roles(staged: Staged, prev: Previous) -> list[str]:
    """Give a rerun the first load's attribute columns and roles; returns the new columns left out."""
    roles = prev.settings.get("roles") or {"case": [], "event": []}
    dropped = set(prev.settings.get("dropped_columns") or [])
    case, event = set(roles["case"]), set(roles["event"])
    ignored = []
    for name, _type in staging.attribute_columns(staged.con):
        if name in case or name in event:
            continue
        staged.con.execute(f"ALTER TABLE wide DROP COLUMN {staging.q(name)}")
        if name not in dropped:
            ignored.append(name)
    present = {n for n, _ in staging.attribute_columns(staged.con)}
    staged.case_columns = [c for c in roles["case"] if c in present]
    staged.event_columns = [c for c in roles["event"] if c in present]
    staged.auto_columns = []
    return ignored


# --- staging Arrow rows (shared with the OCEL reader) ----------------------------------------------


def write_parquet(data: pa.Table, path: Path) -> None:
    pq.write_table(data, path)


def stage_parquet(con: duckdb.DuckDBPyConnection, path: Path, *, source: str, source_kind: str,
                  columns: ColumnMap, options: IngestOptions, content_hash: str,
                  settings: dict[str, Any] | None = None, by_name: tuple[str, ...] | None = None) -> Staged:
    """Stage rows written to a temporary Parquet file by the tabular reader, then name the real source
    (messages and the store must show the database or the OCEL file, never the temporary file)."""
    try:
        staged = stage_tabular(con, path, fmt="parquet", columns=columns, options=options,
                               content_hash=content_hash, **({} if by_name is None else {"by_name": by_name}))
    except InputError as exc:
        raise InputError(exc.problem, file=source, where=exc.where) from exc
    staged.source = source
    staged.source_kind = source_kind
    staged.settings = {**staged.settings, "format": source_kind, **(settings or {})}
    return staged


# --- the entry point --------------------------------------------------------------------------------


@dataclass(frozen=True)
class SqlReport(IngestReport):
    since_column: str | None = None
    watermark: str | None = None
    ignored_columns: tuple[str, ...] = ()

    def lines(self) -> list[str]:
        if self.noop and self.since_column:
            out = [f"{self.log}: nothing new in {self.source} since {self.since_column} >= {self.watermark} "
                   f"({self.rows_read:,} rows read, all already stored); the store is unchanged"]
            if self.rows_rejected:
                out.append(f"  {self.rows_rejected:,} of the rows read were rejected (see the first load's report)")
            return out
        out = IngestReport.lines(self)
        if self.ignored_columns:
            out.append("  columns new since the first load left out (reload with --replace to add them): "
                       + ", ".join(self.ignored_columns))
        if self.since_column and self.watermark and not self.noop:
            out.append(f"  watermark: {self.since_column} = {self.watermark}")
        return out


def _report(base: IngestReport, **extra: Any) -> SqlReport:
    return SqlReport(**{f.name: getattr(base, f.name) for f in dataclasses.fields(IngestReport)}, **extra)


def _rerun_options(prev: Previous, options: IngestOptions, *, log_name: str, shown: str,
                   since_column: str | None) -> IngestOptions:
    """The options of an incremental rerun: append, with the first load's choices where they shape rows."""
    since = prev.settings.get("since") or {}
    if prev.source_kind != "sql" or prev.source != shown or not since:
        raise StoreError(f"log '{log_name}' was not loaded incrementally from {shown}; "
                         f"use --replace to reload it with --since-column")
    if since.get("column") != since_column:
        raise InputError(f"log '{log_name}' has its watermark on column '{since.get('column')}', "
                         f"not '{since_column}' (use --replace to change it)", file=shown)
    if prev.pseudonymised != options.pseudonymise or prev.settings.get("tz") != options.tz:
        raise InputError(f"log '{log_name}' was loaded with pseudonymise={prev.pseudonymised}, "
                         f"tz={prev.settings.get('tz')}; rerun with the same settings or --replace", file=shown)
    return dataclasses.replace(
        options, mode="append", keep_text=True,  # the first load already chose the columns to keep
        personal=tuple(dict.fromkeys([*options.personal, *(prev.settings.get("personal") or [])])))


def ingest_sql(source: str, *, store_path: str | Path | None = None, log_name: str,
               options: IngestOptions = IngestOptions(), columns: ColumnMap = ColumnMap(),
               query: str | None = None, table: str | None = None, since_column: str | None = None,
               progress: Progress | None = None) -> SqlReport:
    """Load the rows of `query` (or all of `table`) from a database into log `log_name`.

    With `since_column`, the first load stores a watermark and later runs append only rows with
    `since_column >= watermark`; see the module docstring.
    """
    say = progress or (lambda _msg: None)
    url = _parse_url(source)
    shown = redact_url(url)
    secrets = _secrets(url)
    if bool(query) == bool(table):
        raise InputError("give either --query or --table", file=shown)
    if not log_name or not log_name.strip():
        raise InputError("--log needs a name", file=shown)
    target = store.store_path(store_path)
    started = datetime.now(timezone.utc)
    prev = previous_load(target, log_name)
    incremental = bool(since_column) and prev is not None and options.mode != "replace"
    if incremental and prev is not None:
        options = _rerun_options(prev, options, log_name=log_name, shown=shown, since_column=since_column)
    mark = prev.watermark if incremental and prev is not None else None
    say(f"querying {shown}")
    data = fetch(url, _statement(query=query, table=table, since=since_column, mark=mark),
                 secrets=secrets, source=shown, progress=say)
    unchanged = dict(log=log_name, run_id=None, source=shown, mode=options.mode, rows_kept=0, cases=0,
                     noop=True, since_column=since_column, watermark=mark.value if mark else None)
    if data.num_rows == 0:
        if incremental:
            return SqlReport(rows_read=0, rows_rejected=0, **unchanged)
        raise InputError("the query returned no rows", file=shown)
    new_mark = None
    if since_column:
        if since_column not in data.column_names:
            raise InputError(f"--since-column '{since_column}' is not a column of the result; columns are: "
                             f"{', '.join(data.column_names)}", file=shown)
        new_mark = _watermark_of(data, since_column, source=shown)
    with tempfile.TemporaryDirectory(prefix="saksflyt-sql-") as tmp:
        rows = Path(tmp) / "rows.parquet"
        write_parquet(data, rows)
        del data
        digest = hashlib.sha256(f"{shown}\n{query or table}\n{since_column}\n".encode())
        with rows.open("rb") as fh:
            for block in iter(lambda: fh.read(1 << 20), b""):
                digest.update(block)
        content_hash = digest.hexdigest()
        if ingest_store.already_loaded(target, log_name, content_hash, mode=options.mode):
            return SqlReport(rows_read=0, rows_rejected=0, **{**unchanged, "since_column": None})
        if options.mode == "new" and prev is not None:
            raise StoreError(f"log '{log_name}' already holds another source; use --replace to swap it "
                             f"or --append to add rows")
        # the query's hash, not its text: a WHERE clause may name a person
        settings: dict[str, Any] = ({"query_sha256": hashlib.sha256(query.encode()).hexdigest()} if query
                                    else {"table": table})
        if since_column and new_mark is not None:
            settings["since"] = {"column": since_column, "kind": new_mark.kind}
        con = store.memory()
        try:
            say("staging rows")
            staged = stage_parquet(con, rows, source=shown, source_kind="sql", columns=columns, options=options,
                                   content_hash=content_hash, settings=settings)
            ignored = _apply_roles(staged, prev) if incremental and prev is not None else []
            key = pseudonym.load_key() if options.pseudonymise else None
            report = staging.prepare(staged, options, key=key, progress=progress)
            if incremental and prev is not None:
                if _count_new(con, target, log_name) == 0:
                    return SqlReport(rows_read=report.rows_read, rows_rejected=report.rows_rejected,
                                     **unchanged)
                staged.settings["roles"] = prev.settings.get("roles")
                staged.settings["dropped_columns"] = prev.settings.get("dropped_columns") or []
            else:
                staged.settings["roles"] = _roles(con)
                staged.settings["dropped_columns"] = list(report.dropped_columns)
            staged.settings["personal"] = list(options.personal)
            say("writing to the store")
            done = staging.commit(staged, report, options, store_path=str(target), log_name=log_name,
                                  started_at=started)
        finally:
            con.close()
    if new_mark is not None:
        _write_watermark(target, log_name, new_mark)
    elif options.mode == "replace":
        _write_watermark(target, log_name, None)  # a full reload without a watermark column has none
    return _report(done, since_column=since_column, watermark=new_mark.value if new_mark else None,
                   ignored_columns=tuple(ignored))
