"""compare.html for a local log against a published bundle: the sections of `compare` that a bundle can
answer, each interval carrying the bundle's noise. Self-contained, bokmål by default."""
from __future__ import annotations

import html
from typing import Any

from .bundle_page import PAGE_CSS, _table
from .report import Text, page_start


def _e(x: Any) -> str:
    return html.escape("" if x is None else str(x), quote=True)


def _iv(t: Text, iv: list | None, fmt) -> str:
    if not iv or iv[0] is None:
        return "–"
    if iv[1] is None:
        return t.pick(nb=f"minst {fmt(iv[0])}", en=f"at least {fmt(iv[0])}")
    return f"{fmt(iv[0])} – {fmt(iv[1])}"


def _verdict(t: Text, d: dict[str, Any], fmt) -> str:
    if d["difference"] is None:
        return "–"
    text = f"{'+' if d['difference'] > 0 else ''}{fmt(d['difference'])}"
    return text + (" " + t.pick(nb="(sikker forskjell)", en="(significant)") if d["significant"]
                   else " " + t.pick(nb="(kan være støy)", en="(may be noise)"))


def render(result: dict[str, Any], *, lang: str = "nb") -> str:
    t = Text(lang)
    a, b = result["a"], result["b"]
    la, lb = a["label"], b["label"]
    title = t.pick(nb=f"Sammenligning: {la} og {lb} (publiserte tall)", en=f"Comparison: {la} and {lb} (published figures)")
    meta = [t.pick(nb=f"{lb}: ε = {t.num(b['epsilon'], 2)}, {b['first_month']}–{b['last_month']}",
                   en=f"{lb}: ε = {t.num(b['epsilon'], 2)}, {b['first_month']}–{b['last_month']}"),
            t.pick(nb=f"{la}: {a['first_month']}–{a['last_month']}", en=f"{la}: {a['first_month']}–{a['last_month']}")]
    parts = [page_start(lang, title, meta, PAGE_CSS)]
    parts.append('<p class="privacy">' + t.pick(
        nb=f"Tallene for {_e(lb)} har fått støy for å verne innbyggerne. Intervallene tar med støyen, og en "
           f"forskjell kalles sikker bare når verken støyen eller tilfeldig variasjon kan forklare den.",
        en=f"The figures of {_e(lb)} carry noise that protects its citizens. The intervals include the noise, and "
           f"a difference is called significant only when neither the noise nor chance can explain it.") + "</p>")
    days = lambda x: t.num(x, 1)  # noqa: E731
    hours = lambda x: t.hours(x)  # noqa: E731
    lt = result["lead_time"]
    vol = result["volume"]["cases_per_year"]
    parts.append(f"<h2>{t.pick(nb='Ledetid og volum', en='Lead time and volume')}</h2>")
    head = ["", la, lb, t.pick(nb="95 % intervall", en="95% interval") + f" ({lb})",
            t.pick(nb="Forskjell", en="Difference")]
    rows = [[t.pick(nb="Median ledetid (dager)", en="Median lead time (days)"), days(lt["median_days"]["a"]),
             days(lt["median_days"]["b"]), _iv(t, lt["median_days"]["b_interval"], days),
             _verdict(t, lt["median_days"], days)],
            [t.pick(nb="90-persentil (dager)", en="90th percentile (days)"), days(lt["p90_days"]["a"]),
             days(lt["p90_days"]["b"]), _iv(t, lt["p90_days"]["b_interval"], days), _verdict(t, lt["p90_days"], days)],
            [t.pick(nb="Saker per år", en="Cases per year"), t.int(vol["a"]), t.int(vol["b"]),
             _iv(t, vol["b_interval"], t.int), _verdict(t, vol, t.int)]]
    parts.append(_table(t.pick(nb="Ledetid og volum", en="Lead time and volume"), head, rows))

    changed = [d for d in result["dfg"] if d["status"] not in ("same", "below_threshold")]
    parts.append(f"<h2>{t.pick(nb='Endringer i prosesskartet', en='Differences in the process map')}</h2>")
    status = {"appeared": t.pick(nb=f"bare i {lb}", en=f"only in {lb}"),
              "vanished": t.pick(nb=f"bare i {la}", en=f"only in {la}"),
              "changed_frequency": t.pick(nb="ulik hyppighet", en="frequency differs")}
    pct = lambda x: t.pct(x, 1)  # noqa: E731
    if changed:
        parts.append(_table(
            t.pick(nb="Overganger med sikker forskjell", en="Transitions that differ significantly"),
            [t.pick(nb="Fra → til", en="From → to"), t.pick(nb="Forskjell", en="Difference"),
             f"{la}: " + t.pick(nb="andel saker", en="case share"), f"{lb}: " + t.pick(nb="andel saker", en="case share"),
             t.pick(nb="95 % intervall", en="95% interval") + f" ({lb})"],
            [[_e(f"{d['source']} → {d['target']}"), status[d["status"]], pct(d["a_case_share"]),
              pct(d["b_case_share"]) if d["b_case_share"] is not None else "–", _iv(t, d["b_interval"], pct)]
             for d in changed[:40]], numeric_from=2))
    else:
        parts.append("<p>" + t.pick(nb="Ingen sikre forskjeller.", en="No significant differences.") + "</p>")

    rows = [r for r in result["activities"]["rows"] if r["in"] == "both"]
    parts.append(f"<h2>{t.pick(nb='Ventetid per steg', en='Waiting per step')}</h2>")
    parts.append(_table(
        t.pick(nb="Median ventetid før steget", en="Median wait before the step"),
        [t.pick(nb="Steg", en="Step"), la, lb, t.pick(nb="95 % intervall", en="95% interval") + f" ({lb})",
         t.pick(nb="Forskjell", en="Difference")],
        [[_e(r["activity"]), hours(r["median_wait_hours"]["a"]) if r["median_wait_hours"]["a"] is not None else "–",
          hours(r["median_wait_hours"]["b"]) if r["median_wait_hours"]["b"] is not None else "–",
          _iv(t, r["median_wait_hours"]["b_interval"], hours), _verdict(t, r["median_wait_hours"], hours)]
         for r in rows[:40]]))

    v = result["variants"]
    parts.append(f"<h2>{t.pick(nb='Varianter', en='Variants')}</h2><p>" + t.pick(
        nb=f"{t.pct(v['a_case_share_in_b_variants'], 1)} av de avsluttede sakene i {_e(la)} følger en av variantene "
           f"{_e(lb)} har publisert.",
        en=f"{t.pct(v['a_case_share_in_b_variants'], 1)} of the closed cases in {_e(la)} follow one of the variants "
           f"{_e(lb)} published.") + "</p>")
    if v["b_top"]:
        parts.append(_table(t.pick(nb=f"Publiserte varianter i {lb}", en=f"Variants published by {lb}"),
                            ["#", t.pick(nb="Steg", en="Steps"), lb, la],
                            [[str(i + 1), _e(" → ".join(x["activities"])), pct(x["b_case_share"]), pct(x["a_case_share"])]
                             for i, x in enumerate(v["b_top"][:10])], numeric_from=2))
    parts.append("</main></body></html>")
    return "\n".join(parts)
