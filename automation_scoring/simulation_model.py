"""Learn a simulation model (`simulation_model.json`) from a log in the store: no hand-drawn BPMN needed.

What each part is learnt from (the engine, `mining.simulation_engine`, says how it is played):

- arrivals: cases' first moments, counted per hour of the week and per calendar month of the period;
- `flow`: the branching after the last one, two and three activities, from closed cases (a context
  is kept when the log saw it at least `MIN_CONTEXT` times), and after the last three with the number
  of times the last one was done in a row (`times`: the fourth reminder call ends a case more often
  than the second), so loops repeat as often as they did;
- per activity, its `kind`: `external` or `system` when most of its events are an outside party's or
  a system's (the candidates' resource kinds), `batch` when nearly all of it happens on one or two
  weekdays in bulk (a decision meeting), else `staff`;
- `processing`: measured durations in working time where the log has start times; else the step
  takes no elapsed time of its own (the log's completions say when it ended) and the candidates'
  estimate (`scoring_features.mean_processing_hours`, its basis said) counts as its staff hours
  (`work_seconds`), else none;
- `delay`: the wait before the step (working time for staff, calendar time otherwise), from the
  predecessor's completion to the start (or to the completion less the processing estimate); apart
  per predecessor (`delay_after`), and within that apart for cases whose previous step began within
  five minutes of the one before (worked on in one sitting) and cases that waited;
- `queue`: where waits grow far beyond their usual level for whole weeks, the step is capacity-bound:
  in those weeks the log's throughput is the capacity, in the others at least the throughput the team
  showed in its best weeks (90th percentile); the delay is then learnt from the other weeks only, so
  the queue's wait is not counted twice;
- `batch`: the days the batch was held, how long before them a case had to be ready, the time of day;
- `resources`: who did the step, with shares (pseudonyms as stored).

Every number is written to a readable JSON file that a user may edit and feed back (`--model`). Which
proposed queues a model keeps is decided by `simulation_queues`; the log is read by `simulation_log`.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from saksflyt.extractors.errors import InputError
from saksflyt.mining.calendar import WorkCalendar
from saksflyt.mining.simulation_clock import DAY, WorkClock, hours_text
from saksflyt.mining.simulation_engine import CONTEXT, END, START

from .simulation_log import Loaded

SCHEMA = "saksflyt-simulation-model/1"
RUN_CAP = 20  # "done this many times in a row" is counted up to here
MIN_CONTEXT = 5  # observations before a longer history decides the branching (BPIC 2015: 0.31 → 0.24 n-gram
#                  distance against 20; no change on the generator or BPIC 2012-W)
MIN_OBSERVATIONS = 20  # observations before a wait is learnt apart (per predecessor, or for repeat visits)
IMMEDIATE_S = 300  # a step begun within five minutes of the previous one: the case is being worked on
CALENDAR_FIT = 0.9  # share of staff work inside the configured working hours for the calendar to stand
OPEN_HOUR_SHARE = 0.02  # an hour of the week is open when it holds this share of the busiest hour's work
QUANTILES = np.linspace(0, 1, 101)
BUSY_FACTOR = 2.0  # a week whose median wait is this many times the calm level is queue-bound
MIN_BUSY_WAIT_S = 6 * 3600  # … and at least this many working seconds
MIN_QUEUE_EVENTS = 100
MIN_WEEK_EVENTS = 8  # a week's median wait is judged only on this many cases
BATCH_SHARE = 0.9  # share of an activity's events on its one or two batch weekdays
MIN_BATCH_SIZE = 2.0  # mean events per batch day


def _iso_local(seconds: float) -> str:
    return datetime.fromtimestamp(float(seconds), tz=timezone.utc).replace(tzinfo=None).isoformat(timespec="seconds")


def _q(x: np.ndarray) -> list[float]:
    return [round(float(v), 1) for v in np.quantile(x, QUANTILES)] if x.size else [0.0] * len(QUANTILES)


def _arrivals(first: np.ndarray, start: float, end: float) -> dict[str, Any]:
    """Rate per hour of the week (Monday 00 = 0) and a factor per calendar month of the period.

    Calendar months, not months of the year: a log's volume drifts over the years (BPIC 2015's
    municipalities started cases at very different rates from one year to the next), and the
    simulation replays the log's own period.
    """
    hours = np.arange(np.floor(start / 3600), np.floor(end / 3600) + 1).astype(np.int64)
    day = hours // 24
    how = ((day + 3) % 7) * 24 + hours % 24
    month = day.astype("datetime64[D]").astype("datetime64[M]").astype(np.int64)
    fh = np.floor(first / 3600).astype(np.int64)
    fday = fh // 24
    f_how = ((fday + 3) % 7) * 24 + fh % 24
    f_month = fday.astype("datetime64[D]").astype("datetime64[M]").astype(np.int64)
    exposure = np.bincount(how, minlength=168).astype(float)
    rate = np.bincount(f_how, minlength=168) / np.maximum(exposure, 1)
    months = np.unique(month)
    expected = pd.Series(rate[how]).groupby(month).sum().reindex(months, fill_value=0.0).to_numpy()
    seen = pd.Series(1, index=f_month).groupby(level=0).sum().reindex(months, fill_value=0).to_numpy(float)
    factor = np.where(expected > 0, seen / np.maximum(expected, 1e-12), 0.0)
    return {"cases": int(first.size), "per_hour_of_week": [round(float(x), 6) for x in rate],
            "month_factor": {str(np.datetime64(int(m), "M")): round(float(f), 4) for m, f in zip(months, factor)}}


def _group_quantiles(group: np.ndarray, values: np.ndarray, n: int, qs: np.ndarray = QUANTILES) -> np.ndarray:
    """Quantiles (numpy's linear rule) of `values` per group code 0..n-1 in one sort: an (n × len(qs))
    matrix, NaN rows for groups without values. One pass instead of a pandas loop per activity: a log
    with 400 activities learnt 10 times (bootstrap) would otherwise spend seconds in group iteration."""
    out = np.full((n, qs.size), np.nan)
    if values.size == 0:
        return out
    order = np.lexsort((values, group))
    v = values[order]
    counts = np.bincount(group, minlength=n)
    starts = np.concatenate([[0], np.cumsum(counts)[:-1]])
    has = counts > 0
    pos = starts[has, None] + qs[None, :] * (counts[has, None] - 1)
    lo = np.floor(pos).astype(np.int64)
    hi = np.minimum(lo + 1, starts[has, None] + counts[has, None] - 1)
    out[has] = v[lo] + (v[hi] - v[lo]) * (pos - lo)
    return out


def _row(q: np.ndarray) -> list[float]:
    return [round(float(x), 1) for x in q]


@dataclass
class _Coded:
    """Events as integer codes and float arrays: what the learning's vectorised steps work on."""

    names: list[str]
    act: np.ndarray
    prev: np.ndarray  # the predecessor's activity code, -1 for a case's first event
    case: np.ndarray
    start: np.ndarray
    end: np.ndarray
    ready: np.ndarray  # the predecessor's completion, NaN for a case's first event
    repeat: np.ndarray  # a second or later visit of the activity in the case


def _code(ev: pd.DataFrame) -> _Coded:
    act, names = pd.factorize(ev["activity"].astype(object), sort=True)
    prev = pd.Index(names).get_indexer(ev["prev_activity"].astype(object))
    return _Coded(names=[str(x) for x in names], act=act.astype(np.int64), prev=prev.astype(np.int64),
                  case=pd.factorize(ev["case_id"])[0].astype(np.int64),
                  start=ev["start"].to_numpy(float), end=ev["end"].to_numpy(float),
                  ready=ev["prev_end"].to_numpy(float), repeat=ev["visit"].to_numpy() > 1)


def _flow(c: _Coded, closed: np.ndarray) -> tuple[list[dict[str, Any]], int]:
    """Branching probabilities after the last 1–3 activities, from closed cases' traces (events arrive
    grouped by case, in case order)."""
    n = len(c.names)
    start_code, end_code, base = n, n + 1, n + 2
    sel = closed[c.case]
    a, cs = c.act[sel], c.case[sel]
    if a.size == 0:
        return [], 1
    last = np.flatnonzero(np.r_[cs[1:] != cs[:-1], True])
    seq = np.insert(a, last + 1, end_code)
    case = np.insert(cs, last + 1, cs[last])
    first = np.r_[True, case[1:] != case[:-1]]
    idx = np.arange(seq.size)
    pos = idx - np.maximum.accumulate(np.where(first, idx, 0))
    longest = int(np.bincount(cs).max())
    prev = {j: np.where(pos >= j, np.r_[np.full(j, start_code), seq[:-j]], start_code) for j in range(1, CONTEXT + 1)}
    # how many times in a row the last activity was done (a third reminder is not a first)
    same = np.r_[False, (seq[1:] == seq[:-1]) & ~first[1:]]
    group = np.cumsum(~same)
    run = idx - np.r_[0, np.flatnonzero(~same)][group - 1] + 1
    prev_run = np.where(pos >= 1, np.r_[0, np.minimum(run[:-1], RUN_CAP)], 0)
    label = [*c.names, START, END]
    out: list[dict[str, Any]] = []
    for k, by_run in [(k, False) for k in range(1, CONTEXT + 1)] + [(CONTEXT, True)]:
        if base ** (k + 1) * (RUN_CAP + 1) > 2 ** 62:
            break
        ctx = np.zeros(seq.size, dtype=np.int64)
        for j in range(k, 0, -1):  # oldest first, as the engine looks it up
            ctx = ctx * base + prev[j]
        if by_run:
            ctx = ctx * (RUN_CAP + 1) + prev_run
        pair, counts = np.unique(ctx * base + seq, return_counts=True)
        ctx_of, nxt = pair // base, pair % base
        ctxs, inverse = np.unique(ctx_of, return_inverse=True)
        totals = np.bincount(inverse, weights=counts)
        bounds = np.r_[0, np.cumsum(np.bincount(inverse))]
        for i, key in enumerate(ctxs):
            times = 0
            if by_run:
                key, times = divmod(int(key), RUN_CAP + 1)
                if times < 2:
                    continue  # no repetition: the plain context says it
            digits = []
            for _ in range(k):
                digits.append(int(key % base))
                key //= base
            digits.reverse()
            if k > 1 and (totals[i] < MIN_CONTEXT or digits[0] == digits[1] == start_code):
                continue  # rare, or the same as the shorter context (two start markers say no more than one)
            lo, hi = bounds[i], bounds[i + 1]
            out.append({"after": [label[d] for d in digits], **({"times": times} if by_run else {}),
                        "next": {label[int(x)]: round(float(m) / float(totals[i]), 6)
                                 for x, m in zip(nxt[lo:hi], counts[lo:hi])},
                        "observations": int(totals[i])})
    return out, longest


def _kind(row: pd.Series | None) -> str:
    if row is None:
        return "staff"
    if row["external_share"] >= 0.5:
        return "external"
    if row["system_share"] >= 0.5 or row["basis"] == "instant":
        return "system"
    return "staff"


def _weekday(t: np.ndarray) -> np.ndarray:
    return (np.floor(t / DAY).astype(np.int64) + 3) % 7  # Monday = 0


def _batch(t: np.ndarray, ready: np.ndarray, workdays: int) -> dict[str, Any] | None:
    """Batch days: ≥ 90 % of the starts on one or two weekdays, several cases a day, while the cases
    became ready on any day (else the step only follows a batch)."""
    if workdays < 4 or t.size < 20:
        return None
    day = np.floor(t / DAY).astype(np.int64)
    weekday = (day + 3) % 7
    counts = np.bincount(weekday, minlength=7)
    order = np.argsort(-counts, kind="stable")
    share = np.cumsum(counts[order]) / counts.sum()
    k = int(np.searchsorted(share, BATCH_SHARE) + 1)
    if k > 2:
        return None
    on_days = np.isin(weekday, order[:k])
    days_used = np.unique(day[on_days])
    if t.size / max(days_used.size, 1) < MIN_BATCH_SIZE:
        return None
    ok = ~np.isnan(ready)
    if not ok.any() or np.isin(_weekday(ready[ok]), order[:k]).mean() > BATCH_SHARE - 0.3:
        return None
    on = on_days & ok
    lead = day[on] * DAY - ready[on]
    tod = t[on] - day[on] * DAY
    return {"weekdays": sorted(int(w) + 1 for w in order[:k]),
            "days": [str(np.datetime64(int(d), "D")) for d in days_used],
            "lead_seconds": round(float(np.quantile(lead, 0.01)), 0) if lead.size else 0.0,
            "time_of_day": {"unit": "seconds after midnight", "quantiles": _q(tod)}}


def _monday(t: np.ndarray) -> np.ndarray:
    day = np.floor(t / DAY).astype(np.int64)
    return day - (day + 3) % 7


def _weekly(act: np.ndarray, monday: np.ndarray, wait: np.ndarray, n: int) -> dict[int, tuple[np.ndarray, ...]]:
    """Per activity: its weeks (Monday day numbers), cases and median wait in each, in one grouping."""
    if act.size == 0:
        return {}
    m0 = int(monday.min())
    span = int(monday.max()) - m0 + 1
    key = act * span + (monday - m0)
    keys, inverse = np.unique(key, return_inverse=True)
    size = np.bincount(inverse)
    median = _group_quantiles(inverse, wait, keys.size, np.array([0.5]))[:, 0]
    owner = keys // span
    bounds = np.searchsorted(owner, np.arange(n + 1))
    return {a: (keys[bounds[a]:bounds[a + 1]] % span + m0, size[bounds[a]:bounds[a + 1]],
                median[bounds[a]:bounds[a + 1]]) for a in range(n) if bounds[a + 1] > bounds[a]}


def _queue(started: tuple[np.ndarray, ...], by_ready: tuple[np.ndarray, ...]) -> tuple[dict[str, Any], set[int]] | None:
    """A capacity-bound queue from an activity's weekly waits (first visits), or None.

    A week is busy when the median wait of the cases started in it, or of the cases that became ready
    in it, is `BUSY_FACTOR` times the calm level (the lower quartile of the weekly medians); the second
    catches the first weeks of a shortage, whose cases are started only weeks later. A shortage lasts:
    a lone week above the limit is noise. In busy weeks the log's throughput is the capacity; in the
    others at least what the team managed in its best weeks (90th percentile).
    """
    weeks, size, median = started
    judged = size >= MIN_WEEK_EVENTS
    if size.sum() < MIN_QUEUE_EVENTS or judged.sum() < 4:
        return None
    usual = float(np.quantile(median[judged], 0.25))
    limit = max(BUSY_FACTOR * usual, MIN_BUSY_WAIT_S)
    flagged = set(weeks[judged & (median > limit)].tolist())
    r_weeks, r_size, r_median = by_ready
    flagged |= set(r_weeks[(r_size >= MIN_WEEK_EVENTS) & (r_median > limit)].tolist())
    busy = {m for m in flagged if m - 7 in flagged or m + 7 in flagged}
    is_busy = np.isin(weeks, sorted(busy))
    if is_busy.sum() < 3:
        return None
    normal = float(np.quantile(size, 0.9))
    capacity = {str(np.datetime64(int(m), "D")): float(c) if b else max(float(c), normal)
                for m, c, b in zip(weeks, size, is_busy)}
    return {"capacity_per_week": capacity, "normal_capacity_per_week": round(normal, 2),
            "busy_weeks": [str(np.datetime64(int(m), "D")) for m in sorted(busy)],
            "calm_wait_working_hours": round(usual / 3600, 2), "limit_working_hours": round(limit / 3600, 2)}, busy


def _open_hours(t: np.ndarray, calendar: WorkCalendar) -> list[list[tuple[int, int]]] | None:
    """The weekly open hours the log's staff work shows, or None when the configured calendar fits it.

    The configured calendar fits when at least `CALENDAR_FIT` of the staff's starts and completions
    fall in its working hours (the generator: 96 %; BPIC 2012, a Dutch bank working into the evening:
    far fewer). Otherwise an hour of the week is open when it holds at least `OPEN_HOUR_SHARE` of the
    busiest hour's work.
    """
    if t.size == 0:
        return None
    day = np.floor(t / DAY).astype(np.int64)
    weekday = (day + 3) % 7
    second = t - day * DAY
    inside = (np.isin(weekday + 1, calendar.workdays)
              & (second >= calendar.day_start.hour * 3600 + calendar.day_start.minute * 60)
              & (second < calendar.day_end.hour * 3600 + calendar.day_end.minute * 60))
    if inside.mean() >= CALENDAR_FIT:
        return None
    counts = np.bincount(weekday * 24 + (second // 3600).astype(np.int64), minlength=168).reshape(7, 24)
    is_open = counts >= OPEN_HOUR_SHARE * counts.max()
    hours: list[list[tuple[int, int]]] = []
    for d in range(7):
        ranges: list[tuple[int, int]] = []
        for h in np.flatnonzero(is_open[d]):
            if ranges and ranges[-1][1] == h:
                ranges[-1] = (ranges[-1][0], int(h) + 1)
            else:
                ranges.append((int(h), int(h) + 1))
        hours.append(ranges)
    return hours


def _resources(ev: pd.DataFrame, names: list[str]) -> dict[str, dict[str, float]]:
    res = ev[["activity", "resource"]].dropna()
    if res.empty:
        return {}
    counts = res.groupby(["activity", "resource"], observed=True).size()
    share = (counts / counts.groupby(level=0).transform("sum")).sort_values(ascending=False)
    top = share.groupby(level=0, group_keys=False).head(50)
    out: dict[str, dict[str, float]] = {}
    for (act, who), v in top.items():
        out.setdefault(str(act), {})[str(who)] = round(float(v), 4)
    return out


def learn(loaded: Loaded, *, queues: frozenset[str] | None = None) -> dict[str, Any]:
    """The simulation model of a loaded log, as a JSON-ready dict (see the module docstring).

    `queues`: the activities that may have a capacity-bound queue (None: every one the waits suggest).
    """
    ev = loaded.events
    c = _code(ev)
    n = len(c.names)
    moment = np.fmin(np.where(np.isnan(c.start), c.end, c.start), c.end)
    n_cases = int(c.case.max()) + 1
    first = np.full(n_cases, np.inf)
    np.minimum.at(first, c.case, moment)
    last_act = np.full(n_cases, -1)
    last_act[c.case] = c.act  # events are in case order: the last write is the last event
    end_codes = [i for i, a in enumerate(c.names) if a in set(loaded.end_activities)]
    closed = np.isin(last_act, end_codes)
    if closed.sum() < 2:
        raise InputError(f"log '{loaded.log}' has fewer than two closed cases (ending in "
                         f"{', '.join(loaded.end_activities) or 'no end activity'}): nothing to learn the flow from")
    start, end = float(first.min()), float(c.end.max())
    features = {r["activity"]: r for _, r in loaded.features.iterrows()}
    kinds = [_kind(features.get(a)) for a in c.names]
    staff = np.array([k == "staff" for k in kinds])
    worked = staff[c.act]
    hours = _open_hours(np.concatenate([c.end[worked], c.start[worked & ~np.isnan(c.start)]]), loaded.calendar)
    clock = WorkClock(loaded.calendar, datetime.utcfromtimestamp(start).date(),
                      datetime.utcfromtimestamp(end).date(), hours)
    events = np.bincount(c.act, minlength=n)
    has_start = ~np.isnan(c.start)
    measured = staff & (np.bincount(c.act, weights=has_start, minlength=n) >= 0.5 * events)
    timed = has_start & measured[c.act]
    proc_q = _group_quantiles(c.act[timed], clock.w(c.end[timed]) - clock.w(c.start[timed]), n)
    est = np.where(measured, proc_q[:, 50], 0.0)
    for i, a in enumerate(c.names):
        f = features.get(a)
        if staff[i] and not measured[i] and f is not None and float(f["mean_processing_hours"]) > 0:
            est[i] = float(f["mean_processing_hours"]) * 3600
    est = np.nan_to_num(est)
    w_end = clock.w(c.end)
    # a step without start times is taken to end where the log says; its estimated work counts as staff
    # hours but not as elapsed time (a registration a minute after the previous step took a minute)
    started = np.where(has_start, c.start,
                       np.where(measured[c.act], clock.at(np.maximum(w_end - est[c.act], 0)), c.end))
    ok = ~np.isnan(c.ready)
    batches = {}
    by_act = np.argsort(c.act, kind="stable")  # each activity's events as one slice, in case order
    bounds = np.searchsorted(c.act[by_act], np.arange(n + 1))
    for i in np.flatnonzero(staff & (events >= 20)):
        rows = by_act[bounds[i]:bounds[i + 1]]
        found = _batch(started[rows], c.ready[rows], len(loaded.calendar.workdays))
        if found is not None:
            batches[int(i)] = found
    is_batch = np.isin(np.arange(n), list(batches))
    waiting = staff & ~is_batch
    # waits: working time for staff, calendar time for outside parties and systems
    wait = np.full(c.act.size, np.nan)
    sw = ok & waiting[c.act]
    wait[sw] = np.maximum(clock.w(started[sw]) - clock.w(c.ready[sw]), 0)
    cw = ok & ~staff[c.act]
    wait[cw] = np.maximum(c.end[cw] - c.ready[cw], 0)
    # capacity-bound queues, judged on first visits of staff steps
    fv = sw & ~c.repeat
    by_start = _weekly(c.act[fv], _monday(started[fv]), wait[fv], n)
    by_ready = _weekly(c.act[fv], _monday(c.ready[fv]), wait[fv], n)
    queue_of: dict[int, dict[str, Any]] = {}
    busy_keys: list[int] = []
    for i, weekly in by_start.items():
        if queues is not None and c.names[i] not in queues:
            continue
        found = _queue(weekly, by_ready.get(i, (np.zeros(0, np.int64),) * 3))
        if found is not None:
            queue_of[i] = found[0]
            busy_keys += [i * 10**7 + m for m in found[1]]
    in_busy = np.zeros(c.act.size, dtype=bool)
    if busy_keys:
        keys = np.asarray(busy_keys)
        in_busy[sw] = (np.isin(c.act[sw] * 10**7 + _monday(started[sw]), keys)
                       | np.isin(c.act[sw] * 10**7 + _monday(c.ready[sw]), keys))
    repeats_queue = np.ones(n, dtype=bool)
    rb = sw & c.repeat & in_busy
    rep_median = _group_quantiles(c.act[rb], wait[rb], n, np.array([0.5]))[:, 0]
    rep_count = np.bincount(c.act[rb], minlength=n)
    for i, q in queue_of.items():
        repeats_queue[i] = bool(rep_count[i] < MIN_OBSERVATIONS or rep_median[i] > q["limit_working_hours"] * 3600)
        q["repeat_visits_queue"] = bool(repeats_queue[i])
    calm = ok & ~np.isnan(wait) & (~in_busy | (c.repeat & ~repeats_queue[c.act]))
    delay_q = _group_quantiles(c.act[calm], wait[calm], n)
    delay_n = np.bincount(c.act[calm], minlength=n)
    # the wait before a step depends on its predecessor, and on whether the case has just been worked
    # on: steps done in one sitting (a clerk registering a case in one go) follow each other in minutes
    own_wait = np.where(ok, started - c.ready, np.nan)
    same_case = np.r_[False, c.case[1:] == c.case[:-1]]
    prev_wait = np.where(same_case, np.r_[np.nan, own_wait[:-1]], np.nan)
    immediate = np.isnan(prev_wait) | (prev_wait < IMMEDIATE_S)
    after: dict[int, dict[str, Any]] = {}
    for split in (False, True):
        key = c.act[calm] * (n + 1) + c.prev[calm]
        if split:
            key = key * 2 + immediate[calm]
        keys, inverse = np.unique(key, return_inverse=True)
        q = _group_quantiles(inverse, wait[calm], keys.size)
        counts = np.bincount(inverse, minlength=keys.size)
        for j, k in enumerate(keys):
            if counts[j] < MIN_OBSERVATIONS:
                continue
            pair = int(k // 2) if split else int(k)
            act, prev = pair // (n + 1), c.names[pair % (n + 1)]
            entry = {"observations": int(counts[j]), "quantiles": _row(q[j])}
            if not split:
                after.setdefault(act, {})[prev] = entry
            elif prev in after.get(act, {}):
                after[act][prev]["if_previous_immediate" if k % 2 else "if_previous_waited"] = entry
    resources = _resources(ev, c.names)
    activities: dict[str, Any] = {}
    for i, name in enumerate(c.names):
        entry: dict[str, Any] = {"kind": "batch" if i in batches else kinds[i], "events": int(events[i]),
                                 "delay": None, "delay_after": {}, "processing": None, "queue": queue_of.get(i),
                                 "batch": batches.get(i)}
        if i not in batches and delay_n[i] > 0:
            entry["delay"] = {"unit": "working seconds" if staff[i] else "seconds", "quantiles": _row(delay_q[i])}
            entry["delay_after"] = after.get(i, {})
        if measured[i]:
            entry["processing"] = {"unit": "working seconds", "basis": "measured", "quantiles": _row(proc_q[i])}
        elif staff[i] and est[i] > 0:
            entry["processing"] = {"unit": "working seconds", "basis": str(features[name]["basis"]),
                                   "quantiles": [0.0] * len(QUANTILES), "work_seconds": round(float(est[i]), 1)}
        if name in resources:
            entry["resources"] = resources[name]
        activities[name] = entry
    flow, longest = _flow(c, closed)
    return {
        "schema": SCHEMA, "log": loaded.log,
        "learnt_from": {"events": int(c.act.size), "cases": n_cases, "closed_cases": int(closed.sum()),
                        "mining_run_id": loaded.mining_run_id, "scoring_run_id": loaded.scoring_run_id},
        "calendar": loaded.calendar.describe() | ({} if hours is None else {
            "open_hours": hours_text(hours),
            "open_hours_basis": f"learnt from the log: under {CALENDAR_FIT:.0%} of staff work falls in the "
                                "configured working hours"}),
        "period": {"start": _iso_local(start), "end": _iso_local(end)},
        "end_activities": list(loaded.end_activities),
        "longest_trace": longest,
        "arrivals": _arrivals(first, start, end),
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
