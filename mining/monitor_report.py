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
    return t.tr("monitor_report.nok", amount=t.int(x))


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
    s = result.settings or {}
    zone = s.get("zone") or "Europe/Oslo"
    oc = result.open_cases
    status = result.status
    head = headline(oc, result.history, as_of=result.as_of, zone=zone)
    closed = int(status["closed"].sum()) if len(status) else 0
    title = t.tr("monitor_report.deadline_monitor")
    out: list[str] = []
    add = out.append
    add(page_start(t.lang, f"{title}: {result.log}",
                   [f'{t.tr("monitor_report.generated")} {datetime.now().strftime("%Y-%m-%d %H:%M")}',
                    f'{t.tr("monitor_report.run")} {result.run_id}', "Saksflyt"], CSS))

    # What the run knew
    add(f'<h2>{_e(t.tr("monitor_report.what_the_run_knew"))}</h2>')
    later = t.tr("monitor_report.later_events_were_not")
    add(f'<p>{_e(t.tr("monitor_report.events_completed_up_to"))} '
        f'<b>{_e(_local(result.as_of, zone))}</b> ({_e(zone)}). {_e(later)}</p>')
    add(_kpis([
        (t.tr("monitor_report.open_cases"), t.int(head.open_cases)),
        (t.tr("monitor_report.decided_cases"), t.int(closed)),
        (t.tr("monitor_report.at_risk_p", at_risk=t.pct(AT_RISK)),
         t.int(head.at_risk) if head.at_risk is not None else "–"),
        (t.tr("monitor_report.expected_refunds_open_cases"),
         _money(t, head.expected_refund_nok)),
        (t.tr("monitor_report.decided_in_time_last"),
         t.pct(head.share_in_time_12m)),
    ]))
    add(f'<h3>{_e(t.tr("monitor_report.the_deadline_rules_as"))}</h3>')
    add('<ul class="rules">' + "".join(f"<li>{_e(x)}</li>" for x in _rules(t, s)) + "</ul>")

    # History
    add(f'<h2>{_e(t.tr("monitor_report.history"))}</h2>')
    monthly = list((result.history or {}).get("monthly") or [])
    yearly = list((result.history or {}).get("yearly") or [])
    chart_title = t.tr("monitor_report.share_decided_in_time")
    add(f"<h3>{_e(chart_title)}</h3>")
    if monthly:
        lo = min(monthly, key=lambda r: r["share_in_time"])
        hi = max(monthly, key=lambda r: r["share_in_time"])
        desc = t.tr("monitor_report.bar_chart_to_lowest",
                    first_month=monthly[0]['month'], last_month=monthly[-1]['month'],
                    low_share=t.pct(lo['share_in_time']), low_month=lo['month'], high_share=t.pct(hi['share_in_time']), high_month=hi['month'])
        add(f'<figure class="chart">{_share_chart(t, monthly, title=chart_title, desc=desc)}'
            f'<figcaption>{_e(desc)}</figcaption></figure>')
        add(_table(t.tr("monitor_report.decided_cases_per_month"),
                   [t.tr("monitor_report.month"), t.tr("monitor_report.decided"), t.tr("monitor_report.in_time"),
                    t.tr("monitor_report.share_in_time"), t.tr("monitor_report.refunded")],
                   [[_e(r["month"]), _e(t.int(r["decided"])), _e(t.int(r["in_time"])), _e(t.pct(r["share_in_time"], 1)),
                     _e(_money(t, r["refund_nok"]))] for r in monthly], numeric={1, 2, 3, 4}))
    else:
        none = t.tr("monitor_report.no_decided_cases_with")
        add(f"<p>{_e(none)}</p>")
    if yearly:
        add(f'<h3>{_e(t.tr("monitor_report.refunds_per_year"))}</h3>')
        add(_table(t.tr("monitor_report.decided_cases_late_cases"),
                   [t.tr("monitor_report.year"), t.tr("monitor_report.decided"), t.tr("monitor_report.late"),
                    t.tr("monitor_report.share_late"), t.tr("monitor_report.refunded")],
                   [[_e(r["year"]), _e(t.int(r["decided"])), _e(t.int(r["late"])),
                     _e(t.pct(r["late"] / r["decided"], 1) if r["decided"] else "–"), _e(_money(t, r["refund_nok"]))]
                    for r in yearly], numeric={1, 2, 3, 4}))

    # The at-risk list
    add(f'<h2>{_e(t.tr("monitor_report.open_cases_at_risk"))}</h2>')
    intro = t.tr("monitor_report.ranked_by_expected_refund")
    add(f'<p class="intro">{_e(intro)}</p>')
    if result.message:
        add(f'<div class="callout">{_e(message_text(result.message, t.lang))}</div>')
    if len(oc):
        rows = []
        for r in oc.head(TOP).to_dict(orient="records"):
            p = r.get("p_miss")
            p_cell = _e(t.pct(p)) if not _missing(p) else "–"
            if not _missing(p) and p >= AT_RISK:
                p_cell += f' <span class="badge risk">{_e(t.tr("monitor_report.at_risk"))}</span>'
            left = r.get("days_left")
            left_cell = _e(t.int(left)) if not _missing(left) else "–"
            if not _missing(left) and left < 0:
                left_cell += f' <span class="badge passed">{_e(t.tr("monitor_report.passed"))}</span>'
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
        add(_table(t.tr("monitor_report.the_top_of_open", shown=t.int(shown), oc=t.int(len(oc))),
                   [t.tr("monitor_report.rank"), t.tr("monitor_report.case"), t.tr("monitor_report.deadline"),
                    t.tr("monitor_report.days_left"), t.tr("monitor_report.p_miss"),
                    t.tr("monitor_report.remaining_days_80_interval"),
                    t.tr("monitor_report.expected_refund"),
                    t.tr("monitor_report.current_activity"),
                    t.tr("monitor_report.waiting_days"), t.tr("monitor_report.reasons")],
                   rows, numeric={0, 3, 4, 5, 6, 8}, dates={2}, row_header=1, css="cases"))
    else:
        add(f'<p>{_e(t.tr("monitor_report.no_open_cases"))}</p>')

    # Evaluation
    add(f'<h2>{_e(t.tr("monitor_report.how_good_the_predictions"))}</h2>')
    add(_evaluation(t, result.evaluation, result.message))

    # The clock
    add(f'<h2>{_e(t.tr("monitor_report.how_the_clock_is"))}</h2><ul>')
    for line in _clock_note(t, zone, s.get("refund_per_started_week") or 0.0):
        add(f"<li>{_e(line)}</li>")
    add("</ul></main></body></html>\n")
    return "".join(out)


def _rules(t: Text, s: dict[str, Any]) -> list[str]:
    out: list[str] = []
    stop = ", ".join(t.quote(a) for a in s.get("stop") or []) or "–"
    if s.get("days") is None:
        out.append(t.tr("monitor_report.no_deadline_is_configured", stop=stop))
    else:
        start = t.quote(s["clock_start"]) if s.get("clock_start") else t.tr("monitor_report.the_case_s_first")
        out.append(t.tr("monitor_report.the_clock_starts_at", start=start, stop=stop))
        days, weeks = t.int(s["days"]), t.num(s["days"] / 7, 1)
        out.append(t.tr("monitor_report.deadline_days_weeks_unless", days=days, weeks=weeks))
        for rule in s.get("rules") or []:
            conds = t.tr("monitor_report.and").join(
                f"{name} = {' / '.join(str(v) for v in values)}" for name, values in (rule.get("if") or {}).items())
            out.append(t.tr("monitor_report.when_days", conds=conds, days=t.int(rule['days'])))
        for a, b in s.get("pauses") or []:
            out.append(t.tr("monitor_report.the_clock_stands_still", a=t.quote(a), b=t.quote(b)))
        ext = s.get("extensions")
        if ext:
            out.append(t.tr("monitor_report.the_deadline_is_extended",
                            activity=t.quote(ext['activity']), days_attribute=t.quote(ext['days_attribute'])))
        rate = s.get("refund_per_started_week") or 0
        if rate:
            fee = _money(t, s["fee"]) if s.get("fee") is not None else (
                t.tr("monitor_report.the_case_attribute", fee_attribute=t.quote(s['fee_attribute']))
                if s.get("fee_attribute") else t.tr("monitor_report.unknown"))
            out.append(t.tr("monitor_report.fee_is_repaid_per", fee=fee, rate=t.pct(rate)))
    for w in s.get("within") or []:
        to = ", ".join(t.quote(a) for a in w.get("to") or [])
        out.append(t.tr("monitor_report.within_days_of",
                        name=w['name'].capitalize(), to=to, days=t.int(w['days']), from_value=t.quote(w['from'])))
    return out


def _evaluation(t: Text, ev: dict[str, Any] | None, message: str | None) -> str:
    if ev is None:
        text = message_text(message, t.lang) if message else t.tr("monitor_report.the_model_was_not")
        return f'<div class="callout">{_e(text)}</div>'
    out: list[str] = []
    mae = ev.get("mae_days") or {}
    best = best_baseline(ev)
    days = t.tr("monitor_report.days")
    miss = ev.get("miss")
    interval = ev.get("interval") or {}
    target = interval.get("target", INTERVAL_TARGET)
    kpis = [(t.tr("monitor_report.mean_absolute_error_model"),
             f"{t.num(mae.get('model'), 1)} {days}")]
    if best:
        kpis.append((t.tr("monitor_report.mae_best_simple_rule"), f"{t.num(best[1], 1)} {days}"))
    kpis.append((t.tr("monitor_report.coverage_interval", target=t.pct(target)),
                 t.pct(interval.get("coverage"))))
    if miss:
        kpis += [("AUC, " + t.tr("monitor_report.missing_the_deadline"), t.num(miss.get("auc"), 2)),
                 ("Brier", t.num(miss.get("brier"), 3))]
    if ev.get("next_activity_accuracy") is not None:
        kpis.append((t.tr("monitor_report.next_activity_right"), t.pct(ev["next_activity_accuracy"])))
    out.append(_kpis(kpis))
    sentences = []
    imp = ev.get("improvement_over_best_baseline")
    if best:
        name = baseline_name(best[0], t.lang)
        if imp is not None and imp > 0:
            sentences.append(t.tr("monitor_report.the_remaining_time_is",
                                  model_mae=t.num(mae.get('model'), 1), best_high=t.num(best[1], 1), name=name,
                                  imp=t.pct(imp)))
        else:
            sentences.append(t.tr("monitor_report.the_model_days_is",
                                  model_mae=t.num(mae.get('model'), 1), name=name, best_high=t.num(best[1], 1)))
    if interval:
        coverage, width = t.pct(interval.get("coverage")), t.num(interval.get("median_width_days"), 1)
        sentences.append(t.tr("monitor_report.the_interval_held_the",
                              target=t.pct(target), coverage=coverage, width=width))
    if miss:
        sentences.append(t.tr("monitor_report.miss_evaluated",
                              auc=t.num(miss.get('auc'), 2), brier=t.num(miss.get('brier'), 3),
                              brier_base_rate=t.num(miss.get('brier_base_rate'), 3),
                              base_rate=t.pct(miss.get('base_rate'), 1)))
    else:
        sentences.append(t.tr("monitor_report.miss_not_evaluated"))
    out += [f"<p>{_e(x)}</p>" for x in sentences]

    by_prefix = ev.get("mae_by_prefix_length") or []
    if by_prefix:
        keys = [k for k in by_prefix[0] if k.startswith("baseline_")]
        heading = t.tr("monitor_report.error_by_how_far")
        out.append(f"<h3>{_e(heading)}</h3>")
        out.append(_table(
            t.tr("monitor_report.mean_absolute_error_in"),
            [t.tr("monitor_report.steps_so_far"), t.tr("monitor_report.observations"),
             t.tr("monitor_report.model"), *[baseline_name(k, t.lang).capitalize() for k in keys]],
            [[_e(r["prefix_length"]), _e(t.int(r["observations"])), _e(t.num(r["model"], 1)),
              *[_e(t.num(r.get(k), 1)) for k in keys]] for r in by_prefix]
            + [[_e(t.tr("monitor_report.all")), _e(t.int(ev.get("observations"))), _e(t.num(mae.get("model"), 1)),
                *[_e(t.num(mae.get(k), 1)) for k in keys]]],
            numeric=set(range(1, 3 + len(keys)))))
    if miss and miss.get("calibration"):
        out.append(f'<h3>{_e(t.tr("monitor_report.calibration"))}</h3>')
        out.append(_table(
            t.tr("monitor_report.predicted_probability_of_missing"),
            [t.tr("monitor_report.predicted"), t.tr("monitor_report.observations"),
             t.tr("monitor_report.mean_predicted"), t.tr("monitor_report.observed_share")],
            [[_e(_bin(t, r["bin"])), _e(t.int(r["observations"])),
              _e(t.pct(r["predicted"], 1)), _e(t.pct(r["observed"], 1))] for r in miss["calibration"]],
            numeric={1, 2, 3}))
    split = ev.get("split") or {}
    out.append(f'<h3>{_e(t.tr("monitor_report.how_the_model_was"))}</h3><ul>')
    if split.get("mode") == "temporal":
        cut = _day(split.get("cut")) if split.get("cut") else "–"
        out.append("<li>" + _e(t.tr("monitor_report.temporal_split_at_trained",
                                    cut=cut, train_cases=t.int(split.get('train_cases')),
                                    test_cases=t.int(split.get('test_cases')))) + "</li>")
    else:
        out.append("<li>" + _e(t.tr("monitor_report.random_split_cases_to", train_cases=t.int(split.get('train_cases')),
                                    test_cases=t.int(split.get('test_cases')))) + "</li>")
    if split.get("censored_open_cases"):
        out.append("<li>" + _e(t.tr("monitor_report.cases_open_at_the",
                                    censored_open_cases=t.int(split['censored_open_cases']))) + "</li>")
    if split.get("train_observations") is not None:
        out.append("<li>" + _e(t.tr("monitor_report.observations_to_train_one",
                                    train_observations=t.int(split['train_observations']),
                                    observations=t.int(ev.get('observations')))) + "</li>")
    features = ev.get("features") or []
    if features:
        out.append("<li>" + _e(t.tr("monitor_report.features_used",
                                    features=t.int(len(features)), features_2=', '.join(features))) + "</li>")
    out.append("</ul>")
    left_out = ev.get("left_out") or []
    if left_out:
        out.append(_table(t.tr("monitor_report.case_attributes_left_out"),
                          [t.tr("monitor_report.attribute"), t.tr("monitor_report.why")],
                          [[_e(r["attribute"]), _e(_why(t, r["why"]))] for r in left_out]))
    return "".join(out)


def _bin(t: Text, label: str) -> str:
    """A calibration bin (`0.1–0.2`, as the model stores it) with the language's decimal mark."""
    low, high = label.split("–")
    return f"{t.num(float(low), 1)}–{t.num(float(high), 1)}"


def _why(t: Text, why: str) -> str:
    """Why an attribute was left out; the model writes its reasons in English, the one known one is translated."""
    if why.startswith("too many distinct values"):
        return t.tr("monitor_report.why_too_many_values")
    return why


def _clock_note(t: Text, zone: str, rate: float) -> list[str]:
    shown = t.num(rate, 2).rstrip("0").rstrip(",.") if rate else t.num(0.25, 2)
    return [
        t.tr("monitor_report.the_clock_counts_calendar", zone=zone),
        t.tr("monitor_report.pauses_the_case_waits"),
        t.tr("monitor_report.a_pause_still_open"),
        t.tr("monitor_report.weeks_over_started_weeks"),
        t.tr("monitor_report.refund_rule", shown=shown, rate=t.pct(rate or 0.25)),
        t.tr("monitor_report.legal_basis_plan_og"),
    ]


def write(path: Path, result: MonitorResult, *, lang: str = "nb") -> Path:
    """Write monitor.html for one run; returns the path."""
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(render(result, lang=lang), encoding="utf-8")
    return target
