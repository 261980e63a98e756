"""Candidate reasons, assumptions and rules, the mining evidence and open cases' reasons are stored in both
languages, so every page can show them in its own; runs written before fall back to their own language."""
from __future__ import annotations

import re
import shutil
from pathlib import Path

import duckdb

from saksflyt.app import explore_monitor as monitoring
from saksflyt.automation_scoring import results as scoring_results
from saksflyt.extractors import store
from saksflyt.mining import insights_results, monitor_results

NUMBER = re.compile(r"\d[\d\s\u00a0.,]*")


def numbers(text: str) -> list[str]:
    """The digits of every number, so '1 502,5' (nb) and '1,502.5' (en) compare equal."""
    return [re.sub(r"\D", "", n) for n in NUMBER.findall(text)]


def test_candidates_in_both_languages_with_the_same_numbers(monitored_store: Path) -> None:
    with store.read(monitored_store) as con:
        nb = scoring_results.candidates(con, "byggesak")          # mined in bokmål (the default)
        en = scoring_results.candidates(con, "byggesak", lang="en")
        assert scoring_results.candidates(con, "byggesak", lang="nb") == nb
    assert [c["candidate_id"] for c in en] == [c["candidate_id"] for c in nb] and len(nb) >= 5
    for a, b in zip(nb, en):
        assert len(a["reasons"]) == len(b["reasons"]) and len(a["assumptions"]) == len(b["assumptions"])
        assert a["reasons"] != b["reasons"]
        for x, y in zip(a["reasons"], b["reasons"]):
            assert numbers(x) == numbers(y), (x, y)
        assert (a["rule"] is None) == (b["rule"] is None)
    text_nb, text_en = " ".join(nb[0]["reasons"]), " ".join(en[0]["reasons"])
    assert "saker" in text_nb and "saker" not in text_en and "cases" in text_en


def test_mining_evidence_and_open_case_reasons_in_both_languages(monitored_store: Path) -> None:
    with store.read(monitored_store) as con:
        b_nb = insights_results.bottlenecks(con, "byggesak")
        b_en = insights_results.bottlenecks(con, "byggesak", lang="en")
        r_en = insights_results.rework(con, "byggesak", lang="en")
        n_en = insights_results.needless(con, "byggesak", lang="en")
        run = monitoring.monitor_row(con, "byggesak")
        stored = monitor_results.read(con, "open_cases", "byggesak", run.run_id)
    assert [b["activity"] for b in b_nb] == [b["activity"] for b in b_en]
    assert b_nb[0]["evidence"][0].startswith("Ventetid før") and b_en[0]["evidence"][0].startswith("Waiting before")
    assert r_en and all(" i " not in e for r in r_en for e in r["evidence"])
    assert n_en and any("closed cases" in e for n in n_en for e in n["evidence"])
    en = monitoring.open_cases_in(stored, "en")
    nb = monitoring.open_cases_in(stored, "nb")
    assert len(en) == len(nb) > 100 and "texts" not in en
    assert all(r[-1] for r in nb["reasons"])
    assert sum("has waited" in " ".join(r) for r in en["reasons"]) == len(en)
    assert sum("har ventet" in " ".join(r) for r in nb["reasons"]) == len(nb)
    assert list(nb["reasons"]) == [list(x) for x in stored["reasons"]]   # the run's language as stored


def test_runs_written_before_show_their_own_language(monitored_store: Path, tmp_path: Path) -> None:
    """A store whose runs have no second language (NULL, as after the migration) shows what it stored."""
    path = tmp_path / "old.duckdb"
    shutil.copy(monitored_store, path)
    with store.write(path) as con:
        con.execute("UPDATE scoring_candidates SET texts = NULL")
        con.execute("UPDATE mining_bottlenecks SET evidence_by_lang = NULL")
        con.execute("UPDATE open_cases SET texts = NULL")
    with store.read(path) as con:
        assert scoring_results.candidates(con, "byggesak", lang="en") == scoring_results.candidates(con, "byggesak")
        assert insights_results.bottlenecks(con, "byggesak", lang="en") == insights_results.bottlenecks(con, "byggesak")
        run = monitoring.monitor_row(con, "byggesak")
        stored = monitor_results.read(con, "open_cases", "byggesak", run.run_id)
    assert all("har ventet" in " ".join(r) for r in monitoring.open_cases_in(stored, "en")["reasons"])


def test_a_store_from_before_migrates_with_the_texts_empty(monitored_store: Path, tmp_path: Path) -> None:
    """A store written before this change (without the texts columns or their migrations) opens, migrates,
    and keeps every row; the new columns are NULL, so pages show the stored language."""
    path = tmp_path / "before.duckdb"
    shutil.copy(monitored_store, path)
    new = {("mining_insights", 2): [("mining_bottlenecks", "evidence_by_lang"), ("mining_rework", "evidence_by_lang"),
                                    ("mining_needless", "evidence_by_lang")],
           ("automation_scoring", 3): [("scoring_candidates", "texts")], ("monitor", 2): [("open_cases", "texts")]}
    con = duckdb.connect(str(path))
    counts = {t: con.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for cols in new.values() for t, _ in cols}
    for (package, version), cols in new.items():
        for table, column in cols:
            con.execute(f"ALTER TABLE {table} DROP COLUMN {column}")
        con.execute("DELETE FROM schema_migrations WHERE package = ? AND version = ?", [package, version])
    con.close()
    with store.write(path) as con:   # opening for writing applies the missing migrations
        applied = set(con.execute("SELECT package, version FROM schema_migrations").fetchall())
        assert set(new) <= applied
        for cols in new.values():
            for table, column in cols:
                assert con.execute(f"SELECT count(*), count({column}) FROM {table}").fetchone() == (counts[table], 0)
    with store.read(path) as con:
        assert scoring_results.candidates(con, "byggesak", lang="en") == scoring_results.candidates(con, "byggesak")


def test_a_simulated_candidate_speaks_both_languages(monitored_store: Path, tmp_path: Path, key) -> None:
    """The backlog's simulated effect (changes, warnings, the validation's verdict) in the page's language."""
    from click.testing import CliRunner

    from saksflyt.app.cli import main
    from saksflyt.automation_scoring import simulation_results

    path = tmp_path / "sim.duckdb"
    shutil.copy(monitored_store, path)
    with store.read(path) as con:
        cid = next(c["candidate_id"] for c in scoring_results.candidates(con, "byggesak") if c["kind"] != "unblock")
    for args in (["--validate"], ["--candidate", cid]):
        result = CliRunner().invoke(main, ["--store", str(path), "simulate", "--log", "byggesak", *args,
                                           "--runs", "3", "--quiet"])
        assert result.exit_code == 0, result.output
    with store.read(path) as con:
        row = simulation_results.latest_by_candidate(con, "byggesak")[cid]
    stored, texts = row["result"], row["texts"]
    assert stored["lang"] == "nb" and texts["nb"]["changes"] == [c["text"] for c in stored["changes"]]
    en = simulation_results.in_language(stored, texts, "en")
    nb = simulation_results.in_language(stored, texts, "nb")
    assert nb == stored
    assert en["changes"][0]["text"] != stored["changes"][0]["text"] and "«" not in en["changes"][0]["text"]
    assert any("Only 3 runs" in w for w in en["warnings"]) and any("Bare 3 kjøringer" in w for w in nb["warnings"])
    assert en["validation"]["verdict_text"].startswith("The simulation")
    assert nb["validation"]["verdict_text"].startswith("Simuleringen")
