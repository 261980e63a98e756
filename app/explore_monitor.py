"""The deadline monitor (`saksflyt monitor`) as the explorer shows it: the latest run, its open cases and
one case's timeline with the clock's start, pauses and deadline. Plain functions; no Streamlit."""
from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

import duckdb
import pandas as pd

from saksflyt.app.explore_queries import ZONE, as_list
from saksflyt.app.explore_store import Snapshot, reading
from saksflyt.extractors.errors import StoreLockedError

if TYPE_CHECKING:
    from saksflyt.mining.monitor import MonitorResult


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


def monitor_row(con: duckdb.DuckDBPyConnection, log_name: str) -> MonitorRun | None:
    """The latest monitor run of the log as stored, or None."""
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
            run = monitor_row(con, log_name)
    except StoreLockedError:
        if key in _LAST_MONITOR:
            return _LAST_MONITOR[key]
        raise
    _LAST_MONITOR[key] = run
    return run


def forget_runs() -> None:
    """Forget the last monitor runs seen (with the caches, on "refresh")."""
    _LAST_MONITOR.clear()


def monitor_table(con: duckdb.DuckDBPyConnection, log_name: str, run_id: str, table: str,
                  lang: str | None = None) -> pd.DataFrame:
    """One of the run's stored tables; open cases as `open_cases_in` gives them."""
    from saksflyt.mining import monitor_results

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


def monitor_html(con: duckdb.DuckDBPyConnection, run: MonitorRun, lang: str) -> str:
    """The run's monitor.html in `lang`, rendered from the store."""
    from saksflyt.mining import monitor_report

    return monitor_report.render(stored_monitor_result(con, run, lang), lang=lang)


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


def case_events(con: duckdb.DuckDBPyConnection, log_name: str, case_id: str) -> pd.DataFrame:
    """One case's events in case order: activity, ts_start, ts_end, resource, resource_kind."""
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


def case_timeline(run: MonitorRun, case_id: str, events: pd.DataFrame, open_cases: pd.DataFrame) -> CaseTimeline:
    """The case's `events` (`case_events`) up to the run's as_of with the clock start, pauses and deadline
    marked (see `CaseTimeline`); `open_cases` are the run's (`monitor_table`)."""
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
    row = open_cases[open_cases["case_id"] == case_id]

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
