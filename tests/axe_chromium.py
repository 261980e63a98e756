"""axe-core (bundled by axe-playwright-python) run on a written page in Debian's headless Chromium.

Imported by the tests of pages Saksflyt writes. Missing Chromium or Playwright skips locally and fails
under CI=true, like the explorer's browser test.
"""
from __future__ import annotations

from pathlib import Path
from typing import NoReturn

from helpers import skip_or_fail

CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]
WCAG_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def missing(what: str) -> NoReturn:
    """A skip naming what to install, a failure in CI (also used by the explorer's browser test)."""
    skip_or_fail(f"{what} is missing; run `make system-deps`")


def axe_violations(page_file: Path, *, width: int = 1280) -> tuple[list[dict], int]:
    """(axe-core's WCAG 2.0/2.1 A and AA violations as {id, nodes}, the page's sideways overflow in CSS px)
    for a page opened from disk at a viewport `width` wide."""
    return axe_many([(page_file, width)])[(page_file, width)]


def axe_many(pages: list[tuple[Path, int]]) -> dict[tuple[Path, int], tuple[list[dict], int]]:
    """`axe_violations` of many (page, width) pairs in one browser (a launch costs seconds)."""
    try:
        from axe_playwright_python.sync_playwright import Axe
        from playwright.sync_api import sync_playwright
    except ImportError:
        missing("the playwright or axe-playwright-python package")
    if not CHROMIUM.exists():
        missing(str(CHROMIUM))
    out = {}
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        try:
            for page_file, width in pages:
                page = browser.new_page(viewport={"width": width, "height": 900})
                page.goto(page_file.resolve().as_uri())
                results = Axe().run(page, options={"runOnly": {"type": "tag", "values": WCAG_AA},
                                                   "resultTypes": ["violations"]})
                overflow = page.evaluate(
                    "document.documentElement.scrollWidth - document.documentElement.clientWidth")
                page.close()
                out[(page_file, width)] = ([{"id": v["id"], "nodes": [n["html"][:120] for n in v["nodes"]]}
                                            for v in results.response["violations"]], int(overflow))
        finally:
            browser.close()
    return out
