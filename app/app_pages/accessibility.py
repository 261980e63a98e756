"""The accessibility statement (tilgjengelighetserklæring) in the page's language; the README holds the same."""
from __future__ import annotations

import streamlit as st

from saksflyt.app.app_pages.common import context
from saksflyt.app.statement import statement

ctx = context()
st.title(ctx.tr("nav.accessibility"))
st.markdown(statement(ctx.tr.lang).split("\n", 1)[1])   # the page title stands for the statement's heading
