"""The explorer's queries: stored results and aggregates for a filtered set of cases, as plain functions.

Each function takes an open DuckDB connection (from `app.explore_store.reading`) and returns DataFrames
or small frozen dataclasses. Filters narrow the set of cases (`Filters`); aggregates for that set are
computed in DuckDB from the stored `mining_cases` of the run and the `events` of those cases, never in
pandas over all events. Waiting time is `mining.stats`'s one definition (`waiting_sql`). No Streamlit
here, so the SQL can be used and tested without it; `app.explore_data` caches these results.
"""
from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import duckdb
import pandas as pd

from saksflyt.app.explore_store import tables
from saksflyt.extractors.errors import StoreError
from saksflyt.extractors.pseudonym import FNR_PREFIX, PREFIX as PSEUDONYM_PREFIX
from saksflyt.extractors.sql_text import literal
from saksflyt.mining import insights_results
from saksflyt.mining.discovery import END, START
from saksflyt.mining.insights_results import float_or_none
from saksflyt.mining.stats import waiting_sql

ZONE = "Europe/Oslo"
K_ANONYMITY = 5               # resource statistics only for groups of at least this many people
MAX_FILTER_VALUES = 50        # attribute filters only for attributes with at most this many values
MAX_VARIANT_OPTIONS = 100

# Attributes that name people are never offered as filters: a filter on one person's cases would turn
# every statistic on the page into a statistic about that person (privacy: groups of at least k).
PERSON_ATTRIBUTE = re.compile(
    r"resource|responsible|ansvarlig|saksbehandler|behandler|handler|employee|ansatt|user|bruker|"
    r"navn|name|fnr|fodsels|fødsels|person|owner|eier|email|epost|telefon|phone", re.IGNORECASE)
PSEUDONYM_TOKEN = re.compile(rf"\b(?:{PSEUDONYM_PREFIX}|{FNR_PREFIX})[0-9a-f]{{8,}}\b")


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


def case_filter(filters: Filters, log_name: str, run_id: str) -> tuple[str, list[Any]]:
    """A condition on `case_id` for the filtered cases ('' without filters: every case of the log)."""
    if not filters.active:
        return "", []
    cases, params = case_set_sql(filters, log_name, run_id)
    return f" AND case_id IN (SELECT case_id FROM ({cases}))", params


def pairs_sql(filters: Filters, log_name: str, run_id: str, *, activities: Sequence[str] | None = None,
              cases_with: str | None = None) -> tuple[str, list[Any]]:
    """CTEs ending in `p`: the filtered events in case order, each with what it needs from its predecessor.

    `p` has activity, prev (NULL first in a case), is_last, measured, hour_pair (both second precision),
    between_h (hours between the two completions) and wait_h: waiting as `mining` measures it
    (`mining.stats.waiting_sql`: from the predecessor's completion to the start where the run measured the
    activity's waiting, never below 0, else the time between the two completions). Only narrow integer
    columns enter the window, so a million events stay cheap; nothing is materialised. `activities`
    projects the log onto those activities (A → x → B with x hidden gives A → B, as Disco draws it);
    `cases_with` keeps the cases that contain that activity.
    """
    cond, params = case_filter(filters, log_name, run_id)
    if activities is not None:
        cond += " AND list_contains(?, activity)"
        params.append(list(activities))
    if cases_with is not None:
        cond += " AND case_id IN (SELECT case_id FROM events WHERE log = ? AND activity = ?)"
        params += [log_name, cases_with]
    wait = waiting_sql(measured="m.measured", start="s", prev_end="pt", end="t")
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
                   ({wait}) / 3.6e9 AS wait_h
            FROM o LEFT JOIN m USING (activity)
        )"""
    return sql, [log_name, run_id, log_name] + params


# --- small helpers -----------------------------------------------------------------------------


def mask_pseudonyms(text: str, label: str = "pseudonym") -> str:
    """Show a pseudonym as what it is, never as if it were a name: `ps_1a2b…` → `[pseudonym ps_1a2b3c4d]`."""
    return PSEUDONYM_TOKEN.sub(lambda m: f"[{label} {m.group(0)[:11]}]", text)


def looks_pseudonymised(values: Sequence[str]) -> bool:
    return any(isinstance(v, str) and PSEUDONYM_TOKEN.fullmatch(v) for v in values)


def as_list(x: object) -> list:
    """A stored list (DuckDB array, numpy array, tuple, None) as a plain list."""
    if x is None:
        return []
    if isinstance(x, (list, tuple)):
        return list(x)
    if hasattr(x, "tolist"):
        return list(x.tolist())
    return [x]


# --- log list and data quality -----------------------------------------------------------------


def logs(con: duckdb.DuckDBPyConnection, versions: Sequence[Any]) -> list[dict[str, Any]]:
    """One row per log version (`explore_store.LogVersion`): cases, events, activities, time span (from its
    latest run, or its events if not mined)."""
    keys = ("log", "source_kind", "cases", "events", "activities", "first_event_at", "last_event_at")
    out = []
    kinds = dict(con.execute("SELECT log, source_kind FROM logs").fetchall())
    for v in versions:
        if v.run_id is not None:  # the run has the counts: no scan over the events
            row = con.execute("SELECT cases, events, activities, first_event_at, last_event_at FROM mining_runs "
                              "WHERE log = ? AND run_id = ?", [v.log, v.run_id]).fetchone()
        else:
            row = con.execute("SELECT count(DISTINCT case_id), count(*), count(DISTINCT activity), min(ts_end), "
                              "max(ts_end) FROM events WHERE log = ?", [v.log]).fetchone()
        out.append(dict(zip(keys, (v.log, kinds.get(v.log), *row))))
    return out


def has_columns(con: duckdb.DuckDBPyConnection, log_name: str) -> dict[str, int]:
    """How many events have a start time and a resource (a log may have neither)."""
    starts, resources = con.execute("SELECT count(ts_start), count(resource) FROM events WHERE log = ?",
                                    [log_name]).fetchone()
    return {"events_with_start_time": int(starts), "events_with_resource": int(resources)}


# --- filter options ----------------------------------------------------------------------------


@dataclass(frozen=True)
class FilterOptions:
    activities: tuple[str, ...]
    variants: tuple[tuple[int, int, str], ...]      # (variant_id, cases, activities joined)
    attributes: tuple[tuple[str, tuple[str, ...]], ...]
    first_day: date | None
    last_day: date | None
    variants_total: int = 0


def filter_options(con: duckdb.DuckDBPyConnection, log_name: str, run_id: str) -> FilterOptions:
    """What the filters offer: activities, the first variants, attributes with few values (never people's)
    and the days the run's cases span."""
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


def overview(con: duckdb.DuckDBPyConnection, log_name: str, run_id: str, filters: Filters,
             target_days: float) -> Overview:
    """Cases open/closed, events, median lead time and the share of closed cases within the target."""
    cases_sql, params = case_set_sql(filters, log_name, run_id)
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


# --- process map -------------------------------------------------------------------------------


def activity_counts(con: duckdb.DuckDBPyConnection, log_name: str, run_id: str,
                    filters: Filters) -> tuple[pd.DataFrame, int]:
    """Events and cases per activity in the filtered cases, most frequent first; and the number of cases."""
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


@dataclass(frozen=True)
class MapData:
    """The filtered log projected onto the kept activities: nodes and edges (with START/END)."""

    nodes: pd.DataFrame = field(compare=False)   # activity, events, cases, median/p90_processing_hours,
                                                 # median_wait_hours, measured
    edges: pd.DataFrame = field(compare=False)   # source, target, count, median_hours, median_wait_hours, day_pairs
    wait_basis: str = "between_completions"      # 'measured' when any kept activity has start times


def map_data(con: duckdb.DuckDBPyConnection, log_name: str, run_id: str, filters: Filters,
             activities: Sequence[str]) -> MapData:
    """Nodes (without their case counts: `with_cases`) and edges of the map for the filtered cases,
    projected onto `activities` (as Disco does: a case A → x → B with x hidden shows A → B)."""
    pairs, params = pairs_sql(filters, log_name, run_id, activities=activities)
    cond, cparams = case_filter(filters, log_name, run_id)
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


def with_cases(data: MapData, counts: pd.DataFrame) -> MapData:
    """The map's nodes with their case counts from `activity_counts`."""
    return replace(data, nodes=data.nodes.merge(counts[["activity", "cases"]], on="activity", how="left"))


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


@dataclass(frozen=True)
class ResourceGroups:
    """Who does an activity: events and people per kind of resource, and events per person (groups of k+)."""

    groups: pd.DataFrame = field(compare=False)
    people: int = 0
    per_person_median: float | None = None
    per_person_p90: float | None = None


def resource_groups(con: duckdb.DuckDBPyConnection, log_name: str, run_id: str, filters: Filters,
                    activity: str) -> ResourceGroups:
    """Events and people per resource kind doing `activity` in the filtered cases; person counts and
    per-person figures only for groups of at least `K_ANONYMITY` people."""
    cond, params = case_filter(filters, log_name, run_id)
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
    return ResourceGroups(groups, int(people or 0), float_or_none(per_med) if enough else None,
                          float_or_none(per_p90) if enough else None)


def activity_node(full: MapData, activity: str) -> pd.Series:
    """The activity's node on the map of all activities; a `StoreError` if the selected cases lack it."""
    node = full.nodes[full.nodes["activity"] == activity]
    if node.empty:
        raise StoreError(f"no activity '{activity}' in the selected cases")
    return node.iloc[0]


def activity_detail(full: MapData, n_cases: int, who: ResourceGroups, activity: str) -> ActivityDetail:
    """One activity from the map of all activities (`full`, with case counts) and who does it."""
    r = activity_node(full, activity)
    pred = full.edges[full.edges["target"] == activity][["source", "count", "median_wait_hours"]]
    succ = full.edges[full.edges["source"] == activity][["target", "count"]]
    return ActivityDetail(
        activity=activity, events=int(r["events"]), cases=int(r["cases"]),
        case_share=int(r["cases"]) / n_cases if n_cases else None,
        median_processing_hours=float_or_none(r["median_processing_hours"]),
        p90_processing_hours=float_or_none(r["p90_processing_hours"]),
        median_wait_hours=float_or_none(r["median_wait_hours"]),
        wait_basis="measured" if bool(r["measured"]) else "between_completions",
        predecessors=pred.rename(columns={"source": "activity"}).head(10).reset_index(drop=True),
        successors=succ.rename(columns={"target": "activity"}).head(10).reset_index(drop=True),
        resource_groups=who.groups, people=who.people, events_per_person_median=who.per_person_median,
        events_per_person_p90=who.per_person_p90)


def artifacts(con: duckdb.DuckDBPyConnection, log_name: str, run_id: str, lang: str) -> dict[str, str | None]:
    """The run's `model.bpmn`, `model.pnml`, `process_map.dot` and `report.html` texts, where present."""
    out: dict[str, str | None] = {"bpmn": None, "pnml": None, "dot": None, "report": None}
    found = tables(con)
    if "mining_models" in found:
        m = insights_results.model(con, log_name, run_id=run_id)
        if m:
            out["bpmn"], out["pnml"], out["dot"] = m.get("bpmn"), m.get("pnml"), m.get("dot")
    if "mining_reports" in found:
        rows = con.execute("SELECT lang, html FROM mining_reports WHERE log = ? AND run_id = ?",
                           [log_name, run_id]).fetchall()
        by_lang = dict(rows)
        out["report"] = by_lang.get(lang) or next(iter(by_lang.values()), None)
    return out


# --- variants ----------------------------------------------------------------------------------


def variants(con: duckdb.DuckDBPyConnection, log_name: str, run_id: str, filters: Filters,
             limit: int) -> tuple[pd.DataFrame, int, int]:
    """Top variants of the filtered cases with counts, shares and median durations (closed cases);
    also the number of variants and cases in the selection."""
    cases_sql, params = case_set_sql(filters, log_name, run_id)
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


# --- bottlenecks, rework, needless steps -------------------------------------------------------


@dataclass(frozen=True)
class Insights:
    available: bool
    bottlenecks: pd.DataFrame = field(compare=False)
    rework: pd.DataFrame = field(compare=False)
    needless: pd.DataFrame = field(compare=False)


def insights(con: duckdb.DuckDBPyConnection, log_name: str, run_id: str, lang: str | None) -> Insights:
    """The run's ranked bottlenecks, rework patterns and needless-step tests (whole log, as mined), the
    evidence in `lang` where the run stored both languages."""
    if "mining_bottlenecks" not in tables(con):
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


WAIT_DISTRIBUTION_BINS: tuple[tuple[float, str], ...] = (
    (1, "< 1 h"), (4, "1–4 h"), (8, "4–8 h"), (24, "8–24 h"), (72, "1–3 d"), (168, "3–7 d"),
    (336, "1–2 w"), (672, "2–4 w"), (math.inf, "> 4 w"))


def wait_distribution(con: duckdb.DuckDBPyConnection, log_name: str, run_id: str, filters: Filters,
                      activity: str, source: str | None) -> tuple[pd.DataFrame, pd.DataFrame, str]:
    """How long cases wait before `activity` (after `source`, if given) in the filtered cases, binned,
    on which weekdays the activity is completed (batch patterns such as a weekly meeting show here),
    and the activity's wait basis."""
    cases = " ".join(f"WHEN wait_h < {limit} THEN {i}" for i, (limit, _) in enumerate(WAIT_DISTRIBUTION_BINS)
                     if math.isfinite(limit))
    last = len(WAIT_DISTRIBUTION_BINS) - 1
    pairs, params = pairs_sql(filters, log_name, run_id, cases_with=activity)
    cond = "activity = ?" + (" AND prev = ?" if source else "")
    args = [activity] + ([source] if source else [])
    case_cond, case_params = case_filter(filters, log_name, run_id)
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


# --- automation candidates ---------------------------------------------------------------------


def candidates(con: duckdb.DuckDBPyConnection, log_name: str, score_run_id: str, lang: str | None) -> pd.DataFrame:
    """The ranked automation candidates of a scoring run (`candidates.json` rows; texts in `lang` where stored)."""
    from saksflyt.automation_scoring import results as scoring_results

    rows = scoring_results.candidates(con, log_name, run_id=score_run_id, lang=lang)
    return pd.DataFrame(rows, columns=list(scoring_results.CSV_COLUMNS) if not rows else None)


def candidate_cases(con: duckdb.DuckDBPyConnection, log_name: str, run_id: str, filters: Filters,
                    activity_sets: Sequence[Sequence[str]]) -> list[int]:
    """For each candidate's activities: how many of the filtered cases contain them all."""
    cases_sql, params = case_set_sql(filters, log_name, run_id)
    sets = [list(a) for a in activity_sets]
    rows = con.execute(f"""
        WITH v AS (SELECT variant_id, count(*) AS n FROM ({cases_sql}) GROUP BY variant_id),
        va AS (SELECT v.n, mv.activities FROM v JOIN mining_variants mv
               ON mv.log = ? AND mv.run_id = ? AND mv.variant_id = v.variant_id),
        c AS (SELECT unnest(range(len(?::VARCHAR[][]))) AS idx, unnest(?::VARCHAR[][]) AS acts)
        SELECT idx, sum(n) FROM c JOIN va ON list_has_all(va.activities, c.acts) GROUP BY idx
    """, params + [log_name, run_id, sets, sets]).fetchall()
    found = {int(i): int(n) for i, n in rows}
    return [found.get(i, 0) for i in range(len(sets))]


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


def collaboration(con: duckdb.DuckDBPyConnection, log_name: str, run_id: str, lang: str) -> Collaboration:
    """The run's handovers, units and doors-and-voices figures (whole log, as mined)."""
    from saksflyt.mining import collaboration_results

    found = collaboration_results.summary(con, log_name, run_id=run_id)
    edges = collaboration_results.handovers(con, log_name, run_id=run_id, lang=lang)
    units = pd.DataFrame(collaboration_results.units(con, log_name, run_id=run_id, lang=lang))
    # a log without units or actors has no rows: the columns are still there for the page
    edges = edges.reindex(columns=list(dict.fromkeys([*edges.columns, *UNIT_EDGE_COLUMNS])))
    units = units.reindex(columns=list(dict.fromkeys([*units.columns, *UNIT_COLUMNS])))
    return Collaboration(found, edges.reset_index(drop=True), units.reset_index(drop=True))


def with_unit_names(c: Collaboration, names: dict[str, str]) -> Collaboration:
    """The same figures with units renamed (on the resource basis: the kinds in the page's language)."""
    edges = c.handovers.assign(source_unit=c.handovers["source_unit"].map(lambda x: names.get(x, x)),
                               target_unit=c.handovers["target_unit"].map(lambda x: names.get(x, x)))
    units = c.units.assign(unit=c.units["unit"].map(lambda x: names.get(x, x)))
    return replace(c, handovers=edges, units=units)
