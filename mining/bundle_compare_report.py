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
        return t.tr("bundle_compare_report.at_least", iv_low=fmt(iv[0]))
    return f"{fmt(iv[0])} – {fmt(iv[1])}"


def _verdict(t: Text, d: dict[str, Any], fmt) -> str:
    if d["difference"] is None:
        return "–"
    text = f"{'+' if d['difference'] > 0 else ''}{fmt(d['difference'])}"
    return text + (" " + t.tr("bundle_compare_report.significant") if d["significant"]
                   else " " + t.tr("bundle_compare_report.may_be_noise"))


def render(result: dict[str, Any], *, lang: str = "nb") -> str:
    t = Text(lang)
    a, b = result["a"], result["b"]
    la, lb = a["label"], b["label"]
    title = t.tr("bundle_compare_report.comparison_and_published_figures", la=la, lb=lb)
    meta = [f"{lb}: ε = {t.num(b['epsilon'], 2)}, {b['first_month']}–{b['last_month']}",
            f"{la}: {a['first_month']}–{a['last_month']}"]
    parts = [page_start(lang, title, meta, PAGE_CSS)]
    parts.append('<p class="privacy">' + t.tr("bundle_compare_report.the_figures_of_carry", lb=_e(lb)) + "</p>")
    days = lambda x: t.num(x, 1)  # noqa: E731
    hours = lambda x: t.hours(x)  # noqa: E731
    lt = result["lead_time"]
    vol = result["volume"]["cases_per_year"]
    parts.append(f"<h2>{t.tr('bundle_compare_report.lead_time_and_volume')}</h2>")
    head = ["", la, lb, t.tr("bundle_compare_report.95_interval") + f" ({lb})",
            t.tr("bundle_compare_report.difference")]
    rows = [[t.tr("bundle_compare_report.median_lead_time_days"), days(lt["median_days"]["a"]),
             days(lt["median_days"]["b"]), _iv(t, lt["median_days"]["b_interval"], days),
             _verdict(t, lt["median_days"], days)],
            [t.tr("bundle_compare_report.90th_percentile_days"), days(lt["p90_days"]["a"]),
             days(lt["p90_days"]["b"]), _iv(t, lt["p90_days"]["b_interval"], days), _verdict(t, lt["p90_days"], days)],
            [t.tr("bundle_compare_report.cases_per_year"), t.int(vol["a"]), t.int(vol["b"]),
             _iv(t, vol["b_interval"], t.int), _verdict(t, vol, t.int)]]
    parts.append(_table(t.tr("bundle_compare_report.lead_time_and_volume"), head, rows))

    changed = [d for d in result["dfg"] if d["status"] not in ("same", "below_threshold")]
    parts.append(f"<h2>{t.tr('bundle_compare_report.differences_in_the_process')}</h2>")
    status = {"appeared": t.tr("bundle_compare_report.only_in_b", lb=lb),
              "vanished": t.tr("bundle_compare_report.only_in_a", la=la),
              "changed_frequency": t.tr("bundle_compare_report.frequency_differs")}
    pct = lambda x: t.pct(x, 1)  # noqa: E731
    if changed:
        parts.append(_table(
            t.tr("bundle_compare_report.transitions_that_differ_signific"),
            [t.tr("bundle_compare_report.from_to"), t.tr("bundle_compare_report.difference"),
             f"{la}: " + t.tr("bundle_compare_report.case_share"), f"{lb}: " + t.tr("bundle_compare_report.case_share"),
             t.tr("bundle_compare_report.95_interval") + f" ({lb})"],
            [[_e(f"{d['source']} → {d['target']}"), status[d["status"]], pct(d["a_case_share"]),
              pct(d["b_case_share"]) if d["b_case_share"] is not None else "–", _iv(t, d["b_interval"], pct)]
             for d in changed[:40]], numeric_from=2))
    else:
        parts.append("<p>" + t.tr("bundle_compare_report.no_significant_differences") + "</p>")

    rows = [r for r in result["activities"]["rows"] if r["in"] == "both"]
    parts.append(f"<h2>{t.tr('bundle_compare_report.waiting_per_step')}</h2>")
    parts.append(_table(
        t.tr("bundle_compare_report.median_wait_before_the"),
        [t.tr("bundle_compare_report.step"), la, lb, t.tr("bundle_compare_report.95_interval") + f" ({lb})",
         t.tr("bundle_compare_report.difference")],
        [[_e(r["activity"]), hours(r["median_wait_hours"]["a"]) if r["median_wait_hours"]["a"] is not None else "–",
          hours(r["median_wait_hours"]["b"]) if r["median_wait_hours"]["b"] is not None else "–",
          _iv(t, r["median_wait_hours"]["b_interval"], hours), _verdict(t, r["median_wait_hours"], hours)]
         for r in rows[:40]]))

    v = result["variants"]
    followed = t.tr("bundle_compare_report.of_the_closed_cases",
                    a_case_share_in_b_variants=t.pct(v['a_case_share_in_b_variants'], 1), la=_e(la), lb=_e(lb))
    parts.append(f"<h2>{t.tr('bundle_compare_report.variants')}</h2><p>" + followed + "</p>")
    if v["b_top"]:
        parts.append(_table(t.tr("bundle_compare_report.variants_published_by", lb=lb),
                            ["#", t.tr("bundle_compare_report.steps"), lb, la],
                            [[str(i + 1), _e(" → ".join(x["activities"])), pct(x["b_case_share"]), pct(x["a_case_share"])]
                             for i, x in enumerate(v["b_top"][:10])], numeric_from=2))
    parts.append("</main></body></html>")
    return "\n".join(parts)
