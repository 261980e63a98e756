"""Bottlenecks and rework: the ranked tables with their evidence, and waiting-time distributions."""
from __future__ import annotations

import pandas as pd
import streamlit as st

from saksflyt.app import explore_data as data
from saksflyt.app import explore_queries as queries
from saksflyt.app.app_pages.common import PALETTE, bar_chart, chart_or_table, context, guard, persistent_choice, require_mined

ctx = context()
tr = ctx.tr
st.title(tr("bn.title"))
log = require_mined(ctx)

with guard(ctx):
    ins = data.insights(ctx.snap, log, tr.lang)
if not ins.available:
    st.info(tr("state.no_insights", log=log), icon=":material/hourglass_empty:")
    st.stop()

arrow = " → "
pseudo = tr("word.pseudonym")


def where(row: dict) -> str:
    edge = row.get("edge")
    return arrow.join(edge) if isinstance(edge, (list, tuple)) and len(edge) == 2 else row["activity"]


def people(n: object) -> str:
    # a count of people is itself a statistic about them: below k it is not shown
    return tr("word.hidden_k", k=queries.K_ANONYMITY) if n is None or int(n) < queries.K_ANONYMITY else tr.int(int(n))


def evidence(items: object) -> None:
    for sentence in (items if isinstance(items, (list, tuple)) else []):
        st.markdown(f"- {queries.mask_pseudonyms(str(sentence), pseudo)}")


st.header(tr("bn.bottlenecks"))
st.caption(tr("bn.note"))
b = ins.bottlenecks
if b.empty:
    st.caption(tr("bn.none"))
else:
    rows = b.to_dict("records")
    st.dataframe(pd.DataFrame({
        tr("col.rank"): [int(r["rank"]) for r in rows],
        tr("col.where"): [where(r) for r in rows],
        tr("col.occurrences"): [int(r["occurrences"]) for r in rows],
        tr("col.median_wait"): [tr.hours(r["median_wait_hours"]) for r in rows],
        tr("col.total_wait"): [tr.hours(r["total_wait_hours"]) for r in rows],
        tr("col.basis"): [tr(f"basis.{r['wait_basis']}") for r in rows],
        tr("col.internal"): [tr("word.yes") if r["internal"] else tr("word.no") for r in rows],
        tr("kind.person").capitalize(): [people(r.get("resources")) for r in rows],
    }), hide_index=True, key="bottlenecks_table")
    labels = {i: f"{int(r['rank'])}. {where(r)}" for i, r in enumerate(rows)}
    pick = st.selectbox(tr("bn.pick"), list(labels), format_func=labels.get,
                        **persistent_choice(f"bn_pick_{log}", list(labels), 0))
    chosen = rows[pick if pick in labels else 0]
    st.markdown(f"**{tr('bn.evidence')}**")
    evidence(chosen.get("evidence"))
    edge = chosen.get("edge")
    source = edge[0] if isinstance(edge, (list, tuple)) and len(edge) == 2 else None
    with guard(ctx):
        hist, week, basis = data.wait_distribution(ctx.snap, log, ctx.filters, chosen["activity"], source)
    left, right = st.columns(2)
    with left:
        st.markdown(f"**{tr('bn.distribution', act=where(chosen))}** ({tr(f'basis.{basis}')})")
        if int(hist["pairs"].sum()) == 0:
            st.caption(tr("bn.no_pairs"))
        else:
            h = pd.DataFrame({tr("col.bin"): [tr(f"bin.{b}") for b in hist["bin"]], tr("col.pairs"): hist["pairs"]})
            chart_or_table(tr, lambda: bar_chart(tr, h, x=tr("col.bin"), y=tr("col.pairs"), color=PALETTE[1],
                                                 description=tr("bn.distribution", act=where(chosen))),
                           h, key="wait_hist")
    with right:
        st.markdown(f"**{tr('bn.weekdays', act=chosen['activity'])}**")
        w = pd.DataFrame({tr("col.weekday"): [tr(f"weekday.{d}") for d in week["weekday"]],
                          tr("col.events"): week["events"]})
        chart_or_table(tr, lambda: bar_chart(tr, w, x=tr("col.weekday"), y=tr("col.events"), color=PALETTE[0],
                                             description=tr("bn.weekdays", act=chosen["activity"])),
                       w, key="weekday_hist")

st.header(tr("bn.rework"))
r = ins.rework
if r.empty:
    st.caption(tr("bn.none"))
else:
    rows = r.to_dict("records")
    st.dataframe(pd.DataFrame({
        tr("col.activities"): [arrow.join(x["activities"]) for x in rows],
        tr("col.rework_kind"): [tr(f"rework.{x['kind']}") for x in rows],
        tr("col.cases"): [int(x["cases"]) for x in rows],
        tr("col.case_share"): [tr.pct(x["case_share"]) for x in rows],
        tr("col.hours_added"): [tr.hours(x["hours_added"]) for x in rows],
    }), hide_index=True, key="rework_table")
    for x in rows[:10]:
        kind = tr(f"rework.{x['kind']}")
        with st.expander(f"{kind}: {arrow.join(x['activities'])}"):
            evidence(x.get("evidence"))

st.header(tr("bn.needless"))
n = ins.needless
candidates = (n[n["verdict"].isin(["needless", "needless_candidate"])] if not n.empty and "verdict" in n
              else pd.DataFrame())
if candidates.empty:
    st.caption(tr("bn.none"))
else:
    for x in candidates.to_dict("records"):
        with st.expander(f"{x['activity']} · {tr.int(x['cases_with'])} {tr('col.cases').lower()}",
                         expanded=True):
            evidence(x.get("evidence"))
review = n[n["verdict"] == "unexplained"] if not n.empty and "verdict" in n else pd.DataFrame()
if not review.empty:
    st.subheader(tr("bn.unexplained"))
    st.caption(tr("bn.unexplained_note"))
    for x in review.to_dict("records"):
        with st.expander(f"{x['activity']} · {tr.int(x['cases_with'])} {tr('col.cases').lower()}"):
            evidence(x.get("evidence"))
