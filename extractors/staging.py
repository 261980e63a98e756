"""The one path from a reader's staged rows to the event store, shared by every source.

A reader (CSV, Excel, Parquet, XES, SQL, Noark 5, OCEL) puts a table `wide` into an in-memory DuckDB
connection with the canonical columns below plus one column per attribute, and says which attribute
columns are case-level, event-level or to be decided. `prepare` then classifies resources,
pseudonymises, rejects bad rows into a report, types the attribute columns, splits case from event
attributes and builds the final tables; `commit` writes them in one short transaction.

Canonical columns of `wide`: `__row` BIGINT (position in the source, for messages), `case_id`,
`activity`, `ts_end` TIMESTAMPTZ, `ts_start` TIMESTAMPTZ, `ts_precision` ('second'|'day'),
`event_seq` BIGINT, `resource`, `lifecycle` (VARCHAR), `__reject` VARCHAR (a reader's reason, or NULL).
"""
from __future__ import annotations

import json
import logging
import re
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Literal

import duckdb
import pyarrow as pa

from . import pseudonym, store
from .errors import InputError, StoreError

log = logging.getLogger(__name__)

CANONICAL = ("__row", "case_id", "activity", "ts_end", "ts_start", "ts_precision", "event_seq",
             "resource", "lifecycle", "__reject", "resource_kind")
Mode = Literal["new", "replace", "append"]
Progress = Callable[[str], None]

# Names that say a resource is a machine, not a person.
SYSTEM_NAME_RE = r"(?i)^(system|systemet|automatic|automatisk|auto|batch|robot|rpa|job|jobb|scheduler|integrasjon|integration|script|bot)\b"
# Column names that hold personal data about a person (pseudonymised without being named by --personal).
PERSONAL_NAME_RE = re.compile(
    r"(?i)(navn|name|s[øo]ker|innbygger|person|e-?post|email|telefon|phone|mobil|adresse|address|"
    r"f[øo]dselsnummer|fnr|personnummer|ssn|saksbehandler|ansatt|employee|bruker|user)"
)
# ... but a *name* of a thing is not a person: activityNameEN, taskName, termName, concept:name, enhetsnavn.
THING_NAME_RE = re.compile(
    r"(?i)(activit|aktivitet|task|term|concept|process|prosess|step|steg|event|hendelse|document|dokument|"
    r"file|fil|product|produkt|unit|enhet|avdeling|department|group|gruppe|klasse|class|type|status|phase|fase)"
)


def is_personal_column(name: str) -> bool:
    """Whether a column's name says it holds people; names of activities, units and types do not."""
    if PERSONAL_NAME_RE.search(re.sub(r"(?i)navn|name", "", name)):
        return True  # a personal word besides "name" (søker_navn, saksbehandler_navn)
    return bool(PERSONAL_NAME_RE.search(name)) and not THING_NAME_RE.search(name)


FREE_TEXT_MIN_AVG_LEN = 30
FREE_TEXT_MIN_DISTINCT_SHARE = 0.5
REJECTS_LISTED = 5


@dataclass(frozen=True)
class IngestOptions:
    """Choices that shape what reaches the store; defaults are the privacy-first ones."""

    pseudonymise: bool = True
    personal: tuple[str, ...] = ()
    keep_text: bool = False
    strict: bool = False
    system: tuple[str, ...] = ()
    external: tuple[str, ...] = ()
    tz: str = "Europe/Oslo"
    mode: Mode = "new"


@dataclass
class Staged:
    """A reader's output: the `wide` table in `con` and what the reader knows about it."""

    con: duckdb.DuckDBPyConnection
    source: str
    source_kind: str
    content_hash: str
    rows_read: int
    case_columns: list[str] = field(default_factory=list)
    event_columns: list[str] = field(default_factory=list)
    auto_columns: list[str] = field(default_factory=list)
    stats: dict[str, int] = field(default_factory=dict)
    # rows the reader could not even stage (e.g. malformed CSV lines): (row number, reason)
    early_rejects: list[tuple[int, str]] = field(default_factory=list)
    settings: dict[str, object] = field(default_factory=dict)


@dataclass(frozen=True)
class IngestReport:
    log: str
    run_id: str | None
    source: str
    mode: str
    rows_read: int
    rows_kept: int
    rows_rejected: int
    cases: int
    noop: bool = False
    stats: dict[str, int] = field(default_factory=dict)
    first_rejects: tuple[tuple[int, str], ...] = ()
    dropped_columns: tuple[str, ...] = ()
    pseudonymised_columns: tuple[str, ...] = ()

    def lines(self) -> list[str]:
        """Human summary; row numbers and reasons only, never row content."""
        if self.noop:
            return [f"{self.log}: {self.source} is already loaded (same content); nothing to do"]
        out = [f"{self.log}: {self.rows_kept:,} events in {self.cases:,} cases stored "
               f"({self.mode}); {self.rows_read:,} read, {self.rows_rejected:,} rejected"]
        for row, reason in self.first_rejects:
            out.append(f"  rejected row {row}: {reason}")
        if self.rows_rejected > len(self.first_rejects):
            out.append(f"  … and {self.rows_rejected - len(self.first_rejects):,} more rejected rows")
        notes = {k: v for k, v in self.stats.items() if v}
        if notes:
            out.append("  " + ", ".join(f"{k.replace('_', ' ')}: {v:,}" for k, v in sorted(notes.items())))
        if self.pseudonymised_columns:
            out.append("  pseudonymised: " + ", ".join(self.pseudonymised_columns))
        if self.dropped_columns:
            out.append("  free-text columns dropped (use --keep-text to keep): " + ", ".join(self.dropped_columns))
        return out


def q(name: str) -> str:
    """Quote an identifier for DuckDB."""
    return '"' + name.replace('"', '""') + '"'


def attribute_columns(con: duckdb.DuckDBPyConnection) -> list[tuple[str, str]]:
    cols = con.execute("SELECT column_name, data_type FROM duckdb_columns() WHERE table_name = 'wide'"
                       " ORDER BY column_index").fetchall()
    return [(n, t) for n, t in cols if n not in CANONICAL]


# --- pseudonymisation -------------------------------------------------------------------------


def _table_from_pairs(con: duckdb.DuckDBPyConnection, name: str, columns: tuple[str, str],
                      pairs: dict[str, str]) -> None:
    """A two-column temp table from a dict in one Arrow hand-over (executemany is a round trip per row)."""
    frame = pa.table({columns[0]: pa.array(list(pairs), pa.string()),
                      columns[1]: pa.array(list(pairs.values()), pa.string())})
    con.register("__pairs", frame)
    try:
        con.execute(f"CREATE OR REPLACE TEMP TABLE {name} AS SELECT * FROM __pairs")
    finally:
        con.unregister("__pairs")


def _map_joins(con: duckdb.DuckDBPyConnection, maps: dict[str, dict[str, str]],
               kinds: dict[str, str]) -> tuple[dict[str, str], str]:
    """Small lookup tables for the value maps (built on distinct values, never per row); returns the
    replacement expression per mapped column and the JOIN clauses that feed them."""
    joins, exprs = [], {}
    for i, (column, mapping) in enumerate(maps.items()):
        if not mapping:
            continue
        _table_from_pairs(con, f"__map{i}", ("old", "new"), mapping)
        joins.append(f"LEFT JOIN __map{i} m{i} ON w.{q(column)}::VARCHAR = m{i}.old")
        exprs[column] = f"coalesce(m{i}.new, w.{q(column)}::VARCHAR)"
    _table_from_pairs(con, "__kinds", ("value", "kind"), kinds)
    joins.append("LEFT JOIN __kinds k ON w.resource = k.value")
    return exprs, " ".join(joins)


def _classify_resources(con: duckdb.DuckDBPyConnection, opts: IngestOptions) -> dict[str, str]:
    """resource_kind per raw name, decided before names are hashed (few distinct names: Python is fine)."""
    system = {s.strip().lower() for s in opts.system if s.strip()}
    external = {s.strip().lower() for s in opts.external if s.strip()}
    pattern = re.compile(SYSTEM_NAME_RE)
    kinds: dict[str, str] = {}
    # a resource whose timed events all take no time at all is a machine, whatever its name
    rows = con.execute("""
        SELECT resource, count(ts_start) > 0 AND bool_and(ts_start = ts_end) FILTER (WHERE ts_start IS NOT NULL)
        FROM wide WHERE nullif(trim(resource), '') IS NOT NULL GROUP BY resource""").fetchall()
    for name, instant in rows:
        low = name.strip().lower()
        kinds[name] = ("external" if low in external
                       else "system" if low in system or pattern.search(name.strip()) or instant
                       else "person")
    return kinds


def _pseudonym_maps(con: duckdb.DuckDBPyConnection, staged: Staged, opts: IngestOptions, key: bytes,
                    kinds: dict[str, str], dropped: list[str]) -> tuple[dict[str, dict[str, str]], list[str], int]:
    """Maps that hash people and fødselsnumre in what will be stored; returns the maps, the hashed
    columns, the fødselsnummer count."""
    attrs = [(n, t) for n, t in attribute_columns(con) if n not in dropped]
    names = {n for n, _ in attrs}
    unknown = [p for p in opts.personal if p not in names and p not in dropped and p != "resource"]
    if unknown:
        raise InputError(f"--personal names no column of this source: {', '.join(unknown)}",
                         file=staged.source)
    personal = set(opts.personal) | {n for n in names if is_personal_column(n)}
    maps: dict[str, dict[str, str]] = {}
    hashed: list[str] = []
    # system names are not people: keep them readable
    people = [v for v, k in kinds.items() if k != "system"]
    maps["resource"] = pseudonym.pseudonym_map(people, key=key)
    if people:
        hashed.append("resource")
    for column in sorted(personal - {"resource"}):
        values = [r[0] for r in con.execute(
            f"SELECT DISTINCT {q(column)}::VARCHAR FROM wide WHERE {q(column)} IS NOT NULL").fetchall()]
        maps[column] = pseudonym.pseudonym_map(values, key=key)
        if values:
            hashed.append(column)
    fnr_total = 0
    text_cols = ["case_id", "activity", "lifecycle"] + [
        n for n, t in attrs if t == "VARCHAR" and n not in personal]
    for column in text_cols:
        rows = con.execute(
            f"SELECT {q(column)}, count(*) FROM wide WHERE regexp_matches({q(column)}, ?) GROUP BY 1",
            [pseudonym.FNR_SQL_PATTERN]).fetchall()
        mapping: dict[str, str] = {}
        for value, n in rows:
            new, hits = pseudonym.replace_fnr(value, key=key)
            if hits:
                mapping[value] = new
                fnr_total += hits * n
        if mapping:
            maps[column] = mapping
    return maps, hashed, fnr_total


# --- typing attribute columns -----------------------------------------------------------------

_DECIMAL_COMMA = r"^-?[0-9]{1,3}(\.[0-9]{3})*,[0-9]+$|^-?[0-9]+,[0-9]+$|^-?[0-9]+$"
_NUMBER = r"^-?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][-+]?[0-9]+)?$"
_LEADING_ZERO = r"^-?0[0-9]"


def _free_text_columns(con: duckdb.DuckDBPyConnection, opts: IngestOptions) -> list[str]:
    """Long text that varies from row to row (notes, comments): dropped unless --keep-text. Found in one
    cheap scan first, so neither pseudonymisation nor typing spends time on what will not be stored."""
    cols = [n for n, t in attribute_columns(con) if t == "VARCHAR"]
    if opts.keep_text or not cols:
        return []
    parts = ", ".join(f"count({q(c)}), avg(length({q(c)})), approx_count_distinct({q(c)})" for c in cols)
    row = con.execute(f"SELECT {parts} FROM wide").fetchall()[0]
    free = []
    for i, c in enumerate(cols):
        n, avg_len, dist = row[3 * i:3 * i + 3]
        if n and avg_len is not None and avg_len >= FREE_TEXT_MIN_AVG_LEN and dist >= FREE_TEXT_MIN_DISTINCT_SHARE * n:
            free.append(c)
    return free


def _infer_types(con: duckdb.DuckDBPyConnection, opts: IngestOptions,
                 text_only: set[str], dropped: list[str]) -> dict[str, str]:
    """Real types of the VARCHAR attribute columns, decided on their distinct values (far fewer than
    rows, and no value is ever left out); returns a typed SQL expression per column and the free-text
    columns to drop."""
    cols = [n for n, t in attribute_columns(con) if t == "VARCHAR" and n not in dropped]
    exprs: dict[str, str] = {c: f"nullif(trim(w.{q(c)}), '')" for c in cols}
    if not cols:
        return exprs
    select = ", ".join(f"nullif(trim({q(c)}), '') AS {q(c)}" for c in cols)
    on = ", ".join(q(c) for c in cols)
    con.execute(f"""CREATE OR REPLACE TEMP TABLE __distinct AS
        SELECT name, value AS x, count(*) AS n
        FROM (UNPIVOT (SELECT {select} FROM wide) ON {on} INTO NAME name VALUE value) GROUP BY ALL""")
    rows = con.execute(f"""
        SELECT name, sum(n), sum(n) FILTER (WHERE regexp_matches(x, '{_NUMBER}')),
               sum(n) FILTER (WHERE regexp_matches(x, '{_DECIMAL_COMMA}')),
               sum(n) FILTER (WHERE contains(x, ',')), sum(n) FILTER (WHERE regexp_matches(x, '{_LEADING_ZERO}')),
               sum(n) FILTER (WHERE CASE WHEN regexp_matches(x, '^[0-9]{{1,4}}[-./][0-9]') THEN sf_parses(x)
                                         ELSE false END),
               sum(n) FILTER (WHERE sf_is_date_only(x)), sum(n) FILTER (WHERE lower(x) IN ('true', 'false')),
               sum(n * length(x)) / sum(n), count(*)
        FROM __distinct GROUP BY name""").fetchall()
    for c, n, num, dc, comma, lz, ts, d, b, _avg_len, _dist in rows:
        num, dc, comma, lz, ts, d, b = (v or 0 for v in (num, dc, comma, lz, ts, d, b))
        x = exprs[c]
        if c in text_only:
            continue
        elif num == n and lz == 0:
            exprs[c] = f"TRY_CAST({x} AS DOUBLE)"
        elif dc == n and comma > 0 and lz == 0:
            exprs[c] = f"TRY_CAST(replace(replace({x}, '.', ''), ',', '.') AS DOUBLE)"
        elif d == n and ts == n:
            exprs[c] = f"timezone('{opts.tz}', sf_ts({x}))::DATE"
        elif ts == n:
            exprs[c] = f"sf_ts({x})"
        elif b == n:
            exprs[c] = f"lower({x}) = 'true'"
    return exprs


# --- the pipeline -----------------------------------------------------------------------------


def _kind_of(sql_type: str) -> str:
    t = sql_type.upper()
    if t in ("BOOLEAN",):
        return "bool"
    if t == "DATE":
        return "date"
    if t.startswith("TIMESTAMP"):
        return "time"
    if any(t.startswith(p) for p in ("DOUBLE", "FLOAT", "REAL", "DECIMAL", "INTEGER", "BIGINT", "SMALLINT",
                                     "TINYINT", "HUGEINT", "UBIGINT", "UINTEGER", "USMALLINT", "UTINYINT")):
        return "number"
    return "text"


def prepare(staged: Staged, opts: IngestOptions, *, key: bytes | None,
            progress: Progress | None = None) -> IngestReport:
    """Turn `wide` into `final_events`, `final_cases` and `final_rejects` in the staging connection."""
    con = staged.con
    say = progress or (lambda _msg: None)
    say("classifying resources")
    kinds = _classify_resources(con, opts)
    dropped = _free_text_columns(con, opts)
    maps: dict[str, dict[str, str]] = {}
    hashed: list[str] = []
    fnr = 0
    if opts.pseudonymise:
        if key is None:
            raise ValueError("pseudonymisation needs a key")
        say("pseudonymising")
        maps, hashed, fnr = _pseudonym_maps(con, staged, opts, key, kinds, dropped)
    say("typing attributes")
    mapped, joins = _map_joins(con, maps, kinds)
    typed = _infer_types(con, opts, text_only=set(mapped), dropped=dropped)
    attrs_before = attribute_columns(con)
    attr_select = []
    for c, _t in attrs_before:
        if c in dropped:
            continue
        expr = typed.get(c, f"w.{q(c)}")
        if c in mapped:
            expr = f"nullif(trim({mapped[c]}), '')"
        attr_select.append(f"{expr} AS {q(c)}")
    canon = {col: mapped.get(col, f"w.{col}") for col in ("case_id", "activity", "resource", "lifecycle")}
    say("checking rows")
    # one pass over the rows: maps applied, attributes typed, bad rows marked
    con.execute(f"""
        CREATE OR REPLACE TABLE typed AS
        SELECT w.__row, nullif(trim({canon['case_id']}), '') AS case_id,
               nullif(trim({canon['activity']}), '') AS activity, w.ts_start, w.ts_end,
               coalesce(w.ts_precision, 'second') AS ts_precision, w.event_seq,
               nullif(trim({canon['resource']}), '') AS resource, k.kind AS resource_kind,
               nullif(trim({canon['lifecycle']}), '') AS lifecycle,
               CASE WHEN w.__reject IS NOT NULL THEN w.__reject
                    WHEN nullif(trim(w.case_id), '') IS NULL THEN 'empty case id'
                    WHEN nullif(trim(w.activity), '') IS NULL THEN 'empty activity'
                    WHEN w.ts_end IS NULL THEN 'missing or unparseable timestamp' END AS __reject
               {''.join(', ' + a for a in attr_select)}
        FROM wide w {joins}
    """)
    con.execute("DROP TABLE wide")
    attrs = [(n, t) for n, t in con.execute(
        "SELECT column_name, data_type FROM duckdb_columns() WHERE table_name = 'typed' ORDER BY column_index"
    ).fetchall() if n not in CANONICAL]
    names = {n for n, _ in attrs}
    case_cols = [c for c in staged.case_columns if c in names]
    event_cols = [c for c in staged.event_columns if c in names]
    auto = [c for c in staged.auto_columns if c in names]
    if auto:
        # constant within every case (nulls ignored) → case attribute; else event attribute
        agg = ", ".join(f"max(d{i}) AS m{i}" for i in range(len(auto)))
        inner = ", ".join(f"count(DISTINCT {q(c)}) AS d{i}" for i, c in enumerate(auto))
        maxima = con.execute(
            f"SELECT {agg} FROM (SELECT {inner} FROM typed WHERE __reject IS NULL GROUP BY case_id)"
        ).fetchall()[0]
        for c, m in zip(auto, maxima):
            (case_cols if (m or 0) <= 1 else event_cols).append(c)
    types = dict(attrs)
    if event_cols:
        # concat_ws skips NULLs: sparse JSON objects, ten times faster than building maps per row
        parts = ", ".join(
            f"CASE WHEN {q(c)} IS NOT NULL THEN '{json.dumps(c)[:-1].replace(chr(39), chr(39) * 2)}\":' || "
            f"to_json({q(c)}) END" for c in event_cols)
        attr_sql = f"nullif('{{' || concat_ws(',', {parts}) || '}}', '{{}}')::JSON"
    else:
        attr_sql = "NULL::JSON"
    say("building events")
    # a view: the JSON is built once, while the rows stream to the store
    con.execute(f"""
        CREATE OR REPLACE VIEW final_events AS
        SELECT case_id, activity, ts_start, ts_end, ts_precision, event_seq, resource, resource_kind, lifecycle,
               {attr_sql} AS attributes
        FROM typed WHERE __reject IS NULL
    """)
    con.execute("CREATE OR REPLACE TABLE final_rejects AS SELECT __row AS row_number, __reject AS reason "
                "FROM typed WHERE __reject IS NOT NULL")
    if staged.early_rejects:
        con.executemany("INSERT INTO final_rejects VALUES (?, ?)", staged.early_rejects)
    selects = []
    for c in case_cols:
        kind = _kind_of(types[c])
        val = {k: "NULL" for k in ("number", "text", "time", "date", "bool")}
        v = f"any_value({q(c)}) FILTER (WHERE {q(c)} IS NOT NULL)"
        val[kind] = {"number": f"{v}::DOUBLE", "text": f"{v}::VARCHAR", "time": f"{v}::TIMESTAMPTZ",
                     "date": f"{v}::DATE", "bool": f"{v}::BOOLEAN"}[kind]
        label = c[5:] if c.startswith("case:") else c
        lab = label.replace("'", "''")
        selects.append(
            f"SELECT case_id, '{lab}' AS name, '{kind}' AS kind, {val['number']} AS value_number, "
            f"{val['text']} AS value_text, {val['time']} AS value_time, {val['date']} AS value_date, "
            f"{val['bool']} AS value_bool FROM typed WHERE __reject IS NULL GROUP BY case_id"
        )
    if selects:
        con.execute("CREATE OR REPLACE TABLE final_cases AS SELECT * FROM (" + " UNION ALL ".join(selects)
                    + ") WHERE coalesce(value_number::VARCHAR, value_text, value_time::VARCHAR, "
                    "value_date::VARCHAR, value_bool::VARCHAR) IS NOT NULL")
    else:
        con.execute("CREATE OR REPLACE TABLE final_cases (case_id VARCHAR, name VARCHAR, kind VARCHAR, "
                    "value_number DOUBLE, value_text VARCHAR, value_time TIMESTAMPTZ, value_date DATE, "
                    "value_bool BOOLEAN)")
    kept, cases = con.execute("SELECT count(*), count(DISTINCT case_id) FROM typed WHERE __reject IS NULL"
                              ).fetchall()[0]
    rejected = con.execute("SELECT count(*) FROM final_rejects").fetchall()[0][0]
    first = con.execute(f"SELECT row_number, reason FROM final_rejects ORDER BY row_number "
                        f"LIMIT {REJECTS_LISTED}").fetchall()
    stats = dict(staged.stats)
    stats["fodselsnummer_pseudonymised"] = fnr
    return IngestReport(
        log="", run_id=None, source=staged.source, mode=opts.mode, rows_read=staged.rows_read,
        rows_kept=kept, rows_rejected=rejected, cases=cases, stats=stats,
        first_rejects=tuple((int(r), str(s)) for r, s in first), dropped_columns=tuple(dropped),
        pseudonymised_columns=tuple(hashed),
    )


def existing_run(con: duckdb.DuckDBPyConnection, log_name: str, content_hash: str) -> bool:
    return bool(con.execute("SELECT count(*) FROM ingest_runs WHERE log = ? AND content_hash = ?",
                            [log_name, content_hash]).fetchone()[0])


def commit(staged: Staged, report: IngestReport, opts: IngestOptions, *, store_path: str,
           log_name: str, started_at: datetime) -> IngestReport:
    """Write the prepared tables in one transaction: the store sees all of the load or none of it."""
    con = staged.con
    if opts.strict and report.rows_rejected:
        row, reason = report.first_rejects[0]
        raise InputError(f"{reason} (--strict: {report.rows_rejected:,} rejected rows)",
                         file=staged.source, where=f"row {row}")
    if report.rows_kept == 0:
        raise InputError("no event could be kept" + (
            f" ({report.rows_rejected:,} rejected; first: row {report.first_rejects[0][0]}: "
            f"{report.first_rejects[0][1]})" if report.first_rejects else ""), file=staged.source)
    run_id = uuid.uuid4().hex[:16]
    stats = dict(report.stats)
    # the store is attached to the staging connection: rows stream from the prepared views straight
    # into its tables inside one transaction, with no copy in between
    with store.write_attached(con, store_path) as s:
        exists = con.execute(f"SELECT count(*) FROM {s}.logs WHERE log = ?", [log_name]).fetchall()[0][0]
        if exists and opts.mode == "new":
            raise StoreError(f"log '{log_name}' already holds another source; use --replace to swap it "
                             f"or --append to add rows")
        seq_offset = 0
        if opts.mode == "replace" or not exists:
            con.execute(f"DELETE FROM {s}.events WHERE log = ?", [log_name])
            con.execute(f"DELETE FROM {s}.case_attributes WHERE log = ?", [log_name])
            con.execute(f"INSERT INTO {s}.events SELECT ?, case_id, activity, ts_start, ts_end, ts_precision, "
                        "event_seq, resource, resource_kind, lifecycle, attributes FROM final_events", [log_name])
            kept = report.rows_kept
        else:  # append: continue the file order, drop exact duplicates of stored events
            seq_offset = con.execute(f"SELECT coalesce(max(event_seq) + 1, 0) FROM {s}.events WHERE log = ?",
                                     [log_name]).fetchall()[0][0]
            before = con.execute(f"SELECT count(*) FROM {s}.events WHERE log = ?", [log_name]).fetchall()[0][0]
            con.execute(
                f"""INSERT INTO {s}.events
                   SELECT ?, n.case_id, n.activity, n.ts_start, n.ts_end, n.ts_precision, n.event_seq + ?,
                          n.resource, n.resource_kind, n.lifecycle, n.attributes
                   FROM final_events n
                   WHERE NOT EXISTS (
                     SELECT 1 FROM {s}.events e WHERE e.log = ? AND e.case_id = n.case_id
                       AND e.activity = n.activity AND e.ts_end = n.ts_end
                       AND e.ts_start IS NOT DISTINCT FROM n.ts_start
                       AND e.resource IS NOT DISTINCT FROM n.resource
                       AND e.lifecycle IS NOT DISTINCT FROM n.lifecycle
                       AND e.attributes::VARCHAR IS NOT DISTINCT FROM n.attributes::VARCHAR)""",
                [log_name, seq_offset, log_name])
            after = con.execute(f"SELECT count(*) FROM {s}.events WHERE log = ?", [log_name]).fetchall()[0][0]
            kept = after - before
            stats["duplicates_dropped"] = report.rows_kept - kept
            con.execute(f"DELETE FROM {s}.case_attributes WHERE log = ? AND case_id IN "
                        f"(SELECT case_id FROM final_cases)", [log_name])
        con.execute(f"INSERT INTO {s}.case_attributes SELECT ?, * FROM final_cases", [log_name])
        now = datetime.now(timezone.utc)
        settings = json.dumps({"tz": opts.tz, **staged.settings})
        if exists:
            con.execute(f"UPDATE {s}.logs SET source = ?, source_kind = ?, content_hash = ?, pseudonymised = ?, "
                        "updated_at = ?, settings = ? WHERE log = ?",
                        [staged.source, staged.source_kind, staged.content_hash, opts.pseudonymise, now,
                         settings, log_name])
        else:
            con.execute(f"INSERT INTO {s}.logs VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                        [log_name, staged.source, staged.source_kind, staged.content_hash, opts.pseudonymise,
                         now, now, settings])
        if opts.mode == "replace":
            con.execute(f"DELETE FROM {s}.ingest_rejects WHERE log = ?", [log_name])
        con.execute(f"INSERT INTO {s}.ingest_runs VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    [run_id, log_name, staged.source, staged.source_kind, staged.content_hash, opts.mode,
                     report.rows_read, kept, report.rows_rejected, started_at, now, json.dumps(stats)])
        con.execute(f"INSERT INTO {s}.ingest_rejects SELECT ?, ?, row_number, reason FROM final_rejects",
                    [run_id, log_name])
        cases_total = (report.cases if opts.mode == "replace" or not exists else con.execute(
            f"SELECT count(DISTINCT case_id) FROM {s}.events WHERE log = ?", [log_name]).fetchall()[0][0])
    return IngestReport(
        log=log_name, run_id=run_id, source=staged.source, mode=opts.mode, rows_read=report.rows_read,
        rows_kept=kept, rows_rejected=report.rows_rejected, cases=cases_total, stats=stats,
        first_rejects=report.first_rejects, dropped_columns=report.dropped_columns,
        pseudonymised_columns=report.pseudonymised_columns,
    )
