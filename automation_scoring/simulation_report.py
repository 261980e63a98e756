"""simulation_validation.html and simulation.html: one `saksflyt simulate` run as a page a process owner can
read, mail or print without Python.

The page's language is the run's (`result["lang"]`: bokmål "nb" by default, or "en"), because the run's own
sentences (verdict, changes, warnings, assumptions) are in it. Like monitor.html the pages have no scripts
and fetch nothing; they reuse its styles, tables (caption, `th scope`, a scroll box of their own on a narrow
screen) and number formats (`mining.report.Text`: `1 234,5` in bokmål).

A scenario page leads with the *differences* (scenario − baseline, paired by run, with a 90 % interval over
the runs); an interval that covers 0 is "no clear difference". The simulated levels come second and are
labelled as simulated: they are not forecasts. `effects`, `waiting_effects` and `signed` are shared with the
explorer's backlog page, so both show the same numbers.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from saksflyt.mining import wording
from saksflyt.mining.monitor_report import CSS as MONITOR_CSS
from saksflyt.mining.monitor_report import _kpis, _local, _table
from saksflyt.mining.report import Text, _e, page_start

VALIDATION_PAGE = "simulation_validation.html"
SCENARIO_PAGE = "simulation.html"
ZONE = "Europe/Oslo"

CSS = MONITOR_CSS + """
.warn{background:#fff7e0;border:2px solid #8a5a00;border-left-width:8px;padding:10px 14px;margin:14px 0}
.warn p{margin:4px 0}.warn b{color:#5c3b00}
.verdict{font-size:1.15em}.badge.good{background:#e2f3e3;color:#1e5e2a}.badge.fair{background:#fff0c2;color:#5c4300}
.badge.poor{background:#fbd9d3;color:#8a1f11}
.badge.better{background:#e2f3e3;color:#1e5e2a}.badge.worse{background:#fbd9d3;color:#8a1f11}
td.n{font-variant-numeric:tabular-nums}
@media print{.scroll{overflow:visible}.warn{break-inside:avoid}}
"""

VERDICT_MARKS = {"good": "✔", "fair": "●", "poor": "⚠"}

# The headline measures of a scenario, in the order the pages show them: (key, unit, digits, lower is better).
# The share within the target is shown in percentage points (the stored share × 100).
HEADLINE = (("lead_time_median_days", "days", 1, True), ("lead_time_p90_days", "days", 1, True),
            ("share_within_deadline", "points", 1, False), ("staff_hours_per_year", "hours", 0, True))


class Formatter(Protocol):
    """`mining.report.Text` or the explorer's `app.i18n.Translator`: both write numbers the same way."""

    def num(self, x: float | None, digits: int = 0) -> str: ...


# --- figures shared with the explorer ----------------------------------------------------------


def _finite(x: Any) -> float | None:
    try:
        f = float(x)
    except (TypeError, ValueError):
        return None
    return f if math.isfinite(f) else None


@dataclass(frozen=True)
class Effect:
    """One difference (scenario − baseline) in the unit it is shown in, with its 90 % interval over the runs."""

    measure: str                 # a HEADLINE key, or an activity for waiting hours
    value: float | None
    low: float | None
    high: float | None
    unit: str                    # "days" | "points" | "hours"
    digits: int
    lower_is_better: bool = True

    @property
    def has_interval(self) -> bool:
        return self.low is not None and self.high is not None

    @property
    def clear(self) -> bool:
        """True when the interval lies wholly on one side of 0 (an interval touching 0 covers it)."""
        return self.has_interval and (self.low > 0 or self.high < 0)

    @property
    def direction(self) -> str | None:
        """'better' or 'worse' for a clear difference, else None."""
        if not self.clear:
            return None
        return "better" if (self.high < 0) == self.lower_is_better else "worse"


def _effect(entry: dict[str, Any] | None, measure: str, unit: str, digits: int, lower_is_better: bool) -> Effect:
    entry = entry or {}
    scale = 100.0 if unit == "points" else 1.0
    ci = entry.get("ci") or [None, None]
    value, low, high = (_finite(x) for x in (entry.get("value"), *list(ci)[:2]))

    def scaled(x: float | None) -> float | None:
        return None if x is None else x * scale

    return Effect(measure, scaled(value), scaled(low), scaled(high), unit, digits, lower_is_better)


def effects(result: dict[str, Any]) -> list[Effect]:
    """The headline differences of a scenario run: lead time median and p90 (days), share within the target
    (percentage points), staff hours per year."""
    diff = result.get("difference") or {}
    return [_effect(diff.get(key), key, unit, digits, lower) for key, unit, digits, lower in HEADLINE]


def waiting_effects(result: dict[str, Any]) -> list[Effect]:
    """Waiting hours per year per activity, largest absolute difference first."""
    waits = (result.get("difference") or {}).get("waiting_hours_per_year") or {}
    found = [_effect(v, str(k), "hours", 0, True) for k, v in waits.items()]
    return sorted(found, key=lambda e: (-abs(e.value) if e.value is not None else math.inf, e.measure))


def signed(fmt: Formatter, x: float | None, digits: int) -> str:
    """A difference with its sign: "+1,5", "−3,2", "0,0" (never "−0,0")."""
    if x is None:
        return "–"
    r = round(x, digits) + 0.0   # + 0.0 turns -0.0 into 0.0
    text = fmt.num(r, digits)
    return f"+{text}" if r > 0 else text


# --- formatting --------------------------------------------------------------------------------


def _text(result: dict[str, Any]) -> Text:
    return Text("en" if result.get("lang") == "en" else "nb")


def _unit(t: Text, unit: str) -> str:
    return {"days": t.pick(nb="døgn", en="days"), "points": t.pick(nb="prosentpoeng", en="percentage points"),
            "hours": t.pick(nb="timer", en="hours")}[unit]


def difference_text(t: Text, e: Effect) -> str:
    """"−3,2 døgn (−4,0 til −2,5)", or "ingen sikker forskjell (−0,4 til 0,6 døgn)" when the interval covers 0."""
    unit = _unit(t, e.unit)
    if not e.has_interval:
        return f"{signed(t, e.value, e.digits)}\u00a0{unit}" if e.value is not None else "–"
    low, high = signed(t, e.low, e.digits), signed(t, e.high, e.digits)
    to = t.pick(nb="til", en="to")
    if not e.clear:
        return t.pick(nb=f"ingen sikker forskjell ({low} {to} {high}\u00a0{unit})",
                      en=f"no clear difference ({low} {to} {high}\u00a0{unit})")
    return f"{signed(t, e.value, e.digits)}\u00a0{unit} ({low} {to} {high})"


def _level(t: Text, entry: dict[str, Any] | None, *, digits: int, scale: float = 1.0, suffix: str = "") -> str:
    entry = entry or {}
    value = _finite(entry.get("value"))
    if value is None:
        return "–"
    text = t.num(value * scale, digits) + suffix
    ci = entry.get("ci") or []
    low, high = (_finite(x) for x in (list(ci) + [None, None])[:2])
    if low is None or high is None:
        return text
    return f"{text} ({t.num(low * scale, digits)} {t.pick(nb='til', en='to')} {t.num(high * scale, digits)})"


def _page_head(t: Text, title: str, result: dict[str, Any]) -> list[str]:
    log_name = result.get("log") or ""
    created = result.get("created_at")
    meta = [f'{t.pick(nb="Laget", en="Generated")} {_local(created, ZONE)}' if created else None,
            t.pick(nb=f"{t.int(result.get('runs'))} simuleringer", en=f"{t.int(result.get('runs'))} simulations"),
            f"seed {result.get('seed')}" if result.get("seed") is not None else None, "Saksflyt"]
    return [page_start(t.lang, f"{title}: {log_name}", [m for m in meta if m], CSS)]


def _period(t: Text, result: dict[str, Any]) -> str:
    p = result.get("period") or {}
    start, end = str(p.get("start") or "–")[:10], str(p.get("end") or "–")[:10]
    years = t.num(_finite(p.get("years")), 2)
    return t.pick(nb=f"{start} – {end} ({years} år)", en=f"{start} – {end} ({years} years)")


def _verdict_badge(t: Text, verdict: str | None) -> str:
    key = f"simulation.verdict.{verdict or ''}"
    word = t.tr(key) if wording.known(key) else (verdict or "–")
    mark = VERDICT_MARKS.get(verdict or "", "")
    return f'<span class="badge {_e(verdict or "")}">{_e(mark)} {_e(word)}</span>'


def _warnings(t: Text, lines: list[str]) -> str:
    if not lines:
        return ""
    word = t.pick(nb="Advarsel", en="Warning")
    label = t.pick(nb="Advarsler", en="Warnings")
    return (f'<div class="warn" role="note" aria-label="{_e(label)}">'
            + "".join(f"<p>⚠ <b>{_e(word)}:</b> {_e(w)}</p>" for w in lines) + "</div>")


def _write(html: str, path: Path, name: str) -> Path:
    target = Path(path)
    if target.suffix.lower() != ".html":
        target = target / name
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(html, encoding="utf-8")
    return target


# --- the validation page -----------------------------------------------------------------------


def _measure_rows(t: Text, v: dict[str, Any]) -> list[list[str]]:
    """(name, value, what it means, good ≤, fair ≤) for each validation measure; cells escaped."""
    pick = t.pick
    good = (v.get("thresholds") or {}).get("good") or {}
    fair = (v.get("thresholds") or {}).get("fair") or {}
    real_mean = _finite(v.get("real_mean_lead_days"))
    share = _finite(v.get("cycle_time_emd_share"))
    cycle = t.hours(_finite(v.get("cycle_time_emd_hours")), days=True)
    if share is not None:
        cycle += pick(nb=f" ({t.pct(share, 1)} av virkelig gjennomsnitt)", en=f" ({t.pct(share, 1)} of the real mean)")

    def limit(group: dict[str, Any], key: str, *, pct: bool = False) -> str:
        x = _finite(group.get(key))
        return "–" if x is None else (t.pct(x, 0) if pct else t.num(x, 2))

    mean = t.num(real_mean, 1) if real_mean is not None else "–"
    rows = [
        (pick(nb="n-gram-avstand", en="n-gram distance"), t.num(_finite(v.get("ngram_distance")), 3),
         pick(nb="Hvor ulikt stegene følger etter hverandre i simulerte og virkelige saker: 0 er likt, 1 er "
                 "ingenting felles.",
              en="How differently the steps follow each other in simulated and real cases: 0 is the same, 1 is "
                 "nothing shared."),
         limit(good, "ngram_distance"), limit(fair, "ngram_distance")),
        (pick(nb="Saksbehandlingstid (EMD)", en="Lead time (EMD)"), cycle,
         pick(nb=f"Hvor mange timer fordelingene av saksbehandlingstid ligger fra hverandre, og det som andel av "
                 f"virkelig gjennomsnittlig saksbehandlingstid ({mean} døgn).",
              en=f"How many hours the distributions of lead time are apart, and that as a share of the real mean "
                 f"lead time ({mean} days)."),
         limit(good, "cycle_time_emd_share", pct=True), limit(fair, "cycle_time_emd_share", pct=True)),
        (pick(nb="Nye saker (EMD)", en="Arrivals (EMD)"), t.hours(_finite(v.get("arrival_emd_hours")), days=True),
         pick(nb="Hvor mange timer tidspunktene da nye saker kommer inn ligger fra hverandre.",
              en="How many hours the moments new cases arrive are apart."), "–", "–"),
        (pick(nb="Avsluttede saker (EMD)", en="Completions (EMD)"),
         t.hours(_finite(v.get("completion_emd_hours")), days=True),
         pick(nb="Hvor mange timer tidspunktene da saker avsluttes ligger fra hverandre.",
              en="How many hours the moments cases are completed are apart."), "–", "–"),
        (pick(nb="Alle hendelser (EMD)", en="All events (EMD)"), t.hours(_finite(v.get("event_emd_hours")), days=True),
         pick(nb="Hvor mange timer tidspunktene for alle hendelser ligger fra hverandre.",
              en="How many hours the moments of all events are apart."), "–", "–"),
        (pick(nb="Åpne saker over tid", en="Work in progress"), t.hours(_finite(v.get("wip_distance")), days=True),
         pick(nb="Hvor langt kurvene for antall åpne saker over tid ligger fra hverandre, i timer.",
              en="How far apart the curves of open cases over time are, in hours."), "–", "–"),
    ]
    return [[_e(c) for c in r] for r in rows]


def _validation_body(t: Text, v: dict[str, Any], *, level: int = 2, full: bool = True) -> list[str]:
    """The verdict, the measures with their meaning and thresholds, and (`full`) the model and per-run values."""
    pick = t.pick
    h, h2 = f"h{level}", f"h{level + 1}"
    out = [(f"<{h}>{_e(pick(nb='Hvor langt simuleringen kan stoles på', en='How far the simulation can be trusted'))}"
           f"</{h}>"),
           f'<p class="verdict">{_verdict_badge(t, v.get("verdict"))} {_e(v.get("verdict_text") or "")}</p>',
           "<p>" + _e(pick(
               nb=f"Simuleringen gjenskapte loggens egen periode, {_period(t, v)}, {t.int(v.get('runs'))} ganger, "
                  f"og ble sammenlignet med de virkelige sakene. Tallene under er snittet over kjøringene; lavere "
                  f"er bedre for alle.",
               en=f"The simulation re-created the log's own period, {_period(t, v)}, {t.int(v.get('runs'))} times, "
                  f"and was compared with the real cases. The numbers below are the mean over the runs; lower is "
                  f"better for all of them.")) + "</p>",
           _kpis([(pick(nb="Median saksbehandlingstid, virkelig", en="Median lead time, real"),
                   f"{t.num(_finite(v.get('real_median_lead_days')), 1)}\u00a0{pick(nb='døgn', en='days')}"),
                  (pick(nb="Median saksbehandlingstid, simulert", en="Median lead time, simulated"),
                   f"{t.num(_finite(v.get('simulated_median_lead_days')), 1)}\u00a0{pick(nb='døgn', en='days')}")])]
    out.append(f"<{h2}>{_e(pick(nb='Målene', en='The measures'))}</{h2}>")
    out.append(_table(
        pick(nb="Hvor langt simulerte saker ligger fra de virkelige, med grensene for dommen",
             en="How far simulated cases are from the real ones, with the limits for the verdict"),
        [pick(nb="Mål", en="Measure"), pick(nb="Verdi", en="Value"), pick(nb="Hva det betyr", en="What it means"),
         pick(nb="God når høyst", en="Good when at most"), pick(nb="Middels når høyst", en="Fair when at most")],
        _measure_rows(t, v), numeric={1, 3, 4}))
    out.append("<p>" + _e(pick(
        nb="Dommen er «god» når både n-gram-avstanden og saksbehandlingstiden (som andel) er innenfor grensene "
           "for god, «middels» når begge er innenfor grensene for middels, og ellers «svak».",
        en="The verdict is “good” when both the n-gram distance and the lead time (as a share) are within the "
           "limits for good, “fair” when both are within the limits for fair, and “poor” otherwise.")) + "</p>")
    if not full:
        return out
    model = v.get("model") or {}
    if model:
        out.append(f"<{h2}>{_e(pick(nb='Modellen som ble lært', en='The model learnt'))}</{h2}><ul>")
        out.append("<li>" + _e(pick(nb=f"{t.int(model.get('activities'))} aktiviteter.",
                                    en=f"{t.int(model.get('activities'))} activities.")) + "</li>")
        for key, nb, en in (("queues", "Med kø (venter på ledig saksbehandler)", "With a queue (waits for a free clerk)"),
                            ("batches", "Samles opp og gjøres samlet", "Collected and done in batches"),
                            ("external", "Venter på eksterne parter", "Waits for outside parties")):
            names = model.get(key) or []
            if names:
                out.append(f"<li>{_e(pick(nb=nb, en=en))}: {_e(', '.join(t.quote(str(n)) for n in names))}.</li>")
        out.append("</ul>")
    per_run = v.get("per_run") or []
    if per_run:
        out.append(f"<{h2}>{_e(pick(nb='Hver kjøring', en='Each run'))}</{h2}>")
        hours = pick(nb="timer", en="hours")
        out.append(_table(
            pick(nb=f"Målene for hver av de {t.int(len(per_run))} kjøringene (EMD og åpne saker i {hours})",
                 en=f"The measures for each of the {t.int(len(per_run))} runs (EMD and work in progress in {hours})"),
            [pick(nb="Kjøring", en="Run"), "n-gram", pick(nb="Saksbehandlingstid", en="Lead time"),
             pick(nb="Nye saker", en="Arrivals"), pick(nb="Avsluttede", en="Completions"),
             pick(nb="Alle hendelser", en="All events"), pick(nb="Åpne saker", en="Work in progress")],
            [[_e(t.int((_finite(r.get("run")) or 0) + 1)), _e(t.num(_finite(r.get("ngram_distance")), 3)),
              *[_e(t.num(_finite(r.get(k)), 1)) for k in ("cycle_time_emd_hours", "arrival_emd_hours",
                                                          "completion_emd_hours", "event_emd_hours", "wip_distance")]]
             for r in per_run],
            numeric={0, 1, 2, 3, 4, 5, 6}))
    return out


def render_validation(result: dict[str, Any]) -> str:
    """simulation_validation.html as one string, in the run's language."""
    t = _text(result)
    out = _page_head(t, t.pick(nb="Validering av simuleringen", en="Simulation validation"), result)
    if result.get("verdict") == "poor":
        out.append(_warnings(t, [t.pick(nb="Simuleringen gjenskaper ikke loggen godt nok: bruk tallene fra "
                                           "scenarioer med stor varsomhet.",
                                        en="The simulation does not re-create the log well enough: use the "
                                           "numbers of scenarios with great care.")]))
    out += _validation_body(t, result)
    out.append("</main></body></html>\n")
    return "".join(out)


def write_validation_page(result: dict[str, Any], path: Path) -> Path:
    """Write simulation_validation.html (`path` is the file, or the folder to write it in); returns its path."""
    return _write(render_validation(result), path, VALIDATION_PAGE)


# --- the scenario page -------------------------------------------------------------------------


def _label(t: Text, key: str, target_days: float | None) -> str:
    days = t.num(target_days, 0) if target_days is not None else "–"
    return {"lead_time_median_days": t.pick(nb="Median saksbehandlingstid", en="Median lead time"),
            "lead_time_p90_days": t.pick(nb="Saksbehandlingstid, 90. persentil", en="Lead time, 90th percentile"),
            "share_within_deadline": t.pick(nb=f"Andel avsluttet innen målet ({days} døgn)",
                                            en=f"Share completed within the target ({days} days)"),
            "staff_hours_per_year": t.pick(nb="Arbeidstimer i året", en="Staff hours per year"),
            "cases": t.pick(nb="Saker", en="Cases")}[key]


def _direction(t: Text, e: Effect) -> str:
    d = e.direction
    if d is None:
        return _e(t.pick(nb="uklar", en="unclear"))
    word = t.pick(nb="bedre", en="better") if d == "better" else t.pick(nb="verre", en="worse")
    return f'<span class="badge {d}">{"✔" if d == "better" else "✖"} {_e(word)}</span>'


def scenario_warnings(result: dict[str, Any]) -> list[str]:
    """The run's warnings, with the validation's verdict added when it is poor (or missing) and not said yet."""
    t = _text(result)
    lines = [str(w) for w in result.get("warnings") or []]
    v = result.get("validation")
    if v is None:
        lines.append(t.pick(nb="Simuleringen er ikke validert mot loggen: tallene er ikke kontrollert.",
                            en="The simulation was not validated against the log: the numbers are unchecked."))
    elif v.get("verdict") == "poor" and not any("valid" in w.lower() for w in lines):
        lines.insert(0, t.pick(nb=f"Valideringen er svak: tallene er usikre. {v.get('verdict_text') or ''}",
                               en=f"The validation is poor: the numbers are uncertain. {v.get('verdict_text') or ''}"
                               ).strip())
    return lines


def render_scenario(result: dict[str, Any]) -> str:
    """simulation.html as one string, in the run's language: differences first, simulated levels second."""
    t = _text(result)
    pick = t.pick
    target = result.get("target") or {}
    target_days = _finite(target.get("days"))
    out = _page_head(t, pick(nb="Simulert virkning", en="Simulated effect"), result)
    out.append(_warnings(t, scenario_warnings(result)))

    out.append(f"<h2>{_e(pick(nb='Hva som endres', en='What changes'))}</h2><ul>")
    for change in result.get("changes") or []:
        out.append(f"<li>{_e(change.get('text') or change.get('activity') or '')}</li>")
    out.append("</ul>")
    period = _period(t, result)
    out.append("<p>" + _e(pick(
        nb=f"Loggens periode, {period}, er simulert {t.int(result.get('runs'))} ganger med og uten endringen. "
           f"Tallene er forskjellen mellom de to (med endringen minus i dag), parvis for hver kjøring; intervallet "
           f"dekker 90 % av kjøringene. Når intervallet omfatter 0, er det ingen sikker forskjell.",
        en=f"The log's period, {period}, was simulated {t.int(result.get('runs'))} times with and without the "
           f"change. The numbers are the difference between the two (with the change minus today), paired by run; "
           f"the interval covers 90% of the runs. When the interval includes 0, there is no clear difference."))
               + "</p>")
    if target.get("text"):
        out.append(f"<p>{_e(pick(nb='Målet andelen regnes mot', en='The target the share is counted against'))}: "
                   f"{_e(target['text'])}</p>")

    out.append(f"<h2>{_e(pick(nb='Forskjell fra i dag', en='Difference from today'))}</h2>")
    rows = [[_e(_label(t, e.measure, target_days)), _e(difference_text(t, e)), _direction(t, e)]
            for e in effects(result)]
    out.append(_table(pick(nb="Simulert forskjell med endringen (90 % intervall)",
                           en="Simulated difference with the change (90% interval)"),
                      [pick(nb="Nøkkeltall", en="Measure"), pick(nb="Forskjell (90 % intervall)", en="Difference (90% interval)"),
                       pick(nb="Virkning", en="Effect")], rows, numeric={1}))
    waits = waiting_effects(result)
    if waits:
        out.append(f"<h3>{_e(pick(nb='Ventetid per aktivitet', en='Waiting per activity'))}</h3>")
        out.append(_table(
            pick(nb="Simulert forskjell i ventetid før hver aktivitet, timer i året, største forskjell først",
                 en="Simulated difference in waiting before each activity, hours per year, largest difference first"),
            [pick(nb="Aktivitet", en="Activity"), pick(nb="Forskjell (90 % intervall)", en="Difference (90% interval)"),
             pick(nb="Virkning", en="Effect")],
            [[_e(e.measure), _e(difference_text(t, e)), _direction(t, e)] for e in waits], numeric={1}))

    out.append(f"<h2>{_e(pick(nb='Simulerte nivåer', en='Simulated levels'))}</h2>")
    out.append("<p>" + _e(pick(
        nb="Nivåene er simulerte, ikke prognoser: de er grunnlaget for forskjellene over og er mer usikre enn dem.",
        en="The levels are simulated, not forecasts: they underlie the differences above and are less certain "
           "than those.")) + "</p>")
    base, scen = result.get("baseline") or {}, result.get("scenario") or {}
    days = "\u00a0" + pick(nb="døgn", en="days")
    level_rows = []
    for key, digits, scale, suffix in (("cases", 0, 1.0, ""), ("lead_time_median_days", 1, 1.0, days),
                                       ("lead_time_p90_days", 1, 1.0, days),
                                       ("share_within_deadline", 1, 100.0, pick(nb="\u00a0%", en="%")),
                                       ("staff_hours_per_year", 0, 1.0, "")):
        level_rows.append([_e(_label(t, key, target_days)),
                           _e(_level(t, base.get(key), digits=digits, scale=scale, suffix=suffix)),
                           _e(_level(t, scen.get(key), digits=digits, scale=scale, suffix=suffix))])
    head = [pick(nb="Nøkkeltall", en="Measure"), pick(nb="I dag (simulert)", en="Today (simulated)"),
            pick(nb="Med endringen (simulert)", en="With the change (simulated)")]
    out.append(_table(pick(nb="Simulerte nivåer i snitt per år der ikke annet står, med 90 % intervall",
                           en="Simulated levels, per year where it applies, with 90% interval"),
                      head, level_rows, numeric={1, 2}))
    bw, sw = base.get("waiting_hours_per_year") or {}, scen.get("waiting_hours_per_year") or {}
    if waits:
        out.append(_table(
            pick(nb="Simulert ventetid før hver aktivitet, timer i året", en="Simulated waiting before each "
                 "activity, hours per year"), [pick(nb="Aktivitet", en="Activity"), *head[1:]],
            [[_e(e.measure), _e(_level(t, bw.get(e.measure), digits=0)), _e(_level(t, sw.get(e.measure), digits=0))]
             for e in waits], numeric={1, 2}))

    assumptions = result.get("assumptions") or []
    if assumptions:
        out.append(f"<h2>{_e(pick(nb='Forutsetninger', en='Assumptions'))}</h2><ul>")
        out += [f"<li>{_e(a)}</li>" for a in assumptions]
        out.append("</ul>")

    v = result.get("validation")
    out.append(f"<h2>{_e(pick(nb='Validering', en='Validation'))}</h2>")
    if v is None:
        out.append("<p>" + _e(pick(
            nb=f"Ingen validering i denne kjøringen. Kjør `saksflyt simulate --log {result.get('log')} --validate` "
               f"for å se hvor godt simuleringen gjenskaper loggen.",
            en=f"No validation in this run. Run `saksflyt simulate --log {result.get('log')} --validate` to see "
               f"how well the simulation re-creates the log.")) + "</p>")
    else:
        out += _validation_body(t, v, level=3, full=False)
        out.append("<p>" + _e(pick(nb=f"Hver kjøring og modellen står i {VALIDATION_PAGE}.",
                                   en=f"Each run and the model are in {VALIDATION_PAGE}.")) + "</p>")
    out.append("</main></body></html>\n")
    return "".join(out)


def write_scenario_page(result: dict[str, Any], path: Path) -> Path:
    """Write simulation.html (`path` is the file, or the folder to write it in); returns its path."""
    return _write(render_scenario(result), path, SCENARIO_PAGE)
