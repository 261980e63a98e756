"""The explorer's door: who is asking (`st.login`, OpenID Connect) and what they may see (`app.access`).

Runs at the top of every script run, before the navigation, so nothing of a log is drawn for someone not
logged in or not granted it. Without a login configured (`saksflyt explore` on loopback, or `--no-auth`)
the viewer is the OS user with every log, as before. Refusals are written to the audit trail.
"""
from __future__ import annotations

import streamlit as st

from saksflyt.app import access, audit, explore_auth
from saksflyt.app import explore_store as stores
from saksflyt.app.i18n import LANG_NAMES, LANGS, Translator
from saksflyt.extractors.errors import InputError

def _login_page(tr: Translator) -> None:
    st.radio(tr("sidebar.lang"), LANGS, key="lang", format_func=LANG_NAMES.get, horizontal=True)
    st.title(tr("login.title"))
    st.markdown(tr("login.intro"))
    if st.button(tr("login.button"), type="primary", icon=":material/login:", key="login_button"):
        st.login()


def viewer(tr: Translator) -> access.Viewer:
    """The person this run serves; draws the login page and stops when a login is needed first."""
    served = explore_auth.current()
    if not served.login:
        return access.local_viewer(audit.os_subject())
    if not st.user.is_logged_in:
        _login_page(tr)
        st.stop()
    try:
        return access.viewer(served.grants, st.user.to_dict(), groups_claim=served.groups_claim)
    except InputError as exc:  # a token without a subject: nobody to hold to account, so nothing is shown
        st.error(str(exc), icon=":material/error:")
        st.button(tr("login.logout"), on_click=st.logout, key="logout_bad_token")
        st.stop()


def account(person: access.Viewer, tr: Translator, log: str | None) -> None:
    """The sidebar's who-am-I: the subject (an id, as the audit trail records it), the role, log out."""
    if person.everyone:
        return
    st.caption(tr("login.as", who=person.subject))
    role = person.role(log) if log else None
    if role:
        st.caption(tr("login.role", log=log, role=tr(f"login.role.{role}")))
    st.button(tr("login.logout"), on_click=st.logout, icon=":material/logout:", key="logout")


def refuse(path: str, person: access.Viewer, *, message: str, log: str | None, what: str) -> None:
    """Say no, record the attempt, and stop the run."""
    _record_refusal(path, person, what=what, log=log)
    st.error(message, icon=":material/block:")
    st.stop()


def _record_refusal(path: str, person: access.Viewer, *, what: str, log: str | None) -> None:
    """One audit row per attempt, not one per rerun of the same refused page."""
    if st.session_state.get("_audit_last_refusal") != (what, log):
        st.session_state["_audit_last_refusal"] = (what, log)
        stores.explorer_record(path, action="refused", log_name=log, what=what, subject=person.subject)


def no_access(path: str, person: access.Viewer, tr: Translator) -> None:
    """Logged in, granted nothing: one line on whom to ask, log out, stop."""
    st.title("Saksflyt")
    st.warning(tr("login.no_access", who=person.subject), icon=":material/lock:")
    st.button(tr("login.logout"), on_click=st.logout, icon=":material/logout:", key="logout_no_access")
    _record_refusal(path, person, what="login", log=None)
    st.stop()
