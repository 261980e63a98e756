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
        return t.pick(nb=f"Volumet endret seg med {t.pct(n['value'])} saker per år: gevinstene er regnet per sak "
                         f"og ganget med volumet etter.",
                      en=f"Volume changed by {t.pct(n['value'])} cases a year: gains are computed per case and "
                         f"multiplied by the later volume.")
    if code == "case_mix_changed":
        attrs = ", ".join(t.quote(a) for a in n["attributes"])
        return t.pick(nb=f"Sakssammensetningen endret seg ({attrs}): se «Like saker sammenlignet» og tabellen "
                         f"over sakssammensetning før du tilskriver forskjellen endringen.",
                      en=f"The case mix changed ({attrs}): see «Like with like» and the case-mix table before "
                         f"crediting the change.")
    if code == "open_cases_censored":
        return t.pick(nb=f"{t.int(n['value'])} saker var ikke avsluttet ved uttrekket. Ledetid er beregnet med "
                         f"Kaplan–Meier (åpne saker teller med til uttrekket); timer per sak gjelder avsluttede saker, "
                         f"som etter endringen oftere er de raske.",
                      en=f"{t.int(n['value'])} cases were still open at extraction. Lead times use Kaplan–Meier "
                         f"(open cases count until extraction); hours per case are over closed cases, which after "
                         f"the change are more often the quick ones.")
    if code == "few_shared_activities":
        return t.pick(nb=f"Bare {t.int(n['value'])} aktiviteter finnes på begge sider: bruk en koblingsfil "
                         f"(--mapping) for aktiviteter med ulike navn.",
                      en=f"Only {t.int(n['value'])} activities occur on both sides: use a mapping file (--mapping) "
                         f"for activities named differently.")
    return _esc(code)


def status_names(t: Text) -> dict[str, str]:
    """A process-map edge's change (`dfg[].status`) in words."""
    return {"appeared": t.pick(nb="ny", en="appeared"), "vanished": t.pick(nb="borte", en="vanished"),
            "changed_frequency": t.pick(nb="endret hyppighet", en="frequency changed"),
            "changed_time": t.pick(nb="endret tid", en="time changed"),
            "changed_frequency_and_time": t.pick(nb="endret hyppighet og tid", en="frequency and time changed")}


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
             f"<title>{t.pick(nb='Sammenligning', en='Comparison')}: {la} – {lb}</title>"
             f"<style>{CSS}</style></head><body>",
             f"<h1>{t.pick(nb='Gevinster realisert', en='Gains realised')}: {la} → {lb}</h1>"]
    parts.append(_table(
        [t.pick(nb="Side", en="Side"), t.pick(nb="Logg", en="Log"), t.pick(nb="Saker", en="Cases"),
         t.pick(nb="Avsluttede", en="Closed"), t.pick(nb="Saker per år", en="Cases per year"),
         t.pick(nb="Hendelser", en="Events"), t.pick(nb="Varianter", en="Variants")],
        [[la, _esc(a["log"]), t.int(a["cases"]), t.int(a["closed_cases"]), t.int(a["cases_per_year"]),
          t.int(a["events"]), t.int(a["variants"])],
         [lb, _esc(b["log"]), t.int(b["cases"]), t.int(b["closed_cases"]), t.int(b["cases_per_year"]),
          t.int(b["events"]), t.int(b["variants"])]], numeric_from=2))
    for n in result["notes"]:
        parts.append(f'<div class="note">{_esc(note_text(t, n))}</div>')

    parts.append(f"<h2>{t.pick(nb='Gevinster per år', en='Gains per year')}</h2>")
    g = result["gains"]
    ci_word = t.pick(nb="95 % konfidensintervall", en="95% confidence interval")
    rows = [
        [t.pick(nb="Timer spart, saksbehandling", en="Hours saved, processing"),
         hours(g["hours_per_year"]["processing"]["value"]),
         _ci(t, g["hours_per_year"]["processing"]["ci"], hours),
         _esc(g["hours_per_year"]["processing"]["basis"] or t.pick(nb="ikke målt", en="not measured"))],
        [t.pick(nb="Timer spart, venting", en="Hours saved, waiting"), hours(g["hours_per_year"]["waiting"]["value"]),
         _ci(t, g["hours_per_year"]["waiting"]["ci"], hours), t.pick(nb="ventetid", en="waiting")],
        [t.pick(nb="Kroner spart", en="NOK saved"), t.int(g["nok_per_year"]["value"]),
         _ci(t, g["nok_per_year"]["ci"], t.int),
         t.pick(nb=f"timer × {t.int(g['nok_per_year']['hourly_cost'])} kr", en=f"hours × NOK "
               f"{t.int(g['nok_per_year']['hourly_cost'])}")],
        [t.pick(nb="Saker spart for omarbeid", en="Cases spared rework"), t.num(g["rework_cases_per_year"]["value"], 0),
         _ci(t, g["rework_cases_per_year"]["ci"], lambda x: t.num(x, 0)), ""],
    ]
    parts.append(_table([t.pick(nb="Gevinst", en="Gain"), t.pick(nb="Per år", en="Per year"), ci_word,
                         t.pick(nb="Grunnlag", en="Basis")], rows))
    parts.append(f'<p class="muted">{t.pick(nb="Timer er arbeidstimer. Gevinst = (før − etter) per avsluttet sak × saker per år etter.", en="Hours are working hours. Gain = (before − after) per closed case × cases per year after.")}</p>')

    parts.append(f"<h2>{t.pick(nb='Ledetid (dager)', en='Lead time (days)')}</h2>")
    lt = result["lead_time"]
    rows = []
    for key, name in (("median_days", t.pick(nb="Median", en="Median")), ("p90_days", "P90")):
        e = lt[key]
        rows.append([name, days(e["a"]), _ci(t, e["a_ci"], days), days(e["b"]), _ci(t, e["b_ci"], days),
                     _diff(t, e, days, lower_is_better=True)])
    if "share_within_target" in lt:
        e = lt["share_within_target"]
        pct = lambda x: t.pct(x, 1)  # noqa: E731
        rows.append([t.pick(nb=f"Andel innen {t.num(e['target_days'], 0)} dager",
                            en=f"Share within {t.num(e['target_days'], 0)} days"),
                     pct(e["a"]), _ci(t, e["a_ci"], pct), pct(e["b"]), _ci(t, e["b_ci"], pct),
                     _diff(t, e, pct, lower_is_better=False)])
    parts.append(_table(["", la, ci_word, lb, ci_word, t.pick(nb="Forskjell", en="Difference")], rows))

    acts = result["activities"]
    parts.append(f"<h2>{t.pick(nb='Aktiviteter og ventetid', en='Activities and waiting')}</h2>")
    if acts["removed"] or acts["added"]:
        parts.append("<p>" + t.pick(nb="Fjernet", en="Removed") + ": " +
                     (", ".join(_esc(x) for x in acts["removed"]) or "–") + "<br>" + t.pick(nb="Nye", en="Added") +
                     ": " + (", ".join(_esc(x) for x in acts["added"]) or "–") + "</p>")
    rows = []
    for r in acts["rows"]:
        who = {"a": la, "b": lb}.get(r["waits_less_in"] or "", t.pick(nb="ingen sikker forskjell", en="no clear difference"))
        rows.append([_esc(r["activity"]), t.int(r["a_events"]), t.int(r["b_events"]),
                     hours(r["a_mean_wait_hours"]), hours(r["b_mean_wait_hours"]),
                     _ci(t, r["mean_wait_difference_ci"], hours), who])
    parts.append(_table([t.pick(nb="Aktivitet", en="Activity"), f"{la}: n", f"{lb}: n",
                         f"{la}: " + t.pick(nb="snitt venting (t)", en="mean wait (h)"),
                         f"{lb}: " + t.pick(nb="snitt venting (t)", en="mean wait (h)"),
                         t.pick(nb="Forskjell, 95 % KI", en="Difference, 95% CI"),
                         t.pick(nb="Venter kortest", en="Waits less")], rows))

    changed = [d for d in result["dfg"] if d["status"] != "same"]
    parts.append(f"<h2>{t.pick(nb='Endringer i prosesskartet', en='Changes in the process map')}</h2>")
    status = status_names(t)
    parts.append(_table(
        [t.pick(nb="Fra", en="From"), t.pick(nb="Til", en="To"), t.pick(nb="Endring", en="Change"),
         f"{la}: " + t.pick(nb="andel saker", en="case share"), f"{lb}: " + t.pick(nb="andel saker", en="case share"),
         f"{la}: " + t.pick(nb="median (t)", en="median (h)"), f"{lb}: " + t.pick(nb="median (t)", en="median (h)")],
        [[_esc(d["source"]), _esc(d["target"]), status.get(d["status"], d["status"]), t.pct(d["a_case_share"], 1),
          t.pct(d["b_case_share"], 1), hours(d["a_median_hours"]), hours(d["b_median_hours"])] for d in changed],
        numeric_from=3) if changed else f"<p>{t.pick(nb='Ingen sikre endringer.', en='No significant changes.')}</p>")

    parts.extend(_collaboration(t, result.get("collaboration"), la, lb))

    v = result["variants"]
    parts.append(f"<h2>{t.pick(nb='Varianter', en='Variants')}</h2><p>" + t.pick(
        nb=f"{t.int(v['a_variants'])} varianter i {la}, {t.int(v['b_variants'])} i {lb}, {t.int(v['shared_variants'])} "
           f"felles; {t.pct(v['b_case_share_in_a_variants'])} av sakene i {lb} følger en variant fra {la}.",
        en=f"{t.int(v['a_variants'])} variants in {la}, {t.int(v['b_variants'])} in {lb}, {t.int(v['shared_variants'])} "
           f"shared; {t.pct(v['b_case_share_in_a_variants'])} of the cases in {lb} follow a variant of {la}.") + "</p>")
    for side, label in (("a_top", la), ("b_top", lb)):
        parts.append(f"<h3>{label}</h3>" + _table(
            ["#", t.pick(nb="Aktiviteter", en="Activities"), t.pick(nb="Andel", en="Share")],
            [[str(x["variant_id"]), _esc(" → ".join(x["activities"])), t.pct(x["case_share"], 1)] for x in v[side]],
            numeric_from=2))

    if result["case_mix"]:
        parts.append(f"<h2>{t.pick(nb='Sakssammensetning', en='Case mix')}</h2>")
        rows = []
        for m in result["case_mix"][:8]:
            for lv in m["levels"]:
                rows.append([_esc(m["attribute"]), _esc(lv["level"]), t.pct(lv["a_share"], 1), t.pct(lv["b_share"], 1),
                             days(lv["a_median_lead_days"]), days(lv["b_median_lead_days"])])
        parts.append(_table([t.pick(nb="Egenskap", en="Attribute"), t.pick(nb="Verdi", en="Value"),
                             f"{la}: " + t.pick(nb="andel", en="share"), f"{lb}: " + t.pick(nb="andel", en="share"),
                             f"{la}: " + t.pick(nb="median ledetid", en="median lead time"),
                             f"{lb}: " + t.pick(nb="median ledetid", en="median lead time")], rows, numeric_from=2))

    like = result.get("like_for_like")
    if like:
        attr = _esc(like["attribute"])
        parts.append(f"<h2>{t.pick(nb='Like saker sammenlignet', en='Like with like')}</h2>")
        parts.append("<p>" + t.pick(
            nb=f"{la} vektet til sakssammensetningen i {lb} etter {attr} ({t.pct(like['b_cases_matched_share'], 1)} "
               f"av de avsluttede sakene i {lb} har en verdi som også finnes i {la}).",
            en=f"{la} weighted to the case mix of {lb} by {attr} ({t.pct(like['b_cases_matched_share'], 1)} of the "
               f"closed cases in {lb} have a value {la} also has).") + "</p>")
        pct = lambda x: t.pct(x, 1)  # noqa: E731
        rows = []
        for key, name, fmt in (
                ("proc_working_hours", t.pick(nb="Behandlingstid per sak (t)", en="Processing per case (h)"), hours),
                ("wait_working_hours", t.pick(nb="Ventetid per sak (t)", en="Waiting per case (h)"), hours),
                ("lead_days", t.pick(nb="Snitt ledetid (dager)", en="Mean lead time (days)"), days),
                ("rework", t.pick(nb="Andel med omarbeid", en="Share with rework"), pct)):
            e = like[key]
            rows.append([name, fmt(e["a"]), fmt(e["b"]), _diff(t, e, fmt, lower_is_better=True)])
        parts.append(_table(["", f"{la} " + t.pick(nb="(justert)", en="(adjusted)"), lb,
                             t.pick(nb="Forskjell", en="Difference")], rows))
        g = like["gains"]["hours_per_year"]
        parts.append('<p class="muted">' + t.pick(
            nb=f"Gevinst ved lik sakssammensetning: {hours(g['processing']['value'])} behandlingstimer og "
               f"{hours(g['waiting']['value'])} ventetimer per år.",
            en=f"Gain at the same case mix: {hours(g['processing']['value'])} processing hours and "
               f"{hours(g['waiting']['value'])} waiting hours a year.") + "</p>")

    parts.append(f"<h2>{t.pick(nb='Saker per måned', en='Cases per month')}</h2>")
    parts.append(_table([t.pick(nb="Måned", en="Month"), la, lb],
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
        [t.pick(nb="Overleveringer per sak", en="Handovers per case"), num(a["handovers_per_case"]),
         num(b["handovers_per_case"]), num(c["handovers_per_case_change"]), ""],
        [t.pick(nb="Andel saker som går tilbake til en enhet", en="Share of cases returning to a unit"),
         pct(a["ping_pong_share"]), pct(b["ping_pong_share"]), pct(c["ping_pong_share_change"]), p(c["ping_pong_p"])],
        [t.pick(nb="Brev ut per sak (stemmer)", en="Letters out per case (voices)"), num(a["voices_per_case"]),
         num(b["voices_per_case"]), num(c["voices_per_case_change"]), ""],
        [t.pick(nb="Andel saker som hører fra flere enheter", en="Share of cases hearing from several units"),
         pct(a["multi_voice_share"]), pct(b["multi_voice_share"]), pct(c["multi_voice_share_change"]),
         p(c["multi_voice_p"])],
        [t.pick(nb="Andel saker der innbyggeren tok kontakt flere ganger",
                en="Share of cases where the citizen got in touch more than once"),
         pct(a["repeat_door_share"]), pct(b["repeat_door_share"]), pct(c["repeat_door_share_change"]),
         p(c["repeat_door_p"])],
    ]
    return ["", la, lb, t.pick(nb="Endring", en="Change"), t.pick(nb="p (to andeler)", en="p (two proportions)")], rows


def collaboration_note(t: Text, c: dict[str, Any], la: str, lb: str) -> str:
    return t.pick(
        nb=f"Avsluttede saker: {t.int(c['a']['cases'])} i {la}, {t.int(c['b']['cases'])} i {lb}. Overleveringer er "
           "mellom enheter (eller, uten enheter, mellom personer); kontaktpunktene er de samme som loggens egen "
           "analyse brukte.",
        en=f"Closed cases: {t.int(c['a']['cases'])} in {la}, {t.int(c['b']['cases'])} in {lb}. Handovers are between "
           "units (or, without units, between people); the contacts are the ones the log's own analysis used.")


def has_collaboration(c: dict[str, Any] | None) -> bool:
    """Whether either side has units, people handing over, or contacts to compare."""
    return bool(c) and not (c["a"]["basis"] == "none" and c["b"]["basis"] == "none"
                            and not (c["a"]["voices_per_case"] or c["b"]["voices_per_case"]))


def _collaboration(t: Text, c: dict[str, Any] | None, la: str, lb: str) -> list[str]:
    """Handovers between units and the citizen's doors and voices, per closed case on each side."""
    if not c:
        return []
    out = [f"<h2>{t.pick(nb='Samhandling: overleveringer og kontakt med innbyggeren', en='Handovers and contact with the citizen')}</h2>"]
    if not has_collaboration(c):
        return out + [f"<p>{t.pick(nb='Ingen av loggene har enheter eller kontaktpunkter.', en='Neither log has units or contacts.')}</p>"]
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
