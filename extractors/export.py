"""Write a stored log back out as XES, CSV or Parquet, pseudonymised as stored, for pm4py, Disco, ProM, Celonis.

Names follow XES everywhere, because that is what those tools look for: `case:concept:name`,
`concept:name`, `time:timestamp`, `start_timestamp`, `org:resource`, `org:group` (the unit),
`lifecycle:transition`, case attributes as `case:<name>`, event attributes under their own names.

XES: one `<trace>` per case (case attributes typed: number → float, time and date → date, bool →
boolean, text → string); an event with a start time becomes a `start` and a `complete` event, so a
reader that pairs them (ours, pm4py's interval tools) gets the same event back. Times are written in
the log's zone (`tz` of the ingest, default Europe/Oslo) with their offset, so a date-only event stays
at local midnight. Events are in time order within a trace.
"""
from __future__ import annotations

import gzip
import json
import logging
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Literal

import duckdb

from . import store
from .errors import InputError, StoreError
from .ingest import require_log
from .sql_text import literal, literal_list
from .staging import q

log = logging.getLogger(__name__)

Format = Literal["xes", "csv", "parquet"]
FORMATS: tuple[str, ...] = ("xes", "csv", "parquet")
DEFAULT_TZ = "Europe/Oslo"
BATCH_ROWS = 200_000
# an event attribute is written as <date> when every value of it reads as a time
_TIME_TEXT = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}[ T][0-9]{2}:[0-9]{2}"


@dataclass(frozen=True)
class ExportReport:
    log: str
    path: str
    format: str
    cases: int
    events: int


def _attribute_kinds(con: duckdb.DuckDBPyConnection) -> list[tuple[str, str]]:
    """(key, kind) of the event attributes of `ev`: kind is number, bool, time or text."""
    rows = con.execute(f"""
        WITH kv AS (SELECT unnest(json_keys(attributes)) AS k, attributes FROM ev WHERE attributes IS NOT NULL),
        t AS (SELECT k, json_type(json_extract(attributes, '$."' || replace(k, '"', '\\"') || '"')) AS jt,
                     json_extract_string(attributes, '$."' || replace(k, '"', '\\"') || '"') AS v FROM kv)
        SELECT k, list(DISTINCT jt), bool_and(jt <> 'VARCHAR' OR regexp_matches(v, {literal(_TIME_TEXT)})
                                              AND TRY_CAST(v AS TIMESTAMPTZ) IS NOT NULL)
        FROM t WHERE jt IS NOT NULL AND jt <> 'NULL' GROUP BY k ORDER BY k
    """).fetchall()
    kinds = []
    for key, jtypes, all_time in rows:
        types = set(jtypes)
        if types <= {"BIGINT", "UBIGINT", "DOUBLE"}:
            kinds.append((key, "number"))
        elif types == {"BOOLEAN"}:
            kinds.append((key, "bool"))
        elif types == {"VARCHAR"} and all_time:
            kinds.append((key, "time"))
        else:
            kinds.append((key, "text"))
    return kinds


def _path_of(key: str) -> str:
    return literal('$."' + key.replace('"', '\\"') + '"')


def _unit_sql(con: duckdb.DuckDBPyConnection) -> str:
    """`unit`, or NULL in a store written before events.unit existed (read-only readers do not migrate)."""
    has = con.execute("SELECT count(*) FROM duckdb_columns() WHERE table_name = 'events' AND column_name = 'unit' "
                      "AND database_name = current_database()").fetchall()[0][0]
    return "unit" if has else "NULL::VARCHAR AS unit"


def _load(con: duckdb.DuckDBPyConnection, store_path: str | Path | None, log_name: str) -> str:
    """Copy one log's events and case attributes into the in-memory `con`; returns the log's zone."""
    target = store.store_path(store_path)
    if not target.exists():
        raise StoreError(f"{target}: no store here")
    with store.read(target) as src:
        require_log(src, log_name)
        settings = src.execute("SELECT settings FROM logs WHERE log = ?", [log_name]).fetchall()[0][0]
        events = src.sql("SELECT case_id, activity, ts_start, ts_end, ts_precision, event_seq, resource, lifecycle, "
                         f"{_unit_sql(src)}, attributes::VARCHAR AS attributes FROM events WHERE log = ?",
                         params=[log_name]).to_arrow_table()
        cases = src.sql("SELECT case_id, name, kind, value_number, value_text, value_time, value_date, "
                        "value_bool FROM case_attributes WHERE log = ?", params=[log_name]).to_arrow_table()
    con.register("__events", events)
    con.register("__cases", cases)
    con.execute("CREATE TABLE ev AS SELECT * REPLACE (attributes::JSON AS attributes) FROM __events")
    con.execute("CREATE TABLE ca AS SELECT * FROM __cases")
    con.unregister("__events")
    con.unregister("__cases")
    tz = DEFAULT_TZ
    if settings:
        tz = json.loads(settings).get("tz") or DEFAULT_TZ
    return tz


def _case_table(con: duckdb.DuckDBPyConnection) -> None:
    """`cw`: one row per case with its attributes pivoted (keeps the query per event cheap)."""
    names = [r[0] for r in con.execute("SELECT DISTINCT name FROM ca ORDER BY name").fetchall()]
    if not names:
        con.execute("CREATE TABLE cw AS SELECT DISTINCT case_id FROM ev")
        return
    parts = []
    for name in names:
        lit = literal(name)
        kinds = [r[0] for r in con.execute("SELECT DISTINCT kind FROM ca WHERE name = ?", [name]).fetchall()]
        kind = kinds[0] if len(kinds) == 1 else "text"
        value = {"number": "value_number", "text": "value_text", "time": "value_time", "date": "value_date",
                 "bool": "value_bool"}[kind] if len(kinds) == 1 else (
            "coalesce(value_text, value_number::VARCHAR, value_time::VARCHAR, value_date::VARCHAR, "
            "value_bool::VARCHAR)")
        parts.append(f"any_value({value}) FILTER (WHERE name = {lit}) AS {q('case:' + name)}")
    con.execute(f"CREATE TABLE cw AS SELECT case_id, {', '.join(parts)} FROM ca GROUP BY case_id")


def _flat_sql(con: duckdb.DuckDBPyConnection) -> str:
    _case_table(con)
    kinds = _attribute_kinds(con)
    cols = []
    for key, kind in kinds:
        p = _path_of(key)
        expr = {
            "number": f"TRY_CAST(json_extract(e.attributes, {p}) AS DOUBLE)",
            "bool": f"TRY_CAST(json_extract(e.attributes, {p}) AS BOOLEAN)",
            "time": f"TRY_CAST(json_extract_string(e.attributes, {p}) AS TIMESTAMPTZ)",
            "text": f"json_extract_string(e.attributes, {p})",
        }[kind]
        cols.append(f"{expr} AS {q(key)}")
    extra = "".join(", " + c for c in cols)
    return f"""
        SELECT e.case_id AS "case:concept:name", e.activity AS "concept:name", e.ts_end AS "time:timestamp",
               e.ts_start AS "start_timestamp", e.resource AS "org:resource", e.unit AS "org:group",
               e.lifecycle AS "lifecycle:transition"{extra}, c.* EXCLUDE (case_id)
        FROM ev e LEFT JOIN cw c USING (case_id)
        ORDER BY e.case_id, e.ts_end, e.event_seq"""


# --- XES -----------------------------------------------------------------------------------------------

_HEADER = """<?xml version="1.0" encoding="UTF-8"?>
<!-- Written by Saksflyt: one log from its event store, pseudonymised as stored. -->
<log xes.version="1.0" xes.features="" xmlns="http://www.xes-standard.org/">
\t<extension name="Concept" prefix="concept" uri="http://www.xes-standard.org/concept.xesext"/>
\t<extension name="Time" prefix="time" uri="http://www.xes-standard.org/time.xesext"/>
\t<extension name="Lifecycle" prefix="lifecycle" uri="http://www.xes-standard.org/lifecycle.xesext"/>
\t<extension name="Organizational" prefix="org" uri="http://www.xes-standard.org/org.xesext"/>
\t<classifier name="Activity" keys="concept:name"/>
\t<string key="concept:name" value="{name}"/>
"""
_FOOTER = "</log>\n"


def _install_xes_macros(con: duckdb.DuckDBPyConnection, tz: str) -> None:
    zone = literal(tz)
    con.execute(f"""
        CREATE OR REPLACE MACRO xq(s) AS
            replace(replace(replace(replace(replace(replace(replace(s::VARCHAR, '&', '&amp;'), '<', '&lt;'),
                    '>', '&gt;'), '"', '&quot;'), chr(10), '&#10;'), chr(13), '&#13;'), chr(9), '&#9;');
        CREATE OR REPLACE MACRO xoff(t) AS
            (epoch(timezone({zone}, t)) - epoch(timezone('UTC', t)))::BIGINT;
        CREATE OR REPLACE MACRO xts(t) AS
            strftime(timezone({zone}, t), '%Y-%m-%dT%H:%M:%S.%g')
            || CASE WHEN xoff(t) < 0 THEN '-' ELSE '+' END
            || lpad((abs(xoff(t)) // 3600)::VARCHAR, 2, '0') || ':'
            || lpad(((abs(xoff(t)) % 3600) // 60)::VARCHAR, 2, '0');
        CREATE OR REPLACE MACRO xel(tag, k, v) AS
            CASE WHEN v IS NULL THEN '' ELSE '<' || tag || ' key="' || xq(k) || '" value="' || v || '"/>' END;
    """)


def _xes_value(kind: str, expr: str, tz: str) -> tuple[str, str]:
    """(XES tag, SQL for the escaped value text) of one typed value."""
    return {
        "number": ("float", f"({expr})::DOUBLE::VARCHAR"),
        "bool": ("boolean", f"CASE WHEN {expr} THEN 'true' ELSE 'false' END"),
        "time": ("date", f"xts(({expr})::TIMESTAMPTZ)"),
        "date": ("date", f"xts(timezone({literal(tz)}, ({expr})::TIMESTAMP))"),
        "text": ("string", f"xq({expr})"),
    }[kind]


def _write_xes(con: duckdb.DuckDBPyConnection, fh: IO[str], *, log_name: str, tz: str) -> None:
    _install_xes_macros(con, tz)
    nl3 = "chr(10) || chr(9) || chr(9)"
    # trace head: <trace>, the case id and the typed case attributes, each row by its own kind
    by_kind = " ".join(
        f"WHEN {literal(kind)} THEN xel({literal(tag)}, name, {value})"
        for kind, (tag, value) in ((k, _xes_value(k, col, tz)) for k, col in (
            ("number", "value_number"), ("text", "value_text"), ("time", "value_time"),
            ("date", "value_date"), ("bool", "value_bool"))))
    con.execute(f"""
        CREATE TABLE heads AS
        SELECT e.case_id, '<trace>' || {nl3} || xel('string', 'concept:name', xq(e.case_id))
               || coalesce({nl3} || nullif(c.attrs, ''), '') AS head
        FROM (SELECT DISTINCT case_id FROM ev) e
        LEFT JOIN (SELECT case_id, string_agg(CASE kind {by_kind} END, {nl3} ORDER BY name) AS attrs
                   FROM ca GROUP BY case_id) c USING (case_id)
    """)
    # events: attributes by their JSON type; a start time gives a separate start event
    attr_parts = []
    for key, kind in _attribute_kinds(con):
        p = _path_of(key)
        expr = {"number": f"json_extract(attributes, {p})", "bool": f"json_extract(attributes, {p})::BOOLEAN",
                "time": f"json_extract_string(attributes, {p})",
                "text": f"json_extract_string(attributes, {p})"}[kind]
        tag, value = _xes_value(kind, expr, tz)
        if kind == "number":
            value = f"json_extract(attributes, {p})::VARCHAR"
        attr_parts.append(f"xel({literal(tag)}, {literal(key)}, {value})")
    attrs = ("concat_ws('', " + ", ".join(f"CASE WHEN {a} <> '' THEN {nl3} || chr(9) || {a} END"
                                            for a in attr_parts) + ")") if attr_parts else "''"
    con.execute(f"""
        CREATE TABLE xe AS
        SELECT case_id, ts_end AS t, event_seq, 1 AS part, activity, resource, unit,
               coalesce(lifecycle, CASE WHEN ts_start IS NOT NULL THEN 'complete' END) AS lifecycle,
               {attrs} AS attrs
        FROM ev
        UNION ALL
        SELECT case_id, ts_start, event_seq, 0, activity, resource, unit, 'start', '' FROM ev
        WHERE ts_start IS NOT NULL
    """)
    nl4 = f"{nl3} || chr(9)"
    query = f"""
        SELECT CASE WHEN first THEN chr(9) || h.head || {nl3} ELSE chr(9) || chr(9) END
               || '<event>' || {nl4} || xel('string', 'concept:name', xq(x.activity))
               || CASE WHEN x.lifecycle IS NOT NULL
                       THEN {nl4} || xel('string', 'lifecycle:transition', xq(x.lifecycle)) ELSE '' END
               || {nl4} || xel('date', 'time:timestamp', xts(x.t))
               || CASE WHEN x.resource IS NOT NULL
                       THEN {nl4} || xel('string', 'org:resource', xq(x.resource)) ELSE '' END
               || CASE WHEN x.unit IS NOT NULL
                       THEN {nl4} || xel('string', 'org:group', xq(x.unit)) ELSE '' END
               || x.attrs || {nl3} || '</event>'
               || CASE WHEN last THEN chr(10) || chr(9) || '</trace>' ELSE '' END AS line
        FROM (SELECT *, row_number() OVER w = 1 AS first,
                     row_number() OVER w = count(*) OVER (PARTITION BY case_id) AS last,
                     min(t) OVER (PARTITION BY case_id) AS case_start
              FROM xe WINDOW w AS (PARTITION BY case_id ORDER BY t, event_seq, part)) x
        JOIN heads h USING (case_id)
        ORDER BY x.case_start, x.case_id, x.t, x.event_seq, x.part
    """
    fh.write(_HEADER.replace("{name}", log_name.replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;")))
    reader = con.sql(query).to_arrow_reader(BATCH_ROWS)
    for batch in reader:
        fh.write("\n".join(batch.column(0).to_pylist()) + "\n")
    fh.write(_FOOTER)


def export_log(*, store_path: str | Path | None, log_name: str, out: str | Path, fmt: Format) -> ExportReport:
    """Write log `log_name` to `out` as XES (`.xes`, or gzipped when `out` ends in .gz), CSV or Parquet."""
    if fmt not in FORMATS:
        raise InputError(f"unknown export format '{fmt}' (known: {', '.join(FORMATS)})")
    target = Path(out)
    if target.parent and not target.parent.exists():
        raise InputError("the folder does not exist", file=str(target.parent))
    con = store.memory()
    con.execute("SET enable_progress_bar = false")
    try:
        tz = _load(con, store_path, log_name)
        cases, events = con.execute("SELECT count(DISTINCT case_id), count(*) FROM ev").fetchall()[0]
        tmp = target.with_name(target.name + ".part")
        try:
            if fmt == "xes":
                opener = (lambda p: gzip.open(p, "wt", encoding="utf-8", compresslevel=5)) \
                    if target.name.lower().endswith(".gz") else (lambda p: open(p, "w", encoding="utf-8"))
                with opener(tmp) as fh:
                    _write_xes(con, fh, log_name=log_name, tz=tz)
            else:
                sql = _flat_sql(con)
                options = "FORMAT csv, HEADER true" if fmt == "csv" else "FORMAT parquet, COMPRESSION zstd"
                con.execute(f"COPY ({sql}) TO {literal(str(tmp))} ({options})")
            tmp.replace(target)
        finally:
            tmp.unlink(missing_ok=True)
    finally:
        con.close()
    return ExportReport(log=log_name, path=str(target), format=fmt, cases=int(cases), events=int(events))


# --- the event table as a partitioned Parquet dataset (for Spark and other engines) ---------------------

DATASET_COLUMNS = ("case_id", "activity", "ts_start", "ts_end", "ts_precision", "event_seq", "resource",
                   "resource_kind", "lifecycle")


@dataclass(frozen=True)
class DatasetReport:
    path: str
    logs: tuple[str, ...]
    events: int
    files: int


def export_events_dataset(*, store_path: str | Path | None, out: str | Path,
                          logs: tuple[str, ...] = ()) -> DatasetReport:
    """Write the store's event table (all logs, or `logs`) under `out` as Parquet, partitioned by log and month.

    The layout is Hive-style, `out/log=<name>/month=<YYYY-MM>/*.parquet` (month of `ts_end` in UTC), so
    Spark, Trino or DuckDB read one log or a span of months without touching the rest. Columns are the
    event table's, as stored (pseudonymised); `attributes` is JSON text. Each exported log's folder is
    replaced whole, other logs' folders are left alone, so one dataset can gather many stores' logs.
    DuckDB writes partition values percent-encoded as UTF-8 (`log=bygges%C3%B8knad`).
    """
    target = Path(out)
    if target.exists() and not target.is_dir():
        raise InputError("exists and is not a folder (a Parquet dataset is a folder)", file=str(target))
    if not target.parent.exists():
        raise InputError("the folder does not exist", file=str(target.parent))
    source = store.store_path(store_path)
    if not source.exists():
        raise StoreError(f"{source}: no store here")
    staging = target.with_name(f".{target.name}.part")
    shutil.rmtree(staging, ignore_errors=True)
    try:
        with store.read(source) as con:
            known = [r[0] for r in con.execute("SELECT log FROM logs ORDER BY log").fetchall()]
            for name in logs:
                require_log(con, name)
            chosen = tuple(dict.fromkeys(logs)) or tuple(known)
            if not chosen:
                raise StoreError(f"{source}: no logs in this store yet")
            cols = ", ".join(DATASET_COLUMNS) + ", " + _unit_sql(con)
            events = con.execute("SELECT count(*) FROM events WHERE list_contains(?, log)",
                                 [list(chosen)]).fetchall()[0][0]
            con.execute(f"""
                COPY (SELECT log, strftime(ts_end AT TIME ZONE 'UTC', '%Y-%m') AS month, {cols},
                             CAST(attributes AS VARCHAR) AS attributes
                      FROM events WHERE list_contains({literal_list(chosen)}, log)
                      ORDER BY log, month, case_id, ts_end, event_seq)
                TO {literal(str(staging))} (FORMAT parquet, PARTITION_BY (log, month), COMPRESSION zstd)
            """)
        target.mkdir(exist_ok=True)
        written = 0
        for part in sorted(staging.iterdir()):
            written += sum(1 for _ in part.rglob("*.parquet"))
            final = target / part.name
            if final.exists():
                old = target / f".{part.name}.old"
                final.replace(old)
                part.replace(final)
                shutil.rmtree(old)
            else:
                part.replace(final)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return DatasetReport(path=str(target), logs=chosen, events=int(events), files=written)
