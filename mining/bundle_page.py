"""The open-data page of a bundle (index.html in bokmål, en.html in English): the expected case-handling
time as a municipality's web page "Forventet saksbehandlingstid" states it, the volume, the main path,
and what the privacy guarantee means in plain words. Self-contained, no scripts, printable.

Everything on it is read from bundle.json, which holds only noisy counts and what follows from them.
"""
from __future__ import annotations

import html
import math
from typing import Any

from .report import CSS, Text, page_start

PAGE_CSS = CSS + """
.kpis dd{margin:0}.interval{color:#4a5868;font-size:.85em}
ol.path{padding-left:1.4em}ol.path li{margin:2px 0}
.privacy{background:#eef4fa;border-left:4px solid #2b5d8a;padding:10px 14px;margin:12px 0}
.lang{float:right}.scroll{overflow-x:auto;max-width:100%}
.scroll:focus{outline:3px solid #2b5d8a;outline-offset:2px}
@media (max-width:480px){main{padding:12px 10px 40px}h1{font-size:1.35em}}
@media print{.lang{display:none}a{color:inherit;text-decoration:none}}
"""


def _e(x: Any) -> str:
    return html.escape("" if x is None else str(x), quote=True)


def _table(caption: str, head: list[str], rows: list[list[str]], numeric_from: int = 1) -> str:
    th = "".join(f'<th scope="col">{_e(h)}</th>' for h in head)
    body = "".join(
        "<tr>" + "".join(f'<th scope="row">{c}</th>' if i == 0 else
                         (f'<td class="n">{c}</td>' if i >= numeric_from else f"<td>{c}</td>")
                         for i, c in enumerate(r)) + "</tr>" for r in rows)
    return (f'<div class="scroll" role="region" tabindex="0" aria-label="{_e(caption)}"><table>'
            f"<caption>{_e(caption)}</caption><thead><tr>{th}</tr></thead><tbody>{body}</tbody></table></div>")


def _days(t: Text, x: float | None) -> str:
    if x is None:
        return "–"
    return f"{t.num(x, 1 if x < 10 else 0)}\u00a0{t.tr('bundle_page.days')}"


def _interval(t: Text, iv: list[float | None] | None, fmt) -> str:
    if not iv or iv[0] is None:
        return ""
    if iv[1] is None:
        return t.tr("bundle_page.at_least", iv_low=fmt(iv[0]))
    return t.tr("bundle_page.between_and", iv_low=fmt(iv[0]), iv_high=fmt(iv[1]))


def _hours(t: Text, x: float | None) -> str:
    return "–" if x is None else t.hours(x, days=True)


def render(data: dict[str, Any], *, lang: str = "nb") -> str:
    t = Text(lang)
    label = data["label"]
    priv = data["privacy"]
    eps = priv["epsilon"]
    title = t.tr("bundle_page.expected_case_handling_time", label=label)
    period = data["period"]
    meta = [t.tr("bundle_page.period_to", first_month=period['first_month'], last_month=period['last_month']),
            t.tr("bundle_page.published", created_month=data['created_month']),
            f"ε = {t.num(eps, 2)}"]
    other = t.tr("bundle_page.other_language_link")
    parts = [page_start(lang, title, meta, PAGE_CSS).replace("<main>", f"<main>{other}", 1)]

    lt = data["lead_time"]
    cases = data["cases"]
    months = max(len(data["volume"]), 1)
    per_month = cases["started_estimate"] / months
    parts.append(f"<h2>{t.tr('bundle_page.how_long_does_a')}</h2>")
    parts.append("<p>" + t.tr("bundle_page.half_of_the_cases", median_days=_days(t, lt['median_days']),
                              median_days_interval=_interval(t, lt['median_days_interval'], lambda x: _days(t, x)),
                              p90_days=_days(t, lt['p90_days']),
                              p90_days_interval=_interval(t, lt['p90_days_interval'], lambda x: _days(t, x))) + "</p>")
    parts.append("<p>" + t.tr("bundle_page.the_municipality_received_about",
                              per_month=t.int(per_month), closed_estimate=t.int(cases['closed_estimate'])) + "</p>")

    for name, rows in (data.get("case_types") or {}).items():
        parts.append(_table(
            t.tr("bundle_page.case_handling_time_by", name=name),
            [t.tr("bundle_page.case_type"), t.tr("bundle_page.cases"),
             t.tr("bundle_page.half_within"), t.tr("bundle_page.nine_in_ten_within")],
            [[_e(r["value"]), t.int(r["cases"]), _days(t, r["median_days"]), _days(t, r["p90_days"])] for r in rows]))

    if data["main_path"]:
        parts.append(f"<h2>{t.tr('bundle_page.how_a_typical_case')}</h2>")
        parts.append("<ol class=\"path\">" + "".join(f"<li>{_e(a)}</li>" for a in data["main_path"]) + "</ol>")
        parts.append("<p>" + t.tr("bundle_page.the_steps_follow_the") + "</p>")

    stats = [a for a in data["activity_stats"] if a["median_wait_hours"] is not None]
    stats.sort(key=lambda a: -(a["cases_waiting"] or 0))
    if stats:
        parts.append(f"<h2>{t.tr('bundle_page.waiting_and_handling_per')}</h2>")
        head = [t.tr("bundle_page.step"), t.tr("bundle_page.median_wait_before_the")]
        has_proc = any(a.get("median_processing_hours") is not None for a in stats)
        if has_proc:
            head.append(t.tr("bundle_page.median_handling_time"))
        rows = []
        for a in stats[:25]:
            row = [_e(a["activity"]), _hours(t, a["median_wait_hours"])]
            if has_proc:
                row.append(_hours(t, a.get("median_processing_hours")))
            rows.append(row)
        parts.append(_table(t.tr("bundle_page.steps_with_the_most"), head, rows))

    vol = [v for v in data["volume"]]
    parts.append(f"<h2>{t.tr('bundle_page.cases_per_month')}</h2>")
    parts.append(_table(t.tr("bundle_page.new_cases_per_month"),
                        [t.tr("bundle_page.month"), t.tr("bundle_page.cases")],
                        [[_e(v["month"]), t.int(v["cases"]) if v["cases"] is not None
                          else t.tr("bundle_page.too_few_to_show")] for v in vol]))

    parts.append(f"<h2>{t.tr('bundle_page.privacy')}</h2>")
    factor = math.exp(eps)
    parts.append('<div class="privacy"><p>' + t.tr("bundle_page.the_numbers_on_this", eps=t.num(eps, 2),
                                                   factor=t.num(factor, 1)) + "</p><p>"
                 + t.tr("bundle_page.the_intervals_show_how") + "</p></div>")
    parts.append("</main></body></html>")
    return "\n".join(parts)
