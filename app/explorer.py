"""Saksflyt explorer: the Streamlit entry file that `saksflyt explore` runs.

It asks who is there first (`app.explore_login`: the login, and the logs their grants open), then builds
the navigation, the sidebar shared by every page (language, log, filters, the analysis shown) and hands
the pages a `PageContext`; the pages in `app/app_pages/` draw, `app.explore_data` reads. Every page sees
only the logs the person may see: the store's snapshot is cut down to them before anything reads it, and a
`?log=` in the URL for another log is refused and audited. The store comes from env SAKSFLYT_STORE (set by
`saksflyt explore --store`).
"""
from __future__ import annotations

import dataclasses

import streamlit as st

from saksflyt.app import explore_data as data
from saksflyt.app import explore_login as login
from saksflyt.app import explore_queries as queries
from saksflyt.app import explore_store as stores
from saksflyt.app.app_pages.common import CONTEXT_KEY, PageContext, page_chrome, show_problem
from saksflyt.app.i18n import LANG_NAMES, LANGS, Translator
from saksflyt.extractors import store

st.set_page_config(page_title="Saksflyt", page_icon=":material/account_tree:", layout="wide")
st.session_state.setdefault("lang", "nb")
tr = Translator(st.session_state["lang"])
page_chrome(tr.lang)
path = str(store.store_path().resolve())
person = login.viewer(tr)
if not person.anything:
    login.no_access(path, person, tr)

pages = [
    st.Page("app_pages/overview.py", title=tr("nav.overview"), default=True,
            icon=":material/dashboard:"),
    st.Page("app_pages/process_map.py", title=tr("nav.map"), url_path="process-map", icon=":material/account_tree:"),
    st.Page("app_pages/variants.py", title=tr("nav.variants"), url_path="variants", icon=":material/alt_route:"),
    st.Page("app_pages/bottlenecks.py", title=tr("nav.bottlenecks"), url_path="bottlenecks",
            icon=":material/hourglass_bottom:"),
    st.Page("app_pages/handovers.py", title=tr("nav.handovers"), url_path="handovers", icon=":material/swap_horiz:"),
    st.Page("app_pages/backlog.py", title=tr("nav.backlog"), url_path="backlog", icon=":material/checklist:"),
    st.Page("app_pages/open_cases.py", title=tr("nav.open_cases"), url_path="open-cases", icon=":material/alarm:"),
    st.Page("app_pages/compare.py", title=tr("nav.compare"), url_path="compare", icon=":material/compare_arrows:"),
    st.Page("app_pages/accessibility.py", title=tr("nav.accessibility"), url_path="accessibility",
            icon=":material/accessibility:"),
    # the audit trail is an admin's: hidden from everyone else's menu, and its page refuses them by URL too
    st.Page("app_pages/audit.py", title=tr("nav.audit"), url_path="audit", icon=":material/history:",
            visibility="visible" if person.admin else "hidden"),
]
page = st.navigation(pages)


def _clear_filters(prefix: str) -> None:
    for key in [k for k in st.session_state if isinstance(k, str) and k.startswith(prefix)]:
        del st.session_state[key]


def _filters(snap: stores.Snapshot, log: str) -> queries.Filters:
    """The filter widgets of one log (their keys carry the log, so each log keeps its own filters)."""
    opts = data.filter_options(snap, log)
    prefix = f"f_{log}_"
    active = any(st.session_state.get(k) for k in st.session_state if isinstance(k, str) and k.startswith(prefix)
                 and not k.endswith("period"))
    with st.expander(tr("filters.title"), expanded=active, icon=":material/filter_alt:"):
        period = ()
        if opts.first_day and opts.last_day:
            period = st.date_input(tr("filters.period"), value=(opts.first_day, opts.last_day),
                                   min_value=opts.first_day, max_value=opts.last_day, key=prefix + "period",
                                   format=tr("format.date_input"))
        chosen = st.multiselect(tr("filters.attributes"), [name for name, _ in opts.attributes],
                                key=prefix + "attrs", help=tr("filters.person_note"),
                                placeholder=tr("word.choose_many"))
        values = dict(opts.attributes)
        attributes = tuple((name, tuple(st.multiselect(tr("filters.attribute_values", name=name), values[name],
                                                       key=f"{prefix}attr_{name}", placeholder=tr("word.choose_many"))))
                           for name in chosen)
        labels = {vid: tr("filters.variant_option", id=vid, cases=tr.int(n), acts=acts)
                  for vid, n, acts in opts.variants}
        variants = st.multiselect(tr("filters.variants"), list(labels), key=prefix + "variants",
                                  format_func=lambda v: labels.get(v, f"#{v}"), placeholder=tr("word.choose_many"))
        present = st.multiselect(tr("filters.present"), opts.activities, key=prefix + "present",
                                 placeholder=tr("word.choose_many"))
        absent = st.multiselect(tr("filters.absent"), opts.activities, key=prefix + "absent",
                                placeholder=tr("word.choose_many"))
        st.button(tr("filters.reset"), on_click=_clear_filters, args=(prefix,), icon=":material/filter_alt_off:")
    start = end = None
    if isinstance(period, (tuple, list)) and len(period) == 2:
        start = period[0] if period[0] > opts.first_day else None
        end = period[1] if period[1] < opts.last_day else None
    elif isinstance(period, (tuple, list)) and len(period) == 1:  # the second date not picked yet
        start = period[0] if period[0] > opts.first_day else None
    return queries.Filters(start=start, end=end, attributes=attributes, variants=tuple(variants),
                        present=tuple(present), absent=tuple(absent))


class _Refused(Exception):
    """A `?log=` naming a log this person may not see (or none at all: the same answer, so a name's
    existence is not given away)."""

    def __init__(self, log: str) -> None:
        super().__init__(log)
        self.log = log


def _asked_log(snap: stores.Snapshot) -> None:
    """Follow a `?log=NAME` in the URL (a shared link) once: select it when it is one of theirs."""
    asked = st.query_params.get("log")
    if asked is None or asked == st.session_state.get("_query_log_seen"):
        return
    st.session_state["_query_log_seen"] = asked
    if asked not in snap.names:
        raise _Refused(asked)
    st.session_state["log"] = asked


def _sidebar() -> PageContext:
    with st.sidebar:
        st.radio(tr("sidebar.lang"), LANGS, key="lang", format_func=LANG_NAMES.get, horizontal=True)
        try:
            snap = stores.snapshot(path)
        except (stores.FRIENDLY_ERRORS) as exc:
            login.account(person, tr, None)
            return PageContext(path=path, tr=tr, problem=exc, viewer=person)
        if not person.everyone:  # every page reads through this snapshot: only their logs are in it
            snap = dataclasses.replace(snap, logs=tuple(v for v in snap.logs if person.may_see(v.log)))
        _asked_log(snap)
        if not snap.logs:
            login.account(person, tr, None)
            return PageContext(path=path, tr=tr, snap=snap, viewer=person)
        if st.session_state.get("log") not in snap.names:
            st.session_state["log"] = snap.names[0]
        log = st.selectbox(tr("sidebar.log"), snap.names, key="log")
        st.query_params["log"] = log
        st.session_state["_query_log_seen"] = log
        login.account(person, tr, log)
        v = snap.get(log)
        st.button(tr("sidebar.refresh"), help=tr("sidebar.refresh_help"), icon=":material/refresh:")
        if snap.stale:
            st.warning(tr("sidebar.stale"), icon=":material/sync:")
        if v.run_id is None:
            st.caption(tr("filters.not_mined"))
            return PageContext(path=path, tr=tr, snap=snap, log=log, viewer=person)
        st.caption(tr("sidebar.run", seq=v.run_seq, when=tr.date(v.run_finished_at)))
        if v.loaded_after_run:
            st.caption(tr("sidebar.loaded_after_run", log=log))
        try:
            filters = _filters(snap, log)
            total = int(data.run_summary(snap, log)["cases"])
        except stores.FRIENDLY_ERRORS as exc:
            return PageContext(path=path, tr=tr, snap=snap, log=log, problem=exc, viewer=person)
        if person.everyone:  # the server's file path is the analyst's business, not a logged-in reader's
            st.caption(tr("sidebar.store", path=path))
        return PageContext(path=path, tr=tr, snap=snap, log=log, filters=filters, total_cases=total,
                           viewer=person)


def _audit_view(ctx: PageContext) -> None:
    """One audit row per page shown with its log: a rerun for a filter or a click on the same page and log
    is the same view. A tiny write with a short retry; a busy or read-only store gives a warning in the
    server's log, never a failed page (`audit.record`)."""
    shown = (page.url_path or "overview", ctx.log)
    if ctx.snap is None or st.session_state.get("_audit_last_view") == shown:
        return  # no store to write to (its problem is on the page), or the same view again
    if shown[0] == "audit" and not person.admin:
        return  # the page refuses, and records that instead
    st.session_state["_audit_last_view"] = shown
    stores.explorer_record(path, action="view", log_name=ctx.log, what=shown[0], subject=person.subject)


try:
    st.session_state[CONTEXT_KEY] = _sidebar()
except stores.FRIENDLY_ERRORS as exc:  # e.g. the store vanished between two reads
    show_problem(exc, tr, path=path)
    st.stop()
except _Refused as refused:
    with st.sidebar:
        login.account(person, tr, None)
    login.refuse(path, person, message=tr("access.log_refused", log=refused.log), log=refused.log, what="log")
_audit_view(st.session_state[CONTEXT_KEY])
page.run()
