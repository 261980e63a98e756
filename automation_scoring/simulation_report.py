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
    return {"days": t.tr("simulation_report.days"), "points": t.tr("simulation_report.percentage_points"),
            "hours": t.tr("simulation_report.hours")}[unit]


def difference_text(t: Text, e: Effect) -> str:
    """"−3,2 døgn (−4,0 til −2,5)", or "ingen sikker forskjell (−0,4 til 0,6 døgn)" when the interval covers 0."""
    unit = _unit(t, e.unit)
    if not e.has_interval:
        return f"{signed(t, e.value, e.digits)}\u00a0{unit}" if e.value is not None else "–"
    low, high = signed(t, e.low, e.digits), signed(t, e.high, e.digits)
    to = t.tr("simulation_report.to")
    if not e.clear:
        return t.tr("simulation_report.no_clear_difference", low=low, to=to, high=high, unit=unit)
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
    return f"{text} ({t.num(low * scale, digits)} {t.tr('simulation_report.to')} {t.num(high * scale, digits)})"


def _page_head(t: Text, title: str, result: dict[str, Any]) -> list[str]:
    log_name = result.get("log") or ""
    created = result.get("created_at")
    meta = [f'{t.tr("simulation_report.generated")} {_local(created, ZONE)}' if created else None,
            t.tr("simulation_report.simulations", runs=t.int(result.get('runs'))),
            f"seed {result.get('seed')}" if result.get("seed") is not None else None, "Saksflyt"]
    return [page_start(t.lang, f"{title}: {log_name}", [m for m in meta if m], CSS)]


def _period(t: Text, result: dict[str, Any]) -> str:
    p = result.get("period") or {}
    start, end = str(p.get("start") or "–")[:10], str(p.get("end") or "–")[:10]
    years = t.num(_finite(p.get("years")), 2)
    return t.tr("simulation_report.years", start=start, end=end, years=years)


def _verdict_badge(t: Text, verdict: str | None) -> str:
    key = f"simulation.verdict.{verdict or ''}"
    word = t.tr(key) if wording.known(key) else (verdict or "–")
    mark = VERDICT_MARKS.get(verdict or "", "")
    return f'<span class="badge {_e(verdict or "")}">{_e(mark)} {_e(word)}</span>'


def _warnings(t: Text, lines: list[str]) -> str:
    if not lines:
        return ""
    word = t.tr("simulation_report.warning")
    label = t.tr("simulation_report.warnings")
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
    good = (v.get("thresholds") or {}).get("good") or {}
    fair = (v.get("thresholds") or {}).get("fair") or {}
    real_mean = _finite(v.get("real_mean_lead_days"))
    share = _finite(v.get("cycle_time_emd_share"))
    cycle = t.hours(_finite(v.get("cycle_time_emd_hours")), days=True)
    if share is not None:
        cycle += t.tr("simulation_report.of_the_real_mean", share=t.pct(share, 1))

    def limit(group: dict[str, Any], key: str, *, pct: bool = False) -> str:
        x = _finite(group.get(key))
        return "–" if x is None else (t.pct(x, 0) if pct else t.num(x, 2))

    mean = t.num(real_mean, 1) if real_mean is not None else "–"
    rows = [
        (t.tr("simulation_report.n_gram_distance"), t.num(_finite(v.get("ngram_distance")), 3),
         t.tr("simulation_report.how_differently_the_steps"),
         limit(good, "ngram_distance"), limit(fair, "ngram_distance")),
        (t.tr("simulation_report.lead_time_emd"), cycle,
         t.tr("simulation_report.lead_time_help", mean=mean),
         limit(good, "cycle_time_emd_share", pct=True), limit(fair, "cycle_time_emd_share", pct=True)),
        (t.tr("simulation_report.arrivals_emd"), t.hours(_finite(v.get("arrival_emd_hours")), days=True),
         t.tr("simulation_report.arrivals_help"), "–", "–"),
        (t.tr("simulation_report.completions_emd"),
         t.hours(_finite(v.get("completion_emd_hours")), days=True),
         t.tr("simulation_report.completions_help"), "–", "–"),
        (t.tr("simulation_report.all_events_emd"), t.hours(_finite(v.get("event_emd_hours")), days=True),
         t.tr("simulation_report.all_events_help"), "–", "–"),
        (t.tr("simulation_report.work_in_progress"), t.hours(_finite(v.get("wip_distance")), days=True),
         t.tr("simulation_report.how_far_apart_the"), "–", "–"),
    ]
    return [[_e(c) for c in r] for r in rows]


def _validation_body(t: Text, v: dict[str, Any], *, level: int = 2, full: bool = True) -> list[str]:
    """The verdict, the measures with their meaning and thresholds, and (`full`) the model and per-run values."""
    h, h2 = f"h{level}", f"h{level + 1}"
    out = [(f"<{h}>{_e(t.tr('simulation_report.how_far_the_simulation'))}"
           f"</{h}>"),
           f'<p class="verdict">{_verdict_badge(t, v.get("verdict"))} {_e(v.get("verdict_text") or "")}</p>',
           "<p>" + _e(t.tr("simulation_report.the_simulation_re_created", period=_period(t, v),
                           runs=t.int(v.get('runs')))) + "</p>",
           _kpis([(t.tr("simulation_report.median_lead_time_real"),
                   f"{t.num(_finite(v.get('real_median_lead_days')), 1)}\u00a0{t.tr('simulation_report.days')}"),
                  (t.tr("simulation_report.median_lead_time_simulated"),
                   f"{t.num(_finite(v.get('simulated_median_lead_days')), 1)}\u00a0{t.tr('simulation_report.days')}")])]
    out.append(f"<{h2}>{_e(t.tr('simulation_report.the_measures'))}</{h2}>")
    out.append(_table(
        t.tr("simulation_report.how_far_simulated_cases"),
        [t.tr("simulation_report.measure_column"), t.tr("simulation_report.value"), t.tr("simulation_report.what_it_means"),
         t.tr("simulation_report.good_when_at_most"), t.tr("simulation_report.fair_when_at_most")],
        _measure_rows(t, v), numeric={1, 3, 4}))
    out.append("<p>" + _e(t.tr("simulation_report.the_verdict_is_good")) + "</p>")
    if not full:
        return out
    model = v.get("model") or {}
    if model:
        out.append(f"<{h2}>{_e(t.tr('simulation_report.the_model_learnt'))}</{h2}><ul>")
        activities = t.tr("simulation_report.activities", activities=t.int(model.get('activities')))
        out.append("<li>" + _e(activities) + "</li>")
        for key in ("queues", "batches", "external"):
            names = model.get(key) or []
            if names:
                quoted = ', '.join(t.quote(str(n)) for n in names)
                out.append(f"<li>{_e(t.tr('simulation_report.model_' + key))}: {_e(quoted)}.</li>")
        out.append("</ul>")
    per_run = v.get("per_run") or []
    if per_run:
        out.append(f"<{h2}>{_e(t.tr('simulation_report.each_run'))}</{h2}>")
        hours = t.tr("simulation_report.hours")
        out.append(_table(
            t.tr("simulation_report.the_measures_for_each", per_run=t.int(len(per_run)), hours=hours),
            [t.tr("simulation_report.run"), "n-gram", t.tr("simulation_report.lead_time"),
             t.tr("simulation_report.arrivals"), t.tr("simulation_report.completions"),
             t.tr("simulation_report.all_events"), t.tr("simulation_report.work_in_progress_column")],
            [[_e(t.int((_finite(r.get("run")) or 0) + 1)), _e(t.num(_finite(r.get("ngram_distance")), 3)),
              *[_e(t.num(_finite(r.get(k)), 1)) for k in ("cycle_time_emd_hours", "arrival_emd_hours",
                                                          "completion_emd_hours", "event_emd_hours", "wip_distance")]]
             for r in per_run],
            numeric={0, 1, 2, 3, 4, 5, 6}))
    return out


def render_validation(result: dict[str, Any]) -> str:
    """simulation_validation.html as one string, in the run's language."""
    t = _text(result)
    out = _page_head(t, t.tr("simulation_report.simulation_validation"), result)
    if result.get("verdict") == "poor":
        out.append(_warnings(t, [t.tr("simulation_report.the_simulation_does_not")]))
    out += _validation_body(t, result)
    out.append("</main></body></html>\n")
    return "".join(out)


def write_validation_page(result: dict[str, Any], path: Path) -> Path:
    """Write simulation_validation.html (`path` is the file, or the folder to write it in); returns its path."""
    return _write(render_validation(result), path, VALIDATION_PAGE)


# --- the scenario page -------------------------------------------------------------------------


def _label(t: Text, key: str, target_days: float | None) -> str:
    days = t.num(target_days, 0) if target_days is not None else "–"
    return {"lead_time_median_days": t.tr("simulation_report.median_lead_time"),
            "lead_time_p90_days": t.tr("simulation_report.lead_time_90th_percentile"),
            "share_within_deadline": t.tr("simulation_report.share_completed_within_the", days=days),
            "staff_hours_per_year": t.tr("simulation_report.staff_hours_per_year"),
            "cases": t.tr("simulation_report.cases")}[key]


def _direction(t: Text, e: Effect) -> str:
    d = e.direction
    if d is None:
        return _e(t.tr("simulation_report.unclear"))
    word = t.tr("simulation_report.better") if d == "better" else t.tr("simulation_report.worse")
    return f'<span class="badge {d}">{"✔" if d == "better" else "✖"} {_e(word)}</span>'


def scenario_warnings(result: dict[str, Any]) -> list[str]:
    """The run's warnings, with the validation's verdict added when it is poor (or missing) and not said yet."""
    t = _text(result)
    lines = [str(w) for w in result.get("warnings") or []]
    v = result.get("validation")
    if v is None:
        lines.append(t.tr("simulation_report.the_simulation_was_not"))
    elif v.get("verdict") == "poor" and not any("valid" in w.lower() for w in lines):
        lines.insert(0, t.tr("simulation_report.the_validation_is_poor",
                             verdict_text=v.get('verdict_text') or '').strip())
    return lines


def render_scenario(result: dict[str, Any]) -> str:
    """simulation.html as one string, in the run's language: differences first, simulated levels second."""
    t = _text(result)
    target = result.get("target") or {}
    target_days = _finite(target.get("days"))
    out = _page_head(t, t.tr("simulation_report.simulated_effect"), result)
    out.append(_warnings(t, scenario_warnings(result)))

    out.append(f"<h2>{_e(t.tr('simulation_report.what_changes'))}</h2><ul>")
    for change in result.get("changes") or []:
        out.append(f"<li>{_e(change.get('text') or change.get('activity') or '')}</li>")
    out.append("</ul>")
    period = _period(t, result)
    out.append("<p>" + _e(t.tr("simulation_report.the_log_s_period", period=period, runs=t.int(result.get('runs'))))
               + "</p>")
    if target.get("text"):
        out.append(f"<p>{_e(t.tr('simulation_report.the_target_the_share'))}: "
                   f"{_e(target['text'])}</p>")

    out.append(f"<h2>{_e(t.tr('simulation_report.difference_from_today'))}</h2>")
    rows = [[_e(_label(t, e.measure, target_days)), _e(difference_text(t, e)), _direction(t, e)]
            for e in effects(result)]
    out.append(_table(t.tr("simulation_report.simulated_difference_with_the"),
                      [t.tr("simulation_report.measure"), t.tr("simulation_report.difference_90_interval"),
                       t.tr("simulation_report.effect")], rows, numeric={1}))
    waits = waiting_effects(result)
    if waits:
        out.append(f"<h3>{_e(t.tr('simulation_report.waiting_per_activity'))}</h3>")
        out.append(_table(
            t.tr("simulation_report.simulated_difference_in_waiting"),
            [t.tr("simulation_report.activity"), t.tr("simulation_report.difference_90_interval"),
             t.tr("simulation_report.effect")],
            [[_e(e.measure), _e(difference_text(t, e)), _direction(t, e)] for e in waits], numeric={1}))

    out.append(f"<h2>{_e(t.tr('simulation_report.simulated_levels'))}</h2>")
    out.append("<p>" + _e(t.tr("simulation_report.the_levels_are_simulated")) + "</p>")
    base, scen = result.get("baseline") or {}, result.get("scenario") or {}
    days = "\u00a0" + t.tr("simulation_report.days")
    level_rows = []
    for key, digits, scale, suffix in (("cases", 0, 1.0, ""), ("lead_time_median_days", 1, 1.0, days),
                                       ("lead_time_p90_days", 1, 1.0, days),
                                       ("share_within_deadline", 1, 100.0, t.tr("simulation_report.percent_sign")),
                                       ("staff_hours_per_year", 0, 1.0, "")):
        level_rows.append([_e(_label(t, key, target_days)),
                           _e(_level(t, base.get(key), digits=digits, scale=scale, suffix=suffix)),
                           _e(_level(t, scen.get(key), digits=digits, scale=scale, suffix=suffix))])
    head = [t.tr("simulation_report.measure"), t.tr("simulation_report.today_simulated"),
            t.tr("simulation_report.with_the_change_simulated")]
    out.append(_table(t.tr("simulation_report.simulated_levels_per_year"),
                      head, level_rows, numeric={1, 2}))
    bw, sw = base.get("waiting_hours_per_year") or {}, scen.get("waiting_hours_per_year") or {}
    if waits:
        out.append(_table(
            t.tr("simulation_report.simulated_waiting_before_each"), [t.tr("simulation_report.activity"), *head[1:]],
            [[_e(e.measure), _e(_level(t, bw.get(e.measure), digits=0)), _e(_level(t, sw.get(e.measure), digits=0))]
             for e in waits], numeric={1, 2}))

    assumptions = result.get("assumptions") or []
    if assumptions:
        out.append(f"<h2>{_e(t.tr('simulation_report.assumptions'))}</h2><ul>")
        out += [f"<li>{_e(a)}</li>" for a in assumptions]
        out.append("</ul>")

    v = result.get("validation")
    out.append(f"<h2>{_e(t.tr('simulation_report.validation'))}</h2>")
    if v is None:
        out.append("<p>" + _e(t.tr("simulation_report.no_validation_in_this", log=result.get('log'))) + "</p>")
    else:
        out += _validation_body(t, v, level=3, full=False)
        out.append("<p>" + _e(t.tr("simulation_report.each_run_and_the", validation_page=VALIDATION_PAGE)) + "</p>")
    out.append("</main></body></html>\n")
    return "".join(out)


def write_scenario_page(result: dict[str, Any], path: Path) -> Path:
    """Write simulation.html (`path` is the file, or the folder to write it in); returns its path."""
    return _write(render_scenario(result), path, SCENARIO_PAGE)
