"""Discrete-event simulation of case work by named clerks in office hours, shared by the sosialhjelp and
klage generators.

Clerks are people with capacity: each belongs to one role, works one task at a time during office hours
(Monday–Friday 08:00–15:45, Norwegian public holidays closed), and when free takes the oldest waiting
task of the role (a work-conserving FIFO queue) after a short unlogged break; nobody starts a task in
the last quarter of an hour before closing. Besides the logged steps every role has unlogged other work
(the front desk, phone calls, other case types) in the same queue, as real clerks do, so utilisation is
realistic and queues form. A task unfinished at closing time is finished after hours when that takes at
most half an hour, else resumed the next working day, so a step's completion minus its start can exceed
the time worked; the truth counts the time worked. Clerks take three weeks of summer holiday, in three
shifts within a role.

Cases are Python generators that yield commands (`Work`, `Instant`, `Hold`) and receive, for `Work`,
the name of the clerk who did it. Time is local wall-clock seconds since 1970 (office hours are a
wall-clock notion); person work runs on an office clock that counts only opening hours, which makes
pausing at closing time and skipping weekends and holidays exact. Same seed, same simulation.
"""
from __future__ import annotations

import heapq
import json
from bisect import bisect_left
from collections.abc import Callable, Generator, Iterable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from saksflyt.extractors.errors import InputError
from .byggesak_model import _DAY, OFFICE_DAY_S, OPEN_S, TZ
from .byggesak_simulation import _holidays

SUMMER_WEEK = 26  # ISO week of the first clerk's first holiday week; colleagues follow three weeks apart
VACATION_WEEKS = 3
MAX_TASK_S = OFFICE_DAY_S  # processing times are capped at one working day
LAST_START_S = OFFICE_DAY_S - 15 * 60  # nobody starts a task in the last quarter of an hour before closing
OVERTIME_S = 30 * 60  # a task that needs at most this much past closing is finished the same day


@dataclass(frozen=True)
class Generated:
    """A generated log and its ground truth: `events` one row per event in case and time order."""

    events: pd.DataFrame
    truth: dict


@dataclass(frozen=True)
class Work:
    """A person step of `role`. `clerk` continues with the clerk who just finished the case's previous step,
    straight away (same sitting); `not_before` (wall seconds) is an appointment: queued only from then."""

    role: str
    activity: str
    clerk: str | None = None
    not_before: int | None = None


@dataclass(frozen=True)
class Instant:
    """A system or external event at wall time `at` (any hour); the case goes on from then."""

    activity: str
    resource: str
    at: int


@dataclass(frozen=True)
class Hold:
    """Hand the case to `join(case)`, which resumes it later with `Simulation.resume` (a batch, a meeting)."""

    join: Callable[[int], None]


class OfficeCalendar:
    """Office seconds counted from the first working day, and back to wall-clock seconds."""

    def __init__(self, first_day: int, last_day: int) -> None:
        first_year = int(np.datetime64(first_day, "D").astype("datetime64[Y]").astype(np.int64)) + 1970
        last_year = int(np.datetime64(last_day, "D").astype("datetime64[Y]").astype(np.int64)) + 1970
        self.holidays = _holidays(first_year, last_year + 1)
        days = np.arange(first_day, last_day + 1)
        self.workdays: list[int] = days[np.is_busday(days.astype("datetime64[D]"), holidays=self.holidays)].tolist()

    def office(self, t: int) -> int:
        """Office seconds at wall time t; outside opening hours, the next opening."""
        day, tod = divmod(t, _DAY)
        i = bisect_left(self.workdays, day)
        if i < len(self.workdays) and self.workdays[i] == day:
            return i * OFFICE_DAY_S + min(max(tod - OPEN_S, 0), OFFICE_DAY_S)
        return i * OFFICE_DAY_S

    def wall(self, b: int) -> int:
        """Wall time of office second b (a day's closing moment is the next day's opening)."""
        i, rest = divmod(b, OFFICE_DAY_S)
        return self.workdays[i] * _DAY + OPEN_S + rest

    def wall_end(self, b: int) -> int:
        """Wall time at which work ending at office second b ends: a day's closing moment stays that day."""
        return self.wall(b - 1) + 1

    def next_workday(self, day: int, offset: int = 0) -> int:
        """The working day `offset` working days after the first working day on or after `day`."""
        return self.workdays[bisect_left(self.workdays, day) + offset]

    def summer_vacations(self, names: Iterable[str]) -> dict[str, list[tuple[int, int]]]:
        """Per clerk, office-second intervals of three weeks' summer holiday: the clerks in turn take weeks
        26–28, 29–31 and 32–34, so at most a third of a pool of three is away at once."""
        first, last = self.workdays[0], self.workdays[-1]
        years = range(int(np.datetime64(first, "D").astype("datetime64[Y]").astype(np.int64)) + 1970,
                      int(np.datetime64(last, "D").astype("datetime64[Y]").astype(np.int64)) + 1971)
        out: dict[str, list[tuple[int, int]]] = {}
        for k, name in enumerate(names):
            spans = []
            for year in years:
                week = SUMMER_WEEK + VACATION_WEEKS * (k % 3)
                monday = int(pd.Timestamp.fromisocalendar(year, week, 1).to_datetime64().astype("datetime64[D]")
                             .astype(np.int64))
                begin, end = monday * _DAY + OPEN_S, (monday + 7 * VACATION_WEEKS) * _DAY + OPEN_S
                if first * _DAY <= begin and end <= last * _DAY:
                    spans.append((self.office(begin), self.office(end)))
            out[name] = spans
        return out

    def away(self, spans: list[tuple[int, int]], t: int) -> bool:
        """Whether wall time t is inside one of the office-second intervals `spans`."""
        b = self.office(t)
        return any(lo <= b < hi for lo, hi in spans)


class _Clerk:
    __slots__ = ("name", "role", "state", "leave_pending", "idle_since", "worked_logged", "worked_other")

    def __init__(self, name: str, role: str) -> None:
        self.name = name
        self.role = role
        self.state = "idle"  # idle | busy | away
        self.leave_pending = False
        self.idle_since = 0
        self.worked_logged = 0
        self.worked_other = 0


# heap entry kinds
_RESUME, _ENQUEUE, _DONE, _FREE, _LEAVE, _RETURN, _OTHER, _CALL = range(8)


class Simulation:
    """One run: clerks, queues, cases and the events they produce (see the module docstring).

    `minutes` holds the planted mean processing minutes per person activity: lognormal with that mean
    and `sigma`, at least a minute, at most one working day. `other_hours_per_week` is each present
    clerk's unlogged other work per role, arriving at random (Poisson) into the role's queue.
    """

    def __init__(self, *, rng: np.random.Generator, calendar: OfficeCalendar, roles: dict[str, tuple[str, ...]],
                 minutes: dict[str, float], sigma: float, other_hours_per_week: dict[str, float],
                 other_minutes: float, break_minutes: float, until: int) -> None:
        self.rng = rng
        self.cal = calendar
        self.minutes = minutes
        self.sigma = sigma
        self.other_minutes = other_minutes
        self.break_minutes = break_minutes
        self.until = until
        self.now = 0
        self.clerks = {name: _Clerk(name, role) for role, names in roles.items() for name in names}
        self.roles = roles
        self.vacations = {name: spans for names in roles.values()
                          for name, spans in calendar.summer_vacations(names).items()}
        self._queue: dict[str, list] = {role: [] for role in roles}
        self._heap: list = []
        self._seq = 0
        self._cases: dict[int, Generator] = {}
        self._continuing: _Clerk | None = None
        self._continued = False
        self._normals = np.empty(0)
        self._exps = np.empty(0)
        # recorded events: case, activity, start (wall, -1 for instantaneous), end (wall), resource, seconds
        # worked, office seconds waited in the queue before the start
        self.records: tuple[list, ...] = ([], [], [], [], [], [], [])
        for name, spans in self.vacations.items():
            for lo, hi in spans:
                self._push(calendar.wall(lo), _LEAVE, self.clerks[name])
                self._push(calendar.wall(hi), _RETURN, (self.clerks[name], hi))
        self._plan_other_work(other_hours_per_week)

    # --- scheduling --------------------------------------------------------------------------------

    def _push(self, t: int, kind: int, payload) -> None:
        self._seq += 1
        heapq.heappush(self._heap, (t, self._seq, kind, payload))

    def start_case(self, case: int, at: int, process: Generator) -> None:
        self._cases[case] = process
        self._push(at, _RESUME, (case, None))

    def resume(self, case: int, at: int, value=None) -> None:
        """Go on with a held case at wall time `at` (not before now), sending it `value`."""
        self._push(max(at, self.now), _RESUME, (case, value))

    def call_at(self, at: int, fn: Callable[[], None]) -> None:
        self._push(at, _CALL, fn)

    def record(self, case: int, activity: str, start: int, end: int, resource: str, worked: int,
               queued: int = 0) -> None:
        for column, value in zip(self.records, (case, activity, start, end, resource, worked, queued)):
            column.append(value)

    # --- random draws, buffered (one numpy call per few thousand draws, not per task) --------------

    def _normal(self) -> float:
        if not self._normals.size:
            self._normals = self.rng.standard_normal(4096)
        value, self._normals = self._normals[0], self._normals[1:]
        return float(value)

    def _exponential(self) -> float:
        if not self._exps.size:
            self._exps = self.rng.standard_exponential(4096)
        value, self._exps = self._exps[0], self._exps[1:]
        return float(value)

    def duration(self, mean_minutes: float) -> int:
        """Seconds of work: lognormal with this mean, at least a minute, at most one working day."""
        mu = np.log(mean_minutes * 60) - self.sigma**2 / 2
        return int(min(max(round(np.exp(mu + self.sigma * self._normal())), 60), MAX_TASK_S))

    # --- the run -----------------------------------------------------------------------------------

    def run(self) -> None:
        handlers = {_RESUME: self._on_resume, _ENQUEUE: self._enqueue, _DONE: self._on_done, _FREE: self._on_free,
                    _LEAVE: self._on_leave, _RETURN: self._on_return, _OTHER: self._enqueue, _CALL: lambda fn: fn()}
        heap = self._heap
        while heap:
            t, _, kind, payload = heapq.heappop(heap)
            if t > self.until:
                break
            self.now = t
            handlers[kind](payload)

    def _on_resume(self, payload) -> None:
        case, value = payload
        self._advance(case, value)

    def _advance(self, case: int, value) -> None:
        try:
            command = self._cases[case].send(value)
        except StopIteration:
            del self._cases[case]
            return
        if isinstance(command, Instant):
            if command.at < self.now:
                raise ValueError(f"case {case}: {command.activity} at {command.at} is before now {self.now}")
            self.record(case, command.activity, -1, command.at, command.resource, 0)
            self._push(command.at, _RESUME, (case, None))
        elif isinstance(command, Work):
            if command.clerk is not None:
                clerk = self._continuing
                if clerk is None or clerk.name != command.clerk:
                    raise ValueError(f"case {case}: {command.activity} continues with {command.clerk}, who did "
                                     "not just finish its previous step")
                self._continued = True
                pause = 60 + int(self._exponential() * 90)  # saving, opening the next screen
                at = self.cal.office(self.now) + pause
                self._start(clerk, at, (case, command.activity, at))
            elif command.not_before is not None and command.not_before > self.now:
                self._push(command.not_before, _ENQUEUE, (command.role, case, command.activity))
            else:
                self._enqueue((command.role, case, command.activity))
        elif isinstance(command, Hold):
            command.join(case)
        else:
            raise TypeError(f"case {case} yielded {command!r}")

    def _enqueue(self, payload) -> None:
        role, case, activity = payload
        ready = self.cal.office(self.now)
        self._seq += 1
        heapq.heappush(self._queue[role], (ready, self._seq, case, activity))
        idle = [self.clerks[n] for n in self.roles[role] if self.clerks[n].state == "idle"]
        if idle:
            clerk = min(idle, key=lambda c: c.idle_since)  # the one who has waited longest
            notice = int(self._exponential() * self.break_minutes * 60)  # an idle clerk sees it after a while
            self._take(clerk, ready + notice)

    def _take(self, clerk: _Clerk, at: int) -> None:
        """The clerk, free at office second `at`, takes the oldest waiting task of the role, if any."""
        queue = self._queue[clerk.role]
        if not queue:
            clerk.state = "idle"
            clerk.idle_since = at
            return
        ready, _, case, activity = heapq.heappop(queue)
        self._start(clerk, at, (case, activity, ready))

    def _start(self, clerk: _Clerk, at: int, task: tuple) -> None:
        case, activity, ready = task
        if at % OFFICE_DAY_S > LAST_START_S:
            at += OFFICE_DAY_S - at % OFFICE_DAY_S  # tomorrow morning
        worked = self.duration(self.other_minutes if activity is None else self.minutes[activity])
        end = at + worked
        end_wall = self.cal.wall_end(end)
        left = OFFICE_DAY_S - at % OFFICE_DAY_S
        if left < worked <= left + OVERTIME_S:  # finished after closing rather than left for tomorrow
            end, end_wall = at + left, self.cal.wall(at) + worked
        clerk.state = "busy"
        if activity is None:
            clerk.worked_other += worked
        else:
            clerk.worked_logged += worked
        self._push(end_wall, _DONE, (clerk, case, activity, at, end, worked, at - ready))

    def _on_done(self, payload) -> None:
        clerk, case, activity, start, end, worked, queued = payload
        if activity is not None:
            self.record(case, activity, self.cal.wall(start), self.now, clerk.name, worked, queued)
            self._continuing, self._continued = clerk, False
            self._advance(case, clerk.name)
            self._continuing = None
            if self._continued:
                return
        rest = int(self._exponential() * self.break_minutes * 60)
        self._push(self.cal.wall(end + rest), _FREE, (clerk, end + rest))

    def _on_free(self, payload) -> None:
        clerk, at = payload
        if clerk.leave_pending:
            clerk.state, clerk.leave_pending = "away", False
            return
        self._take(clerk, at)

    def _on_leave(self, clerk: _Clerk) -> None:
        if clerk.state == "idle":
            clerk.state = "away"
        else:
            clerk.leave_pending = True

    def _on_return(self, payload) -> None:
        clerk, at = payload
        if clerk.state == "away" or clerk.leave_pending:
            clerk.leave_pending = False
            if clerk.state == "away":
                self._take(clerk, at)

    def _plan_other_work(self, hours_per_week: dict[str, float]) -> None:
        """Unlogged other work: per present clerk a Poisson stream on the office clock, into the role's queue."""
        horizon = self.cal.office(self.until)
        for role, names in self.roles.items():
            hours = hours_per_week.get(role, 0.0)
            if hours <= 0:
                continue
            per_second = hours * 60 / self.other_minutes / (5 * OFFICE_DAY_S)
            for name in names:
                count = int(horizon * per_second * 1.2) + 50
                at = np.cumsum(self.rng.exponential(1 / per_second, count)).astype(np.int64)
                at = at[at < horizon]
                for lo, hi in self.vacations[name]:
                    at = at[(at < lo) | (at >= hi)]
                for b in at.tolist():
                    self._seq += 1
                    self._heap.append((self.cal.wall(b), self._seq, _OTHER, (role, None, None)))
        heapq.heapify(self._heap)

    def utilisation(self) -> dict[str, dict]:
        """Per role: clerks, hours available (present office hours up to `until`), worked on logged steps and
        on other work, and the share of the available time worked."""
        horizon = self.cal.office(self.until)
        out = {}
        for role, names in self.roles.items():
            available = sum(horizon - sum(min(hi, horizon) - lo for lo, hi in self.vacations[n] if lo < horizon)
                            for n in names)
            logged = sum(self.clerks[n].worked_logged for n in names)
            other = sum(self.clerks[n].worked_other for n in names)
            out[role] = {"clerks": list(names), "available_hours": round(available / 3600, 1),
                         "logged_work_hours": round(logged / 3600, 1), "other_work_hours": round(other / 3600, 1),
                         "utilisation": round((logged + other) / available, 4) if available else 0.0,
                         "logged_share_of_available": round(logged / available, 4) if available else 0.0}
        return out


# --- shared helpers for the generators ------------------------------------------------------------


def citizen_time(rng: np.random.Generator, after: int, days: float) -> int:
    """A citizen acts `days` (calendar days, fractional) after wall time `after`, at a time of day people do:
    mostly daytime and evening, weekends too. Never before `after`."""
    day = (after + int(days * _DAY)) // _DAY
    if rng.random() < 0.8:
        tod = int(np.clip(rng.normal(14.5 * 3600, 3.5 * 3600), 6 * 3600, _DAY - 1))
    else:
        tod = int(rng.integers(0, _DAY))
    return max(day * _DAY + tod, after + 60)


def night_run(after: int, *, hour: int, spread_s: int, rng: np.random.Generator) -> int:
    """The next nightly batch run at `hour`:00 after wall time `after`, a few seconds to minutes into it."""
    day = after // _DAY
    t = day * _DAY + hour * 3600
    if t <= after:
        t += _DAY
    return t + int(rng.integers(0, spread_s))


def arrival_days(rng: np.random.Generator, *, n: int, first_day: int, per_day: float, weekend_weight: float,
                 calendar: OfficeCalendar, day_weight: Callable[[np.ndarray], np.ndarray] | None = None
                 ) -> tuple[np.ndarray, int]:
    """Local day numbers of n arrivals at `per_day` a day on average, fewer on weekends and holidays.

    Returns the days (unsorted) and the number of days the arrivals span.
    """
    span = max(7, int(np.ceil(n / per_day)))
    days = first_day + np.arange(span)
    weight = np.where(np.is_busday(days.astype("datetime64[D]"), holidays=calendar.holidays), 1.0, weekend_weight)
    if day_weight is not None:
        weight = weight * day_weight(days)
    return rng.choice(days, size=n, p=weight / weight.sum()), span


def localise(seconds: np.ndarray) -> pd.DatetimeIndex:
    """Local wall-clock seconds → Europe/Oslo instants: the repeated autumn hour read as summer time (so
    order is kept), a time in the spring gap moved to 03:00."""
    naive = pd.DatetimeIndex(np.asarray(seconds, dtype=np.int64).astype("datetime64[s]").astype("datetime64[us]"))
    return naive.tz_localize(TZ, ambiguous=np.ones(len(naive), dtype=bool), nonexistent="shift_forward")


def iso_offset(ts: pd.DatetimeIndex | pd.Series, *, millis: bool = False) -> pd.Series:
    """ISO 8601 with a colon in the offset: 2024-03-31T10:05:00+02:00 (or …:00.000+02:00)."""
    text = pd.Series(ts).dt.strftime("%Y-%m-%dT%H:%M:%S.000%z" if millis else "%Y-%m-%dT%H:%M:%S%z")
    return text.str[:-2] + ":" + text.str[-2:]


def utc_iso(ts: pd.Timestamp) -> str:
    return ts.tz_convert("UTC").isoformat().replace("+00:00", "Z")


def span_truth(first: pd.Timestamp, last: pd.Timestamp, span_days: float, extracted: int) -> dict:
    """The truth file's `span` (first and last completion, UTC) and `office_hours`, as both generators write them."""
    return {"span": {"first_completion": utc_iso(first), "last_completion": utc_iso(last), "span_days": r4(span_days),
                     "extracted_at": utc_iso(localise(np.array([extracted]))[0])},
            "office_hours": {"weekdays": "Monday-Friday except Norwegian public holidays", "start": "08:00",
                             "end": "15:45", "timezone": TZ}}


def r4(x: float) -> float:
    return round(float(x), 4)


def activity_table(*, activities: tuple[str, ...], kinds: dict[str, str], minutes: dict[str, float],
                   events: pd.DataFrame, span_days: float) -> dict[str, dict]:
    """Per activity: resource kind, events, cases, planted mean minutes, true processing hours (time worked),
    those hours per year (× 365.25 / span_days) and the mean office hours waited in the clerks' queue.
    `events` has columns case, activity, worked, queued (seconds)."""
    out = {}
    per_year = 365.25 / span_days if span_days > 0 else 0.0
    for a in activities:
        rows = events[events["activity"] == a]
        hours = rows["worked"].sum() / 3600
        person = kinds[a] == "person" and len(rows) > 0
        out[a] = {"resource_kind": kinds[a], "events": int(len(rows)), "cases": int(rows["case"].nunique()),
                  "planted_mean_processing_minutes": minutes.get(a, 0.0),
                  "true_processing_hours": r4(hours),
                  "mean_processing_minutes": r4(hours * 60 / len(rows)) if person else 0.0,
                  "staff_hours_per_year": r4(hours * per_year),
                  "mean_queue_office_hours": r4(rows["queued"].mean() / 3600) if person else 0.0}
    return out


def write_truth(truth: dict, path: Path) -> None:
    path.write_text(json.dumps(truth, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


def cases_for_events(generate: Callable[..., Generated], events: int, *, seed: int) -> int:
    """The case count at which `generate` gives about `events` events, from a 600-case pilot run."""
    if events < 1:
        raise InputError(f"events target must be at least 1, got {events}")
    pilot = generate(cases=600, seed=seed).truth["counts"]
    return max(1, round(events / (pilot["events"] / pilot["cases"])))


def simulate_cases(*, seed: np.random.SeedSequence | int, calendar: OfficeCalendar, roles: dict[str, tuple[str, ...]],
                   minutes: dict[str, float], sigma: float, other_hours_per_week: dict[str, float],
                   other_minutes: float, break_minutes: float, arrival: np.ndarray,
                   process: Callable[[Simulation, int], Generator]) -> tuple[Simulation, int, tuple[np.ndarray, ...]]:
    """Run the office on one case per arrival (`process(sim, i)` makes case i's steps) until the end of
    the last arrival day, the extraction moment (cases in flight stay open). Returns the run, that moment,
    and the records completed by then (case, activity, start, end, resource, worked, queued), each case's
    in its own order."""
    extracted = int(arrival.max()) // _DAY * _DAY + _DAY - 1
    s = Simulation(rng=np.random.default_rng(seed), calendar=calendar, roles=roles, minutes=minutes, sigma=sigma,
                   other_hours_per_week=other_hours_per_week, other_minutes=other_minutes,
                   break_minutes=break_minutes, until=extracted)
    for i in range(arrival.size):
        s.start_case(i, int(arrival[i]), process(s, i))
    s.run()
    records = tuple(np.asarray(x) for x in s.records)
    end = records[3]
    keep = end <= extracted
    order = np.flatnonzero(keep)[np.argsort(records[0][keep], kind="stable")]  # a case's records are in its order
    return s, extracted, tuple(x[order] for x in records)


def truth_path(path: str | Path) -> Path:
    """`log.csv` → `log.truth.json`, next to it."""
    path = Path(path)
    return path.with_name(f"{path.stem}.truth.json")

