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
    return f"{t.num(x, 1 if x < 10 else 0)}\u00a0{t.pick(nb='dager', en='days')}"


def _interval(t: Text, iv: list[float | None] | None, fmt) -> str:
    if not iv or iv[0] is None:
        return ""
    if iv[1] is None:
        return t.pick(nb=f"minst {fmt(iv[0])}", en=f"at least {fmt(iv[0])}")
    return t.pick(nb=f"mellom {fmt(iv[0])} og {fmt(iv[1])}", en=f"between {fmt(iv[0])} and {fmt(iv[1])}")


def _hours(t: Text, x: float | None) -> str:
    return "–" if x is None else t.hours(x, days=True)


def render(data: dict[str, Any], *, lang: str = "nb") -> str:
    t = Text(lang)
    label = data["label"]
    priv = data["privacy"]
    eps = priv["epsilon"]
    title = t.pick(nb=f"Forventet saksbehandlingstid: {label}", en=f"Expected case-handling time: {label}")
    period = data["period"]
    meta = [t.pick(nb=f"Perioden {period['first_month']} til {period['last_month']}",
                   en=f"Period {period['first_month']} to {period['last_month']}"),
            t.pick(nb=f"publisert {data['created_month']}", en=f"published {data['created_month']}"),
            f"ε = {t.num(eps, 2)}"]
    other = t.pick(nb='<a class="lang" href="en.html" hreflang="en" lang="en">English</a>',
                   en='<a class="lang" href="index.html" hreflang="nb" lang="nb">Bokmål</a>')
    parts = [page_start(lang, title, meta, PAGE_CSS).replace("<main>", f"<main>{other}", 1)]

    lt = data["lead_time"]
    cases = data["cases"]
    months = max(len(data["volume"]), 1)
    per_month = cases["started_estimate"] / months
    parts.append(f"<h2>{t.pick(nb='Hvor lang tid tar en sak?', en='How long does a case take?')}</h2>")
    parts.append("<p>" + t.pick(
        nb=f"Halvparten av sakene var ferdige innen <strong>{_days(t, lt['median_days'])}</strong> "
           f"({_interval(t, lt['median_days_interval'], lambda x: _days(t, x))}). "
           f"Ni av ti var ferdige innen <strong>{_days(t, lt['p90_days'])}</strong> "
           f"({_interval(t, lt['p90_days_interval'], lambda x: _days(t, x))}).",
        en=f"Half of the cases were done within <strong>{_days(t, lt['median_days'])}</strong> "
           f"({_interval(t, lt['median_days_interval'], lambda x: _days(t, x))}). "
           f"Nine in ten were done within <strong>{_days(t, lt['p90_days'])}</strong> "
           f"({_interval(t, lt['p90_days_interval'], lambda x: _days(t, x))}).") + "</p>")
    parts.append("<p>" + t.pick(
        nb=f"Kommunen fikk om lag {t.int(per_month)} saker i måneden i perioden, og om lag "
           f"{t.int(cases['closed_estimate'])} saker ble avsluttet.",
        en=f"The municipality received about {t.int(per_month)} cases a month in the period, and about "
           f"{t.int(cases['closed_estimate'])} cases were closed.") + "</p>")

    for name, rows in (data.get("case_types") or {}).items():
        parts.append(_table(
            t.pick(nb=f"Saksbehandlingstid etter {name}", en=f"Case-handling time by {name}"),
            [t.pick(nb="Sakstype", en="Case type"), t.pick(nb="Saker", en="Cases"),
             t.pick(nb="Halvparten innen", en="Half within"), t.pick(nb="Ni av ti innen", en="Nine in ten within")],
            [[_e(r["value"]), t.int(r["cases"]), _days(t, r["median_days"]), _days(t, r["p90_days"])] for r in rows]))

    if data["main_path"]:
        parts.append(f"<h2>{t.pick(nb='Slik går en vanlig sak', en='How a typical case runs')}</h2>")
        parts.append("<ol class=\"path\">" + "".join(f"<li>{_e(a)}</li>" for a in data["main_path"]) + "</ol>")
        parts.append("<p>" + t.pick(nb="Stegene følger de hyppigste overgangene mellom stegene.",
                                    en="The steps follow the most frequent transitions between steps.") + "</p>")

    stats = [a for a in data["activity_stats"] if a["median_wait_hours"] is not None]
    stats.sort(key=lambda a: -(a["cases_waiting"] or 0))
    if stats:
        parts.append(f"<h2>{t.pick(nb='Ventetid og behandlingstid per steg', en='Waiting and handling per step')}</h2>")
        head = [t.pick(nb="Steg", en="Step"), t.pick(nb="Median ventetid før steget", en="Median wait before the step")]
        has_proc = any(a.get("median_processing_hours") is not None for a in stats)
        if has_proc:
            head.append(t.pick(nb="Median behandlingstid", en="Median handling time"))
        rows = []
        for a in stats[:25]:
            row = [_e(a["activity"]), _hours(t, a["median_wait_hours"])]
            if has_proc:
                row.append(_hours(t, a.get("median_processing_hours")))
            rows.append(row)
        parts.append(_table(t.pick(nb="Steg med flest saker først", en="Steps with the most cases first"), head, rows))

    vol = [v for v in data["volume"]]
    parts.append(f"<h2>{t.pick(nb='Saker per måned', en='Cases per month')}</h2>")
    parts.append(_table(t.pick(nb="Nye saker per måned (med støy)", en="New cases per month (with noise)"),
                        [t.pick(nb="Måned", en="Month"), t.pick(nb="Saker", en="Cases")],
                        [[_e(v["month"]), t.int(v["cases"]) if v["cases"] is not None
                          else t.pick(nb="for få til å vises", en="too few to show")] for v in vol]))

    parts.append(f"<h2>{t.pick(nb='Personvern', en='Privacy')}</h2>")
    factor = math.exp(eps)
    parts.append('<div class="privacy"><p>' + t.pick(
        nb=f"Tallene på denne siden har fått tilfeldig støy før de ble publisert (differensielt personvern, "
           f"ε = {t.num(eps, 2)}). Det betyr at sannsynligheten for ethvert tall her endres med høyst en faktor "
           f"{t.num(factor, 1)} om én enkelt sak er med i grunnlaget eller ikke. Ingen kan derfor lese ut om en "
           f"bestemt innbygger har hatt en sak, eller noe om den. Siden viser ingen saksnumre, navn, "
           f"saksbehandlere eller datoer finere enn måned. Små tall er skjult.",
        en=f"The numbers on this page had random noise added before they were published (differential privacy, "
           f"ε = {t.num(eps, 2)}). The probability of any number shown changes by at most a factor of "
           f"{t.num(factor, 1)} whether or not any one case is included, so nobody can tell from it whether a "
           f"particular citizen had a case, or anything about it. The page shows no case numbers, names, "
           f"caseworkers or dates finer than a month. Small numbers are hidden.") + "</p><p>" + t.pick(
        nb="Intervallene viser hvor mye tallene kan variere på grunn av støyen og tilfeldig variasjon mellom saker.",
        en="The intervals show how much the numbers may vary because of the noise and chance variation "
           "between cases.") + "</p></div>")
    parts.append("</main></body></html>")
    return "\n".join(parts)
