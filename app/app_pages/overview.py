"""Overview: cases open/closed, events, median lead time, share within a target, cases per month."""
from __future__ import annotations

import altair as alt
import pandas as pd
import streamlit as st

from saksflyt.app import explore_data as data
from saksflyt.app.app_pages.common import (PALETTE, chart_or_table, context, filter_note, guard, persistent, require_log,
                                  vega_chart)

ctx = context()
tr = ctx.tr
st.title(tr("overview.title"))
log = require_log(ctx)

with guard(ctx):
    all_logs = data.logs(ctx.snap)
    present = data.has_columns(ctx.snap, log)

v = ctx.snap.get(log)
if v.run_id is None:
    row = next(r for r in all_logs if r["log"] == log)
    c1, c2, c3 = st.columns(3)
    c1.metric(tr("overview.cases"), tr.int(row["cases"]))
    c2.metric(tr("overview.events"), tr.int(row["events"]))
    c3.metric(tr("col.activities"), tr.int(row["activities"]))
    st.info(tr("state.not_mined", log=log), icon=":material/hourglass_empty:")
else:
    with guard(ctx):
        target = st.columns([1, 3])[0].number_input(tr("overview.target"), min_value=1, max_value=3650, step=1,
                                                    **persistent("target_days", 30))
        ov = data.overview(ctx.snap, log, ctx.filters, target_days=target)
        summary = data.run_summary(ctx.snap, log)
    filter_note(ctx, ov.cases)

    c1, c2, c3, c4 = st.columns(4)
    c1.metric(tr("overview.cases"), tr.int(ov.cases))
    c2.metric(tr("overview.open"), tr.int(ov.open))
    c3.metric(tr("overview.closed"), tr.int(ov.closed))
    c4.metric(tr("overview.events"), tr.int(ov.events))
    c5, c6, _ = st.columns([1, 1, 2])
    lead = tr.hours(ov.median_lead_hours) if ov.median_lead_hours is not None else tr.days(ov.median_lead_days)
    c5.metric(tr("overview.median_lead"), lead, help=tr("overview.median_lead_help"))
    c6.metric(tr("overview.within"), tr.pct(ov.within_share),
              help=tr("overview.within_help", n=tr.int(ov.within_target), closed=tr.int(ov.closed)))
    st.caption(tr("overview.rule", acts=tr.join(list(summary["end_activities"]))))

    st.subheader(tr("overview.monthly"))
    monthly = ov.monthly
    started, finished = tr("overview.started"), tr("overview.finished")
    series = tr("overview.series")
    chart = pd.DataFrame({"month": pd.to_datetime(monthly["month"]), started: monthly["cases_started"],
                          finished: monthly["cases_finished"]}).melt("month", var_name=series, value_name="cases")
    table = pd.DataFrame({tr("overview.month"): [tr.month(m) for m in monthly["month"]],
                          started: monthly["cases_started"], finished: monthly["cases_finished"]})
    # the two lines differ in colour, dash and point shape (never colour alone), named in the legend
    lines = alt.Chart(chart).mark_line(point=True).encode(
        x=alt.X("month:T", title=tr("overview.month"), axis=alt.Axis(format="%b %Y", labelAngle=0)),
        y=alt.Y("cases:Q", title=tr("overview.cases")),
        color=alt.Color(f"{series}:N", scale=alt.Scale(domain=[started, finished], range=PALETTE[:2]),
                        legend=alt.Legend(orient="bottom")),
        strokeDash=alt.StrokeDash(f"{series}:N", scale=alt.Scale(domain=[started, finished],
                                                                  range=[[1, 0], [6, 3]])),
        shape=alt.Shape(f"{series}:N", scale=alt.Scale(domain=[started, finished], range=["circle", "square"])),
        tooltip=[alt.Tooltip("month:T", title=tr("overview.month"), format="%B %Y"), alt.Tooltip(f"{series}:N"),
                 alt.Tooltip("cases:Q", title=tr("overview.cases"), format=",")])
    chart_or_table(tr, lambda: vega_chart(tr, lines, description=tr("overview.monthly_alt")), table, key="monthly")
    st.caption(tr("overview.months_note"))

if not present["events_with_start_time"]:
    st.caption(tr("state.no_start_times"))
if not present["events_with_resource"]:
    st.caption(tr("state.no_resources"))

# the full data-quality report scans the events several times: drawn when asked for
if st.toggle(tr("overview.quality"), key=f"show_quality_{log}"):
    with guard(ctx):
        quality = data.quality(ctx.snap, log)
    keys = ("events_with_start_time", "missing_resource_events", "day_precision_events",
            "events_in_timestamp_ties", "rows_rejected", "future_dates", "suspicious_default_dates")
    st.dataframe(pd.DataFrame({tr("col.measure"): [tr(f"quality.{k}") for k in keys],
                               tr("col.value"): [tr.int(quality.get(k, 0)) for k in keys]}),
                 hide_index=True, key="quality_table")

with st.expander(tr("overview.logs")):
    st.dataframe(pd.DataFrame({
        tr("col.log"): [r["log"] for r in all_logs],
        tr("col.source"): [r["source_kind"] for r in all_logs],
        tr("col.cases"): [tr.int(r["cases"]) for r in all_logs],
        tr("col.events"): [tr.int(r["events"]) for r in all_logs],
        tr("col.activities"): [tr.int(r["activities"]) for r in all_logs],
        tr("col.first"): [tr.date(r["first_event_at"]) for r in all_logs],
        tr("col.last"): [tr.date(r["last_event_at"]) for r in all_logs],
    }), hide_index=True, key="logs_table")
