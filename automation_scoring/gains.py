"""What a candidate would give the municipality per year: staff hours, money and quality, each with its assumption.

The factors are deliberately simple and stated on every candidate, so a reader can redo the sum:
- `automate`: automation removes `AUTOMATE_FACTOR` (80 %) of the step's processing time; the rest is
  checking the exceptions. For a decision point, the step is the one the decision is taken at: the
  branches' own work is never counted. Quality: cases decided differently from the learnt rule today
  (possible errors or inconsistency), which a rule applied by a machine would decide the same way.
- `eliminate`: removing the step removes all of its processing time (`ELIMINATE_FACTOR` = 100 %). No
  quality gain is claimed: a needless step changes no outcome.
- `simplify`: simplification prevents `SIMPLIFY_FACTOR` (half) of the rework: half of the processing
  time of the loop's steps done a second or later time in a case, and half of the affected cases are
  spared the rework.
- `unblock`: unblocking saves waiting, not staff time: hours and money are 0; the reasons and
  assumptions give the waiting saved if the queue were halved (`UNBLOCK_QUEUE_FACTOR`).
- `simplify` between units (`handovers`): half of the returns between two units prevented
  (`SIMPLIFY_FACTOR`) saves half of the work done again in the unit a case came back to (people's
  measured processing time in the visits a return opened) and half of the waiting at the returns.
  Where that work's steps already belong to another candidate, its hours are counted there, not here.
- `simplify` of the voices (`voices`): one letter out where several units write today saves the
  letters (`voice_units − 1` per case); no staff hours are claimed, as the letter steps' own hours belong
  to their own candidates; the cases that hear one voice are the quality gain.
Hours are the processing time of work done by people (never systems or outside parties) on the
activity's processing-time basis, in working hours, annualised over the log's span.
"""
from __future__ import annotations

from dataclasses import dataclass

from saksflyt.mining.report import Text

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


def _cost(t: Text, hourly_cost: float) -> str:
    return t.tr("gains.nok_hours_saved_nok", hourly_cost=t.int(hourly_cost))


def automate(*, processing_hours_per_year: float, cases_per_year: float, deviating_per_year: float | None,
             hourly_cost: float, basis: str, t: Text = Text()) -> Gain:
    """`deviating_per_year`: decisions a year that differ from the learnt rule; None when no rule decides the step."""
    hours = processing_hours_per_year * AUTOMATE_FACTOR
    quality = (t.tr("gains.quality_cases_decided_differentl")
               if deviating_per_year is not None else
               t.tr("gains.no_quality_gain_no_rule"))
    return Gain(
        hours_saved_per_year=hours, nok_saved_per_year=hours * hourly_cost,
        quality_cases_per_year=deviating_per_year or 0.0, cases_affected_per_year=cases_per_year,
        assumptions=(
            t.tr("gains.automation_removes_of_the", automate_factor=t.pct(AUTOMATE_FACTOR),
                 processing_hours_per_year=t.num(processing_hours_per_year, 1), basis=basis),
            _cost(t, hourly_cost), quality))


def eliminate(*, processing_hours_per_year: float, cases_per_year: float, hourly_cost: float,
              basis: str, t: Text = Text()) -> Gain:
    hours = processing_hours_per_year * ELIMINATE_FACTOR
    return Gain(
        hours_saved_per_year=hours, nok_saved_per_year=hours * hourly_cost,
        quality_cases_per_year=0.0, cases_affected_per_year=cases_per_year,
        assumptions=(
            t.tr("gains.removing_the_step_removes", eliminate_factor=t.pct(ELIMINATE_FACTOR),
                 processing_hours_per_year=t.num(processing_hours_per_year, 1), basis=basis),
            _cost(t, hourly_cost),
            t.tr("gains.no_quality_gain_no_outcome")))


def simplify(*, redone_hours_per_year: float, cases_per_year: float, hourly_cost: float, basis: str,
             t: Text = Text()) -> Gain:
    hours = redone_hours_per_year * SIMPLIFY_FACTOR
    return Gain(
        hours_saved_per_year=hours, nok_saved_per_year=hours * hourly_cost,
        quality_cases_per_year=cases_per_year * SIMPLIFY_FACTOR, cases_affected_per_year=cases_per_year,
        assumptions=(
            t.tr("gains.simplification_prevents_of_the",
                 simplify_factor=t.pct(SIMPLIFY_FACTOR), redone_hours_per_year=t.num(redone_hours_per_year, 1),
                 basis=basis),
            _cost(t, hourly_cost),
            t.tr("gains.quality_of_the_affected", simplify_factor=t.pct(SIMPLIFY_FACTOR))))


def unblock(*, waiting_hours_per_year: float, cases_per_year: float, wait_basis: str, t: Text = Text()) -> Gain:
    saved = waiting_hours_per_year * UNBLOCK_QUEUE_FACTOR
    per_case = saved / cases_per_year if cases_per_year else 0.0
    return Gain(
        hours_saved_per_year=0.0, nok_saved_per_year=0.0, quality_cases_per_year=0.0,
        cases_affected_per_year=cases_per_year,
        assumptions=(
            t.tr("gains.unblocking_saves_waiting_not"),
            t.tr("gains.halving_the_queue_would",
                 saved=t.int(saved), per_case=t.num(per_case, 1), wait_basis=wait_basis),
            t.tr("gains.no_quality_gain")))


def handovers(*, redone_hours_per_year: float, waiting_hours_per_year: float, cases_per_year: float,
              hourly_cost: float, t: Text = Text()) -> Gain:
    hours = redone_hours_per_year * SIMPLIFY_FACTOR
    return Gain(
        hours_saved_per_year=hours, nok_saved_per_year=hours * hourly_cost,
        quality_cases_per_year=cases_per_year * SIMPLIFY_FACTOR, cases_affected_per_year=cases_per_year,
        assumptions=(
            t.tr("gains.fewer_returns_of_the",
                 simplify_factor=t.pct(SIMPLIFY_FACTOR), redone_hours_per_year=t.num(redone_hours_per_year, 1)),
            t.tr("gains.the_waiting_at_the",
                 waiting_hours_per_year=t.int(waiting_hours_per_year), simplify_factor=t.pct(SIMPLIFY_FACTOR)),
            _cost(t, hourly_cost),
            t.tr("gains.quality_of_the_cases", simplify_factor=t.pct(SIMPLIFY_FACTOR))))


def voices(*, letters_saved_per_year: float, cases_per_year: float, t: Text = Text()) -> Gain:
    return Gain(
        hours_saved_per_year=0.0, nok_saved_per_year=0.0, quality_cases_per_year=cases_per_year,
        cases_affected_per_year=cases_per_year,
        assumptions=(
            t.tr("gains.one_letter_from_the", letters_saved_per_year=t.int(letters_saved_per_year)),
            t.tr("gains.no_staff_hours_are"),
            t.tr("gains.quality_the_cases_that")))


def many_units(*, waiting_hours_per_year: float, cases_per_year: float, t: Text = Text()) -> Gain:
    saved = waiting_hours_per_year * SIMPLIFY_FACTOR
    return Gain(
        hours_saved_per_year=0.0, nok_saved_per_year=0.0, quality_cases_per_year=0.0,
        cases_affected_per_year=cases_per_year,
        assumptions=(
            t.tr("gains.fewer_handovers_save_waiting", saved=t.int(saved)),
            t.tr("gains.the_staff_time_a"),
            t.tr("gains.no_quality_gain")))
