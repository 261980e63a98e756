"""Handovers: how cases pass between units, the citizen's doors and voices, and the process's loops."""
from __future__ import annotations


import pandas as pd
import streamlit as st

from saksflyt.app import explore_data as data
from saksflyt.app import explore_map as maps
from saksflyt.app import explore_queries as queries
from saksflyt.app.app_pages.common import context, graph, guard, map_controls, require_mined, wait_legend
from saksflyt.mining.collaboration_results import SMALL_UNITS
from saksflyt.mining.discovery import END, START
from saksflyt.mining.insights_results import float_or_none

ctx = context()
tr = ctx.tr
st.title(tr("ho.title"))
log = require_mined(ctx)

with guard(ctx):
    collab = data.collaboration(ctx.snap, log, tr.lang)
s = collab.summary
if s is None:   # a run mined before this phase existed
    st.info(tr("ho.not_mined", log=log), icon=":material/hourglass_empty:")
    st.stop()
st.caption(tr("ho.intro"))

basis = s["basis"]
if basis == "resource":
    st.info(tr("ho.resource_basis"), icon=":material/info:")
    collab = queries.with_unit_names(collab, {k: tr(f"kind.{k}") for k in ("person", "external", "unknown", "system")})
elif basis == "none":
    st.info(tr("ho.no_actors"), icon=":material/info:")

cases = int(s["cases"] or 0)
m1, m2, m3, m4 = st.columns(4)
m1.metric(tr("ho.cases_with_handover"), tr.int(s["cases_with_handover"]),
          help=tr("ho.cases_with_handover_help", share=tr.pct(s["cases_with_handover"] / cases if cases else None),
                  cases=tr.int(cases)))
m2.metric(tr("ho.ping_pong"), tr.pct(s["ping_pong_share"]),
          help=tr("ho.ping_pong_help", n=tr.int(s["ping_pong_cases"])))
m3.metric(tr("ho.median_units"), tr.num(s["median_units_per_case"], 1),
          help=tr("ho.median_units_help", max=tr.int(s["max_units_per_case"])))
m4.metric(tr("ho.wait"), tr.hours(s.get("median_handover_wait_hours")),
          help=tr("ho.wait_help", n=tr.int(s["handovers"]), total=tr.hours(s["handover_wait_hours"])))

st.subheader(tr("ho.doors"))
source = s["contacts_source"]
if source == "none":   # no doors or voices to count: say how to name them instead of showing zeros
    st.info(tr("ho.contacts_none", log=log), icon=":material/settings:")
else:
    d1, d2, d3 = st.columns(3)
    d1.metric(tr("ho.multi_voice"), tr.pct(s["multi_voice_share"]),
              help=tr("ho.multi_voice_help", n=tr.int(s["cases_multi_voice"])))
    d2.metric(tr("ho.repeat_door"), tr.pct(s["repeat_door_share"]),
              help=tr("ho.repeat_door_help", n=tr.int(s["cases_repeat_door"])))
    d3.metric(tr("ho.letters_saved"), tr.int(s["letters_saved"]), help=tr("ho.letters_saved_help"))
    st.caption(tr(f"ho.contacts_{source}", log=log, doors=tr.int(s["doors"]), voices=tr.int(s["voices"])))

if basis == "unit" and collab.units["merged"].eq(True).any():
    st.caption(tr("ho.small_units", k=queries.K_ANONYMITY, label=SMALL_UNITS[tr.lang]))
if s.get("hidden_units"):
    st.caption(tr("ho.hidden_units", n=tr.int(s["hidden_units"]), k=queries.K_ANONYMITY))

if not collab.units.empty:
    st.header(tr("ho.flow"))
    counts = maps.unit_counts(collab)
    kept, _, view = map_controls(tr, counts, keys=("ho_mode", f"ho_units_{log}", f"ho_paths_{log}"),
                                 share_label=tr("ho.units"), share_help=tr("ho.units_help"),
                                 load=lambda units: maps.unit_map_data(collab, units))
    inner = view.edges[(view.edges["source"] != START) & (view.edges["target"] != END)]
    st.caption(tr("ho.shown", units=len(kept), units_total=len(counts), edges=len(inner),
                  edges_total=len(collab.handovers)))
    map_tab, table_tab = st.tabs([tr("word.chart"), tr("word.table")])
    with map_tab:
        graph(view.dot, title=tr("ho.flow"), summary=tr("ho.alt", log=log, units=len(kept), edges=len(inner)))
    with table_tab:
        name = {START: f"▶ {tr('word.start')}", END: f"■ {tr('word.end')}"}
        st.dataframe(pd.DataFrame({
            tr("col.from"): [name.get(x, x) for x in view.edges["source"]],
            tr("col.to"): [name.get(x, x) for x in view.edges["target"]],
            tr("col.count"): view.edges["count"].astype("int64"),
            tr("col.median_wait"): [tr.hours(float_or_none(h)) for h in view.edges["median_wait_hours"]],
        }), hide_index=True, key="ho_map_table")
    wait_legend(tr, tr("ho.legend"))

    st.subheader(tr("ho.handovers"))
    h = collab.handovers
    st.dataframe(pd.DataFrame({
        tr("col.from"): h["source_unit"].astype(str),
        tr("col.to"): h["target_unit"].astype(str),
        tr("col.count"): h["count"].astype("int64"),
        tr("col.cases"): h["cases"].astype("int64"),
        tr("col.median_wait"): [tr.hours(float_or_none(x)) for x in h["median_wait_hours"]],
        tr("col.returns"): h["returns"].astype("int64"),
    }), hide_index=True, key="ho_handovers_table")

    st.subheader(tr("ho.units_table"))
    u = collab.units
    st.dataframe(pd.DataFrame({
        tr("col.unit"): u["unit"].astype(str),
        tr("col.people"): [tr.int(n) if n else "–" for n in u["people"]],
        tr("col.cases"): u["cases"].astype("int64"),
        tr("col.events"): u["events"].astype("int64"),
        tr("col.handovers_in"): u["handovers_in"].astype("int64"),
        tr("col.handovers_out"): u["handovers_out"].astype("int64"),
        tr("col.returns"): u["returns_in"].astype("int64"),
        tr("col.median_wait"): [tr.hours(float_or_none(x)) for x in u["median_wait_hours"]],
        tr("col.first_cases"): u["first_cases"].astype("int64"),
        tr("col.last_cases"): u["last_cases"].astype("int64"),
        tr("col.voices"): u["voices"].astype("int64"),
    }), hide_index=True, key="ho_units_table")

st.header(tr("ho.loops"))
st.caption(tr("ho.loops_note"))
loops = s.get("loops") or []
if not loops:
    st.caption(tr("bn.none"))
for i, loop in enumerate(loops, start=1):
    acts = loop.get("activities") or []
    with st.expander(tr("ho.loop", n=i, acts=len(acts), cases=tr.int(loop.get("cases_repeating"))),
                     expanded=i == 1):
        st.markdown(" · ".join(acts))
        st.dataframe(pd.DataFrame({
            tr("col.from"): [e[0] for e in loop.get("edges") or []],
            tr("col.to"): [e[1] for e in loop.get("edges") or []],
            tr("col.cases"): [int(e[2]) for e in loop.get("edges") or []],
        }), hide_index=True, key=f"ho_loop_{i}_table")
