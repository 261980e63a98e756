"""`saksflyt monitor`: the legal clock of every case, predictions for open cases, and the at-risk list.

One call reads the log as known at `as_of` (`monitor_load`), keeps the clock (`deadline_clock`),
evaluates the models on a strict temporal split (train on cases decided before a cut, test on the
cases open at the cut; `evaluate_split`), trains again on everything decided by `as_of`, predicts the
open cases, ranks them by expected cost and says why (`reasons`). Writing is one short transaction.
"""
from __future__ import annotations

import json
import logging
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

import duckdb
import numpy as np
import pandas as pd

from saksflyt.extractors import store
from saksflyt.extractors.sql_text import literal

from . import case_prediction as cp
from . import deadline_clock, deadline_rules, monitor_load, monitor_results, stats
from .calendar import NORWEGIAN, WorkCalendar
from .deadline_rules import DeadlineConfig
from .insights_results import LANGS
from .report import Text

log = logging.getLogger(__name__)
Progress = Callable[[str, int, int], None]

MIN_TRAIN_CASES = 50
MIN_TEST_CASES = 20
TRAIN_SHARE = 0.7
TEST_HORIZON_QUANTILE = 0.8
DRIFT_CANDIDATES = ("wip", "queue", "recent_step_days", "recent_remaining_days")
DRIFT_SHARE = 0.1
MAX_TRAIN_OBSERVATIONS = 200_000  # whole cases sampled beyond this (prediction_models.MAX_TRAIN_ROWS)
MAX_TEST_OBSERVATIONS = 100_000
MEMORY_LIMIT = "1GB"  # DuckDB's share: the feature tables of a million events fit, and spill if not
RISK_FEATURES = ("queue", "wip", "since_last_days", "paused_days", "in_pause", "repeats", "prev_aid",
                 "days_to_batch")
RISK_STEP = 0.05


@dataclass(frozen=True)
class MonitorOptions:
    config: DeadlineConfig = DeadlineConfig()
    as_of: datetime | None = None
    calendar: WorkCalendar = NORWEGIAN
    outcome_attrs: tuple[str, ...] = ()
    lang: str = "nb"
    random_state: int = 0
    max_iter: int = 200
    split: str = "temporal"  # "shuffled": cases split at random, only for the test that proves the split matters
    evaluate: bool = True


@dataclass(frozen=True)
class MonitorResult:
    log: str
    run_id: str
    as_of: datetime
    status: pd.DataFrame
    open_cases: pd.DataFrame
    evaluation: dict[str, Any] | None
    history: dict[str, Any]
    message: str | None
    settings: dict[str, Any]
    seconds: dict[str, float] = field(default_factory=dict)
    run_seq: int | None = None

    @property
    def trained(self) -> bool:
        return self.message is None


def _settings(config: DeadlineConfig, stop: tuple[str, ...], zone: str) -> dict[str, Any]:
    d = config.deadline
    out: dict[str, Any] = {"zone": zone, "stop": list(stop)}
    if d is not None:
        out |= {"clock_start": d.clock_start, "pauses": [list(p) for p in d.pauses], "days": d.days,
                "rules": [{"if": {k: list(v) for k, v in r.when}, "days": r.days} for r in d.rules],
                "extensions": {"activity": d.extension_activity, "days_attribute": d.extension_days_attribute}
                if d.extension_activity else None,
                "refund_per_started_week": d.refund_per_started_week, "fee": d.fee, "fee_attribute": d.fee_attribute}
    out["within"] = [{"name": w.name, "from": w.start, "to": list(w.to), "days": w.days} for w in config.within]
    return out


def _stop_activities(con: duckdb.DuckDBPyConnection, config: DeadlineConfig) -> tuple[str, ...]:
    """The configured stop, or the log's common end activities (as `mine` decides when a case is closed)."""
    if config.deadline is not None and config.deadline.stop:
        return config.deadline.stop
    ends = con.execute("""
        WITH last AS (SELECT cid, arg_max(aid, (end_us, event_seq)) AS aid FROM events_in GROUP BY cid)
        SELECT a.activity, count(*) AS n FROM last JOIN act_dict a USING (aid) GROUP BY a.activity
        ORDER BY n DESC, a.activity
    """).fetchall()
    return stats.most_common_ends(ends, stats.DEFAULT_END_COVERAGE)


def _observations(con: duckdb.DuckDBPyConnection, spec: cp.FeatureSpec, table: str, cids: np.ndarray | None,
                  *, zone: str, where: str = "", with_labels: bool = True, max_rows: int | None = None,
                  random_state: int = 0) -> pd.DataFrame:
    """Features of the observations in `table` of the cases `cids`; with `max_rows`, of a random sample of
    whole cases holding about that many observations (a million-event log need not all pass through
    pandas to train a model that sees 200,000 rows anyway)."""
    if cids is not None and max_rows is not None:
        con.register("_cids", pd.DataFrame({"cid": cids}))
        counts = con.execute(f"SELECT cid, count(*) AS n FROM {table} WHERE cid IN (SELECT cid FROM _cids) "
                             "GROUP BY cid ORDER BY cid").df()
        con.unregister("_cids")
        if counts["n"].sum() > max_rows:
            order = np.random.default_rng(random_state).permutation(len(counts))
            keep = order[np.cumsum(counts["n"].to_numpy()[order]) <= max_rows]
            cids = counts["cid"].to_numpy()[np.sort(keep)]
    if cids is not None:
        con.register("_cids", pd.DataFrame({"cid": cids}))
        con.execute(f"CREATE OR REPLACE TABLE _obs_sel AS SELECT * FROM {table} WHERE cid IN (SELECT cid FROM _cids)"
                    f"{' AND ' + where if where else ''}")
        con.unregister("_cids")
        table = "_obs_sel"
    return cp.features(con, spec, table, zone=zone, with_labels=with_labels)


def drifted_features(train: pd.DataFrame, later: pd.DataFrame, spec: cp.FeatureSpec) -> list[str]:
    """Workload features whose values when predicting lie outside the training's 1–99 % range for more
    than a tenth of the rows. Trees cannot extrapolate: a count of open cases that only grows (a log
    whose cases are never closed) would map every later case to the latest training leaf. The features
    are known at prediction time (no labels), so leaving them out is no peek at the outcome."""
    out = []
    for col in [c for c in spec.columns() if c in DRIFT_CANDIDATES or c.startswith("into_")]:
        values = pd.to_numeric(train[col], errors="coerce").dropna()
        now = pd.to_numeric(later[col], errors="coerce").dropna()
        if values.empty or now.empty:
            continue
        lo, hi = values.quantile([0.01, 0.99])
        if ((now < lo) | (now > hi)).mean() > DRIFT_SHARE:
            out.append(col)
    return out


def split_cases(con: duckdb.DuckDBPyConnection, as_of_us: int, *, mode: str = "temporal",
                random_state: int = 0) -> dict[str, Any]:
    """The evaluation split. Temporal: train on the cases decided before the cut (where 70 % of the
    decisions lie behind); test on the cases decided after it, observed only after the cut. Cases that
    started too close to the log's end to have been decided if they were long (later than `as_of` minus
    the 80th-percentile case duration) are dropped, with the still-open ones (censored: their outcome is
    unknown), so the test is not a sample of the quick cases (Weytjens & De Weerdt 2022)."""
    rows = con.execute("SELECT cid, start_us, decided_us FROM dl_status WHERE closed ORDER BY cid").df()
    if rows.empty:
        return {"cut_us": None, "train": np.array([], dtype=np.int64), "test": np.array([], dtype=np.int64),
                "censored": 0}
    if mode == "shuffled":
        rng = np.random.default_rng(random_state)
        order = rng.permutation(len(rows))
        n_train = int(TRAIN_SHARE * len(rows))
        return {"cut_us": None, "train": rows["cid"].to_numpy()[order[:n_train]],
                "test": rows["cid"].to_numpy()[order[n_train:]], "censored": 0}
    duration = (rows["decided_us"] - rows["start_us"]).quantile(TEST_HORIZON_QUANTILE)
    cut = int(rows["decided_us"].quantile(TRAIN_SHARE))
    horizon = as_of_us - duration
    train = rows.loc[rows["decided_us"] <= cut, "cid"].to_numpy()
    test = rows.loc[(rows["decided_us"] > cut) & (rows["start_us"] <= horizon), "cid"].to_numpy()
    censored = con.execute("SELECT count(*) FROM dl_status WHERE NOT closed AND start_us <= ?",
                           [int(horizon)]).fetchall()[0][0]
    return {"cut_us": cut, "train": train, "test": test, "censored": int(censored)}


def evaluate_split(con: duckdb.DuckDBPyConnection, *, split: dict[str, Any], options: MonitorOptions,
                   zone: str) -> dict[str, Any] | None:
    """Fit on the split's training cases, predict its test observations, report (None if too few cases)."""
    from . import prediction_models as pm  # late: scikit-learn loads only when models are trained

    train_cids, test_cids, cut = split["train"], split["test"], split["cut_us"]
    if len(train_cids) < MIN_TRAIN_CASES or len(test_cids) < MIN_TEST_CASES:
        return None
    spec = cp.choose_spec(con, train_cids=train_cids, zone=zone, outcome_attrs=options.outcome_attrs)
    train = _observations(con, spec, "obs", train_cids, zone=zone, max_rows=MAX_TRAIN_OBSERVATIONS,
                          random_state=options.random_state)
    if cut is not None:  # the test cases as they stood at the cut, then every later observation of them
        cp.snapshot_observations(con, cut, table="obs_cut")
        con.execute("CREATE OR REPLACE TABLE obs_test AS SELECT * FROM obs_cut UNION ALL "
                    "SELECT * FROM obs WHERE t_obs > ?", [cut])
        test = _observations(con, spec, "obs_test", test_cids, zone=zone, max_rows=MAX_TEST_OBSERVATIONS,
                             random_state=options.random_state)
    else:
        test = _observations(con, spec, "obs", test_cids, zone=zone, max_rows=MAX_TEST_OBSERVATIONS,
                             random_state=options.random_state)
    test = test[test["remaining_days"].notna()]
    drifted = drifted_features(train, test, spec)
    model = pm.CasePredictor(columns=[c for c in spec.columns() if c not in drifted], categorical=spec.categorical(),
                             random_state=options.random_state, max_iter=options.max_iter)
    model.fit(train)
    pred = model.predict(test)
    report = pm.evaluate(test, pred, pm.baselines(train, test))
    report["split"] = {"mode": split.get("mode", options.split),
                       "cut": pd.Timestamp(cut, unit="us", tz="UTC").isoformat() if cut is not None else None,
                       "train_cases": int(len(train_cids)), "test_cases": int(test["cid"].nunique()),
                       "censored_open_cases": split["censored"], "train_observations": int(len(train))}
    report["features"] = list(spec.readable(dict(con.execute("SELECT aid, activity FROM act_dict").fetchall())).values())
    report["attributes_used"] = [*spec.numeric_attrs, *spec.category_attrs]
    report["left_out"] = [{"attribute": a, "why": w} for a, w in spec.left_out]
    report["drifted_features"] = drifted
    return report


def compute(*, store_path: str | Path | None, log_name: str, options: MonitorOptions = MonitorOptions(),
            progress: Progress | None = None) -> MonitorResult:
    """Everything `monitor` stores, without storing it."""
    report = progress or (lambda _label, _done, _total: None)
    timings: dict[str, float] = {}
    began = time.perf_counter()
    zone = options.calendar.zone
    con = store.memory()
    con.execute(f"SET memory_limit = {literal(MEMORY_LIMIT)}")
    con.execute("SET preserve_insertion_order = false")
    try:
        report("reading the log", 0, 6)
        stats.check_zone(con, zone)
        loaded = monitor_load.load(con, store_path=store.store_path(store_path), log_name=log_name,
                                   as_of=options.as_of, config=options.config)
        acts = [r[0] for r in con.execute("SELECT DISTINCT activity FROM act_dict").fetchall()]
        deadline_rules.check(options.config, activities=acts, attributes=loaded.attributes,
                             where=f"[logs.{log_name}]")
        stop = _stop_activities(con, options.config)
        as_of_us = monitor_load.as_of_us(loaded)
        timings["load"] = time.perf_counter() - began
        report("keeping the clock", 1, 6)
        deadline_clock.status_table(con, deadline=options.config.deadline, stop=stop, zone=zone, as_of_us=as_of_us)
        deadline_clock.within_table(con, options.config.within, zone=zone, as_of_us=as_of_us)
        monthly, yearly = deadline_clock.history(con)
        history = {"monthly": monthly.to_dict(orient="records"), "yearly": yearly.to_dict(orient="records")}
        timings["clock"] = time.perf_counter() - began - sum(timings.values())
        cp.prefix_events(con)
        cp.gap_observations(con)
        evaluation, message = None, None
        closed = con.execute("SELECT count(*) FROM dl_status WHERE closed").fetchall()[0][0]
        if closed < MIN_TRAIN_CASES + MIN_TEST_CASES:
            message = (f"{closed} decided cases: too few to train (needs {MIN_TRAIN_CASES + MIN_TEST_CASES}); "
                       "the legal clock is shown without predictions")
        elif options.evaluate:
            report("evaluating on a temporal split", 2, 6)
            split = split_cases(con, as_of_us, mode=options.split, random_state=options.random_state)
            split["mode"] = options.split
            evaluation = evaluate_split(con, split=split, options=options, zone=zone)
            if evaluation is None:
                message = "too few cases on each side of the temporal split to evaluate; predictions not made"
        timings["evaluate"] = time.perf_counter() - began - sum(timings.values())
        report("predicting open cases", 4, 6)
        open_frame = _predict_open(con, options=options, zone=zone, as_of_us=as_of_us,
                                   train=message is None, stop=stop)
        timings["predict"] = time.perf_counter() - began - sum(timings.values())
        status = con.execute("""
            SELECT case_id, cid, closed, clock_start, deadline_days, deadline_date,
                   make_timestamp(decided_us)::TIMESTAMPTZ AS decided_at, days_used, days_paused, pause_open,
                   extension_days, days_left, in_time, weeks_over, refund_nok
            FROM dl_status ORDER BY case_id
        """).df()
        if evaluation is not None:
            evaluation = {"log": log_name, "as_of": loaded.as_of.isoformat(), **evaluation}
        report("done", 6, 6)
        return MonitorResult(log=log_name, run_id=uuid.uuid4().hex, as_of=loaded.as_of, status=status,
                             open_cases=open_frame, evaluation=evaluation, history=history, message=message,
                             settings=_settings(options.config, stop, zone), seconds=timings)
    finally:
        con.close()


def monitor(*, store_path: str | Path | None, log_name: str, options: MonitorOptions = MonitorOptions(),
            progress: Progress | None = None) -> MonitorResult:
    """Compute, then store the run in one short write transaction."""
    result = compute(store_path=store_path, log_name=log_name, options=options, progress=progress)
    run = {"log": log_name, "run_id": result.run_id, "as_of": result.as_of,
           "cases": int(len(result.status)), "open_cases": int((~result.status["closed"]).sum()),
           "closed_cases": int(result.status["closed"].sum()), "trained": result.trained,
           "message": result.message, "settings": result.settings, "evaluation": result.evaluation,
           "history": _json_history(result.history)}
    with store.write(store_path) as con:
        seq = monitor_results.write_run(con, run=run, status=result.status, open_cases=result.open_cases)
    return MonitorResult(**{**result.__dict__, "run_seq": seq})


def _json_history(history: dict[str, Any]) -> dict[str, Any]:
    return {k: [{c: (v.item() if hasattr(v, "item") else v) for c, v in row.items()} for row in rows]
            for k, rows in history.items()}


# --- open cases ----------------------------------------------------------------------------------


def _predict_open(con: duckdb.DuckDBPyConnection, *, options: MonitorOptions, zone: str, as_of_us: int,
                  train: bool, stop: tuple[str, ...]) -> pd.DataFrame:
    """Every open case at `as_of` with its clock, predictions (if trained), cost and reasons, ranked."""
    cp.snapshot_observations(con, as_of_us, table="obs_now")
    names = dict(con.execute("SELECT aid, activity FROM act_dict").fetchall())
    base = con.execute("""
        SELECT s.case_id, s.cid, s.clock_start, s.deadline_date, s.days_used, s.days_paused, s.pause_open,
               s.days_left, s.weeks_over, s.refund_nok AS refund_nok_so_far, s.fee_nok,
               o.last_aid, (o.t_obs - o.last_us) / 86400e6 AS waiting_days
        FROM dl_status s JOIN obs_now o USING (cid) WHERE NOT s.closed ORDER BY s.cid
    """).df()
    # An open case whose clock started but that has no event inside the clock (only events before its
    # start) is not in obs_now; it has no prefix to predict from and shows with its clock alone.
    pred = pd.DataFrame(index=base.index, columns=["remaining_days", "remaining_low", "remaining_high", "p_miss",
                                                   "next_aid", "next_p"], dtype="float64")
    drivers: dict[str, list[list[str]]] = {lang: [[] for _ in range(len(base))] for lang in LANGS}
    feats = None
    if train and len(base):
        from . import prediction_models as pm

        decided = con.execute("SELECT cid FROM dl_status WHERE closed").df()["cid"].to_numpy()
        spec = cp.choose_spec(con, train_cids=decided, zone=zone, outcome_attrs=options.outcome_attrs)
        history = _observations(con, spec, "obs", decided, zone=zone, max_rows=MAX_TRAIN_OBSERVATIONS,
                                random_state=options.random_state)
        feats = cp.features(con, spec, "obs_now", zone=zone, with_labels=False).set_index("cid").loc[base["cid"]]
        feats = feats.reset_index()
        drifted = drifted_features(history, feats, spec)
        model = pm.CasePredictor(columns=[c for c in spec.columns() if c not in drifted],
                                 categorical=spec.categorical(), random_state=options.random_state,
                                 max_iter=options.max_iter)
        model.fit(history)
        pred = model.predict(feats)
        drivers = _risk_drivers(model, feats, history, pred, names, spec.readable(names))
    out = base.assign(
        predicted_remaining_days=pred["remaining_days"].to_numpy(dtype="float64"),
        predicted_remaining_days_low=pred["remaining_low"].to_numpy(dtype="float64"),
        predicted_remaining_days_high=pred["remaining_high"].to_numpy(dtype="float64"),
        p_miss=pred["p_miss"].to_numpy(dtype="float64"),
        current_activity=base["last_aid"].map(names),
        next_aid=pred["next_aid"].to_numpy(dtype="float64"))
    deadline = options.config.deadline
    rate = deadline.refund_per_started_week if deadline else 0.0
    days_over = np.maximum(out["predicted_remaining_days"] - out["days_left"], 0)
    weeks = np.maximum(np.ceil(days_over / 7), 1)
    if deadline is not None and deadline.has_fee:
        out["expected_refund_nok"] = out["p_miss"] * out["fee_nok"] * np.minimum(1.0, rate * weeks)
        # what acting can still save: a refund already owed in full is sunk, a case near its deadline is not
        key = (out["expected_refund_nok"] - out["refund_nok_so_far"].fillna(0)).clip(lower=0).fillna(0)
    else:
        out["expected_refund_nok"] = np.nan
        key = out["p_miss"].fillna(0) * np.maximum(days_over.fillna(0), 1)
    if deadline is None:  # no deadline: the longest expected remaining time first
        key = out["predicted_remaining_days"].fillna(0)
    within = con.execute("SELECT cid, name, due_date, status, days_left FROM dl_within "
                         "WHERE status IN ('pending', 'overdue')").df()
    # the reasons in both languages (same numbers), so the explorer shows them in the page's language
    texts: list[dict[str, dict[str, Any]]] = [{} for _ in range(len(out))]
    for lang in LANGS:
        t = Text(lang)
        nxt = out["next_aid"].map(
            lambda a, t=t: None if pd.isna(a) else t.tr("monitor.decision_close") if a == -1
            else t.tr("monitor.other") if a == -2 else names.get(int(a)))
        rows = out.assign(next_activity=nxt).to_dict(orient="records")
        for i, row in enumerate(rows):
            texts[i][lang] = {"next_activity": row["next_activity"], "reasons": _reasons(
                row, drivers[lang][i], within[within["cid"] == row["cid"]], t, deadline)}
    out["next_activity"] = [x[options.lang]["next_activity"] for x in texts]
    out["reasons"] = [x[options.lang]["reasons"] for x in texts]
    out["texts"] = [json.dumps(x, ensure_ascii=False) for x in texts]
    out = out.assign(_key=key.to_numpy()).sort_values(["_key", "days_left", "case_id"],
                                                      ascending=[False, True, True], na_position="last")
    out["rank"] = np.arange(1, len(out) + 1)
    return out.drop(columns=["_key"]).reset_index(drop=True)


def _risk_drivers(model: Any, feats: pd.DataFrame, history: pd.DataFrame, pred: pd.DataFrame,
                  names: dict[int, str], readable: dict[str, str]) -> dict[str, list[list[str]]]:
    """What pushes each case's risk up, in each language: the features whose typical value (the training
    median, or the commonest category) would lower its P(miss) by ≥ 5 points, the largest two first."""
    if model.miss_ is None or feats.empty:
        return {lang: [[] for _ in range(len(feats))] for lang in LANGS}
    base = pred["p_miss"].to_numpy(dtype="float64")
    effects: dict[str, np.ndarray] = {}
    typical: dict[str, Any] = {}
    for col in [c for c in RISK_FEATURES if c in model.columns] + \
               [c for c in model.columns if c.startswith(("num_", "cat_"))]:
        series = history[col]
        typical[col] = series.mode().iloc[0] if col in model.categorical and series.notna().any() \
            else series.median()
        changed = feats.assign(**{col: typical[col]})
        effects[col] = base - model.predict_miss(changed)
    ranked = [sorted(((e[i], c) for c, e in effects.items() if e[i] >= RISK_STEP), reverse=True)[:2]
              for i in range(len(feats))]
    return {lang: [[_driver_text(c, feats.iloc[i], typical[c], effect, names, Text(lang), readable.get(c, c))
                    for effect, c in ranked[i]] for i in range(len(feats))] for lang in LANGS}


def _driver_text(col: str, row: pd.Series, typical: Any, effect: float, names: dict[int, str], t: Text,
                 label: str) -> str:
    v = row[col]
    up = t.tr("monitor.risk", effect=t.pct(effect))
    last = names.get(int(row["last_aid"]), "?")
    if col == "queue":
        return t.tr("monitor.queue_cases_wait_after", v=t.int(v), last=t.quote(last), typical=t.int(typical), up=up)
    if col == "wip":
        return t.tr("monitor.many_open_cases_usually", v=t.int(v), typical=t.int(typical), up=up)
    if col == "since_last_days":
        return t.tr("monitor.days_without_activity_usually", v=t.num(v, 1), typical=t.num(typical, 1), up=up)
    if col in ("paused_days", "in_pause"):
        return t.tr("monitor.paused_so_far_days", paused_days=t.num(row['paused_days'], 0), up=up)
    if col == "repeats":
        return t.tr("monitor.steps_repeated_times", v=t.int(v), up=up)
    if col == "prev_aid":
        prev = names.get(int(v), "–") if pd.notna(v) and v >= 0 else "–"
        return t.tr("monitor.came_from", prev=t.quote(prev), up=up)
    if col == "days_to_batch":
        return t.tr("monitor.days_to_the_next", v=t.int(v), up=up)
    shown = t.num(v, 1) if isinstance(v, float) else v
    return t.tr("monitor.case_attribute", label=label, shown=shown, up=up)


def _reasons(row: dict[str, Any], drivers: list[str], within: pd.DataFrame, t: Text,
             deadline: deadline_rules.Deadline | None) -> list[str]:
    """The case's clock, the step it waits in, what pushes its risk up and what would help."""
    out: list[str] = []
    if row.get("deadline_date") is not None and pd.notna(row.get("deadline_date")):
        d = pd.Timestamp(row["deadline_date"]).date().isoformat()
        left = row["days_left"]
        pause = t.tr("monitor.days_paused", days_paused=t.int(row['days_paused'])) \
            if row["days_paused"] else ""
        if left >= 0:
            out.append(t.tr("monitor.deadline_days_left", d=d, left=t.int(left), pause=pause))
        else:
            refund = row.get("refund_nok_so_far")
            owed = t.tr("monitor.nok_to_repay_so", refund=t.int(refund)) \
                if refund and pd.notna(refund) else ""
            out.append(t.tr("monitor.deadline_passed_started_weeks",
                            d=d, weeks_over=t.int(row['weeks_over']), owed=owed))
        if row.get("pause_open"):
            out.append(t.tr("monitor.clock_stopped_waiting_for"))
    act = row.get("current_activity") or "?"
    wait = row.get("waiting_days") or 0.0
    nxt = row.get("next_activity")
    waits = t.tr("monitor.has_waited_days_after", wait=t.num(wait, 1), act=t.quote(act))
    if nxt:
        waits += t.tr("monitor.next_probably", nxt=t.quote(nxt))
    out.append(waits)
    out += drivers
    remaining = row.get("predicted_remaining_days")
    for w in within.to_dict(orient="records"):
        due = pd.Timestamp(w["due_date"]).date().isoformat()
        if w["status"] == "overdue":
            out.append(t.tr("monitor.send_the_now_was", name=w['name'], due=due))
        elif remaining is not None and pd.notna(remaining) and remaining > w["days_left"]:
            out.append(t.tr("monitor.send_the_by_the", name=w['name'], due=due))
    p = row.get("p_miss")
    if p is not None and pd.notna(p) and p >= 0.5 and row.get("days_left") is not None and row["days_left"] >= 0 \
            and remaining is not None and pd.notna(remaining):
        over = max(remaining - row["days_left"], 0)
        out.append(t.tr("monitor.prioritise_chance_of_missing", p=t.pct(p), over=t.int(over)))
    elif wait >= 7 and not row.get("pause_open"):
        out.append(t.tr("monitor.follow_up_no_activity", wait=t.int(wait)))
    return out
