"""monitor.html: one run of `saksflyt monitor` as a self-contained page a case officer can mail or archive.

Bokmål by default (`lang="en"` for English). Like report.html it has no scripts and fetches nothing:
styles are inline (report.html's, plus a few rules), the one chart is a small hand-drawn SVG with a
title, a description and the same numbers in a table under it. The page says what the run knew (as of
when, which deadline rules), how often cases were decided in time, which open cases are most at risk
and why, how good the predictions proved on a temporal split, and how the clock is counted.

`headline` and `best_baseline` are shared with the explorer's "Open cases" page, so both show the same
figures for "at risk" and "in time over the last 12 months".
"""
from __future__ import annotations

import math
import re
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

import pandas as pd

from . import wording
from .report import CSS as REPORT_CSS
from .report import Text, _e, page_start

if TYPE_CHECKING:
    from .monitor import MonitorResult

AT_RISK = 0.5          # P(miss) at or above this is "at risk", here and in the explorer
TOP = 50               # open cases listed in the report
INTERVAL_TARGET = 0.8  # the prediction interval's nominal coverage (prediction_models.COVERAGE)

CSS = REPORT_CSS + """
caption{text-align:left;font-weight:600;padding:4px 0;color:#1d2733}
th[scope=row]{background:none;font-weight:600;white-space:nowrap}
.risk{background:#fbd9d3;color:#8a1f11}.passed{background:#fff0c2;color:#5c4300}
td .badge{display:block;width:max-content;margin:3px 0 0 auto}td.d{white-space:nowrap}
.scroll{overflow-x:auto}.scroll:focus{outline:2px solid #2b5d8a}
main{max-width:1280px}table.cases td:last-child{min-width:22em}table.cases{font-size:.88em}
.muted{color:#4a5868}
ul.rules li{margin:3px 0}
.chart svg{max-width:100%;height:auto}
"""


# --- figures shared with the explorer ----------------------------------------------------------


@dataclass(frozen=True)
class Headline:
    """The run in four numbers: open cases, how many at risk, the expected refunds, recent compliance."""

    open_cases: int
    at_risk: int | None                 # None: no predictions in the run
    expected_refund_nok: float | None   # None: no predictions, or no fee configured
    share_in_time_12m: float | None     # decided in time / decided, the 12 months up to as_of
    decided_12m: int
    first_month: str | None = None      # the months that share covers ("2023-04" … "2024-03")
    last_month: str | None = None


def headline(open_cases: pd.DataFrame, history: dict[str, Any] | None, *, as_of: datetime,
             zone: str = "Europe/Oslo") -> Headline:
    """Open cases, at risk (P(miss) ≥ 0.5), the sum of expected refunds, and the share decided in time
    over the 12 calendar months ending with as_of's month (local time)."""
    p = pd.to_numeric(open_cases["p_miss"], errors="coerce") if "p_miss" in open_cases else pd.Series(dtype=float)
    refund = (pd.to_numeric(open_cases["expected_refund_nok"], errors="coerce")
              if "expected_refund_nok" in open_cases else pd.Series(dtype=float))
    local = pd.Timestamp(as_of).tz_convert(zone) if pd.Timestamp(as_of).tzinfo else pd.Timestamp(as_of)
    last = local.strftime("%Y-%m")
    back = local.year * 12 + local.month - 1 - 11
    first = f"{back // 12:04d}-{back % 12 + 1:02d}"
    rows = [r for r in (history or {}).get("monthly", []) if first <= str(r["month"]) <= last]
    decided = sum(int(r["decided"]) for r in rows)
    in_time = sum(int(r["in_time"]) for r in rows)
    return Headline(open_cases=len(open_cases),
                    at_risk=int((p >= AT_RISK).sum()) if p.notna().any() else None,
                    expected_refund_nok=float(refund.sum()) if refund.notna().any() else None,
                    share_in_time_12m=in_time / decided if decided else None, decided_12m=decided,
                    first_month=first if rows else None, last_month=last if rows else None)


def best_baseline(evaluation: dict[str, Any]) -> tuple[str, float] | None:
    """The baseline with the lowest MAE (its key in `mae_days` and its MAE), or None."""
    mae = evaluation.get("mae_days") or {}
    found = [(k, v) for k, v in mae.items() if k != "model" and v is not None]
    return min(found, key=lambda kv: kv[1]) if found else None


def baseline_name(key: str, lang: str) -> str:
    """A baseline's name in words (`monitor.baseline.*` in `wording`); the key itself if it has none."""
    full = f"monitor.baseline.{key}"
    return wording.tr(full, "nb" if lang == "nb" else "en") if wording.known(full) else key


_TOO_FEW = re.compile(r"^(\d+) decided cases: too few to train \(needs (\d+)\)")


def message_text(message: str | None, lang: str) -> str | None:
    """The run's reason for having no predictions, in the page's language where the wording is known."""
    if not message or lang != "nb":
        return message
    m = _TOO_FEW.match(message)
    if m:
        return (f"{m.group(1)} avgjorte saker er for få til å lære av (trenger {m.group(2)}); "
                "den lovpålagte klokken vises uten prediksjoner.")
    if message.startswith("too few cases on each side of the temporal split"):
        return ("For få saker på hver side av tidsdelingen til å teste modellen; prediksjoner er ikke laget.")
    return message


# --- formatting --------------------------------------------------------------------------------


def _missing(x: Any) -> bool:
    if x is None or x is pd.NaT:
        return True
    try:
        return bool(pd.isna(x))
    except (TypeError, ValueError):
        return False


def _money(t: Text, x: float | None) -> str:
    if _missing(x):
        return "–"
    return t.pick(nb=f"{t.int(x)}\u00a0kr", en=f"NOK\u00a0{t.int(x)}")


def _day(x: Any) -> str:
    if _missing(x):
        return "–"
    return pd.Timestamp(x).strftime("%Y-%m-%d")


def _local(moment: Any, zone: str) -> str:
    ts = pd.Timestamp(moment)
    if ts.tzinfo is None:
        ts = ts.tz_localize("UTC")
    return ts.tz_convert(ZoneInfo(zone)).strftime("%Y-%m-%d %H:%M")


def _table(caption: str, head: list[str], rows: list[list[str]], *, numeric: set[int] = frozenset(),
           dates: set[int] = frozenset(), row_header: int | None = 0, css: str = "") -> str:
    """A table with a caption, `th scope="col"` headers and (by default) the first cell as a row header,
    in a region that scrolls sideways on a narrow screen (focusable, so the keyboard can scroll it too).
    Cells are HTML already (escape before)."""
    cls = f' class="{css}"' if css else ""
    out = [f'<div class="scroll" role="region" tabindex="0" aria-label="{_e(caption)}">',
           f"<table{cls}><caption>{_e(caption)}</caption><thead><tr>"]
    out += [f'<th scope="col">{_e(h)}</th>' for h in head]
    out.append("</tr></thead><tbody>")
    for r in rows:
        out.append("<tr>")
        for i, cell in enumerate(r):
            cls = ' class="n"' if i in numeric else ' class="d"' if i in dates else ""
            if i == row_header:
                out.append(f'<th scope="row"{cls}>{cell}</th>')
            else:
                out.append(f"<td{cls}>{cell}</td>")
        out.append("</tr>")
    out.append("</tbody></table></div>")
    return "".join(out)


def _kpis(items: list[tuple[str, str]]) -> str:
    return '<div class="kpis">' + "".join(
        f'<div class="kpi"><b>{_e(v)}</b><span>{_e(k)}</span></div>' for k, v in items) + "</div>"


def _share_chart(t: Text, rows: list[dict[str, Any]], *, title: str, desc: str) -> str:
    """Bars of the monthly share decided in time (0–100 %), with a title and description for screen readers."""
    if not rows:
        return ""
    w, h, pad_l, pad_b, top_pad = 900, 240, 48, 36, 12
    n = len(rows)
    slot = (w - pad_l - 10) / n
    bw = max(2.0, slot * 0.7)
    plot_h = h - pad_b - top_pad
    parts = [(f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {w} {h}" role="img" '
              f'aria-labelledby="share-title share-desc"><title id="share-title">{_e(title)}</title>'
              f'<desc id="share-desc">{_e(desc)}</desc>')]
    for k in range(5):
        y = h - pad_b - plot_h * k / 4
        parts.append(f'<line x1="{pad_l}" x2="{w - 5}" y1="{y:.1f}" y2="{y:.1f}" stroke="#d5dbe2"/>'
                     f'<text x="{pad_l - 6}" y="{y + 4:.1f}" font-size="11" text-anchor="end" fill="#1d2733">'
                     f'{_e(t.pct(k / 4))}</text>')
    step = max(1, math.ceil(n / 14))
    for i, r in enumerate(rows):
        share = float(r["share_in_time"]) if not _missing(r.get("share_in_time")) else 0.0
        bh = plot_h * share
        x = pad_l + i * slot + (slot - bw) / 2
        parts.append(f'<rect x="{x:.1f}" y="{h - pad_b - bh:.1f}" width="{bw:.1f}" height="{bh:.1f}" fill="#2b5d8a">'
                     f'<title>{_e(r["month"])}: {_e(t.pct(share))} ({_e(t.int(r["in_time"]))} / '
                     f'{_e(t.int(r["decided"]))})</title></rect>')
        if i % step == 0:
            parts.append(f'<text x="{x + bw / 2:.1f}" y="{h - pad_b + 16}" font-size="11" text-anchor="middle" '
                         f'fill="#1d2733">{_e(r["month"])}</text>')
    parts.append("</svg>")
    return "".join(parts)


# --- the page ----------------------------------------------------------------------------------


def render(result: MonitorResult, *, lang: str = "nb") -> str:
    """The whole page as one string: inline CSS and SVG, no scripts, nothing fetched."""
    t = Text("nb" if lang == "nb" else "en")
    pick = t.pick
    s = result.settings or {}
    zone = s.get("zone") or "Europe/Oslo"
    oc = result.open_cases
    status = result.status
    head = headline(oc, result.history, as_of=result.as_of, zone=zone)
    closed = int(status["closed"].sum()) if len(status) else 0
    title = pick(nb="Fristovervåking", en="Deadline monitor")
    out: list[str] = []
    add = out.append
    add(page_start(t.lang, f"{title}: {result.log}",
                   [f'{pick(nb="Laget", en="Generated")} {datetime.now().strftime("%Y-%m-%d %H:%M")}',
                    f'{pick(nb="kjøring", en="run")} {result.run_id}', "Saksflyt"], CSS))

    # What the run knew
    add(f'<h2>{_e(pick(nb="Hva kjøringen visste", en="What the run knew"))}</h2>')
    later = pick(nb="Senere hendelser var ikke kjent for denne kjøringen.",
                 en="Later events were not known to this run.")
    add(f'<p>{_e(pick(nb="Hendelser fullført til og med", en="Events completed up to"))} '
        f'<b>{_e(_local(result.as_of, zone))}</b> ({_e(zone)}). {_e(later)}</p>')
    add(_kpis([
        (pick(nb="Åpne saker", en="Open cases"), t.int(head.open_cases)),
        (pick(nb="Avgjorte saker", en="Decided cases"), t.int(closed)),
        (pick(nb=f"I faresonen (P ≥ {t.pct(AT_RISK)})", en=f"At risk (P ≥ {t.pct(AT_RISK)})"),
         t.int(head.at_risk) if head.at_risk is not None else "–"),
        (pick(nb="Forventet tilbakebetaling, åpne saker", en="Expected refunds, open cases"),
         _money(t, head.expected_refund_nok)),
        (pick(nb="Avgjort i tide, siste 12 måneder", en="Decided in time, last 12 months"),
         t.pct(head.share_in_time_12m)),
    ]))
    add(f'<h3>{_e(pick(nb="Fristreglene slik de ble lest", en="The deadline rules as read"))}</h3>')
    add('<ul class="rules">' + "".join(f"<li>{_e(x)}</li>" for x in _rules(t, s)) + "</ul>")

    # History
    add(f'<h2>{_e(pick(nb="Historikk", en="History"))}</h2>')
    monthly = list((result.history or {}).get("monthly") or [])
    yearly = list((result.history or {}).get("yearly") or [])
    chart_title = pick(nb="Andel avgjort innen fristen per måned", en="Share decided in time per month")
    add(f"<h3>{_e(chart_title)}</h3>")
    if monthly:
        lo = min(monthly, key=lambda r: r["share_in_time"])
        hi = max(monthly, key=lambda r: r["share_in_time"])
        desc = pick(
            nb=f"Stolpediagram, {monthly[0]['month']} til {monthly[-1]['month']}: lavest {t.pct(lo['share_in_time'])} "
               f"({lo['month']}), høyest {t.pct(hi['share_in_time'])} ({hi['month']}). Tallene står i tabellen "
               f"under.",
            en=f"Bar chart, {monthly[0]['month']} to {monthly[-1]['month']}: lowest {t.pct(lo['share_in_time'])} "
               f"({lo['month']}), highest {t.pct(hi['share_in_time'])} ({hi['month']}). The numbers are in the "
               f"table below.")
        add(f'<figure class="chart">{_share_chart(t, monthly, title=chart_title, desc=desc)}'
            f'<figcaption>{_e(desc)}</figcaption></figure>')
        add(_table(pick(nb="Avgjorte saker per måned", en="Decided cases per month"),
                   [pick(nb="Måned", en="Month"), pick(nb="Avgjort", en="Decided"), pick(nb="I tide", en="In time"),
                    pick(nb="Andel i tide", en="Share in time"), pick(nb="Tilbakebetalt", en="Refunded")],
                   [[_e(r["month"]), _e(t.int(r["decided"])), _e(t.int(r["in_time"])), _e(t.pct(r["share_in_time"], 1)),
                     _e(_money(t, r["refund_nok"]))] for r in monthly], numeric={1, 2, 3, 4}))
    else:
        none = pick(nb="Ingen avgjorte saker med frist ennå.", en="No decided cases with a deadline yet.")
        add(f"<p>{_e(none)}</p>")
    if yearly:
        add(f'<h3>{_e(pick(nb="Tilbakebetalinger per år", en="Refunds per year"))}</h3>')
        add(_table(pick(nb="Avgjorte saker, saker over fristen og tilbakebetalt gebyr per år",
                        en="Decided cases, late cases and fees refunded per year"),
                   [pick(nb="År", en="Year"), pick(nb="Avgjort", en="Decided"), pick(nb="Over fristen", en="Late"),
                    pick(nb="Andel over", en="Share late"), pick(nb="Tilbakebetalt", en="Refunded")],
                   [[_e(r["year"]), _e(t.int(r["decided"])), _e(t.int(r["late"])),
                     _e(t.pct(r["late"] / r["decided"], 1) if r["decided"] else "–"), _e(_money(t, r["refund_nok"]))]
                    for r in yearly], numeric={1, 2, 3, 4}))

    # The at-risk list
    add(f'<h2>{_e(pick(nb="Åpne saker i faresonen", en="Open cases at risk"))}</h2>')
    intro = pick(
        nb="Rangert etter forventet tilbakebetaling: sannsynligheten for å gå over fristen ganger gebyret ganger "
           "andelen som betales tilbake for de forventede ukene over. Intervallet for gjenstående tid er et 80 % "
           "prediksjonsintervall.",
        en="Ranked by expected refund: the probability of missing the deadline times the fee times the share "
           "repaid for the expected weeks over. The interval for the remaining time is an 80% prediction "
           "interval.")
    add(f'<p class="intro">{_e(intro)}</p>')
    if result.message:
        add(f'<div class="callout">{_e(message_text(result.message, t.lang))}</div>')
    if len(oc):
        rows = []
        for r in oc.head(TOP).to_dict(orient="records"):
            p = r.get("p_miss")
            p_cell = _e(t.pct(p)) if not _missing(p) else "–"
            if not _missing(p) and p >= AT_RISK:
                p_cell += f' <span class="badge risk">{_e(pick(nb="i faresonen", en="at risk"))}</span>'
            left = r.get("days_left")
            left_cell = _e(t.int(left)) if not _missing(left) else "–"
            if not _missing(left) and left < 0:
                left_cell += f' <span class="badge passed">{_e(pick(nb="passert", en="passed"))}</span>'
            pred = r.get("predicted_remaining_days")
            pred_cell = "–" if _missing(pred) else (
                f'{_e(t.num(pred, 0))} ({_e(t.num(r.get("predicted_remaining_days_low"), 0))}–'
                f'{_e(t.num(r.get("predicted_remaining_days_high"), 0))})')
            reasons = r.get("reasons")
            reasons = list(reasons) if reasons is not None and not isinstance(reasons, str) else \
                ([reasons] if reasons else [])
            rows.append([_e(t.int(r["rank"])), _e(r["case_id"]), _e(_day(r.get("deadline_date"))), left_cell, p_cell,
                         pred_cell, _e(_money(t, r.get("expected_refund_nok"))), _e(r.get("current_activity")),
                         _e(t.num(r.get("waiting_days"), 1)),
                         '<ul class="ev">' + "".join(f"<li>{_e(x)}</li>" for x in reasons) + "</ul>"])
        shown = min(TOP, len(oc))
        add(_table(pick(nb=f"De {t.int(shown)} øverste av {t.int(len(oc))} åpne saker",
                        en=f"The top {t.int(shown)} of {t.int(len(oc))} open cases"),
                   [pick(nb="Nr.", en="Rank"), pick(nb="Sak", en="Case"), pick(nb="Frist", en="Deadline"),
                    pick(nb="Dager igjen", en="Days left"), pick(nb="P(over fristen)", en="P(miss)"),
                    pick(nb="Gjenstående dager (80 % intervall)", en="Remaining days (80% interval)"),
                    pick(nb="Forventet tilbakebetaling", en="Expected refund"),
                    pick(nb="Nåværende aktivitet", en="Current activity"),
                    pick(nb="Har ventet (dager)", en="Waiting (days)"), pick(nb="Begrunnelse", en="Reasons")],
                   rows, numeric={0, 3, 4, 5, 6, 8}, dates={2}, row_header=1, css="cases"))
    else:
        add(f'<p>{_e(pick(nb="Ingen åpne saker.", en="No open cases."))}</p>')

    # Evaluation
    add(f'<h2>{_e(pick(nb="Hvor gode prediksjonene er", en="How good the predictions are"))}</h2>')
    add(_evaluation(t, result.evaluation, result.message))

    # The clock
    add(f'<h2>{_e(pick(nb="Slik telles klokken", en="How the clock is counted"))}</h2><ul>')
    for line in _clock_note(t, zone, s.get("refund_per_started_week") or 0.0):
        add(f"<li>{_e(line)}</li>")
    add("</ul></main></body></html>\n")
    return "".join(out)


def _rules(t: Text, s: dict[str, Any]) -> list[str]:
    pick = t.pick
    out: list[str] = []
    stop = ", ".join(t.quote(a) for a in s.get("stop") or []) or "–"
    if s.get("days") is None:
        out.append(pick(nb=f"Ingen frist er satt opp for loggen: sakene følges til {stop}.",
                        en=f"No deadline is configured for the log: cases are followed until {stop}."))
    else:
        start = t.quote(s["clock_start"]) if s.get("clock_start") else pick(nb="sakens første hendelse",
                                                                             en="the case's first event")
        out.append(pick(nb=f"Klokken starter ved {start} og stopper ved {stop}.",
                        en=f"The clock starts at {start} and stops at {stop}."))
        days, weeks = t.int(s["days"]), t.num(s["days"] / 7, 1)
        out.append(pick(nb=f"Frist: {days} dager ({weeks} uker) når ingen regel under gjelder.",
                        en=f"Deadline: {days} days ({weeks} weeks) unless a rule below applies."))
        for rule in s.get("rules") or []:
            conds = pick(nb=" og ", en=" and ").join(
                f"{name} = {' / '.join(str(v) for v in values)}" for name, values in (rule.get("if") or {}).items())
            out.append(pick(nb=f"Når {conds}: {t.int(rule['days'])} dager.",
                            en=f"When {conds}: {t.int(rule['days'])} days."))
        for a, b in s.get("pauses") or []:
            out.append(pick(nb=f"Klokken står fra {t.quote(a)} til {t.quote(b)}.",
                            en=f"The clock stands still from {t.quote(a)} to {t.quote(b)}."))
        ext = s.get("extensions")
        if ext:
            out.append(pick(nb=f"Fristen forlenges ved {t.quote(ext['activity'])} med dagene i "
                               f"{t.quote(ext['days_attribute'])}.",
                            en=f"The deadline is extended at {t.quote(ext['activity'])} by the days in "
                               f"{t.quote(ext['days_attribute'])}."))
        rate = s.get("refund_per_started_week") or 0
        if rate:
            fee = _money(t, s["fee"]) if s.get("fee") is not None else (
                pick(nb=f"saksegenskapen {t.quote(s['fee_attribute'])}",
                     en=f"the case attribute {t.quote(s['fee_attribute'])}")
                if s.get("fee_attribute") else pick(nb="ukjent", en="unknown"))
            out.append(pick(nb=f"Gebyr: {fee}; {t.pct(rate)} betales tilbake per påbegynte uke over fristen.",
                            en=f"Fee: {fee}; {t.pct(rate)} is repaid per started week past the deadline."))
    for w in s.get("within") or []:
        to = ", ".join(t.quote(a) for a in w.get("to") or [])
        out.append(pick(nb=f"{w['name'].capitalize()}: {to} innen {t.int(w['days'])} dager etter {t.quote(w['from'])}.",
                        en=f"{w['name'].capitalize()}: {to} within {t.int(w['days'])} days of {t.quote(w['from'])}."))
    return out


def _evaluation(t: Text, ev: dict[str, Any] | None, message: str | None) -> str:
    pick = t.pick
    if ev is None:
        text = message_text(message, t.lang) if message else pick(
            nb="Modellen ble ikke evaluert i denne kjøringen.", en="The model was not evaluated in this run.")
        return f'<div class="callout">{_e(text)}</div>'
    out: list[str] = []
    mae = ev.get("mae_days") or {}
    best = best_baseline(ev)
    days = pick(nb="dager", en="days")
    miss = ev.get("miss")
    interval = ev.get("interval") or {}
    target = interval.get("target", INTERVAL_TARGET)
    kpis = [(pick(nb="Gjennomsnittlig feil (MAE), modell", en="Mean absolute error, model"),
             f"{t.num(mae.get('model'), 1)} {days}")]
    if best:
        kpis.append((pick(nb="MAE, beste enkle regel", en="MAE, best simple rule"), f"{t.num(best[1], 1)} {days}"))
    kpis.append((pick(nb=f"Dekning, {t.pct(target)} intervall", en=f"Coverage, {t.pct(target)} interval"),
                 t.pct(interval.get("coverage"))))
    if miss:
        kpis += [("AUC, " + pick(nb="over fristen", en="missing the deadline"), t.num(miss.get("auc"), 2)),
                 ("Brier", t.num(miss.get("brier"), 3))]
    if ev.get("next_activity_accuracy") is not None:
        kpis.append((pick(nb="Neste aktivitet riktig", en="Next activity right"), t.pct(ev["next_activity_accuracy"])))
    out.append(_kpis(kpis))
    sentences = []
    imp = ev.get("improvement_over_best_baseline")
    if best:
        name = baseline_name(best[0], t.lang)
        if imp is not None and imp > 0:
            sentences.append(pick(
                nb=f"Gjenstående tid bommer i snitt med {t.num(mae.get('model'), 1)} dager, mot {t.num(best[1], 1)} "
                   f"for den beste enkle regelen ({name}): {t.pct(imp)} bedre.",
                en=f"The remaining time is off by {t.num(mae.get('model'), 1)} days on average, against "
                   f"{t.num(best[1], 1)} for the best simple rule ({name}): {t.pct(imp)} better."))
        else:
            sentences.append(pick(
                nb=f"Modellen ({t.num(mae.get('model'), 1)} dager) er ikke bedre enn den beste enkle regelen ({name}, "
                   f"{t.num(best[1], 1)} dager): bruk prediksjonene med varsomhet.",
                en=f"The model ({t.num(mae.get('model'), 1)} days) is no better than the best simple rule ({name}, "
                   f"{t.num(best[1], 1)} days): use the predictions with care."))
    if interval:
        coverage, width = t.pct(interval.get("coverage")), t.num(interval.get("median_width_days"), 1)
        sentences.append(pick(
            nb=f"Intervallet på {t.pct(target)} inneholdt den faktiske gjenstående tiden i {coverage} av "
               f"testobservasjonene (mål: {t.pct(target)}); median bredde {width} dager.",
            en=f"The {t.pct(target)} interval held the actual remaining time in {coverage} of the test "
               f"observations (target: {t.pct(target)}); median width {width} days."))
    if miss:
        sentences.append(pick(
            nb=f"Sannsynligheten for å gå over fristen: AUC {t.num(miss.get('auc'), 2)} (0,5 er tilfeldig, 1 er "
               f"perfekt); Brier {t.num(miss.get('brier'), 3)} mot {t.num(miss.get('brier_base_rate'), 3)} om alle "
               f"fikk grunnraten {t.pct(miss.get('base_rate'), 1)} (lavere er bedre).",
            en=f"The probability of missing the deadline: AUC {t.num(miss.get('auc'), 2)} (0.5 is chance, 1 is "
               f"perfect); Brier {t.num(miss.get('brier'), 3)} against {t.num(miss.get('brier_base_rate'), 3)} if "
               f"every case got the base rate {t.pct(miss.get('base_rate'), 1)} (lower is better)."))
    else:
        sentences.append(pick(nb="Sannsynligheten for å gå over fristen kunne ikke evalueres (bare ett utfall i "
                                 "testen).",
                              en="The probability of missing the deadline could not be evaluated (one outcome only in "
                                 "the test)."))
    out += [f"<p>{_e(x)}</p>" for x in sentences]

    by_prefix = ev.get("mae_by_prefix_length") or []
    if by_prefix:
        keys = [k for k in by_prefix[0] if k.startswith("baseline_")]
        heading = pick(nb="Feil etter hvor langt saken har kommet", en="Error by how far the case has come")
        out.append(f"<h3>{_e(heading)}</h3>")
        out.append(_table(
            pick(nb="Gjennomsnittlig feil i dager (MAE), modell mot enkle regler, etter antall steg så langt",
                 en="Mean absolute error in days, model against simple rules, by number of steps so far"),
            [pick(nb="Steg så langt", en="Steps so far"), pick(nb="Observasjoner", en="Observations"),
             pick(nb="Modell", en="Model"), *[baseline_name(k, t.lang).capitalize() for k in keys]],
            [[_e(r["prefix_length"]), _e(t.int(r["observations"])), _e(t.num(r["model"], 1)),
              *[_e(t.num(r.get(k), 1)) for k in keys]] for r in by_prefix]
            + [[_e(pick(nb="Alle", en="All")), _e(t.int(ev.get("observations"))), _e(t.num(mae.get("model"), 1)),
                *[_e(t.num(mae.get(k), 1)) for k in keys]]],
            numeric=set(range(1, 3 + len(keys)))))
    if miss and miss.get("calibration"):
        out.append(f'<h3>{_e(pick(nb="Kalibrering", en="Calibration"))}</h3>')
        out.append(_table(
            pick(nb="Forutsagt sannsynlighet for å gå over fristen mot faktisk andel, testobservasjoner",
                 en="Predicted probability of missing the deadline against the observed share, test observations"),
            [pick(nb="Forutsagt", en="Predicted"), pick(nb="Observasjoner", en="Observations"),
             pick(nb="Snitt forutsagt", en="Mean predicted"), pick(nb="Faktisk andel", en="Observed share")],
            [[_e(r["bin"].replace(".", ",") if t.lang == "nb" else r["bin"]), _e(t.int(r["observations"])),
              _e(t.pct(r["predicted"], 1)), _e(t.pct(r["observed"], 1))] for r in miss["calibration"]],
            numeric={1, 2, 3}))
    split = ev.get("split") or {}
    out.append(f'<h3>{_e(pick(nb="Slik ble modellen testet", en="How the model was tested"))}</h3><ul>')
    if split.get("mode") == "temporal":
        cut = _day(split.get("cut")) if split.get("cut") else "–"
        out.append("<li>" + _e(pick(
            nb=f"Tidsdeling ved {cut}: lært av {t.int(split.get('train_cases'))} saker avgjort før, testet på "
               f"{t.int(split.get('test_cases'))} saker som var åpne da og er avgjort siden.",
            en=f"Temporal split at {cut}: trained on {t.int(split.get('train_cases'))} cases decided before, tested "
               f"on {t.int(split.get('test_cases'))} cases open then and decided since.")) + "</li>")
    else:
        out.append("<li>" + _e(pick(
            nb=f"Tilfeldig deling: {t.int(split.get('train_cases'))} saker til læring, "
               f"{t.int(split.get('test_cases'))} til test.",
            en=f"Random split: {t.int(split.get('train_cases'))} cases to train, {t.int(split.get('test_cases'))} "
               f"to test.")) + "</li>")
    if split.get("censored_open_cases"):
        out.append("<li>" + _e(pick(
            nb=f"{t.int(split['censored_open_cases'])} saker åpne ved delingen er fortsatt åpne og er holdt utenfor "
               f"testen (utfallet er ukjent).",
            en=f"{t.int(split['censored_open_cases'])} cases open at the split are still open and left out of the test "
               f"(their outcome is unknown).")) + "</li>")
    if split.get("train_observations") is not None:
        out.append("<li>" + _e(pick(
            nb=f"{t.int(split['train_observations'])} observasjoner til læring (én per hendelse i sakene), "
               f"{t.int(ev.get('observations'))} til test.",
            en=f"{t.int(split['train_observations'])} observations to train (one per event in the cases), "
               f"{t.int(ev.get('observations'))} to test.")) + "</li>")
    features = ev.get("features") or []
    if features:
        out.append("<li>" + _e(pick(nb=f"{t.int(len(features))} kjennetegn brukt: {', '.join(features)}.",
                                    en=f"{t.int(len(features))} features used: {', '.join(features)}.")) + "</li>")
    out.append("</ul>")
    left_out = ev.get("left_out") or []
    if left_out:
        out.append(_table(pick(nb="Saksegenskaper holdt utenfor modellen, og hvorfor",
                               en="Case attributes left out of the model, and why"),
                          [pick(nb="Egenskap", en="Attribute"), pick(nb="Hvorfor", en="Why")],
                          [[_e(r["attribute"]), _e(_why(t, r["why"]))] for r in left_out]))
    return "".join(out)


def _why(t: Text, why: str) -> str:
    if t.lang == "nb" and why.startswith("too many distinct values"):
        return "for mange ulike verdier (en identifikator eller fritekst)"
    return why


def _clock_note(t: Text, zone: str, rate: float) -> list[str]:
    pick = t.pick
    shown = t.num(rate, 2).rstrip("0").rstrip(",.") if rate else t.num(0.25, 2)
    return [
        pick(nb=f"Klokken teller kalenderdager i {zone}: den starter på den lokale dagen for startaktiviteten, og en "
                f"frist på D dager går ut ved slutten av den lokale dagen D dager senere. Helligdager stopper ikke "
                f"klokken.",
             en=f"The clock counts calendar days in {zone}: it starts on the local day of the start activity, and a "
                f"deadline of D days ends at the end of the local day D days later. Public holidays do not stop "
                f"the clock."),
        pick(nb="Pauser (saken venter på søkeren) legges sammen, overlappende pauser teller én gang, og summen "
                "rundes opp til hele dager; fristen flyttes like mange dager.",
             en="Pauses (the case waits for the applicant) are added up, overlapping pauses count once, and the "
                "total is rounded up to whole days; the deadline moves by as many days."),
        pick(nb="En pause som fortsatt er åpen teller til vedtaket, eller for en åpen sak til tidspunktet "
                "kjøringen visste om.",
             en="A pause still open counts until the decision, or for an open case until the moment the run "
                "knew of."),
        pick(nb="Uker over = påbegynte uker etter fristdagen (en dag for sent er én påbegynt uke).",
             en="Weeks over = started weeks past the deadline day (one day late is one started week)."),
        pick(nb=f"Tilbakebetaling = gebyr × min(1; {shown} × uker over): {t.pct(rate or 0.25)} av gebyret per "
                f"påbegynte uke, høyst hele gebyret (SAK10 § 7-6).",
             en=f"Refund = fee × min(1, {shown} × weeks over): {t.pct(rate or 0.25)} of the fee per started week, "
                f"at most the whole fee (SAK10 § 7-6)."),
        pick(nb="Lovgrunnlag: plan- og bygningsloven § 21-7 (saksbehandlingsfrister), byggesaksforskriften (SAK10) "
                "§ 7-4 (når fristen løper og stanses) og § 7-6 (gebyrreduksjon ved fristoverskridelse), "
                "forvaltningsloven § 11 a (foreløpig svar).",
             en="Legal basis: plan- og bygningsloven § 21-7 (case-processing deadlines), byggesaksforskriften "
                "(SAK10) § 7-4 (when the deadline runs and stops) and § 7-6 (fee reduction for a missed deadline), "
                "forvaltningsloven § 11 a (preliminary reply)."),
    ]


def write(path: Path, result: MonitorResult, *, lang: str = "nb") -> Path:
    """Write monitor.html for one run; returns the path."""
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(render(result, lang=lang), encoding="utf-8")
    return target
