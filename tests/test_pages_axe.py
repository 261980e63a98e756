"""The HTML pages Saksflyt writes pass axe-core (WCAG 2.0/2.1 A and AA) in Chromium, in both languages,
and reflow at 320 px: report.html (whose process map has a table of its transitions), compare.html,
monitor.html, simulation_validation.html and simulation.html.

The open-data pages of `saksflyt publish` are checked in tests/test_publish.py, the explorer's pages in
tests/test_explorer_a11y.py."""
from __future__ import annotations

import re
import shutil
from functools import partial
from pathlib import Path

import pytest
from axe_chromium import axe_many
from helpers import cli as run_cli

from saksflyt.extractors import store

cli = partial(run_cli, catch_exceptions=True)


@pytest.fixture(scope="module")
def pages(monitored_store: Path, tmp_path_factory, key) -> dict[str, Path]:
    tmp = tmp_path_factory.mktemp("pages")
    db = tmp / "store.duckdb"
    shutil.copy(monitored_store, db)
    out: dict[str, Path] = {}
    for lang in ("nb", "en"):
        cli("--store", str(db), "mine", "--log", "byggesak", "--external", "Statens vegvesen", "--lang", lang,
            "--out", str(tmp / f"mine-{lang}"), "--quiet")
        out[f"report.{lang}"] = tmp / f"mine-{lang}" / "report.html"
        cli("--store", str(db), "compare", "--log", "byggesak", "--before", "2023-07-01", "--after", "2023-07-01",
            "--bootstrap", "100", "--lang", lang, "--out", str(tmp / f"compare-{lang}"), "--quiet")
        out[f"compare.{lang}"] = tmp / f"compare-{lang}" / "compare.html"
        out[f"monitor.{lang}"] = monitor_page(db, tmp / f"monitor-{lang}" / "monitor.html", lang)
        cli("--store", str(db), "simulate", "--log", "byggesak", "--validate", "--runs", "3", "--lang", lang,
            "--out", str(tmp / f"sim-{lang}"), "--quiet")
        out[f"simulation_validation.{lang}"] = tmp / f"sim-{lang}" / "simulation_validation.html"
        cli("--store", str(db), "simulate", "--log", "byggesak", "--candidate", first_candidate(db), "--runs", "3",
            "--lang", lang, "--out", str(tmp / f"sim-{lang}"), "--quiet")
        out[f"simulation.{lang}"] = tmp / f"sim-{lang}" / "simulation.html"
    return out


def monitor_page(db: Path, target: Path, lang: str) -> Path:
    """monitor.html of the stored monitor run in `lang`, as the explorer's download writes it."""
    from saksflyt.app import explore_monitor as monitoring
    from saksflyt.mining import monitor_report

    with store.read(db) as con:
        result = monitoring.stored_monitor_result(con, monitoring.monitor_row(con, "byggesak"), lang)
    return monitor_report.write(target, result, lang=lang)


def first_candidate(db: Path) -> str:
    """The best-ranked candidate that changes the process (an unblock candidate only removes a queue)."""
    with store.read(db) as con:
        return con.execute("SELECT candidate_id FROM scoring_candidates c JOIN scoring_runs r USING (log, run_id) "
                           "WHERE log = 'byggesak' AND kind <> 'unblock' ORDER BY r.run_seq DESC, rank "
                           "LIMIT 1").fetchone()[0]


@pytest.fixture(scope="module")
def checked(pages: dict[str, Path]) -> dict:
    """axe-core and the overflow of every page at 1280 and 320 px, in one browser."""
    return axe_many([(page, width) for page in pages.values() for width in (1280, 320)])


@pytest.mark.parametrize("name", [f"{page}.{lang}" for page in ("report", "compare", "monitor", "simulation_validation",
                                                                  "simulation") for lang in ("nb", "en")])
def test_written_pages_pass_axe_core_and_reflow(pages: dict[str, Path], checked: dict, name: str):
    page = pages[name]
    html = page.read_text(encoding="utf-8")
    assert f'<html lang="{name.split(".")[1]}"' in html and 'name="viewport"' in html
    if name.startswith("report"):   # the map has a text alternative: its transitions as a table, linked
        assert re.search(r'<svg role="img" aria-labelledby="map-title map-desc"[^>]*><title id="map-title">', html)
        n = int(re.search(r'<desc id="map-desc">[^<]*?(\d+) (?:overganger|transitions)', html).group(1))
        table = html[html.index('<details id="map-table">'):html.index("</details>")]
        assert 'href="#map-table"' in html and table.count("<tr><td>") == n > 5
    for width in (1280, 320):
        violations, overflow = checked[(page, width)]
        assert violations == [], (name, width, violations)
        assert overflow <= 0, (name, width, overflow)   # only tables and the map scroll, inside their own box
