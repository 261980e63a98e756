"""Analysis of the stored event logs: statistics in DuckDB SQL, discovery and conformance with pm4py.

Entry points for the statistics: `mining.run.mine` (compute a run and store it), `mining.results`
(read a log's latest run, export it), `mining.calendar.WorkCalendar` (working hours).
"""
from __future__ import annotations

from . import results  # noqa: F401  (registers the result tables' DDL with the store)
