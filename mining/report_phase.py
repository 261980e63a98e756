"""Phase `report`: gather the run's results, render report.html and store it in `mining_reports`.

Apart from `mining.report` so that the page and its wording (`report.Text`, which discovery and the insight
phases use for their sentences) import no phase: this module reads the phases' facts and tables and
draws the maps, then hands `report.render` plain data.
"""
from __future__ import annotations

from typing import Any

from . import report_handovers
from .context import MiningContext
from .discovery import svg
from .insights_results import options_of, output
from .report import ReportData, Text, named_svg, render


def _map_edges(con: Any, edges: tuple[tuple[str, str], ...]) -> tuple[dict[str, Any], ...]:
    """The DFG rows of the transitions the map draws, most frequent first."""
    shown = set(edges)
    rows = con.sql("SELECT source, target, count, cases, median_hours FROM m_dfg ORDER BY count DESC, source, target"
                   ).df().to_dict("records")
    return tuple(r for r in rows if (r["source"], r["target"]) in shown)


def run_phase(ctx: MiningContext) -> None:
    """Render report.html from this run's results and store it in `mining_reports`."""
    options = options_of(ctx)
    facts = ctx.facts
    con = ctx.con
    variants = con.sql("SELECT variant_id, activities, cases, case_share, median_duration_hours FROM m_variants "
                       "ORDER BY variant_id LIMIT 10").df().to_dict("records")
    monthly = con.sql("SELECT month, cases_started, cases_finished FROM m_monthly ORDER BY month").df() \
        .to_dict("records")
    durations = [r[0] for r in con.execute(
        "SELECT duration_hours / 24 FROM ins_cases WHERE closed AND duration_hours IS NOT NULL "
        "USING SAMPLE 20000 ROWS").fetchall()]
    model = facts.model
    pmap = facts.process_map
    inputs = facts.insight_inputs
    handovers = report_handovers.gather(con)   # the `handovers` phase's tables (None without that phase)
    section = None
    if handovers is not None:
        t = Text(options.lang)
        unit_svg = svg(report_handovers.unit_dot(t, handovers)) if handovers.edges else None
        section = report_handovers.render(t, handovers, map_svg=unit_svg, named_svg=named_svg)
    data = ReportData(
        log=ctx.log, run_id=ctx.run_id, summary=facts.summary or {},
        end_activities=tuple(facts.rule.end_activities),
        bottlenecks=facts.bottlenecks or [], rework=facts.rework or [],
        needless=facts.needless or [], variants=variants, monthly=monthly, duration_days=durations,
        model={"method": model.method if model else None, "reason": model.reason if model else None,
               "activities_kept": len(model.settings.get("activities", [])) if model else None,
               "activities_total": facts.projection.activities_total if facts.projection else None},
        conformance=facts.conformance, quality=inputs.quality if inputs else {},
        map_svg=svg(pmap.dot) if pmap else None, mandatory=options.mandatory,
        map_edges=_map_edges(con, pmap.edges) if pmap else (), handovers_section=section)
    page = render(data, lang=options.lang)
    output(ctx, "mining_reports", [{"lang": options.lang, "html": page}])
