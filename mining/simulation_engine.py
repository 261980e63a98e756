"""A small discrete-event engine that runs a simulation model (`simulation_model.json`) for one period.

The model says, per activity, how a case gets there and how long it takes; the engine plays cases
through it in time order:

- **Arrivals**: a Poisson process whose rate is the model's rate per hour of the week times the factor
  of the calendar month.
- **Control flow**: the next activity is drawn from the branching probabilities after the last three
  activities (`flow`; the longest context the log saw often enough, else a shorter one), so decision
  points, loops and their repetition come from the log.
- **Timing**, by the activity's kind:
  `staff`: a delay before the step in working time (waiting that no queue explains: other work,
  breaks), then, where the log shows a capacity-bound queue, first come first served at the capacity
  per week the log showed, then the processing time in working time;
  `batch`: done only on the batch days (a weekly meeting) by cases ready `lead_seconds` before the
  day, at the log's time of day;
  `external` and `system`: a delay in calendar time (an outside party's reply, an automatic step),
  bound to no staff.
- **Changes** (`Change`) are applied when the model is compiled: a step eliminated or automated, a
  branch made rarer, capacity or delay multiplied, batch days added.

Times are local wall-clock seconds (see `mining.simulation_clock`). One pass is a plain Python loop
over events with a heap, because a queue is sequential by nature; it runs about 150k events a second.
Same model, seed and run number: the same events. Baseline and scenario runs use the same random
streams (arrivals per run, draws per case), so their differences are not blurred by sampling noise.
"""
from __future__ import annotations

import heapq
import math
import random
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:
    import pandas as pd

from .calendar import WorkCalendar
from .simulation_clock import DAY, WorkClock, parse_hours

START, END = "▶", "■"
CONTEXT = 3  # activities of history the branching looks at
RUN_CAP = 20  # times in a row counted (as the model learnt them)
IMMEDIATE_S = 300  # a step begun within five minutes of its predecessor: the case is being worked on
AUTOMATED_SECONDS = 60.0  # an automated step: a minute of system time, no staff
HORIZON_DAYS = 3 * 365  # cases still running this long after the period are cut off
MAX_PATH_FACTOR = 3  # a path longer than this × the log's longest trace is ended (a loop gone wild)
_READY, _JOIN = 0, 1


@dataclass(frozen=True)
class Change:
    """One change to the model: what a scenario does to the process.

    kind: eliminate | automate (`factor` = the share of executions a system does) | branch (`target` from
    `activity` × factor) | capacity (× factor) | delay (× factor) | processing (× factor) | batch (add
    `weekdays`, ISO numbers).
    """

    kind: str
    activity: str
    factor: float = 1.0
    target: str | None = None
    weekdays: tuple[int, ...] = ()


@dataclass
class SimLog:
    """One simulated run: events (arrays) and per-case facts. Times are local seconds."""

    activities: list[str]
    case: np.ndarray
    act: np.ndarray
    start: np.ndarray
    end: np.ndarray
    ready: np.ndarray
    staff_seconds: np.ndarray  # working seconds of staff processing per event
    arrival: np.ndarray  # per case
    done: np.ndarray  # per case: last completion, NaN when the case did not finish before the horizon
    path_key: list[frozenset[int]] = field(default_factory=list)  # per case: the activities drawn

    def frame(self, until: float) -> pd.DataFrame:
        """The events completed by `until` (a simulated log cut where the real one was extracted)."""
        import pandas as pd

        keep = self.end <= until
        names = np.asarray(self.activities, dtype=object)
        return pd.DataFrame({"case_id": self.case[keep], "activity": names[self.act[keep]],
                             "start": self.start[keep], "end": self.end[keep]})


def _local_seconds(text: str) -> float:
    t = datetime.fromisoformat(text).replace(tzinfo=None)
    return (t - datetime(1970, 1, 1)).total_seconds()


def _day(text: str) -> int:
    return (date.fromisoformat(text) - date(1970, 1, 1)).days


def _monday(day_no: int) -> int:
    return day_no - (day_no + 3) % 7  # 1970-01-01 was a Thursday


def _split_delays(v: dict[str, Any]) -> tuple[list[float], list[float] | None, list[float] | None]:
    def q(entry: dict[str, Any] | None) -> list[float] | None:
        return [float(x) for x in entry["quantiles"]] if entry else None
    return q(v), q(v.get("if_previous_immediate")), q(v.get("if_previous_waited"))  # type: ignore[return-value]


def _sample(q: list[float], u: float) -> float:
    pos = u * (len(q) - 1)
    i = int(pos)
    if i >= len(q) - 1:
        return q[-1]
    return q[i] + (q[i + 1] - q[i]) * (pos - i)


@dataclass
class _Act:
    code: int
    kind: str
    delay: list[float] | None
    processing: list[float] | None
    # by predecessor: (all, after a step begun at once, after a step that waited); None where too few
    delay_after: dict[str, tuple[list[float], list[float] | None, list[float] | None]] = field(default_factory=dict)
    work: float | None = None  # staff seconds counted when the step has no elapsed processing time
    eliminated: bool = False
    automated: float = 0.0  # share of the step's executions done by a system
    capacity: dict[int, float] | None = None  # Monday day number → cases per week
    normal_capacity: float = math.inf
    capacity_factor: float = 1.0
    repeats_queue: bool = True
    slots: list[float] | None = None  # batch days' local midnight seconds
    lead: float = 0.0
    time_of_day: list[float] | None = None
    staff: bool = False


class Compiled:
    """A model with changes applied, in the shapes the engine's loop wants."""

    def __init__(self, model: dict[str, Any], changes: tuple[Change, ...] = ()) -> None:
        self.model = model
        self.period_start = _local_seconds(model["period"]["start"])
        self.period_end = _local_seconds(model["period"]["end"])
        first = datetime.fromisoformat(model["period"]["start"]).date() - timedelta(days=7)
        last = datetime.fromisoformat(model["period"]["end"]).date() + timedelta(days=HORIZON_DAYS)
        hours = parse_hours(model["calendar"]["open_hours"]) if model["calendar"].get("open_hours") else None
        self.clock = WorkClock(WorkCalendar.from_description(model["calendar"]), first, last, hours)
        self.horizon = self.period_end + HORIZON_DAYS * DAY
        self.names: list[str] = list(model["activities"])
        self.code = {a: i for i, a in enumerate(self.names)}
        self.acts = [self._act(i, a, model["activities"][a]) for i, a in enumerate(self.names)]
        flow_changes = [c for c in changes if c.kind == "branch"]
        self.flow = self._flow(model["flow"], flow_changes)
        self.max_path = MAX_PATH_FACTOR * int(model.get("longest_trace", 50))
        for c in changes:
            self._apply(c)

    def _act(self, i: int, name: str, d: dict[str, Any]) -> _Act:
        q = (lambda key: [float(x) for x in d[key]["quantiles"]] if d.get(key) else None)
        act = _Act(code=i, kind=d["kind"], delay=q("delay"), processing=q("processing"),
                   staff=d["kind"] in ("staff", "batch"),
                   delay_after={p: _split_delays(v) for p, v in (d.get("delay_after") or {}).items()},
                   work=float(d["processing"]["work_seconds"]) if (d.get("processing") or {}).get("work_seconds")
                   is not None else None)
        queue = d.get("queue")
        if queue:
            act.capacity = {_day(k): float(v) for k, v in queue["capacity_per_week"].items()}
            act.normal_capacity = float(queue["normal_capacity_per_week"])
            act.repeats_queue = bool(queue.get("repeat_visits_queue", True))
        batch = d.get("batch")
        if batch:
            act.slots = sorted(_day(x) * DAY for x in batch["days"])
            act.lead = float(batch["lead_seconds"])
            act.time_of_day = [float(x) for x in batch["time_of_day"]["quantiles"]]
            self._extend_slots(act, tuple(batch["weekdays"]))
        return act

    def _extend_slots(self, act: _Act, weekdays: tuple[int, ...]) -> None:
        """Batch days after the last one seen: the same weekdays every week, working days only."""
        assert act.slots is not None
        clock = self.clock
        open_days = set((clock.open // DAY).tolist())
        day = int(act.slots[-1] // DAY) + 1 if act.slots else int(self.period_start // DAY)
        end = int(self.horizon // DAY)
        extra = [d * DAY for d in range(day, end + 1) if d in open_days and ((d + 3) % 7) + 1 in weekdays]
        act.slots = act.slots + extra

    @staticmethod
    def _flow(entries: list[dict[str, Any]], changes: list[Change]) -> dict[tuple, tuple[list[str], list[float]]]:
        """Context → (next activities, cumulative probabilities); a context with `times` is keyed
        (activities, times)."""
        table: dict[tuple, tuple[list[str], list[float]]] = {}
        for e in entries:
            probs = dict(e["next"])
            for c in changes:
                if e["after"][-1] == c.activity and c.target in probs:
                    probs[c.target] *= c.factor
            total = sum(probs.values())
            if total <= 0:
                continue
            names = list(probs)
            cum = list(np.cumsum([probs[n] / total for n in names]))
            cum[-1] = 1.0
            key = tuple(e["after"])
            table[(key, int(e["times"])) if "times" in e else key] = (names, cum)
        return table

    def _apply(self, c: Change) -> None:
        if c.kind == "branch":
            return
        act = self.acts[self.code[c.activity]]
        if c.kind == "eliminate":
            act.eliminated = True
        elif c.kind == "automate":
            act.automated = min(max(c.factor, 0.0), 1.0)
        elif c.kind == "capacity":
            act.capacity_factor *= c.factor
        elif c.kind == "delay" and act.delay is not None:
            act.delay = [x * c.factor for x in act.delay]
            act.delay_after = {p: tuple(None if q is None else [x * c.factor for x in q] for q in v)  # type: ignore[misc]
                               for p, v in act.delay_after.items()}
        elif c.kind == "processing" and act.processing is not None:
            act.processing = [x * c.factor for x in act.processing]
            act.work = act.work * c.factor if act.work is not None else None
        elif c.kind == "batch" and act.slots is not None:
            seen = sorted(set(int(s // DAY) for s in act.slots))
            added = {d + (wd - ((d + 3) % 7 + 1)) for d in seen for wd in c.weekdays}
            open_days = set((self.clock.open // DAY).tolist())
            act.slots = sorted(set(act.slots) | {d * DAY for d in added if d in open_days})

    # --- arrivals ---------------------------------------------------------------------------------------

    def arrivals(self, rng: np.random.Generator) -> np.ndarray:
        """Arrival instants in the period: Poisson counts per hour at the model's rate, uniform in the hour."""
        arr = self.model["arrivals"]
        first_hour = math.floor(self.period_start / 3600)
        hours = np.arange(first_hour, math.floor(self.period_end / 3600) + 1, dtype=np.int64)
        day = hours // 24
        how = ((day + 3) % 7) * 24 + hours % 24
        month = day.astype("datetime64[D]").astype("datetime64[M]")
        factor = {np.datetime64(k, "M"): float(v) for k, v in arr["month_factor"].items()}
        months = np.unique(month)
        per_month = np.array([factor.get(m, 0.0) for m in months])
        rate = np.asarray(arr["per_hour_of_week"])[how] * per_month[np.searchsorted(months, month)]
        n = rng.poisson(rate)
        t = np.repeat(hours * 3600.0, n) + rng.random(int(n.sum())) * 3600.0
        t = t[(t >= self.period_start) & (t <= self.period_end)]
        return np.sort(t)


def run(model: Compiled, *, seed: int, run_no: int) -> SimLog:
    """One simulated period: every case arriving in it, played until it ends (or the horizon)."""
    m = model
    clock = m.clock
    w1, at1 = clock.w1, clock.at1
    acts = m.acts
    flow = m.flow
    code = m.code
    arrival = m.arrivals(np.random.default_rng([seed, run_no]))
    n = arrival.size
    free = [-math.inf] * len(acts)  # per queue: working second at which the next case may start
    ev_case: list[int] = []
    ev_act: list[int] = []
    ev_start: list[float] = []
    ev_end: list[float] = []
    ev_ready: list[float] = []
    ev_staff: list[float] = []
    done = [math.nan] * n
    hist: list[list[str]] = [[START] * CONTEXT for _ in range(n)]
    rngs = [random.Random(seed * 1_000_000_007 + run_no * 10_000_019 + c) for c in range(n)]
    heap: list[tuple[float, int, int, int, float]] = [(float(arrival[c]), c, _READY, c, 0.0) for c in range(n)]
    heapq.heapify(heap)
    seq = n
    week_s = clock.week_seconds
    pending: dict[int, tuple[int, float, float]] = {}
    imm = [True] * n  # whether the case's last step began at once (it is being worked on)
    contexts = range(CONTEXT, 0, -1)  # case → (activity, ready) while it waits to join a queue

    def record(c: int, a: _Act, ready: float, start: float, end: float, staff: float) -> None:
        imm[c] = start - ready < IMMEDIATE_S
        ev_case.append(c)
        ev_act.append(a.code)
        ev_start.append(start)
        ev_end.append(end)
        ev_ready.append(ready)
        ev_staff.append(staff)

    while heap:
        t, _, kind, c, xw = heapq.heappop(heap)
        rng = rngs[c]
        if kind == _JOIN:  # a case joins a capacity-bound queue at working second xw
            a_code, ready, up = pending.pop(c)
            a = acts[a_code]
            turn = xw if xw > free[a.code] else free[a.code]
            local = at1(turn)
            cap = a.capacity.get(_monday(int(local // DAY)), a.normal_capacity) if a.capacity else a.normal_capacity
            cap *= a.capacity_factor
            free[a.code] = turn + (week_s / cap if cap > 0 else math.inf)
            proc = _sample(a.processing, up) if a.processing else 0.0
            start, end = local, at1(turn + proc)
            record(c, a, ready, start, end, a.work if a.work is not None else proc)
            seq += 1
            heapq.heappush(heap, (end, seq, _READY, c, 0.0))
            continue
        h = hist[c]
        while True:  # the next activity; eliminated steps are drawn (the path stays as it was) but not done
            if len(h) - CONTEXT >= m.max_path or t > m.horizon:
                nxt = END
                break
            entry = None
            last = h[-1]
            if last == h[-2] and last != START:  # done several times in a row: how many times matters
                times = 1
                while times < RUN_CAP and h[-1 - times] == last:
                    times += 1
                entry = flow.get((tuple(h[-CONTEXT:]), times))
            if entry is None:
                for k in contexts:  # the longest history the log saw often enough
                    entry = flow.get(tuple(h[-k:]))
                    if entry is not None:
                        break
            if entry is None:
                nxt = END
                break
            names, cum = entry
            nxt = names[bisect_right(cum, rng.random())] if len(names) > 1 else names[0]
            if nxt == END:
                break
            # every step drawn takes its four draws, done or not, so a change leaves the rest aligned
            ud, up, ut, ua = rng.random(), rng.random(), rng.random(), rng.random()
            h.append(nxt)
            if not acts[code[nxt]].eliminated:
                break
        if nxt == END:
            done[c] = t if len(h) > CONTEXT else math.nan
            continue
        a = acts[code[nxt]]
        first = len(h) == CONTEXT + 1
        delay = a.delay
        split = a.delay_after.get(h[-2]) if a.delay_after else None
        if split is not None:
            delay = (split[1] if imm[c] else split[2]) or split[0]
        if ua < a.automated:
            start, end = t, t + AUTOMATED_SECONDS
            record(c, a, t, start, end, 0.0)
        elif first:
            proc = _sample(a.processing, up) if a.staff and a.processing else 0.0
            start, end = t, (at1(w1(t) + proc) if proc else t)
            record(c, a, t, start, end, (a.work if a.work is not None else proc) if a.staff else 0.0)
        elif a.kind in ("system", "external") or (not a.staff):
            start = end = t + (_sample(delay, ud) if delay else 0.0)
            record(c, a, t, start, end, 0.0)
        elif a.slots is not None:  # batch: the first batch day the case is ready `lead` before
            i = bisect_left(a.slots, t + a.lead)
            if i >= len(a.slots):
                done[c] = math.nan
                continue
            start = a.slots[i] + (_sample(a.time_of_day, ut) if a.time_of_day else 0.0)
            proc = _sample(a.processing, up) if a.processing else 0.0
            end = at1(w1(start) + proc)
            record(c, a, t, start, end, a.work if a.work is not None else proc)
        else:
            wait = _sample(delay, ud) if delay else 0.0
            xw = w1(t) + wait
            if (a.capacity is not None or a.normal_capacity < math.inf) and (a.repeats_queue or h.count(nxt) == 1):
                pending[c] = (a.code, t, up)
                seq += 1
                heapq.heappush(heap, (at1(xw), seq, _JOIN, c, xw))
                continue
            proc = _sample(a.processing, up) if a.processing else 0.0
            # (almost) no wait: done when the case got there, even after hours, as the log's were
            start = at1(xw) if wait >= IMMEDIATE_S else t + wait
            end = at1(xw + proc) if proc > 0 else start
            record(c, a, t, start, end, a.work if a.work is not None else proc)
        seq += 1
        heapq.heappush(heap, (end, seq, _READY, c, 0.0))

    return SimLog(
        activities=m.names, case=np.asarray(ev_case, dtype=np.int64), act=np.asarray(ev_act, dtype=np.int64),
        start=np.asarray(ev_start), end=np.asarray(ev_end), ready=np.asarray(ev_ready),
        staff_seconds=np.asarray(ev_staff), arrival=arrival, done=np.asarray(done),
        path_key=[frozenset(code[x] for x in h[CONTEXT:]) for h in hist])
