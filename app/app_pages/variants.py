"""Variants: the most common activity sequences with counts and durations; pick one to filter on."""
from __future__ import annotations

import pandas as pd
import streamlit as st

from saksflyt.app import explore_data as data
from saksflyt.app.app_pages.common import PALETTE, bar_chart, chart_or_table, context, filter_note, guard, require_mined
from saksflyt.mining.insights_results import float_or_none

ctx = context()
tr = ctx.tr
st.title(tr("variants.title"))
log = require_mined(ctx)

with guard(ctx):
    df, n_variants, n_cases = data.variants(ctx.snap, log, ctx.filters, limit=50)
filter_note(ctx, n_cases)
st.caption(tr("variants.summary", variants=tr.int(n_variants), cases=tr.int(n_cases), shown=tr.int(len(df))))


def duration(row: pd.Series) -> str:
    h = float_or_none(row["median_duration_hours"])
    return tr.hours(h) if h is not None else tr.days(float_or_none(row["median_duration_days"]))


table = pd.DataFrame({
    tr("col.variant"): [f"#{v}" for v in df["variant_id"]],
    tr("col.cases"): df["cases"].astype("int64"),
    tr("col.share"): [tr.pct(x) for x in df["case_share"]],
    tr("col.median_duration"): [duration(r) for _, r in df.iterrows()],
    tr("col.length"): df["length"].astype("int64"),
    tr("col.sequence"): df["activities"],
})
st.dataframe(table, hide_index=True, key="variants_table",
             column_config={tr("col.sequence"): st.column_config.TextColumn(width="large")})


def _filter_on(variant_id: int) -> None:
    # runs before the next script run, so the sidebar's filter widget can still be set
    st.session_state[f"f_{log}_variants"] = [variant_id]


labels = {int(r.variant_id): f"#{r.variant_id} · {tr.int(r.cases)} · {r.activities}" for r in df.itertuples()}
if labels:
    key = f"variant_pick_{log}"
    if st.session_state.get(key) not in labels:
        st.session_state.pop(key, None)
    pick = st.selectbox(tr("variants.pick"), list(labels), format_func=labels.get, key=key)
    st.button(tr("variants.filter"), on_click=_filter_on, args=(pick,), icon=":material/filter_alt:", type="primary")
    if ctx.filters.variants == (pick,):
        st.caption(tr("variants.filtered", id=pick))

st.subheader(tr("variants.chart"))
top = df.head(10)
chart = pd.DataFrame({tr("col.variant"): [f"#{v}" for v in top["variant_id"]], tr("col.cases"): top["cases"]})
chart_or_table(tr, lambda: bar_chart(tr, chart, x=tr("col.variant"), y=tr("col.cases"), color=PALETTE[0],
                                     horizontal=True, description=tr("variants.chart")),
               chart, key="variants_chart")
