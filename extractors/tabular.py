"""CSV, Excel and Parquet event logs → the staging table `wide`.

Columns are found by flag or by name (XES-style names, common Norwegian and English ones). CSV is read
by DuckDB as text, after encoding and delimiter detection in Python (DuckDB's reader refuses cp1252);
timestamps, decimal commas and attribute types are resolved in SQL.
"""
from __future__ import annotations

import codecs
import contextlib
import csv
import datetime as dt
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

import duckdb

from . import timeparse
from .errors import InputError
from .sql_text import literal
from .staging import CANONICAL, IngestOptions, Staged, q

# Recognised column names, most specific first (compared case-insensitively).
CANDIDATES: dict[str, tuple[str, ...]] = {
    "case": ("case:concept:name", "case_id", "caseid", "case id", "case", "saksnr", "saksnummer", "sak_id",
             "saksid", "sak", "saks_id", "sak_nr"),
    "activity": ("concept:name", "activity", "aktivitet", "hendelse", "activity_name", "aktivitetsnavn",
                 "steg", "handling", "event"),
    "timestamp": ("time:timestamp", "timestamp", "tidspunkt", "slutt", "sluttid", "end", "end_time",
                  "end_timestamp", "complete_timestamp", "completed", "ferdig", "tid", "dato", "time"),
    "start": ("start_timestamp", "time:start", "start", "start_time", "starttid", "startet", "started"),
    "resource": ("org:resource", "resource", "ressurs", "saksbehandler", "utfoert_av", "utført_av",
                 "utfort_av", "user", "bruker", "ansatt", "performer"),
    "lifecycle": ("lifecycle:transition", "lifecycle", "livssyklus", "transition"),
    # the organisational unit: a role like resource, but never pseudonymised (units are not people)
    "unit": ("org:group", "enhet", "avdeling", "seksjon", "unit"),
}
REQUIRED = ("case", "activity", "timestamp")
CSV_DELIMITERS = ",;\t|"


@dataclass(frozen=True)
class ColumnMap:
    """Column flags (`--case`, `--activity`, `--timestamp`, `--start`, `--resource`, `--lifecycle`,
    `--unit`); None = recognise by name."""

    case: str | None = None
    activity: str | None = None
    timestamp: str | None = None
    start: str | None = None
    resource: str | None = None
    lifecycle: str | None = None
    unit: str | None = None


def resolve_columns(columns: list[str], given: ColumnMap, *, source: str,
                    by_name: tuple[str, ...] = tuple(CANDIDATES)) -> dict[str, str | None]:
    """Map roles to source columns; a missing required column is an InputError naming what was sought.
    Only the roles in `by_name` are recognised by their column's name; a flag always counts."""
    lower = {c.strip().lower(): c for c in columns}
    chosen: dict[str, str | None] = {}
    for role, names in CANDIDATES.items():
        flag = getattr(given, role)
        if flag is not None:
            if flag not in columns and flag.lower() not in lower:
                raise InputError(f"column '{flag}' (--{role}) not found; columns are: {', '.join(columns)}",
                                 file=source)
            chosen[role] = flag if flag in columns else lower[flag.lower()]
            continue
        chosen[role] = next((lower[n] for n in names if n in lower and lower[n] not in chosen.values()),
                            None) if role in by_name else None
    for role in REQUIRED:
        if chosen[role] is None:
            flag = "--timestamp" if role == "timestamp" else f"--{role}"
            raise InputError(f"no {role} column found (looked for {', '.join(CANDIDATES[role][:6])}, …); "
                             f"name it with {flag}", file=source)
    return chosen


# --- sniffing ----------------------------------------------------------------------------------


def sniff_kind(path: Path) -> str:
    """What the bytes say the file is: 'parquet', 'zip', 'xml', 'gzip', 'binary', 'empty' or 'text'."""
    with path.open("rb") as fh:
        head = fh.read(4096)
    if not head.strip(b" \t\r\n\xef\xbb\xbf"):
        return "empty"
    if head.startswith(b"PAR1"):
        return "parquet"
    if head.startswith(b"PK\x03\x04"):
        return "zip"
    if head.startswith(b"\x1f\x8b"):
        return "gzip"
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "utf16"
    stripped = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    if stripped.startswith(b"<"):
        return "xml"
    if b"\x00" in head:
        return "binary"
    return "text"


def _is_utf8(path: Path) -> bool:
    """Whether the file is valid UTF-8, checked block by block: no copy of the whole text in memory."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    try:
        with path.open("rb") as fh:
            for block in iter(lambda: fh.read(1 << 20), b""):
                decoder.decode(block)
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    return True


def _decode(path: Path, kind: str) -> tuple[str | None, str]:
    """Return (text to rewrite as UTF-8 or None when the file already is UTF-8, encoding name)."""
    if kind != "utf16" and _is_utf8(path):
        return None, "utf-8"
    raw = path.read_bytes()
    if kind == "utf16":
        try:
            return raw.decode("utf-16"), "utf-16"
        except UnicodeDecodeError as exc:
            raise InputError(f"unreadable UTF-16 text at byte {exc.start}", file=str(path)) from exc
    try:
        return raw.decode("cp1252"), "cp1252"
    except UnicodeDecodeError as exc:
        raise InputError(f"unreadable encoding: neither UTF-8 nor cp1252/Latin-1 (byte {exc.start})",
                         file=str(path)) from exc


def _delimiter(sample: str, *, source: str) -> str:
    """The delimiter that splits the header and the following lines into the same number of fields.

    csv.Sniffer is fooled by decimal commas on every row of a semicolon file; counting fields per
    parsed line is not.
    """
    lines = [ln for ln in sample.splitlines() if ln.strip()][:50]
    if not lines:
        raise InputError("the file is empty", file=source)
    if len(lines) > 1 and len(sample) >= 65536:
        lines = lines[:-1]  # the last line of a truncated sample may be cut
    best, best_score = None, (0.0, 0)
    for d in CSV_DELIMITERS:
        rows = list(csv.reader(lines, delimiter=d, quotechar='"'))
        width = len(rows[0])
        if width < 2:
            continue
        consistent = sum(1 for r in rows[1:] if len(r) == width) / max(len(rows) - 1, 1)
        score = (consistent, width)
        if score > best_score:
            best, best_score = d, score
    if best is None:
        raise InputError("no column delimiter found (tried , ; tab |): is this a CSV event log?",
                         file=source, where="line 1")
    return best


# --- readers -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Source:
    """A FROM item over the file: `__row` (1-based position in the source) and the source's own columns."""

    sql: str
    params: tuple[object, ...] = ()
    # False: the source has no `__row`, and rows are numbered by their place in the table they fill
    numbered: bool = True


def _csv_source(path: Path, kind: str, cleanup: contextlib.ExitStack) -> tuple[_Source, dict[str, object]]:
    """Read straight from the file when it is UTF-8; otherwise from a UTF-8 copy removed on cleanup."""
    text, encoding = _decode(path, kind)
    target = path
    if text is not None:
        fd, tmp = tempfile.mkstemp(suffix=".csv")
        cleanup.callback(os.unlink, tmp)
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as fh:
            fh.write(text)
        target = Path(tmp)
        sample = text[:65536]
    else:
        with path.open("r", encoding="utf-8-sig", errors="replace") as fh:
            sample = fh.read(65536)
    delim = _delimiter(sample, source=str(path))
    source = _Source(
        "read_csv(?, delim = ?, header = true, all_varchar = true, quote = '\"', escape = '\"', "
        "store_rejects = true, sample_size = 20480, auto_detect = true)",
        (str(target), delim), numbered=False)
    return source, {"encoding": encoding, "delimiter": delim}


def _csv_rejects(con: duckdb.DuckDBPyConnection) -> list[tuple[int, str]]:
    """Lines DuckDB's reader could not split (read after the scan that filled `reject_errors`)."""
    bad = con.execute("SELECT line, error_type FROM reject_errors ORDER BY line").fetchall()
    return [(int(line) - 1, f"malformed CSV line ({str(err).lower().replace('_', ' ')})") for line, err in bad]


def _cell(value: object) -> str | None:
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        return value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _load_excel(con: duckdb.DuckDBPyConnection, path: Path) -> _Source:
    import pandas as pd
    from python_calamine import CalamineWorkbook

    try:
        book = CalamineWorkbook.from_path(str(path))
        rows = book.get_sheet_by_index(0).to_python(skip_empty_area=True)
    except Exception as exc:  # calamine raises its own error types for broken workbooks
        raise InputError(f"cannot read as an Excel workbook: {exc}", file=str(path)) from exc
    rows = [r for r in rows if any(c not in (None, "") for c in r)]
    if not rows:
        raise InputError("the workbook's first sheet is empty", file=str(path))
    header = [str(h).strip() if h not in (None, "") else f"column{i + 1}" for i, h in enumerate(rows[0])]
    frame = pd.DataFrame([[_cell(c) for c in r] for r in rows[1:]], columns=header, dtype="object")
    con.register("excel_rows", frame)
    cols = ", ".join(f"{q(c)}::VARCHAR AS {q(c)}" for c in header)
    con.execute(f"CREATE TABLE raw AS SELECT row_number() OVER () AS __row, {cols} FROM excel_rows")
    con.unregister("excel_rows")
    return _Source("raw")


def _parquet_source(path: Path) -> _Source:
    return _Source("(SELECT file_row_number + 1 AS __row, * EXCLUDE (file_row_number) "
                   "FROM read_parquet(?, file_row_number = true))", (str(path),))


def stage_tabular(con: duckdb.DuckDBPyConnection, path: Path, *, fmt: str, columns: ColumnMap,
                  options: IngestOptions, content_hash: str,
                  by_name: tuple[str, ...] = tuple(CANDIDATES)) -> Staged:
    """Read a CSV/Excel/Parquet log into `wide` (canonical columns + attribute columns); `by_name`: the
    roles recognised by column name (`resolve_columns`).

    One statement reads the file and builds `wide` (times parsed once, reject reasons set): the rows are
    materialised once, not first as a raw copy.
    """
    source = str(path)
    kind = sniff_kind(path)
    if kind == "empty":
        raise InputError("the file is empty", file=source)
    expected = {"csv": ("text", "utf16"), "excel": ("zip",), "parquet": ("parquet",)}[fmt]
    if kind not in expected:
        what = {"zip": "a zip/Excel file", "parquet": "a Parquet file", "xml": "an XML file",
                "gzip": "a gzip file", "binary": "a binary file", "text": "a text file"}.get(kind, kind)
        raise InputError(f"not a {fmt} file: the content looks like {what}", file=source)
    timeparse.install_macros(con, tz=options.tz)
    settings: dict[str, object] = {"format": fmt}
    with contextlib.ExitStack() as cleanup:
        if fmt == "csv":
            src, extra = _csv_source(path, kind, cleanup)
            settings.update(extra)
        elif fmt == "excel":
            src = _load_excel(con, path)
        else:
            src = _parquet_source(path)

        def run(sql: str) -> list[tuple]:
            try:
                return con.execute(sql, list(src.params)).fetchall()
            except duckdb.Error as exc:
                if fmt == "excel":
                    raise
                what = "CSV" if fmt == "csv" else "Parquet"
                raise InputError(f"cannot read as {what}: {str(exc).splitlines()[0]}", file=source) from exc

        types = {r[0]: r[1] for r in run(f"DESCRIBE SELECT * FROM {src.sql}") if r[0] != "__row"}
        chosen = resolve_columns(list(types), columns, source=source, by_name=by_name)
        end = timeparse.time_sql(chosen["timestamp"], sql_type=types[chosen["timestamp"]], name="__end")
        start = (timeparse.time_sql(chosen["start"], sql_type=types[chosen["start"]], name="__start")
                 if chosen["start"] else timeparse.TimeSql("NULL", (), "NULL::TIMESTAMPTZ", "'second'", "NULL"))

        def text(role: str) -> str:
            return f"{q(chosen[role])}::VARCHAR" if chosen[role] else "NULL::VARCHAR"

        used = {c for c in chosen.values() if c}
        # a column left over whose name is one of `wide`'s own (a `unit` column when --unit names
        # another; DuckDB's names ignore case) is kept under a name of its own, as the XES reader does
        taken = {n.lower() for n in CANONICAL} | {"__end", "__start", "__dst_end", "__dst_start"}
        alias = {c: f"{c} (source)" if c.lower() in taken or c.startswith("__") else c
                 for c in types if c not in used}
        rest = list(alias.values())
        rest_src = "".join(f", {q(c)} AS {q(a)}" for c, a in alias.items())
        rest_sql = "".join(f", {q(a)}" for a in rest)
        ts_name, st_name = chosen["timestamp"], chosen["start"] or ""
        empty_ts = literal(f"empty timestamp in column '{ts_name}'")
        bad_ts = literal(f"unparseable timestamp in column '{ts_name}'")
        bad_start = literal(f"unparseable start time in column '{st_name}'")
        # DST flags only where local times are read: an instant with its offset needs no fix
        dst_cols = [(n, e) for n, e in (("__dst_end", end.dst), ("__dst_start", start.dst)) if e != "NULL"]
        dst_sql = "".join(f", {e} AS {n}" for n, e in dst_cols)
        # each time cell is cleaned, tested for an offset and read as local time once, one step each
        row = "__row, " if src.numbered else ""
        cells = (f"SELECT {row}{text('case')} AS case_id, {text('activity')} AS activity, "
                 f"{text('resource')} AS resource, {text('lifecycle')} AS lifecycle, {text('unit')} AS unit, "
                 f"{end.cell} AS __end, {start.cell} AS __start{rest_src} FROM {src.sql}")
        for step in range(max(len(end.helpers), len(start.helpers))):
            extra = [t.helpers[step] for t in (end, start) if len(t.helpers) > step]
            cells = f"SELECT *, {', '.join(extra)} FROM ({cells})"
        # a CSV scan numbered by row_number() would run on one thread: its rows are numbered by rowid
        # instead, in a view over the table they fill in file order
        base = "wide" if src.numbered else "__wide_rows"
        seq = "__row - 1 AS event_seq, " if src.numbered else ""
        run(f"""
            CREATE TABLE {base} AS
            SELECT * EXCLUDE (__end, __start),
                   CASE WHEN __end IS NULL THEN {empty_ts}
                        WHEN ts_end IS NULL THEN {bad_ts}
                        WHEN __start IS NOT NULL AND ts_start IS NULL
                             THEN {bad_start} END AS __reject
            FROM (
                -- the reject reason reads the parsed values
                SELECT {row}case_id, activity, {end.instant} AS ts_end, {start.instant} AS ts_start,
                       {end.precision} AS ts_precision, {seq}resource, lifecycle, unit,
                       __end, __start{dst_sql}{rest_sql}
                FROM ({cells}))
        """)
        early = _csv_rejects(con) if fmt == "csv" else []
    if fmt == "excel":
        con.execute("DROP TABLE raw")
    rows_read = con.execute(f"SELECT count(*) FROM {base}").fetchall()[0][0] + len(early)
    if rows_read == 0:
        raise InputError("the file has a header but no rows", file=source)
    shifted = ambiguous = 0
    if dst_cols:
        counts = ", ".join(f"count(*) FILTER (WHERE {n} = 'shifted'), count(*) FILTER (WHERE {n} = 'ambiguous')"
                           for n, _ in dst_cols)
        found = con.execute(f"SELECT {counts} FROM {base}").fetchall()[0]
        shifted, ambiguous = sum(found[0::2]), sum(found[1::2])
        for n, _ in dst_cols:
            con.execute(f"ALTER TABLE {base} DROP COLUMN {n}")
    if not src.numbered:
        con.execute(f"CREATE VIEW wide AS SELECT rowid + 1 AS __row, rowid AS event_seq, * FROM {base}")
    return Staged(
        con=con, source=source, source_kind=fmt, content_hash=content_hash, rows_read=rows_read,
        case_columns=[c for c in rest if c.lower().startswith("case:")],
        auto_columns=[c for c in rest if not c.lower().startswith("case:")],
        stats={"dst_nonexistent_shifted": shifted, "dst_ambiguous_first": ambiguous},
        early_rejects=early, settings={**settings, "columns": {k: v for k, v in chosen.items() if v}},
    )
