"""Discovered models with pm4py, and the Disco-style process map.

pm4py only ever sees aggregates computed in DuckDB: the variants (distinct activity sequences with
their case counts) of the log projected onto its most frequent activities, or the directly-follows
graph of that projection. The inductive miner runs on the variants (IMf, noise 0.2) when there are
few enough of them; otherwise on the DFG (IMd: fast, 10–15 ms, but more general). Which one ran, and
why, is recorded with the model.

Outputs: a Petri net (`model.pnml`), a BPMN diagram laid out with Graphviz `dot` so bpmn.io and Camunda
draw it (`model.bpmn`), and `process_map.dot`: a map with frequencies and median times between
completions, simplified like Disco — the most frequent activities, then the most frequent paths, plus
whatever paths keep every activity reachable from the start and able to reach the end.
"""
from __future__ import annotations

import json
import logging
import math
import shutil
import subprocess
import time
from collections import Counter
from dataclasses import dataclass

import duckdb

from saksflyt.extractors.errors import ModelError

from . import report as text
from .context import MiningContext
from .findings import Model, ProcessMap, Projection  # noqa: F401  (public here too)
from .insights_results import activity_names, options_of, output

log = logging.getLogger(__name__)

US_PER_HOUR = 3_600_000_000
IM_MAX_VARIANTS = 5_000          # above this, or …
IM_MAX_VARIANT_EVENTS = 200_000  # … this many events in the distinct variants: IMd on the DFG
NOISE_THRESHOLD = 0.2
MAX_MAP_ACTIVITIES = 30
DOT_TIMEOUT_SECONDS = 120
START, END = "__start__", "__end__"


# --- projections in DuckDB ---------------------------------------------------------------------


def frequent_activities(con: duckdb.DuckDBPyConnection, *, limit: int) -> tuple[list[str], int]:
    """The `limit` activities in most cases (ties by events, then name), and how many there are."""
    rows = con.execute("""
        SELECT d.activity FROM ins_ev e JOIN ins_act d USING (aid) GROUP BY d.activity
        ORDER BY count(DISTINCT e.cid) DESC, count(*) DESC, d.activity
    """).fetchall()
    return [r[0] for r in rows[:limit]], len(rows)


def project(con: duckdb.DuckDBPyConnection, activities: list[str], *, activities_total: int) -> Projection:
    """Variants and DFG of the log restricted to `activities` (other events removed, order kept)."""
    names = activity_names(con)
    ids = [aid for aid, name in names.items() if name in set(activities)]
    con.execute("""
        CREATE OR REPLACE TEMP TABLE ins_proj AS
        SELECT cid, list(aid ORDER BY pos) AS trace
        FROM ins_ev WHERE list_contains(?, aid) GROUP BY cid
    """, [ids])
    variants = con.execute("SELECT trace, count(*) AS cases FROM ins_proj GROUP BY trace").fetchall()
    dfg = con.execute("""
        WITH p AS (SELECT trace, count(*) AS k FROM ins_proj GROUP BY trace),
        pairs AS (SELECT trace[i] AS a, trace[i + 1] AS b, k FROM p, range(1, len(trace)) AS r(i))
        SELECT a, b, sum(k) FROM pairs GROUP BY a, b
    """).fetchall()
    start = con.execute("SELECT trace[1], count(*) FROM ins_proj GROUP BY 1").fetchall()
    end = con.execute("SELECT trace[-1], count(*) FROM ins_proj GROUP BY 1").fetchall()
    cases = con.execute("SELECT count(*) FROM ins_proj").fetchone()[0]
    con.execute("DROP TABLE ins_proj")
    named = sorted(((tuple(names[a] for a in v), int(n)) for v, n in variants), key=lambda vn: (-vn[1], vn[0]))
    return Projection(activities=tuple(activities), variants=tuple(named),
                      dfg={(names[a], names[b]): int(n) for a, b, n in dfg},
                      start={names[a]: int(n) for a, n in start}, end={names[a]: int(n) for a, n in end},
                      cases=int(cases), activities_total=activities_total)


# --- discovery ---------------------------------------------------------------------------------


def discover(projection: Projection) -> Model:
    """Inductive miner on the variants (IMf) or on the DFG (IMd), chosen by size; records which and why."""
    from pm4py.algo.discovery.inductive.dtypes.im_dfg import InductiveDFG
    from pm4py.algo.discovery.inductive.dtypes.im_ds import IMDataStructureDFG, IMDataStructureUVCL
    from pm4py.algo.discovery.inductive.variants.imd import IMD
    from pm4py.algo.discovery.inductive.variants.imf import IMFUVCL
    from pm4py.objects.conversion.process_tree import converter as tree_to_net
    from pm4py.objects.dfg.obj import DFG
    from pm4py.objects.process_tree.utils import generic as tree_util

    if not projection.variants:
        raise ModelError("the log has no events to discover a model from")
    n_variants = len(projection.variants)
    n_events = sum(len(v) for v, _ in projection.variants)
    t0 = time.perf_counter()
    if n_variants <= IM_MAX_VARIANTS and n_events <= IM_MAX_VARIANT_EVENTS:
        method = "IMf"
        reason = (f"{n_variants} variants with {n_events} events in total: small enough for the inductive "
                  f"miner on the variants (IMf, noise threshold {NOISE_THRESHOLD})")
        params = {"noise_threshold": NOISE_THRESHOLD}
        uvcl = Counter(dict(projection.variants))
        # pm4py's own entry point takes a log or DataFrame; the variant-count structure goes in directly
        tree = IMFUVCL(params).apply(IMDataStructureUVCL(uvcl), params)
    else:
        method = "IMd"
        reason = (f"{n_variants} variants with {n_events} events: the inductive miner runs on the "
                  f"directly-follows graph computed in DuckDB (IMd), which is fast but more general")
        dfg = DFG(graph=Counter(projection.dfg), start_activities=Counter(projection.start),
                  end_activities=Counter(projection.end))
        tree = IMD({}).apply(IMDataStructureDFG(InductiveDFG(dfg=dfg, skip=False)), {})
    tree = tree_util.fold(tree)
    tree_util.tree_sort(tree)
    net, im, fm = tree_to_net.apply(tree)
    seconds = time.perf_counter() - t0
    return Model(net=net, initial_marking=im, final_marking=fm, source="discovered", method=method, reason=reason,
                 seconds=seconds, tree=tree,
                 settings={"activities": list(projection.activities), "variants": n_variants,
                           "variant_events": n_events, "noise_threshold": NOISE_THRESHOLD if method == "IMf" else None,
                           "reason": reason})


def pnml(model: Model) -> str:
    from pm4py.objects.petri_net.exporter.variants.pnml import export_petri_as_string

    raw = export_petri_as_string(model.net, model.initial_marking, model.final_marking)
    return raw.decode("utf-8") if isinstance(raw, bytes) else str(raw)


def bpmn(model: Model) -> tuple[str | None, bool]:
    """BPMN 2.0 XML of the model and whether it carries a layout (needs Graphviz `dot`)."""
    from pm4py.objects.bpmn.exporter.variants.etree import get_xml_string
    from pm4py.objects.conversion.process_tree import converter as tree_converter

    graph = model.bpmn
    if graph is None:
        if model.tree is None:
            return None, False  # a given Petri net: no BPMN to write
        graph = tree_converter.apply(model.tree, variant=tree_converter.Variants.TO_BPMN)
    laid_out = False
    if has_dot():
        from pm4py.objects.bpmn.layout import layouter
        graph = layouter.apply(graph)
        laid_out = True
    else:
        log.warning("Graphviz `dot` not found: model.bpmn is written without a layout (run `make system-deps`)")
    raw = get_xml_string(graph)
    return (raw.decode("utf-8") if isinstance(raw, bytes) else str(raw)), laid_out


# --- the process map ---------------------------------------------------------------------------


def _reach(edges: set[tuple[str, str]], origin: str, *, forward: bool = True) -> set[str]:
    nxt: dict[str, set[str]] = {}
    for a, b in edges:
        x, y = (a, b) if forward else (b, a)
        nxt.setdefault(x, set()).add(y)
    seen, todo = {origin}, [origin]
    while todo:
        for y in nxt.get(todo.pop(), ()):
            if y not in seen:
                seen.add(y)
                todo.append(y)
    return seen


def simplify(counts: dict[tuple[str, str], int], nodes: set[str], *, keep_paths: float) -> set[tuple[str, str]]:
    """The most frequent edges covering `keep_paths` of all transitions, plus the most frequent edges
    needed so that every node is reachable from START and reaches END (Disco keeps maps connected)."""
    ordered = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    total = sum(counts.values()) or 1
    kept: set[tuple[str, str]] = set()
    covered = 0
    for edge, n in ordered:
        if covered >= keep_paths * total:
            break
        kept.add(edge)
        covered += n
    for forward in (True, False):
        origin = START if forward else END
        while True:
            reached = _reach(kept, origin, forward=forward)
            missing = nodes - reached
            if not missing:
                break
            # the most frequent edge from the reached part into the rest (or, backwards, out of the rest)
            bridge = next(((a, b) for (a, b), _ in ordered
                           if ((a in reached and b in missing) if forward else (b in reached and a in missing))),
                          None)
            if bridge is None:
                break
            kept.add(bridge)
    return kept


def process_map(con: duckdb.DuckDBPyConnection, *, keep_activities: float = 1.0, keep_paths: float = 0.8,
                max_activities: int = MAX_MAP_ACTIVITIES, lang: str = "nb") -> ProcessMap:
    """Disco-style map of the log: node and edge frequencies, median time between completions on edges."""
    names = activity_names(con) | {-1: START, -2: END}
    acts = con.execute("SELECT aid, count(*) AS n FROM ins_ev GROUP BY aid").fetchall()
    acts.sort(key=lambda an: (-an[1], names[an[0]]))
    kept_ids = [a for a, _ in acts[:_map_size(len(acts), keep_activities, max_activities)]]
    edges = con.execute(f"""
        WITH p AS (
            SELECT aid, end_us, is_day,
                   lag(aid) OVER w AS prev_aid, lag(end_us) OVER w AS prev_end_us,
                   lag(is_day) OVER w AS prev_is_day, lead(aid) OVER w AS next_aid
            FROM ins_ev WHERE list_contains(?, aid)
            WINDOW w AS (PARTITION BY cid ORDER BY pos)
        )
        SELECT coalesce(prev_aid, -1) AS source, aid AS target, count(*) AS n,
               median((end_us - prev_end_us) / {US_PER_HOUR}) FILTER (WHERE NOT is_day AND NOT prev_is_day) AS med
        FROM p GROUP BY ALL
        UNION ALL
        SELECT aid, -2, count(*), NULL FROM p WHERE next_aid IS NULL GROUP BY aid
    """, [kept_ids]).fetchall()
    return draw_map([(names[a], n) for a, n in acts], [(names[a], names[b], n, m) for a, b, n, m in edges],
                    keep_activities=keep_activities, keep_paths=keep_paths, max_activities=max_activities, lang=lang)


def _map_size(n_activities: int, keep_activities: float, max_activities: int) -> int:
    return max(min(n_activities, 2), min(max_activities, math.ceil(keep_activities * n_activities)))


def draw_map(acts: list[tuple[str, int]], edges: list[tuple[str, str, int, float | None]], *,
             keep_activities: float = 1.0, keep_paths: float = 0.8, max_activities: int = MAX_MAP_ACTIVITIES,
             lang: str = "nb", legend: str | None = None) -> ProcessMap:
    """The map from counts: `acts` (activity, events) by frequency, `edges` (source, target, count, median
    hours) among the kept activities, with START/END for the way in and out of a case. `legend` replaces
    the process map's own caption (another graph drawn the same way, e.g. handovers between units)."""
    acts = sorted(acts, key=lambda an: (-an[1], an[0]))
    kept_acts = [a for a, _ in acts[:_map_size(len(acts), keep_activities, max_activities)]]
    freq = dict(acts)
    shown = set(kept_acts) | {START, END}   # edges touching a hidden activity are not drawn
    counts = {(a, b): int(n) for a, b, n, _ in edges if a in shown and b in shown}
    median = {(a, b): m for a, b, _, m in edges}
    kept = simplify(counts, set(kept_acts), keep_paths=keep_paths)
    dot = _dot(kept_acts, freq, kept, counts, median, lang=lang, legend=legend,
               dropped_activities=len(acts) - len(kept_acts), dropped_edges=len(counts) - len(kept))
    return ProcessMap(dot=dot, activities=tuple(kept_acts), edges=tuple(sorted(kept)),
                      activities_total=len(acts), edges_total=len(counts))


def dot_escape(s: str) -> str:
    """Text safe inside a double-quoted DOT string."""
    return s.replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ")


@dataclass(frozen=True)
class MapStyle:
    """How a map is drawn: the report's look by default. The explorer passes its own (colours, labelled
    start and end, no caption), so the report and the explorer share one DOT builder, `map_dot`."""

    graph: str = 'rankdir=TB, fontname="Helvetica", fontsize=11, labelloc=b'
    node: str = 'shape=box, style="rounded,filled", fontname="Helvetica", fontsize=11, color="#2b5d8a"'
    edge: str = 'fontname="Helvetica", fontsize=9, color="#555555", arrowsize=0.7'
    start: str = 'shape=circle, label="", width=0.3, style=filled, fillcolor="#3c9a5f", color="#3c9a5f"'
    end: str = 'shape=doublecircle, label="", width=0.25, style=filled, fillcolor="#b03a2e", color="#b03a2e"'
    lightest: int = 235                     # fill shade of an activity with no events …
    darkening: int = 120                    # … and how much darker the most frequent one is
    green: int = 20                         # the fill's green above its red and blue: a blue tint
    white_text_above: float | None = 0.75   # a node this close to the most frequent gets white text


@dataclass(frozen=True)
class MapNode:
    """One activity on a map: `count` sets its fill (relative to the largest), `figure` is shown under it."""

    activity: str
    count: int
    figure: str
    attrs: str = ""   # more DOT attributes, each with a leading ", "


@dataclass(frozen=True)
class MapEdge:
    """One arrow, START and END included: `count` sets its width (relative to the largest)."""

    source: str
    target: str
    count: int
    label: str
    attrs: str = ""   # more DOT attributes before the width, each with a leading ", "


def map_dot(nodes: list[MapNode], edges: list[MapEdge], *, style: MapStyle = MapStyle(),
            legend: str | None = None) -> str:
    """The DOT text of a map, nodes and arrows in the given order; arrows in and out of a case dashed."""
    ids = {n.activity: f"a{i}" for i, n in enumerate(nodes)} | {START: "start", END: "end"}
    top = max((n.count for n in nodes), default=1)
    top_edge = max((e.count for e in edges), default=1)
    caption = f', label="{dot_escape(legend)}"' if legend is not None else ""
    lines = ["digraph process_map {", f"  graph [{style.graph}{caption}];", f"  node [{style.node}];",
             f"  edge [{style.edge}];", f"  start [{style.start}];", f"  end [{style.end}];"]
    for n in nodes:
        share = n.count / top
        shade = int(style.lightest - style.darkening * share)  # more frequent: darker blue
        fill = f"#{shade:02x}{min(255, shade + style.green):02x}ff"
        font = ("" if style.white_text_above is None
                else f', fontcolor="{"white" if share > style.white_text_above else "black"}"')
        lines.append(f'  {ids[n.activity]} [label="{dot_escape(n.activity)}\\n{dot_escape(n.figure)}", fillcolor="{fill}"'
                     f'{font}{n.attrs}];')
    for e in edges:
        width = 1 + 5 * e.count / top_edge
        dashed = ", style=dashed" if START in (e.source, e.target) or END in (e.source, e.target) else ""
        lines.append(f'  {ids[e.source]} -> {ids[e.target]} [label="{dot_escape(e.label)}"{e.attrs}, '
                     f'penwidth={width:.2f}{dashed}];')
    lines.append("}")
    return "\n".join(lines) + "\n"


def _dot(activities: list[str], freq: dict[str, int], edges: set[tuple[str, str]],
         counts: dict[tuple[str, str], int], median: dict[tuple[str, str], float | None], *, lang: str,
         dropped_activities: int, dropped_edges: int, legend: str | None = None) -> str:
    t = text.Text(lang)
    legend = legend or t.tr("discovery.process_map_events_per",
                            activities=len(activities), dropped_activities=dropped_activities,
                            dropped_edges=dropped_edges)
    nodes = [MapNode(a, freq[a], t.int(freq[a])) for a in activities]
    arrows = []
    for a, b in sorted(edges, key=lambda e: (-counts[e], e)):
        m = median.get((a, b))
        label = t.int(counts[(a, b)]) + (f" · {t.hours(m)}" if m is not None and a != START else "")
        arrows.append(MapEdge(a, b, counts[(a, b)], label))
    return map_dot(nodes, arrows, legend=legend)


# --- rendering ---------------------------------------------------------------------------------


def has_dot() -> bool:
    return shutil.which("dot") is not None


def svg(dot_source: str) -> str | None:
    """The DOT drawn as inline SVG by Graphviz `dot -Tsvg` (without XML prolog), or None without `dot`."""
    exe = shutil.which("dot")
    if exe is None:
        log.warning("Graphviz `dot` not found: the report has no process map (run `make system-deps`)")
        return None
    try:
        done = subprocess.run([exe, "-Tsvg"], input=dot_source.encode("utf-8"), capture_output=True,
                              timeout=DOT_TIMEOUT_SECONDS, check=True)
    except (subprocess.CalledProcessError, subprocess.TimeoutExpired) as exc:
        log.warning("Graphviz could not draw the process map: %s", exc)
        return None
    out = done.stdout.decode("utf-8")
    start = out.find("<svg")
    return out[start:] if start >= 0 else None


def run_phase(ctx: MiningContext) -> None:
    """Phase `model`: discover a model of the most frequent activities; PNML, BPMN and the process map."""
    options = options_of(ctx)
    acts, total = frequent_activities(ctx.con, limit=options.max_model_activities)
    projection = project(ctx.con, acts, activities_total=total)
    pmap = process_map(ctx.con, keep_activities=options.keep_activities, keep_paths=options.keep_paths,
                       lang=options.lang)
    _store_model(ctx, projection, pmap)


def aggregate_phase(ctx: MiningContext) -> None:
    """Phase `model` from the run's result tables alone (m_activities, m_variants, m_dfg), no events.

    For the Spark engine, whose events never reach the driver. Projecting onto a set of activities is
    done on the variants (remove the other activities from each variant, merge equal ones), which gives
    the same variants, DFG, start and end counts as projecting the events, so model and map counts equal
    the DuckDB engine's. Times need events: a map edge carries the median time only where all its
    projected pairs are direct pairs of the log (the same median as the event-level map); an edge that
    re-links around hidden activities is drawn without one.
    """
    options = options_of(ctx)
    con = ctx.con
    ranked = [r[0] for r in con.execute(
        "SELECT activity FROM m_activities ORDER BY cases DESC, events DESC, activity").fetchall()]
    acts = ranked[:options.max_model_activities]
    variants, dfg, start, end = _project_variants(con, acts)
    named = sorted(((tuple(v), int(n)) for v, n in variants), key=lambda vn: (-vn[1], vn[0]))
    projection = Projection(activities=tuple(acts), variants=tuple(named), dfg=dfg, start=start, end=end,
                            cases=sum(n for _, n in named), activities_total=len(ranked))

    freq = sorted(con.execute("SELECT activity, events FROM m_activities").fetchall(), key=lambda an: (-an[1], an[0]))
    kept = [a for a, _ in freq[:_map_size(len(freq), options.keep_activities, MAX_MAP_ACTIVITIES)]]
    _, pairs, starts, ends = _project_variants(con, kept)
    direct = {(a, b): (n, m) for a, b, n, m in con.execute(
        "SELECT source, target, count, median_hours FROM m_dfg").fetchall()}
    edges = [(a, b, n, direct[(a, b)][1] if direct.get((a, b), (None,))[0] == n else None)
             for (a, b), n in pairs.items()]
    edges += [(START, a, n, None) for a, n in starts.items()] + [(a, END, n, None) for a, n in ends.items()]
    pmap = draw_map(freq, edges, keep_activities=options.keep_activities, keep_paths=options.keep_paths,
                    lang=options.lang)
    _store_model(ctx, projection, pmap)


def _project_variants(con: duckdb.DuckDBPyConnection, activities: list[str]) -> tuple[
        list[tuple[list[str], int]], dict[tuple[str, str], int], dict[str, int], dict[str, int]]:
    """The log's variants (`m_variants`) projected onto `activities`: (variants, DFG, start, end counts)."""
    con.execute("""
        CREATE OR REPLACE TEMP TABLE agg_proj AS
        SELECT list_filter(activities, lambda a: list_contains(?, a)) AS trace, sum(cases) AS cases
        FROM m_variants GROUP BY 1 HAVING len(trace) > 0
    """, [activities])
    try:
        variants = con.execute("SELECT trace, cases FROM agg_proj").fetchall()
        dfg = con.execute("""
            SELECT trace[i], trace[i + 1], sum(cases) FROM agg_proj, range(1, len(trace)) AS r(i) GROUP BY ALL
        """).fetchall()
        start = con.execute("SELECT trace[1], sum(cases) FROM agg_proj GROUP BY 1").fetchall()
        end = con.execute("SELECT trace[-1], sum(cases) FROM agg_proj GROUP BY 1").fetchall()
    finally:
        con.execute("DROP TABLE agg_proj")
    return (variants, {(a, b): int(n) for a, b, n in dfg}, {a: int(n) for a, n in start},
            {a: int(n) for a, n in end})


def _store_model(ctx: MiningContext, projection: Projection, pmap: ProcessMap) -> None:
    options = options_of(ctx)
    model = discover(projection)
    pnml_text = pnml(model)
    bpmn_text, laid_out = bpmn(model)
    ctx.facts.model, ctx.facts.projection, ctx.facts.process_map = model, projection, pmap
    settings = {**model.settings, "bpmn_layout": laid_out, "map_activities": len(pmap.activities),
                "map_activities_total": pmap.activities_total, "map_paths": len(pmap.edges),
                "map_paths_total": pmap.edges_total, "keep_activities": options.keep_activities,
                "keep_paths": options.keep_paths}
    output(ctx, "mining_models", [{
        "source": model.source, "method": model.method, "seconds": model.seconds,
        "activities_total": projection.activities_total, "activities_kept": len(projection.activities),
        "variants_used": len(projection.variants), "pnml": pnml_text,
        "bpmn": bpmn_text, "dot": pmap.dot, "settings": json.dumps(settings, ensure_ascii=False)}])
