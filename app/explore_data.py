"""The explorer's Streamlit caches: one cached twin per query, keyed on the store's version.

Caches are keyed on the store's *version* (`explore_store.Snapshot`): the latest mining run of each log
and when the log was last loaded, so a new `saksflyt mine` or `ingest` shows up on the next page load,
while filters and sliders hit the cache. Each twin opens a short read-only connection
(`explore_store.reading`) and calls the Streamlit-free query (`explore_queries`, `explore_monitor`,
`explore_map`); the page modules only draw what these functions return. While a writer holds the lock,
results already cached are still served.
"""
from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pandas as pd
import streamlit as st

from saksflyt.app import explore_map, explore_monitor, explore_queries as q
from saksflyt.app import explore_store
from saksflyt.app.explore_monitor import CaseTimeline, MonitorRun
from saksflyt.app.explore_queries import (ActivityDetail, Collaboration, FilterOptions, Filters, Insights, MapData,
                                          Overview)
from saksflyt.app.explore_store import LogVersion, Snapshot, reading, require_log, require_run
from saksflyt.extractors import ingest as ingest_lib
from saksflyt.mining import results

CACHE = {"max_entries": 64, "ttl": 3600, "show_spinner": False}
SMALL_CACHE = {"max_entries": 16, "ttl": 3600, "show_spinner": False}


# --- log list and data quality -----------------------------------------------------------------


@st.cache_data(**SMALL_CACHE)
def _logs(path: str, version: tuple[LogVersion, ...]) -> list[dict[str, Any]]:
    with reading(path) as con:
        return q.logs(con, version)


def logs(snap: Snapshot) -> list[dict[str, Any]]:
    """One row per log: cases, events, activities, time span (from its latest run, or its events if not mined)."""
    if not snap.logs:
        return []
    return _logs(snap.path, snap.logs)


@st.cache_data(**SMALL_CACHE)
def _has_columns(path: str, log_name: str, updated_at: str) -> dict[str, int]:
    with reading(path) as con:
        return q.has_columns(con, log_name)


def has_columns(snap: Snapshot, log_name: str) -> dict[str, int]:
    """How many events have a start time and a resource (a log may have neither)."""
    return _has_columns(snap.path, log_name, require_log(snap, log_name).updated_at)


@st.cache_data(**SMALL_CACHE)
def _quality(path: str, log_name: str, updated_at: str) -> dict[str, Any]:
    with reading(path) as con:
        return ingest_lib.quality(con, log_name)


def quality(snap: Snapshot, log_name: str) -> dict[str, Any]:
    """The data-quality figures of `saksflyt logs --quality` (several scans: drawn on request)."""
    return _quality(snap.path, log_name, require_log(snap, log_name).updated_at)


# --- filter options and overview ---------------------------------------------------------------


@st.cache_data(**SMALL_CACHE)
def _filter_options(path: str, log_name: str, run_id: str) -> FilterOptions:
    with reading(path) as con:
        return q.filter_options(con, log_name, run_id)


def filter_options(snap: Snapshot, log_name: str) -> FilterOptions:
    return _filter_options(snap.path, log_name, require_run(snap, log_name).run_id)


@st.cache_data(**CACHE)
def _overview(path: str, log_name: str, run_id: str, filters: Filters, target_days: float) -> Overview:
    with reading(path) as con:
        return q.overview(con, log_name, run_id, filters, target_days)


def overview(snap: Snapshot, log_name: str, filters: Filters, *, target_days: float) -> Overview:
    """Cases open/closed, events, median lead time and the share of closed cases within the target."""
    return _overview(snap.path, log_name, require_run(snap, log_name).run_id, filters, float(target_days))


@st.cache_data(**SMALL_CACHE)
def _run_summary(path: str, log_name: str, run_id: str) -> dict[str, Any]:
    with reading(path) as con:
        return results.summary(con, log_name, run_id=run_id)


def run_summary(snap: Snapshot, log_name: str) -> dict[str, Any]:
    """The run's `summary.json` (whole log, no filters), e.g. its completion rule."""
    return _run_summary(snap.path, log_name, require_run(snap, log_name).run_id)


# --- process map -------------------------------------------------------------------------------


@st.cache_data(**CACHE)
def _activity_counts(path: str, log_name: str, run_id: str, filters: Filters) -> tuple[pd.DataFrame, int]:
    with reading(path) as con:
        return q.activity_counts(con, log_name, run_id, filters)


def activity_counts(snap: Snapshot, log_name: str, filters: Filters) -> tuple[pd.DataFrame, int]:
    """Events and cases per activity in the filtered cases, most frequent first; and the number of cases."""
    return _activity_counts(snap.path, log_name, require_run(snap, log_name).run_id, filters)


@st.cache_data(**CACHE)
def _map_data(path: str, log_name: str, run_id: str, filters: Filters, activities: tuple[str, ...]) -> MapData:
    with reading(path) as con:
        return q.map_data(con, log_name, run_id, filters, activities)


def map_data(snap: Snapshot, log_name: str, filters: Filters, activities: Sequence[str]) -> MapData:
    """Nodes and edges of the map for the filtered cases, projected onto `activities` (as Disco does:
    a case A → x → B with x hidden shows A → B)."""
    md = _map_data(snap.path, log_name, require_run(snap, log_name).run_id, filters, tuple(activities))
    counts, _ = activity_counts(snap, log_name, filters)
    return q.with_cases(md, counts)


@st.cache_data(max_entries=32, show_spinner=False)
def map_svg(dot: str, title: str, desc: str) -> str | None:
    """The map drawn by Graphviz as one named SVG image (None without `dot`: the caller falls back)."""
    return explore_map.named_map_svg(dot, title, desc)


@st.cache_data(**CACHE)
def _resource_groups(path: str, log_name: str, run_id: str, filters: Filters, activity: str) -> q.ResourceGroups:
    with reading(path) as con:
        return q.resource_groups(con, log_name, run_id, filters, activity)


def activity_detail(snap: Snapshot, log_name: str, filters: Filters, activity: str) -> ActivityDetail:
    """One activity in the filtered cases: counts, processing and waiting, neighbours (from the map of all
    activities, so usually from the cache), and who does it in groups of at least k people."""
    counts, n_cases = activity_counts(snap, log_name, filters)
    full = map_data(snap, log_name, filters, counts["activity"].tolist())
    v = require_run(snap, log_name)
    q.activity_node(full, activity)  # a missing activity fails before anything else is read
    who = _resource_groups(snap.path, log_name, v.run_id, filters, activity)
    return q.activity_detail(full, n_cases, who, activity)


@st.cache_data(**SMALL_CACHE)
def _artifacts(path: str, log_name: str, run_id: str, lang: str) -> dict[str, str | None]:
    with reading(path) as con:
        return q.artifacts(con, log_name, run_id, lang)


def artifacts(snap: Snapshot, log_name: str, lang: str) -> dict[str, str | None]:
    """The run's `model.bpmn`, `model.pnml`, `process_map.dot` and `report.html` texts, where present."""
    return _artifacts(snap.path, log_name, require_run(snap, log_name).run_id, lang)


# --- variants, bottlenecks, rework, needless steps ---------------------------------------------


@st.cache_data(**CACHE)
def _variants(path: str, log_name: str, run_id: str, filters: Filters, limit: int) -> tuple[pd.DataFrame, int, int]:
    with reading(path) as con:
        return q.variants(con, log_name, run_id, filters, limit)


def variants(snap: Snapshot, log_name: str, filters: Filters, *, limit: int = 50) -> tuple[pd.DataFrame, int, int]:
    """Top variants of the filtered cases with counts, shares and median durations (closed cases);
    also the number of variants and cases in the selection."""
    return _variants(snap.path, log_name, require_run(snap, log_name).run_id, filters, int(limit))


@st.cache_data(**SMALL_CACHE)
def _insights(path: str, log_name: str, run_id: str, lang: str | None) -> Insights:
    with reading(path) as con:
        return q.insights(con, log_name, run_id, lang)


def insights(snap: Snapshot, log_name: str, lang: str | None = None) -> Insights:
    """The run's ranked bottlenecks, rework patterns and needless-step tests (whole log, as mined), the
    evidence in `lang` where the run stored both languages."""
    return _insights(snap.path, log_name, require_run(snap, log_name).run_id, lang)


@st.cache_data(**CACHE)
def _wait_distribution(path: str, log_name: str, run_id: str, filters: Filters, activity: str,
                       source: str | None) -> tuple[pd.DataFrame, pd.DataFrame, str]:
    with reading(path) as con:
        return q.wait_distribution(con, log_name, run_id, filters, activity, source)


def wait_distribution(snap: Snapshot, log_name: str, filters: Filters, activity: str,
                      source: str | None = None) -> tuple[pd.DataFrame, pd.DataFrame, str]:
    """How long cases wait before `activity` (after `source`, if given) in the filtered cases, binned,
    and on which weekdays the activity is completed (batch patterns such as a weekly meeting show here)."""
    return _wait_distribution(snap.path, log_name, require_run(snap, log_name).run_id, filters, activity, source)


# --- automation candidates ---------------------------------------------------------------------


@st.cache_data(**SMALL_CACHE)
def _candidates(path: str, log_name: str, score_run_id: str, lang: str | None) -> pd.DataFrame:
    with reading(path) as con:
        return q.candidates(con, log_name, score_run_id, lang)


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
    with reading(path) as con:
        return q.candidate_cases(con, log_name, run_id, filters, activity_sets)


def candidate_cases(snap: Snapshot, log_name: str, filters: Filters,
                    activity_sets: Sequence[Sequence[str]]) -> list[int]:
    """For each candidate's activities: how many of the filtered cases contain them all."""
    return _candidate_cases(snap.path, log_name, require_run(snap, log_name).run_id, filters,
                            tuple(tuple(a) for a in activity_sets))


# --- deadline monitor (`saksflyt monitor`) ------------------------------------------------------


@st.cache_data(**SMALL_CACHE)
def _monitor_table(path: str, log_name: str, run_id: str, table: str, lang: str | None = None) -> pd.DataFrame:
    with reading(path) as con:
        return explore_monitor.monitor_table(con, log_name, run_id, table, lang)


def monitor_open_cases(snap: Snapshot, run: MonitorRun, lang: str | None = None) -> pd.DataFrame:
    """The run's open cases, ranked (`open_cases.csv` plus rank, next_activity; reasons as lists, in `lang`
    where the run stored both languages)."""
    return _monitor_table(snap.path, run.log, run.run_id, "open_cases", lang)


@st.cache_data(**SMALL_CACHE)
def _monitor_html(path: str, run_id: str, lang: str, _run: MonitorRun) -> str:
    with reading(path) as con:
        return explore_monitor.monitor_html(con, _run, lang)


def monitor_html(snap: Snapshot, run: MonitorRun, lang: str) -> str:
    """The run's monitor.html in `lang`, rendered from the store (for the download button)."""
    return _monitor_html(snap.path, run.run_id, lang, run)


@st.cache_data(**CACHE)
def _case_events(path: str, log_name: str, case_id: str, updated_at: str) -> pd.DataFrame:
    with reading(path) as con:
        return explore_monitor.case_events(con, log_name, case_id)


def case_timeline(snap: Snapshot, run: MonitorRun, case_id: str) -> CaseTimeline:
    """The chosen open case's events with the clock start, pauses and deadline marked (see `CaseTimeline`)."""
    v = snap.get(run.log)
    events = _case_events(snap.path, run.log, case_id, v.updated_at if v else "")
    return explore_monitor.case_timeline(run, case_id, events, monitor_open_cases(snap, run))


# --- handovers between units (mining.handovers) ------------------------------------------------


@st.cache_data(**SMALL_CACHE)
def _collaboration(path: str, log_name: str, run_id: str, lang: str) -> Collaboration:
    with reading(path) as con:
        return q.collaboration(con, log_name, run_id, lang)


def collaboration(snap: Snapshot, log_name: str, lang: str) -> Collaboration:
    """The run's handovers, units and doors-and-voices figures (whole log, as mined)."""
    return _collaboration(snap.path, log_name, require_run(snap, log_name).run_id, lang)


def clear_caches() -> None:
    """Forget every cached result (the "refresh" button; a new run or load does it by itself)."""
    st.cache_data.clear()
    explore_store.forget_snapshots()
    explore_monitor.forget_runs()
