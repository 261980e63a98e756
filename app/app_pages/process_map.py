"""Process map: the directly-follows map with frequency/performance, Disco-style sliders, activity details."""
from __future__ import annotations


import pandas as pd
import streamlit as st

from saksflyt.app import explore_data as data
from saksflyt.app import explore_map as maps
from saksflyt.app import explore_queries as queries
from saksflyt.app.app_pages.common import (context, exported, filter_note, graph, guard, map_controls, persistent_choice, require_mined,
                                  wait_legend)
from saksflyt.mining.discovery import END, START
from saksflyt.mining.insights_results import float_or_none

ctx = context()
tr = ctx.tr
st.title(tr("map.title"))
log = require_mined(ctx)

with guard(ctx):
    counts, n_cases = data.activity_counts(ctx.snap, log, ctx.filters)
filter_note(ctx, n_cases)



def _load(kept: list[str]) -> queries.MapData:
    with guard(ctx):
        return data.map_data(ctx.snap, log, ctx.filters, kept)


kept, md, view = map_controls(tr, counts, keys=("map_mode", f"map_acts_{log}", f"map_paths_{log}"),
                              share_label=tr("map.activities"), share_help=tr("map.activities_help"), load=_load,
                              highlight=st.session_state.get(f"map_activity_{log}"))  # the activity chosen below
inner = view.edges[(view.edges["source"] != START) & (view.edges["target"] != END)]
inner_total = int(((md.edges["source"] != START) & (md.edges["target"] != END)).sum())
st.caption(tr("map.shown", acts=len(kept), acts_total=len(counts), edges=len(inner), edges_total=inner_total))

basis = tr(f"basis.{md.wait_basis}")
map_tab, table_tab = st.tabs([tr("word.chart"), tr("word.table")])
with map_tab:
    graph(view.dot, title=tr("map.title"), summary=tr("map.alt", log=log, acts=len(kept), edges=len(inner)))
with table_tab:
    name = {START: f"▶ {tr('word.start')}", END: f"■ {tr('word.end')}"}
    st.dataframe(pd.DataFrame({
        tr("col.from"): [name.get(s, s) for s in view.edges["source"]],
        tr("col.to"): [name.get(t, t) for t in view.edges["target"]],
        tr("col.count"): view.edges["count"].astype("int64"),
        tr("col.median_wait"): [tr.hours(float_or_none(h)) for h in view.edges["median_wait_hours"]],
        tr("col.median_between"): [tr.hours(float_or_none(h)) for h in view.edges["median_hours"]],
    }), hide_index=True, key="map_edges_table")
    st.dataframe(pd.DataFrame({
        tr("col.activity"): view.nodes["activity"],
        tr("col.events"): view.nodes["events"].astype("int64"),
        tr("col.cases"): view.nodes["cases"].astype("int64"),
        tr("col.median_processing"): [tr.hours(float_or_none(h)) for h in view.nodes["median_processing_hours"]],
        tr("col.median_wait"): [tr.hours(float_or_none(h)) for h in view.nodes["median_wait_hours"]],
    }), hide_index=True, key="map_nodes_table")

wait_legend(tr, tr("map.legend", basis=basis))

st.divider()
choice = st.selectbox(tr("map.choose"), counts["activity"].tolist(), index=None, placeholder=tr("word.choose"),
                      **persistent_choice(f"map_activity_{log}", counts["activity"].tolist(), None))
if choice:
    with guard(ctx):
        d = data.activity_detail(ctx.snap, log, ctx.filters, choice)
    st.subheader(choice)
    m1, m2, m3 = st.columns(3)
    m1.metric(tr("act.events"), tr.int(d.events))
    m2.metric(tr("act.cases"), tr.int(d.cases))
    m3.metric(tr("act.share"), tr.pct(d.case_share))
    m4, m5, m6 = st.columns(3)
    m4.metric(tr("act.processing"), tr.hours(d.median_processing_hours))
    m5.metric(tr("act.processing_p90"), tr.hours(d.p90_processing_hours))
    m6.metric(tr("act.wait"), tr.hours(d.median_wait_hours), help=tr(f"basis.{d.wait_basis}"))
    p, s = st.columns(2)
    with p:
        st.markdown(f"**{tr('act.predecessors')}**")
        st.dataframe(pd.DataFrame({
            tr("col.activity"): [name.get(a, a) for a in d.predecessors["activity"]],
            tr("col.count"): d.predecessors["count"].astype("int64"),
            tr("col.median_wait"): [tr.hours(float_or_none(h)) for h in d.predecessors["median_wait_hours"]],
        }), hide_index=True, key="act_pred_table")
    with s:
        st.markdown(f"**{tr('act.successors')}**")
        st.dataframe(pd.DataFrame({
            tr("col.activity"): [name.get(a, a) for a in d.successors["activity"]],
            tr("col.count"): d.successors["count"].astype("int64"),
        }), hide_index=True, key="act_succ_table")
    st.markdown(f"**{tr('act.resources')}**")
    hidden = tr("word.hidden_k", k=queries.K_ANONYMITY)
    st.dataframe(pd.DataFrame({
        tr("col.kind"): [tr(f"kind.{k}") for k in d.resource_groups["kind"]],
        tr("col.events"): d.resource_groups["events"].astype("int64"),
        tr("col.share"): [tr.pct(x) for x in d.resource_groups["share"]],
        tr("col.resources"): [hidden if n is None or pd.isna(n) else tr.int(n) for n in d.resource_groups["resources"]],
    }), hide_index=True, key="act_res_table")
    if d.people >= queries.K_ANONYMITY:
        st.caption(tr("act.per_person", n=tr.int(d.people), med=tr.num(d.events_per_person_median, 0),
                      p90=tr.num(d.events_per_person_p90, 0)))
    elif d.people > 0:
        st.caption(tr("act.too_few", k=queries.K_ANONYMITY))

st.divider()
st.subheader(tr("map.downloads"))
with guard(ctx):
    files = data.artifacts(ctx.snap, log, tr.lang)
b1, b2, b3, b4 = st.columns(4)
dot_text = view.dot
b1.download_button(tr("map.dl_dot"), exported(ctx, f"{log}_process_map.dot", lambda: dot_text), file_name=f"{log}_process_map.dot", mime="text/vnd.graphviz",
                   icon=":material/download:", on_click="ignore", key="dl_dot")
if maps.has_graphviz():
    b2.download_button(tr("map.dl_svg"), exported(ctx, f"{log}_process_map.svg", lambda: maps.svg(dot_text)), file_name=f"{log}_process_map.svg",
                       mime="image/svg+xml",
                       icon=":material/download:", on_click="ignore", key="dl_svg")
else:
    b2.caption(tr("map.no_svg"))
if files.get("bpmn"):
    bpmn = files["bpmn"]
    b3.download_button(tr("map.dl_bpmn"), exported(ctx, "model.bpmn", lambda: bpmn), file_name="model.bpmn", mime="application/xml",
                       icon=":material/download:", on_click="ignore", key="dl_bpmn")
if files.get("report"):
    report = files["report"]
    b4.download_button(tr("map.dl_report"), exported(ctx, "report.html", lambda: report), file_name="report.html", mime="text/html",
                       icon=":material/download:", on_click="ignore", key="dl_report")
if not files.get("bpmn") and not files.get("report"):
    st.caption(tr("map.no_model"))
