"""compare.html: the comparison as one self-contained page (no scripts, no outside files), bokmål by default."""
from __future__ import annotations

import html
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from .report import Text, scrolling_tables

CSS = """
body{font-family:system-ui,sans-serif;margin:2rem auto;max-width:70rem;color:#222;line-height:1.4}
h1{font-size:1.6rem}h2{font-size:1.2rem;margin-top:2rem;border-bottom:1px solid #ccc}
table{border-collapse:collapse;margin:.5rem 0;font-size:.9rem}
th,td{border:1px solid #ddd;padding:.25rem .5rem;text-align:left}td.n{text-align:right}
.note{background:#fff4d6;border-left:4px solid #e0a800;padding:.4rem .8rem;margin:.3rem 0}
.better{color:#17692a}.worse{color:#a3201a}.muted{color:#5f5f5f}
.scroll{overflow-x:auto;max-width:100%}.scroll:focus{outline:3px solid #2b5d8a;outline-offset:2px}
@media (max-width:480px){body{margin:1rem .6rem}}
"""


def _esc(x: Any) -> str:
    return html.escape(str(x))


def _table(head: list[str], rows: list[list[str]], numeric_from: int = 1) -> str:
    th = "".join(f"<th>{_esc(h)}</th>" for h in head)
    body = "".join("<tr>" + "".join(
        f'<td class="n">{c}</td>' if i >= numeric_from else f"<td>{c}</td>" for i, c in enumerate(r)) + "</tr>"
        for r in rows)
    return f"<table><thead><tr>{th}</tr></thead><tbody>{body}</tbody></table>"


def _ci(t: Text, ci: list[float | None] | None, fmt) -> str:
    if not ci or ci[0] is None:
        return "–"
    return f"{fmt(ci[0])} – {fmt(ci[1])}"


def note_text(t: Text, n: dict[str, Any]) -> str:
    """One of compare's notes (`code` and values) as a sentence; the explorer's compare page shows the same."""
    code = n["code"]
    if code == "volume_changed":
        return t.tr("compare_report.volume_changed_by_cases", change=t.pct(n['value']))
    if code == "case_mix_changed":
        attrs = ", ".join(t.quote(a) for a in n["attributes"])
        return t.tr("compare_report.the_case_mix_changed", attrs=attrs)
    if code == "open_cases_censored":
        return t.tr("compare_report.cases_were_still_open", open_cases=t.int(n['value']))
    if code == "few_shared_activities":
        return t.tr("compare_report.only_activities_occur_on", shared=t.int(n['value']))
    return _esc(code)


def status_names(t: Text) -> dict[str, str]:
    """A process-map edge's change (`dfg[].status`) in words."""
    return {"appeared": t.tr("compare_report.appeared"), "vanished": t.tr("compare_report.vanished"),
            "changed_frequency": t.tr("compare_report.frequency_changed"),
            "changed_time": t.tr("compare_report.time_changed"),
            "changed_frequency_and_time": t.tr("compare_report.frequency_and_time_changed")}


def render(result: dict[str, Any], *, lang: str = "nb") -> str:
    """The page for one comparison (`mining.compare.compare`'s result)."""
    t = Text(lang)
    a, b = result["a"], result["b"]
    la, lb = _esc(a["label"] if a["log"] == b["log"] else a["log"]), _esc(b["label"] if a["log"] == b["log"]
                                                                           else b["log"])
    days = lambda x: t.num(x, 1) if x is not None else "–"  # noqa: E731
    hours = lambda x: t.num(x, 1) if x is not None else "–"  # noqa: E731
    parts = [f"<!DOCTYPE html><html lang=\"{'nb' if lang == 'nb' else 'en'}\"><head><meta charset=\"utf-8\">"
             f'<meta name="viewport" content="width=device-width, initial-scale=1">'
             f"<title>{t.tr('compare_report.comparison')}: {la} – {lb}</title>"
             f"<style>{CSS}</style></head><body>",
             f"<h1>{t.tr('compare_report.gains_realised')}: {la} → {lb}</h1>"]
    parts.append(_table(
        [t.tr("compare_report.side"), t.tr("compare_report.log"), t.tr("compare_report.cases"),
         t.tr("compare_report.closed"), t.tr("compare_report.cases_per_year"),
         t.tr("compare_report.events"), t.tr("compare_report.variants")],
        [[la, _esc(a["log"]), t.int(a["cases"]), t.int(a["closed_cases"]), t.int(a["cases_per_year"]),
          t.int(a["events"]), t.int(a["variants"])],
         [lb, _esc(b["log"]), t.int(b["cases"]), t.int(b["closed_cases"]), t.int(b["cases_per_year"]),
          t.int(b["events"]), t.int(b["variants"])]], numeric_from=2))
    for n in result["notes"]:
        parts.append(f'<div class="note">{_esc(note_text(t, n))}</div>')

    parts.append(f"<h2>{t.tr('compare_report.gains_per_year')}</h2>")
    g = result["gains"]
    ci_word = t.tr("compare_report.95_confidence_interval")
    rows = [
        [t.tr("compare_report.hours_saved_processing"),
         hours(g["hours_per_year"]["processing"]["value"]),
         _ci(t, g["hours_per_year"]["processing"]["ci"], hours),
         _esc(g["hours_per_year"]["processing"]["basis"] or t.tr("compare_report.not_measured"))],
        [t.tr("compare_report.hours_saved_waiting"), hours(g["hours_per_year"]["waiting"]["value"]),
         _ci(t, g["hours_per_year"]["waiting"]["ci"], hours), t.tr("compare_report.waiting")],
        [t.tr("compare_report.nok_saved"), t.int(g["nok_per_year"]["value"]),
         _ci(t, g["nok_per_year"]["ci"], t.int),
         t.tr("compare_report.hours_nok", hourly_cost=t.int(g['nok_per_year']['hourly_cost']))],
        [t.tr("compare_report.cases_spared_rework"), t.num(g["rework_cases_per_year"]["value"], 0),
         _ci(t, g["rework_cases_per_year"]["ci"], lambda x: t.num(x, 0)), ""],
    ]
    parts.append(_table([t.tr("compare_report.gain"), t.tr("compare_report.per_year"), ci_word,
                         t.tr("compare_report.basis")], rows))
    parts.append(f'<p class="muted">{t.tr("compare_report.hours_are_working_hours")}</p>')

    parts.append(f"<h2>{t.tr('compare_report.lead_time_days')}</h2>")
    lt = result["lead_time"]
    rows = []
    for key, name in (("median_days", t.tr("compare_report.median")), ("p90_days", "P90")):
        e = lt[key]
        rows.append([name, days(e["a"]), _ci(t, e["a_ci"], days), days(e["b"]), _ci(t, e["b_ci"], days),
                     _diff(t, e, days, lower_is_better=True)])
    if "share_within_target" in lt:
        e = lt["share_within_target"]
        pct = lambda x: t.pct(x, 1)  # noqa: E731
        rows.append([t.tr("compare_report.share_within_days", target_days=t.num(e['target_days'], 0)),
                     pct(e["a"]), _ci(t, e["a_ci"], pct), pct(e["b"]), _ci(t, e["b_ci"], pct),
                     _diff(t, e, pct, lower_is_better=False)])
    parts.append(_table(["", la, ci_word, lb, ci_word, t.tr("compare_report.difference")], rows))

    acts = result["activities"]
    parts.append(f"<h2>{t.tr('compare_report.activities_and_waiting')}</h2>")
    if acts["removed"] or acts["added"]:
        parts.append("<p>" + t.tr("compare_report.removed") + ": " +
                     (", ".join(_esc(x) for x in acts["removed"]) or "–") + "<br>" + t.tr("compare_report.added") +
                     ": " + (", ".join(_esc(x) for x in acts["added"]) or "–") + "</p>")
    rows = []
    for r in acts["rows"]:
        who = {"a": la, "b": lb}.get(r["waits_less_in"] or "", t.tr("compare_report.no_clear_difference"))
        rows.append([_esc(r["activity"]), t.int(r["a_events"]), t.int(r["b_events"]),
                     hours(r["a_mean_wait_hours"]), hours(r["b_mean_wait_hours"]),
                     _ci(t, r["mean_wait_difference_ci"], hours), who])
    parts.append(_table([t.tr("compare_report.activity"), f"{la}: n", f"{lb}: n",
                         f"{la}: " + t.tr("compare_report.mean_wait_h"),
                         f"{lb}: " + t.tr("compare_report.mean_wait_h"),
                         t.tr("compare_report.difference_95_ci"),
                         t.tr("compare_report.waits_less")], rows))

    changed = [d for d in result["dfg"] if d["status"] != "same"]
    parts.append(f"<h2>{t.tr('compare_report.changes_in_the_process')}</h2>")
    status = status_names(t)
    parts.append(_table(
        [t.tr("compare_report.from"), t.tr("compare_report.to"), t.tr("compare_report.change"),
         f"{la}: " + t.tr("compare_report.case_share"), f"{lb}: " + t.tr("compare_report.case_share"),
         f"{la}: " + t.tr("compare_report.median_h"), f"{lb}: " + t.tr("compare_report.median_h")],
        [[_esc(d["source"]), _esc(d["target"]), status.get(d["status"], d["status"]), t.pct(d["a_case_share"], 1),
          t.pct(d["b_case_share"], 1), hours(d["a_median_hours"]), hours(d["b_median_hours"])] for d in changed],
        numeric_from=3) if changed else f"<p>{t.tr('compare_report.no_significant_changes')}</p>")

    parts.extend(_collaboration(t, result.get("collaboration"), la, lb))

    v = result["variants"]
    shared = t.tr("compare_report.variants_in_in_shared", a_variants=t.int(v['a_variants']), la=la,
                  b_variants=t.int(v['b_variants']), lb=lb, shared_variants=t.int(v['shared_variants']),
                  b_case_share_in_a_variants=t.pct(v['b_case_share_in_a_variants']))
    parts.append(f"<h2>{t.tr('compare_report.variants')}</h2><p>" + shared + "</p>")
    for side, label in (("a_top", la), ("b_top", lb)):
        parts.append(f"<h3>{label}</h3>" + _table(
            ["#", t.tr("compare_report.activities"), t.tr("compare_report.share")],
            [[str(x["variant_id"]), _esc(" → ".join(x["activities"])), t.pct(x["case_share"], 1)] for x in v[side]],
            numeric_from=2))

    if result["case_mix"]:
        parts.append(f"<h2>{t.tr('compare_report.case_mix')}</h2>")
        rows = []
        for m in result["case_mix"][:8]:
            for lv in m["levels"]:
                rows.append([_esc(m["attribute"]), _esc(lv["level"]), t.pct(lv["a_share"], 1), t.pct(lv["b_share"], 1),
                             days(lv["a_median_lead_days"]), days(lv["b_median_lead_days"])])
        parts.append(_table([t.tr("compare_report.attribute"), t.tr("compare_report.value"),
                             f"{la}: " + t.tr("compare_report.share_word"), f"{lb}: " + t.tr("compare_report.share_word"),
                             f"{la}: " + t.tr("compare_report.median_lead_time"),
                             f"{lb}: " + t.tr("compare_report.median_lead_time")], rows, numeric_from=2))

    like = result.get("like_for_like")
    if like:
        attr = _esc(like["attribute"])
        parts.append(f"<h2>{t.tr('compare_report.like_with_like')}</h2>")
        parts.append("<p>" + t.tr("compare_report.weighted_to_the_case", la=la, lb=lb, attr=attr,
                                  b_cases_matched_share=t.pct(like['b_cases_matched_share'], 1)) + "</p>")
        pct = lambda x: t.pct(x, 1)  # noqa: E731
        rows = []
        for key, name, fmt in (
                ("proc_working_hours", t.tr("compare_report.processing_per_case_h"), hours),
                ("wait_working_hours", t.tr("compare_report.waiting_per_case_h"), hours),
                ("lead_days", t.tr("compare_report.mean_lead_time_days"), days),
                ("rework", t.tr("compare_report.share_with_rework"), pct)):
            e = like[key]
            rows.append([name, fmt(e["a"]), fmt(e["b"]), _diff(t, e, fmt, lower_is_better=True)])
        parts.append(_table(["", f"{la} " + t.tr("compare_report.adjusted"), lb,
                             t.tr("compare_report.difference")], rows))
        g = like["gains"]["hours_per_year"]
        parts.append('<p class="muted">' + t.tr("compare_report.gain_at_the_same",
                                                processing=hours(g['processing']['value']),
                                                waiting=hours(g['waiting']['value'])) + "</p>")

    parts.append(f"<h2>{t.tr('compare_report.cases_per_month')}</h2>")
    parts.append(_table([t.tr("compare_report.month"), la, lb],
                        [[_esc(m["month"][:7]), t.int(m["a_cases_started"]), t.int(m["b_cases_started"])]
                         for m in result["monthly"]]))
    parts.append("</body></html>")
    return scrolling_tables("\n".join(parts))


def collaboration_table(t: Text, c: dict[str, Any], la: str, lb: str) -> tuple[list[str], list[list[str]]]:
    """The handover and contact figures per closed case on each side as (header, rows), for compare.html
    and the explorer's compare page alike."""
    a, b = c["a"], c["b"]
    num = lambda x: t.num(x, 2) if x is not None else "–"  # noqa: E731
    pct = lambda x: t.pct(x, 1) if x is not None else "–"  # noqa: E731
    p = lambda x: t.num(x, 3) if x is not None else "–"  # noqa: E731
    rows = [
        [t.tr("compare_report.handovers_per_case"), num(a["handovers_per_case"]),
         num(b["handovers_per_case"]), num(c["handovers_per_case_change"]), ""],
        [t.tr("compare_report.share_of_cases_returning"),
         pct(a["ping_pong_share"]), pct(b["ping_pong_share"]), pct(c["ping_pong_share_change"]), p(c["ping_pong_p"])],
        [t.tr("compare_report.letters_out_per_case"), num(a["voices_per_case"]),
         num(b["voices_per_case"]), num(c["voices_per_case_change"]), ""],
        [t.tr("compare_report.share_of_cases_hearing"),
         pct(a["multi_voice_share"]), pct(b["multi_voice_share"]), pct(c["multi_voice_share_change"]),
         p(c["multi_voice_p"])],
        [t.tr("compare_report.share_of_cases_where"),
         pct(a["repeat_door_share"]), pct(b["repeat_door_share"]), pct(c["repeat_door_share_change"]),
         p(c["repeat_door_p"])],
    ]
    return ["", la, lb, t.tr("compare_report.change"), t.tr("compare_report.p_two_proportions")], rows


def collaboration_note(t: Text, c: dict[str, Any], la: str, lb: str) -> str:
    return t.tr("compare_report.closed_cases_in_in",
                cases_a=t.int(c['a']['cases']), la=la, cases_b=t.int(c['b']['cases']), lb=lb)


def has_collaboration(c: dict[str, Any] | None) -> bool:
    """Whether either side has units, people handing over, or contacts to compare."""
    return bool(c) and not (c["a"]["basis"] == "none" and c["b"]["basis"] == "none"
                            and not (c["a"]["voices_per_case"] or c["b"]["voices_per_case"]))


def _collaboration(t: Text, c: dict[str, Any] | None, la: str, lb: str) -> list[str]:
    """Handovers between units and the citizen's doors and voices, per closed case on each side."""
    if not c:
        return []
    out = [f"<h2>{t.tr('compare_report.handovers_and_contact_with')}</h2>"]
    if not has_collaboration(c):
        return out + [f"<p>{t.tr('compare_report.neither_log_has_units')}</p>"]
    head, rows = collaboration_table(t, c, la, lb)
    out.append(_table(head, rows))
    out.append(f'<p class="muted">{_esc(collaboration_note(t, c, la, lb))}</p>')
    return out


def _diff(t: Text, e: dict[str, Any], fmt, *, lower_is_better: bool) -> str:
    d = e["difference"]
    if d is None:
        return "–"
    text = f"{'+' if d > 0 else ''}{fmt(d)} ({_ci(t, e['difference_ci'], fmt)})"
    if not e["significant"]:
        return f'<span class="muted">{text}</span>'
    better = (d < 0) == lower_is_better
    return f'<span class="{"better" if better else "worse"}">{text}</span>'


def _json_default(x: Any) -> Any:
    if hasattr(x, "isoformat"):
        return x.isoformat()
    if hasattr(x, "item"):  # numpy scalars
        return x.item()
    raise TypeError(f"not JSON serialisable: {type(x).__name__}")


def write(result: dict[str, Any], out_dir: str | Path, *, lang: str = "nb",
          page: Callable[..., str] | None = None) -> list[Path]:
    """Write compare.json and compare.html into `out_dir`; returns the two paths. `page` renders the html
    (a comparison with a published bundle has its own, `mining.bundle_compare_report.render`)."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    js, html_file = out / "compare.json", out / "compare.html"
    js.write_text(json.dumps(result, ensure_ascii=False, indent=2, default=_json_default) + "\n", encoding="utf-8")
    html_file.write_text((page or render)(result, lang=lang), encoding="utf-8")
    return [js, html_file]
