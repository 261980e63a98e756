"""The scoring package's tables in the store (DDL), writing a run, reading the latest, exporting, models.

Every table has a `log` column, so `saksflyt drop --log` removes a log's scores with its events. Runs
are keyed by (`log`, `run_id`); the latest run of a log (highest `run_seq`) is what readers use, and
only the `KEEP_RUNS` latest runs are kept.

scoring_runs — one row per run
    log, run_id, run_seq, created_at, mining_run_id (the mining run read, or NULL), model_kind
    ('default' | 'trained'), model_id, hourly_cost, years (span used to annualise), cases, closed_cases,
    candidates, sklearn_version, settings JSON (norms, outcome attributes, attribute choice, sources)
scoring_features — one row per activity: the features of `automation_scoring.features` (basis
    `measured`, `norm`, `estimated_availability`, `instant` or `unknown`; `estimated` in runs before v2) plus
    needless_evidence, presence_judgement, output_judgement, judgement, rule_determinism
scoring_decisions — one row per (decision point, next activity) of decision mining
    decision_point, next_activity, decisions, target_decisions, cases, accuracy (grouped CV), baseline,
    rule_based, rule (plain words), uses VARCHAR[], covered, covered_correct
scoring_candidates — one row per candidate: the candidates.json fields, plus `features` JSON (the
    scoring model's inputs), `texts` JSON (reasons, assumptions and rule in nb and en; NULL before v3) and
    `source` (the rule that made it, e.g. `handovers` for a bounce between units; NULL before v4)
scoring_models — one row per trained model
    log, model_id, created_at, sklearn_version, labels, accepted, rejected, cv_metric, cv_score,
    cv_folds, feature_names VARCHAR[], state JSON (the fitted estimator as plain numbers, no pickle)
"""
from __future__ import annotations

import json
import math
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Any

import duckdb
import pandas as pd
import pyarrow as pa

from saksflyt.extractors import store

if TYPE_CHECKING:  # imported lazily: the CLI registers these tables without loading scikit-learn
    from .estimator import CandidateScorer
    from .candidate import Candidate

KEEP_RUNS = 5
CSV_SEPARATOR = " | "
ACTIVITY_SEPARATOR = " → "

_V1 = """
CREATE TABLE scoring_runs (
    log VARCHAR NOT NULL, run_id VARCHAR NOT NULL, run_seq INTEGER NOT NULL,
    created_at TIMESTAMPTZ NOT NULL, mining_run_id VARCHAR,
    model_kind VARCHAR NOT NULL CHECK (model_kind IN ('default', 'trained')), model_id VARCHAR,
    hourly_cost DOUBLE NOT NULL, years DOUBLE NOT NULL, cases BIGINT NOT NULL, closed_cases BIGINT NOT NULL,
    candidates BIGINT NOT NULL, sklearn_version VARCHAR NOT NULL, settings JSON NOT NULL
);
CREATE TABLE scoring_features (
    log VARCHAR NOT NULL, run_id VARCHAR NOT NULL, activity VARCHAR NOT NULL,
    events BIGINT NOT NULL, cases BIGINT NOT NULL, case_share DOUBLE NOT NULL, events_per_year DOUBLE NOT NULL,
    cases_per_year DOUBLE NOT NULL, staff_events BIGINT NOT NULL, person_share DOUBLE NOT NULL,
    system_share DOUBLE NOT NULL, external_share DOUBLE NOT NULL,
    basis VARCHAR NOT NULL CHECK (basis IN ('measured', 'norm', 'estimated')),
    mean_processing_hours DOUBLE NOT NULL, processing_hours_per_year DOUBLE NOT NULL,
    duration_variability DOUBLE NOT NULL, top_predecessor VARCHAR NOT NULL, predecessor_variability DOUBLE NOT NULL,
    top_successor VARCHAR NOT NULL, successor_variability DOUBLE NOT NULL, rework_share DOUBLE NOT NULL,
    wait_basis VARCHAR NOT NULL CHECK (wait_basis IN ('measured', 'between_completions')),
    waiting_hours_per_year DOUBLE NOT NULL, handover_share DOUBLE NOT NULL, mandatory BOOLEAN NOT NULL,
    needless_evidence DOUBLE NOT NULL, presence_judgement DOUBLE NOT NULL, output_judgement DOUBLE NOT NULL,
    judgement DOUBLE NOT NULL, rule_determinism DOUBLE NOT NULL
);
CREATE TABLE scoring_decisions (
    log VARCHAR NOT NULL, run_id VARCHAR NOT NULL,
    decision_point VARCHAR NOT NULL, next_activity VARCHAR NOT NULL, decisions BIGINT NOT NULL,
    target_decisions BIGINT NOT NULL, cases BIGINT NOT NULL, accuracy DOUBLE, baseline DOUBLE NOT NULL,
    rule_based BOOLEAN NOT NULL, rule VARCHAR, uses VARCHAR[] NOT NULL, covered BIGINT NOT NULL,
    covered_correct BIGINT NOT NULL
);
CREATE TABLE scoring_candidates (
    log VARCHAR NOT NULL, run_id VARCHAR NOT NULL,
    candidate_id VARCHAR NOT NULL, rank INTEGER NOT NULL,
    kind VARCHAR NOT NULL CHECK (kind IN ('eliminate', 'simplify', 'automate', 'unblock')),
    activities VARCHAR[] NOT NULL, score DOUBLE NOT NULL CHECK (score BETWEEN 0 AND 1),
    reasons VARCHAR[] NOT NULL, rule VARCHAR, basis VARCHAR NOT NULL,
    hours_saved_per_year DOUBLE NOT NULL, nok_saved_per_year DOUBLE NOT NULL,
    quality_cases_per_year DOUBLE NOT NULL, cases_affected_per_year DOUBLE NOT NULL,
    assumptions VARCHAR[] NOT NULL, features JSON NOT NULL
);
CREATE TABLE scoring_models (
    log VARCHAR NOT NULL, model_id VARCHAR NOT NULL, created_at TIMESTAMPTZ NOT NULL,
    sklearn_version VARCHAR NOT NULL, labels BIGINT NOT NULL, accepted BIGINT NOT NULL, rejected BIGINT NOT NULL,
    cv_metric VARCHAR NOT NULL, cv_score DOUBLE, cv_folds INTEGER NOT NULL, feature_names VARCHAR[] NOT NULL,
    state JSON NOT NULL
);
"""

store.register("automation_scoring", 1, "automation scoring: runs, features, decisions, candidates, models", _V1)

# v2: processing-time bases `estimated_availability` and `unknown` (earlier runs keep `estimated`), the
# share of events done in batches and the staff hours redone in loops
_V2 = """
ALTER TABLE scoring_features RENAME TO scoring_features_v1;
CREATE TABLE scoring_features (
    log VARCHAR NOT NULL, run_id VARCHAR NOT NULL, activity VARCHAR NOT NULL,
    events BIGINT NOT NULL, cases BIGINT NOT NULL, case_share DOUBLE NOT NULL, events_per_year DOUBLE NOT NULL,
    cases_per_year DOUBLE NOT NULL, staff_events BIGINT NOT NULL, person_share DOUBLE NOT NULL,
    system_share DOUBLE NOT NULL, external_share DOUBLE NOT NULL,
    basis VARCHAR NOT NULL CHECK (basis IN ('measured', 'norm', 'estimated_availability', 'instant', 'unknown',
                                            'estimated')),
    mean_processing_hours DOUBLE NOT NULL, processing_hours_per_year DOUBLE NOT NULL,
    duration_variability DOUBLE NOT NULL, top_predecessor VARCHAR NOT NULL, predecessor_variability DOUBLE NOT NULL,
    top_successor VARCHAR NOT NULL, successor_variability DOUBLE NOT NULL, rework_share DOUBLE NOT NULL,
    wait_basis VARCHAR NOT NULL CHECK (wait_basis IN ('measured', 'between_completions')),
    waiting_hours_per_year DOUBLE NOT NULL, handover_share DOUBLE NOT NULL, mandatory BOOLEAN NOT NULL,
    needless_evidence DOUBLE NOT NULL, presence_judgement DOUBLE NOT NULL, output_judgement DOUBLE NOT NULL,
    judgement DOUBLE NOT NULL, rule_determinism DOUBLE NOT NULL,
    unknown_share DOUBLE NOT NULL DEFAULT 0, batch_share DOUBLE NOT NULL DEFAULT 0,
    redone_hours_per_year DOUBLE NOT NULL DEFAULT 0
);
INSERT INTO scoring_features BY NAME SELECT * FROM scoring_features_v1;
DROP TABLE scoring_features_v1;
"""
store.register("automation_scoring", 2, "scoring features: availability-estimated and unknown bases, batches, "
               "redone hours", _V2)

# v3: each candidate's reasons, assumptions and rule in both languages ({"nb": {...}, "en": {...}}), so the
# explorer shows them in the page's language; `reasons` etc. stay in the run's language. NULL before.
store.register("automation_scoring", 3, "candidate texts in both languages (texts)",
               "ALTER TABLE scoring_candidates ADD COLUMN texts JSON;")

# v4: which rule made each candidate (ranking's `source`: simplify, decision, eliminate, automate, unblock,
# handovers, units, voices), so a simulation can tell a loop from a bounce between units. NULL before.
store.register("automation_scoring", 4, "which rule made each candidate (source)",
               "ALTER TABLE scoring_candidates ADD COLUMN source VARCHAR;")

RUN_TABLES = ("scoring_features", "scoring_decisions", "scoring_candidates")
FEATURE_COLUMNS = (
    "activity", "events", "cases", "case_share", "events_per_year", "cases_per_year", "staff_events",
    "person_share", "system_share", "external_share", "basis", "mean_processing_hours",
    "processing_hours_per_year", "duration_variability", "top_predecessor", "predecessor_variability",
    "top_successor", "successor_variability", "rework_share", "wait_basis", "waiting_hours_per_year",
    "handover_share", "mandatory", "needless_evidence", "presence_judgement", "output_judgement", "judgement",
    "rule_determinism", "unknown_share", "batch_share", "redone_hours_per_year")
CSV_COLUMNS = ("candidate_id", "rank", "kind", "activities", "score", "reasons", "rule", "basis",
               "hours_saved_per_year", "nok_saved_per_year", "quality_cases_per_year", "cases_affected_per_year",
               "assumptions")


def _tables_exist(con: duckdb.DuckDBPyConnection) -> bool:
    return bool(con.execute("SELECT count(*) FROM duckdb_tables() WHERE table_name = 'scoring_runs' "
                            "AND database_name = current_database()").fetchall()[0][0])


# --- writing ----------------------------------------------------------------------------------


def candidate_rows(candidates: list[Candidate], by_lang: dict[str, list[Candidate]] | None = None) -> pa.Table:
    """The stored rows; `by_lang` holds the same ranking made in each language (matched by candidate id)."""
    texts: dict[str, dict[str, dict[str, Any]]] = {}
    for lang, ranked in (by_lang or {}).items():
        for c in ranked:
            texts.setdefault(c.candidate_id, {})[lang] = {"reasons": list(c.reasons),
                                                          "assumptions": list(c.assumptions), "rule": c.rule}
    rows = [{**c.contract(), "features": json.dumps(c.features),
             "texts": json.dumps(texts[c.candidate_id], ensure_ascii=False) if c.candidate_id in texts else None,
             "source": c.source or c.kind}
            for c in candidates]
    schema = pa.schema([
        ("candidate_id", pa.string()), ("rank", pa.int32()), ("kind", pa.string()),
        ("activities", pa.list_(pa.string())), ("score", pa.float64()), ("reasons", pa.list_(pa.string())),
        ("rule", pa.string()), ("basis", pa.string()), ("hours_saved_per_year", pa.float64()),
        ("nok_saved_per_year", pa.float64()), ("quality_cases_per_year", pa.float64()),
        ("cases_affected_per_year", pa.float64()), ("assumptions", pa.list_(pa.string())), ("features", pa.string()),
        ("texts", pa.string()), ("source", pa.string())])
    return pa.Table.from_pylist(rows, schema=schema)


def write_run(con: duckdb.DuckDBPyConnection, *, log_name: str, run_id: str, run: dict[str, Any],
              tables: dict[str, pa.Table]) -> int:
    """Insert one run inside the caller's write transaction, drop runs beyond `KEEP_RUNS`; returns run_seq."""
    (seq,) = con.execute("SELECT coalesce(max(run_seq), 0) + 1 FROM scoring_runs WHERE log = ?",
                         [log_name]).fetchall()[0]
    row = {**run, "log": log_name, "run_id": run_id, "run_seq": seq}
    cols = list(row)
    con.execute(f"INSERT INTO scoring_runs ({', '.join(cols)}) VALUES ({', '.join('?' * len(cols))})",
                [row[c] for c in cols])
    for name, table in tables.items():
        if name not in RUN_TABLES:
            raise ValueError(f"not a scoring run table: {name}")
        con.register("_sc_in", table)
        try:
            con.execute(f"INSERT INTO {name} BY NAME SELECT ? AS log, ? AS run_id, * FROM _sc_in", [log_name, run_id])
        finally:
            con.unregister("_sc_in")
    old = [r[0] for r in con.execute("SELECT run_id FROM scoring_runs WHERE log = ? ORDER BY run_seq DESC OFFSET ?",
                                     [log_name, KEEP_RUNS]).fetchall()]
    for rid in old:
        for t in ("scoring_runs", *RUN_TABLES):
            con.execute(f"DELETE FROM {t} WHERE log = ? AND run_id = ?", [log_name, rid])
    return seq


# --- reading ----------------------------------------------------------------------------------


def latest_run(con: duckdb.DuckDBPyConnection, log_name: str) -> str | None:
    if not _tables_exist(con):
        return None
    rows = con.execute("SELECT run_id FROM scoring_runs WHERE log = ? ORDER BY run_seq DESC LIMIT 1",
                       [log_name]).fetchall()
    return rows[0][0] if rows else None


def _num(v: Any) -> Any:
    return None if isinstance(v, float) and math.isnan(v) else v


def candidates(con: duckdb.DuckDBPyConnection, log_name: str, *, run_id: str | None = None,
               lang: str | None = None, source: bool = False) -> list[dict[str, Any]]:
    """candidates.json of a run (the latest by default), in rank order; [] if the log was never scored.

    With `lang`, reasons, assumptions and rule are in that language where the run stored both; with
    `source`, each entry also says which rule made it (None for runs before v4)."""
    run_id = run_id or latest_run(con, log_name)
    if run_id is None:
        return []
    df = con.execute("SELECT * EXCLUDE (log, run_id, features) FROM scoring_candidates WHERE log = ? AND run_id = ? "
                     "ORDER BY rank", [log_name, run_id]).df()
    out = []
    for r in df.to_dict("records"):
        texts = r.get("texts")
        if lang and isinstance(texts, str) and lang in (found := json.loads(texts)):
            r.update(found[lang])
        out.append({"candidate_id": r["candidate_id"], "rank": int(r["rank"]), "kind": r["kind"],
                    "activities": list(r["activities"]), "score": float(r["score"]), "reasons": list(r["reasons"]),
                    "rule": r["rule"] if isinstance(r["rule"], str) else None, "basis": r["basis"],
                    "hours_saved_per_year": float(r["hours_saved_per_year"]),
                    "nok_saved_per_year": float(r["nok_saved_per_year"]),
                    "quality_cases_per_year": float(r["quality_cases_per_year"]),
                    "cases_affected_per_year": float(r["cases_affected_per_year"]),
                    "assumptions": list(r["assumptions"]),
                    **({"source": r["source"] if isinstance(r.get("source"), str) else None} if source else {})})
    return out


def candidate_features(con: duckdb.DuckDBPyConnection, log_name: str) -> dict[str, dict[str, float]]:
    """The latest run's scoring-model inputs per candidate_id (to train on labels of other logs)."""
    run_id = latest_run(con, log_name)
    if run_id is None:
        return {}
    rows = con.execute("SELECT candidate_id, features FROM scoring_candidates WHERE log = ? AND run_id = ?",
                       [log_name, run_id]).fetchall()
    return {cid: json.loads(f) for cid, f in rows}


def features(con: duckdb.DuckDBPyConnection, log_name: str, *, run_id: str | None = None) -> pd.DataFrame:
    run_id = run_id or latest_run(con, log_name)
    return con.execute("SELECT * EXCLUDE (log, run_id) FROM scoring_features WHERE log = ? AND run_id = ? "
                       "ORDER BY events DESC, activity", [log_name, run_id]).df()


def decisions(con: duckdb.DuckDBPyConnection, log_name: str, *, run_id: str | None = None) -> pd.DataFrame:
    run_id = run_id or latest_run(con, log_name)
    return con.execute("SELECT * EXCLUDE (log, run_id) FROM scoring_decisions WHERE log = ? AND run_id = ? "
                       "ORDER BY decision_point, target_decisions DESC, next_activity", [log_name, run_id]).df()


# --- models -----------------------------------------------------------------------------------


def write_model(con: duckdb.DuckDBPyConnection, *, log_name: str, model_id: str, scorer: CandidateScorer,
                sklearn_version: str, labels: int, accepted: int, rejected: int, cv_metric: str,
                cv_score: float | None, cv_folds: int) -> None:
    state = scorer.to_state()
    con.execute("""
        INSERT INTO scoring_models (log, model_id, created_at, sklearn_version, labels, accepted, rejected, cv_metric,
                                    cv_score, cv_folds, feature_names, state)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
    """, [log_name, model_id, datetime.now(timezone.utc), sklearn_version, labels, accepted, rejected, cv_metric,
          cv_score, cv_folds, state["feature_names_in"], json.dumps(state)])


def latest_model(con: duckdb.DuckDBPyConnection, log_name: str) -> dict[str, Any] | None:
    """The newest trained model of a log: its row with `scorer` rebuilt, or None."""
    if not _tables_exist(con):
        return None
    cur = con.execute("SELECT * FROM scoring_models WHERE log = ? ORDER BY created_at DESC, model_id LIMIT 1",
                      [log_name])
    rows = cur.fetchall()
    if not rows:
        return None
    row = rows[0]
    from .estimator import CandidateScorer

    out = dict(zip([d[0] for d in cur.description], row))
    out["scorer"] = CandidateScorer.from_state(json.loads(out["state"]))
    return out


# --- export -----------------------------------------------------------------------------------


def flatten(items: list[dict[str, Any]]) -> pd.DataFrame:
    """candidates.csv: the JSON fields, lists joined (activities by ' → ', sentences by ' | ')."""
    rows = []
    for c in items:
        rows.append({**{k: c[k] for k in CSV_COLUMNS},
                     "activities": ACTIVITY_SEPARATOR.join(c["activities"]),
                     "reasons": CSV_SEPARATOR.join(c["reasons"]),
                     "assumptions": CSV_SEPARATOR.join(c["assumptions"])})
    return pd.DataFrame(rows, columns=list(CSV_COLUMNS))


def export(items: list[dict[str, Any]], out_dir: str | Path, *, summary: dict[str, Any] | None = None) -> list[Path]:
    """Write candidates.json and candidates.csv (and candidates_summary.json when given) into `out_dir`."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    js = out / "candidates.json"
    js.write_text(json.dumps(items, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    cs = out / "candidates.csv"
    flatten(items).to_csv(cs, index=False)
    files = [js, cs]
    if summary is not None:
        sm = out / "candidates_summary.json"
        sm.write_text(json.dumps(summary, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
        files.append(sm)
    return files


def summary(con: duckdb.DuckDBPyConnection, log_name: str, *, run_id: str | None = None) -> dict[str, Any] | None:
    """candidates_summary.json of a scoring run (None for runs from before it was kept)."""
    rid = run_id or latest_run(con, log_name)
    if rid is None:
        return None
    rows = con.execute("SELECT settings FROM scoring_runs WHERE log = ? AND run_id = ?", [log_name, rid]).fetchall()
    if not rows:
        return None
    return json.loads(rows[0][0]).get("summary")
