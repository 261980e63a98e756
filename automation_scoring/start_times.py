"""Start times of staff events where the log records only completions: enablement and availability.

A person can start a step no earlier than the case allows it (its previous event's completion: the
*enablement*) and no earlier than they finished their own previous task (the *availability*). The
estimated start is the later of the two, as in Chapela-Campa & Dumas, "Efficiently computing activity
start times" (2022); the processing time is the working time from there to the completion, capped at
one working day. Without the availability bound (the *gap method*), the time between two completions
also holds all the waiting in the queue.

*Batches*: a resource completing several cases within minutes (a weekly decision meeting, a signing
round) shares the batch's time among its cases. Inside a run the availability bound already gives each
case the time since the previous one; the run's first case would get the time since the resource's
previous task (often last week's meeting), so it gets the run's median gap instead.

Everything runs in DuckDB over `sc_ev` (`automation_scoring.features.prepare`): no Python loop over events.
"""
from __future__ import annotations

import duckdb
import pandas as pd

US_PER_HOUR = 3_600_000_000
BATCH_GAP_MINUTES = 15     # completions this close after the same resource's previous one form a run …
BATCH_MIN_EVENTS = 3       # … and a run of this many cases is a batch
METHODS = ("availability", "gap")


def estimate(con: duckdb.DuckDBPyConnection, *, day_hours: float, method: str = "availability",
             table: str = "sc_est") -> None:
    """Create `table` (case_id, pos, est_hours, in_batch): estimated processing hours of person events.

    Only second-precision events by a known person resource get an estimate, and only when the bound
    they need is known (`est_hours` NULL otherwise). `method = "gap"` is the enablement bound alone,
    kept as the baseline the estimate is validated against (`benchmarks/start_times.py`).
    """
    if method not in METHODS:
        raise ValueError(f"method must be one of {METHODS}")
    gap_us = BATCH_GAP_MINUTES * 60_000_000
    cap = day_hours * US_PER_HOUR
    bound = ("greatest(enable_wus, res_prev_wus)" if method == "availability" else "enable_wus")
    batch = ("CASE WHEN batch_n >= {n} AND batch_first THEN batch_gap_wus END".format(n=BATCH_MIN_EVENTS)
             if method == "availability" else "NULL")
    con.execute(f"""
        CREATE OR REPLACE TEMP TABLE {table} AS
        WITH r AS (
            SELECT case_id, pos, end_us, end_wus,
                   CASE WHEN pos > 1 AND NOT prev_is_day THEN prev_end_wus END AS enable_wus,
                   lag(end_wus) OVER wr AS res_prev_wus,
                   end_us - lag(end_us) OVER wr AS res_gap_us,
                   resource, event_seq
            FROM sc_ev
            WHERE kind = 'person' AND resource IS NOT NULL AND NOT is_day
            WINDOW wr AS (PARTITION BY resource ORDER BY end_us, event_seq)
        ),
        runs AS (
            SELECT *, res_gap_us IS NULL OR res_gap_us > {gap_us} AS batch_first,
                   sum(CASE WHEN res_gap_us IS NULL OR res_gap_us > {gap_us} THEN 1 ELSE 0 END)
                       OVER (PARTITION BY resource ORDER BY end_us, event_seq) AS run_no
            FROM r
        ),
        sized AS (
            SELECT *, count(*) OVER (PARTITION BY resource, run_no) AS batch_n,
                   median(CASE WHEN NOT batch_first THEN end_wus - res_prev_wus END)
                       OVER (PARTITION BY resource, run_no) AS batch_gap_wus
            FROM runs
        )
        SELECT case_id, pos,
               least(coalesce({batch}, end_wus - {bound}), {cap}) / {US_PER_HOUR} AS est_hours,
               batch_n >= {BATCH_MIN_EVENTS} AS in_batch
        FROM sized
    """)


def validate(con: duckdb.DuckDBPyConnection, *, calendar, end_activities: tuple[str, ...] = ()) -> pd.DataFrame:
    """Per activity, how far estimated processing times fall from the measured ones.

    Reads `sc_events` and drops its starts: the measured processing times are kept aside, the starts
    re-estimated by both methods, and the error is |estimate − measured| in working hours, per event
    with a real start. Returns activity, events, measured median hours, and the median absolute error
    of the availability and the gap method.
    """
    from . import features

    day_hours = features.working_day_hours(calendar)
    features.prepare(con, calendar=calendar, end_activities=end_activities)
    con.execute(f"""
        CREATE OR REPLACE TEMP TABLE sv_true AS
        SELECT case_id, pos, activity, (end_wus - start_wus) / {US_PER_HOUR} AS true_hours
        FROM sc_ev WHERE start_us IS NOT NULL AND start_us <= end_us AND NOT is_day AND kind = 'person'
    """)
    con.execute("UPDATE sc_events SET ts_start = NULL")  # the same case order: (ts_end, event_seq)
    features.prepare(con, calendar=calendar, end_activities=end_activities)
    estimate(con, day_hours=day_hours, method="availability", table="sv_avail")
    estimate(con, day_hours=day_hours, method="gap", table="sv_gap")
    return con.execute("""
        SELECT t.activity, count(*) AS events, median(t.true_hours) AS measured_median_hours,
               median(abs(a.est_hours - t.true_hours)) AS mae_availability_hours,
               median(abs(g.est_hours - t.true_hours)) AS mae_gap_hours
        FROM sv_true t JOIN sv_avail a USING (case_id, pos) JOIN sv_gap g USING (case_id, pos)
        WHERE a.est_hours IS NOT NULL AND g.est_hours IS NOT NULL
        GROUP BY t.activity ORDER BY events DESC, t.activity
    """).df()


def validate_log(store_path, log_name: str, *, calendar=None) -> pd.DataFrame:
    """`validate` on a stored log, copied into an in-memory database first."""
    from saksflyt.extractors import store
    from saksflyt.mining.calendar import NORWEGIAN

    from .run import events_in_memory, read_events

    with store.read(store.store_path(store_path)) as src:
        events = read_events(src, log_name)
    con = events_in_memory(events)
    try:
        return validate(con, calendar=calendar or NORWEGIAN)
    finally:
        con.close()
