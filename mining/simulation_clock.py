"""Working time on local wall-clock seconds, for the simulation: W(t) and its inverse, scalar and vectorised.

The simulation runs on local wall-clock seconds since 1970 (office hours are a wall-clock notion, as in
`mining.calendar`); a clock covers the days from `first` to `last` and treats instants outside them as
the nearest covered moment. Working time is a list of open intervals: the calendar's working day on
its working days, or, where the log shows other hours (a Dutch office working until six, a call centre
in the evening), the open hours of each weekday learnt from the log (`hours`). Public holidays are
closed either way. The event store's own working-time measures stay in DuckDB (`mining.calendar`);
this is the same idea as plain arrays, because a discrete-event engine asks one instant at a time and
a DuckDB round trip per event would cost more than the simulation itself.
"""
from __future__ import annotations

from bisect import bisect_right
from collections.abc import Sequence
from datetime import date, timedelta

import numpy as np

from .calendar import WorkCalendar

DAY = 86_400
WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")

# per weekday (Monday first): the open (from_hour, to_hour) ranges
Hours = Sequence[Sequence[tuple[int, int]]]


def _seconds(t: object) -> int:
    return t.hour * 3600 + t.minute * 60 + t.second  # type: ignore[attr-defined]


def hours_text(hours: Hours) -> dict[str, str]:
    """Readable open hours for the model file: {"Mon": "07-12,13-18", "Sun": ""}."""
    return {WEEKDAYS[d]: ",".join(f"{a:02d}-{b:02d}" for a, b in ranges) for d, ranges in enumerate(hours)}


def parse_hours(text: dict[str, str]) -> list[list[tuple[int, int]]]:
    """The inverse of `hours_text` (a user may have edited the file: ValueError names the weekday)."""
    out: list[list[tuple[int, int]]] = []
    for day in WEEKDAYS:
        ranges = []
        for part in filter(None, (text.get(day) or "").split(",")):
            a, b = (int(x) for x in part.split("-"))
            if not 0 <= a < b <= 24:
                raise ValueError(f"open hours of {day}: {part!r} is not HH-HH within 00-24")
            ranges.append((a, b))
        out.append(ranges)
    return out


class WorkClock:
    """The open intervals of a calendar between two dates, and W (working seconds) at each opening."""

    def __init__(self, calendar: WorkCalendar, first: date, last: date, hours: Hours | None = None) -> None:
        closed = set(calendar.closed_days(first.year, last.year))
        epoch = date(1970, 1, 1)
        if hours is None:
            span = (_seconds(calendar.day_start), _seconds(calendar.day_end))
            per_day = [[span] if d + 1 in calendar.workdays else [] for d in range(7)]
        else:
            per_day = [[(a * 3600, b * 3600) for a, b in ranges] for ranges in hours]
        starts: list[int] = []
        ends: list[int] = []
        for i in range((last - first).days + 1):
            d = first + timedelta(days=i)
            if d in closed:
                continue
            base = (d - epoch).days * DAY
            for a, b in per_day[d.weekday()]:
                starts.append(base + a)
                ends.append(base + b)
        if not starts:
            raise ValueError("the calendar has no working hour in the simulated period")
        self.open = np.asarray(starts, dtype=np.int64)
        self.close = np.asarray(ends, dtype=np.int64)
        lengths = self.close - self.open
        self.before = np.concatenate([[0], np.cumsum(lengths)[:-1]])  # W at each opening
        self.week_seconds = int(sum(b - a for day in per_day for a, b in day))
        self._open = self.open.tolist()
        self._close = self.close.tolist()
        self._before = self.before.tolist()
        self.first_day, self.last_day = first, last

    # --- vectorised --------------------------------------------------------------------------------------

    def w(self, t: np.ndarray) -> np.ndarray:
        """Working seconds from the first opening to each local instant (float array)."""
        t = np.asarray(t, dtype=np.float64)
        i = np.clip(np.searchsorted(self.open, t, side="right") - 1, 0, self.open.size - 1)
        return self.before[i] + np.clip(t - self.open[i], 0, self.close[i] - self.open[i])

    def at(self, w: np.ndarray) -> np.ndarray:
        """The local instant at working seconds `w` (the inverse of `w` on working time)."""
        w = np.clip(np.asarray(w, dtype=np.float64), 0, None)
        i = np.clip(np.searchsorted(self.before, w, side="right") - 1, 0, self.open.size - 1)
        return self.open[i] + (w - self.before[i])

    # --- scalar (the engine's hot path) ------------------------------------------------------------------

    def w1(self, t: float) -> float:
        i = bisect_right(self._open, t) - 1
        if i < 0:
            return 0.0
        x = t - self._open[i]
        length = self._close[i] - self._open[i]
        return self._before[i] + (x if x < length else length)

    def at1(self, w: float) -> float:
        i = bisect_right(self._before, w) - 1
        if i < 0:
            i = 0
        return self._open[i] + (w - self._before[i])
