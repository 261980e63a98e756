"""Learn a simulation model (`simulation_model.json`) from a log in the store: no hand-drawn BPMN needed.

What each part is learnt from (the engine, `mining.simulation_engine`, says how it is played):

- arrivals: cases' first moments, counted per hour of the week and per month of the year;
- `flow`: the branching after the last one, two and three activities, from closed cases (a context
  is kept when the log saw it at least `MIN_CONTEXT` times), so loops repeat as often as they did;
- per activity, its `kind`: `external` or `system` when most of its events are an outside party's or
  a system's (the candidates' resource kinds), `batch` when nearly all of it happens on one or two
  weekdays in bulk (a decision meeting), else `staff`;
- `processing`: measured durations in working time where the log has start times, else the
  candidates' estimate (`scoring_features.mean_processing_hours`, its basis said), else none;
- `delay`: the wait before the step (working time for staff, calendar time otherwise), from the
  predecessor's completion to the start (or to the completion less the processing estimate);
- `queue`: where waits grow far beyond their usual level for whole weeks, the step is capacity-bound:
  in those weeks the log's throughput is the capacity, in the others at least the throughput the team
  showed in its best weeks (90th percentile); the delay is then learnt from the other weeks only, so
  the queue's wait is not counted twice;
- `batch`: the days the batch was held, how long before them a case had to be ready, the time of day;
- `resources`: who did the step, with shares (pseudonyms as stored).

Every number is written to a readable JSON file that a user may edit and feed back (`--model`).
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import duckdb
import numpy as np
import pandas as pd

from extractors import store
from extractors.errors import InputError
from mining import results as mining_results
from mining import stats
from mining.calendar import NORWEGIAN, WorkCalendar
from mining.simulation_clock import DAY, WorkClock
from mining.simulation_engine import CONTEXT, END, START, calendar_from

from . import results as scoring_results

SCHEMA = "saksflyt-simulation-model/1"
MIN_CONTEXT = 20  # observations before a longer history decides the branching
QUANTILES = np.linspace(0, 1, 101)
BUSY_FACTOR = 2.0  # a week whose median wait is this many times the calm level is queue-bound
MIN_BUSY_WAIT_S = 6 * 3600  # … and at least this many working seconds
MIN_QUEUE_EVENTS = 100
MIN_WEEK_EVENTS = 8  # a week's median wait is judged only on this many cases
BATCH_SHARE = 0.9  # share of an activity's events on its one or two batch weekdays
MIN_BATCH_SIZE = 2.0  # mean events per batch day


@dataclass
class Loaded:
    """A log as the simulation learns from it: events on local wall-clock seconds, and its facts."""

    log: str
    events: pd.DataFrame  # case_id, activity, start, end (local seconds; start NaN if none), resource, kind, prev_end, pos
    end_activities: tuple[str, ...]
    calendar: WorkCalendar
    features: pd.DataFrame  # the latest scoring run's per-activity features
    mining_run_id: str | None
    scoring_run_id: str | None


def load(store_path: Path, log_name: str) -> Loaded:
    """Read the log and the latest mining and scoring runs' facts (exit 2 when the log has not been mined)."""
    with store.read(store_path) as src:
        stats.require_log(src, src.execute("SELECT current_database()").fetchall()[0][0], store_path, log_name)
        mining_run = mining_results.latest_run(src, log_name) if mining_results.has_results(src) else None
        scoring_run = scoring_results.latest_run(src, log_name)
        if mining_run is None or scoring_run is None:
            raise InputError(f"log '{log_name}' has no candidates yet: run `saksflyt mine --log {log_name}` first "
                             "(the simulation uses the processing-time estimates and resource kinds of its candidates)")
        summary = mining_results.summary(src, log_name, run_id=mining_run)
        calendar = calendar_from(summary["settings"]["calendar"]) if "calendar" in summary["settings"] else NORWEGIAN
        features = scoring_results.features(src, log_name, run_id=scoring_run)
        stats.check_zone(src, calendar.zone)
        frame = src.execute("""
            SELECT case_id, activity, epoch(timezone(?, ts_start)) AS start, epoch(timezone(?, ts_end)) AS "end",
                   resource, resource_kind AS kind, event_seq
            FROM events WHERE log = ?""", [calendar.zone, calendar.zone, log_name]).df()
    con = duckdb.connect()
    try:
        con.register("raw", frame)
        events = con.execute("""
            SELECT case_id, activity, start, "end", resource, kind,
                   lag("end") OVER w AS prev_end, lag(activity) OVER w AS prev_activity, row_number() OVER w AS pos,
                   row_number() OVER (PARTITION BY case_id, activity ORDER BY "end", event_seq) AS visit
            FROM raw WINDOW w AS (PARTITION BY case_id ORDER BY "end", event_seq)
            ORDER BY case_id, pos""").df()
    finally:
        con.close()
    if events.empty:
        raise InputError(f"log '{log_name}' has no events to simulate")
    return Loaded(log=log_name, events=events, end_activities=tuple(summary["end_activities"]), calendar=calendar,
                  features=features, mining_run_id=mining_run, scoring_run_id=scoring_run)


def _iso_local(seconds: float) -> str:
    return datetime.fromtimestamp(float(seconds), tz=timezone.utc).replace(tzinfo=None).isoformat(timespec="seconds")


def _q(x: np.ndarray) -> list[float]:
    return [round(float(v), 1) for v in np.quantile(x, QUANTILES)] if x.size else [0.0] * len(QUANTILES)


def _arrivals(first: np.ndarray, start: float, end: float) -> dict[str, Any]:
    """Rate per hour of the week (Monday 00 = 0) and a factor per month of the year (January = 0)."""
    hours = np.arange(np.floor(start / 3600), np.floor(end / 3600) + 1).astype(np.int64)
    day = hours // 24
    how = ((day + 3) % 7) * 24 + hours % 24
    month = day.astype("datetime64[D]").astype("datetime64[M]").astype(np.int64) % 12
    fh = np.floor(first / 3600).astype(np.int64)
    fday = fh // 24
    f_how = ((fday + 3) % 7) * 24 + fh % 24
    f_month = fday.astype("datetime64[D]").astype("datetime64[M]").astype(np.int64) % 12
    exposure = np.bincount(how, minlength=168).astype(float)
    rate = np.bincount(f_how, minlength=168) / np.maximum(exposure, 1)
    expected = np.bincount(month, weights=rate[how], minlength=12)
    seen = np.bincount(f_month, minlength=12).astype(float)
    factor = np.where(expected > 0, seen / np.maximum(expected, 1e-12), 1.0)
    return {"cases": int(first.size), "per_hour_of_week": [round(float(x), 6) for x in rate],
            "month_factor": [round(float(x), 4) for x in factor]}


def _flow(ev: pd.DataFrame, closed: set[str]) -> tuple[list[dict[str, Any]], int]:
    """Branching probabilities after the last 1–3 activities, from closed cases' traces."""
    e = ev[ev["case_id"].isin(closed)][["case_id", "activity"]]
    ends = e.groupby("case_id", sort=False).tail(1).assign(activity=END)
    rows = pd.concat([e, ends]).reset_index(drop=True)
    rows["_o"] = np.arange(len(rows))
    rows = rows.sort_values(["case_id", "_o"], kind="stable")
    g = rows.groupby("case_id", sort=False)["activity"]
    prev = {k: g.shift(k).fillna(START) for k in range(1, CONTEXT + 1)}
    longest = int(e.groupby("case_id", sort=False).size().max()) if len(e) else 1
    out: list[dict[str, Any]] = []
    for k in range(1, CONTEXT + 1):
        keys = [prev[j] for j in range(k, 0, -1)]
        frame = pd.DataFrame({f"p{j}": s.values for j, s in enumerate(keys)} | {"next": rows["activity"].values})
        counts = frame.groupby(list(frame.columns), sort=True).size().reset_index(name="n")
        ctx_cols = [c for c in counts.columns if c.startswith("p")]
        for ctx, part in counts.groupby(ctx_cols, sort=True):
            ctx = ctx if isinstance(ctx, tuple) else (ctx,)
            total = int(part["n"].sum())
            if k > 1 and total < MIN_CONTEXT:
                continue
            if k > 1 and all(c == START for c in ctx[:-1]) and ctx[-1] == START:
                continue
            out.append({"after": list(ctx), "next": {str(a): round(int(n) / total, 6)
                                                     for a, n in zip(part["next"], part["n"])},
                        "observations": total})
    return out, longest


def _kind(row: pd.Series | None) -> str:
    if row is None:
        return "staff"
    if row["external_share"] >= 0.5:
        return "external"
    if row["system_share"] >= 0.5 or row["basis"] == "instant":
        return "system"
    return "staff"


def _batch(ev: pd.DataFrame, clock_days: set[int], workdays: int) -> dict[str, Any] | None:
    """Batch days: ≥ 90 % of the starts on one or two weekdays, several cases a day."""
    t = ev["start"].fillna(ev["end"]).to_numpy()
    day = np.floor(t / DAY).astype(np.int64)
    weekday = (day + 3) % 7 + 1
    counts = np.bincount(weekday, minlength=8)[1:]
    order = np.argsort(-counts, kind="stable")
    share = np.cumsum(counts[order]) / max(counts.sum(), 1)
    k = int(np.searchsorted(share, BATCH_SHARE) + 1)
    if k > 2 or workdays < 4 or len(ev) < 20:
        return None
    days_used = np.unique(day[np.isin(weekday, order[:k] + 1)])
    if len(ev) / max(days_used.size, 1) < MIN_BATCH_SIZE:
        return None
    ready = ev["prev_end"].dropna().to_numpy()
    ready_weekday = (np.floor(ready / DAY).astype(np.int64) + 3) % 7 + 1
    if ready.size == 0 or np.isin(ready_weekday, order[:k] + 1).mean() > BATCH_SHARE - 0.3:
        return None  # the cases were ready on those days already: the step follows a batch, it is not one
    on = np.isin(weekday, order[:k] + 1) & ev["prev_end"].notna().to_numpy()
    lead = day[on] * DAY - ev["prev_end"].to_numpy()[on]
    tod = t[on] - day[on] * DAY
    return {"weekdays": sorted(int(w) + 1 for w in order[:k]),
            "days": [str(np.datetime64(int(d), "D")) for d in days_used],
            "lead_seconds": round(float(np.quantile(lead, 0.01)), 0) if lead.size else 0.0,
            "time_of_day": {"unit": "seconds after midnight", "quantiles": _q(tod)}}


def _monday(t: np.ndarray) -> np.ndarray:
    day = np.floor(t / DAY).astype(np.int64)
    return day - (day + 3) % 7


def _queue(t_ready: np.ndarray, t_start: np.ndarray, wait_w: np.ndarray,
           repeat: np.ndarray) -> tuple[dict[str, Any] | None, np.ndarray]:
    """Weeks where waits are far above their calm level: capacity-bound. Returns (queue, calm-event mask).

    Judged on first visits: a week is busy when the median wait of the cases started in it, or of the
    cases that became ready in it, is `BUSY_FACTOR` times the calm level (the lower quartile of the
    weekly medians); the second catches the first weeks of a shortage, whose cases are started only
    weeks later. A shortage lasts: a lone week above the limit is noise. Repeat visits (rework) queue
    too only if their waits in busy weeks are above the limit as well; often rework goes straight back
    to the caseworker who has the case.
    """
    calm = np.ones(t_start.size, dtype=bool)
    first = ~repeat
    if first.sum() < MIN_QUEUE_EVENTS:
        return None, calm
    start_week, ready_week = _monday(t_start), _monday(t_ready)
    weekly = pd.DataFrame({"monday": start_week[first], "wait": wait_w[first]}).groupby("monday")["wait"] \
        .agg(["size", "median"])
    by_ready = pd.DataFrame({"monday": ready_week[first], "wait": wait_w[first]}).groupby("monday")["wait"] \
        .agg(["size", "median"])
    judged = weekly[weekly["size"] >= MIN_WEEK_EVENTS]
    if len(judged) < 4:
        return None, calm
    usual = float(np.quantile(judged["median"], 0.25))
    limit = max(BUSY_FACTOR * usual, MIN_BUSY_WAIT_S)
    flagged = set(judged.index[judged["median"] > limit])
    flagged |= set(by_ready.index[(by_ready["size"] >= MIN_WEEK_EVENTS) & (by_ready["median"] > limit)])
    busy_weeks = sorted(m for m in flagged if m - 7 in flagged or m + 7 in flagged)
    busy = weekly.index.isin(busy_weeks)
    if busy.sum() < 3:
        return None, calm
    in_busy = np.isin(start_week, busy_weeks) | np.isin(ready_week, busy_weeks)
    repeats_busy = wait_w[repeat & in_busy]
    repeats_queue = bool(repeats_busy.size < MIN_CONTEXT or np.median(repeats_busy) > limit)
    normal = float(np.quantile(weekly["size"], 0.9))
    capacity = {str(np.datetime64(int(m), "D")): float(n) if b else max(float(n), normal)
                for m, n, b in zip(weekly.index, weekly["size"], busy)}
    calm = ~in_busy | (repeat & (not repeats_queue))
    return {"capacity_per_week": capacity, "normal_capacity_per_week": round(normal, 2),
            "busy_weeks": [str(np.datetime64(int(m), "D")) for m in busy_weeks],
            "calm_wait_working_hours": round(usual / 3600, 2), "repeat_visits_queue": repeats_queue}, calm


def _delays(wait: np.ndarray, prev: np.ndarray, unit: str) -> tuple[dict[str, Any], dict[str, Any]]:
    """The wait before a step, overall and after each predecessor seen `MIN_CONTEXT` times or more.

    The predecessor matters: a step after a hearing waits for the hearing period, after a reply it
    does not; one mixed distribution would hand the hearing's wait to cases that never had one.
    """
    after: dict[str, Any] = {}
    if wait.size:
        frame = pd.DataFrame({"prev": prev, "wait": wait})
        for name, part in frame.groupby("prev", sort=True):
            if len(part) >= MIN_CONTEXT:
                after[str(name)] = {"observations": int(len(part)), "quantiles": _q(part["wait"].to_numpy())}
    return {"unit": unit, "quantiles": _q(wait)}, after


def learn(loaded: Loaded) -> dict[str, Any]:
    """The simulation model of a loaded log, as a JSON-ready dict (see the module docstring)."""
    ev = loaded.events
    first = ev.assign(_f=np.fmin(ev["start"].fillna(ev["end"]), ev["end"])).groupby("case_id")["_f"].min()
    start, end = float(first.min()), float(ev["end"].max())
    last = ev.groupby("case_id", sort=False)["activity"].last()
    closed = set(last.index[last.isin(loaded.end_activities)])
    clock = WorkClock(loaded.calendar, datetime.utcfromtimestamp(start).date(),
                      datetime.utcfromtimestamp(end).date())
    clock_days = set((clock.open // DAY).tolist())
    features = {r["activity"]: r for _, r in loaded.features.iterrows()}
    flow, longest = _flow(ev, closed)
    activities: dict[str, Any] = {}
    for name, part in ev.groupby("activity", sort=True):
        f = features.get(name)
        kind = _kind(f)
        has_start = part["start"].notna().to_numpy()
        s, e, r = part["start"].to_numpy(), part["end"].to_numpy(), part["prev_end"].to_numpy()
        prev = part["prev_activity"].to_numpy()
        entry: dict[str, Any] = {"kind": kind, "events": int(len(part)), "delay": None, "processing": None,
                                 "queue": None, "batch": None}
        if kind in ("external", "system"):
            ok = ~np.isnan(r)
            entry["delay"], entry["delay_after"] = _delays(np.maximum(e[ok] - r[ok], 0), prev[ok], "seconds")
        else:
            if has_start.mean() >= 0.5:
                proc = clock.w(e[has_start]) - clock.w(s[has_start])
                entry["processing"] = {"unit": "working seconds", "basis": "measured", "quantiles": _q(proc)}
                est = float(np.median(proc))
            elif f is not None and float(f["mean_processing_hours"]) > 0:
                est = float(f["mean_processing_hours"]) * 3600
                entry["processing"] = {"unit": "working seconds", "basis": str(f["basis"]),
                                       "quantiles": [round(est, 1)] * len(QUANTILES)}
            else:
                est = 0.0
            started = np.where(has_start, s, clock.at(np.maximum(clock.w(e) - est, 0)))
            ok = ~np.isnan(r)
            batch = _batch(part, clock_days, len(loaded.calendar.workdays))
            if batch is not None:
                entry["kind"], entry["batch"] = "batch", batch
            else:
                wait_w = np.maximum(clock.w(started[ok]) - clock.w(r[ok]), 0)
                queue, calm = _queue(r[ok], started[ok], wait_w, part["visit"].to_numpy()[ok] > 1)
                entry["queue"] = queue
                entry["delay"], entry["delay_after"] = _delays(wait_w[calm], prev[ok][calm], "working seconds")
        res = part["resource"].dropna()
        if len(res):
            shares = res.value_counts(normalize=True).head(50)
            entry["resources"] = {str(k): round(float(v), 4) for k, v in shares.items()}
        activities[str(name)] = entry
    return {
        "schema": SCHEMA, "log": loaded.log,
        "learnt_from": {"events": int(len(ev)), "cases": int(first.size), "closed_cases": len(closed),
                        "mining_run_id": loaded.mining_run_id, "scoring_run_id": loaded.scoring_run_id},
        "calendar": loaded.calendar.describe(),
        "period": {"start": _iso_local(start), "end": _iso_local(end)},
        "end_activities": list(loaded.end_activities),
        "longest_trace": longest,
        "arrivals": _arrivals(first.to_numpy(), start, end),
        "flow": flow,
        "activities": activities,
    }


def save(model: dict[str, Any], path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(model, ensure_ascii=False, indent=1), encoding="utf-8")
    return path


def read(path: Path) -> dict[str, Any]:
    """A model file as a user may have edited it; its shape is checked where it is compiled."""
    try:
        model = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise InputError(f"cannot read the simulation model: {exc}", file=str(path)) from None
    if not isinstance(model, dict) or model.get("schema") != SCHEMA:
        raise InputError(f"not a simulation model (schema {SCHEMA!r} expected)", file=str(path))
    return model
