"""Universal design of the explorer, checked in Debian's headless Chromium on a mined, monitored store:

- axe-core (WCAG 2.0/2.1 A and AA) on every page in both languages, after the interactions that change a
  page (filters opened and applied, sliders moved, a table tab chosen, a candidate marked);
- keyboard only: from the overview to the backlog, mark the first candidate accepted and export the labels;
- reflow: at 320 CSS px no page's main container is wider than the viewport;
- locale: the bokmål overview's time axis has Norwegian month names, the English one English names.

Without Chromium these skip locally and fail under CI=true (tests/axe_chromium.py).
"""
from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from axe_chromium import WCAG_AA
from test_explorer_browser import browser_page, playwright_api, serving  # noqa: F401  (fixture)

from saksflyt.app.i18n import STRINGS
from saksflyt.extractors import store

PAGES = ("", "process-map", "variants", "bottlenecks", "handovers", "backlog", "open-cases", "compare", "accessibility",
         "audit")


def w(key: str, lang: str) -> str:
    return STRINGS[key][lang]


def settle(page) -> None:
    """Wait until Streamlit has finished the run the last action started."""
    page.wait_for_timeout(400)
    page.wait_for_function("!document.querySelector('[data-testid=\"stStatusWidget\"]')", timeout=60_000)
    # elements of the previous run stay dimmed (stale) until the new run replaces them: axe would read their
    # faded colours as poor contrast
    page.wait_for_function("!document.querySelector('[data-stale=\"true\"]')", timeout=60_000)
    page.wait_for_timeout(250)


def go(page, name: str) -> None:
    page.locator(f'[data-testid="stSidebarNav"] a[href$="/{name}"]').first.click()
    settle(page)


def axe(page) -> list[tuple[str, list[str]]]:
    from axe_playwright_python.sync_playwright import Axe

    found = Axe().run(page, options={"runOnly": {"type": "tag", "values": WCAG_AA}, "resultTypes": ["violations"]})
    return [(v["id"], [n["html"][:100] for n in v["nodes"][:3]]) for v in found.response["violations"]]


def switch_language(page, lang: str) -> None:
    if lang == "en":
        page.get_by_text("English", exact=True).click()
        settle(page)


@pytest.mark.parametrize("lang", ["nb", "en"])
def test_every_page_passes_axe_core_after_interactions(playwright_api, monitored_store: Path,  # noqa: F811
                                                       tmp_path: Path, lang: str) -> None:
    path = tmp_path / "store.duckdb"
    shutil.copy(monitored_store, path)
    failures: dict[str, list] = {}

    def check(where: str) -> None:
        assert page.evaluate("document.documentElement.lang") == lang, where
        found = axe(page)
        if found:
            failures[where] = found

    with serving(path, tmp_path / "explorer.log") as url, browser_page(playwright_api) as page:
        page.goto(url)
        page.wait_for_selector('[data-testid="stMetric"]')
        switch_language(page, lang)
        settle(page)
        check("overview")
        # a filter opened and applied, the data-quality table and the chart's table tab
        page.get_by_text(w("filters.title", lang), exact=True).click()
        page.wait_for_timeout(800)
        present = page.get_by_role("combobox", name=w("filters.present", lang))
        # at the sidebar's bottom edge its list would open below the window: centre it first, as a user scrolls
        present.evaluate("el => el.scrollIntoView({block: 'center'})")
        present.click()
        page.wait_for_timeout(800)
        page.locator('[role="option"]', has_text="Faglig vurdering").first.click()
        page.keyboard.press("Escape")
        settle(page)
        assert page.get_by_text(re.compile(r"(Filter i bruk|Filters in use)")).count() >= 1
        page.get_by_text(w("overview.quality", lang), exact=True).click()
        page.get_by_role("tab", name=w("word.table", lang)).first.click()
        settle(page)
        check("overview, filtered, quality and table tab")
        page.get_by_role("button", name=w("filters.reset", lang)).click()
        settle(page)

        go(page, "process-map")
        check("process map")
        slider = page.get_by_role("slider", name=w("map.activities", lang))
        slider.focus()
        page.keyboard.press("End")
        settle(page)
        page.get_by_text(w("map.mode.performance", lang), exact=True).click()
        settle(page)
        check("process map, all activities, performance")
        page.get_by_role("tab", name=w("word.table", lang)).first.click()
        settle(page)
        check("process map, table tab")

        for name in ("variants", "bottlenecks", "handovers", "open-cases", "compare", "accessibility", "audit"):
            go(page, name)
            check(name)
            if name == "open-cases":   # the chosen case's reasons in the page's language
                said = {"nb": "har ventet", "en": "has waited"}
                assert page.get_by_text(said[lang]).count() >= 1
                assert page.get_by_text(said["en" if lang == "nb" else "nb"]).count() == 0
            tabs = page.get_by_role("tab", name=w("word.table", lang))
            if tabs.count():
                tabs.first.click()
                settle(page)
                check(f"{name}, table tab")

        go(page, "backlog")
        check("backlog")
        hours = {"nb": "arbeidstimer i året", "en": "working hours a year"}   # the reasons in the page's language
        page.get_by_text(hours[lang]).first.wait_for(timeout=30_000)   # a loaded machine starts the run late
        assert page.get_by_text(hours["en" if lang == "nb" else "nb"]).count() == 0
        page.get_by_text(w("decision.accepted", lang), exact=True).first.click()
        page.get_by_role("button", name=w("bl.save", lang)).click()
        settle(page)
        page.get_by_text(re.compile(r"^(Lagret|Saved)")).first.wait_for(timeout=30_000)
        assert page.get_by_text(re.compile(r"^(Lagret|Saved)")).count() == 1
        check("backlog, a candidate marked")
    assert failures == {}


def tab_to(page, selector_js: str, *, limit: int = 250, back: bool = False) -> None:
    """Press Tab (or Shift+Tab) until the focused element satisfies `selector_js` (a JS expression over
    `el`); fails when `limit` presses do not get there."""
    for _ in range(limit):
        if page.evaluate(f"(() => {{ const el = document.activeElement; return !!el && ({selector_js}); }})()"):
            return
        page.keyboard.press("Shift+Tab" if back else "Tab")
    raise AssertionError(f"never reached {selector_js} by keyboard")


def test_keyboard_only_mark_and_export(playwright_api, monitored_store: Path, tmp_path: Path) -> None:  # noqa: F811
    """Only key presses: reach the backlog, mark the first candidate accepted, save, export the labels."""
    _, expect = playwright_api
    path = tmp_path / "store.duckdb"
    shutil.copy(monitored_store, path)
    with serving(path, tmp_path / "explorer.log") as url, browser_page(playwright_api) as page:
        page.goto(url)
        page.wait_for_selector('[data-testid="stMetric"]')
        settle(page)
        page.locator("body").focus()
        tab_to(page, "el.tagName === 'A' && (el.getAttribute('href') || '').endsWith('/backlog')")
        outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
        assert outline not in ("none", ""), "no visible focus on the navigation link"
        page.keyboard.press("Enter")
        settle(page)
        assert page.get_by_role("heading", name="Automatiseringskandidater").count() == 1
        # the decision radio group: Tab reaches the checked option, arrows choose, then Tab to Save
        tab_to(page, "el.type === 'radio' && el.closest('[data-testid=\"stForm\"]')")
        for _ in range(3):
            if page.evaluate("document.activeElement.closest('label').innerText.trim()") == "akseptert":
                break
            page.keyboard.press("ArrowDown")
        assert page.evaluate("document.activeElement.checked")
        tab_to(page, "el.tagName === 'BUTTON' && el.innerText.includes('Lagre vurdering')")
        page.keyboard.press("Enter")
        settle(page)
        expect(page.get_by_text(re.compile(r"^Lagret: akseptert"))).to_have_count(1)  # waits for the rerun
        tab_to(page, "el.tagName === 'BUTTON' && el.innerText.includes('Eksporter vurderinger (CSV)')")
        with page.expect_download() as download:
            page.keyboard.press("Enter")
        saved = tmp_path / "labels.csv"
        download.value.save_as(saved)
    with store.read(path) as con:
        rows = con.execute("SELECT decision, candidate_id FROM app_marks WHERE log = 'byggesak'").fetchall()
        first = con.execute("SELECT candidate_id FROM scoring_candidates c JOIN scoring_runs r USING (log, run_id) "
                            "WHERE log = 'byggesak' ORDER BY r.run_seq DESC, rank LIMIT 1").fetchone()[0]
    assert rows == [("accepted", first)]
    text = saved.read_text(encoding="utf-8")
    assert first in text and "accepted" in text


def test_reflow_at_320_px_and_month_names(playwright_api, monitored_store: Path, tmp_path: Path) -> None:  # noqa: F811
    """At 320 CSS px (400 % zoom) no page's main container is wider than the viewport (the map and tables
    scroll in their own box); the overview's time axis speaks the page's language."""
    path = tmp_path / "store.duckdb"
    shutil.copy(monitored_store, path)
    sync_playwright, _ = playwright_api
    from axe_chromium import ARGS, CHROMIUM

    with serving(path, tmp_path / "explorer.log") as url, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        try:
            wide = browser.new_page(viewport={"width": 1280, "height": 900})
            wide.goto(url)
            wide.wait_for_selector('[data-testid="stVegaLiteChart"] svg', timeout=60_000)
            axis = " ".join(wide.locator('[data-testid="stVegaLiteChart"] svg text').all_text_contents())
            assert "mai 2023" in axis, axis
            assert not re.search(r"\b(May|March|July|October)\b", axis), axis
            switch_language(wide, "en")
            wide.wait_for_selector('[data-testid="stVegaLiteChart"] svg', timeout=60_000)
            axis = " ".join(wide.locator('[data-testid="stVegaLiteChart"] svg text').all_text_contents())
            assert "May 2023" in axis, axis

            narrow = browser.new_page(viewport={"width": 320, "height": 700})
            narrow.goto(url)
            narrow.wait_for_selector('[data-testid="stMetric"]', timeout=60_000)
            widths = {}
            for name in PAGES:
                if name:
                    narrow.goto(f"{url}/{name}")
                settle(narrow)
                widths[name or "overview"] = narrow.evaluate("""(() => {
                    const main = document.querySelector('[data-testid="stMainBlockContainer"]');
                    return [main.getBoundingClientRect().width, main.scrollWidth,
                            document.documentElement.scrollWidth, window.innerWidth]; })()""")
        finally:
            browser.close()
    for name, (box, content, page_width, viewport) in widths.items():
        assert box <= viewport and content <= viewport and page_width <= viewport, (name, box, content, page_width)
