"""A log as the simulation reads it: events on local wall-clock seconds, with the mining and scoring facts.

The calendar's zone turns each instant into local wall-clock seconds (the simulation's clock); the
predecessor, its completion and the visit number of each event come from one DuckDB window pass.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd

from saksflyt.extractors import store
from saksflyt.extractors.errors import InputError
from saksflyt.mining import results as mining_results
from saksflyt.mining import stats
from saksflyt.mining.calendar import NORWEGIAN, WorkCalendar
from saksflyt.mining.simulation_clock import DAY

from . import results as scoring_results


@dataclass
class Loaded:
    """A log as the simulation learns from it: events on local wall-clock seconds, and its facts."""

    log: str
    events: pd.DataFrame  # case_id, activity, start, end (local seconds; start NaN if none), resource, kind, prev_end, pos
    end_activities: tuple[str, ...]
    calendar: WorkCalendar
    features: pd.DataFrame  # the latest scoring run's per-activity features
    mining_run_id: str | None
    scoring_run_id: str | None


def load(store_path: Path, log_name: str) -> Loaded:
    """Read the log and the latest mining and scoring runs' facts (exit 2 when the log has not been mined)."""
    with store.read(store_path) as src:
        stats.require_log(src, src.execute("SELECT current_database()").fetchall()[0][0], store_path, log_name)
        mining_run = mining_results.latest_run(src, log_name) if mining_results.has_results(src) else None
        scoring_run = scoring_results.latest_run(src, log_name)
        if mining_run is None or scoring_run is None:
            raise InputError(f"log '{log_name}' has no candidates yet: run `saksflyt mine --log {log_name}` first "
                             "(the simulation uses the processing-time estimates and resource kinds of its candidates)")
        summary = mining_results.summary(src, log_name, run_id=mining_run)
        calendar = WorkCalendar.from_description(summary["settings"]["calendar"]) if "calendar" in summary["settings"] else NORWEGIAN
        features = scoring_results.features(src, log_name, run_id=scoring_run)
        stats.check_zone(src, calendar.zone)
        frame = src.execute("""
            SELECT case_id, activity, epoch(timezone(?, ts_start)) AS start, epoch(timezone(?, ts_end)) AS "end",
                   resource, resource_kind AS kind, event_seq
            FROM events WHERE log = ?""", [calendar.zone, calendar.zone, log_name]).df()
    con = duckdb.connect()
    try:
        con.register("raw", frame)
        events = con.execute("""
            SELECT case_id, activity, start, "end", resource, kind,
                   lag("end") OVER w AS prev_end, lag(activity) OVER w AS prev_activity, row_number() OVER w AS pos,
                   row_number() OVER (PARTITION BY case_id, activity ORDER BY "end", event_seq) AS visit
            FROM raw WINDOW w AS (PARTITION BY case_id ORDER BY "end", event_seq)
            ORDER BY case_id, pos""").df()
    finally:
        con.close()
    if events.empty:
        raise InputError(f"log '{log_name}' has no events to simulate")
    return Loaded(log=log_name, events=events, end_activities=tuple(summary["end_activities"]), calendar=calendar,
                  features=features, mining_run_id=mining_run, scoring_run_id=scoring_run)


def real_frame(loaded: Loaded) -> pd.DataFrame:
    """The real log in the shape `mining.simulation_distance` compares."""
    ev = loaded.events
    return pd.DataFrame({"case_id": ev["case_id"], "activity": ev["activity"], "start": ev["start"],
                         "end": ev["end"]})


def closed_lead_days(ev: pd.DataFrame, end_activities: tuple[str, ...]) -> np.ndarray:
    """Lead times of closed cases in days, first moment (start or completion) to last completion, of a log
    real or simulated (`case_id`, `activity`, `start`, `end`; each case's events in order)."""
    first = np.fmin(ev["start"].fillna(ev["end"]), ev["end"])
    per = ev.assign(_f=first).groupby("case_id", sort=False).agg(first=("_f", "min"), last=("end", "max"),
                                                                  act=("activity", "last"))
    closed = per["act"].isin(end_activities)
    return ((per["last"] - per["first"]) / DAY)[closed].to_numpy()
