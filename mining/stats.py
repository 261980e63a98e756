"""The mining statistics as DuckDB SQL over one log's events in an in-memory database.

Every function here takes the in-memory connection and builds tables from the ones before it:
`load_events` (compact copy: names become small integers) → `prepare_events` (calendar, and the
aggregates that do not depend on order) → `order_events` (`ev`: each event with its predecessor in
case order) → `pair_tables` (aggregates over the pairs) and `case_order_table` → `case_table` →
`variant_table` (`m_variants`) → `case_rows_table` (`m_cases`), `activity_table`, `dfg_table`,
`monthly_table`. No Python loop runs over events or cases; Python only sees the few rows of the
completion rule and the summary.

Definitions (the README and `mining.results` document the columns):
- Case order is (`ts_end`, `event_seq`): without the tie-breaker equal timestamps come out in any
  order and counts change from run to run. pm4py keeps file order for ties, which `event_seq` is.
- A *pair* is an event and its predecessor in the case. DFG times are the time between the two
  completions (as pm4py's performance DFG on complete-only logs). *Waiting* before B is
  `ts_start(B) − ts_end(prev)` (never below 0: overlap is no wait) where B has a start time, else the
  time between completions; `wait_basis` says which.
- Hour statistics use only pairs where both events have second precision; a pair with a date-only
  event is counted separately and measured in whole days between local dates (calendar zone).
- `*_seconds` columns of the DFG use every pair, whatever its precision: that is what pm4py computes,
  kept for comparison.
- Durations and lead times use closed cases (see `completion_rule`); open cases are left out.

The same functions run on Apache Spark (`mining.spark_engine`): their SQL is translated by SQLGlot in
`mining.spark_sql`, so keep to what both engines can run (see the rewrites listed there; e.g. days
between dates with `date_diff`, since DATE − DATE is an interval in Spark) and keep every statistic a
statement sent through `con.execute`. tests/test_spark.py compares the two engines table by table.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any, Literal

import duckdb

from saksflyt.extractors.errors import InputError, StoreError

from .calendar import KEY_SHIFT_DAYS, WorkCalendar, create_days, day_join, local_day_sql, working_us_sql

US_PER_HOUR = 3_600_000_000
US_PER_DAY = 24 * US_PER_HOUR
DEFAULT_END_COVERAGE = 0.8


def check_zone(con: duckdb.DuckDBPyConnection, zone: str) -> None:
    known = con.execute("SELECT count(*) FROM pg_timezone_names() WHERE name = ?", [zone]).fetchall()[0][0]
    if not known:
        raise InputError(f"unknown time zone '{zone}'")


def require_log(con: duckdb.DuckDBPyConnection, source: str, store_path: object, log_name: str) -> None:
    """The attached store `source` holds log `log_name`; else a StoreError naming the logs it has."""
    tables = {r[0] for r in con.execute(
        "SELECT table_name FROM duckdb_tables() WHERE database_name = ?", [source]).fetchall()}
    if "logs" not in tables:
        raise StoreError(f"{store_path}: no logs in this store yet")
    if not con.execute(f"SELECT count(*) FROM {source}.logs WHERE log = ?", [log_name]).fetchall()[0][0]:
        known = [r[0] for r in con.execute(f"SELECT log FROM {source}.logs ORDER BY log").fetchall()]
        raise StoreError(f"no log named '{log_name}' (logs: {', '.join(known) or 'none'})")


def load_events(con: duckdb.DuckDBPyConnection, source: str, log_name: str) -> int:
    """Copy one log from `source.events` (an attached store) into compact in-memory tables.

    `act_dict`, `res_dict` and `case_dict` map names to integers (aid, rid, cid); `events_in` holds
    (cid, aid, rid, end_us, start_us (epoch µs), is_day, event_seq). Integers instead of strings keep
    memory and sorting small. Returns the number of events.
    """
    con.execute(f"""
        CREATE OR REPLACE TABLE act_dict AS
        SELECT CAST(row_number() OVER (ORDER BY activity) AS INTEGER) AS aid, activity
        FROM (SELECT DISTINCT activity FROM {source}.events WHERE log = ?)
    """, [log_name])
    con.execute(f"""
        CREATE OR REPLACE TABLE res_dict AS
        SELECT CAST(row_number() OVER (ORDER BY resource) AS INTEGER) AS rid, resource
        FROM (SELECT DISTINCT resource FROM {source}.events WHERE log = ? AND resource IS NOT NULL)
    """, [log_name])
    con.execute(f"""
        CREATE OR REPLACE TABLE case_dict AS
        SELECT CAST(row_number() OVER () AS INTEGER) AS cid, case_id
        FROM (SELECT DISTINCT case_id FROM {source}.events WHERE log = ?)
    """, [log_name])
    con.execute(f"""
        CREATE OR REPLACE TABLE events_in AS
        SELECT c.cid, a.aid, r.rid, epoch_us(e.ts_end) AS end_us, epoch_us(e.ts_start) AS start_us,
               e.ts_precision = 'day' AS is_day, e.event_seq
        FROM {source}.events e
        JOIN case_dict c ON c.case_id = e.case_id
        JOIN act_dict a ON a.activity = e.activity
        LEFT JOIN res_dict r ON r.resource = e.resource
        WHERE e.log = ?
    """, [log_name])
    return con.execute("SELECT count(*) FROM events_in").fetchall()[0][0]


@dataclass(frozen=True)
class Prepared:
    """What `prepare_events` learnt that later steps need."""

    has_start: bool
    has_day: bool  # some event has only a date: its pairs are left out of hour statistics
    offset_us: int  # key offset of the calendar table, see `mining.calendar.create_days`


# days(first, last) builds table `calendar_days` in the connection and returns its offset_us
DaysMaker = Callable[[date, date], int]


def prepare_events(con: duckdb.DuckDBPyConnection, *, calendar: WorkCalendar,
                   days: DaysMaker | None = None) -> Prepared:
    """Build the calendar table and the aggregates that need no case order.

    `act_base` (per activity: events, resources, whether it has start times, processing time),
    `case_base` (per case: size, first moment, last completion, their local dates and working clock)
    and `month_events` are computed straight from `events_in`. Local dates and the working clock W
    come from joins on the calendar table; W and dates are monotone, so a case's first and last
    values are those of its first and last instants. `days` makes the calendar table where `con` is
    not DuckDB (the Spark engine builds it in DuckDB, whose ICU knows the zones, and hands it over).
    """
    if days is None:
        check_zone(con, calendar.zone)
    first, last, has_start, has_day = con.execute("""
        SELECT CAST(make_timestamp(min(least(coalesce(start_us, end_us), end_us))) AS DATE) - 2,
               CAST(make_timestamp(max(end_us)) AS DATE) + 2,
               count(start_us) > 0, count(CASE WHEN is_day THEN 1 END) > 0
        FROM events_in
    """).fetchall()[0]
    if first is None:
        raise InputError("the log has no events to mine")
    offset = days(first, last) if days else create_days(con, calendar, first=first, last=last)
    h = US_PER_HOUR
    con.execute(f"""
        CREATE OR REPLACE TABLE act_base AS
        WITH b AS (
            SELECT aid, count(*) AS events, count(DISTINCT rid) AS resources, count(start_us) > 0 AS measured
            FROM events_in GROUP BY aid
        ),
        s AS (
            SELECT e.aid, (e.end_us - e.start_us) / {h} AS proc_h,
                   ({working_us_sql('e.end_us', 'de')} - {working_us_sql('e.start_us', 'ds')}) / {h} AS proc_wh
            FROM events_in e {day_join('e.end_us', 'de', offset)} {day_join('e.start_us', 'ds', offset)}
            WHERE e.start_us IS NOT NULL AND NOT e.is_day
        ),
        p AS (
            SELECT aid, count(*) AS processing_events, quantile_cont(proc_h, [0.5, 0.9]) AS proc_q,
                   sum(proc_h) AS total_processing_hours, median(proc_wh) AS median_processing_working_hours
            FROM s GROUP BY aid
        )
        SELECT b.*, coalesce(p.processing_events, 0) AS processing_events, p.proc_q, p.total_processing_hours,
               p.median_processing_working_hours
        FROM b LEFT JOIN p ON p.aid = b.aid
    """)
    con.execute(f"""
        CREATE OR REPLACE TABLE case_base AS
        WITH c AS (
            SELECT cid, count(*) AS events,
                   min(least(coalesce(start_us, end_us), end_us)) AS first_us,
                   arg_min(is_day, least(coalesce(start_us, end_us), end_us)) AS first_is_day,
                   min(end_us) AS first_end_us, max(end_us) AS last_us
            FROM events_in GROUP BY cid
        )
        SELECT c.*, {local_day_sql('c.first_us', 'df')} AS first_day, {working_us_sql('c.first_us', 'df')} AS first_wus,
               {local_day_sql('c.last_us', 'dl')} AS last_day, {working_us_sql('c.last_us', 'dl')} AS last_wus
        FROM c {day_join('c.first_us', 'df', offset)} {day_join('c.last_us', 'dl', offset)}
    """)
    con.execute(f"""
        CREATE OR REPLACE TABLE month_events AS
        SELECT CAST(date_trunc('month', {local_day_sql('e.end_us', 'de')}) AS DATE) AS month, count(*) AS events
        FROM events_in e {day_join('e.end_us', 'de', offset)} GROUP BY 1
    """)
    return Prepared(has_start=bool(has_start), has_day=bool(has_day), offset_us=offset)


def wait_from_start_sql(start: str, prev_end: str) -> str:
    """SQL for the waiting before an event with a start time, in the unit of its operands: from the
    predecessor's completion to the start, never below 0 (overlap is no wait); NULL without either.
    The one definition of waiting: `order_events` and the explorer's filtered aggregates both use it."""
    return f"CASE WHEN {start} IS NOT NULL AND {prev_end} IS NOT NULL THEN greatest({start} - {prev_end}, 0) END"


def waiting_sql(*, measured: str, start: str, prev_end: str, end: str) -> str:
    """SQL for the waiting before an event as `act_waits` counts it: from the start where the activity's
    wait basis is measured (`measured` true), else the time between the two completions."""
    return f"CASE WHEN {measured} THEN {wait_from_start_sql(start, prev_end)} ELSE {end} - {prev_end} END"


# Bits of `ptag` in `order_events`: the activity id, then the precision flag, then the local date.
_AID_BITS = 24
_AID_MASK = (1 << _AID_BITS) - 1
_DAY_NUMBER = "date_diff('day', DATE '1970-01-01', {})"  # a DATE as days since 1970


def order_events(con: duckdb.DuckDBPyConnection, prepared: Prepared) -> int:
    """Build `ev`: each event in case order (`end_us`, `event_seq`) with its predecessor; drops `events_in`.

    Columns: cid, aid, pos (1-based), is_day, prev_aid; between the predecessor's completion and
    this one gap_us, gap_wus (working µs) and gap_days (local dates); where this event has a start,
    wait_us, wait_wus, wait_days from the predecessor's completion to the start (floored at 0); pair_day
    (either event date-only). The completion's working clock and local date go through the sort; the
    start's calendar row is joined after it, and only when the log has start times. The sort carries
    as little as it can: the predecessor's activity, precision and local date travel in one packed
    integer (`ptag`) instead of three lags.
    """
    off = prepared.offset_us
    if prepared.has_start:
        start_col, start_join = "start_us,", day_join("w.start_us", "ds", off)
        timed = "w.start_us IS NOT NULL AND w.pe IS NOT NULL"
        waits = f"""
               -- greatest() skips NULLs in DuckDB, hence the explicit CASE
               {wait_from_start_sql('w.start_us', 'w.pe')} AS wait_us,
               CASE WHEN {timed} THEN greatest({working_us_sql('w.start_us', 'ds')} - w.pw, 0) END AS wait_wus,
               CASE WHEN {timed} THEN CAST(greatest({_DAY_NUMBER.format(local_day_sql('w.start_us', 'ds'))} - w.prev_dn,
                                                    0) AS INTEGER) END AS wait_days,"""
    else:
        start_col, start_join = "", ""
        waits = """
               CAST(NULL AS BIGINT) AS wait_us, CAST(NULL AS BIGINT) AS wait_wus,
               CAST(NULL AS INTEGER) AS wait_days,"""
    shift = KEY_SHIFT_DAYS  # keeps the packed date positive
    con.execute(f"""
        CREATE OR REPLACE TABLE ev AS
        WITH b AS (
            SELECT e.cid, e.aid, e.is_day, e.end_us, e.event_seq, {start_col.replace('start_us', 'e.start_us')}
                   {working_us_sql('e.end_us', 'de')} AS end_wus,
                   {_DAY_NUMBER.format(local_day_sql('e.end_us', 'de'))} AS end_dn
            FROM events_in e {day_join('e.end_us', 'de', off)}
        ),
        s AS (
            SELECT cid, aid, is_day, end_us, end_wus, end_dn, {start_col}
                   CAST(row_number() OVER o AS INTEGER) AS pos,
                   lag(CAST(aid AS BIGINT) | (CAST(is_day AS BIGINT) << {_AID_BITS})
                       | (CAST(end_dn + {shift} AS BIGINT) << {_AID_BITS + 1})) OVER o AS ptag,
                   lag(end_us) OVER o AS pe, lag(end_wus) OVER o AS pw
            FROM b
            WINDOW o AS (PARTITION BY cid ORDER BY end_us, event_seq)
        ),
        w AS (
            SELECT *, CAST(ptag & {_AID_MASK} AS INTEGER) AS prev_aid, (ptag >> {_AID_BITS}) & 1 = 1 AS pday,
                   (ptag >> {_AID_BITS + 1}) - {shift} AS prev_dn
            FROM s
        )
        SELECT w.cid, w.aid, w.pos, w.is_day, w.prev_aid,
               w.end_us - w.pe AS gap_us, w.end_wus - w.pw AS gap_wus,
               CAST(w.end_dn - w.prev_dn AS INTEGER) AS gap_days,
               {waits}
               w.is_day OR w.pday AS pair_day
        FROM w {start_join}
    """)
    con.execute("DROP TABLE events_in")
    return con.execute("SELECT count(*) FROM ev").fetchall()[0][0]


@dataclass(frozen=True)
class CompletionRule:
    """Which cases count as closed: those whose last event is one of `end_activities`.

    `basis` is "given" (the user named them) or "most_common": the end activities taken in order of
    how many cases they end, until together they end at least `coverage` of all cases; an activity
    ending as many cases as the last one taken is taken too, so the rule does not depend on ties.
    """

    end_activities: tuple[str, ...]
    basis: Literal["given", "most_common"]
    coverage: float | None

    def describe(self) -> str:
        acts = ", ".join(self.end_activities)
        if self.basis == "given":
            return f"closed = last activity is one of the given end activities ({acts})"
        return (f"closed = last activity is one of the most common end activities that together end "
                f"≥ {self.coverage:.0%} of cases ({acts})")


def completion_rule(con: duckdb.DuckDBPyConnection, *, given: tuple[str, ...] = (),
                    coverage: float = DEFAULT_END_COVERAGE) -> CompletionRule:
    """Decide the completion rule from `case_order` (one row per distinct end activity reaches Python)."""
    ends = con.execute("""
        SELECT a.activity, count(*) AS cases FROM case_order o JOIN act_dict a ON a.aid = o.end_aid
        GROUP BY a.activity ORDER BY cases DESC, a.activity
    """).fetchall()
    if given:
        known = {r[0] for r in con.execute("SELECT activity FROM act_dict").fetchall()}
        unknown = [a for a in given if a not in known]
        if unknown:
            raise InputError(f"--end-activities: not an activity of this log: {', '.join(unknown)}")
        return CompletionRule(tuple(dict.fromkeys(given)), "given", None)
    if not 0 < coverage <= 1:
        raise InputError(f"end-activity coverage must be in (0, 1], got {coverage}")
    return CompletionRule(most_common_ends(ends, coverage), "most_common", coverage)


def most_common_ends(ends: list[tuple[str, int]], coverage: float) -> tuple[str, ...]:
    """End activities, most cases first, taken until they end ≥ `coverage` of all cases (ties included).

    `ends` is (activity, cases ended) sorted by cases descending, then name; one row per end activity.
    """
    total = sum(n for _, n in ends)
    chosen: list[str] = []
    covered, last_taken = 0, None
    for activity, n in ends:
        if covered >= coverage * total and n != last_taken:
            break
        chosen.append(activity)
        covered += n
        last_taken = n
    return tuple(chosen)


def case_order_table(con: duckdb.DuckDBPyConnection) -> None:
    """Build `case_order`: per case its trace (activity ids in case order), first and last activity.

    Each event is packed into one integer (pos, is_day, aid) so that a plain list sort puts the trace
    in order: about half the cost of an ordered aggregate.
    """
    con.execute("""
        CREATE OR REPLACE TABLE case_order AS
        WITH p AS (
            SELECT cid, list_sort(list((CAST(pos AS BIGINT) << 33) | (CAST(is_day AS BIGINT) << 32) | aid)) AS packed
            FROM ev GROUP BY cid
        )
        SELECT cid, list_transform(packed, lambda x: CAST(x & 4294967295 AS INTEGER)) AS trace,
               CAST(packed[1] & 4294967295 AS INTEGER) AS start_aid,
               CAST(packed[-1] & 4294967295 AS INTEGER) AS end_aid,
               (packed[-1] >> 32) & 1 = 1 AS last_is_day
        FROM p
    """)


def case_table(con: duckdb.DuckDBPyConnection, rule: CompletionRule) -> None:
    """Build `case_facts`: one row per case (cid) with its trace of activity ids, ends and durations.

    A case runs from its first moment (earliest start or completion) to its last completion; hours are
    given only when both ends have second precision, days always (between local dates).
    """
    h = US_PER_HOUR
    con.execute(f"""
        CREATE OR REPLACE TABLE case_facts AS
        SELECT b.cid, b.events, o.trace, o.start_aid, o.end_aid,
               list_contains(CAST(? AS VARCHAR[]), a.activity) AS closed,
               b.first_us, b.first_end_us, b.last_us, b.first_day, b.last_day,
               (b.last_us - b.first_us) / 1e6 AS duration_seconds,
               CASE WHEN NOT b.first_is_day AND NOT o.last_is_day THEN (b.last_us - b.first_us) / {h} END
                   AS duration_hours,
               CASE WHEN NOT b.first_is_day AND NOT o.last_is_day THEN (b.last_wus - b.first_wus) / {h} END
                   AS working_hours,
               date_diff('day', b.first_day, b.last_day) AS duration_days,
               b.first_is_day OR o.last_is_day AS day_precision
        FROM case_base b JOIN case_order o ON o.cid = b.cid JOIN act_dict a ON a.aid = o.end_aid
    """, [list(rule.end_activities)])
    con.execute("DROP TABLE case_base")
    con.execute("DROP TABLE case_order")


def variant_table(con: duckdb.DuckDBPyConnection) -> None:
    """Build `variant_ids` and `m_variants` (id 1 = most cases; ties by the activity sequence)."""
    con.execute("""
        CREATE OR REPLACE TABLE variant_ids AS
        WITH v AS (
            SELECT trace, count(*) AS cases, count(*) FILTER (WHERE closed) AS closed_cases,
                   median(duration_hours) FILTER (WHERE closed) AS median_duration_hours,
                   median(working_hours) FILTER (WHERE closed) AS median_working_hours,
                   median(duration_days) FILTER (WHERE closed) AS median_duration_days
            FROM case_facts GROUP BY trace
        ),
        named AS (
            SELECT v.*, list_transform(v.trace, lambda x: n.names[x]) AS activities
            FROM v CROSS JOIN (SELECT list(activity ORDER BY aid) AS names FROM act_dict) n
        )
        SELECT CAST(row_number() OVER (ORDER BY cases DESC, activities) AS INTEGER) AS variant_id, *
        FROM named
    """)
    con.execute("""
        CREATE OR REPLACE TABLE m_variants AS
        SELECT variant_id, activities, len(activities) AS length, cases,
               cases / sum(cases) OVER () AS case_share, closed_cases,
               median_duration_hours, median_working_hours, median_duration_days
        FROM variant_ids
    """)


def case_rows_table(con: duckdb.DuckDBPyConnection) -> None:
    """Build `m_cases`: one row per case with its name, variant and durations (after `variant_table`).

    It only reads tables that no later statistic changes, so `mining.run` builds it on a second
    connection beside the activity and DFG statistics: the join of ~100k cases runs on one thread.
    """
    con.execute("""
        CREATE OR REPLACE TABLE m_cases AS
        SELECT k.case_id, v.variant_id, c.events, sa.activity AS start_activity, ea.activity AS end_activity,
               c.closed,
               make_timestamptz(c.first_us) AS first_at,
               make_timestamptz(c.last_us) AS last_at,
               c.duration_seconds, c.duration_hours, c.working_hours, c.duration_days, c.day_precision
        FROM case_facts c
        JOIN case_dict k ON k.cid = c.cid
        JOIN variant_ids v ON v.trace = c.trace
        JOIN act_dict sa ON sa.aid = c.start_aid
        JOIN act_dict ea ON ea.aid = c.end_aid
    """)


def pair_tables(con: duckdb.DuckDBPyConnection, prepared: Prepared) -> None:
    """Build `act_waits` (waiting before each activity) and `dfg_pairs` (time between each pair) from `ev`.

    These are the two large aggregates over the events, and they need nothing from the cases or
    variants, so `mining.run` computes them on a second connection while the (single-threaded) case
    and variant tables are built. The wait basis is 'measured' for an activity whose events have start
    times, else 'between_completions', decided before aggregating so only one set of wait statistics
    is computed.

    Without date-only events every pair is an hour pair. The SQL then says so instead of filtering each
    aggregate (a fifth of the cost), the day figures are empty, and the `*_seconds` figures (over every
    pair) are taken from the hour figures over the same pairs instead of sorting every gap once more.
    """
    h = US_PER_HOUR
    if prepared.has_day:
        hours = " FILTER (WHERE NOT pair_day)"
        seconds = "avg(gap_us / 1e6) AS mean_seconds, median(gap_us / 1e6) AS median_seconds,"
        from_hours = ""
    else:
        hours = seconds = ""
        from_hours = ", mean_hours * 3600 AS mean_seconds, hour_q[1] * 3600 AS median_seconds"

    def days(aggregate: str, empty: str) -> str:
        return f"{aggregate} FILTER (WHERE pair_day)" if prepared.has_day else empty

    con.execute(f"""
        CREATE OR REPLACE TABLE act_waits AS
        SELECT ev.aid,
               count(x.w_us){hours} AS wait_pairs,
               quantile_cont(x.w_us / {h}, [0.5, 0.9]){hours} AS wait_q,
               sum(x.w_us / {h}){hours} AS total_wait_hours,
               median(x.w_wus / {h}){hours} AS median_wait_working_hours,
               {days("count(x.w_days)", "CAST(0 AS BIGINT)")} AS wait_day_pairs,
               {days("median(x.w_days)", "CAST(NULL AS DOUBLE)")} AS median_wait_days
        FROM ev JOIN act_base b ON b.aid = ev.aid,
             LATERAL (SELECT CASE WHEN b.measured THEN ev.wait_us ELSE ev.gap_us END AS w_us,
                             CASE WHEN b.measured THEN ev.wait_wus ELSE ev.gap_wus END AS w_wus,
                             CASE WHEN b.measured THEN ev.wait_days ELSE ev.gap_days END AS w_days) x
        GROUP BY ev.aid
    """)
    con.execute(f"""
        CREATE OR REPLACE TABLE dfg_pairs AS
        SELECT *{from_hours} FROM (
        SELECT prev_aid, aid, count(*) AS count, {seconds}
               count(*){hours} AS hour_pairs,
               quantile_cont(gap_us / {h}, [0.5, 0.9]){hours} AS hour_q,
               avg(gap_us / {h}){hours} AS mean_hours,
               median(gap_wus / {h}){hours} AS median_working_hours,
               {days("count(*)", "CAST(0 AS BIGINT)")} AS day_pairs,
               {days("quantile_cont(gap_days, [0.5, 0.9])", "CAST(NULL AS DOUBLE[])")} AS day_q,
               {days("avg(gap_days)", "CAST(NULL AS DOUBLE)")} AS mean_days
        FROM ev WHERE pos > 1 GROUP BY prev_aid, aid) AS g
    """)


def activity_table(con: duckdb.DuckDBPyConnection) -> None:
    """Build `m_activities`: counts, processing time (where a start exists) and waiting before it.

    Needs `pair_tables`. Cases per activity come from the variants (a case has the activity iff its
    variant has).
    """
    con.execute("""
        CREATE OR REPLACE TABLE m_activities AS
        WITH c AS (
            SELECT aid, sum(cases) AS cases
            FROM (SELECT unnest(list_distinct(trace)) AS aid, cases FROM variant_ids) GROUP BY aid
        ),
        se AS (
            SELECT aid, sum(starts) AS start_cases, sum(ends) AS end_cases FROM (
                SELECT start_aid AS aid, count(*) AS starts, 0 AS ends FROM case_facts GROUP BY 1
                UNION ALL
                SELECT end_aid, 0, count(*) FROM case_facts GROUP BY 1)
            GROUP BY aid
        )
        SELECT d.activity, b.events, c.cases, c.cases / (SELECT count(*) FROM case_facts) AS case_share,
               b.resources, coalesce(se.start_cases, 0) AS start_cases, coalesce(se.end_cases, 0) AS end_cases,
               b.processing_events,
               b.proc_q[1] AS median_processing_hours, b.proc_q[2] AS p90_processing_hours,
               b.total_processing_hours, b.median_processing_working_hours,
               CASE WHEN b.measured THEN 'measured' ELSE 'between_completions' END AS wait_basis,
               w.wait_pairs, w.wait_q[1] AS median_wait_hours, w.wait_q[2] AS p90_wait_hours,
               w.total_wait_hours, w.median_wait_working_hours, w.wait_day_pairs, w.median_wait_days
        FROM act_base b JOIN act_dict d ON d.aid = b.aid JOIN act_waits w ON w.aid = b.aid JOIN c ON c.aid = b.aid
        LEFT JOIN se ON se.aid = b.aid
        ORDER BY b.events DESC, d.activity
    """)


def dfg_table(con: duckdb.DuckDBPyConnection) -> None:
    """Build `m_dfg`: directly-follows pairs with frequency and the time between the two completions.

    Needs `pair_tables`. Cases per pair come from the variants (a case has the pair iff its variant has).
    """
    con.execute("""
        CREATE OR REPLACE TABLE m_dfg AS
        WITH c AS (
            SELECT e.s AS prev_aid, e.t AS aid, sum(cases) AS cases
            FROM (SELECT unnest(list_distinct(list_transform(range(1, len(trace)),
                                                           lambda i: {'s': trace[i], 't': trace[i + 1]}))) AS e,
                         cases
                  FROM variant_ids)
            GROUP BY ALL
        )
        SELECT s.activity AS source, t.activity AS target, g.count, c.cases, g.hour_pairs,
               g.hour_q[1] AS median_hours, g.mean_hours, g.hour_q[2] AS p90_hours, g.median_working_hours,
               g.day_pairs, g.day_q[1] AS median_days, g.mean_days, g.day_q[2] AS p90_days,
               g.mean_seconds, g.median_seconds
        FROM dfg_pairs g JOIN act_dict s ON s.aid = g.prev_aid JOIN act_dict t ON t.aid = g.aid
        JOIN c ON c.prev_aid = g.prev_aid AND c.aid = g.aid
        ORDER BY g.count DESC, source, target
    """)


def monthly_table(con: duckdb.DuckDBPyConnection) -> None:
    """Build `m_monthly`: cases started, closed cases finished and events per local calendar month."""
    con.execute("""
        CREATE OR REPLACE TABLE m_monthly AS
        WITH t AS (
            SELECT CAST(date_trunc('month', first_day) AS DATE) AS month, count(*) AS started,
                   0 AS finished, 0 AS events
            FROM case_facts GROUP BY 1
            UNION ALL
            SELECT CAST(date_trunc('month', last_day) AS DATE), 0, count(*), 0 FROM case_facts WHERE closed GROUP BY 1
            UNION ALL
            SELECT month, 0, 0, events FROM month_events
        )
        SELECT month, sum(started)::BIGINT AS cases_started, sum(finished)::BIGINT AS cases_finished,
               sum(events)::BIGINT AS events
        FROM t GROUP BY month ORDER BY month
    """)


def summary(con: duckdb.DuckDBPyConnection) -> dict[str, Any]:
    """Headline numbers of the log; durations over closed cases only."""
    cur = con.execute("""
        SELECT count(*) AS cases,
               count(*) FILTER (WHERE closed) AS closed_cases,
               sum(events) AS events,
               (SELECT count(*) FROM act_dict) AS activities,
               (SELECT count(*) FROM m_variants) AS variants,
               make_timestamptz(min(first_end_us)) AS first_event_at,
               make_timestamptz(max(last_us)) AS last_event_at,
               median(duration_hours) FILTER (WHERE closed) AS median_case_duration_hours,
               median(working_hours) FILTER (WHERE closed) AS median_case_working_hours,
               median(duration_days) FILTER (WHERE closed) AS median_case_duration_days,
               count(*) FILTER (WHERE closed AND day_precision) AS closed_cases_day_precision
        FROM case_facts
    """)
    names = [d[0] for d in cur.description]
    return dict(zip(names, cur.fetchall()[0]))
