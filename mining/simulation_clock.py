"""Working time on local wall-clock seconds, for the simulation: W(t) and its inverse, scalar and vectorised.

The simulation runs on local wall-clock seconds since 1970 (office hours are a wall-clock notion, as in
`mining.calendar`); a clock covers the days from `first` to `last` and treats instants outside them as
the nearest covered moment. The event store's own working-time measures stay in DuckDB
(`mining.calendar`); this is the same calendar as plain arrays, because a discrete-event engine asks
one instant at a time and a DuckDB round trip per event would cost more than the simulation itself.
"""
from __future__ import annotations

from bisect import bisect_right
from datetime import date, timedelta

import numpy as np

from .calendar import WorkCalendar

DAY = 86_400


def _seconds(t: object) -> int:
    return t.hour * 3600 + t.minute * 60 + t.second  # type: ignore[attr-defined]


class WorkClock:
    """The working days of `calendar` between two dates: opening and closing instants and W at each opening."""

    def __init__(self, calendar: WorkCalendar, first: date, last: date) -> None:
        closed = set(calendar.closed_days(first.year, last.year))
        days = [first + timedelta(days=i) for i in range((last - first).days + 1)]
        work = [d for d in days if d.isoweekday() in calendar.workdays and d not in closed]
        if not work:
            raise ValueError("the calendar has no working day in the simulated period")
        epoch = date(1970, 1, 1)
        day_no = np.array([(d - epoch).days for d in work], dtype=np.int64)
        self.open = day_no * DAY + _seconds(calendar.day_start)
        self.length = _seconds(calendar.day_end) - _seconds(calendar.day_start)
        self.close = self.open + self.length
        self.before = np.arange(len(work), dtype=np.int64) * self.length  # W at each opening
        self.week_seconds = self.length * len(calendar.workdays)
        self.workdays = tuple(calendar.workdays)
        self._open = self.open.tolist()
        self._before = self.before.tolist()
        self.first_day, self.last_day = first, last

    # --- vectorised --------------------------------------------------------------------------------------

    def w(self, t: np.ndarray) -> np.ndarray:
        """Working seconds from the first opening to each local instant (float array)."""
        t = np.asarray(t, dtype=np.float64)
        i = np.clip(np.searchsorted(self.open, t, side="right") - 1, 0, self.open.size - 1)
        return self.before[i] + np.clip(t - self.open[i], 0, self.length)

    def at(self, w: np.ndarray) -> np.ndarray:
        """The local instant at working seconds `w` (the inverse of `w` on working time)."""
        w = np.clip(np.asarray(w, dtype=np.float64), 0, None)
        i = np.clip((w // self.length).astype(np.int64), 0, self.open.size - 1)
        return self.open[i] + (w - self.before[i])

    # --- scalar (the engine's hot path) ------------------------------------------------------------------

    def w1(self, t: float) -> float:
        i = bisect_right(self._open, t) - 1
        if i < 0:
            return 0.0
        x = t - self._open[i]
        return self._before[i] + (x if x < self.length else self.length)

    def at1(self, w: float) -> float:
        n = len(self._open)
        i = int(w // self.length) if w > 0 else 0
        if i >= n:
            i = n - 1
        return self._open[i] + (w - self._before[i])
