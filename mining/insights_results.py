"""The insight phases' options, inputs from the store, result tables (DDL), readers and exports.

Every table is keyed by (`log`, `run_id`) like `mining.results`' tables, so a run's insights are
dropped with the run and the latest run is read the same way.

mining_bottlenecks — one row per ranked entry of bottlenecks.json
    rank, activity, edge_source, edge_target (NULL for a whole activity), occurrences,
    median_wait_hours, total_wait_hours, wait_basis, internal, internal_share, resources, evidence
mining_rework — one row per rework pattern of rework.json
    activities VARCHAR[], kind ('repeat' | 'loop' | 'ping-pong'), between ('activities' | 'resources'),
    cases, case_share (of all cases), hours_added (total calendar hours over the affected cases),
    median_hours_added (per affected case), evidence
mining_needless — one row per optional activity tested (needless_steps.json)
    activity, cases_with, cases_without (closed cases), outcome_test, p_outcome, q_outcome (BH),
    cramers_v, p_duration, q_duration (BH), rank_biserial, median_hours_with, median_hours_without,
    hours_added, attribute_score, resource_score (cross-validated balanced accuracy), predicted_by
    ('case_attributes' | 'resource' | 'nothing'), verdict, evidence
mining_models — one row per run: the discovered (or given) model
    source ('discovered' | 'given'), method, seconds, activities_total, activities_kept,
    variants_used, pnml, bpmn, dot (texts), settings JSON
mining_conformance — one row per run
    model_source, variants, cases, fitness, precision, precision_basis, aligned_variants,
    aligned_cases, alignment_fitness, alignment_timeouts, seconds, settings JSON
mining_deviations — activities that deviate most (from the alignments)
    activity, log_moves (cases where the log has it but the model cannot), model_moves (cases where the
    model needed it but the log skipped it), cases_deviating, share (of aligned cases)
mining_reports — the rendered report.html
    lang, html

`evidence` is in the run's language (--lang); `evidence_by_lang` JSON holds it in nb and en, for the
explorer's page language (NULL in runs before migration v2).
"""
from __future__ import annotations

import json
import logging
from pathlib import Path
from collections.abc import Callable, Sequence
from typing import Any

import duckdb
import pandas as pd
import pyarrow as pa

from saksflyt.extractors import store
from saksflyt.extractors.errors import InputError, StoreError
from saksflyt.extractors.pseudonym import load_key, pseudonym

from .context import LANGS, InsightOptions, MiningContext  # noqa: F401  (InsightOptions: public here too)
from .findings import InsightInputs

log = logging.getLogger(__name__)


_V1 = """
CREATE TABLE mining_bottlenecks (
    log VARCHAR NOT NULL, run_id VARCHAR NOT NULL,
    rank INTEGER NOT NULL, activity VARCHAR NOT NULL, edge_source VARCHAR, edge_target VARCHAR,
    occurrences BIGINT NOT NULL, median_wait_hours DOUBLE, total_wait_hours DOUBLE NOT NULL,
    wait_basis VARCHAR NOT NULL CHECK (wait_basis IN ('measured', 'between_completions')),
    internal BOOLEAN NOT NULL, internal_share DOUBLE NOT NULL, resources BIGINT NOT NULL,
    evidence VARCHAR[] NOT NULL
);
CREATE TABLE mining_rework (
    log VARCHAR NOT NULL, run_id VARCHAR NOT NULL,
    activities VARCHAR[] NOT NULL, kind VARCHAR NOT NULL CHECK (kind IN ('repeat', 'loop', 'ping-pong')),
    between VARCHAR NOT NULL CHECK (between IN ('activities', 'resources')),
    cases BIGINT NOT NULL, case_share DOUBLE NOT NULL, hours_added DOUBLE, median_hours_added DOUBLE,
    evidence VARCHAR[] NOT NULL
);
CREATE TABLE mining_needless (
    log VARCHAR NOT NULL, run_id VARCHAR NOT NULL,
    activity VARCHAR NOT NULL, cases_with BIGINT NOT NULL, cases_without BIGINT NOT NULL,
    outcome_test VARCHAR, p_outcome DOUBLE, q_outcome DOUBLE, cramers_v DOUBLE,
    p_duration DOUBLE, q_duration DOUBLE, rank_biserial DOUBLE,
    median_hours_with DOUBLE, median_hours_without DOUBLE, hours_added DOUBLE,
    attribute_score DOUBLE, resource_score DOUBLE,
    predicted_by VARCHAR NOT NULL CHECK (predicted_by IN ('case_attributes', 'resource', 'nothing')),
    verdict VARCHAR NOT NULL, evidence VARCHAR[] NOT NULL
);
CREATE TABLE mining_models (
    log VARCHAR NOT NULL, run_id VARCHAR NOT NULL,
    source VARCHAR NOT NULL CHECK (source IN ('discovered', 'given')), method VARCHAR NOT NULL,
    seconds DOUBLE NOT NULL, activities_total BIGINT NOT NULL, activities_kept BIGINT NOT NULL,
    variants_used BIGINT NOT NULL, pnml VARCHAR NOT NULL, bpmn VARCHAR, dot VARCHAR NOT NULL,
    settings JSON NOT NULL
);
CREATE TABLE mining_conformance (
    log VARCHAR NOT NULL, run_id VARCHAR NOT NULL,
    model_source VARCHAR NOT NULL, variants BIGINT NOT NULL, cases BIGINT NOT NULL,
    fitness DOUBLE, precision DOUBLE, precision_basis VARCHAR NOT NULL,
    aligned_variants BIGINT NOT NULL, aligned_cases BIGINT NOT NULL, alignment_fitness DOUBLE,
    alignment_timeouts BIGINT NOT NULL, seconds DOUBLE NOT NULL, settings JSON NOT NULL
);
CREATE TABLE mining_deviations (
    log VARCHAR NOT NULL, run_id VARCHAR NOT NULL,
    activity VARCHAR NOT NULL, log_moves BIGINT NOT NULL, model_moves BIGINT NOT NULL,
    cases_deviating BIGINT NOT NULL, share DOUBLE NOT NULL
);
CREATE TABLE mining_reports (
    log VARCHAR NOT NULL, run_id VARCHAR NOT NULL,
    lang VARCHAR NOT NULL CHECK (lang IN ('nb', 'en')), html VARCHAR NOT NULL
);
"""

store.register("mining_insights", 1,
               "mining insights: bottlenecks, rework, needless steps, models, conformance, reports", _V1)
# The evidence in both languages ({"nb": [...], "en": [...]}), so the explorer shows it in the page's
# language; `evidence` stays the run's language (--lang). NULL in runs written before.
_V2 = "".join(f"ALTER TABLE {t} ADD COLUMN evidence_by_lang JSON;"
              for t in ("mining_bottlenecks", "mining_rework", "mining_needless"))
store.register("mining_insights", 2, "insight evidence in both languages (evidence_by_lang)", _V2)

TABLES = ("mining_bottlenecks", "mining_rework", "mining_needless", "mining_models", "mining_conformance",
          "mining_deviations", "mining_reports")


def load(con: duckdb.DuckDBPyConnection, store_path: str | Path | None, log_name: str,
         options: InsightOptions) -> InsightInputs:
    """Copy what the insight phases need from the store into the in-memory database, as integers.

    The insight phases keep their own compact copy of the events rather than reading the statistics'
    working tables, so each side can change its internals freely; it costs one more scan of the log,
    done by DuckDB straight from the attached file. Tables: `ins_act` (aid, activity), `ins_rkind`
    (rid, resource, kind), `ins_case` (cid, case_id), `ins_unit` (uid, unit), `ins_raw` (cid, aid, rid,
    uid, end_us, start_us, is_day, event_seq, contact) and `ins_attr` (cid, name, kind, value_number,
    value_text, value_bool). `contact` is 1 where the citizen got in touch (a door), 2 where the
    municipality spoke to the citizen (a voice): the config's lists where it has them, else a Noark 5
    journal post's type (I incoming, U outgoing).
    """
    from saksflyt.extractors.ingest import quality  # imported late: ingest pulls in the readers

    target = store.store_path(store_path)
    with store.attached(con, target, "ins_src"):
        build_inputs(con, "ins_src.events", log_name, options)
        con.execute("""
            CREATE OR REPLACE TABLE ins_attr AS
            SELECT c.cid, a.name, a.kind, a.value_number, a.value_text, a.value_bool
            FROM ins_src.case_attributes a JOIN ins_case c ON c.case_id = a.case_id
            WHERE a.log = ? AND NOT list_contains(?, lower(a.name))
        """, [log_name, [n.lower() for n in options.outcome_attrs]])
    resources = [r[0] for r in con.execute("SELECT resource FROM ins_rkind").fetchall()]
    external = match_external(resources, options.external)
    if external:
        con.execute("UPDATE ins_rkind SET kind = 'external' WHERE list_contains(?, resource)", [list(external)])
    try:
        with store.read(target) as rcon:
            q = quality(rcon, log_name)
    except (duckdb.Error, StoreError) as exc:  # quality is a courtesy: never fail the run for it
        log.warning("data-quality figures unavailable: %s", exc)
        q = {}
    return InsightInputs(external=external, quality=q)


# Unit values that say there is none (BPI logs write "EMPTY"): such events have no unit.
NO_UNIT = ("empty", "none", "null", "n/a", "na", "unknown", "ukjent", "-", "--", "?")


def build_inputs(con: duckdb.DuckDBPyConnection, events: str, log_name: str, options: InsightOptions) -> None:
    """`ins_act`, `ins_rkind`, `ins_case`, `ins_unit` and `ins_raw` (see `load`) from the rows of `log_name` in
    table `events` (the attached store's, or a comparison side's copy with the same columns)."""
    con.execute(f"""
        CREATE OR REPLACE TABLE ins_act AS
        SELECT CAST(row_number() OVER (ORDER BY activity) AS INTEGER) AS aid, activity
        FROM (SELECT DISTINCT activity FROM {events} WHERE log = ?)
    """, [log_name])
    con.execute(f"""
        CREATE OR REPLACE TABLE ins_rkind AS
        SELECT CAST(row_number() OVER (ORDER BY resource) AS INTEGER) AS rid, resource,
               coalesce(kind, 'unknown') AS kind
        FROM (SELECT resource, any_value(resource_kind) AS kind FROM {events}
              WHERE log = ? AND resource IS NOT NULL GROUP BY resource)
    """, [log_name])
    con.execute(f"""
        CREATE OR REPLACE TABLE ins_case AS
        SELECT CAST(row_number() OVER (ORDER BY case_id) AS INTEGER) AS cid, case_id
        FROM (SELECT DISTINCT case_id FROM {events} WHERE log = ?)
    """, [log_name])
    con.execute(f"""
        CREATE OR REPLACE TABLE ins_unit AS
        SELECT CAST(row_number() OVER (ORDER BY unit) AS INTEGER) AS uid, unit
        FROM (SELECT DISTINCT unit FROM {events} WHERE log = ? AND unit IS NOT NULL
                                                     AND NOT list_contains(?, lower(trim(unit))))
    """, [log_name, list(NO_UNIT)])
    configured = bool(options.incoming or options.outgoing)
    con.execute(f"""
        CREATE OR REPLACE TABLE ins_raw AS
        SELECT c.cid, a.aid, r.rid, u.uid, epoch_us(e.ts_end) AS end_us, epoch_us(e.ts_start) AS start_us,
               e.ts_precision = 'day' AS is_day, e.event_seq,
               CAST({_contact_sql(configured)} AS TINYINT) AS contact
        FROM {events} e
        JOIN ins_act a ON a.activity = e.activity
        JOIN ins_case c ON c.case_id = e.case_id
        LEFT JOIN ins_rkind r ON r.resource = e.resource
        LEFT JOIN ins_unit u ON u.unit = e.unit
        WHERE e.log = ?
    """, ([list(options.incoming), list(options.outgoing)] if configured else []) + [log_name])


def _contact_sql(configured: bool) -> str:
    """The contact code of an event (1 door, 2 voice, NULL neither): from the config's activity lists
    (parameters 1 and 2) when it has any, else from a Noark 5 journal post's type. A journal post gives
    several events (received, registered, sent, written off); the contact is one of them: an incoming
    post's "I mottatt…", an outgoing post's "U sendt…" (`extractors.noark5_parse` names them so)."""
    if configured:
        return "CASE WHEN list_contains(?, e.activity) THEN 1 WHEN list_contains(?, e.activity) THEN 2 END"
    kind = "json_extract_string(e.attributes, '$.journalposttype')"
    return (f"CASE WHEN {kind} = 'I' AND starts_with(e.activity, 'I mottatt') THEN 1 "
            f"WHEN {kind} = 'U' AND starts_with(e.activity, 'U sendt') THEN 2 END")


def match_external(stored: list[str], names: tuple[str, ...]) -> tuple[str, ...]:
    """Stored resource values for names as the user knows them: as written, or via the keyed pseudonym."""
    if not names:
        return ()
    have = set(stored)
    key = load_key()
    matched: list[str] = []
    missing: list[str] = []
    for name in names:
        hits = sorted({name.strip(), pseudonym(name, key=key)} & have)
        if hits:
            matched.extend(hits)
        else:
            missing.append(name)
    if missing:
        raise InputError(f"--external: no resource in this log matches {', '.join(repr(m) for m in missing)} "
                         "(check the spelling, and that SAKSFLYT_PSEUDONYM_KEY is the key used at ingest)")
    return tuple(dict.fromkeys(matched))


# --- the phases' shared state -----------------------------------------------------------------


def options_of(ctx: MiningContext) -> InsightOptions:
    """The insight options of a mining run (`MineOptions.insights`)."""
    return ctx.options.insights


def output(ctx: MiningContext, name: str, rows: list[dict[str, Any]]) -> None:
    """Store `rows` as this run's rows of result table `name` (through an in-memory table)."""
    memory = f"ins_out_{name}"
    register_table(ctx.con, memory, rows, SCHEMAS[name])
    ctx.output(name, memory)


# --- the in-memory tables the phases read ------------------------------------------------------


def prepare(con: duckdb.DuckDBPyConnection, *, end_activities: tuple[str, ...]) -> None:
    """Build the insight phases' event and case tables from `ins_raw` (see `load`).

    `ins_ev` (one row per event in case
    order (end_us, event_seq), as `mining.stats` orders them: cid, aid, rid, uid, contact, pos, is_last, end_us,
    start_us, is_day, prev_aid, prev_end_us, gap_us (between completions), wait_us (predecessor's
    completion to this start, floored at 0, where there is a start), pair_day) and `ins_cases` (cid,
    end_aid, closed by the run's completion rule, duration_hours from the first moment to the last
    completion, NULL when either end is date-only).
    """
    con.execute("""
        CREATE OR REPLACE TABLE ins_ev AS
        WITH w AS (
            SELECT cid, aid, rid, uid, contact, end_us, start_us, is_day,
                   CAST(row_number() OVER o AS INTEGER) AS pos,
                   lead(aid) OVER o IS NULL AS is_last,
                   lag(aid) OVER o AS prev_aid,
                   lag(end_us) OVER o AS prev_end_us,
                   lag(is_day) OVER o AS prev_is_day
            FROM ins_raw
            WINDOW o AS (PARTITION BY cid ORDER BY end_us, event_seq)
        )
        SELECT cid, aid, rid, uid, contact, pos, is_last, end_us, start_us, is_day, prev_aid, prev_end_us,
               end_us - prev_end_us AS gap_us,
               CASE WHEN start_us IS NOT NULL AND prev_end_us IS NOT NULL
                    THEN greatest(start_us - prev_end_us, 0) END AS wait_us,
               is_day OR coalesce(prev_is_day, false) AS pair_day
        FROM w
    """)
    con.execute("DROP TABLE ins_raw")
    con.execute("""
        CREATE OR REPLACE TABLE ins_cases AS
        WITH c AS (
            SELECT cid, arg_max(aid, pos) AS end_aid,
                   min(least(coalesce(start_us, end_us), end_us)) AS first_us,
                   arg_min(is_day, least(coalesce(start_us, end_us), end_us)) AS first_is_day,
                   max(end_us) AS last_us, arg_max(is_day, pos) AS last_is_day
            FROM ins_ev GROUP BY cid
        )
        SELECT c.cid, c.end_aid, list_contains(?, a.activity) AS closed,
               CASE WHEN NOT c.first_is_day AND NOT c.last_is_day THEN (c.last_us - c.first_us) / 3.6e9 END
                   AS duration_hours
        FROM c JOIN ins_act a ON a.aid = c.end_aid
    """, [list(end_activities)])


def activity_names(con: duckdb.DuckDBPyConnection) -> dict[int, str]:
    return dict(con.execute("SELECT aid, activity FROM ins_act").fetchall())


# --- results as arrow tables (what `MiningContext.output` stores) ------------------------------


def register_table(con: duckdb.DuckDBPyConnection, name: str, rows: list[dict[str, Any]],
                   schema: pa.Schema) -> None:
    """Create in-memory table `name` from rows with an explicit schema (so empty results keep types)."""
    con.register("_ins_rows", pa.Table.from_pylist(rows, schema=schema))
    try:
        con.execute(f"CREATE OR REPLACE TABLE {name} AS SELECT * FROM _ins_rows")
    finally:
        con.unregister("_ins_rows")


_S = pa.string()
_L = pa.list_(pa.string())
SCHEMAS: dict[str, pa.Schema] = {
    "mining_bottlenecks": pa.schema([
        ("rank", pa.int32()), ("activity", _S), ("edge_source", _S), ("edge_target", _S),
        ("occurrences", pa.int64()), ("median_wait_hours", pa.float64()), ("total_wait_hours", pa.float64()),
        ("wait_basis", _S), ("internal", pa.bool_()), ("internal_share", pa.float64()),
        ("resources", pa.int64()), ("evidence", _L), ("evidence_by_lang", _S)]),
    "mining_rework": pa.schema([
        ("activities", _L), ("kind", _S), ("between", _S), ("cases", pa.int64()), ("case_share", pa.float64()),
        ("hours_added", pa.float64()), ("median_hours_added", pa.float64()), ("evidence", _L),
        ("evidence_by_lang", _S)]),
    "mining_needless": pa.schema([
        ("activity", _S), ("cases_with", pa.int64()), ("cases_without", pa.int64()), ("outcome_test", _S),
        ("p_outcome", pa.float64()), ("q_outcome", pa.float64()), ("cramers_v", pa.float64()),
        ("p_duration", pa.float64()), ("q_duration", pa.float64()), ("rank_biserial", pa.float64()),
        ("median_hours_with", pa.float64()), ("median_hours_without", pa.float64()),
        ("hours_added", pa.float64()), ("attribute_score", pa.float64()), ("resource_score", pa.float64()),
        ("predicted_by", _S), ("verdict", _S), ("evidence", _L), ("evidence_by_lang", _S)]),
    "mining_models": pa.schema([
        ("source", _S), ("method", _S), ("seconds", pa.float64()), ("activities_total", pa.int64()),
        ("activities_kept", pa.int64()), ("variants_used", pa.int64()), ("pnml", _S), ("bpmn", _S),
        ("dot", _S), ("settings", _S)]),
    "mining_conformance": pa.schema([
        ("model_source", _S), ("variants", pa.int64()), ("cases", pa.int64()), ("fitness", pa.float64()),
        ("precision", pa.float64()), ("precision_basis", _S), ("aligned_variants", pa.int64()),
        ("aligned_cases", pa.int64()), ("alignment_fitness", pa.float64()),
        ("alignment_timeouts", pa.int64()), ("seconds", pa.float64()), ("settings", _S)]),
    "mining_deviations": pa.schema([
        ("activity", _S), ("log_moves", pa.int64()), ("model_moves", pa.int64()),
        ("cases_deviating", pa.int64()), ("share", pa.float64())]),
    "mining_reports": pa.schema([("lang", _S), ("html", _S)]),
}


# --- reading ----------------------------------------------------------------------------------


def _read(con: duckdb.DuckDBPyConnection, table: str, log_name: str, run_id: str | None,
          order_by: str | None = None) -> pd.DataFrame:
    from .results import read_table
    return read_table(con, table, log_name, run_id=run_id, order_by=order_by)


def sentences_by_lang(make: Callable[[str], Sequence[str]]) -> dict[str, tuple[str, ...]]:
    """The same sentences made in each language (same code, same numbers, same positions)."""
    return {lang: tuple(make(lang)) for lang in LANGS}


def by_lang_json(by_lang: dict[str, Sequence[str]]) -> str:
    return json.dumps({k: list(v) for k, v in by_lang.items()}, ensure_ascii=False)


def evidence_in(row: dict[str, Any], lang: str | None) -> list[str]:
    """A stored row's evidence in `lang` where the run wrote both languages, else as stored."""
    by = row.get("evidence_by_lang")
    if lang and isinstance(by, str):
        found = json.loads(by).get(lang)
        if found is not None:
            return list(found)
    return list(row["evidence"])


def bottlenecks(con: duckdb.DuckDBPyConnection, log_name: str, *, run_id: str | None = None,
                lang: str | None = None) -> list[dict]:
    """bottlenecks.json of a run (the latest by default); the evidence in `lang` if given."""
    df = _read(con, "mining_bottlenecks", log_name, run_id, "rank")
    out = []
    for r in df.to_dict("records"):
        edge = [r["edge_source"], r["edge_target"]] if isinstance(r["edge_source"], str) else None
        out.append({"rank": int(r["rank"]), "activity": r["activity"], "edge": edge,
                    "occurrences": int(r["occurrences"]), "median_wait_hours": float_or_none(r["median_wait_hours"]),
                    "total_wait_hours": float_or_none(r["total_wait_hours"]), "wait_basis": r["wait_basis"],
                    "internal": bool(r["internal"]), "resources": int(r["resources"]),
                    "evidence": evidence_in(r, lang)})
    return out


def rework(con: duckdb.DuckDBPyConnection, log_name: str, *, run_id: str | None = None,
           lang: str | None = None) -> list[dict]:
    """rework.json of a run."""
    df = _read(con, "mining_rework", log_name, run_id, "cases DESC, kind, activities")
    return [{"activities": list(r["activities"]), "kind": r["kind"], "between": r["between"],
             "cases": int(r["cases"]), "case_share": float_or_none(r["case_share"]),
             "hours_added": float_or_none(r["hours_added"]), "median_hours_added": float_or_none(r["median_hours_added"]),
             "evidence": evidence_in(r, lang)}
            for r in df.to_dict("records")]


def needless(con: duckdb.DuckDBPyConnection, log_name: str, *, run_id: str | None = None,
             lang: str | None = None) -> list[dict]:
    """needless_steps.json of a run: every optional activity tested, candidates first."""
    df = _read(con, "mining_needless", log_name, run_id,
               "verdict <> 'needless', predicted_by <> 'resource', hours_added DESC NULLS LAST, activity")
    out = []
    for r in df.to_dict("records"):
        out.append({
            "activity": r["activity"], "cases_with": int(r["cases_with"]), "cases_without": int(r["cases_without"]),
            "p_values": {"outcome": float_or_none(r["p_outcome"]), "duration": float_or_none(r["p_duration"])},
            "p_values_bh": {"outcome": float_or_none(r["q_outcome"]), "duration": float_or_none(r["q_duration"])},
            "outcome_test": r["outcome_test"],
            "effect_sizes": {"outcome_cramers_v": float_or_none(r["cramers_v"]),
                             "duration_rank_biserial": float_or_none(r["rank_biserial"])},
            "median_hours_with": float_or_none(r["median_hours_with"]),
            "median_hours_without": float_or_none(r["median_hours_without"]),
            "hours_added": float_or_none(r["hours_added"]),
            "presence_scores": {"case_attributes": float_or_none(r["attribute_score"]),
                                "resource": float_or_none(r["resource_score"])},
            "predicted_by": r["predicted_by"], "verdict": r["verdict"], "evidence": evidence_in(r, lang),
        })
    return out


def model(con: duckdb.DuckDBPyConnection, log_name: str, *, run_id: str | None = None) -> dict | None:
    df = _read(con, "mining_models", log_name, run_id)
    if df.empty:
        return None
    r = df.iloc[0].to_dict()
    r["settings"] = json.loads(r["settings"])
    return r


def conformance(con: duckdb.DuckDBPyConnection, log_name: str, *, run_id: str | None = None) -> dict | None:
    df = _read(con, "mining_conformance", log_name, run_id)
    if df.empty:
        return None
    r = {k: (float_or_none(v) if isinstance(v, float) else v) for k, v in df.iloc[0].to_dict().items()}
    r["settings"] = json.loads(r["settings"])
    dev = _read(con, "mining_deviations", log_name, run_id, "cases_deviating DESC, activity")
    r["deviations"] = dev.to_dict("records")
    return r


def report_html(con: duckdb.DuckDBPyConnection, log_name: str, *, run_id: str | None = None) -> str | None:
    df = _read(con, "mining_reports", log_name, run_id)
    return None if df.empty else str(df.iloc[0]["html"])


def float_or_none(v: Any) -> float | None:
    """A stored number as a plain float, NULL and NaN as None (for JSON and for display)."""
    if v is None:
        return None
    try:
        f = float(v)
    except (TypeError, ValueError):
        return None
    return None if f != f else f


# --- export -----------------------------------------------------------------------------------


def export(con: duckdb.DuckDBPyConnection, log_name: str, out_dir: str | Path, *,
           run_id: str | None = None, insights: bool = True, lang: str = "nb") -> list[Path]:
    """Write bottlenecks.json, rework.json, needless_steps.json, handovers.csv, units.json,
    collaboration.json, model.pnml/.bpmn, process_map.dot, conformance.json and report.html of a run
    (the files its insight phases produced; `lang` names the merged small units in the handover files).

    `insights=False` writes the model files only, for a run that did not look for bottlenecks, rework
    or needless steps (the Spark engine): an empty list there would claim none were found."""
    from .results import _run
    rid = _run(con, log_name, run_id)
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []

    def dump(name: str, data: Any) -> None:
        path = out / name
        path.write_text(json.dumps(data, indent=2, ensure_ascii=False, default=str) + "\n", encoding="utf-8")
        written.append(path)

    if insights:
        dump("bottlenecks.json", bottlenecks(con, log_name, run_id=rid))
        contract = ("activities", "kind", "cases", "case_share", "hours_added", "evidence")
        dump("rework.json", [{k: r[k] for k in contract} for r in rework(con, log_name, run_id=rid)])
        dump("needless_steps.json", needless(con, log_name, run_id=rid))
        from .collaboration_results import export as export_collaboration
        written += export_collaboration(con, log_name, out, run_id=rid, lang=lang)
    m = model(con, log_name, run_id=rid)
    if m is not None:
        for name, key in (("model.pnml", "pnml"), ("model.bpmn", "bpmn"), ("process_map.dot", "dot")):
            if m.get(key):
                path = out / name
                path.write_text(m[key], encoding="utf-8")
                written.append(path)
    c = conformance(con, log_name, run_id=rid)
    if c is not None:
        dump("conformance.json", c)
    html = report_html(con, log_name, run_id=rid)
    if html is not None:
        path = out / "report.html"
        path.write_text(html, encoding="utf-8")
        written.append(path)
    return written
