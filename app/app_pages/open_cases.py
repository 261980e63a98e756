"""Open cases: the latest `saksflyt monitor` run: at-risk list, one case's clock, compliance, model quality."""
from __future__ import annotations

import altair as alt
import pandas as pd
import streamlit as st

from saksflyt.app import explore_data as data
from saksflyt.app import explore_monitor as monitoring
from saksflyt.app import explore_queries as queries
from saksflyt.app.app_pages.common import (PALETTE, bar_chart, chart_or_table, context, exported, guard, persistent, persistent_choice,
                                  require_log, vega_chart)
from saksflyt.mining import monitor_report

ctx = context()
tr = ctx.tr
st.title(tr("oc.title"))
log = require_log(ctx)
pseudo = tr("word.pseudonym")

with guard(ctx):
    run = monitoring.monitor_run(ctx.snap, log)
if run is None:
    st.info(tr("oc.no_run", log=log), icon=":material/alarm:")
    st.stop()
with guard(ctx):
    cases = data.monitor_open_cases(ctx.snap, run, tr.lang)

st.caption(tr("oc.run", seq=run.run_seq, as_of=tr.date(run.as_of), when=tr.date(run.created_at)))
if run.message:
    st.info(tr("oc.no_predictions", msg=monitor_report.message_text(run.message, tr.lang)),
            icon=":material/info:")


def money(x: object) -> str:
    return "–" if x is None or pd.isna(x) else tr("word.nok", n=tr.num(x, 0))


def text(x: object) -> str:
    return "–" if x is None or pd.isna(x) or x == "" else str(x)


def number(x: object, digits: int = 0) -> str:
    return "–" if x is None or pd.isna(x) else tr.num(float(x), digits)


head = monitor_report.headline(cases, run.history, as_of=run.as_of, zone=run.zone)
c1, c2, c3, c4 = st.columns(4)
c1.metric(tr("oc.open"), tr.int(head.open_cases))
c2.metric(tr("oc.at_risk"), "–" if head.at_risk is None else tr.int(head.at_risk),
          help=tr("oc.at_risk_help", p=tr.pct(monitor_report.AT_RISK, 0)))
c3.metric(tr("oc.expected_refund"), money(head.expected_refund_nok), help=tr("oc.expected_refund_help"))
c4.metric(tr("oc.in_time"), tr.pct(head.share_in_time_12m),
          help=tr("oc.in_time_help", n=tr.int(head.decided_12m), first=head.first_month or "–",
                  last=head.last_month or "–"))

# --- the list ----------------------------------------------------------------------------------

st.subheader(tr("oc.list"))
predicted = bool(cases["p_miss"].notna().any()) if len(cases) else False
activities = cases["current_activity"].value_counts().index.tolist()
f1, f2 = st.columns(2)
acts_key = f"oc_acts_{log}"
if acts_key in st.session_state:  # a newer run may no longer have an activity chosen before
    st.session_state[acts_key] = [a for a in st.session_state[acts_key] if a in activities]
chosen_acts = f1.multiselect(tr("oc.filter_activity"), activities, key=acts_key)
min_pct = f2.slider(tr("oc.filter_p"), 0, 100, step=5, format="%d %%", disabled=not predicted,
                    help=None if predicted else tr("oc.filter_p_off"), **persistent(f"oc_min_p_{log}", 0))
past = st.checkbox(tr("oc.filter_past"), **persistent(f"oc_past_{log}", False))
shown = monitoring.filter_open_cases(cases, activities=chosen_acts, min_p_miss=min_pct / 100 if predicted else 0.0,
                               past_deadline=past)
st.caption(tr("oc.shown", n=tr.int(len(shown)), total=tr.int(len(cases))))
if shown.empty:
    st.info(tr("oc.none_left"), icon=":material/filter_alt_off:")
else:
    rows = shown.to_dict("records")
    st.dataframe(pd.DataFrame({
        tr("col.rank"): [int(r["rank"]) for r in rows],
        tr("col.case"): [r["case_id"] for r in rows],
        tr("col.deadline"): [tr.date(r["deadline_date"].date()) if pd.notna(r["deadline_date"]) else "–"
                             for r in rows],
        tr("col.days_left"): [number(r["days_left"]) for r in rows],
        tr("col.p_miss"): [tr.pct(r["p_miss"], 0) if pd.notna(r["p_miss"]) else "–" for r in rows],
        tr("col.remaining"): ["–" if pd.isna(r["predicted_remaining_days"]) else
                              f"{number(r['predicted_remaining_days'])} ({number(r['predicted_remaining_days_low'])}–"
                              f"{number(r['predicted_remaining_days_high'])})" for r in rows],
        tr("col.expected_refund"): [money(r["expected_refund_nok"]) for r in rows],
        tr("col.current_activity"): [r["current_activity"] for r in rows],
        tr("col.waiting_days"): [number(r["waiting_days"], 1) for r in rows],
        tr("col.next_activity"): [text(r["next_activity"]) for r in rows],
    }), hide_index=True, key="open_cases_table")

    # --- one case ------------------------------------------------------------------------------
    labels = {r["case_id"]: f"{int(r['rank'])}. {r['case_id']} · {r['current_activity']}" for r in rows}
    pick = st.selectbox(tr("oc.pick"), list(labels), format_func=labels.get,
                        **persistent_choice(f"oc_pick_{log}", list(labels), rows[0]["case_id"]))
    case = next((r for r in rows if r["case_id"] == pick), rows[0])
    with guard(ctx):
        tl = data.case_timeline(ctx.snap, run, case["case_id"])
    st.markdown(f"**{tr('oc.timeline')}: {case['case_id']}**")
    st.caption(tr("oc.facts", start=tr.date(tl.clock_start), deadline=tr.date(tl.deadline_date),
                  paused=tr.int(case["days_paused"]), left=number(case["days_left"])))
    if pd.notna(case["p_miss"]):
        st.caption(tr("oc.prediction", p=tr.pct(case["p_miss"], 0), days=number(case["predicted_remaining_days"]),
                      low=number(case["predicted_remaining_days_low"]),
                      high=number(case["predicted_remaining_days_high"]),
                      next=tr.quote(text(case["next_activity"]))))

    def local(t: pd.Series) -> pd.Series:  # Vega-Lite would show the browser's zone: give it wall-clock times
        return pd.to_datetime(t, utc=True).dt.tz_convert(run.zone).dt.tz_localize(None)

    ev = tl.events.assign(at=local(tl.events["at"]), kind=[tr(f"oc.mark_{m or 'event'}") for m in tl.events["mark"]])
    mark_rows = [(tl.as_of, tr("oc.mark_as_of"))]
    if tl.deadline_at:
        mark_rows.append((tl.deadline_at, tr("oc.mark_deadline")))
    mark_frame = pd.DataFrame({"at": local(pd.Series([t for t, _ in mark_rows])), "label": [m for _, m in mark_rows]})
    pauses = tl.pauses.assign(start=local(tl.pauses["start"]), end=local(tl.pauses["end"]),
                              label=[tr("oc.mark_pause_open") if o else tr("oc.mark_pause") for o in tl.pauses["open"]])

    def draw_timeline() -> None:
        order = list(dict.fromkeys(ev["activity"]))
        height = max(160, 34 * len(order))
        fmt = tr("format.chart_date")
        x = alt.X("at:T", title=tr("col.time"), axis=alt.Axis(format=fmt))
        layers = []
        if len(pauses):
            layers.append(alt.Chart(pauses).mark_rect(opacity=0.25, color=PALETTE[1]).encode(
                x=alt.X("start:T", title=tr("col.time"), axis=alt.Axis(format=fmt)), x2="end:T",
                tooltip=[alt.Tooltip("label:N", title=tr("col.clock")),
                         alt.Tooltip("start:T", title=tr("word.start"), format=fmt),
                         alt.Tooltip("end:T", title=tr("word.end"), format=fmt)]))
            layers.append(alt.Chart(pauses).mark_text(align="left", baseline="top", dx=3, dy=16, color="#333333",
                                                      fontSize=11).encode(x="start:T", text="label:N", y=alt.value(0)))
        rules = alt.Chart(mark_frame).encode(x=x)
        layers.append(rules.mark_rule(strokeDash=[6, 3], color="#333333"))
        layers.append(rules.mark_text(align="left", baseline="top", dx=3, dy=2, color="#333333",
                                      fontSize=11).encode(text="label:N", y=alt.value(0)))
        layers.append(alt.Chart(ev).mark_point(filled=True, size=90, color=PALETTE[0]).encode(
            x=x, y=alt.Y("activity:N", sort=order, title=None, axis=alt.Axis(labelLimit=260)),
            shape=alt.Shape("kind:N", title=tr("col.clock"), legend=alt.Legend(orient="bottom")),
            tooltip=[alt.Tooltip("activity:N", title=tr("col.activity")),
                     alt.Tooltip("at:T", title=tr("col.time"), format=f"{fmt} %H:%M"),
                     alt.Tooltip("kind:N", title=tr("col.clock"))]))
        vega_chart(tr, alt.layer(*layers).properties(height=height), height=height + 110,
                   description=tr("oc.timeline_alt", case=case["case_id"]))

    tl_rows = tl.rows()
    table = pd.DataFrame({
        tr("col.time"): [tr.date(t.to_pydatetime()) for t in tl_rows["at"]],
        tr("col.activity"): tl_rows["activity"].fillna(""),
        tr("col.resource"): [queries.mask_pseudonyms(x, pseudo) if isinstance(x, str) else ""
                             for x in tl_rows["resource"]],
        tr("col.clock"): [(tr(f"oc.mark_{m}") if m else "") + (f": {tr.num(d, 1)} d" if pd.notna(d) else "")
                          for m, d in zip(tl_rows["mark"].fillna(""), tl_rows["days"])],
    })
    st.markdown(f"**{tr('oc.reasons')}**")
    for sentence in case["reasons"]:
        st.markdown(f"- {queries.mask_pseudonyms(str(sentence), pseudo)}")
    chart_or_table(tr, draw_timeline, table, key="case_timeline")
    if tl.later_events:
        st.caption(tr("oc.later_events", n=tr.int(tl.later_events)))

# --- compliance history ------------------------------------------------------------------------

st.subheader(tr("oc.history"))
monthly = pd.DataFrame((run.history or {}).get("monthly") or [])
if monthly.empty:
    st.caption(tr("oc.no_history"))
else:
    month, share = tr("overview.month"), tr("col.share_in_time")
    chart = pd.DataFrame({month: monthly["month"], share: (100 * monthly["share_in_time"]).round(1)})
    history_table = pd.DataFrame({
        month: monthly["month"], tr("col.decided"): monthly["decided"], tr("col.in_time"): monthly["in_time"],
        share: [tr.pct(x) for x in monthly["share_in_time"]],
        tr("col.refunded"): [money(x) for x in monthly["refund_nok"]]})
    chart_or_table(tr, lambda: bar_chart(tr, chart, x=month, y=share, color=PALETTE[0], y_title=f"{share} (%)",
                                         description=tr("oc.history_alt")), history_table, key="compliance")
    yearly = pd.DataFrame((run.history or {}).get("yearly") or [])
    if not yearly.empty:
        with st.expander(tr("oc.yearly")):
            st.dataframe(pd.DataFrame({
                tr("col.year"): yearly["year"].astype(str), tr("col.decided"): yearly["decided"],
                tr("col.late"): yearly["late"], tr("col.refunded"): [money(x) for x in yearly["refund_nok"]]}),
                hide_index=True, key="yearly_table")

# --- model quality -----------------------------------------------------------------------------

st.subheader(tr("oc.evaluation"))
ev_run = run.evaluation
if ev_run is None:
    st.info(monitor_report.message_text(run.message, tr.lang) if run.message else tr("oc.not_evaluated"),
            icon=":material/info:")
else:
    mae = ev_run.get("mae_days") or {}
    best = monitor_report.best_baseline(ev_run)
    interval = ev_run.get("interval") or {}
    miss = ev_run.get("miss")
    m1, m2, m3 = st.columns(3)
    m1.metric(tr("oc.mae"), tr("oc.days", n=tr.num(mae.get("model"), 1)),
              # Streamlit reads the direction from a leading ASCII "-", not the typographic minus
              delta=None if best is None else tr.num(mae["model"] - best[1], 1).replace("−", "-"),
              delta_color="inverse",
              help=None if best is None else tr("oc.mae_help", name=monitor_report.baseline_name(best[0], tr.lang),
                                                best=tr.num(best[1], 1)))
    m2.metric(tr("oc.auc"), "–" if not miss else tr.num(miss["auc"], 2),
              help=None if not miss else tr("oc.auc_help", brier=tr.num(miss["brier"], 3),
                                            base=tr.num(miss["brier_base_rate"], 3)))
    m3.metric(tr("oc.coverage"), tr.pct(interval.get("coverage"), 0),
              help=tr("oc.coverage_help", target=tr.pct(interval.get("target", 0.8), 0)))
    split = ev_run.get("split") or {}
    if split.get("cut"):
        st.caption(tr("oc.split", cut=tr.date(pd.Timestamp(split["cut"]).tz_convert(run.zone).date()),
                      train=tr.int(split.get("train_cases")), test=tr.int(split.get("test_cases"))))

st.download_button(tr("oc.download"), exported(ctx, f"{log}_monitor.html", lambda: data.monitor_html(ctx.snap, run, tr.lang)),
                   file_name=f"{log}_monitor.html", mime="text/html", icon=":material/download:", on_click="ignore",
                   key="dl_monitor_html")
