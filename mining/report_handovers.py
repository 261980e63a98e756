"""report.html's section on handovers between units, the citizen's doors and voices, and the loops.

`gather` reads the `handovers` phase's in-memory tables (ho_summary, ho_handovers, ho_units) in the
`report` phase; `render` writes the section: the unit graph as a named SVG (drawn by `discovery.draw_map`
from the units and handovers, START/END for where cases begin and end), the top handovers, the
doors-and-voices figures and the loops. A run of a log without units shows handovers between kinds of
resources, never between people; units with fewer than 5 people are shown merged (mining.handovers).
"""
from __future__ import annotations

import html
import json
from dataclasses import dataclass
from typing import Any

from .discovery import END, START, draw_map
from .handovers import MIN_PEOPLE

TOP_HANDOVERS = 12


@dataclass(frozen=True)
class HandoverReport:
    """What the section shows, from the run's `ho_*` tables (unit None: the merged small units)."""

    summary: dict[str, Any]
    edges: tuple[dict[str, Any], ...] = ()   # source_unit, target_unit, count, cases, median_wait_hours, returns
    units: tuple[dict[str, Any], ...] = ()   # unit, events, first_cases, last_cases


def _tables(con: Any) -> set[str]:
    return {r[0] for r in con.execute("SELECT table_name FROM duckdb_tables() WHERE table_name LIKE 'ho_%'")
            .fetchall()}


def _rows(con: Any, sql: str) -> list[dict[str, Any]]:
    cur = con.execute(sql)
    names = [d[0] for d in cur.description]
    return [dict(zip(names, r)) for r in cur.fetchall()]


def gather(con: Any) -> HandoverReport | None:
    """The `handovers` phase's tables, or None where the phase did not run (a custom phase list)."""
    found = _tables(con)
    if "ho_summary" not in found:
        return None
    rows = _rows(con, "SELECT * FROM ho_summary")
    if not rows:
        return None
    summary = rows[0]
    for key in ("loops", "voices_by_unit"):
        if isinstance(summary.get(key), str):
            summary[key] = json.loads(summary[key])
    edges: list[dict[str, Any]] = []
    units: list[dict[str, Any]] = []
    if "ho_handovers" in found:   # absent for a log without units or actors
        edges = _rows(con, "SELECT source_unit, target_unit, count, cases, median_wait_hours, returns "
                           "FROM ho_handovers ORDER BY count DESC, source_unit NULLS LAST, target_unit NULLS LAST")
    if "ho_units" in found:
        units = _rows(con, "SELECT unit, events, first_cases, last_cases FROM ho_units "
                           "ORDER BY events DESC, unit NULLS LAST")
    return HandoverReport(summary=summary, edges=tuple(edges), units=tuple(units))


def _name(t: Any, basis: str, unit: Any) -> str:
    if unit is None:
        return t.tr("collaboration.small_units")
    return t.kind(str(unit)) if basis == "resource" else str(unit)


def unit_dot(t: Any, data: HandoverReport) -> str:
    """The unit graph as DOT (the process map's drawing), with a legend that speaks of units."""
    basis = data.summary["basis"]
    acts = [(_name(t, basis, u["unit"]), int(u["events"])) for u in data.units]
    edges = [(_name(t, basis, e["source_unit"]), _name(t, basis, e["target_unit"]), int(e["count"]),
              e["median_wait_hours"]) for e in data.edges]
    edges += [(START, _name(t, basis, u["unit"]), int(u["first_cases"]), None) for u in data.units if u["first_cases"]]
    edges += [(_name(t, basis, u["unit"]), END, int(u["last_cases"]), None) for u in data.units if u["last_cases"]]
    legend = t.tr("report_handovers.handovers_events_per_unit")
    return draw_map(acts, edges, keep_paths=1.0, lang=t.lang, legend=legend).dot


def _contacts_note(t: Any, source: str | None) -> str:
    key = {"config": "report_handovers.contacts_config", "noark5": "report_handovers.contacts_noark5",
           "none": "report_handovers.contacts_none"}.get(source or "")
    return t.tr(key) if key else ""


def render(t: Any, data: HandoverReport, *, map_svg: str | None, named_svg: Any) -> str:
    """The section's HTML (an h2 and its content); `map_svg` is Graphviz's drawing of `unit_dot`."""
    def e(x: Any) -> str:
        return html.escape("" if x is None else str(x), quote=True)

    s = data.summary
    basis = s["basis"]
    title = t.tr("report_handovers.handovers")
    intro = t.tr("report_handovers.how_cases_pass_between")
    out = [f'<h2 id="handovers">{e(title)}</h2><p class="intro">{e(intro)}</p>']
    if basis == "resource":
        note = t.tr("report_handovers.the_log_has_no")
        out.append(f'<p class="callout">{e(note)}</p>')
    elif basis == "none":
        note = t.tr("report_handovers.the_log_has_neither")
        out.append(f'<p>{e(note)}</p>')
    if basis == "unit" and any(u["unit"] is None for u in data.units):
        note = t.tr("report_handovers.small_units_merged", min_people=MIN_PEOPLE,
                    small_units=t.quote(t.tr("collaboration.small_units")))
        out.append(f'<p class="intro">{e(note)}</p>')
    if s.get("hidden_units"):
        n = s["hidden_units"]
        note = t.tr("report_handovers.small_units_together_have", n=n, min_people=MIN_PEOPLE)
        out.append(f'<p class="intro">{e(note)}</p>')
    cases = s.get("cases") or 0
    share = s["cases_with_handover"] / cases if cases else None
    kpis = [
        (t.int(s.get("cases_with_handover")),
         t.tr("report_handovers.cases_with_a_handover") + f" ({t.pct(share)})"),
        (t.pct(s.get("ping_pong_share"), 1), t.tr("report_handovers.cases_going_back_and")),
        (t.num(s.get("median_units_per_case"), 1), t.tr("report_handovers.median_units_per_case")),
        (t.hours(s.get("median_handover_wait_hours")),
         t.tr("report_handovers.median_wait_at_a")),
        (t.pct(s.get("multi_voice_share"), 1), t.tr("report_handovers.heard_from_several_units")),
        (t.pct(s.get("repeat_door_share"), 1),
         t.tr("report_handovers.got_in_touch_more")),
        (t.int(s.get("letters_saved")), t.tr("report_handovers.letters_saved_by_one")),
    ]
    out.append('<div class="kpis">' + "".join(f'<div class="kpi"><b>{e(v)}</b><span>{e(k)}</span></div>'
                                              for v, k in kpis) + "</div>")
    out.append(f'<p class="intro">{e(_contacts_note(t, s.get("contacts_source")))}</p>')
    if data.edges:
        graph = t.tr("report_handovers.handovers_between_units")
        if map_svg:
            desc = t.tr("report_handovers.units_and_handovers_the", units=len(data.units), edges=len(data.edges))
            drawn = named_svg(map_svg, id="handover-map", title=graph, desc=desc)
            out.append(f'<div class="map units-map" role="region" tabindex="0" aria-label="{e(graph)}">{drawn}</div>')
        head = [t.tr("report_handovers.from"), t.tr("report_handovers.to"), t.tr("report_handovers.count"),
                t.tr("report_handovers.cases"), t.tr("report_handovers.median_wait"),
                t.tr("report_handovers.returns")]
        top = t.tr("report_handovers.most_common_handovers")
        out.append(f'<h3>{e(top)}</h3><table><caption>{e(top)}</caption><tr>'
                   + "".join(f'<th scope="col">{e(h)}</th>' for h in head) + "</tr>")
        for r in data.edges[:TOP_HANDOVERS]:
            out.append(f'<tr><td>{e(_name(t, basis, r["source_unit"]))}</td>'
                       f'<td>{e(_name(t, basis, r["target_unit"]))}</td>'
                       f'<td class="n">{e(t.int(r["count"]))}</td><td class="n">{e(t.int(r["cases"]))}</td>'
                       f'<td class="n">{e(t.hours(r["median_wait_hours"], days=True))}</td>'
                       f'<td class="n">{e(t.int(r["returns"]))}</td></tr>')
        out.append("</table>")
    loops = s.get("loops") or []
    out.append(f'<h3>{e(t.tr("report_handovers.loops_in_the_process"))}</h3>')
    if loops:
        repeat = t.tr("report_handovers.cases_repeat_one_of")
        out.append('<ul class="ev">' + "".join(
            f'<li>{e(" · ".join(loop["activities"]))} – {e(t.int(loop["cases_repeating"]))} {e(repeat)}</li>'
            for loop in loops) + "</ul>")
    else:
        out.append(f'<p>{e(t.tr("report_handovers.none_found"))}</p>')
    return "".join(out)
