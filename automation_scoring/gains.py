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
Hours are the processing time of work done by people (never systems or outside parties) on the
activity's processing-time basis, in working hours, annualised over the log's span.
"""
from __future__ import annotations

from dataclasses import dataclass

from mining.report import Text

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
    return t.pick(nb=f"Kroner = timer spart × {t.int(hourly_cost)} kr per time (--hourly-cost).",
                  en=f"NOK = hours saved × {t.int(hourly_cost)} NOK per hour (--hourly-cost).")


def automate(*, processing_hours_per_year: float, cases_per_year: float, deviating_per_year: float | None,
             hourly_cost: float, basis: str, t: Text = Text()) -> Gain:
    """`deviating_per_year`: decisions a year that differ from the learnt rule; None when no rule decides the step."""
    hours = processing_hours_per_year * AUTOMATE_FACTOR
    quality = (t.pick(nb="Kvalitet: saker som i dag avgjøres annerledes enn regelen, ville bli avgjort likt.",
                      en="Quality: cases decided differently from the rule today would be decided consistently.")
               if deviating_per_year is not None else
               t.pick(nb="Ingen kvalitetsgevinst er regnet med: ingen regel avgjør steget.",
                      en="No quality gain is claimed: no rule decides this step."))
    return Gain(
        hours_saved_per_year=hours, nok_saved_per_year=hours * hourly_cost,
        quality_cases_per_year=deviating_per_year or 0.0, cases_affected_per_year=cases_per_year,
        assumptions=(
            t.pick(nb=f"Automatisering fjerner {t.pct(AUTOMATE_FACTOR)} av stegets behandlingstid "
                      f"({t.num(processing_hours_per_year, 1)} arbeidstimer i året, grunnlag {basis}); resten går "
                      f"til unntakene.",
                   en=f"Automation removes {t.pct(AUTOMATE_FACTOR)} of the step's processing time "
                      f"({t.num(processing_hours_per_year, 1)} working hours a year, basis {basis}); the rest goes "
                      f"to exceptions."),
            _cost(t, hourly_cost), quality))


def eliminate(*, processing_hours_per_year: float, cases_per_year: float, hourly_cost: float,
              basis: str, t: Text = Text()) -> Gain:
    hours = processing_hours_per_year * ELIMINATE_FACTOR
    return Gain(
        hours_saved_per_year=hours, nok_saved_per_year=hours * hourly_cost,
        quality_cases_per_year=0.0, cases_affected_per_year=cases_per_year,
        assumptions=(
            t.pick(nb=f"Å fjerne steget fjerner {t.pct(ELIMINATE_FACTOR)} av behandlingstiden "
                      f"({t.num(processing_hours_per_year, 1)} arbeidstimer i året, grunnlag {basis}).",
                   en=f"Removing the step removes {t.pct(ELIMINATE_FACTOR)} of its processing time "
                      f"({t.num(processing_hours_per_year, 1)} working hours a year, basis {basis})."),
            _cost(t, hourly_cost),
            t.pick(nb="Ingen kvalitetsgevinst er regnet med: steget endrer ikke utfallet.",
                   en="No quality gain is claimed: the step changes no outcome.")))


def simplify(*, redone_hours_per_year: float, cases_per_year: float, hourly_cost: float, basis: str,
             t: Text = Text()) -> Gain:
    hours = redone_hours_per_year * SIMPLIFY_FACTOR
    return Gain(
        hours_saved_per_year=hours, nok_saved_per_year=hours * hourly_cost,
        quality_cases_per_year=cases_per_year * SIMPLIFY_FACTOR, cases_affected_per_year=cases_per_year,
        assumptions=(
            t.pick(nb=f"Forenkling hindrer {t.pct(SIMPLIFY_FACTOR)} av omarbeidet: stegene som gjøres om igjen, tar "
                      f"{t.num(redone_hours_per_year, 1)} arbeidstimer i året (grunnlag {basis}).",
                   en=f"Simplification prevents {t.pct(SIMPLIFY_FACTOR)} of the rework: the steps done again take "
                      f"{t.num(redone_hours_per_year, 1)} working hours a year (basis {basis})."),
            _cost(t, hourly_cost),
            t.pick(nb=f"Kvalitet: {t.pct(SIMPLIFY_FACTOR)} av de berørte sakene slipper omarbeidet.",
                   en=f"Quality: {t.pct(SIMPLIFY_FACTOR)} of the affected cases are spared the rework.")))


def unblock(*, waiting_hours_per_year: float, cases_per_year: float, wait_basis: str, t: Text = Text()) -> Gain:
    saved = waiting_hours_per_year * UNBLOCK_QUEUE_FACTOR
    per_case = saved / cases_per_year if cases_per_year else 0.0
    return Gain(
        hours_saved_per_year=0.0, nok_saved_per_year=0.0, quality_cases_per_year=0.0,
        cases_affected_per_year=cases_per_year,
        assumptions=(
            t.pick(nb="Å fjerne køen sparer ventetid, ikke arbeidstid: timer og kroner er 0.",
                   en="Unblocking saves waiting, not staff time: staff hours and NOK are 0."),
            t.pick(nb=f"Halvert kø ville spare {t.int(saved)} arbeidstimer ventetid i året, {t.num(per_case, 1)} per "
                      f"berørt sak (grunnlag for ventetid: {wait_basis}).",
                   en=f"Halving the queue would save {t.int(saved)} working hours of waiting a year, "
                      f"{t.num(per_case, 1)} per affected case (waiting basis {wait_basis})."),
            t.pick(nb="Ingen kvalitetsgevinst er regnet med.", en="No quality gain is claimed.")))
