"""Features, estimators and ranking of automation candidates.

Library entry points: `automation_scoring.run.score` (rank a log's candidates and store them),
`automation_scoring.run.train` (fit the scoring model on labels), `automation_scoring.results` (read the
latest candidates, export candidates.json/.csv), `automation_scoring.estimator.CandidateScorer`.
"""
from __future__ import annotations

from . import results, simulation_results  # noqa: F401  (register the scoring and simulation tables' DDL)
