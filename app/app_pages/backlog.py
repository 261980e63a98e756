"""Automation backlog: ranked candidates with reasons, rules, basis and gains; the process owner's marks."""
from __future__ import annotations

import pandas as pd
import streamlit as st

from saksflyt.app import explore_data as data
from saksflyt.app import explore_queries as queries
from saksflyt.app import explore_store as stores
from saksflyt.app import marks as marks_lib
from saksflyt.app import pipeline
from saksflyt.app.app_pages.common import context, exported, guard, persistent_choice, require_mined
from saksflyt.automation_scoring import simulation_report as sim_report
from saksflyt.automation_scoring import simulation_results

ctx = context()
tr = ctx.tr
st.title(tr("bl.title"))
log = require_mined(ctx)
arrow = " → "
pseudo = tr("word.pseudonym")

with guard(ctx):
    cands = data.candidates(ctx.snap, log, tr.lang)
if cands is None or cands.empty:
    st.info(tr("state.no_candidates", log=log), icon=":material/hourglass_empty:")
    st.stop()
with guard(ctx):
    stale = pipeline.staleness(ctx.path, log)
if stale is not None:
    st.warning(tr("bl.stale_scores", log=log), icon=":material/update:")

with guard(ctx):
    in_selection = data.candidate_cases(ctx.snap, log, ctx.filters, cands["activities"].tolist())
    marked, marks_stale = stores.marks(ctx.snap, log)
decision_of = {r["candidate_id"]: r for r in marked.to_dict("records")}


def decision_text(cid: str) -> str:
    m = decision_of.get(cid)
    return tr(f"decision.{m['decision']}") if m else tr("decision.none")


with guard(ctx):
    totals = data.candidate_summary(ctx.snap, log)
if totals:
    staff, claimed = totals["staff_hours_per_year"], totals["claimed_hours_per_year"]
    st.caption(tr("bl.totals", claimed=tr.num(claimed, 0), staff=tr.num(staff, 0),
                  share=tr.pct(claimed / staff) if staff else "–"))
    review = totals.get("for_review") or []
    if review:
        st.caption(tr("bl.review", steps=tr.join([r["activity"] for r in review])))
    if totals.get("activities_without_hours"):
        st.caption(tr("bl.no_hours", steps=tr.join(totals["activities_without_hours"])))
st.caption(tr("bl.note"))
st.dataframe(pd.DataFrame({
    tr("col.rank"): cands["rank"].astype("int64"),
    tr("col.rework_kind"): [tr(f"cand.{k}") for k in cands["kind"]],
    tr("col.activities"): [arrow.join(queries.as_list(a)) for a in cands["activities"]],
    tr("col.score"): [tr.num(s, 2) for s in cands["score"]],
    tr("col.hours_saved"): [tr.num(h, 0) for h in cands["hours_saved_per_year"]],
    tr("col.nok_saved"): [tr.num(n, 0) for n in cands["nok_saved_per_year"]],
    tr("col.quality_cases"): [tr.num(q, 0) for q in cands["quality_cases_per_year"]],
    tr("col.cases_selection"): [tr.int(n) for n in in_selection],
    tr("col.decision"): [decision_text(c) for c in cands["candidate_id"]],
}), hide_index=True, key="candidates_table")

rows = cands.to_dict("records")
labels = {r["candidate_id"]: f"{int(r['rank'])}. {tr('cand.' + str(r['kind']))}: {arrow.join(queries.as_list(r['activities']))}"
          for r in rows}
pick = st.selectbox(tr("bl.pick"), list(labels), format_func=labels.get,
                    **persistent_choice(f"bl_pick_{log}", list(labels), rows[0]["candidate_id"]))
if pick not in labels:
    pick = rows[0]["candidate_id"]
cand = next(r for r in rows if r["candidate_id"] == pick)

left, right = st.columns([3, 2])
with left:
    st.markdown(f"**{tr('bl.reasons')}**")
    for sentence in queries.as_list(cand.get("reasons")):
        st.markdown(f"- {queries.mask_pseudonyms(str(sentence), pseudo)}")
    st.markdown(f"**{tr('bl.rule')}**")
    rule = cand.get("rule")
    if rule is None or (isinstance(rule, float) and pd.isna(rule)) or rule == "":
        st.caption(tr("bl.no_rule"))
    else:
        st.code(rule if isinstance(rule, str) else str(rule), language=None, wrap_lines=True)
    named = [tr(f"processing_basis.{b}") for b in str(cand.get("basis")).split("+")]  # "measured+norm": both
    st.caption(tr("bl.basis", basis=" + ".join(n.removeprefix("processing_basis.") for n in named)))
    assumptions = cand.get("assumptions")
    if assumptions is not None and len(queries.as_list(assumptions) if not isinstance(assumptions, dict) else assumptions):
        st.markdown(f"**{tr('bl.assumptions')}**")
        items = assumptions.items() if isinstance(assumptions, dict) else enumerate(queries.as_list(assumptions))
        for k, text in items:
            st.markdown(f"- {text}" if isinstance(k, int) else f"- {k}: {text}")

with right:
    st.markdown(f"**{tr('bl.mark')}**")
    current = decision_of.get(pick)
    if current:
        st.caption(tr("bl.current", decision=tr(f"decision.{current['decision']}"), when=tr.date(current["marked_at"])))
    read_only = not ctx.viewer.may_mark(log)  # a reader sees the marks, an owner makes them
    if read_only:
        st.info(tr("access.read_only"), icon=":material/visibility:")
    with st.form(key=f"mark_form_{log}", clear_on_submit=False, enter_to_submit=False):
        decision = st.radio(tr("bl.decision"), marks_lib.DECISIONS, format_func=lambda d: tr(f"decision.{d}"),
                            index=marks_lib.DECISIONS.index(current["decision"]) if current else 0,
                            key=f"mark_decision_{log}_{pick}", disabled=read_only)
        comment = st.text_area(tr("bl.comment"), value=current["comment"] if current else "",
                               key=f"mark_comment_{log}_{pick}", max_chars=2000, disabled=read_only)
        submitted = st.form_submit_button(tr("bl.save"), type="primary", icon=":material/save:", disabled=read_only)
    if submitted and not read_only:
        with guard(ctx):
            stores.save_mark(ctx.path, log_name=log, candidate_id=pick, activities=queries.as_list(cand["activities"]),
                           kind=str(cand["kind"]), decision=decision, comment=comment,
                           author=None if ctx.viewer.everyone else ctx.viewer.subject)
        st.session_state["_mark_saved"] = (pick, decision)
        st.rerun()
    saved = st.session_state.pop("_mark_saved", None)
    if saved:
        st.success(tr("bl.saved", decision=tr(f"decision.{saved[1]}"), cand=labels.get(saved[0], saved[0])),
                   icon=":material/check_circle:")

# --- simulated effect of the chosen candidate (`saksflyt simulate --candidate`) --------------------


def effect_text(e: sim_report.Effect) -> str:
    unit = tr(f"bl.sim_unit.{e.unit}")
    value = sim_report.signed(tr, e.value, e.digits)
    if not e.has_interval:
        return tr("bl.sim_value_only", value=value, unit=unit)
    low, high = sim_report.signed(tr, e.low, e.digits), sim_report.signed(tr, e.high, e.digits)
    if not e.clear:
        return tr("bl.sim_unclear", low=low, high=high, unit=unit)
    return tr("bl.sim_diff", value=value, unit=unit, low=low, high=high) + f" · {tr('bl.sim_' + e.direction)}"


st.subheader(tr("bl.sim_title"))
with guard(ctx):
    simulated = stores.simulated_candidates(ctx.snap, log)
sim = simulated.get(pick)
if sim is None:
    st.info(tr("bl.sim_none", log=log, cid=pick), icon=":material/science:")
else:
    result = simulation_results.in_language(sim["result"], sim.get("texts"), tr.lang)   # its words in the page's
    created = sim["created_at"]
    st.caption(tr("bl.sim_run", when=tr.date(created.to_pydatetime() if hasattr(created, "to_pydatetime") else created),
                  runs=tr.int(result.get("runs"))))
    for change in result.get("changes") or []:
        st.caption(tr("bl.sim_change", text=change.get("text") or change.get("activity") or ""))
    target_days = (result.get("target") or {}).get("days")
    numbers, notes = st.columns([3, 2])
    with numbers:
        st.markdown("\n".join(
            f"- {tr('bl.sim.' + e.measure, days=tr.num(target_days, 0))}: {effect_text(e)}"
            for e in sim_report.effects(result)))
    with notes:
        for line in result.get("warnings") or []:
            st.warning(tr("bl.sim_warning", text=line), icon=":material/warning:")
        validation = result.get("validation")
        if validation is None:
            st.warning(tr("bl.sim_warning", text=tr("bl.sim_not_validated", log=log)), icon=":material/warning:")
        else:
            verdict = str(validation.get("verdict"))
            text = tr("bl.sim_verdict", verdict=tr(f"bl.sim_verdict.{verdict}"), text=validation.get("verdict_text") or "")
            if verdict == "poor":
                st.warning(tr("bl.sim_warning", text=text), icon=":material/warning:")
            else:
                st.markdown(text)

st.subheader(tr("bl.marks"))
if marks_stale:
    st.caption(tr("bl.marks_stale"))
if marked.empty:
    st.caption(tr("bl.no_marks"))
else:
    st.dataframe(pd.DataFrame({
        tr("col.candidate"): [labels.get(c, c) for c in marked["candidate_id"]],
        tr("col.decision"): [tr(f"decision.{d}") for d in marked["decision"]],
        tr("col.comment"): marked["comment"],
        tr("col.marked_at"): [tr.date(t.to_pydatetime() if hasattr(t, "to_pydatetime") else t)
                              for t in marked["marked_at"]],
    }), hide_index=True, key="marks_table")
    e1, e2 = st.columns(2)
    e1.download_button(tr("bl.export_csv"), exported(ctx, f"{log}_labels.csv", lambda: marks_lib.to_csv(marked)),
                       file_name=f"{log}_labels.csv",
                       mime="text/csv", icon=":material/download:", on_click="ignore", key="dl_marks_csv")
    e2.download_button(tr("bl.export_xlsx"), exported(ctx, f"{log}_labels.xlsx", lambda: marks_lib.to_excel(marked)),
                       file_name=f"{log}_labels.xlsx",
                       mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                       icon=":material/download:", on_click="ignore", key="dl_marks_xlsx")
