"""report.html: one self-contained page a process owner opens and reads without Python.

Norwegian bokmål by default (`lang="en"` for English). Everything is inline: the process map is the
SVG that Graphviz `dot -Tsvg` draws from `process_map.dot`, plots are small hand-drawn SVGs, styles sit
in the page. No scripts, no external fonts or images, so the file can be mailed or archived as it is.
`Text` also phrases the evidence sentences of the other insight modules in the same language.
"""
from __future__ import annotations

import html
import logging
import math
import re
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from . import wording

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Text:
    """Numbers and words in one language: `nb` (1 234,5 · 12 % · «x») or `en` (1,234.5 · 12% · “x”).

    The pages' side of `wording`: any language but `nb` reads as English, and durations are written in
    hours (`wording.hours(scale="hours")`), where the explorer's `Translator` picks min, h or d.
    """

    lang: str = "nb"

    def tr(self, key: str, **values: object) -> str:
        """The text of a `wording` key in this language."""
        return wording.tr(key, "nb" if self.lang == "nb" else "en", **values)

    def num(self, x: float | int | None, digits: int = 0) -> str:
        return wording.num(x, lang=self.lang, digits=digits)

    def int(self, x: float | int | None) -> str:
        return wording.num(x, lang=self.lang, digits=0)

    def hours(self, x: float | None, *, days: bool = False) -> str:
        return wording.hours(x, lang=self.lang, scale="hours", days=days)

    def pct(self, share: float | None, digits: int = 0) -> str:
        return wording.pct(share, lang=self.lang, digits=digits)

    def p(self, value: float | None) -> str:
        """A p-value with its relation: "= 0,158" or "< 0,001"."""
        if value is None or (isinstance(value, float) and not math.isfinite(value)):
            return "= –"
        if value < 0.001:
            return "< " + self.num(0.001, 3)
        return "= " + self.num(value, 3)

    def quote(self, name: str) -> str:
        return wording.quote(name, lang=self.lang)

    def kind(self, kind: str) -> str:
        key = f"report.kind.{kind}"
        return self.tr(key) if wording.known(key) else kind


# --- the page ----------------------------------------------------------------------------------

CSS = """
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,Helvetica,Arial,sans-serif;margin:0;color:#1d2733;
background:#f6f8fa;line-height:1.45}
main{max-width:1100px;margin:0 auto;padding:24px 28px 60px;background:#fff}
h1{margin:0 0 4px;font-size:1.7em}h2{margin-top:2.2em;border-bottom:2px solid #2b5d8a;padding-bottom:4px}
.meta{color:#5a6776;font-size:.9em}.intro{color:#3b4856}
.kpis{display:grid;grid-template-columns:repeat(auto-fit,minmax(150px,1fr));gap:12px;margin-top:12px}
.kpi{background:#eef4fa;border-radius:8px;padding:10px 12px}.kpi b{display:block;font-size:1.45em;color:#123e66}
.kpi span{font-size:.85em;color:#4a5868}
table{border-collapse:collapse;width:100%;margin:10px 0;font-size:.92em}
th,td{text-align:left;vertical-align:top;padding:6px 8px;border-bottom:1px solid #dde3ea}
th{background:#f0f3f6}td.n{text-align:right;white-space:nowrap}
.badge{display:inline-block;padding:1px 8px;border-radius:10px;font-size:.85em;background:#e4e9ef}
.b-needless{background:#fbd9d3;color:#8a1f11}.b-rule_driven{background:#dbeafc}
.b-changes_outcome{background:#e2f3e3}.b-internal{background:#fff0c2}
.callout{background:#fff7e0;border-left:4px solid #e0a800;padding:10px 14px;margin:12px 0}
.map{overflow-x:auto;border:1px solid #dde3ea;border-radius:8px;padding:8px;background:#fff}
.map svg{max-width:100%;height:auto}
.scroll{overflow-x:auto;max-width:100%}.scroll:focus,.map:focus{outline:3px solid #2b5d8a;outline-offset:2px}
ul.ev{margin:4px 0 0 18px;padding:0}ul.ev li{margin:2px 0}
figure{margin:16px 0}figcaption{font-size:.9em;color:#4a5868}
@media print{body{background:#fff}main{padding:0}.map{border:none}}
"""


def _e(s: Any) -> str:
    return html.escape("" if s is None else str(s), quote=True)


_HEADING_OR_TABLE = re.compile(r"<h[23][^>]*>(.*?)</h[23]>|<table[ >]", re.S)


def named_svg(drawn: str, *, id: str, title: str, desc: str) -> str:
    """Graphviz's SVG as one named image: `<title>` and `<desc>` first inside `<svg>`, referenced by
    `aria-labelledby` (a screen reader reads the summary instead of every node's text)."""
    end = drawn.index(">", drawn.index("<svg")) + 1
    opening = drawn[:end].replace("<svg", f'<svg role="img" aria-labelledby="{id}-title {id}-desc"', 1)
    return (f'{opening}<title id="{id}-title">{_e(title)}</title>'
            f'<desc id="{id}-desc">{_e(desc)}</desc>{drawn[end:]}')


def scrolling_tables(page: str) -> str:
    """Each table in a box of its own that scrolls sideways when the table is wider than the screen, so
    the page reflows at 320 px (WCAG 1.4.10) and only the table scrolls. The box can take focus (keyboard
    users can scroll it) and is named after the heading above the table."""
    out, last, name = [], 0, "Tabell"
    for m in _HEADING_OR_TABLE.finditer(page):
        if m.group(1) is not None:
            name = re.sub(r"<[^>]+>", "", m.group(1)).strip()
            continue
        out.append(page[last:m.start()])
        out.append(f'<div class="scroll" role="region" tabindex="0" aria-label="{_e(html.unescape(name))}">')
        last = m.start()
    out.append(page[last:])
    return "".join(out).replace("</table>", "</table></div>")


def page_start(lang: str, title: str, meta: list[str], css: str = CSS) -> str:
    """How every page Saksflyt writes begins: its language (screen readers pronounce by it), a viewport
    (it reflows at 320 px), the title, the styles, the heading and one line of facts about the run."""
    return (f'<!DOCTYPE html><html lang="{lang}"><head><meta charset="utf-8">'
            f'<meta name="viewport" content="width=device-width, initial-scale=1">'
            f'<title>{_e(title)}</title><style>{css}</style></head><body><main>'
            f'<h1>{_e(title)}</h1><p class="meta">{" · ".join(_e(m) for m in meta)}</p>')


@dataclass(frozen=True)
class ReportData:
    """Everything the page shows, gathered by `mining.report_phase` from the run's in-memory tables and facts."""

    log: str
    run_id: str
    summary: dict[str, Any]
    end_activities: tuple[str, ...]
    bottlenecks: list[Any]
    rework: list[Any]
    needless: list[Any]
    variants: list[dict[str, Any]]
    monthly: list[dict[str, Any]]
    duration_days: list[float]
    model: dict[str, Any]
    conformance: Any
    quality: dict[str, Any]
    map_svg: str | None
    mandatory: tuple[str, ...] = ()
    map_edges: tuple[dict[str, Any], ...] = ()   # the map's transitions with counts: its text alternative
    handovers_section: str | None = None         # `report_handovers.render`'s section (None: not mined)


def _bars_monthly(t: Text, rows: list[dict[str, Any]]) -> str:
    if not rows:
        return ""
    w, h, pad_l, pad_b = 900, 220, 48, 40
    top = max(max(r["cases_started"], r["cases_finished"]) for r in rows) or 1
    n = len(rows)
    slot = (w - pad_l - 10) / n
    bw = max(1.0, slot * 0.4)
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {w} {h}" role="img" '
             f'aria-label="{_e(t.tr("report.monthly"))}">']
    for k in range(5):
        y = h - pad_b - (h - pad_b - 10) * k / 4
        parts.append(f'<line x1="{pad_l}" x2="{w - 5}" y1="{y:.1f}" y2="{y:.1f}" stroke="#e3e7ec"/>'
                     f'<text x="{pad_l - 6}" y="{y + 4:.1f}" font-size="10" text-anchor="end">'
                     f'{_e(t.int(top * k / 4))}</text>')
    step = max(1, math.ceil(n / 14))
    for i, r in enumerate(rows):
        x = pad_l + i * slot + slot * 0.1
        for j, (key, color) in enumerate((("cases_started", "#2b5d8a"), ("cases_finished", "#e0a800"))):
            bh = (h - pad_b - 10) * r[key] / top
            parts.append(f'<rect x="{x + j * bw:.1f}" y="{h - pad_b - bh:.1f}" width="{bw:.1f}" height="{bh:.1f}" '
                         f'fill="{color}"><title>{_e(r["month"])}: {_e(t.int(r[key]))}</title></rect>')
        if i % step == 0:
            parts.append(f'<text x="{x + bw:.1f}" y="{h - pad_b + 14}" font-size="10" text-anchor="middle">'
                         f'{_e(str(r["month"])[:7])}</text>')
    lx = pad_l
    for key, color in (("started", "#2b5d8a"), ("finished", "#e0a800")):
        label = t.tr(f"report.{key}")
        parts.append(f'<rect x="{lx}" y="{h - 14}" width="10" height="10" fill="{color}"/>'
                     f'<text x="{lx + 14}" y="{h - 5}" font-size="11">{_e(label)}</text>')
        lx += 110
    parts.append("</svg>")
    return "".join(parts)


def _histogram(t: Text, values: list[float]) -> str:
    vals = sorted(v for v in values if v is not None and math.isfinite(v))
    if len(vals) < 2:
        return ""
    hi = vals[min(len(vals) - 1, int(0.99 * len(vals)))] or vals[-1] or 1.0
    bins = 30
    width = hi / bins or 1.0
    counts = [0] * bins
    for v in vals:
        counts[min(bins - 1, int(v / width))] += 1
    w, h, pad_l, pad_b = 900, 200, 48, 30
    top = max(counts) or 1
    bw = (w - pad_l - 10) / bins
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {w} {h}" role="img" '
             f'aria-label="{_e(t.tr("report.durations"))}">']
    for i, c in enumerate(counts):
        bh = (h - pad_b - 10) * c / top
        x = pad_l + i * bw
        lo_d, hi_d = i * width, (i + 1) * width
        parts.append(f'<rect x="{x:.1f}" y="{h - pad_b - bh:.1f}" width="{bw * 0.9:.1f}" height="{bh:.1f}" '
                     f'fill="#2b5d8a"><title>{_e(t.num(lo_d))}–{_e(t.num(hi_d))}: {_e(t.int(c))}</title></rect>')
        if i % 5 == 0:
            parts.append(f'<text x="{x:.1f}" y="{h - pad_b + 14}" font-size="10">{_e(t.num(lo_d))}</text>')
    parts.append(f'<text x="{pad_l - 6}" y="16" font-size="10" text-anchor="end">{_e(t.int(top))}</text>')
    parts.append("</svg>")
    return "".join(parts)


def _wait_bars(t: Text, bottlenecks: list[Any]) -> str:
    rows = [b for b in bottlenecks if b.edge is None][:10]
    if not rows:
        return ""
    w, row_h, pad_l = 900, 24, 300
    h = row_h * len(rows) + 10
    top = max(b.total_wait_hours for b in rows) or 1
    label = t.tr("report.total_waiting_before_the")
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {w} {h}" role="img" aria-label="{_e(label)}">']
    for i, b in enumerate(rows):
        y = 5 + i * row_h
        bw = (w - pad_l - 140) * b.total_wait_hours / top
        color = "#c0392b" if b.internal else "#8fa3b8"
        parts.append(f'<text x="{pad_l - 8}" y="{y + 15}" font-size="12" text-anchor="end">{_e(b.activity[:45])}</text>'
                     f'<rect x="{pad_l}" y="{y + 3}" width="{bw:.1f}" height="{row_h - 8}" fill="{color}"/>'
                     f'<text x="{pad_l + bw + 6:.1f}" y="{y + 15}" font-size="11">{_e(t.hours(b.total_wait_hours))}</text>')
    parts.append("</svg>")
    return "".join(parts)


def render(data: ReportData, *, lang: str = "nb") -> str:
    """The whole page as one string: inline CSS and SVG, no scripts, nothing fetched."""
    t = Text(lang)

    def L(key: str) -> str:
        return t.tr(f"report.{key}")

    def words(group: str, key: str) -> str:
        """A word for a value the insights store (a verdict, a kind); the value itself if it has none."""
        full = f"report.{group}.{key}"
        return t.tr(full) if wording.known(full) else key

    s = data.summary
    out: list[str] = []
    add = out.append
    add(page_start("nb" if lang == "nb" else "en", f'{L("title")}: {data.log}',
                   [f'{L("generated")} {datetime.now().strftime("%Y-%m-%d %H:%M")}', f'{L("run")} {data.run_id}',
                    "Saksflyt"]))

    # KPIs
    period = f'{_date(s.get("first_event_at"))} – {_date(s.get("last_event_at"))}'
    kpis = [(L("cases"), t.int(s.get("cases"))), (L("closed"), t.int(s.get("closed_cases"))),
            (L("events"), t.int(s.get("events"))), (L("activities"), t.int(s.get("activities"))),
            (L("variants"), t.int(s.get("variants"))),
            (L("median_duration"), t.hours(s.get("median_case_duration_hours"), days=True)), (L("period"), period)]
    add(f'<h2>{_e(L("kpis"))}</h2><div class="kpis">')
    for label, value in kpis:
        add(f'<div class="kpi"><b>{_e(value)}</b><span>{_e(label)}</span></div>')
    add("</div>")
    internal = next((b for b in data.bottlenecks if b.internal and b.edge is None), None)
    cands = [n for n in data.needless if n.verdict == "needless"]
    highlights = []
    if internal is not None:
        highlights.append(f'{_e(L("worst_internal"))}: <b>{_e(internal.activity)}</b> – '
                          f'{_e(internal.evidence[-1] if len(internal.evidence) > 2 else internal.evidence[0])}')
    for n in cands[:3]:
        highlights.append(f'{_e(words("verdict", n.verdict)).capitalize()}: <b>{_e(n.activity)}</b> – '
                          f'{_e(n.evidence[-1])}')
    if highlights:
        add('<div class="callout">' + "<br>".join(highlights) + "</div>")

    # Map
    add(f'<h2>{_e(L("map"))}</h2>')
    if data.map_svg:
        n_acts = len({e["source"] for e in data.map_edges} | {e["target"] for e in data.map_edges})
        summary = t.tr("report.process_map_of_steps", n_acts=n_acts, map_edges=len(data.map_edges))
        drawn = named_svg(data.map_svg, id="map", title=L("map"), desc=summary)
        add(f'<div class="map" role="region" tabindex="0" aria-label="{_e(L("map"))}">{drawn}</div>')
        if data.map_edges:
            as_table = t.tr("report.the_process_map_as")
            add(f'<p><a href="#map-table">{_e(as_table)}</a></p><details id="map-table"><summary>{_e(as_table)}'
                f'</summary><table><tr><th>{_e(t.tr("report.from"))}</th><th>{_e(t.tr("report.to"))}'
                f'</th><th>{_e(t.tr("report.count"))}</th><th>{_e(L("cases"))}</th>'
                f'<th>{_e(t.tr("report.median_time"))}</th></tr>')
            for e in data.map_edges:
                add(f'<tr><td>{_e(e["source"])}</td><td>{_e(e["target"])}</td><td class="n">{t.int(e["count"])}</td>'
                    f'<td class="n">{t.int(e["cases"])}</td><td class="n">{_e(t.hours(e["median_hours"]))}</td></tr>')
            add("</table></details>")
    else:
        add(f'<p>{_e(L("no_map"))}</p>')

    # Bottlenecks
    add(f'<h2>{_e(L("bottlenecks"))}</h2><p class="intro">{_e(L("bottlenecks_intro"))}</p>')
    add(_wait_bars(t, data.bottlenecks))
    add(f'<table><tr><th>{_e(L("rank"))}</th><th>{_e(L("where"))}</th><th>{_e(L("internal"))}</th>'
        f'<th>{_e(L("median_wait"))}</th><th>{_e(L("total_wait"))}</th><th>{_e(L("evidence"))}</th></tr>')
    for b in data.bottlenecks[:12]:
        where = " → ".join(b.edge) if b.edge else b.activity
        badge = f'<span class="badge b-internal">{_e(L("yes"))}</span>' if b.internal else _e(L("no"))
        ev = "".join(f"<li>{_e(x)}</li>" for x in b.evidence[1:]) or ""
        add(f'<tr><td class="n">{b.rank}</td><td>{_e(where)}</td><td>{badge}</td>'
            f'<td class="n">{_e(t.hours(b.median_wait_hours, days=True))}</td>'
            f'<td class="n">{_e(t.hours(b.total_wait_hours))}</td><td><ul class="ev">{ev}</ul></td></tr>')
    add("</table>")

    # Rework
    add(f'<h2>{_e(L("rework"))}</h2><p class="intro">{_e(L("rework_intro"))}</p>')
    if data.rework:
        add(f'<table><tr><th>{_e(L("kind"))}</th><th>{_e(L("sequence"))}</th><th>{_e(L("cases"))}</th>'
            f'<th>{_e(L("share"))}</th><th>{_e(L("hours_added"))}</th><th>{_e(L("evidence"))}</th></tr>')
        for r in data.rework[:15]:
            ev = "".join(f"<li>{_e(x)}</li>" for x in r.evidence)
            add(f'<tr><td>{_e(words("rework", r.kind))}</td><td>{_e(" → ".join(r.activities))}</td>'
                f'<td class="n">{_e(t.int(r.cases))}</td><td class="n">{_e(t.pct(r.case_share, 1))}</td>'
                f'<td class="n">{_e(t.hours(r.hours_added))}</td><td><ul class="ev">{ev}</ul></td></tr>')
        add("</table>")
    else:
        add(f'<p>{_e(L("none"))}</p>')

    if data.handovers_section is not None:
        add(data.handovers_section)

    # Needless steps
    add(f'<h2>{_e(L("needless"))}</h2><p class="intro">{_e(L("needless_intro"))}</p>')
    if data.needless:
        add(f'<table><tr><th>{_e(L("step"))}</th><th>{_e(L("with_without"))}</th><th>{_e(L("verdict"))}</th>'
            f'<th>{_e(L("predicted_by"))}</th><th>{_e(L("hours_added"))}</th><th>{_e(L("evidence"))}</th></tr>')
        for n in data.needless:
            ev = "".join(f"<li>{_e(x)}</li>" for x in n.evidence[1:])
            add(f'<tr><td>{_e(n.activity)}</td><td class="n">{_e(t.int(n.cases_with))} / '
                f'{_e(t.int(n.cases_without))}</td><td><span class="badge b-{_e(n.verdict)}">'
                f'{_e(words("verdict", n.verdict))}</span></td>'
                f'<td>{_e(words("predictor", n.predicted_by))}</td>'
                f'<td class="n">{_e(t.hours(n.hours_added))}</td><td><ul class="ev">{ev}</ul></td></tr>')
        add("</table>")
    else:
        add(f'<p>{_e(L("none"))}</p>')

    # Variants
    add(f'<h2>{_e(L("variants_title"))}</h2><table><tr><th>#</th><th>{_e(L("sequence"))}</th>'
        f'<th>{_e(L("cases"))}</th><th>{_e(L("share"))}</th><th>{_e(L("median_duration"))}</th></tr>')
    for v in data.variants[:10]:
        add(f'<tr><td class="n">{v["variant_id"]}</td><td>{_e(" → ".join(v["activities"]))}</td>'
            f'<td class="n">{_e(t.int(v["cases"]))}</td><td class="n">{_e(t.pct(v["case_share"], 1))}</td>'
            f'<td class="n">{_e(t.hours(v.get("median_duration_hours"), days=True))}</td></tr>')
    add("</table>")

    # Model and conformance
    add(f'<h2>{_e(L("model"))}</h2>')
    m = data.model
    add(f'<p>{_e(t.tr("report.the_model_was_discovered"))} '
        f'<b>{_e(m.get("method"))}</b> ({_e(m.get("reason"))}); '
        f'{_e(t.tr("report.activities_in_the_model"))}: '
        f'{_e(t.int(m.get("activities_kept")))} / {_e(t.int(m.get("activities_total")))}.</p>')
    c = data.conformance
    if c is not None:
        source = t.tr("report.the_given_model_model") if c.model_source == "given" \
            else t.tr("report.the_discovered_model")
        add(f'<div class="kpis"><div class="kpi"><b>{_e(t.num(c.fitness, 3))}</b><span>{_e(L("fitness"))}</span>'
            f'</div><div class="kpi"><b>{_e(t.num(c.precision, 3))}</b><span>{_e(L("precision"))}</span></div>'
            f'<div class="kpi"><b>{_e(t.num(c.alignment_fitness, 3))}</b><span>'
            f'{_e(t.tr("report.alignment_fitness"))}</span></div></div>')
        add(f'<p class="intro">{_e(t.tr("report.measured_against"))} {_e(source)}: '
            f'{_e(t.tr("report.token_based_replay_per"))} '
            f'({_e(t.int(c.variants))} {_e(t.tr("report.variants_word"))}); '
            f'{_e(t.tr("report.alignments_on_the"))} {_e(t.int(c.aligned_variants))} '
            f'{_e(t.tr("report.most_frequent_variants"))} '
            f'({_e(t.int(c.aligned_cases))} {_e(t.tr("report.cases_word"))}).</p>')
        if c.deviations:
            add(f'<h3>{_e(L("deviations"))}</h3><table><tr><th>{_e(L("step"))}</th><th>{_e(L("cases"))}</th>'
                f'<th>{_e(L("share"))}</th><th>{_e(L("log_moves"))}</th><th>{_e(L("model_moves"))}</th></tr>')
            for d in c.deviations[:8]:
                add(f'<tr><td>{_e(d.activity)}</td><td class="n">{_e(t.int(d.cases_deviating))}</td>'
                    f'<td class="n">{_e(t.pct(d.share, 1))}</td><td class="n">{_e(t.int(d.log_moves))}</td>'
                    f'<td class="n">{_e(t.int(d.model_moves))}</td></tr>')
            add("</table>")

    # Plots
    add(f'<h2>{_e(L("plots"))}</h2>')
    add(f'<figure>{_bars_monthly(t, data.monthly)}<figcaption>{_e(L("monthly"))}</figcaption></figure>')
    add(f'<figure>{_histogram(t, data.duration_days)}<figcaption>{_e(L("durations"))}</figcaption></figure>')

    # Data quality
    add(f'<h2>{_e(L("quality"))}</h2><ul>')
    for line in _quality_lines(t, data):
        add(f"<li>{_e(line)}</li>")
    add("</ul>")

    add(f'<h2>{_e(L("definitions"))}</h2><ul>')
    for line in _definitions(t, data):
        add(f"<li>{_e(line)}</li>")
    add("</ul></main></body></html>\n")
    return scrolling_tables("".join(out))


def _date(value: Any) -> str:
    if isinstance(value, (datetime, date)):
        return value.strftime("%Y-%m-%d")
    return str(value)[:10] if value else "–"


def _quality_lines(t: Text, data: ReportData) -> list[str]:
    q, s = data.quality, data.summary
    lines: list[str] = []
    cases, closed = s.get("cases") or 0, s.get("closed_cases") or 0
    if cases:
        lines.append(t.tr("report.cases_are_not_closed",
                          open_cases=t.int(cases - closed), open_share=t.pct((cases - closed) / cases, 1),
                          end_activities=', '.join(data.end_activities)))
    if q:
        lines.append(t.tr("report.of_events_share_their", tie_share=t.pct(q.get('tie_share', 0), 1)))
        if q.get("day_precision_events"):
            lines.append(t.tr("report.events_have_a_date", day_precision_events=t.int(q['day_precision_events'])))
        lines.append(t.tr("report.of_events_have_no",
                          missing_resource_share=t.pct(q.get('missing_resource_share', 0), 1)))
        if not q.get("events_with_start_time"):
            lines.append(t.tr("report.the_log_has_no"))
        if q.get("rows_rejected"):
            lines.append(t.tr("report.rows_were_rejected_at", rows_rejected=t.int(q['rows_rejected'])))
        if q.get("suspicious_default_dates") or q.get("future_dates"):
            lines.append(t.tr("report.suspicious_dates_before_1971",
                              suspicious_default_dates=t.int(q.get('suspicious_default_dates', 0)),
                              future_dates=t.int(q.get('future_dates', 0))))
    return lines


def _definitions(t: Text, data: ReportData) -> list[str]:
    out = [
        t.tr("report.events_in_a_case"),
        t.tr("report.waiting_before_a_step"),
        t.tr("report.people_are_pseudonymised_outside"),
    ]
    if data.mandatory:
        out.append(t.tr("report.mandatory_steps_never_proposed", mandatory=', '.join(data.mandatory)))
    return out
