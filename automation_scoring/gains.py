"""What a candidate would give the municipality per year: staff hours, money and quality, each with its assumption.

The factors are deliberately simple and stated on every candidate, so a reader can redo the sum:
- `automate`: automation removes `AUTOMATE_FACTOR` (80 %) of the step's processing time; the rest is
  checking the exceptions. Quality: cases decided differently from the learnt rule today (possible
  errors or inconsistency), which a rule applied by a machine would decide the same way every time.
- `eliminate`: removing the step removes all of its processing time (`ELIMINATE_FACTOR` = 100 %). No
  quality gain is claimed: a needless step changes no outcome.
- `simplify`: simplification prevents `SIMPLIFY_FACTOR` (half) of the rework: half of the redone
  steps' processing time, and half of the affected cases are spared the rework.
- `unblock`: unblocking saves waiting, not staff time: hours and money are 0; the reasons and
  assumptions give the waiting saved if the queue were halved (`UNBLOCK_QUEUE_FACTOR`).
Hours are the processing time of staff events (people, not systems or outside parties) on the
activity's processing-time basis, in working hours, annualised over the log's span.
"""
from __future__ import annotations

from dataclasses import dataclass

DEFAULT_HOURLY_COST = 700.0
AUTOMATE_FACTOR = 0.8
ELIMINATE_FACTOR = 1.0
SIMPLIFY_FACTOR = 0.5
UNBLOCK_QUEUE_FACTOR = 0.5


@dataclass(frozen=True)
class Gain:
    hours_saved_per_year: float
    nok_saved_per_year: float
    quality_cases_per_year: float
    cases_affected_per_year: float
    assumptions: tuple[str, ...]


def _nok(hours: float, hourly_cost: float) -> float:
    return hours * hourly_cost


def _cost(hourly_cost: float) -> str:
    return f"NOK = hours saved × {hourly_cost:,.0f} NOK per hour (--hourly-cost)."


def automate(*, processing_hours_per_year: float, cases_per_year: float, deviating_per_year: float | None,
             hourly_cost: float, basis: str) -> Gain:
    """`deviating_per_year`: decisions a year that differ from the learnt rule; None when no rule decides the step."""
    hours = processing_hours_per_year * AUTOMATE_FACTOR
    quality = ("Quality: cases decided differently from the rule today would be decided consistently."
               if deviating_per_year is not None else "No quality gain is claimed: no rule decides this step.")
    return Gain(
        hours_saved_per_year=hours, nok_saved_per_year=_nok(hours, hourly_cost),
        quality_cases_per_year=deviating_per_year or 0.0, cases_affected_per_year=cases_per_year,
        assumptions=(
            f"Automation removes {AUTOMATE_FACTOR:.0%} of the step's processing time "
            f"({processing_hours_per_year:,.1f} working hours a year, basis {basis}); the rest goes to exceptions.",
            _cost(hourly_cost), quality))


def eliminate(*, processing_hours_per_year: float, cases_per_year: float, hourly_cost: float,
              basis: str) -> Gain:
    hours = processing_hours_per_year * ELIMINATE_FACTOR
    return Gain(
        hours_saved_per_year=hours, nok_saved_per_year=_nok(hours, hourly_cost),
        quality_cases_per_year=0.0, cases_affected_per_year=cases_per_year,
        assumptions=(
            f"Removing the step removes {ELIMINATE_FACTOR:.0%} of its processing time "
            f"({processing_hours_per_year:,.1f} working hours a year, basis {basis}).",
            _cost(hourly_cost),
            "No quality gain is claimed: the step changes no outcome."))


def simplify(*, redone_hours_per_case: float, cases_per_year: float, hourly_cost: float, basis: str) -> Gain:
    hours = redone_hours_per_case * cases_per_year * SIMPLIFY_FACTOR
    return Gain(
        hours_saved_per_year=hours, nok_saved_per_year=_nok(hours, hourly_cost),
        quality_cases_per_year=cases_per_year * SIMPLIFY_FACTOR, cases_affected_per_year=cases_per_year,
        assumptions=(
            f"Simplification prevents {SIMPLIFY_FACTOR:.0%} of the rework: the redone steps take "
            f"{redone_hours_per_case:,.2f} working hours per affected case (basis {basis}).",
            _cost(hourly_cost),
            f"Quality: {SIMPLIFY_FACTOR:.0%} of the affected cases are spared the rework."))


def unblock(*, waiting_hours_per_year: float, cases_per_year: float, wait_basis: str) -> Gain:
    saved = waiting_hours_per_year * UNBLOCK_QUEUE_FACTOR
    per_case = saved / cases_per_year if cases_per_year else 0.0
    return Gain(
        hours_saved_per_year=0.0, nok_saved_per_year=0.0, quality_cases_per_year=0.0,
        cases_affected_per_year=cases_per_year,
        assumptions=(
            "Unblocking saves waiting, not staff time: staff hours and NOK are 0.",
            f"Halving the queue would save {saved:,.0f} working hours of waiting a year, "
            f"{per_case:,.1f} per affected case (waiting basis {wait_basis}).",
            "No quality gain is claimed."))
