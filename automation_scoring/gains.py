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


def handovers(*, redone_hours_per_year: float, waiting_hours_per_year: float, cases_per_year: float,
              hourly_cost: float, t: Text = Text()) -> Gain:
    hours = redone_hours_per_year * SIMPLIFY_FACTOR
    return Gain(
        hours_saved_per_year=hours, nok_saved_per_year=hours * hourly_cost,
        quality_cases_per_year=cases_per_year * SIMPLIFY_FACTOR, cases_affected_per_year=cases_per_year,
        assumptions=(
            t.pick(nb=f"Færre returer: {t.pct(SIMPLIFY_FACTOR)} av returene mellom enhetene unngås. Arbeidet som gjøres "
                      f"om igjen der saken kommer tilbake, tar {t.num(redone_hours_per_year, 1)} timer i året "
                      f"(personers behandlingstid målt fra start til slutt; 0 der loggen ikke har starttider).",
                   en=f"Fewer returns: {t.pct(SIMPLIFY_FACTOR)} of the returns between the units are avoided. The work "
                      f"done again where the case comes back takes {t.num(redone_hours_per_year, 1)} hours a year "
                      f"(people's processing time measured from start to completion; 0 where the log has no starts)."),
            t.pick(nb=f"Ventetiden ved returene er {t.int(waiting_hours_per_year)} kalendertimer i året; "
                      f"{t.pct(SIMPLIFY_FACTOR)} av den spares i saksbehandlingstid, ikke i arbeidstid.",
                   en=f"The waiting at the returns is {t.int(waiting_hours_per_year)} calendar hours a year; "
                      f"{t.pct(SIMPLIFY_FACTOR)} of it is saved in lead time, not in staff time."),
            _cost(t, hourly_cost),
            t.pick(nb=f"Kvalitet: {t.pct(SIMPLIFY_FACTOR)} av sakene som går fram og tilbake, slipper det.",
                   en=f"Quality: {t.pct(SIMPLIFY_FACTOR)} of the cases that bounce are spared it.")))


def voices(*, letters_saved_per_year: float, cases_per_year: float, t: Text = Text()) -> Gain:
    return Gain(
        hours_saved_per_year=0.0, nok_saved_per_year=0.0, quality_cases_per_year=cases_per_year,
        cases_affected_per_year=cases_per_year,
        assumptions=(
            t.pick(nb=f"Ett brev fra kommunen i stedet for ett per enhet sparer {t.int(letters_saved_per_year)} brev i "
                      f"året (enheter som skrev − 1, per sak).",
                   en=f"One letter from the municipality instead of one per unit saves "
                      f"{t.int(letters_saved_per_year)} letters a year (units that wrote − 1, per case)."),
            t.pick(nb="Ingen arbeidstimer regnes her: brevstegenes timer hører til deres egne kandidater.",
                   en="No staff hours are claimed here: the letter steps' hours belong to their own candidates."),
            t.pick(nb="Kvalitet: sakene som i dag hører fra flere enheter, hører én stemme.",
                   en="Quality: the cases that hear from several units today hear one voice.")))


def many_units(*, waiting_hours_per_year: float, cases_per_year: float, t: Text = Text()) -> Gain:
    saved = waiting_hours_per_year * SIMPLIFY_FACTOR
    return Gain(
        hours_saved_per_year=0.0, nok_saved_per_year=0.0, quality_cases_per_year=0.0,
        cases_affected_per_year=cases_per_year,
        assumptions=(
            t.pick(nb=f"Færre overleveringer sparer ventetid: halvparten av ventingen ved overleveringene i disse sakene "
                      f"er {t.int(saved)} kalendertimer i året.",
                   en=f"Fewer handovers save waiting: half of the waiting at these cases' handovers is {t.int(saved)} "
                      f"calendar hours a year."),
            t.pick(nb="Arbeidstiden en overlevering koster (sette seg inn i saken på nytt), står ikke i hendelsene: "
                      "timer og kroner er 0.",
                   en="The staff time a handover costs (getting to know the case again) is not in the events: hours "
                      "and NOK are 0."),
            t.pick(nb="Ingen kvalitetsgevinst er regnet med.", en="No quality gain is claimed.")))
