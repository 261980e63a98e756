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

from .collaboration_results import SMALL_UNITS
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
        return SMALL_UNITS[t.lang]
    return t.kind(str(unit)) if basis == "resource" else str(unit)


def unit_dot(t: Any, data: HandoverReport) -> str:
    """The unit graph as DOT (the process map's drawing), with a legend that speaks of units."""
    basis = data.summary["basis"]
    acts = [(_name(t, basis, u["unit"]), int(u["events"])) for u in data.units]
    edges = [(_name(t, basis, e["source_unit"]), _name(t, basis, e["target_unit"]), int(e["count"]),
              e["median_wait_hours"]) for e in data.edges]
    edges += [(START, _name(t, basis, u["unit"]), int(u["first_cases"]), None) for u in data.units if u["first_cases"]]
    edges += [(_name(t, basis, u["unit"]), END, int(u["last_cases"]), None) for u in data.units if u["last_cases"]]
    legend = t.pick(nb="Overleveringer: antall hendelser per enhet; på pilene antall overleveringer · "
                       "median venting.",
                    en="Handovers: events per unit; on the arrows handovers · median waiting.")
    return draw_map(acts, edges, keep_paths=1.0, lang=t.lang, legend=legend).dot


def _contacts_note(t: Any, source: str | None) -> str:
    return t.pick(
        nb={"config": "Kontaktene er aktivitetene i [logs.NAVN.contacts] i konfigurasjonsfilen.",
            "noark5": "Kontaktene er journalposttypene I (inngående) og U (utgående) i Noark 5-uttrekket.",
            "none": "Ingen kontakter er satt opp: skriv dem i [logs.NAVN.contacts] (incoming, outgoing) i "
                    "konfigurasjonsfilen."}.get(source or "", ""),
        en={"config": "The contacts are the activities in [logs.NAME.contacts] of the config file.",
            "noark5": "The contacts are the Noark 5 journal post types I (incoming) and U (outgoing).",
            "none": "No contacts are configured: list them in [logs.NAME.contacts] (incoming, outgoing) of the "
                    "config file."}.get(source or "", ""))


def render(t: Any, data: HandoverReport, *, map_svg: str | None, named_svg: Any) -> str:
    """The section's HTML (an h2 and its content); `map_svg` is Graphviz's drawing of `unit_dot`."""
    def e(x: Any) -> str:
        return html.escape("" if x is None else str(x), quote=True)

    s = data.summary
    basis = s["basis"]
    title = t.pick(nb="Samhandling", en="Handovers")
    intro = t.pick(nb="Hvordan sakene går mellom enhetene. En overlevering er to påfølgende hendelser i en sak hos "
                      "ulike enheter; en sak som kommer tilbake til en enhet den har vært hos, går fram og tilbake.",
                   en="How cases pass between units. A handover is two consecutive events of a case in different "
                      "units; a case that comes back to a unit it has been in goes back and forth (ping-pong).")
    out = [f'<h2 id="handovers">{e(title)}</h2><p class="intro">{e(intro)}</p>']
    if basis == "resource":
        note = t.pick(nb="Loggen har ingen enhetskolonne: overleveringene vises mellom typer ressurser, aldri mellom "
                         "personer.",
                      en="The log has no unit column: handovers are shown between kinds of resources, never between "
                         "people.")
        out.append(f'<p class="callout">{e(note)}</p>')
    elif basis == "none":
        note = t.pick(nb="Loggen har verken enheter eller ressurser.", en="The log has neither units nor resources.")
        out.append(f'<p>{e(note)}</p>')
    if basis == "unit" and any(u["unit"] is None for u in data.units):
        note = t.pick(nb=f"Enheter der færre enn {MIN_PEOPLE} personer har arbeidet, vises samlet som "
                         f"«{SMALL_UNITS['nb']}».",
                      en=f"Units where fewer than {MIN_PEOPLE} people worked are shown merged as "
                         f"“{SMALL_UNITS['en']}”.")
        out.append(f'<p class="intro">{e(note)}</p>')
    if s.get("hidden_units"):
        n = s["hidden_units"]
        note = t.pick(nb=f"{n} små enheter har til sammen færre enn {MIN_PEOPLE} personer og er utelatt.",
                      en=f"{n} small units together have fewer than {MIN_PEOPLE} people and are left out.")
        out.append(f'<p class="intro">{e(note)}</p>')
    cases = s.get("cases") or 0
    share = s["cases_with_handover"] / cases if cases else None
    kpis = [
        (t.int(s.get("cases_with_handover")),
         t.pick(nb="saker med overlevering", en="cases with a handover") + f" ({t.pct(share)})"),
        (t.pct(s.get("ping_pong_share"), 1), t.pick(nb="saker fram og tilbake", en="cases going back and forth")),
        (t.num(s.get("median_units_per_case"), 1), t.pick(nb="median enheter per sak", en="median units per case")),
        (t.hours(s.get("median_handover_wait_hours")),
         t.pick(nb="median venting ved en overlevering", en="median wait at a handover")),
        (t.pct(s.get("multi_voice_share"), 1), t.pick(nb="hørte fra flere enheter", en="heard from several units")),
        (t.pct(s.get("repeat_door_share"), 1),
         t.pick(nb="tok kontakt flere ganger", en="got in touch more than once")),
        (t.int(s.get("letters_saved")), t.pick(nb="brev spart med én stemme ut", en="letters saved by one voice out")),
    ]
    out.append('<div class="kpis">' + "".join(f'<div class="kpi"><b>{e(v)}</b><span>{e(k)}</span></div>'
                                              for v, k in kpis) + "</div>")
    out.append(f'<p class="intro">{e(_contacts_note(t, s.get("contacts_source")))}</p>')
    if data.edges:
        graph = t.pick(nb="Overleveringer mellom enhetene", en="Handovers between units")
        if map_svg:
            desc = t.pick(nb=f"{len(data.units)} enheter og {len(data.edges)} overleveringer; de vanligste står i "
                             f"tabellen under.",
                          en=f"{len(data.units)} units and {len(data.edges)} handovers; the most common are in the "
                             f"table below.")
            drawn = named_svg(map_svg, id="handover-map", title=graph, desc=desc)
            out.append(f'<div class="map units-map" role="region" tabindex="0" aria-label="{e(graph)}">{drawn}</div>')
        head = [t.pick(nb="Fra", en="From"), t.pick(nb="Til", en="To"), t.pick(nb="Antall", en="Count"),
                t.pick(nb="Saker", en="Cases"), t.pick(nb="Median venting", en="Median wait"),
                t.pick(nb="Tilbake", en="Returns")]
        top = t.pick(nb="Vanligste overleveringer", en="Most common handovers")
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
    out.append(f'<h3>{e(t.pick(nb="Sløyfer i prosessen", en="Loops in the process"))}</h3>')
    if loops:
        repeat = t.pick(nb="saker gjentar et av stegene", en="cases repeat one of the steps")
        out.append('<ul class="ev">' + "".join(
            f'<li>{e(" · ".join(loop["activities"]))} – {e(t.int(loop["cases_repeating"]))} {e(repeat)}</li>'
            for loop in loops) + "</ul>")
    else:
        out.append(f'<p>{e(t.pick(nb="Ingen funnet.", en="None found."))}</p>')
    return "".join(out)
