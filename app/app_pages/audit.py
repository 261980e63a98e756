"""The audit log (revisjonslogg): who viewed, exported, marked, loaded, mined or dropped which log; filters.

An admin page: it shows every log's rows, so anyone else is refused (and that is recorded). Read on every run (never cached), so a new row shows at once.
"""
from __future__ import annotations

from datetime import datetime, timezone

import pandas as pd
import streamlit as st

from saksflyt.app import audit
from saksflyt.app import explore_login as login
from saksflyt.app import explore_store as stores
from saksflyt.app.app_pages.common import context, guard
from saksflyt.extractors import audit_log

ctx = context()
tr = ctx.tr
st.title(tr("audit.title"))
if not ctx.viewer.admin:  # hidden from their menu; this refuses the direct URL
    login.refuse(ctx.path, ctx.viewer, message=tr("access.page_refused"), log=None, what="audit")
with guard(ctx):
    st.caption(tr("audit.intro", days=tr.int(audit.retention_days_or_default())))
    with stores.reading(ctx.path) as con:
        entries = audit_log.rows(con)

if not entries:
    st.info(tr("audit.empty"), icon=":material/history:")
    st.stop()

ALL = ""
c1, c2, c3, c4 = st.columns(4)
logs = sorted({e.log_name for e in entries if e.log_name})
chosen_log = c1.selectbox(tr("audit.filter_log"), [ALL, *logs], key="audit_log_filter",
                          format_func=lambda v: v or tr("audit.all_logs"))
actions = c2.multiselect(tr("audit.filter_action"), list(audit_log.ACTIONS), key="audit_actions",
                         format_func=lambda a: tr(f"audit.action.{a}"), placeholder=tr("word.choose_many"))
subjects = c3.multiselect(tr("audit.filter_subject"), sorted({e.subject for e in entries}), key="audit_subjects",
                          placeholder=tr("word.choose_many"))
first = min(e.recorded_at for e in entries).astimezone(timezone.utc).date()
since = c4.date_input(tr("audit.since"), value=first, key="audit_since", format=tr("format.date_input"))

start = datetime.combine(since, datetime.min.time(), timezone.utc) if since else None
picked = [e for e in entries if (not chosen_log or e.log_name == chosen_log) and (start is None or e.recorded_at >= start)]
shown = audit.newest_first(picked, actions=tuple(actions), subjects=tuple(subjects))
st.caption(tr("audit.shown", shown=tr.int(len(shown)), total=tr.int(len(entries))))
table = pd.DataFrame({
    tr("audit.col.at"): [e.recorded_at.astimezone(timezone.utc).strftime("%Y-%m-%d %H:%M:%S") for e in shown],
    tr("audit.col.subject"): [e.subject for e in shown],
    tr("audit.col.action"): [tr(f"audit.action.{e.action}") for e in shown],
    tr("audit.col.log"): [e.log_name or "" for e in shown],
    tr("audit.col.what"): [e.what for e in shown],
    tr("audit.col.detail"): [e.detail for e in shown],
})
st.dataframe(table, hide_index=True, key="audit_table")
