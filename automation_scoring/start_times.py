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

US_PER_HOUR = 3_600_000_000
BATCH_GAP_MINUTES = 15     # completions this close after the same resource's previous one form a run …
BATCH_MIN_EVENTS = 3       # … and a run of this many cases is a batch
METHODS = ("availability", "gap")  # `start_time_validation` compares the two


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
