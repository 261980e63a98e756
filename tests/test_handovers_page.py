"""The explorer's handovers page and report.html's handovers section, on the samhandling sample (units in
`enhet`, contacts in sample_logs/saksflyt.toml): the figures shown are the stored ones."""
from __future__ import annotations

import re
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from saksflyt.app import mine_config
from saksflyt.app.i18n import STRINGS, Translator
from saksflyt.extractors import store
from saksflyt.mining import collaboration_results, insights_results
from saksflyt.mining.run import MineOptions, mine
from helpers import SAMPLES, cli, pseudonym_key
from page_checks import metric, ok, open_explorer

LOG = "samhandling"


@pytest.fixture(scope="module")
def collab_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """samhandling ingested and mined with the sample config's contacts (mining only: no scoring), once."""
    path = tmp_path_factory.mktemp("handovers-store") / "store.duckdb"
    with pseudonym_key():
        cli("--store", str(path), "ingest", str(SAMPLES / "samhandling.csv"), "--log", LOG, "--quiet")
        config = mine_config.read(SAMPLES / "saksflyt.toml", LOG)
        insights = insights_results.InsightOptions(external=config.external, mandatory=config.mandatory,
                                                   incoming=config.incoming, outgoing=config.outgoing)
        mine(store_path=path, log_name=LOG, options=MineOptions(insights=insights, calendar=config.calendar))
    return path


def stored(path: Path) -> tuple[dict, list[dict], str]:
    with store.read(path) as con:
        summary = collaboration_results.summary(con, LOG)
        edges = collaboration_results.handovers(con, LOG, lang="nb").to_dict("records")
        (page,) = con.execute("SELECT html FROM mining_reports WHERE log = ?", [LOG]).fetchall()[0]
    return summary, edges, page


def handovers_page(monkeypatch: pytest.MonkeyPatch, path: Path, lang: str = "nb") -> AppTest:
    return ok(open_explorer(monkeypatch, path, lang=lang, log=LOG, page="app_pages/handovers.py"))


def test_page_shows_the_stored_handover_figures(monkeypatch: pytest.MonkeyPatch, collab_store: Path) -> None:
    summary, edges, _ = stored(collab_store)
    assert summary is not None and summary["basis"] == "unit" and summary["contacts_source"] == "config"
    at = handovers_page(monkeypatch, collab_store)
    tr = Translator("nb")
    assert at.title[0].value == STRINGS["ho.title"]["nb"]
    assert metric(at, tr("ho.cases_with_handover")) == tr.int(summary["cases_with_handover"])
    assert metric(at, tr("ho.ping_pong")) == tr.pct(summary["ping_pong_share"])
    assert metric(at, tr("ho.median_units")) == tr.num(summary["median_units_per_case"], 1)
    assert metric(at, tr("ho.wait")) == tr.hours(summary["median_handover_wait_hours"])
    assert metric(at, tr("ho.multi_voice")) == tr.pct(summary["multi_voice_share"])
    assert metric(at, tr("ho.repeat_door")) == tr.pct(summary["repeat_door_share"])
    assert metric(at, tr("ho.letters_saved")) == tr.int(summary["letters_saved"])
    assert "[logs.samhandling.contacts]" in "\n".join(c.value for c in at.caption)
    # the handover table, most frequent first: its top row is the stored top edge
    table = next(d.value for d in at.dataframe if tr("col.returns") in d.value.columns
                 and tr("col.from") in d.value.columns)
    top = table.iloc[0]
    assert (top[tr("col.from")], top[tr("col.to")]) == (edges[0]["source_unit"], edges[0]["target_unit"])
    assert int(top[tr("col.count")]) == edges[0]["count"] and int(top[tr("col.cases")]) == edges[0]["cases"]
    assert len(table) == len(edges)
    # the graph: a named image in a focusable region (or Streamlit's own graphviz chart without `dot`)
    drawn = [m.value for m in at.markdown if "<svg" in m.value]
    if drawn:
        assert 'role="region" tabindex="0"' in drawn[0] and 'role="img"' in drawn[0]
        assert tr("ho.flow") in drawn[0]
    # the loops found are listed
    assert len(at.expander) >= len(summary["loops"]) > 0


def test_page_in_english_moves_with_the_sliders(monkeypatch: pytest.MonkeyPatch, collab_store: Path) -> None:
    at = handovers_page(monkeypatch, collab_store, lang="en")
    tr = Translator("en")
    assert at.title[0].value == "Handovers"
    assert metric(at, tr("ho.cases_with_handover"))
    at.slider(key=f"ho_paths_{LOG}").set_value(0).run()
    ok(at)
    at.radio(key="ho_mode").set_value("performance").run()
    ok(at)


def test_an_older_run_says_to_mine_again(monkeypatch: pytest.MonkeyPatch, collab_store: Path,
                                         tmp_path: Path) -> None:
    import shutil

    path = tmp_path / "store.duckdb"
    shutil.copy(collab_store, path)
    with store.connect(path) as con:   # as a run mined before handovers were found
        con.execute("DELETE FROM mining_collaboration")
    at = handovers_page(monkeypatch, path)
    assert "saksflyt mine --log samhandling" in "\n".join(i.value for i in at.info)
    assert not at.metric


def test_report_has_the_handovers_section(collab_store: Path) -> None:
    _, edges, page = stored(collab_store)
    assert '<h2 id="handovers">Samhandling</h2>' in page
    section = page[page.index('<h2 id="handovers">'):]
    section = section[:section.index("<h2", 5)]
    t = Translator("nb")
    top = edges[0]
    row = re.search(r"<tr><td>([^<]*)</td><td>([^<]*)</td><td class=\"n\">([^<]*)</td>", section)
    assert row is not None
    assert (row.group(1), row.group(2)) == (top["source_unit"], top["target_unit"])
    assert row.group(3) == t.int(top["count"])
    if "<svg" in section:
        assert 'aria-labelledby="handover-map-title handover-map-desc"' in section
