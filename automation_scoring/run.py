"""Scoring a log: read with a short read-only connection, compute in memory, write one short transaction.

`score` ranks the candidates of a log and stores them as its latest scoring run; `train` fits the
supervised scoring model on a labels file, reports its grouped cross-validated quality, stores it with
the scikit-learn version, and scores with it (later `score` calls use the newest trained model of the
log). Neither holds the store's write lock while computing.
"""
from __future__ import annotations

import json
import logging
import os
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import duckdb
import numpy as np
import pandas as pd
import pyarrow as pa

from saksflyt.extractors import store
from saksflyt.extractors.errors import InputError, StoreError
from saksflyt.extractors.pseudonym import load_key, pseudonym
from saksflyt.extractors.small_csv import read_rows
from saksflyt.mining.calendar import NORWEGIAN, WorkCalendar
from saksflyt.mining.insights_results import LANGS
from saksflyt.mining.report import Text

from . import candidate, candidate_sources, decision_data, decisions, evidence, features, gains, ranking, results
from .estimator import FEATURES, CandidateScorer

log = logging.getLogger(__name__)

# progress(label, done, total), as in `mining.run`
Progress = Callable[[str, int, int], None]

LOAD_COLUMNS = "case_id, activity, ts_start, ts_end, ts_precision, event_seq, resource, resource_kind"
LABEL_COLUMNS = ("log", "candidate_id", "activities", "kind", "decision", "comment", "marked_at")
DECISIONS = ("accepted", "rejected", "needs_review")


@dataclass(frozen=True)
class ScoringOptions:
    """What a scoring run may be told (`saksflyt candidates` / `saksflyt mine` flags)."""

    hourly_cost: float = gains.DEFAULT_HOURLY_COST
    norms: dict[str, float] = field(default_factory=dict)   # activity → standard minutes (--norms)
    outcome_attrs: tuple[str, ...] = ()                     # never used to explain decisions
    external: tuple[str, ...] = ()                          # outside parties, as the user names them
    calendar: WorkCalendar = NORWEGIAN
    random_state: int = 0
    lang: str = "nb"                                        # language of reasons and assumptions

    def __post_init__(self) -> None:
        if not self.hourly_cost >= 0:
            raise InputError(f"--hourly-cost must be a number ≥ 0, got {self.hourly_cost}")
        if self.lang not in ("nb", "en"):
            raise InputError(f"--lang must be nb or en, got {self.lang}")


@dataclass(frozen=True)
class ScoringResult:
    log: str
    run_id: str
    run_seq: int
    candidates: list[dict[str, Any]]          # candidates.json
    summary: dict[str, Any]                   # candidates_summary.json
    model_kind: str
    model_id: str | None
    mining_run_id: str | None
    sources: dict[str, str]
    notes: tuple[str, ...]
    seconds: float


@dataclass(frozen=True)
class TrainingResult:
    model_id: str
    labels: int
    accepted: int
    rejected: int
    ignored: int
    cv_metric: str
    cv_score: float | None
    cv_accuracy: float | None
    cv_folds: int
    sklearn_version: str
    scoring: ScoringResult


@dataclass
class _Loaded:
    events: pa.Table
    attrs: pd.DataFrame
    mining_run_id: str | None
    end_activities: tuple[str, ...]
    insights_by_lang: dict[str, dict[str, list[dict[str, Any]] | None]]   # mining's, evidence in each language
    collaboration: dict[str, Any] | None   # mining's handovers and contacts (mining.handovers), None before
    model: dict[str, Any] | None
    resources: list[str]
    other_features: dict[str, dict[str, dict[str, float]]] = field(default_factory=dict)
    other_activities: dict[str, dict[str, list[str]]] = field(default_factory=dict)


# --- reading ----------------------------------------------------------------------------------


def _insights(con, log_name: str, run_id: str | None, lang: str) -> dict[str, list[dict[str, Any]] | None]:
    """Mining's stored insights of the run (evidence in `lang` where stored), each None when not stored (then
    computed here)."""
    out: dict[str, list[dict[str, Any]] | None] = {"needless": None, "rework": None, "bottlenecks": None}
    if run_id is None:
        return out
    try:
        from saksflyt.mining import insights_results
    except ImportError as exc:  # the insight phases are optional for scoring
        log.warning("mining insights unavailable: %s", exc)
        return out
    for name in out:
        try:
            rows = getattr(insights_results, name)(con, log_name, run_id=run_id, lang=lang)
        except (StoreError, duckdb.Error, KeyError) as exc:  # a missing table, column or field: "not stored"
            log.debug("mining %s not read: %s", name, exc)
            continue
        out[name] = rows or None
    return out


def _collaboration(con, log_name: str, run_id: str | None) -> dict[str, Any] | None:
    """Mining's handovers and contacts of the run (the same in every language), None when not stored."""
    if run_id is None:
        return None
    try:
        from saksflyt.mining import collaboration_results
        return collaboration_results.for_scoring(con, log_name, run_id=run_id)
    except (ImportError, StoreError, duckdb.Error, KeyError) as exc:
        log.debug("mining handovers not read: %s", exc)
        return None


def read_events(con: duckdb.DuckDBPyConnection, log_name: str) -> pa.Table:
    """The columns scoring needs of one log's events (the store is read once, into Arrow)."""
    return con.cursor().sql(f"SELECT {LOAD_COLUMNS} FROM events WHERE log = $log",
                            params={"log": log_name}).to_arrow_table()


def events_in_memory(events: pa.Table) -> duckdb.DuckDBPyConnection:
    """A fresh in-memory database holding `events` as `sc_events`, where `features.prepare` reads them."""
    con = store.memory()
    con.execute("SET enable_progress_bar = false")
    con.register("_sc_src", events)
    con.execute("CREATE TABLE sc_events AS SELECT * FROM _sc_src")
    con.unregister("_sc_src")
    return con


def _load(store_path: Path, log_name: str, *, label_logs: tuple[str, ...] = ()) -> _Loaded:
    from saksflyt.mining import results as mining_results

    with store.read(store_path) as con:
        tables = {r[0] for r in con.execute("SELECT table_name FROM duckdb_tables()").fetchall()}
        if "logs" not in tables:
            raise StoreError(f"{store_path}: no logs in this store yet")
        if not con.execute("SELECT count(*) FROM logs WHERE log = ?", [log_name]).fetchall()[0][0]:
            known = [r[0] for r in con.execute("SELECT log FROM logs ORDER BY log").fetchall()]
            raise StoreError(f"no log named '{log_name}' (logs: {', '.join(known) or 'none'})")
        events = read_events(con, log_name)
        attrs = con.cursor().sql("SELECT * EXCLUDE (log) FROM case_attributes WHERE log = $log",
                                 params={"log": log_name}).df()
        resources = [r[0] for r in con.execute(
            "SELECT DISTINCT resource FROM events WHERE log = ? AND resource IS NOT NULL", [log_name]).fetchall()]
        mining_run = mining_results.latest_run(con, log_name)
        ends: tuple[str, ...] = ()
        if mining_run is not None:
            rows = con.execute("SELECT end_activities FROM mining_runs WHERE log = ? AND run_id = ?",
                               [log_name, mining_run]).fetchall()
            ends = tuple(rows[0][0]) if rows and rows[0][0] else ()
        insights_by_lang = {lang: _insights(con, log_name, mining_run, lang) for lang in LANGS}
        collaboration = _collaboration(con, log_name, mining_run)
        model = results.latest_model(con, log_name)
        other_f: dict[str, dict[str, dict[str, float]]] = {}
        other_a: dict[str, dict[str, list[str]]] = {}
        for other in label_logs:
            if other == log_name:
                continue
            other_f[other] = results.candidate_features(con, other)
            other_a[other] = {c["candidate_id"]: c["activities"] for c in results.candidates(con, other)}
    return _Loaded(events=events, attrs=attrs, mining_run_id=mining_run, end_activities=ends,
                   insights_by_lang=insights_by_lang, collaboration=collaboration, model=model, resources=resources, other_features=other_f,
                   other_activities=other_a)


def match_external(stored: list[str], names: tuple[str, ...]) -> tuple[str, ...]:
    """Stored resource values for outside parties named as the user knows them (as written or pseudonymised)."""
    if not names:
        return ()
    have = set(stored)
    key = load_key()
    found: list[str] = []
    missing: list[str] = []
    for name in names:
        hits = sorted({name.strip(), pseudonym(name, key=key)} & have)
        found.extend(hits) if hits else missing.append(name)
    if missing:
        raise InputError(f"--external: no resource in this log matches {', '.join(repr(m) for m in missing)} "
                         "(check the spelling, and that SAKSFLYT_PSEUDONYM_KEY is the key used at ingest)")
    return tuple(dict.fromkeys(found))


# --- computing --------------------------------------------------------------------------------


@dataclass
class _Computed:
    candidates: list[candidate.Candidate]
    summary: dict[str, Any]
    feats: pd.DataFrame
    det: pd.DataFrame
    rules: list[decisions.DecisionRule]
    choice: decision_data.AttributeChoice
    span: features.LogSpan
    sources: dict[str, str]
    notes: list[str]
    end_activities: tuple[str, ...]
    by_lang: dict[str, list[candidate.Candidate]] = field(default_factory=dict)  # the candidates in each language


def _compute(data: _Loaded, options: ScoringOptions, report: Progress, total: int) -> _Computed:
    """Everything but the ranking: features, decisions, insights and unscored candidates."""
    con = events_in_memory(data.events)
    try:
        notes: list[str] = []
        report("features per activity", 1, total)
        external = match_external(data.resources, options.external)
        ends = data.end_activities
        if not ends:
            con.execute("CREATE OR REPLACE TEMP TABLE sc_base AS SELECT case_id, activity, event_seq, "
                        "epoch_us(ts_end) AS end_us FROM sc_events")
            ends = features.default_end_activities(con)
            notes.append("The log has not been mined: closed cases end with the most common end activities "
                         f"({', '.join(ends)}).")
        span = features.prepare(con, calendar=options.calendar, end_activities=ends, external=external)
        feats = features.activity_features(con, span, calendar=options.calendar, norms=options.norms)
        unknown = sorted(set(options.norms) - set(feats["activity"]))
        if unknown:
            notes.append(f"Standard times for activities not in this log were ignored: {', '.join(unknown)}.")
        report("decision mining", 2, total)
        decision_data.load_attributes(con, data.attrs)
        rules, choice, points = decisions.mine(con, outcome_attrs=options.outcome_attrs,
                                               random_state=options.random_state)
        report("evidence and candidates", 3, total)
        ins = data.insights_by_lang[options.lang]
        sources = {}
        rework = ins["rework"]
        sources["rework"] = "mining_rework" if rework is not None else "computed by automation_scoring.evidence"
        if rework is None:
            rework = evidence.rework_patterns(con)
        needless = ins["needless"]
        sources["needless"] = "mining_needless" if needless is not None else "computed by automation_scoring.evidence"
        if needless is None:
            needless = evidence.needless_steps(con, feats, choice, end_activities=ends, rework=rework,
                                               random_state=options.random_state)
        bottlenecks = ins["bottlenecks"]
        sources["bottlenecks"] = ("mining_bottlenecks" if bottlenecks is not None
                                  else "computed by automation_scoring.evidence")
        if bottlenecks is None:
            bottlenecks = evidence.queues(feats)
        built = {}
        for lang in LANGS:   # the run's language and the other one: the same candidates and numbers, in words
            stored = data.insights_by_lang.get(lang) or {}
            insights = candidate.Insights(needless=stored.get("needless") or needless,
                                        rework=stored.get("rework") or rework,
                                        bottlenecks=stored.get("bottlenecks") or bottlenecks, sources=sources,
                                        collaboration=data.collaboration)
            built[lang] = ranking.build(feats, rules, insights, years=span.years, cases=span.cases,
                                        hourly_cost=options.hourly_cost, points=points, lang=lang)
        cands, det, summary = built[options.lang]
        by_lang = {lang: b[0] for lang, b in built.items()}
        ev = {n["activity"]: candidate_sources.needless_evidence(n) for n in needless}
        feats = feats.assign(needless_evidence=feats["activity"].map(ev).fillna(0.0))
        feats = feats.merge(det.drop(columns=["rule", "branch_rules"]), on="activity", how="left")
    finally:
        con.close()
    return _Computed(candidates=cands, summary=summary, feats=feats, det=det, rules=rules, choice=choice, span=span,
                     sources=sources, notes=notes, end_activities=ends, by_lang=by_lang)


def _model_for(data: _Loaded) -> tuple[CandidateScorer | None, str | None, dict[str, str]]:
    """The stored model to score with (None: default weights) and what to call it, in each language."""
    default = {lang: Text(lang).tr("scoring_run.default_weights") for lang in LANGS}
    m = data.model
    if m is None:
        return None, None, default
    scorer: CandidateScorer = m["scorer"]
    if scorer.n_features_in_ != len(FEATURES):
        log.warning("the stored model %s has %d features, scoring has %d: using default weights",
                    m["model_id"], scorer.n_features_in_, len(FEATURES))
        return None, None, default
    created = m["created_at"].isoformat(timespec="seconds") if hasattr(m["created_at"], "isoformat") else m["created_at"]
    return scorer, m["model_id"], {lang: Text(lang).tr("scoring_run.model_trained_on",
                                                       labels=m['labels'], created=created)
                                   for lang in LANGS}


def _tables(c: _Computed, ranked: list[candidate.Candidate],
            by_lang: dict[str, list[candidate.Candidate]] | None = None) -> dict[str, pa.Table]:
    feats = c.feats.reindex(columns=list(results.FEATURE_COLUMNS))
    for col in ("top_predecessor", "top_successor"):
        feats[col] = feats[col].fillna("")
    num = [k for k in results.FEATURE_COLUMNS if k not in ("activity", "basis", "top_predecessor", "top_successor",
                                                              "wait_basis", "mandatory")]
    feats[num] = feats[num].astype("float64").fillna(0.0)
    rules = pd.DataFrame([{
        "decision_point": r.decision_point, "next_activity": r.next_activity, "decisions": r.decisions,
        "target_decisions": r.target_decisions, "cases": r.cases, "accuracy": r.accuracy, "baseline": r.baseline,
        "rule_based": r.rule_based, "rule": r.rule, "uses": list(r.uses), "covered": r.covered,
        "covered_correct": r.covered_correct} for r in c.rules],
        columns=["decision_point", "next_activity", "decisions", "target_decisions", "cases", "accuracy", "baseline",
                 "rule_based", "rule", "uses", "covered", "covered_correct"])
    rules_schema = pa.schema([
        ("decision_point", pa.string()), ("next_activity", pa.string()), ("decisions", pa.int64()),
        ("target_decisions", pa.int64()), ("cases", pa.int64()), ("accuracy", pa.float64()),
        ("baseline", pa.float64()), ("rule_based", pa.bool_()), ("rule", pa.string()),
        ("uses", pa.list_(pa.string())), ("covered", pa.int64()), ("covered_correct", pa.int64())])
    return {"scoring_features": pa.Table.from_pandas(feats, preserve_index=False),
            "scoring_decisions": pa.Table.from_pandas(rules, schema=rules_schema, preserve_index=False),
            "scoring_candidates": results.candidate_rows(ranked, by_lang)}


def _run_row(c: _Computed, *, data: _Loaded, options: ScoringOptions, model_kind: str, model_id: str | None,
             n: int) -> dict[str, Any]:
    import sklearn

    settings = {"norms": options.norms, "outcome_attrs": list(options.outcome_attrs),
                "external": list(options.external), "calendar": options.calendar.describe(),
                "attributes_used": list(c.choice.used), "attributes_excluded": c.choice.excluded,
                "end_activities": list(c.end_activities), "sources": c.sources, "notes": c.notes,
                "summary": c.summary, "lang": options.lang,
                "factors": {"automate": gains.AUTOMATE_FACTOR, "eliminate": gains.ELIMINATE_FACTOR,
                            "simplify": gains.SIMPLIFY_FACTOR, "unblock_queue": gains.UNBLOCK_QUEUE_FACTOR}}
    return {"created_at": datetime.now(timezone.utc), "mining_run_id": data.mining_run_id, "model_kind": model_kind,
            "model_id": model_id, "hourly_cost": options.hourly_cost, "years": c.span.years, "cases": c.span.cases,
            "closed_cases": c.span.closed_cases, "candidates": n, "sklearn_version": sklearn.__version__,
            "settings": json.dumps(settings, ensure_ascii=False, default=str)}


def score(*, store_path: str | os.PathLike[str] | None = None, log_name: str,
          options: ScoringOptions = ScoringOptions(), progress: Progress | None = None) -> ScoringResult:
    """Rank the candidates of a log and store them as its latest scoring run."""
    return _score_and_store(store_path=store_path, log_name=log_name, options=options, progress=progress)


def _score_and_store(*, store_path, log_name: str, options: ScoringOptions, progress: Progress | None,
                     trained: tuple[CandidateScorer, dict[str, Any]] | None = None,
                     loaded: _Loaded | None = None, computed: _Computed | None = None) -> ScoringResult:
    t0 = time.perf_counter()
    report = progress or (lambda _label, _done, _total: None)
    total = 5
    target = store.store_path(store_path)
    report("reading the log", 0, total)
    data = loaded or _load(target, log_name)
    c = computed or _compute(data, options, report, total)
    if trained is None:
        scorer, model_id, notes = _model_for(data)
    else:
        scorer, model_id = trained[0], trained[1]["model_id"]
        notes = {lang: Text(lang).tr("scoring_run.model_trained_just_now", labels=trained[1]['labels'])
                 for lang in LANGS}
    ranked_by_lang = {lang: ranking.rank(cands, scorer, model_note=notes[lang], lang=lang)[0]
                      for lang, cands in (c.by_lang or {options.lang: c.candidates}).items()}
    ranked = ranked_by_lang[options.lang]
    model_kind = "trained" if model_id else "default"
    run_id = uuid.uuid4().hex[:16]
    tables = _tables(c, ranked, ranked_by_lang)
    run_row = _run_row(c, data=data, options=options, model_kind=model_kind, model_id=model_id, n=len(ranked))
    report("writing results", 4, total)
    with store.write(target) as w:
        if trained is not None:
            results.write_model(w, log_name=log_name, scorer=trained[0], **trained[1])
        seq = results.write_run(w, log_name=log_name, run_id=run_id, run=run_row, tables=tables)
    report("done", total, total)
    return ScoringResult(log=log_name, run_id=run_id, run_seq=seq, candidates=[x.contract() for x in ranked],
                         summary=c.summary,
                         model_kind=model_kind, model_id=model_id, mining_run_id=data.mining_run_id,
                         sources=c.sources, notes=tuple(c.notes), seconds=time.perf_counter() - t0)


# --- training ---------------------------------------------------------------------------------


def read_labels(path: str | Path) -> pd.DataFrame:
    """The unit's labels: `log, candidate_id, activities, kind, decision, comment, marked_at` (`,` or `;`)."""
    path = Path(path)
    rows = read_rows(path, "labels")
    header = [h.strip() for h in rows[0]] if rows else []
    missing = [c for c in LABEL_COLUMNS if c not in header]
    if missing:
        raise InputError(f"missing columns: {', '.join(missing)} (expected {', '.join(LABEL_COLUMNS)})", file=str(path))
    out = []
    for i, values in enumerate(rows[1:], start=2):
        if not values:
            continue
        values = values + [""] * (len(header) - len(values))
        row = {k: v.strip() for k, v in zip(header, values) if k}
        if row["decision"] not in DECISIONS:
            raise InputError(f"decision '{row['decision']}' is not one of {', '.join(DECISIONS)}", file=str(path),
                             where=f"row {i}")
        if not row["log"] or not row["candidate_id"]:
            raise InputError("log and candidate_id are required", file=str(path), where=f"row {i}")
        out.append(row)
    df = pd.DataFrame(out, columns=list(LABEL_COLUMNS))
    # the newest mark of a candidate wins (by marked_at, then by row order)
    df["_order"] = range(len(df))
    df = df.sort_values(["marked_at", "_order"]).drop_duplicates(["log", "candidate_id"], keep="last")
    return df.sort_values("_order").drop(columns="_order").reset_index(drop=True)


def _cv(X: pd.DataFrame, y: np.ndarray, groups: np.ndarray, random_state: int) -> tuple[float | None, float | None, int]:
    """Out-of-fold scores with folds grouped by (log, step): ROC AUC and accuracy at 0.5."""
    from sklearn.metrics import roc_auc_score
    from sklearn.model_selection import StratifiedGroupKFold

    n_groups = len(np.unique(groups))
    folds = min(5, n_groups, int(min(y.sum(), (1 - y).sum())) if n_groups > 1 else 1)
    if folds < 2:
        return None, None, 0
    oof = np.zeros(len(y))
    cv = StratifiedGroupKFold(n_splits=folds, shuffle=True, random_state=random_state)
    for train_idx, test_idx in cv.split(X, y, groups):
        if len(np.unique(y[train_idx])) < 2:
            oof[test_idx] = y[train_idx].mean()
            continue
        oof[test_idx] = CandidateScorer().fit(X.iloc[train_idx], y[train_idx]).score_samples(X.iloc[test_idx])
    auc = float(roc_auc_score(y, oof)) if len(np.unique(y)) == 2 else None
    return auc, float(((oof >= 0.5) == (y == 1)).mean()), folds


def train(*, store_path: str | os.PathLike[str] | None = None, log_name: str, labels_path: str | Path,
          options: ScoringOptions = ScoringOptions(), progress: Progress | None = None) -> TrainingResult:
    """Fit the supervised scoring model on labelled candidates, store it, and score the log with it."""
    import sklearn

    labels = read_labels(labels_path)
    used = labels[labels["decision"] != "needs_review"]
    report = progress or (lambda _label, _done, _total: None)
    target = store.store_path(store_path)
    report("reading the log", 0, 5)
    data = _load(target, log_name, label_logs=tuple(sorted(set(used["log"]))))
    c = _compute(data, options, report, 5)
    here = {x.candidate_id: (x.features, list(x.activities)) for x in c.candidates}
    rows, y, groups = [], [], []
    ignored = 0
    for r in used.itertuples(index=False):
        if r.log == log_name:
            hit = here.get(r.candidate_id)
        else:
            f = data.other_features.get(r.log, {}).get(r.candidate_id)
            hit = (f, data.other_activities.get(r.log, {}).get(r.candidate_id, [])) if f else None
        if hit is None:
            ignored += 1
            continue
        rows.append([float(hit[0].get(k, 0.0)) for k in FEATURES])
        y.append(1 if r.decision == "accepted" else 0)
        groups.append(f"{r.log}\x1f{hit[1][0] if hit[1] else r.candidate_id}")
    if ignored:
        log.warning("%d labels name candidates not found in the latest scoring of their log; ignored", ignored)
    y_arr = np.array(y, dtype=int)
    if len(y_arr) == 0 or y_arr.min() == y_arr.max():
        raise InputError("training needs at least one accepted and one rejected candidate that exist "
                         f"(found {int(y_arr.sum())} accepted, {int(len(y_arr) - y_arr.sum())} rejected)",
                         file=str(labels_path))
    X = pd.DataFrame(rows, columns=list(FEATURES))
    auc, acc, folds = _cv(X, y_arr, np.array(groups), options.random_state)
    scorer = CandidateScorer().fit(X, y_arr)
    model_id = uuid.uuid4().hex[:12]
    model_row = {"model_id": model_id, "sklearn_version": sklearn.__version__, "labels": int(len(y_arr)),
                 "accepted": int(y_arr.sum()), "rejected": int(len(y_arr) - y_arr.sum()), "cv_metric": "roc_auc",
                 "cv_score": auc, "cv_folds": folds}
    scoring = _score_and_store(store_path=target, log_name=log_name, options=options, progress=progress,
                               trained=(scorer, model_row), loaded=data, computed=c)
    return TrainingResult(model_id=model_id, labels=int(len(y_arr)), accepted=int(y_arr.sum()),
                          rejected=int(len(y_arr) - y_arr.sum()), ignored=ignored, cv_metric="roc_auc",
                          cv_score=auc, cv_accuracy=acc, cv_folds=folds, sklearn_version=sklearn.__version__,
                          scoring=scoring)
