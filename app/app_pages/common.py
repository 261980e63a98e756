"""What every page shares: the context the entry file builds, friendly messages, chart-or-table tabs.

UI only; data comes from `app.explore_data` (cached) over `app.explore_queries`.
"""
from __future__ import annotations

import contextlib
import html
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import altair as alt
import duckdb
import pandas as pd
import streamlit as st

from saksflyt.app import access
from saksflyt.app import explore_data as data
from saksflyt.app import explore_map as maps
from saksflyt.app import explore_queries as queries
from saksflyt.app import explore_store as stores
from saksflyt.app.i18n import VEGA_LOCALE, Translator
from saksflyt.extractors.errors import SaksflytError, StoreError, StoreLockedError

CONTEXT_KEY = "_explorer_context"

# Streamlit's theme fades captions (opacity 0.6) to 3.9:1 on white and draws no focus ring on some
# controls; WCAG 2.1 AA asks 4.5:1 for text (1.4.3) and a visible focus (2.4.7) of 3:1 (1.4.11). Its page
# is <html lang="en"> whatever the text (3.1.1), so the page language is set on every run.
_CHROME = """<style>
[data-testid="stCaptionContainer"] {{ opacity: 1; color: #55575f; }}
a:focus-visible, button:focus-visible, input:focus-visible, textarea:focus-visible, summary:focus-visible,
[role="slider"]:focus-visible, [role="tab"]:focus-visible, [role="radio"]:focus-visible,
[role="checkbox"]:focus-visible, [role="combobox"]:focus-visible, [tabindex]:focus-visible {{
  outline: 3px solid #0b5394 !important; outline-offset: 2px; }}
label:has(input:focus-visible) {{ outline: 3px solid #0b5394; outline-offset: 2px; }}
</style><script>document.documentElement.lang = "{lang}";</script>"""


def page_chrome(lang: str) -> None:
    """The page's language and the contrast and focus fixes above, drawn once per run by the entry file."""
    st.html(_CHROME.format(lang=lang), unsafe_allow_javascript=True)


@dataclass(frozen=True)
class PageContext:
    """Set by `app/explorer.py` on every run, before the page runs."""

    path: str
    tr: Translator
    snap: stores.Snapshot | None = None
    log: str | None = None
    filters: queries.Filters = queries.Filters()
    total_cases: int | None = None
    problem: Exception | None = None   # a bad state found while building the sidebar
    viewer: access.Viewer = access.Viewer(subject="")   # who is looking; the default may see nothing


def context() -> PageContext:
    ctx = st.session_state.get(CONTEXT_KEY)
    if ctx is None:  # a page run without the entry file: nothing to show
        st.stop()
    return ctx


def show_problem(exc: BaseException, tr: Translator, *, path: str = "", log: str | None = None) -> None:
    """One friendly message that says what to do; never a traceback."""
    if isinstance(exc, stores.NoStoreError):
        st.info(tr("state.no_store", path=exc.path), icon=":material/database:")
    elif isinstance(exc, stores.NotMinedError):
        st.info(tr("state.not_mined", log=exc.log), icon=":material/hourglass_empty:")
    elif isinstance(exc, StoreLockedError):
        st.info(tr("state.locked"), icon=":material/sync:")
    elif isinstance(exc, (StoreError, SaksflytError)):
        st.warning(tr("state.store_error", msg=str(exc)), icon=":material/warning:")
    else:
        msg = str(exc).splitlines()[0][:200] if str(exc) else type(exc).__name__
        st.error(tr("state.read_error", msg=msg, log=log or "NAME"), icon=":material/error:")


@contextlib.contextmanager
def guard(ctx: PageContext) -> Iterator[None]:
    """Run a page body; a bad state becomes its friendly message and the page stops there."""
    try:
        yield
    except (SaksflytError, duckdb.Error, OSError) as exc:
        show_problem(exc, ctx.tr, path=ctx.path, log=ctx.log)
        st.stop()


def exported(ctx: PageContext, what: str, make: Callable[[], bytes | str]) -> Callable[[], bytes | str]:
    """A download button's data that records the export in the audit trail when it is made: Streamlit calls
    a callable only on the click, so what is recorded is a download, not a button drawn."""
    path, log, subject = ctx.path, ctx.log, ctx.viewer.subject

    def make_and_record() -> bytes | str:
        body = make()
        stores.explorer_record(path, action="export", log_name=log, what=what, subject=subject)
        return body

    return make_and_record


def require_log(ctx: PageContext) -> str:
    """The chosen log, or the friendly message for an empty/missing store and a stop."""
    if ctx.problem is not None:
        show_problem(ctx.problem, ctx.tr, path=ctx.path, log=ctx.log)
        st.stop()
    if ctx.snap is None or not ctx.snap.logs or ctx.log is None:
        st.info(ctx.tr("state.empty_store", path=ctx.path), icon=":material/database:")
        st.stop()
    return ctx.log


def require_mined(ctx: PageContext) -> str:
    log = require_log(ctx)
    v = ctx.snap.get(log)
    if v is None or v.run_id is None:
        show_problem(stores.NotMinedError(log), ctx.tr)
        st.stop()
    return log


def filter_note(ctx: PageContext, cases: int) -> None:
    """Say when filters narrow the cases, and stop with a hint when nothing is left."""
    if ctx.filters.active:
        st.caption(ctx.tr("filters.active", cases=ctx.tr.int(cases), total=ctx.tr.int(ctx.total_cases)))
    if cases == 0:
        st.info(ctx.tr("filters.none_left"), icon=":material/filter_alt_off:")
        st.stop()


def chart_or_table(tr: Translator, draw: Callable[[], None], table: pd.DataFrame, *, key: str) -> None:
    """Every chart with its table alternative (screen readers and keyboard users get the numbers)."""
    chart_tab, table_tab = st.tabs([tr("word.chart"), tr("word.table")])
    with chart_tab:
        draw()
    with table_tab:
        st.dataframe(table, hide_index=True, key=f"{key}_table")


TEXT = "#3d3f47"   # chart text (axes, legends): 10:1 on white, where the theme's grey is under 4.5:1


def vega_chart(tr: Translator, chart: alt.TopLevelMixin, *, description: str, height: int | None = None) -> None:
    """A Vega-Lite chart in the page's language (axes, months, numbers) that a screen reader names once.

    The SVG is named by `description`; its marks are hidden from assistive technology (`aria: false`),
    because the numbers are in the table tab beside every chart, and Vega's unnamed mark groups would
    otherwise each be an image without a name (axe `svg-img-alt`)."""
    spec = (chart.properties(description=description).configure(locale=VEGA_LOCALE[tr.lang], aria=False)
            .configure_mark(aria=False).configure_axis(aria=False, labelColor=TEXT, titleColor=TEXT)
            .configure_legend(aria=False, labelColor=TEXT, titleColor=TEXT))
    kwargs = {"height": height} if height else {}
    st.altair_chart(spec, width="stretch", **kwargs)


def bar_chart(tr: Translator, frame: pd.DataFrame, *, x: str, y: str, color: str, description: str,
              horizontal: bool = False, y_title: str | None = None) -> None:
    """Bars in the frame's order (categories keep their order: weekdays, bins, ranks)."""
    order = list(frame[x])
    cat = alt.Y(f"{x}:N", sort=order, title=x, axis=alt.Axis(labelLimit=240)) if horizontal else \
        alt.X(f"{x}:N", sort=order, title=x, axis=alt.Axis(labelAngle=0 if len(order) <= 8 else -45))
    val = (alt.X if horizontal else alt.Y)(f"{y}:Q", title=y_title or y)
    bars = alt.Chart(frame).mark_bar(color=color).encode(
        **({"y": cat, "x": val} if horizontal else {"x": cat, "y": val}),
        tooltip=[alt.Tooltip(f"{x}:N"), alt.Tooltip(f"{y}:Q", format=",")])
    vega_chart(tr, bars, description=description)


# Okabe–Ito colours: distinguishable with the common colour-vision deficiencies.
PALETTE = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000"]


def map_controls(tr: Translator, counts: pd.DataFrame, *, keys: tuple[str, str, str], share_label: str,
                 share_help: str, load: Callable[[list[str]], "queries.MapData"], highlight: str | None = None
                 ) -> tuple[list[str], "queries.MapData", "maps.ProcessMapView"]:
    """The Disco-style controls above a map (mode, share of nodes shown, share of paths) and the map they
    give: the nodes kept, their data (`load(kept)`) and the drawn view. `keys` name the three remembered
    settings (mode, nodes, paths)."""
    c1, c2, c3 = st.columns([1, 1, 1])
    modes = {"frequency": tr("map.mode.frequency"), "performance": tr("map.mode.performance")}
    mode = c1.radio(tr("map.mode"), list(modes), format_func=modes.get, horizontal=True,
                    **persistent(keys[0], "frequency"))
    share = c2.slider(share_label, 1, 100, step=1, help=share_help,
                      **persistent(keys[1], maps.default_activity_pct(len(counts))))
    kept = maps.kept_activities(counts, share)
    md = load(kept)
    paths = c3.slider(tr("map.paths"), 0, 100, step=1, help=tr("map.paths_help"),
                      **persistent(keys[2], maps.default_paths_pct(md.edges, len(kept))))
    view = maps.build_map(md, keep_paths_pct=paths, mode=mode, fmt_count=tr.int, fmt_hours=tr.hours,
                          start_label=tr("word.start"), end_label=tr("word.end"), highlight=highlight)
    return kept, md, view


def wait_legend(tr: Translator, caption: str) -> None:
    """The map's colours said in words, so no one depends on telling colours apart."""
    legend = " · ".join(
        f'<span style="color:{colour}">━━</span> {tr(f"wait.{i}")}' for i, (_, colour) in enumerate(maps.WAIT_BINS))
    legend += f' · <span style="color:{maps.NO_TIME_COLOUR}">━━</span> {tr("map.legend_no_time")}'
    legend += f' · <span style="color:#777777">╌╌</span> {tr("map.legend_start_end")}'
    st.caption(caption)
    st.html(f'<div style="font-size:0.85rem" role="note">{legend}</div>')


def graph(dot: str, *, title: str, summary: str) -> None:
    """A Graphviz graph (process map, units) as one named SVG image in its own focusable scroll box, so
    at 320 px only the graph scrolls sideways; without `dot` here Streamlit draws it in the browser."""
    drawn = data.map_svg(dot, title, summary)
    if drawn is None:
        st.graphviz_chart(dot, width="content", alt=summary)
        return
    # st.html's sanitiser drops SVG; Markdown's raw HTML keeps it, but only without blank lines
    one_block = " ".join(drawn.split("\n"))
    st.markdown(f'<div role="region" tabindex="0" aria-label="{html.escape(title)}" '
                f'style="overflow:auto;max-width:100%">{one_block}</div>', unsafe_allow_html=True)


def persistent(key: str, default: object) -> dict:
    """Keyword arguments for a page widget whose value survives switching pages.

    Streamlit forgets a widget's state when a run does not draw it, so the value is also kept under
    a second key and put back before the widget is drawn again.
    """
    if key not in st.session_state:
        st.session_state[key] = st.session_state.get(f"_keep_{key}", default)
    return {"key": key, "on_change": _remember, "args": (key,)}


def persistent_choice(key: str, options: list, default: object) -> dict:
    """`persistent` for a choice among options that may have changed (another run, another filter)."""
    for k in (key, f"_keep_{key}"):
        if k in st.session_state and st.session_state[k] not in options:
            del st.session_state[k]
    return persistent(key, default if default in options or default is None else None)


def _remember(key: str) -> None:
    st.session_state[f"_keep_{key}"] = st.session_state[key]
