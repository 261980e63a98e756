"""The explorer's process map: slider defaults, waiting-time colours and the map view drawn with mining's
DOT builder (`mining.discovery.map_dot`, the one the report uses, in the explorer's style). No Streamlit."""
from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Literal

import pandas as pd

from saksflyt.app.explore_queries import Collaboration, MapData
from saksflyt.mining.discovery import END, START, MapEdge, MapNode, MapStyle, dot_escape, map_dot, simplify
from saksflyt.mining.insights_results import float_or_none
from saksflyt.mining.report import named_svg

MAP_READABLE_ACTIVITIES = 25  # default activity slider keeps about this many activities on the map
DEFAULT_PATHS = 80            # default path slider: the paths covering 80 % of transitions (+ bridges) …
MAP_READABLE_EDGES_PER_ACTIVITY = 2  # … but no more than about two arrows per activity on a dense map


def kept_activities(counts: pd.DataFrame, keep_pct: float) -> list[str]:
    """The activity slider: the most frequent `keep_pct` % of activities (at least two)."""
    n = len(counts)
    k = min(n, max(2, math.ceil(n * keep_pct / 100)))
    return counts["activity"].head(k).tolist()


def default_activity_pct(n_activities: int) -> int:
    """A slider default that keeps about `MAP_READABLE_ACTIVITIES` on the map, even for 400 activities."""
    if n_activities <= MAP_READABLE_ACTIVITIES:
        return 100
    return max(1, math.floor(100 * MAP_READABLE_ACTIVITIES / n_activities))


def default_paths_pct(edges: pd.DataFrame, n_activities: int) -> int:
    """A path-slider default that keeps a dense map readable: `DEFAULT_PATHS` % of transitions, or less
    where that would draw more than about two arrows per activity (bridges that keep it connected come on top)."""
    counts = sorted(edges["count"].tolist(), reverse=True)
    limit = max(MAP_READABLE_EDGES_PER_ACTIVITY * n_activities, 10)
    total = sum(counts)
    if not total or len(counts) <= limit:
        return DEFAULT_PATHS
    return max(1, min(DEFAULT_PATHS, math.floor(100 * sum(counts[:limit]) / total)))


# Colour-blind-safe (Okabe–Ito) colours for waiting time, short to long; grey: no hour-precision pairs.
WAIT_BINS: tuple[tuple[float, str], ...] = (
    (1.0, "#56B4E9"),          # < 1 h: sky blue
    (24.0, "#0072B2"),         # 1–24 h: blue
    (24.0 * 7, "#E69F00"),     # 1–7 days: orange
    (math.inf, "#D55E00"),     # > 7 days: vermillion
)
NO_TIME_COLOUR = "#999999"


def wait_colour(hours: float | None) -> str:
    if hours is None or (isinstance(hours, float) and math.isnan(hours)):
        return NO_TIME_COLOUR
    return next(colour for limit, colour in WAIT_BINS if hours < limit)


def wait_bin(hours: float | None) -> int | None:
    if hours is None or (isinstance(hours, float) and math.isnan(hours)):
        return None
    return next(i for i, (limit, _) in enumerate(WAIT_BINS) if hours < limit)


@dataclass(frozen=True)
class ProcessMapView:
    dot: str
    edges: pd.DataFrame = field(compare=False)   # the shown edges with their numbers and colour bin
    nodes: pd.DataFrame = field(compare=False)
    edges_total: int = 0


def explorer_style(start_label: str, end_label: str) -> MapStyle:
    """The explorer's look for `map_dot`: transparent, tighter, Okabe–Ito start and end with their names."""
    return MapStyle(
        graph='rankdir=TB, fontname="Helvetica", bgcolor="transparent", nodesep=0.3, ranksep=0.35',
        node='shape=box, style="rounded,filled", fontname="Helvetica", fontsize=11, color="#2b5d8a", '
             'margin="0.12,0.04"',
        edge='fontname="Helvetica", fontsize=9, arrowsize=0.7',
        start=f'shape=circle, label="{dot_escape(start_label)}", fontsize=8, width=0.45, fixedsize=true, '
              f'style=filled, fillcolor="#009E73", fontcolor="white", color="#009E73"',
        end=f'shape=doublecircle, label="{dot_escape(end_label)}", fontsize=8, width=0.4, fixedsize=true, '
            f'style=filled, fillcolor="#333333", fontcolor="white", color="#333333"',
        lightest=240, darkening=110, green=15, white_text_above=None)


def build_map(data: MapData, *, keep_paths_pct: float, mode: Literal["frequency", "performance"],
              fmt_count: Callable[[int], str], fmt_hours: Callable[[float | None], str],
              start_label: str = "Start", end_label: str = "End", highlight: str | None = None) -> ProcessMapView:
    """The Disco-style map: the paths covering `keep_paths_pct` % of transitions plus those that keep
    every activity reachable (mining's `simplify`); edges coloured by median waiting time."""
    nodes = data.nodes
    edges = data.edges
    counts = {(r.source, r.target): int(r.count) for r in edges.itertuples(index=False)}
    kept = simplify(counts, set(nodes["activity"].tolist()), keep_paths=max(0.0, min(1.0, keep_paths_pct / 100)))
    shown = edges[[(s, t) in kept for s, t in zip(edges["source"], edges["target"])]].copy()
    boxes = []
    for r in nodes.itertuples(index=False):
        figure = (fmt_count(r.events) if mode == "frequency" else fmt_hours(float_or_none(r.median_processing_hours)))
        mark = ', penwidth=3, color="#000000"' if r.activity == highlight else ""
        boxes.append(MapNode(r.activity, r.events, figure, mark))
    colours, bins, arrows = [], [], []
    for r in shown.itertuples(index=False):
        wait = float_or_none(r.median_wait_hours)
        inner = r.source != START and r.target != END
        colour = wait_colour(wait) if inner else "#777777"
        colours.append(colour)
        bins.append(wait_bin(wait) if inner else None)
        if inner:
            label = fmt_count(r.count) if mode == "frequency" else fmt_hours(wait)
        else:
            label = fmt_count(r.count) if mode == "frequency" else ""
        arrows.append(MapEdge(r.source, r.target, r.count, label, f', color="{colour}", fontcolor="#222222"'))
    dot = map_dot(boxes, arrows, style=explorer_style(start_label, end_label))
    shown = shown.assign(colour=colours, wait_bin=bins)
    return ProcessMapView(dot=dot, edges=shown, nodes=nodes, edges_total=len(edges))


def named_map_svg(dot: str, title: str, desc: str) -> str | None:
    """The map drawn by Graphviz as one named SVG image (None without `dot`: the caller falls back)."""
    from saksflyt.mining.discovery import svg as draw

    drawn = draw(dot)
    return named_svg(drawn, id="process-map", title=title, desc=desc) if drawn else None


def has_graphviz() -> bool:
    from saksflyt.mining.discovery import has_dot

    return has_dot()


def svg(dot: str) -> bytes:
    """The map drawn by Graphviz `dot` for the SVG download (called only when the button is pressed)."""
    from saksflyt.mining.discovery import svg as draw

    return (draw(dot) or "").encode("utf-8")


# --- handovers between units drawn as a map -----------------------------------------------------


def unit_counts(c: Collaboration) -> pd.DataFrame:
    """The units as the map's slider sees activities: activity (the unit), events, cases; most events first."""
    df = pd.DataFrame({"activity": c.units["unit"].astype(str), "events": c.units["events"].astype("int64"),
                       "cases": c.units["cases"].astype("int64")})
    return df.sort_values(["events", "activity"], ascending=[False, True], ignore_index=True)


def unit_map_data(c: Collaboration, units: Sequence[str]) -> MapData:
    """The handover graph among `units` as `build_map` input: a node per unit, an edge per handover, and
    START → unit (cases starting there) and unit → END (cases ending there). Handovers to a unit left off
    are left off too (the stored edges cannot be projected as events can)."""
    keep = set(units)
    u = c.units[c.units["unit"].isin(keep)]
    nodes = pd.DataFrame({"activity": u["unit"].astype(str), "events": u["events"].astype("int64"),
                          "cases": u["cases"].astype("int64"), "median_processing_hours": None,
                          "median_wait_hours": u["median_wait_hours"].astype(float), "measured": False})
    nodes = nodes.sort_values(["events", "activity"], ascending=[False, True], ignore_index=True)
    h = c.handovers[c.handovers["source_unit"].isin(keep) & c.handovers["target_unit"].isin(keep)]
    none = {"median_hours": None, "day_pairs": 0}
    starts, ends = u[u["first_cases"] > 0], u[u["last_cases"] > 0]
    edges = pd.concat([
        pd.DataFrame({"source": h["source_unit"].astype(str), "target": h["target_unit"].astype(str),
                      "count": h["count"], "median_wait_hours": h["median_wait_hours"].astype(float), **none}),
        pd.DataFrame({"source": START, "target": starts["unit"].astype(str), "count": starts["first_cases"],
                      "median_wait_hours": None, **none}),
        pd.DataFrame({"source": ends["unit"].astype(str), "target": END, "count": ends["last_cases"],
                      "median_wait_hours": None, **none}),
    ], ignore_index=True)
    edges["count"] = edges["count"].astype("int64")
    edges = edges.sort_values(["count", "source", "target"], ascending=[False, True, True], ignore_index=True)
    return MapData(nodes=nodes, edges=edges, wait_basis="measured")
