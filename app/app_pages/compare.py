"""Compare page: before/after a change in the chosen log, or the chosen log against another; UI only."""
from __future__ import annotations

from datetime import date

import pandas as pd
import streamlit as st

from saksflyt.app.app_pages.common import context, guard, require_log
from saksflyt.mining import compare as cmp
from saksflyt.mining import compare_sides as sides
from saksflyt.mining import compare_report
from saksflyt.mining.report import Text

ctx = context()
tr = ctx.tr


def w(key: str) -> str:
    """This page's words: the `compare.*` keys of `saksflyt.mining.wording`."""
    return tr(f"compare.{key}")


@st.cache_data(max_entries=8, ttl=600, show_spinner=False)
def _compare(path: str, a: sides.Side, b: sides.Side, target: float | None, shared: bool) -> dict:
    return cmp.compare(store_path=path, a=a, b=b,
                       options=sides.CompareOptions(target_days=target, shared_only=shared, bootstrap=1000))


def _ci(ci: list | None) -> str:
    return "–" if not ci or ci[0] is None else f"{tr.num(ci[0], 0)} – {tr.num(ci[1], 0)}"


log = require_log(ctx)
st.title(w("title"))
mode = st.radio(w("mode"), ("split", "other"), format_func=w, horizontal=True, key="cmp_mode")
with guard(ctx):
    if mode == "split":
        c1, c2 = st.columns(2)
        before = c1.date_input(w("before"), value=date(2023, 5, 1), key="cmp_before")
        after = c2.date_input(w("after"), value=date(2023, 9, 1), key="cmp_after")
        a, b = sides.split_sides(log, before=before, after=after)
        shared = False
    else:
        others = [n for n in ctx.snap.names if n != log]
        if not others:
            st.info(w("other_log") + ": –")
            st.stop()
        other = st.selectbox(w("other_log"), others, key="cmp_other")
        shared = st.checkbox(w("shared"), value=True, key="cmp_shared")
        a, b = sides.Side(log, log), sides.Side(other, other)
    target = st.number_input(w("target"), min_value=0.0, value=30.0, step=5.0, key="cmp_target") or None
    with st.spinner("…"):
        r = _compare(ctx.path, a, b, target, shared)
    med, g = r["lead_time"]["median_days"], r["gains"]
    k = st.columns(4)
    k[0].metric(w("median"), tr.num(med["b"], 1) if med["b"] is not None else "–",
                delta=None if med["difference"] is None else tr.num(med["difference"], 1), delta_color="inverse",
                help=f"{w('ci')}: {_ci(med['difference_ci'])}")
    k[1].metric(w("hours"), tr.num((g["hours_per_year"]["processing"]["value"] or 0)
                                   + (g["hours_per_year"]["waiting"]["value"] or 0), 0))
    k[2].metric(w("nok"), tr.num(g["nok_per_year"]["value"], 0), help=f"{w('ci')}: {_ci(g['nok_per_year']['ci'])}")
    k[3].metric(w("rework"), tr.num(g["rework_cases_per_year"]["value"], 0),
                help=f"{w('ci')}: {_ci(g['rework_cases_per_year']['ci'])}")
    acts = r["activities"]
    st.write(f"**{w('removed')}:** {', '.join(acts['removed']) or '–'}  \n**{w('added')}:** "
             f"{', '.join(acts['added']) or '–'}")
    st.subheader(w("edges"))
    changed = [d for d in r["dfg"] if d["status"] != "same"]
    words = Text(tr.lang)   # compare.html's wording, shared
    status = compare_report.status_names(words)
    side = {"a": "A", "b": "B"}
    if changed:
        st.dataframe(pd.DataFrame({
            w("from"): [d["source"] for d in changed], w("to"): [d["target"] for d in changed],
            w("change"): [status.get(d["status"], d["status"]) for d in changed],
            f"A: {w('share')}": [tr.pct(d["a_case_share"]) for d in changed],
            f"B: {w('share')}": [tr.pct(d["b_case_share"]) for d in changed],
            f"A: {w('median_h')}": [tr.hours(d["a_median_hours"]) for d in changed],
            f"B: {w('median_h')}": [tr.hours(d["b_median_hours"]) for d in changed],
            w("faster"): [side.get(d.get("faster_in"), "–") for d in changed],
        }), hide_index=True, width="stretch", key="cmp_edges")
    else:
        st.caption(w("no_changes"))
    together = r.get("collaboration")
    if compare_report.has_collaboration(together):
        st.subheader(w("together"))
        head, rows = compare_report.collaboration_table(words, together, "A", "B")
        st.dataframe(pd.DataFrame(rows, columns=[head[0] or " ", *head[1:]]), hide_index=True, width="stretch",
                     key="cmp_together")
        st.caption(compare_report.collaboration_note(words, together, "A", "B"))
    for n in r["notes"]:
        st.warning(compare_report.note_text(words, n), icon=":material/info:")
