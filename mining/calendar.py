"""Working-time calendar: which hours count as working hours, and a DuckDB table to measure them with.

Working time between two instants is W(b) − W(a), where W(t) is the working seconds from the start of
the calendar table up to t. W is computed for every event at once with an ASOF join on the table of
working intervals (one row per working day), so there is no Python loop over events.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import date, time, timedelta
from typing import Any

import duckdb

from saksflyt.extractors.errors import InputError

DAYS_TABLE = "calendar_days"


@dataclass(frozen=True)
class WorkCalendar:
    """Working days and hours in one time zone; `country` names the public holidays (python-holidays)."""

    zone: str = "Europe/Oslo"
    day_start: time = time(8, 0)
    day_end: time = time(15, 45)
    workdays: tuple[int, ...] = (1, 2, 3, 4, 5)  # ISO weekdays, Monday = 1
    country: str | None = "NO"
    subdivision: str | None = None
    extra_closed: tuple[date, ...] = field(default=())  # e.g. Christmas Eve, if the office closes

    def __post_init__(self) -> None:
        if self.day_end <= self.day_start:
            raise InputError(f"working day ends ({self.day_end}) before it starts ({self.day_start})")
        if not set(self.workdays) <= set(range(1, 8)):
            raise InputError(f"workdays must be ISO weekdays 1–7, got {self.workdays}")

    def closed_days(self, first_year: int, last_year: int) -> list[date]:
        """Public holidays of `country` in the years, plus `extra_closed`."""
        days: set[date] = set(self.extra_closed)
        if self.country == "NO" and self.subdivision is None and first_year >= NORWAY_LAW_YEAR:
            # the default calendar: python-holidays would import its ~280 country modules first
            # (0.1 s of every `mine`); tests/test_mining_stats.py checks these against it
            for year in range(first_year, last_year + 1):
                days.update(norwegian_public_holidays(year))
        elif self.country:
            import holidays  # only for other calendars: importing it costs 0.1 s

            try:
                found = holidays.country_holidays(self.country, subdiv=self.subdivision,
                                                  years=range(first_year, last_year + 1))
            except NotImplementedError as exc:
                raise InputError(f"no public-holiday calendar for country '{self.country}'") from exc
            days.update(found.keys())
        return sorted(days)

    @classmethod
    def from_description(cls, d: dict[str, Any]) -> WorkCalendar:
        """The calendar `describe()` wrote (a stored run's settings, a simulation model file)."""
        return cls(zone=d["zone"], day_start=time.fromisoformat(d["day_start"]),
                   day_end=time.fromisoformat(d["day_end"]), workdays=tuple(d["workdays"]),
                   country=d.get("country"), subdivision=d.get("subdivision"),
                   extra_closed=tuple(date.fromisoformat(x) for x in d.get("extra_closed", [])))

    def describe(self) -> dict[str, Any]:
        """JSON-ready settings, stored with each mining run."""
        d = asdict(self)
        d["day_start"] = self.day_start.isoformat("minutes")
        d["day_end"] = self.day_end.isoformat("minutes")
        d["extra_closed"] = [x.isoformat() for x in self.extra_closed]
        d["workdays"] = list(self.workdays)
        return d


NORWEGIAN = WorkCalendar()

NORWAY_LAW_YEAR = 1947  # 1 May and 17 May became public holidays (lov 26. april 1947)


def easter_sunday(year: int) -> date:
    """Western (Gregorian) Easter Sunday: the anonymous Gregorian algorithm (Meeus/Jones/Butcher)."""
    a, b, c = year % 19, year // 100, year % 100
    d, e = divmod(b, 4)
    g = (8 * b + 13) // 25
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    weekday_fix = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 19 * weekday_fix) // 433
    month = (h + weekday_fix - 7 * m + 90) // 25
    day = (h + weekday_fix - 7 * m + 33 * month + 19) % 32
    return date(year, month, day)


def norwegian_public_holidays(year: int) -> list[date]:
    """Norway's public holidays (helligdager and 1 and 17 May) in a year from 1947 on; Sundays not included."""
    easter = easter_sunday(year)
    moving = [easter + timedelta(days=n) for n in (-3, -2, 0, 1, 39, 49, 50)]  # Maundy Thursday … Whit Monday
    fixed = [date(year, m, d) for m, d in ((1, 1), (5, 1), (5, 17), (12, 25), (12, 26))]
    return sorted(moving + fixed)


DAY_US = 86_400_000_000
# Day keys are shifted so the integer division below never sees a negative number (it truncates).
KEY_SHIFT_DAYS = 1_000_000


def create_days(con: duckdb.DuckDBPyConnection, calendar: WorkCalendar, *, first: date, last: date,
                name: str = DAYS_TABLE) -> int:
    """Create table `name`: one row per local day from `first` to `last` with its working interval.

    Columns: k (day key), day (local DATE), midnight_us (local midnight as epoch µs), iv_start_us and
    iv_us (the working interval; iv_us = 0 on closed days), before_us (working µs of all earlier days),
    and the same four for the next day (n_*). Returns `offset_us`, the smallest UTC offset in the range.

    An instant t (epoch µs) joins the row k = (t + offset_us) // 1 day (+ shift): its local day is that
    row's day or the next one (zone offsets within a range differ by less than a day), told apart by
    the next midnight. That is an integer equi-join, much cheaper than an ASOF join on every event.
    W(t) = before_us + clamp(t − iv_start_us, 0, iv_us) of t's day. Local times become instants in
    `calendar.zone` through ICU, so DST changes are handled.
    """
    closed = calendar.closed_days(first.year, last.year)
    con.execute(f"""
        CREATE OR REPLACE TABLE {name} AS
        WITH days AS (
            SELECT CAST(g AS DATE) AS day
            FROM generate_series(CAST(? AS DATE), CAST(? AS DATE), INTERVAL 1 DAY) AS t(g)
        ),
        d AS (
            SELECT day,
                   epoch_us(timezone(?, CAST(day AS TIMESTAMP))) AS midnight_us,
                   epoch_us(timezone(?, day + CAST(? AS TIME))) AS iv_start_us,
                   CASE WHEN list_contains(CAST(? AS INTEGER[]), isodow(day))
                             AND NOT list_contains(CAST(? AS DATE[]), day)
                        THEN epoch_us(timezone(?, day + CAST(? AS TIME)))
                             - epoch_us(timezone(?, day + CAST(? AS TIME)))
                        ELSE 0 END AS iv_us
            FROM days
        ),
        c AS (
            SELECT *, coalesce(sum(iv_us) OVER (ORDER BY day ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0)
                      ::BIGINT AS before_us
            FROM d
        )
        SELECT CAST(day - DATE '1970-01-01' + {KEY_SHIFT_DAYS} AS INTEGER) AS k, day, midnight_us, iv_start_us,
               iv_us, before_us,
               lead(midnight_us) OVER o AS n_midnight_us, lead(iv_start_us) OVER o AS n_iv_start_us,
               lead(iv_us) OVER o AS n_iv_us, lead(before_us) OVER o AS n_before_us
        FROM c WINDOW o AS (ORDER BY day) ORDER BY day
    """, [first, last, calendar.zone, calendar.zone, calendar.day_start, list(calendar.workdays), closed,
          calendar.zone, calendar.day_end, calendar.zone, calendar.day_start])
    low, high = con.execute(f"""
        SELECT min(o), max(o) FROM (
            SELECT (day - DATE '1970-01-01') * {DAY_US} - midnight_us AS o FROM {name}
            UNION ALL
            SELECT (day - DATE '1970-01-01') * {DAY_US} + epoch_us(CAST(? AS TIME)) - iv_start_us FROM {name})
    """, [calendar.day_start]).fetchall()[0]
    if high - low >= DAY_US:
        raise InputError(f"time zone {calendar.zone}: UTC offsets in the log's span differ by a day or more")
    return int(low)


def day_join(us: str, alias: str, offset_us: int, table: str = DAYS_TABLE) -> str:
    """LEFT JOIN clause that finds the calendar row of instant `us` (epoch µs) as `alias`."""
    shift = KEY_SHIFT_DAYS * DAY_US + offset_us
    return f"LEFT JOIN {table} {alias} ON {alias}.k = CAST(({us} + {shift}) // {DAY_US} AS INTEGER)"


def local_day_sql(us: str, alias: str) -> str:
    """SQL for the local DATE of instant `us`, with `alias` the row found by `day_join`."""
    return f"CASE WHEN {us} >= {alias}.n_midnight_us THEN {alias}.day + 1 ELSE {alias}.day END"


def working_us_sql(us: str, alias: str) -> str:
    """SQL for W(us), working µs up to instant `us`, with `alias` the row found by `day_join`."""
    a = alias
    return (f"CASE WHEN {us} >= {a}.n_midnight_us "
            f"THEN {a}.n_before_us + least(greatest({us} - {a}.n_iv_start_us, 0), {a}.n_iv_us) "
            f"ELSE {a}.before_us + least(greatest({us} - {a}.iv_start_us, 0), {a}.iv_us) END")


def working_hours(con: duckdb.DuckDBPyConnection, start: Any, end: Any, *,
                  calendar: WorkCalendar = NORWEGIAN) -> float:
    """Working hours between two instants (for checks and small callers; statistics use the table)."""
    first, last = con.execute(
        "SELECT CAST(timezone(?, CAST(? AS TIMESTAMPTZ)) AS DATE) - 1, "
        "CAST(timezone(?, CAST(? AS TIMESTAMPTZ)) AS DATE) + 1",
        [calendar.zone, start, calendar.zone, end]).fetchone()
    offset = create_days(con, calendar, first=first, last=last, name="_wh_days")
    try:
        (us,) = con.execute(f"""
            WITH p(i, us) AS (VALUES (0, epoch_us(CAST(? AS TIMESTAMPTZ))), (1, epoch_us(CAST(? AS TIMESTAMPTZ)))),
            w AS (SELECT p.i, {working_us_sql('p.us', 'd')} AS wu FROM p {day_join('p.us', 'd', offset, '_wh_days')})
            SELECT max(wu) FILTER (WHERE i = 1) - max(wu) FILTER (WHERE i = 0) FROM w
        """, [start, end]).fetchone()
    finally:
        con.execute("DROP TABLE IF EXISTS _wh_days")
    return us / 3_600_000_000
