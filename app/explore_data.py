"""Read-only, cached data access for the explorer: the store's stored results and filtered aggregates.

DuckDB lets one process write and then no other process may even open the file, so every load opens a
short read-only connection, retries briefly while a writer holds the lock, and closes it again. When
the lock outlasts the retry, the last version of the store seen is used (its results are in the
caches) and `Snapshot.stale` tells the page to say "updating". Caches are keyed on the store's
*version*: the latest mining run of each log and when the log was last loaded, so a new `saksflyt mine`
or `ingest` shows up on the next page load, while filters and sliders hit the cache.

Filters narrow the set of cases (`Filters`); aggregates for that set are computed in DuckDB from the
stored `mining_cases` of the run and the `events` of those cases, never in pandas over all events.
The page modules only draw what these functions return.
"""
from __future__ import annotations

import contextlib
import dataclasses
import json
import logging
import math
import re
import threading
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal
from zoneinfo import ZoneInfo

import duckdb
import pandas as pd
import streamlit as st

from saksflyt.app import marks as marks_lib
from saksflyt.extractors import ingest as ingest_lib
from saksflyt.extractors import store
from saksflyt.extractors.errors import SaksflytError, StoreError, StoreLockedError
from saksflyt.extractors.pseudonym import FNR_PREFIX, PREFIX as PSEUDONYM_PREFIX
from saksflyt.extractors.sql_text import literal
from saksflyt.mining import insights_results, results
from saksflyt.mining.insights_results import float_or_none
from saksflyt.mining.discovery import END, START, simplify
from saksflyt.mining.report import named_svg

if TYPE_CHECKING:
    from saksflyt.mining.monitor import MonitorResult

log = logging.getLogger(__name__)

ZONE = "Europe/Oslo"
K_ANONYMITY = 5               # resource statistics only for groups of at least this many people
READ_RETRY_SECONDS = 2.0      # a page waits this long for a writer before showing its last data
CACHE = {"max_entries": 64, "ttl": 3600, "show_spinner": False}
SMALL_CACHE = {"max_entries": 16, "ttl": 3600, "show_spinner": False}
MAX_FILTER_VALUES = 50        # attribute filters only for attributes with at most this many values
MAX_VARIANT_OPTIONS = 100
MAP_READABLE_ACTIVITIES = 25  # default activity slider keeps about this many activities on the map
DEFAULT_PATHS = 80            # default path slider: the paths covering 80 % of transitions (+ bridges) …
MAP_READABLE_EDGES_PER_ACTIVITY = 2  # … but no more than about two arrows per activity on a dense map

# Attributes that name people are never offered as filters: a filter on one person's cases would turn
# every statistic on the page into a statistic about that person (privacy: groups of at least k).
PERSON_ATTRIBUTE = re.compile(
    r"resource|responsible|ansvarlig|saksbehandler|behandler|handler|employee|ansatt|user|bruker|"
    r"navn|name|fnr|fodsels|fødsels|person|owner|eier|email|epost|telefon|phone", re.IGNORECASE)
PSEUDONYM_TOKEN = re.compile(rf"\b(?:{PSEUDONYM_PREFIX}|{FNR_PREFIX})[0-9a-f]{{8,}}\b")

# The process owner cannot act on a traceback; these become one friendly message on the page.
FRIENDLY_ERRORS = (SaksflytError, duckdb.Error, OSError)


class NotMinedError(StoreError):
    """The log is in the store but has no mining run yet."""

    def __init__(self, log_name: str) -> None:
        self.log = log_name
        super().__init__(f"log '{log_name}' has not been mined yet; run `saksflyt mine --log {log_name}`")


class NoStoreError(StoreError):
    """No store file at the path the explorer was given."""

    def __init__(self, path: str) -> None:
        self.path = path
        super().__init__(f"{path}: no store here yet")


# --- connections -------------------------------------------------------------------------------

# One DuckDB database per file per process may be open with one configuration only, so the explorer's
# read-only loads and its one writer (the marks) take turns inside the process; each holds it briefly.
_PROCESS_LOCK = threading.RLock()


@contextlib.contextmanager
def reading(path: str | Path) -> Iterator[duckdb.DuckDBPyConnection]:
    """A short read-only connection with the explorer's brief retry (not the CLI's ten seconds)."""
    target = Path(path)
    if not target.exists():
        raise NoStoreError(str(target))
    with _PROCESS_LOCK:
        con = store.connect(target, read_only=True, retry_seconds=READ_RETRY_SECONDS)
        try:
            con.execute("SET enable_progress_bar = false")
            yield con
        finally:
            con.close()


def _tables(con: duckdb.DuckDBPyConnection) -> set[str]:
    return {r[0] for r in con.execute(
        "SELECT table_name FROM duckdb_tables() WHERE database_name = current_database()").fetchall()}


# --- the store's version -----------------------------------------------------------------------


@dataclass(frozen=True)
class LogVersion:
    """One log as the caches see it: when it was loaded and its latest mining run."""

    log: str
    updated_at: str
    run_id: str | None = None
    run_seq: int | None = None
    run_finished_at: datetime | None = None
    run_started_at: datetime | None = None
    loaded_after_run: bool = False   # events changed since the run: results are older than the log
    score_run_id: str | None = None  # latest automation-scoring run (`saksflyt candidates` runs on its own)


@dataclass(frozen=True)
class Snapshot:
    """The store's logs and runs at one load; `stale` when the store was locked and this is the last seen."""

    path: str
    logs: tuple[LogVersion, ...] = ()
    stale: bool = False
    has_logs_table: bool = True

    def get(self, log_name: str | None) -> LogVersion | None:
        return next((v for v in self.logs if v.log == log_name), None)

    @property
    def names(self) -> list[str]:
        return [v.log for v in self.logs]


_LAST: dict[str, Snapshot] = {}
_LAST_LOCK = threading.Lock()


def _read_snapshot(con: duckdb.DuckDBPyConnection, path: str) -> Snapshot:
    tables = _tables(con)
    if "logs" not in tables:
        return Snapshot(path=path, has_logs_table=False)
    runs = scores = ""
    if "mining_runs" in tables:
        runs = """LEFT JOIN (
                SELECT log, arg_max(run_id, run_seq) AS run_id, max(run_seq) AS run_seq,
                       arg_max(finished_at, run_seq) AS finished_at, arg_max(started_at, run_seq) AS started_at
                FROM mining_runs GROUP BY log) r USING (log)"""
    if "scoring_runs" in tables:
        scores = """LEFT JOIN (SELECT log, arg_max(run_id, run_seq) AS score_run_id FROM scoring_runs GROUP BY log) s
                USING (log)"""
    rows = con.execute(f"""
        SELECT l.log, CAST(l.updated_at AS VARCHAR),
               {"r.run_id, r.run_seq, r.finished_at, r.started_at, coalesce(l.updated_at > r.started_at, false)"
                if runs else "NULL, NULL, NULL, NULL, false"},
               {"s.score_run_id" if scores else "NULL"}
        FROM logs l {runs} {scores}
        ORDER BY l.log
    """).fetchall()
    return Snapshot(path=path, logs=tuple(LogVersion(*r) for r in rows))


def snapshot(path: str | Path) -> Snapshot:
    """The store's current version; the last one seen (marked stale) while a writer holds the lock."""
    key = str(Path(path).resolve())
    try:
        with reading(path) as con:
            snap = _read_snapshot(con, key)
    except StoreLockedError:
        with _LAST_LOCK:
            last = _LAST.get(key)
        if last is None:
            raise
        return dataclasses.replace(last, stale=True)
    with _LAST_LOCK:
        _LAST[key] = snap
    return snap


def require_run(snap: Snapshot, log_name: str) -> LogVersion:
    v = snap.get(log_name)
    if v is None:
        raise StoreError(f"no log named '{log_name}' in the store")
    if v.run_id is None:
        raise NotMinedError(log_name)
    return v


# --- filters -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Filters:
    """What narrows the set of cases; every page's aggregates are recomputed for that set.

    `start`/`end` keep cases with any activity in the period (local dates, both inclusive);
    `attributes` keep cases whose attribute has one of the values (several attributes: all must hold);
    `variants` keep cases of those variants; `present`/`absent` keep cases with every/none of the activities.
    """

    start: date | None = None
    end: date | None = None
    attributes: tuple[tuple[str, tuple[str, ...]], ...] = ()
    variants: tuple[int, ...] = ()
    present: tuple[str, ...] = ()
    absent: tuple[str, ...] = ()

    @property
    def active(self) -> bool:
        return bool(self.start or self.end or any(v for _, v in self.attributes) or self.variants
                    or self.present or self.absent)


# An attribute value as the filter offers and matches it: text, a whole number without ".0", a date …
VALUE_SQL = """coalesce(value_text,
    CASE WHEN value_number = round(value_number) AND abs(value_number) < 1e15
         THEN CAST(CAST(value_number AS BIGINT) AS VARCHAR) ELSE CAST(value_number AS VARCHAR) END,
    CAST(value_bool AS VARCHAR), CAST(value_date AS VARCHAR), CAST(value_time AS VARCHAR))"""


def _local_midnight(d: date) -> datetime:
    return datetime(d.year, d.month, d.day, tzinfo=ZoneInfo(ZONE))


def case_set_sql(filters: Filters, log_name: str, run_id: str) -> tuple[str, list[Any]]:
    """SQL selecting the run's cases (`case_id`, from `mining_cases`) that pass the filters, and its parameters."""
    where = ["c.log = ?", "c.run_id = ?"]
    params: list[Any] = [log_name, run_id]
    if filters.end:
        where.append("c.first_at < ?")
        params.append(_local_midnight(filters.end + timedelta(days=1)))
    if filters.start:
        where.append("c.last_at >= ?")
        params.append(_local_midnight(filters.start))
    if filters.variants:
        where.append("list_contains(?, c.variant_id)")
        params.append(list(filters.variants))
    for name, values in filters.attributes:
        if not values:
            continue
        where.append(f"c.case_id IN (SELECT case_id FROM case_attributes WHERE log = ? AND name = ? "
                     f"AND list_contains(?, {VALUE_SQL}))")
        params += [log_name, name, list(values)]
    # a case's variant is its activity sequence: presence is read from the few variants, not the events
    if filters.present or filters.absent:
        where.append("c.variant_id IN (SELECT variant_id FROM mining_variants WHERE log = ? AND run_id = ? "
                     "AND list_has_all(activities, ?) AND NOT list_has_any(activities, ?))")
        params += [log_name, run_id, list(filters.present), list(filters.absent)]
    return f"SELECT c.* FROM mining_cases c WHERE {' AND '.join(where)}", params


def _case_filter(filters: Filters, log_name: str, run_id: str) -> tuple[str, list[Any]]:
    """A condition on `case_id` for the filtered cases ('' without filters: every case of the log)."""
    if not filters.active:
        return "", []
    cases, params = case_set_sql(filters, log_name, run_id)
    return f" AND case_id IN (SELECT case_id FROM ({cases}))", params


def _pairs_sql(filters: Filters, log_name: str, run_id: str, *, activities: Sequence[str] | None = None,
               cases_with: str | None = None) -> tuple[str, list[Any]]:
    """CTEs ending in `p`: the filtered events in case order, each with what it needs from its predecessor.

    `p` has activity, prev (NULL first in a case), is_last, measured, hour_pair (both second precision),
    between_h (hours between the two completions) and wait_h: waiting as `mining` measures it, from the
    predecessor's completion to the start where the run measured the activity's waiting (never below 0),
    else the time between the two completions. Only narrow integer columns enter the window, so a
    million events stay cheap; nothing is materialised. `activities` projects the log onto those
    activities (A → x → B with x hidden gives A → B, as Disco draws it); `cases_with` keeps the cases
    that contain that activity.
    """
    cond, params = _case_filter(filters, log_name, run_id)
    if activities is not None:
        cond += " AND list_contains(?, activity)"
        params.append(list(activities))
    if cases_with is not None:
        cond += " AND case_id IN (SELECT case_id FROM events WHERE log = ? AND activity = ?)"
        params += [log_name, cases_with]
    sql = f"""
        WITH m AS (
            SELECT activity, wait_basis = 'measured' AS measured FROM mining_activities WHERE log = ? AND run_id = ?
        ),
        e AS (
            SELECT case_id, activity, epoch_us(ts_start) AS s, epoch_us(ts_end) AS t, ts_precision = 'day' AS d,
                   event_seq
            FROM events WHERE log = ?{cond}
        ),
        o AS (
            SELECT *, lag(activity) OVER w AS prev, lag(t) OVER w AS pt, lag(d) OVER w AS pd,
                   lead(activity) OVER w IS NULL AS is_last
            FROM e WINDOW w AS (PARTITION BY case_id ORDER BY t, event_seq)
        ),
        p AS (
            SELECT activity, prev, is_last, coalesce(m.measured, false) AS measured,
                   prev IS NOT NULL AND NOT d AND NOT pd AS hour_pair,
                   CASE WHEN prev IS NOT NULL THEN (t - pt) / 3.6e9 END AS between_h,
                   CASE WHEN prev IS NULL THEN NULL
                        WHEN m.measured THEN CASE WHEN s IS NOT NULL THEN greatest(s - pt, 0) / 3.6e9 END
                        ELSE (t - pt) / 3.6e9 END AS wait_h
            FROM o LEFT JOIN m USING (activity)
        )"""
    return sql, [log_name, run_id, log_name] + params


# --- small helpers -----------------------------------------------------------------------------


def mask_pseudonyms(text: str, label: str = "pseudonym") -> str:
    """Show a pseudonym as what it is, never as if it were a name: `ps_1a2b…` → `[pseudonym ps_1a2b3c4d]`."""
    return PSEUDONYM_TOKEN.sub(lambda m: f"[{label} {m.group(0)[:11]}]", text)


def looks_pseudonymised(values: Sequence[str]) -> bool:
    return any(isinstance(v, str) and PSEUDONYM_TOKEN.fullmatch(v) for v in values)


# --- log list and data quality -----------------------------------------------------------------


@st.cache_data(**SMALL_CACHE)
def _logs(path: str, version: tuple[LogVersion, ...]) -> list[dict[str, Any]]:
    keys = ("log", "source_kind", "cases", "events", "activities", "first_event_at", "last_event_at")
    out = []
    with reading(path) as con:
        kinds = dict(con.execute("SELECT log, source_kind FROM logs").fetchall())
        for v in version:
            if v.run_id is not None:  # the run has the counts: no scan over the events
                row = con.execute("SELECT cases, events, activities, first_event_at, last_event_at FROM mining_runs "
                                  "WHERE log = ? AND run_id = ?", [v.log, v.run_id]).fetchone()
            else:
                row = con.execute("SELECT count(DISTINCT case_id), count(*), count(DISTINCT activity), min(ts_end), "
                                  "max(ts_end) FROM events WHERE log = ?", [v.log]).fetchone()
            out.append(dict(zip(keys, (v.log, kinds.get(v.log), *row))))
    return out


def logs(snap: Snapshot) -> list[dict[str, Any]]:
    """One row per log: cases, events, activities, time span (from its latest run, or its events if not mined)."""
    if not snap.logs:
        return []
    return _logs(snap.path, snap.logs)


@st.cache_data(**SMALL_CACHE)
def _has_columns(path: str, log_name: str, updated_at: str) -> dict[str, int]:
    with reading(path) as con:
        starts, resources = con.execute("SELECT count(ts_start), count(resource) FROM events WHERE log = ?",
                                        [log_name]).fetchone()
    return {"events_with_start_time": int(starts), "events_with_resource": int(resources)}


def has_columns(snap: Snapshot, log_name: str) -> dict[str, int]:
    """How many events have a start time and a resource (a log may have neither)."""
    v = snap.get(log_name)
    if v is None:
        raise StoreError(f"no log named '{log_name}' in the store")
    return _has_columns(snap.path, log_name, v.updated_at)


@st.cache_data(**SMALL_CACHE)
def _quality(path: str, log_name: str, updated_at: str) -> dict[str, Any]:
    with reading(path) as con:
        return ingest_lib.quality(con, log_name)


def quality(snap: Snapshot, log_name: str) -> dict[str, Any]:
    """The data-quality figures of `saksflyt logs --quality` (several scans: drawn on request)."""
    v = snap.get(log_name)
    if v is None:
        raise StoreError(f"no log named '{log_name}' in the store")
    return _quality(snap.path, log_name, v.updated_at)


# --- filter options ----------------------------------------------------------------------------


@dataclass(frozen=True)
class FilterOptions:
    activities: tuple[str, ...]
    variants: tuple[tuple[int, int, str], ...]      # (variant_id, cases, activities joined)
    attributes: tuple[tuple[str, tuple[str, ...]], ...]
    first_day: date | None
    last_day: date | None
    variants_total: int = 0


@st.cache_data(**SMALL_CACHE)
def _filter_options(path: str, log_name: str, run_id: str) -> FilterOptions:
    with reading(path) as con:
        acts = [r[0] for r in con.execute(
            "SELECT activity FROM mining_activities WHERE log = ? AND run_id = ? ORDER BY events DESC, activity",
            [log_name, run_id]).fetchall()]
        variants = con.execute("""
            SELECT variant_id, cases, array_to_string(activities, ' → ') FROM mining_variants
            WHERE log = ? AND run_id = ? ORDER BY variant_id LIMIT ?""", [log_name, run_id, MAX_VARIANT_OPTIONS]
        ).fetchall()
        (n_variants,) = con.execute("SELECT count(*) FROM mining_variants WHERE log = ? AND run_id = ?",
                                    [log_name, run_id]).fetchone()
        first, last = con.execute(f"""
            SELECT CAST(timezone({literal(ZONE)}, min(first_at)) AS DATE), CAST(timezone({literal(ZONE)}, max(last_at)) AS DATE)
            FROM mining_cases WHERE log = ? AND run_id = ?""", [log_name, run_id]).fetchone()
        rows = con.execute(f"""
            WITH v AS (
                SELECT name, {VALUE_SQL} AS value, count(*) AS cases FROM case_attributes
                WHERE log = ? AND kind IN ('text', 'bool', 'number') GROUP BY ALL
            ),
            n AS (SELECT name, count(*) AS values FROM v GROUP BY name)
            SELECT v.name, list(v.value ORDER BY v.cases DESC, v.value) FROM v JOIN n USING (name)
            WHERE n.values BETWEEN 2 AND ? AND v.value IS NOT NULL GROUP BY v.name ORDER BY v.name
        """, [log_name, MAX_FILTER_VALUES]).fetchall()
    attributes = tuple((name, tuple(values)) for name, values in rows
                       if not PERSON_ATTRIBUTE.search(name) and not looks_pseudonymised(values))
    return FilterOptions(activities=tuple(acts), variants=tuple((int(a), int(b), c) for a, b, c in variants),
                         attributes=attributes, first_day=first, last_day=last, variants_total=int(n_variants))


def filter_options(snap: Snapshot, log_name: str) -> FilterOptions:
    v = require_run(snap, log_name)
    return _filter_options(snap.path, log_name, v.run_id)


# --- overview ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Overview:
    cases: int
    closed: int
    events: int
    median_lead_hours: float | None
    median_lead_days: float | None
    within_target: int
    within_share: float | None
    monthly: pd.DataFrame = field(compare=False)

    @property
    def open(self) -> int:
        return self.cases - self.closed


@st.cache_data(**CACHE)
def _overview(path: str, log_name: str, run_id: str, filters: Filters, target_days: float) -> Overview:
    cases_sql, params = case_set_sql(filters, log_name, run_id)
    with reading(path) as con:
        row = con.execute(f"""
            WITH c AS ({cases_sql})
            SELECT count(*), count(*) FILTER (WHERE closed), coalesce(sum(events), 0),
                   median(duration_hours) FILTER (WHERE closed), median(duration_days) FILTER (WHERE closed),
                   count(*) FILTER (WHERE closed AND coalesce(duration_hours <= ? * 24, duration_days <= ?))
            FROM c
        """, params + [target_days, target_days]).fetchone()
        monthly = con.execute(f"""
            WITH c AS ({cases_sql}),
            t AS (
                SELECT CAST(date_trunc('month', timezone({literal(ZONE)}, first_at)) AS DATE) AS month, 1 AS s, 0 AS f FROM c
                UNION ALL
                SELECT CAST(date_trunc('month', timezone({literal(ZONE)}, last_at)) AS DATE), 0, 1 FROM c WHERE closed
            )
            SELECT month, sum(s)::BIGINT AS cases_started, sum(f)::BIGINT AS cases_finished
            FROM t GROUP BY month ORDER BY month
        """, params).df()
    cases, closed, events, med_h, med_d, within = row
    return Overview(cases=int(cases), closed=int(closed), events=int(events), median_lead_hours=float_or_none(med_h),
                    median_lead_days=float_or_none(med_d), within_target=int(within),
                    within_share=(within / closed) if closed else None, monthly=monthly)


def overview(snap: Snapshot, log_name: str, filters: Filters, *, target_days: float) -> Overview:
    """Cases open/closed, events, median lead time and the share of closed cases within the target."""
    v = require_run(snap, log_name)
    return _overview(snap.path, log_name, v.run_id, filters, float(target_days))


@st.cache_data(**SMALL_CACHE)
def _run_summary(path: str, log_name: str, run_id: str) -> dict[str, Any]:
    with reading(path) as con:
        return results.summary(con, log_name, run_id=run_id)


def run_summary(snap: Snapshot, log_name: str) -> dict[str, Any]:
    """The run's `summary.json` (whole log, no filters), e.g. its completion rule."""
    v = require_run(snap, log_name)
    return _run_summary(snap.path, log_name, v.run_id)


# --- process map -------------------------------------------------------------------------------


@st.cache_data(**CACHE)
def _activity_counts(path: str, log_name: str, run_id: str, filters: Filters) -> tuple[pd.DataFrame, int]:
    with reading(path) as con:
        if not filters.active:  # the stored run has them
            df = con.execute("SELECT activity, events, cases FROM mining_activities WHERE log = ? AND run_id = ? "
                             "ORDER BY events DESC, activity", [log_name, run_id]).df()
            (n,) = con.execute("SELECT cases FROM mining_runs WHERE log = ? AND run_id = ?",
                               [log_name, run_id]).fetchone()
            return df, int(n)
        # a variant is an activity sequence: per-activity counts of a case set follow from its variants
        cases_sql, params = case_set_sql(filters, log_name, run_id)
        df = con.execute(f"""
            WITH v AS (SELECT variant_id, count(*) AS n FROM ({cases_sql}) GROUP BY variant_id),
            va AS (SELECT v.n, mv.activities FROM v JOIN mining_variants mv
                   ON mv.log = ? AND mv.run_id = ? AND mv.variant_id = v.variant_id),
            ev AS (SELECT unnest(activities) AS activity, n FROM va),
            cs AS (SELECT unnest(list_distinct(activities)) AS activity, n FROM va)
            SELECT e.activity, e.events, c.cases
            FROM (SELECT activity, sum(n)::BIGINT AS events FROM ev GROUP BY activity) e
            JOIN (SELECT activity, sum(n)::BIGINT AS cases FROM cs GROUP BY activity) c USING (activity)
            ORDER BY events DESC, activity
        """, params + [log_name, run_id]).df()
        (n,) = con.execute(f"SELECT count(*) FROM ({cases_sql})", params).fetchone()
    return df, int(n)


def activity_counts(snap: Snapshot, log_name: str, filters: Filters) -> tuple[pd.DataFrame, int]:
    """Events and cases per activity in the filtered cases, most frequent first; and the number of cases."""
    v = require_run(snap, log_name)
    return _activity_counts(snap.path, log_name, v.run_id, filters)


def kept_activities(counts: pd.DataFrame, keep_pct: float) -> list[str]:
    """The activity slider: the most frequent `keep_pct` % of activities (at least two)."""
    n = len(counts)
    k = min(n, max(2, math.ceil(n * keep_pct / 100)))
    return counts["activity"].head(k).tolist()


def default_activity_pct(n_activities: int) -> int:
    """A slider default that keeps about `MAP_READABLE_ACTIVITIES` on the map, even for 400 activities."""
    if n_activities <= MAP_READABLE_ACTIVITIES:
        return 100
    return max(1, math.floor(100 * MAP_READABLE_ACTIVITIES / n_activities))


def default_paths_pct(edges: pd.DataFrame, n_activities: int) -> int:
    """A path-slider default that keeps a dense map readable: `DEFAULT_PATHS` % of transitions, or less
    where that would draw more than about two arrows per activity (bridges that keep it connected come on top)."""
    counts = sorted(edges["count"].tolist(), reverse=True)
    limit = max(MAP_READABLE_EDGES_PER_ACTIVITY * n_activities, 10)
    total = sum(counts)
    if not total or len(counts) <= limit:
        return DEFAULT_PATHS
    return max(1, min(DEFAULT_PATHS, math.floor(100 * sum(counts[:limit]) / total)))


@dataclass(frozen=True)
class MapData:
    """The filtered log projected onto the kept activities: nodes and edges (with START/END)."""

    nodes: pd.DataFrame = field(compare=False)   # activity, events, cases, median/p90_processing_hours,
                                                 # median_wait_hours, measured
    edges: pd.DataFrame = field(compare=False)   # source, target, count, median_hours, median_wait_hours, day_pairs
    wait_basis: str = "between_completions"      # 'measured' when any kept activity has start times


@st.cache_data(**CACHE)
def _map_data(path: str, log_name: str, run_id: str, filters: Filters, activities: tuple[str, ...]) -> MapData:
    pairs, params = _pairs_sql(filters, log_name, run_id, activities=activities)
    cond, cparams = _case_filter(filters, log_name, run_id)
    with reading(path) as con:
        # one pass over the ordered events gives the edges and the waiting before each activity
        rows = con.execute(f"""{pairs}
            SELECT grouping(prev) AS per_activity, prev, activity, count(*) AS count,
                   count(*) FILTER (WHERE is_last) AS ends,
                   median(between_h) FILTER (WHERE hour_pair) AS median_hours,
                   median(wait_h) FILTER (WHERE hour_pair) AS median_wait_hours,
                   count(*) FILTER (WHERE prev IS NOT NULL AND NOT hour_pair) AS day_pairs,
                   bool_or(measured) AS measured
            FROM p GROUP BY GROUPING SETS ((activity), (prev, activity))
        """, params).df()
        # processing time needs no predecessor: no window
        proc = con.execute(f"""
            SELECT activity,
                   median(CASE WHEN ts_start IS NOT NULL AND ts_precision <> 'day'
                               THEN (epoch_us(ts_end) - epoch_us(ts_start)) / 3.6e9 END) AS median_processing_hours,
                   quantile_cont(CASE WHEN ts_start IS NOT NULL AND ts_precision <> 'day'
                                      THEN (epoch_us(ts_end) - epoch_us(ts_start)) / 3.6e9 END, 0.9)
                       AS p90_processing_hours
            FROM events WHERE log = ? AND list_contains(?, activity){cond} GROUP BY activity
        """, [log_name, list(activities)] + cparams).df()
    per = rows[rows["per_activity"] == 1]
    nodes = pd.DataFrame({"activity": per["activity"], "events": per["count"].astype("int64"),
                          "median_wait_hours": per["median_wait_hours"], "measured": per["measured"].astype(bool)})
    nodes = nodes.merge(proc, on="activity", how="left").sort_values(["events", "activity"], ascending=[False, True])
    pairs_df = rows[rows["per_activity"] == 0]
    edges = pd.DataFrame({"source": pairs_df["prev"].fillna(START), "target": pairs_df["activity"],
                          "count": pairs_df["count"].astype("int64"), "median_hours": pairs_df["median_hours"],
                          "median_wait_hours": pairs_df["median_wait_hours"],
                          "day_pairs": pairs_df["day_pairs"].astype("int64")})
    ends = per[per["ends"] > 0]
    edges = pd.concat([edges, pd.DataFrame({"source": ends["activity"], "target": END,
                                            "count": ends["ends"].astype("int64"), "median_hours": None,
                                            "median_wait_hours": None, "day_pairs": 0})], ignore_index=True)
    edges = edges.sort_values(["count", "source", "target"], ascending=[False, True, True], ignore_index=True)
    basis = "measured" if bool(nodes["measured"].any()) else "between_completions"
    return MapData(nodes=nodes.reset_index(drop=True), edges=edges, wait_basis=basis)


def map_data(snap: Snapshot, log_name: str, filters: Filters, activities: Sequence[str]) -> MapData:
    """Nodes and edges of the map for the filtered cases, projected onto `activities` (as Disco does:
    a case A → x → B with x hidden shows A → B)."""
    v = require_run(snap, log_name)
    md = _map_data(snap.path, log_name, v.run_id, filters, tuple(activities))
    counts, _ = activity_counts(snap, log_name, filters)
    nodes = md.nodes.merge(counts[["activity", "cases"]], on="activity", how="left")
    return dataclasses.replace(md, nodes=nodes)


# Colour-blind-safe (Okabe–Ito) colours for waiting time, short to long; grey: no hour-precision pairs.
WAIT_BINS: tuple[tuple[float, str], ...] = (
    (1.0, "#56B4E9"),          # < 1 h: sky blue
    (24.0, "#0072B2"),         # 1–24 h: blue
    (24.0 * 7, "#E69F00"),     # 1–7 days: orange
    (math.inf, "#D55E00"),     # > 7 days: vermillion
)
NO_TIME_COLOUR = "#999999"


def wait_colour(hours: float | None) -> str:
    if hours is None or (isinstance(hours, float) and math.isnan(hours)):
        return NO_TIME_COLOUR
    return next(colour for limit, colour in WAIT_BINS if hours < limit)


def wait_bin(hours: float | None) -> int | None:
    if hours is None or (isinstance(hours, float) and math.isnan(hours)):
        return None
    return next(i for i, (limit, _) in enumerate(WAIT_BINS) if hours < limit)


@dataclass(frozen=True)
class ProcessMapView:
    dot: str
    edges: pd.DataFrame = field(compare=False)   # the shown edges with their numbers and colour bin
    nodes: pd.DataFrame = field(compare=False)
    edges_total: int = 0


def _esc(s: str) -> str:
    return s.replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ")


@st.cache_data(max_entries=32, show_spinner=False)
def map_svg(dot: str, title: str, desc: str) -> str | None:
    """The map drawn by Graphviz as one named SVG image (None without `dot`: the caller falls back)."""
    from saksflyt.mining.discovery import svg as draw

    drawn = draw(dot)
    return named_svg(drawn, id="process-map", title=title, desc=desc) if drawn else None


def build_map(data: MapData, *, keep_paths_pct: float, mode: Literal["frequency", "performance"],
              fmt_count, fmt_hours, start_label: str = "Start", end_label: str = "End",
              highlight: str | None = None) -> ProcessMapView:
    """The Disco-style map: the paths covering `keep_paths_pct` % of transitions plus those that keep
    every activity reachable (mining's `simplify`); edges coloured by median waiting time."""
    nodes = data.nodes
    acts = nodes["activity"].tolist()
    edges = data.edges
    counts = {(r.source, r.target): int(r.count) for r in edges.itertuples(index=False)}
    kept = simplify(counts, set(acts), keep_paths=max(0.0, min(1.0, keep_paths_pct / 100)))
    shown = edges[[(s, t) in kept for s, t in zip(edges["source"], edges["target"])]].copy()
    ids = {a: f"a{i}" for i, a in enumerate(acts)} | {START: "start", END: "end"}
    top = max(nodes["events"].max() if len(nodes) else 1, 1)
    top_edge = max(shown["count"].max() if len(shown) else 1, 1)
    lines = [
        "digraph process_map {",
        '  graph [rankdir=TB, fontname="Helvetica", bgcolor="transparent", nodesep=0.3, ranksep=0.35];',
        '  node [shape=box, style="rounded,filled", fontname="Helvetica", fontsize=11, color="#2b5d8a", '
        'margin="0.12,0.04"];',
        '  edge [fontname="Helvetica", fontsize=9, arrowsize=0.7];',
        f'  start [shape=circle, label="{_esc(start_label)}", fontsize=8, width=0.45, fixedsize=true, '
        f'style=filled, fillcolor="#009E73", fontcolor="white", color="#009E73"];',
        f'  end [shape=doublecircle, label="{_esc(end_label)}", fontsize=8, width=0.4, fixedsize=true, '
        f'style=filled, fillcolor="#333333", fontcolor="white", color="#333333"];',
    ]
    for r in nodes.itertuples(index=False):
        share = r.events / top
        shade = int(240 - 110 * share)
        fill = f"#{shade:02x}{min(255, shade + 15):02x}ff"
        figure = (fmt_count(r.events) if mode == "frequency" else fmt_hours(float_or_none(r.median_processing_hours)))
        mark = ', penwidth=3, color="#000000"' if r.activity == highlight else ""
        lines.append(f'  {ids[r.activity]} [label="{_esc(r.activity)}\\n{_esc(figure)}", fillcolor="{fill}"{mark}];')
    colours, bins = [], []
    for r in shown.itertuples(index=False):
        wait = float_or_none(r.median_wait_hours)
        colour = wait_colour(wait) if r.source != START and r.target != END else "#777777"
        colours.append(colour)
        bins.append(wait_bin(wait) if r.source != START and r.target != END else None)
        width = 1 + 5 * r.count / top_edge
        if r.source == START or r.target == END:
            label = fmt_count(r.count) if mode == "frequency" else ""
            style = ", style=dashed"
        else:
            label = fmt_count(r.count) if mode == "frequency" else fmt_hours(wait)
            style = ""
        lines.append(f'  {ids[r.source]} -> {ids[r.target]} [label="{_esc(label)}", color="{colour}", '
                     f'fontcolor="#222222", penwidth={width:.2f}{style}];')
    lines.append("}")
    shown = shown.assign(colour=colours, wait_bin=bins)
    return ProcessMapView(dot="\n".join(lines) + "\n", edges=shown, nodes=nodes, edges_total=len(edges))


def has_graphviz() -> bool:
    from saksflyt.mining.discovery import has_dot

    return has_dot()


def svg(dot: str) -> bytes:
    """The map drawn by Graphviz `dot` for the SVG download (called only when the button is pressed)."""
    from saksflyt.mining.discovery import svg as draw

    return (draw(dot) or "").encode("utf-8")


@dataclass(frozen=True)
class ActivityDetail:
    activity: str
    events: int
    cases: int
    case_share: float | None
    median_processing_hours: float | None
    p90_processing_hours: float | None
    median_wait_hours: float | None
    wait_basis: str
    predecessors: pd.DataFrame = field(compare=False)
    successors: pd.DataFrame = field(compare=False)
    resource_groups: pd.DataFrame = field(compare=False)   # kind, events, people (None below k), …
    people: int = 0
    events_per_person_median: float | None = None
    events_per_person_p90: float | None = None


@st.cache_data(**CACHE)
def _resource_groups(path: str, log_name: str, run_id: str, filters: Filters, activity: str
                     ) -> tuple[pd.DataFrame, int, float | None, float | None]:
    cond, params = _case_filter(filters, log_name, run_id)
    with reading(path) as con:
        groups = con.execute(f"""
            SELECT coalesce(resource_kind, 'unknown') AS kind, count(*) AS events,
                   count(DISTINCT resource) AS resources
            FROM events WHERE log = ? AND activity = ?{cond} GROUP BY ALL ORDER BY events DESC""",
                             [log_name, activity] + params).df()
        people, per_med, per_p90 = con.execute(f"""
            WITH p AS (SELECT resource, count(*) AS n FROM events
                       WHERE log = ? AND activity = ? AND resource_kind = 'person' AND resource IS NOT NULL{cond}
                       GROUP BY resource)
            SELECT count(*), median(n), quantile_cont(n, 0.9) FROM p""", [log_name, activity] + params).fetchone()
    # Privacy: person counts and per-person figures only for groups of at least k people.
    groups["resources"] = [int(n) if (k != "person" or n >= K_ANONYMITY) else None
                           for k, n in zip(groups["kind"], groups["resources"])]
    groups["share"] = groups["events"] / max(int(groups["events"].sum()), 1)
    enough = (people or 0) >= K_ANONYMITY
    return (groups, int(people or 0), float_or_none(per_med) if enough else None,
            float_or_none(per_p90) if enough else None)


def activity_detail(snap: Snapshot, log_name: str, filters: Filters, activity: str) -> ActivityDetail:
    """One activity in the filtered cases: counts, processing and waiting, neighbours (from the map of all
    activities, so usually from the cache), and who does it in groups of at least k people."""
    counts, n_cases = activity_counts(snap, log_name, filters)
    full = map_data(snap, log_name, filters, counts["activity"].tolist())
    v = require_run(snap, log_name)
    node = full.nodes[full.nodes["activity"] == activity]
    if node.empty:
        raise StoreError(f"no activity '{activity}' in the selected cases")
    r = node.iloc[0]
    pred = full.edges[full.edges["target"] == activity][["source", "count", "median_wait_hours"]]
    succ = full.edges[full.edges["source"] == activity][["target", "count"]]
    groups, people, per_med, per_p90 = _resource_groups(snap.path, log_name, v.run_id, filters, activity)
    return ActivityDetail(
        activity=activity, events=int(r["events"]), cases=int(r["cases"]),
        case_share=int(r["cases"]) / n_cases if n_cases else None,
        median_processing_hours=float_or_none(r["median_processing_hours"]),
        p90_processing_hours=float_or_none(r["p90_processing_hours"]),
        median_wait_hours=float_or_none(r["median_wait_hours"]),
        wait_basis="measured" if bool(r["measured"]) else "between_completions",
        predecessors=pred.rename(columns={"source": "activity"}).head(10).reset_index(drop=True),
        successors=succ.rename(columns={"target": "activity"}).head(10).reset_index(drop=True),
        resource_groups=groups, people=people, events_per_person_median=per_med, events_per_person_p90=per_p90)


@st.cache_data(**SMALL_CACHE)
def _artifacts(path: str, log_name: str, run_id: str, lang: str) -> dict[str, str | None]:
    out: dict[str, str | None] = {"bpmn": None, "pnml": None, "dot": None, "report": None}
    with reading(path) as con:
        tables = _tables(con)
        if "mining_models" in tables:
            m = insights_results.model(con, log_name, run_id=run_id)
            if m:
                out["bpmn"], out["pnml"], out["dot"] = m.get("bpmn"), m.get("pnml"), m.get("dot")
        if "mining_reports" in tables:
            rows = con.execute("SELECT lang, html FROM mining_reports WHERE log = ? AND run_id = ?",
                               [log_name, run_id]).fetchall()
            by_lang = dict(rows)
            out["report"] = by_lang.get(lang) or next(iter(by_lang.values()), None)
    return out


def artifacts(snap: Snapshot, log_name: str, lang: str) -> dict[str, str | None]:
    """The run's `model.bpmn`, `model.pnml`, `process_map.dot` and `report.html` texts, where present."""
    v = require_run(snap, log_name)
    return _artifacts(snap.path, log_name, v.run_id, lang)


# --- variants ----------------------------------------------------------------------------------


@st.cache_data(**CACHE)
def _variants(path: str, log_name: str, run_id: str, filters: Filters, limit: int) -> tuple[pd.DataFrame, int, int]:
    cases_sql, params = case_set_sql(filters, log_name, run_id)
    with reading(path) as con:
        df = con.execute(f"""
            WITH c AS ({cases_sql}),
            g AS (
                SELECT variant_id, count(*) AS cases, count(*) FILTER (WHERE closed) AS closed_cases,
                       median(duration_hours) FILTER (WHERE closed) AS median_duration_hours,
                       median(duration_days) FILTER (WHERE closed) AS median_duration_days
                FROM c GROUP BY variant_id
            )
            SELECT g.variant_id, g.cases, g.cases / sum(g.cases) OVER () AS case_share, g.closed_cases,
                   g.median_duration_hours, g.median_duration_days, v.length,
                   array_to_string(v.activities, ' → ') AS activities
            FROM g JOIN mining_variants v ON v.log = ? AND v.run_id = ? AND v.variant_id = g.variant_id
            ORDER BY g.cases DESC, g.variant_id LIMIT ?
        """, params + [log_name, run_id, limit]).df()
        n_variants, n_cases = con.execute(f"WITH c AS ({cases_sql}) SELECT count(DISTINCT variant_id), count(*) FROM c",
                                          params).fetchone()
    return df, int(n_variants), int(n_cases)


def variants(snap: Snapshot, log_name: str, filters: Filters, *, limit: int = 50) -> tuple[pd.DataFrame, int, int]:
    """Top variants of the filtered cases with counts, shares and median durations (closed cases);
    also the number of variants and cases in the selection."""
    v = require_run(snap, log_name)
    return _variants(snap.path, log_name, v.run_id, filters, int(limit))


# --- bottlenecks, rework, needless steps -------------------------------------------------------


@dataclass(frozen=True)
class Insights:
    available: bool
    bottlenecks: pd.DataFrame = field(compare=False)
    rework: pd.DataFrame = field(compare=False)
    needless: pd.DataFrame = field(compare=False)


@st.cache_data(**SMALL_CACHE)
def _insights(path: str, log_name: str, run_id: str, lang: str | None) -> Insights:
    with reading(path) as con:
        tables = _tables(con)
        if "mining_bottlenecks" not in tables:
            empty = pd.DataFrame()
            return Insights(False, empty, empty, empty)
        b = pd.DataFrame(insights_results.bottlenecks(con, log_name, run_id=run_id, lang=lang))
        r = pd.DataFrame(insights_results.rework(con, log_name, run_id=run_id, lang=lang))
        n = pd.DataFrame(insights_results.needless(con, log_name, run_id=run_id, lang=lang))
        (stored,) = con.execute(
            "SELECT count(*) FROM (SELECT 1 FROM mining_bottlenecks WHERE log = ? AND run_id = ? UNION ALL "
            "SELECT 1 FROM mining_rework WHERE log = ? AND run_id = ? UNION ALL "
            "SELECT 1 FROM mining_needless WHERE log = ? AND run_id = ?)", [log_name, run_id] * 3).fetchone()
    return Insights(bool(stored), b, r, n)


def insights(snap: Snapshot, log_name: str, lang: str | None = None) -> Insights:
    """The run's ranked bottlenecks, rework patterns and needless-step tests (whole log, as mined), the
    evidence in `lang` where the run stored both languages."""
    v = require_run(snap, log_name)
    return _insights(snap.path, log_name, v.run_id, lang)


WAIT_DISTRIBUTION_BINS: tuple[tuple[float, str], ...] = (
    (1, "< 1 h"), (4, "1–4 h"), (8, "4–8 h"), (24, "8–24 h"), (72, "1–3 d"), (168, "3–7 d"),
    (336, "1–2 w"), (672, "2–4 w"), (math.inf, "> 4 w"))


@st.cache_data(**CACHE)
def _wait_distribution(path: str, log_name: str, run_id: str, filters: Filters, activity: str,
                       source: str | None) -> tuple[pd.DataFrame, pd.DataFrame, str]:
    cases = " ".join(f"WHEN wait_h < {limit} THEN {i}" for i, (limit, _) in enumerate(WAIT_DISTRIBUTION_BINS)
                     if math.isfinite(limit))
    last = len(WAIT_DISTRIBUTION_BINS) - 1
    pairs, params = _pairs_sql(filters, log_name, run_id, cases_with=activity)
    cond = "activity = ?" + (" AND prev = ?" if source else "")
    args = [activity] + ([source] if source else [])
    case_cond, case_params = _case_filter(filters, log_name, run_id)
    with reading(path) as con:
        hist = con.execute(f"""{pairs}
            SELECT CASE {cases} ELSE {last} END AS bin, count(*) AS pairs
            FROM p WHERE {cond} AND hour_pair AND wait_h IS NOT NULL GROUP BY bin ORDER BY bin""", params + args).df()
        week = con.execute(f"""
            SELECT isodow(timezone({literal(ZONE)}, ts_end)) AS weekday, count(*) AS events
            FROM events WHERE log = ? AND activity = ?{case_cond} GROUP BY weekday ORDER BY weekday""",
                           [log_name, activity] + case_params).df()
        row = con.execute("SELECT wait_basis FROM mining_activities WHERE log = ? AND run_id = ? AND activity = ?",
                          [log_name, run_id, activity]).fetchone()
    full = pd.DataFrame({"bin": range(len(WAIT_DISTRIBUTION_BINS)),
                         "label": [label for _, label in WAIT_DISTRIBUTION_BINS]})
    hist = full.merge(hist, on="bin", how="left").fillna({"pairs": 0})
    hist["pairs"] = hist["pairs"].astype("int64")
    week = pd.DataFrame({"weekday": range(1, 8)}).merge(week, on="weekday", how="left").fillna({"events": 0})
    week["events"] = week["events"].astype("int64")
    return hist, week, row[0] if row else "between_completions"


def wait_distribution(snap: Snapshot, log_name: str, filters: Filters, activity: str,
                      source: str | None = None) -> tuple[pd.DataFrame, pd.DataFrame, str]:
    """How long cases wait before `activity` (after `source`, if given) in the filtered cases, binned,
    and on which weekdays the activity is completed (batch patterns such as a weekly meeting show here)."""
    v = require_run(snap, log_name)
    return _wait_distribution(snap.path, log_name, v.run_id, filters, activity, source)


# --- automation candidates and marks -----------------------------------------------------------


@st.cache_data(**SMALL_CACHE)
def _candidates(path: str, log_name: str, score_run_id: str, lang: str | None) -> pd.DataFrame:
    from saksflyt.automation_scoring import results as scoring_results

    with reading(path) as con:
        rows = scoring_results.candidates(con, log_name, run_id=score_run_id, lang=lang)
    return pd.DataFrame(rows, columns=list(scoring_results.CSV_COLUMNS) if not rows else None)


@st.cache_data(**CACHE)
def _candidate_summary(path: str, log_name: str, score_run_id: str) -> dict[str, Any] | None:
    from saksflyt.automation_scoring import results as scoring_results

    with reading(path) as con:
        return scoring_results.summary(con, log_name, run_id=score_run_id)


def candidate_summary(snap: Snapshot, log_name: str) -> dict[str, Any] | None:
    """candidates_summary.json of the latest scoring: staff hours against claimed hours (None for old runs)."""
    v = require_run(snap, log_name)
    if v.score_run_id is None:
        return None
    return _candidate_summary(snap.path, log_name, v.score_run_id)


def candidates(snap: Snapshot, log_name: str, lang: str | None = None) -> pd.DataFrame | None:
    """The ranked automation candidates of the log (`candidates.json` rows; reasons, assumptions and rule in
    `lang` where stored), or None if never scored."""
    v = require_run(snap, log_name)
    if v.score_run_id is None:
        return None
    return _candidates(snap.path, log_name, v.score_run_id, lang)


@st.cache_data(**CACHE)
def _candidate_cases(path: str, log_name: str, run_id: str, filters: Filters,
                     activity_sets: tuple[tuple[str, ...], ...]) -> list[int]:
    cases_sql, params = case_set_sql(filters, log_name, run_id)
    with reading(path) as con:
        rows = con.execute(f"""
            WITH v AS (SELECT variant_id, count(*) AS n FROM ({cases_sql}) GROUP BY variant_id),
            va AS (SELECT v.n, mv.activities FROM v JOIN mining_variants mv
                   ON mv.log = ? AND mv.run_id = ? AND mv.variant_id = v.variant_id),
            c AS (SELECT unnest(range(len(?::VARCHAR[][]))) AS idx, unnest(?::VARCHAR[][]) AS acts)
            SELECT idx, sum(n) FROM c JOIN va ON list_has_all(va.activities, c.acts) GROUP BY idx
        """, params + [log_name, run_id, [list(a) for a in activity_sets], [list(a) for a in activity_sets]]
                           ).fetchall()
    found = {int(i): int(n) for i, n in rows}
    return [found.get(i, 0) for i in range(len(activity_sets))]


def candidate_cases(snap: Snapshot, log_name: str, filters: Filters,
                    activity_sets: Sequence[Sequence[str]]) -> list[int]:
    """For each candidate's activities: how many of the filtered cases contain them all."""
    v = require_run(snap, log_name)
    return _candidate_cases(snap.path, log_name, v.run_id, filters, tuple(tuple(a) for a in activity_sets))


_LAST_MARKS: dict[tuple[str, str], pd.DataFrame] = {}


def marks(snap: Snapshot, log_name: str) -> tuple[pd.DataFrame, bool]:
    """The process owner's marks of the log (labels schema) and whether they are the last ones seen
    (store locked). Not cached: they are few, and the process owner must see a mark right after saving."""
    key = (snap.path, log_name)
    try:
        with reading(snap.path) as con:
            df = marks_lib.read(con, log_name)
    except StoreLockedError:
        if key in _LAST_MARKS:
            return _LAST_MARKS[key], True
        raise
    _LAST_MARKS[key] = df
    return df, False


def save_mark(path: str, *, log_name: str, candidate_id: str, activities: Sequence[str], kind: str,
              decision: str, comment: str) -> None:
    """Write one mark in the store's one short read-write transaction (retried briefly while locked)."""
    with _PROCESS_LOCK:
        marks_lib.save(path, log_name=log_name, candidate_id=candidate_id, activities=activities, kind=kind,
                       decision=decision, comment=comment)


# --- deadline monitor (`saksflyt monitor`) ------------------------------------------------------


@dataclass(frozen=True)
class MonitorRun:
    """The latest `saksflyt monitor` run of a log: what it knew, its settings, evaluation and history."""

    log: str
    run_id: str
    run_seq: int
    created_at: datetime
    as_of: datetime
    cases: int
    open_cases: int
    closed_cases: int
    trained: bool
    message: str | None
    settings: dict[str, Any] = field(compare=False)
    evaluation: dict[str, Any] | None = field(compare=False, default=None)
    history: dict[str, Any] = field(compare=False, default_factory=dict)

    @property
    def zone(self) -> str:
        return self.settings.get("zone") or ZONE


_LAST_MONITOR: dict[tuple[str, str], MonitorRun | None] = {}


def _monitor_row(con: duckdb.DuckDBPyConnection, log_name: str) -> MonitorRun | None:
    from saksflyt.mining import monitor_results

    row = monitor_results.latest(con, log_name)
    if row is None:
        return None

    def stamp(x: Any) -> Any:
        return x.to_pydatetime() if hasattr(x, "to_pydatetime") else x

    return MonitorRun(log=log_name, run_id=str(row["run_id"]), run_seq=int(row["run_seq"]),
                      created_at=stamp(row["created_at"]), as_of=stamp(row["as_of"]), cases=int(row["cases"]),
                      open_cases=int(row["open_cases"]), closed_cases=int(row["closed_cases"]),
                      trained=bool(row["trained"]), message=row["message"] if isinstance(row["message"], str) else None,
                      settings=row["settings"] or {}, evaluation=row["evaluation"], history=row["history"] or {})


def monitor_run(snap: Snapshot, log_name: str) -> MonitorRun | None:
    """The latest monitor run of the log, or None. One small row, read on every page load (a new run must
    show at once and is not part of the store's version); the last one seen while a writer holds the lock."""
    key = (snap.path, log_name)
    if snap.stale and key in _LAST_MONITOR:
        return _LAST_MONITOR[key]
    try:
        with reading(snap.path) as con:
            run = _monitor_row(con, log_name)
    except StoreLockedError:
        if key in _LAST_MONITOR:
            return _LAST_MONITOR[key]
        raise
    _LAST_MONITOR[key] = run
    return run


def as_list(x: object) -> list:
    """A stored list (DuckDB array, numpy array, tuple, None) as a plain list."""
    if x is None:
        return []
    if isinstance(x, (list, tuple)):
        return list(x)
    if hasattr(x, "tolist"):
        return list(x.tolist())
    return [x]


@st.cache_data(**SMALL_CACHE)
def _monitor_table(path: str, log_name: str, run_id: str, table: str, lang: str | None = None) -> pd.DataFrame:
    from saksflyt.mining import monitor_results

    with reading(path) as con:
        df = monitor_results.read(con, table, log_name, run_id)
    return open_cases_in(df, lang) if table == "open_cases" else df


def open_cases_in(df: pd.DataFrame, lang: str | None) -> pd.DataFrame:
    """Stored open cases with reasons as lists, and reasons and next activity in `lang` where the run stored
    both languages (`texts`)."""
    df = df.assign(reasons=df["reasons"].map(as_list))
    if lang and "texts" in df:
        texts = [json.loads(x).get(lang) if isinstance(x, str) else None for x in df["texts"]]
        df["reasons"] = [t["reasons"] if t else r for t, r in zip(texts, df["reasons"])]
        df["next_activity"] = [t["next_activity"] if t else n for t, n in zip(texts, df["next_activity"])]
    return df.drop(columns=["texts"], errors="ignore")


def monitor_open_cases(snap: Snapshot, run: MonitorRun, lang: str | None = None) -> pd.DataFrame:
    """The run's open cases, ranked (`open_cases.csv` plus rank, next_activity; reasons as lists, in `lang`
    where the run stored both languages)."""
    return _monitor_table(snap.path, run.log, run.run_id, "open_cases", lang)


def filter_open_cases(cases: pd.DataFrame, *, activities: Sequence[str] = (), min_p_miss: float = 0.0,
                      past_deadline: bool = False) -> pd.DataFrame:
    """The page's list filters: current activity in `activities` (all when empty), P(miss) at least
    `min_p_miss` (cases without a prediction pass only at 0), and only cases past their deadline."""
    keep = pd.Series(True, index=cases.index)
    if activities:
        keep &= cases["current_activity"].isin(list(activities))
    if min_p_miss > 0:
        keep &= cases["p_miss"].fillna(-1.0) >= min_p_miss
    if past_deadline:
        keep &= cases["days_left"].fillna(0) < 0
    return cases[keep]


def stored_monitor_result(con: duckdb.DuckDBPyConnection, run: MonitorRun, lang: str | None = None) -> MonitorResult:
    """A `mining.monitor.MonitorResult` rebuilt from the stored run (what `monitor_report` needs to render),
    its reasons in `lang` where stored."""
    from saksflyt.mining import monitor_results
    from saksflyt.mining.monitor import MonitorResult

    status = monitor_results.read(con, "deadline_status", run.log, run.run_id)
    open_cases = open_cases_in(monitor_results.read(con, "open_cases", run.log, run.run_id), lang)
    return MonitorResult(log=run.log, run_id=run.run_id, as_of=run.as_of, status=status, open_cases=open_cases,
                         evaluation=run.evaluation, history=run.history, message=run.message,
                         settings=run.settings, run_seq=run.run_seq)


@st.cache_data(**SMALL_CACHE)
def _monitor_html(path: str, run_id: str, lang: str, _run: MonitorRun) -> str:
    from saksflyt.mining import monitor_report

    with reading(path) as con:
        result = stored_monitor_result(con, _run, lang)
    return monitor_report.render(result, lang=lang)


def monitor_html(snap: Snapshot, run: MonitorRun, lang: str) -> str:
    """The run's monitor.html in `lang`, rendered from the store (for the download button)."""
    return _monitor_html(snap.path, run.run_id, lang, run)


@dataclass(frozen=True)
class CaseTimeline:
    """One open case as the run saw it: its events up to as_of with what each means for the clock, the
    pauses, the deadline and as_of. Times are aware, in the run's zone; the deadline ends with its day."""

    case_id: str
    events: pd.DataFrame = field(compare=False)   # at, activity, resource, resource_kind, mark
    pauses: pd.DataFrame = field(compare=False)   # start, end, open, days
    clock_start: date | None = None
    deadline_date: date | None = None
    deadline_at: datetime | None = None           # the last moment of the deadline day
    as_of: datetime | None = None
    later_events: int = 0                         # events after as_of (a backtest): not shown
    zone: str = ZONE

    def rows(self) -> pd.DataFrame:
        """Events, the deadline, as_of and the end of each pause in one time-ordered frame: at, activity,
        resource, resource_kind, mark (clock_start, pause_start, pause_end, stop, deadline, as_of, pause,
        pause_open or ""), days (a pause's length)."""
        marks = [(self.as_of, "as_of")] + ([(self.deadline_at, "deadline")] if self.deadline_at else [])
        parts = [self.events.assign(days=float("nan")),
                 pd.DataFrame({"at": [t for t, _ in marks], "mark": [m for _, m in marks]}),
                 pd.DataFrame({"at": self.pauses["end"], "days": self.pauses["days"],
                               "mark": ["pause_open" if o else "pause" for o in self.pauses["open"]]})]
        out = pd.concat([p for p in parts if len(p)], ignore_index=True)
        out = out.assign(at=pd.to_datetime(out["at"], utc=True).dt.tz_convert(self.zone))
        return out.sort_values("at", kind="stable", ignore_index=True)


@st.cache_data(**CACHE)
def _case_events(path: str, log_name: str, case_id: str, updated_at: str) -> pd.DataFrame:
    with reading(path) as con:
        return con.execute("""
            SELECT activity, ts_start, ts_end, resource, resource_kind FROM events
            WHERE log = ? AND case_id = ? ORDER BY ts_end, event_seq""", [log_name, case_id]).df()


def pause_spans(events: pd.DataFrame, pairs: Sequence[Sequence[str]], *, until: pd.Timestamp) -> pd.DataFrame:
    """Each pause of a case: from a pause-start event to the first later end event of its pair, or still
    open at `until` (as `mining.deadline_clock` counts them; overlaps are listed, the clock counts them once).
    `events` has activity and at, in time order."""
    rows = []
    for begin, end in pairs:
        starts = events.loc[events["activity"] == begin, "at"]
        ends = events.loc[events["activity"] == end, "at"]
        for t in starts:
            later = ends[ends >= t]
            stop = later.iloc[0] if len(later) else until
            rows.append({"start": t, "end": stop, "open": not len(later),
                         "days": (stop - t).total_seconds() / 86400})
    return pd.DataFrame(rows, columns=["start", "end", "open", "days"]).sort_values("start", ignore_index=True)


def case_timeline(snap: Snapshot, run: MonitorRun, case_id: str) -> CaseTimeline:
    """The chosen open case's events with the clock start, pauses and deadline marked (see `CaseTimeline`)."""
    v = snap.get(run.log)
    events = _case_events(snap.path, run.log, case_id, v.updated_at if v else "")
    zone = ZoneInfo(run.zone)
    as_of = pd.Timestamp(run.as_of).tz_convert(zone)
    known = events[events["ts_end"] <= as_of].copy()
    known["at"] = known["ts_end"].dt.tz_convert(zone)
    s = run.settings
    pairs = [tuple(p) for p in s.get("pauses") or []]
    role: dict[str, str] = {a: "stop" for a in s.get("stop") or []}
    for begin, end in pairs:
        role.setdefault(begin, "pause_start")
        role.setdefault(end, "pause_end")
    marks = [role.get(a, "") for a in known["activity"]]
    start_act = s.get("clock_start")
    first = next((i for i, a in enumerate(known["activity"]) if a == start_act), None) if start_act else 0
    if first is not None and len(known):
        marks[first] = "clock_start"
    known["mark"] = marks
    row = monitor_open_cases(snap, run)
    row = row[row["case_id"] == case_id]

    def day(x: Any) -> date | None:
        return None if x is None or pd.isna(x) else pd.Timestamp(x).date()

    deadline = day(row["deadline_date"].iloc[0]) if len(row) else None
    return CaseTimeline(
        case_id=case_id,
        events=known[["at", "activity", "resource", "resource_kind", "mark"]].reset_index(drop=True),
        pauses=pause_spans(known, pairs, until=as_of),
        clock_start=day(row["clock_start"].iloc[0]) if len(row) else None, deadline_date=deadline,
        deadline_at=datetime.combine(deadline, datetime.max.time(), zone) if deadline else None,
        as_of=as_of.to_pydatetime(), later_events=int(len(events) - len(known)), zone=run.zone)


def clear_caches() -> None:
    """Forget every cached result (the "refresh" button; a new run or load does it by itself)."""
    st.cache_data.clear()
    with _LAST_LOCK:
        _LAST.clear()
    _LAST_MONITOR.clear()


_LAST_SIMULATIONS: dict[tuple[str, str], dict[str, dict[str, Any]]] = {}


def simulated_candidates(snap: Snapshot, log_name: str) -> dict[str, dict[str, Any]]:
    """candidate_id → the latest `saksflyt simulate --candidate` run of that candidate alone (row with `result`
    parsed, as `simulation_results.latest_by_candidate` gives it). A few small rows, read on every page load
    like `monitor_run` (a new run is not part of the store's version and must show at once); the last ones
    seen while a writer holds the lock."""
    from saksflyt.automation_scoring import simulation_results

    key = (snap.path, log_name)
    if snap.stale and key in _LAST_SIMULATIONS:
        return _LAST_SIMULATIONS[key]
    try:
        with reading(snap.path) as con:
            runs = simulation_results.latest_by_candidate(con, log_name)
    except StoreLockedError:
        if key in _LAST_SIMULATIONS:
            return _LAST_SIMULATIONS[key]
        raise
    _LAST_SIMULATIONS[key] = runs
    return runs


# --- handovers between units (mining.handovers) ------------------------------------------------


@dataclass(frozen=True)
class Collaboration:
    """A run's handover figures: `summary` (None for a run mined before handovers were found), the
    handover edges and the units, most frequent first, merged small units under their label."""

    summary: dict[str, Any] | None
    handovers: pd.DataFrame = field(compare=False)
    units: pd.DataFrame = field(compare=False)

    @property
    def available(self) -> bool:
        return self.summary is not None


UNIT_EDGE_COLUMNS = ("source_unit", "target_unit", "count", "cases", "median_wait_hours", "returns")
UNIT_COLUMNS = ("unit", "merged", "people", "cases", "events", "staff_hours", "median_wait_hours", "handovers_in",
                "handovers_out", "returns_in", "first_cases", "last_cases", "voices")


@st.cache_data(**SMALL_CACHE)
def _collaboration(path: str, log_name: str, run_id: str, lang: str) -> Collaboration:
    from saksflyt.mining import collaboration_results

    with reading(path) as con:
        found = collaboration_results.summary(con, log_name, run_id=run_id)
        edges = collaboration_results.handovers(con, log_name, run_id=run_id, lang=lang)
        units = pd.DataFrame(collaboration_results.units(con, log_name, run_id=run_id, lang=lang))
    # a log without units or actors has no rows: the columns are still there for the page
    edges = edges.reindex(columns=list(dict.fromkeys([*edges.columns, *UNIT_EDGE_COLUMNS])))
    units = units.reindex(columns=list(dict.fromkeys([*units.columns, *UNIT_COLUMNS])))
    return Collaboration(found, edges.reset_index(drop=True), units.reset_index(drop=True))


def collaboration(snap: Snapshot, log_name: str, lang: str) -> Collaboration:
    """The run's handovers, units and doors-and-voices figures (whole log, as mined)."""
    v = require_run(snap, log_name)
    return _collaboration(snap.path, log_name, v.run_id, lang)


def unit_counts(c: Collaboration) -> pd.DataFrame:
    """The units as the map's slider sees activities: activity (the unit), events, cases; most events first."""
    df = pd.DataFrame({"activity": c.units["unit"].astype(str), "events": c.units["events"].astype("int64"),
                       "cases": c.units["cases"].astype("int64")})
    return df.sort_values(["events", "activity"], ascending=[False, True], ignore_index=True)


def unit_map_data(c: Collaboration, units: Sequence[str]) -> MapData:
    """The handover graph among `units` as `build_map` input: a node per unit, an edge per handover, and
    START → unit (cases starting there) and unit → END (cases ending there). Handovers to a unit left off
    are left off too (the stored edges cannot be projected as events can)."""
    keep = set(units)
    u = c.units[c.units["unit"].isin(keep)]
    nodes = pd.DataFrame({"activity": u["unit"].astype(str), "events": u["events"].astype("int64"),
                          "cases": u["cases"].astype("int64"), "median_processing_hours": None,
                          "median_wait_hours": u["median_wait_hours"].astype(float), "measured": False})
    nodes = nodes.sort_values(["events", "activity"], ascending=[False, True], ignore_index=True)
    h = c.handovers[c.handovers["source_unit"].isin(keep) & c.handovers["target_unit"].isin(keep)]
    none = {"median_hours": None, "day_pairs": 0}
    starts, ends = u[u["first_cases"] > 0], u[u["last_cases"] > 0]
    edges = pd.concat([
        pd.DataFrame({"source": h["source_unit"].astype(str), "target": h["target_unit"].astype(str),
                      "count": h["count"], "median_wait_hours": h["median_wait_hours"].astype(float), **none}),
        pd.DataFrame({"source": START, "target": starts["unit"].astype(str), "count": starts["first_cases"],
                      "median_wait_hours": None, **none}),
        pd.DataFrame({"source": ends["unit"].astype(str), "target": END, "count": ends["last_cases"],
                      "median_wait_hours": None, **none}),
    ], ignore_index=True)
    edges["count"] = edges["count"].astype("int64")
    edges = edges.sort_values(["count", "source", "target"], ascending=[False, True, True], ignore_index=True)
    return MapData(nodes=nodes, edges=edges, wait_basis="measured")


def with_unit_names(c: Collaboration, names: dict[str, str]) -> Collaboration:
    """The same figures with units renamed (on the resource basis: the kinds in the page's language)."""
    edges = c.handovers.assign(source_unit=c.handovers["source_unit"].map(lambda x: names.get(x, x)),
                               target_unit=c.handovers["target_unit"].map(lambda x: names.get(x, x)))
    units = c.units.assign(unit=c.units["unit"].map(lambda x: names.get(x, x)))
    return dataclasses.replace(c, handovers=edges, units=units)
