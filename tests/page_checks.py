"""Checks shared by the tests of the pages Saksflyt writes and shows (imported by the test modules)."""
from __future__ import annotations

import itertools
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from helpers import EXPLORER, TEST_KEY
from streamlit.testing.v1 import AppTest


class Page(HTMLParser):
    """The parts of a page the accessibility checks look at."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))


def check_accessible(html: str) -> None:
    """A self-contained page a screen reader and a 320 px screen can use: nothing fetched or run, headings
    without skipped levels, every table captioned with scoped headers, charts named, a viewport."""
    page = Page()
    page.feed(html)
    tags = [t for t, _ in page.tags]
    assert not {"script", "link", "img", "iframe"} & set(tags)            # nothing fetched, nothing run
    assert not re.search(r"""(src|href)\s*=\s*["']?https?:""", html)
    levels = [int(t[1]) for t in tags if re.fullmatch(r"h[1-6]", t)]
    assert levels[0] == 1 and all(b <= a + 1 for a, b in itertools.pairwise(levels))  # no skipped level
    assert tags.count("table") == tags.count("caption") > 0
    assert all(a.get("scope") in ("col", "row") for t, a in page.tags if t == "th")
    for i, (t, a) in enumerate(page.tags):
        if t == "svg":
            assert a.get("role") == "img" and a.get("aria-labelledby")
            assert tags[i + 1:i + 3] == ["title", "desc"]
    assert 'name="viewport"' in html


def ok(at: AppTest) -> AppTest:
    """The explorer page ran without an exception or an error box."""
    assert not at.exception, [e.message for e in at.exception]
    assert not at.error, [e.value for e in at.error]
    return at


def metric(at: AppTest, label: str) -> str:
    values = [m.value for m in at.metric if m.label == label]
    assert values, f"no metric {label!r}: {[m.label for m in at.metric]}"
    return values[0]


def open_explorer(monkeypatch: pytest.MonkeyPatch, store: Path, *, lang: str = "nb", log: str | None = None,
                  page: str | None = None, key: str | None = TEST_KEY, timeout: float = 60) -> AppTest:
    """The explorer on `store` in `lang`, run once (on `log`, then switched to `page`, when given); `key`
    None leaves SAKSFLYT_PSEUDONYM_KEY as it is. Not checked: callers wrap it in `ok` where they expect no error."""
    monkeypatch.setenv("SAKSFLYT_STORE", str(store))
    if key is not None:
        monkeypatch.setenv("SAKSFLYT_PSEUDONYM_KEY", key)
    at = AppTest.from_file(str(EXPLORER), default_timeout=timeout)
    at.session_state["lang"] = lang
    if log:
        at.session_state["log"] = log
    at.run()
    if page:
        at.switch_page(page).run()
    return at
