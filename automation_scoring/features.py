"""Features per activity, in DuckDB SQL over one log's events in an in-memory database.

`run.load` puts the log's events in `sc_events`; `prepare` builds `sc_ev` (events in case order
(ts_end, event_seq) with predecessor, successor and a working-time clock) and `activity_features`
aggregates it. No Python loop runs over events.

Definitions (stored in `scoring_features`, documented in `automation_scoring.results`):
- Durations are working hours by the mining calendar (`mining.calendar.WorkCalendar`): W(t) is the
  working time from the calendar's first day up to instant t, so the working time between two events
  is W(b) − W(a).
- *Staff* events are those done by people: `resource_kind` person. Events with no resource count as
  staff work only where their activity's time is measured or given by a norm: nothing else says a
  person did them (a penalty added by the system, a payment by the offender).
- Processing time basis per activity: `norm` when the unit's standard-times CSV names it; else
  `measured` (ts_end − ts_start) when at least half of its events by people or no one have a start;
  else `estimated_availability` when at least half are by known people: each start estimated from the
  case's previous completion and the same person's previous completion (`start_times`), capped at one
  working day; `instant` in a log that records starts for its work (≥ 10 % of its events have a
  duration) but not for this step: a status change or a registered receipt, with no time of its own;
  else `unknown`, with no hours.
- Annualised: totals × 365.25 / the log's span in days (first to last completion, at least one day).
- Variability of predecessors/successors: 1 − the share of the most common one (case start and end
  count as one each): 0 means always reached from, and always followed by, the same step.
- Waiting before an activity (its queue): from the predecessor's completion to the start where the
  activity has start times (`measured`), else the time between the two completions
  (`between_completions`), in working hours; only between second-precision events.
- Handovers: share of the staff events following a staff event whose resource differs from that one's.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pandas as pd

from saksflyt.extractors.errors import InputError
from saksflyt.extractors.small_csv import read_rows
from saksflyt.mining.calendar import WorkCalendar, create_days, day_join, working_us_sql
from saksflyt.mining.insights_results import float_or_none
from saksflyt.mining.stats import most_common_ends

from . import start_times

US_PER_HOUR = 3_600_000_000
US_PER_DAY = 86_400_000_000
DAYS_PER_YEAR = 365.25
MEASURED_MIN_SHARE = 0.5
MANDATORY_SHARE = 0.95
BASES = ("measured", "norm", "estimated_availability", "instant", "unknown")
LOG_STARTS_SHARE = 0.1    # a log with this share of events with a real duration records starts for its work


@dataclass(frozen=True)
class LogSpan:
    """The log's extent, for annualising: cases, closed cases and the years between first and last completion."""

    cases: int
    closed_cases: int
    events: int
    years: float
    first_at: str | None
    last_at: str | None
    timed_share: float = 0.0   # events with a real duration (start before end): the log records starts


# --- the working-time clock -------------------------------------------------------------------


def _calendar_days(con: duckdb.DuckDBPyConnection, calendar: WorkCalendar) -> int:
    """`sc_days`, mining's calendar table (`mining.calendar.create_days`) over the log's local days;
    returns its key offset for `day_join`."""
    first, last = con.execute("""
        SELECT CAST(timezone(?, make_timestamptz(min(least(coalesce(start_us, end_us), end_us)))) AS DATE) - 1,
               CAST(timezone(?, make_timestamptz(max(end_us))) AS DATE) + 1
        FROM sc_base
    """, [calendar.zone, calendar.zone]).fetchall()[0]
    if first is None:
        raise InputError("the log has no events to score")
    return create_days(con, calendar, first=first, last=last, name="sc_days")


def working_day_hours(calendar: WorkCalendar) -> float:
    start = calendar.day_start.hour + calendar.day_start.minute / 60
    end = calendar.day_end.hour + calendar.day_end.minute / 60
    return end - start


# --- events in case order ---------------------------------------------------------------------


def prepare(con: duckdb.DuckDBPyConnection, *, calendar: WorkCalendar, end_activities: tuple[str, ...],
            external: tuple[str, ...] = ()) -> LogSpan:
    """Build `sc_ev` (events in case order with neighbours and working clock) and `sc_cases`.

    `external` lists stored resource values of outside parties (matched from `--external` names):
    their events count as external whatever `resource_kind` the ingest gave them.
    """
    con.execute("""
        CREATE OR REPLACE TEMP TABLE sc_base AS
        SELECT case_id, activity, resource, event_seq,
               CASE WHEN list_contains(CAST(? AS VARCHAR[]), resource) THEN 'external'
                    WHEN resource_kind IN ('system', 'external') THEN resource_kind
                    WHEN resource_kind = 'person' THEN 'person' ELSE 'unknown' END AS kind,
               ts_precision = 'day' AS is_day,
               epoch_us(ts_start) AS start_us, epoch_us(ts_end) AS end_us
        FROM sc_events
    """, [list(external)])
    offset = _calendar_days(con, calendar)
    con.execute(f"""
        CREATE OR REPLACE TEMP TABLE sc_ev AS
        WITH s AS (
            SELECT b.*, {working_us_sql('b.end_us', 'de')} AS end_wus, {working_us_sql('b.start_us', 'ds')} AS start_wus
            FROM sc_base b {day_join('b.end_us', 'de', offset, 'sc_days')}
                 {day_join('b.start_us', 'ds', offset, 'sc_days')}
        )
        SELECT *,
               row_number() OVER w AS pos,
               count(*) OVER (PARTITION BY case_id) AS n,
               lag(activity) OVER w AS prev_activity,
               lead(activity) OVER w AS next_activity,
               lag(resource) OVER w AS prev_resource,
               lag(end_us) OVER w AS prev_end_us,
               lag(end_wus) OVER w AS prev_end_wus,
               lag(is_day) OVER w AS prev_is_day,
               lag(kind = 'person') OVER w AS prev_staff,
               row_number() OVER (PARTITION BY case_id, activity ORDER BY end_us, event_seq) AS occ,
               kind = 'person' AS staff
        FROM s
        WINDOW w AS (PARTITION BY case_id ORDER BY end_us, event_seq)
    """)
    con.execute("""
        CREATE OR REPLACE TEMP TABLE sc_cases AS
        SELECT case_id, arg_max(activity, pos) AS end_activity,
               list_contains(CAST(? AS VARCHAR[]), arg_max(activity, pos)) AS closed
        FROM sc_ev GROUP BY case_id
    """, [list(end_activities)])
    cases, closed, events, first_us, last_us, timed = con.execute("""
        SELECT (SELECT count(*) FROM sc_cases), (SELECT count(*) FILTER (WHERE closed) FROM sc_cases),
               count(*), min(end_us), max(end_us), avg(CASE WHEN start_us < end_us THEN 1.0 ELSE 0.0 END)
        FROM sc_ev
    """).fetchall()[0]
    span_days = max((last_us - first_us) / US_PER_DAY, 1.0)
    iso = con.execute("SELECT strftime(make_timestamptz(?), '%Y-%m-%dT%H:%M:%SZ'), "
                      "strftime(make_timestamptz(?), '%Y-%m-%dT%H:%M:%SZ')", [first_us, last_us]).fetchall()[0]
    return LogSpan(cases=int(cases), closed_cases=int(closed), events=int(events),
                   years=span_days / DAYS_PER_YEAR, first_at=iso[0], last_at=iso[1], timed_share=float(timed or 0.0))


def default_end_activities(con: duckdb.DuckDBPyConnection, coverage: float = 0.8) -> tuple[str, ...]:
    """End activities when no mining run says which: the most common ones ending ≥ `coverage` of cases.

    The same rule as `mining.stats.completion_rule`; used only when the log has not been mined.
    """
    rows = con.execute("""
        WITH l AS (SELECT case_id, arg_max(activity, (end_us, event_seq)) AS a FROM sc_base GROUP BY case_id)
        SELECT a, count(*) AS n FROM l GROUP BY a ORDER BY n DESC, a
    """).fetchall()
    return most_common_ends(rows, coverage)


# --- per-activity features --------------------------------------------------------------------


def activity_features(con: duckdb.DuckDBPyConnection, span: LogSpan, *, calendar: WorkCalendar,
                      norms: dict[str, float] | None = None) -> pd.DataFrame:
    """One row per activity with the features of the scoring model's inputs (see the module doc)."""
    h = US_PER_HOUR
    start_times.estimate(con, day_hours=working_day_hours(calendar))
    df = con.execute(f"""
        WITH p AS (
            SELECT e.*,
                   staff_or_none AND start_us IS NOT NULL AND NOT is_day AND end_us >= start_us AS measured,
                   (end_wus - start_wus) / {h} AS proc_h,
                   CASE WHEN pos > 1 AND NOT is_day AND NOT prev_is_day THEN (end_wus - prev_end_wus) / {h} END AS gap_h,
                   CASE WHEN pos > 1 AND NOT is_day AND NOT prev_is_day AND start_us IS NOT NULL
                        THEN greatest(start_wus - prev_end_wus, 0) / {h} END AS wait_m_h,
                   staff AND prev_staff AND resource IS NOT NULL AND prev_resource IS NOT NULL AS staff_pair,
                   x.est_hours, coalesce(x.in_batch, false) AS in_batch
            FROM (SELECT *, kind IN ('person', 'unknown') AS staff_or_none FROM sc_ev) e
                 LEFT JOIN sc_est x USING (case_id, pos)
        ),
        wb AS (SELECT activity, bool_or(start_us IS NOT NULL AND pos > 1) AS wait_measured
               FROM sc_ev GROUP BY activity)
        SELECT p.activity,
               count(*) AS events,
               count(DISTINCT p.case_id) AS cases,
               count(DISTINCT p.case_id) FILTER (WHERE sc.closed) AS closed_cases,
               count(*) FILTER (WHERE kind = 'person') AS person_events,
               count(*) FILTER (WHERE staff_or_none) AS staff_or_none_events,
               count(*) FILTER (WHERE kind = 'person' AND occ > 1) AS redone_person_events,
               count(*) FILTER (WHERE staff_or_none AND occ > 1) AS redone_staff_or_none_events,
               count(*) FILTER (WHERE kind = 'person') / count(*) AS person_share,
               count(*) FILTER (WHERE kind = 'system') / count(*) AS system_share,
               count(*) FILTER (WHERE kind = 'external') / count(*) AS external_share,
               count(*) FILTER (WHERE kind = 'unknown') / count(*) AS unknown_share,
               count(*) FILTER (WHERE measured) AS measured_events,
               avg(proc_h) FILTER (WHERE measured) AS measured_mean_hours,
               stddev_samp(proc_h) FILTER (WHERE measured) / nullif(avg(proc_h) FILTER (WHERE measured), 0)
                   AS measured_cv,
               count(est_hours) AS estimated_events,
               avg(est_hours) AS estimated_hours,
               stddev_samp(est_hours) / nullif(avg(est_hours), 0) AS estimated_cv,
               count(*) FILTER (WHERE in_batch) / count(*) AS batch_share,
               any_value(wb.wait_measured) AS wait_measured,
               coalesce(sum(CASE WHEN wb.wait_measured THEN wait_m_h ELSE gap_h END), 0) AS waiting_hours,
               count(*) FILTER (WHERE staff_pair AND resource <> prev_resource)
                   / nullif(count(*) FILTER (WHERE staff_pair), 0) AS handover_share
        FROM p JOIN sc_cases sc USING (case_id) JOIN wb USING (activity)
        GROUP BY p.activity
    """).df()
    rework = con.execute("""
        SELECT activity, count(*) FILTER (WHERE k > 1) / count(*) AS rework_share
        FROM (SELECT activity, case_id, count(*) AS k FROM sc_ev GROUP BY ALL) GROUP BY activity
    """).df()
    pred = _top_neighbour(con, "prev_activity", "(case start)")
    succ = _top_neighbour(con, "next_activity", "(case end)")
    df = df.merge(rework, on="activity").merge(pred, on="activity").merge(succ, on="activity")
    df = df.rename(columns={"neighbour_x": "top_predecessor", "share_x": "top_predecessor_share",
                            "neighbour_y": "top_successor", "share_y": "top_successor_share"})
    df["predecessor_variability"] = 1.0 - df["top_predecessor_share"]
    df["successor_variability"] = 1.0 - df["top_successor_share"]
    years = span.years
    df["case_share"] = df["cases"] / max(span.cases, 1)
    df["closed_case_share"] = df["closed_cases"] / max(span.closed_cases, 1)
    df["mandatory"] = df["closed_case_share"] >= MANDATORY_SHARE
    df["events_per_year"] = df["events"] / years
    df["cases_per_year"] = df["cases"] / years
    df["wait_basis"] = df["wait_measured"].map({True: "measured", False: "between_completions"})
    df["waiting_hours_per_year"] = df["waiting_hours"] / years
    df = df.drop(columns=["wait_measured"])
    log_has_starts = span.timed_share >= LOG_STARTS_SHARE
    chosen = [processing_basis(r, norms or {}, log_has_starts=log_has_starts) for r in df.to_dict("records")]
    df["basis"] = [c[0] for c in chosen]
    df["staff_events"] = [c[1] for c in chosen]
    df["mean_processing_hours"] = [c[2] for c in chosen]
    df["duration_variability"] = pd.Series([c[3] for c in chosen], dtype="float64").fillna(0.0).to_numpy()
    df["processing_hours_per_year"] = df["staff_events"] * df["mean_processing_hours"] / years
    # the second and later occurrences of a step in a case: the work a loop around it redoes
    redone = df["redone_person_events"].where(df["basis"] == "estimated_availability",
                                              df["redone_staff_or_none_events"])
    df["redone_hours_per_year"] = redone * df["mean_processing_hours"] / years
    df["handover_share"] = df["handover_share"].astype("float64").fillna(0.0)
    df["batch_share"] = df["batch_share"].astype("float64").fillna(0.0)
    return df.sort_values(["events", "activity"], ascending=[False, True]).reset_index(drop=True)


def processing_basis(r: dict, norms: dict[str, float], *, log_has_starts: bool = False) -> tuple[
        str, int, float, float | None]:
    """(basis, staff events, mean processing hours, variability) of one activity's feature row.

    Only work that people did is counted: measured and norm times cover events by people and by no
    one (a measured start says someone worked); the estimate covers events by known people only. In
    a log that records starts for its work, a step recorded without them is an instant (a status
    change, a receipt registered): its time is in the measured work around it, so it gets none.
    """
    people, with_none = int(r["person_events"]), int(r["staff_or_none_events"])
    if r["activity"] in norms:
        return "norm", with_none, norms[r["activity"]] / 60.0, float_or_none(r["measured_cv"] if r["measured_events"]
                                                                   else r["estimated_cv"])
    if with_none and r["measured_events"] >= MEASURED_MIN_SHARE * with_none:
        return "measured", with_none, float_or_none(r["measured_mean_hours"]) or 0.0, float_or_none(r["measured_cv"])
    if log_has_starts:
        return "instant", people, 0.0, None
    if with_none and people >= MEASURED_MIN_SHARE * with_none and r["estimated_events"]:
        return "estimated_availability", people, float_or_none(r["estimated_hours"]) or 0.0, float_or_none(r["estimated_cv"])
    return "unknown", people, 0.0, None


def _top_neighbour(con: duckdb.DuckDBPyConnection, column: str, missing: str) -> pd.DataFrame:
    return con.execute(f"""
        WITH c AS (SELECT activity, coalesce({column}, ?) AS neighbour, count(*) AS k FROM sc_ev GROUP BY ALL)
        SELECT activity, arg_max(neighbour, (k, neighbour)) AS neighbour, max(k) / sum(k) AS share
        FROM c GROUP BY activity
    """, [missing]).df()


# --- standard times -----------------------------------------------------------------------------


def read_norms(path: str | Path) -> dict[str, float]:
    """The unit's standard times: a CSV with columns `activity, minutes` (`,` or `;`, decimal comma ok)."""
    path = Path(path)
    rows = read_rows(path, "standard times")
    if not rows:
        raise InputError("empty file; expected columns activity, minutes", file=str(path))
    header = [c.strip().lower() for c in rows[0]]
    if "activity" not in header or "minutes" not in header:
        raise InputError(f"expected columns activity, minutes; found {', '.join(header)}", file=str(path))
    ia, im = header.index("activity"), header.index("minutes")
    norms: dict[str, float] = {}
    for i, row in enumerate(rows[1:], start=2):
        if not any(c.strip() for c in row):
            continue
        if len(row) <= max(ia, im):
            raise InputError("too few fields", file=str(path), where=f"row {i}")
        activity, raw = row[ia].strip(), row[im].strip().replace(" ", "").replace(",", ".")
        try:
            minutes = float(raw)
        except ValueError as exc:
            raise InputError(f"minutes '{row[im]}' is not a number", file=str(path), where=f"row {i}") from exc
        if not activity or minutes < 0 or math.isnan(minutes):
            raise InputError("needs an activity and minutes ≥ 0", file=str(path), where=f"row {i}")
        if activity in norms:
            raise InputError(f"activity '{activity}' given twice", file=str(path), where=f"row {i}")
        norms[activity] = minutes
    return norms
