"""How far estimated start times fall from measured ones, on logs that record both (`benchmarks/start_times.py`).

Apart from `start_times` because it runs the whole feature preparation (`features.prepare`, which uses
`start_times.estimate`) and reads a stored log as scoring does (`run`): kept there, the modules would
import each other.
"""
from __future__ import annotations

import duckdb
import pandas as pd

from saksflyt.extractors import store
from saksflyt.mining.calendar import NORWEGIAN

from . import features
from .run import events_in_memory, read_events
from .start_times import US_PER_HOUR, estimate


def validate(con: duckdb.DuckDBPyConnection, *, calendar, end_activities: tuple[str, ...] = ()) -> pd.DataFrame:
    """Per activity, how far estimated processing times fall from the measured ones.

    Reads `sc_events` and drops its starts: the measured processing times are kept aside, the starts
    re-estimated by both methods, and the error is |estimate − measured| in working hours, per event
    with a real start. Returns activity, events, measured median hours, and the median absolute error
    of the availability and the gap method.
    """
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
    with store.read(store.store_path(store_path)) as src:
        events = read_events(src, log_name)
    con = events_in_memory(events)
    try:
        return validate(con, calendar=calendar or NORWEGIAN)
    finally:
        con.close()
