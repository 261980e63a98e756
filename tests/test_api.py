"""Issue 19: the Python API (`import saksflyt as sf`) gives the CLI's numbers, and `run` and `mine` agree."""
from __future__ import annotations

import doctest
import json
import subprocess
import sys
import textwrap
from pathlib import Path

import duckdb
import pandas as pd
import pytest

import saksflyt as sf
from helpers import ROOT, invoke

README = ROOT / "README.md"
RECEIPT = ROOT / "sample_logs" / "receipt.csv"


def cli(store: Path, *args: str) -> str:
    """stdout of the CLI on `store`, which must succeed."""
    result = invoke(store, *args)
    assert result.exit_code == 0, result.output
    return result.stdout


def small_log(cases: int = 12) -> pd.DataFrame:
    rows = [(f"S{i:02d}", step, f"2024-03-{i + 1:02d} {9 + j}:00", f"ansatt{i % 3}")
            for i in range(cases)
            for j, step in enumerate(["Søknad mottatt", "Registrert"]
                                     + (["Tilleggsopplysninger"] if i % 3 == 0 else [])
                                     + ["Vedtak fattet", "Vedtak sendt"])]
    return pd.DataFrame(rows, columns=["saksnr", "aktivitet", "tidspunkt", "saksbehandler"])


def test_readme_python_api_examples_run(key):
    text = README.read_text(encoding="utf-8")
    start = text.index("## Python API")
    section = text[start:text.index("\n## ", start + 1)]
    test = doctest.DocTestParser().get_doctest(section, {}, "README.md#python-api", str(README), 0)
    assert len(test.examples) > 10
    runner = doctest.DocTestRunner(optionflags=doctest.NORMALIZE_WHITESPACE)
    runner.run(test)
    assert runner.summarize(verbose=False).failed == 0


def test_notebook_flow_gives_the_cli_numbers_and_leaves_the_dataframe_alone(demo_store, key):
    from saksflyt.automation_scoring import results as scoring_results
    from saksflyt.mining import results

    frame = pd.read_csv(RECEIPT)
    before = frame.copy(deep=True)
    log = sf.read_log(frame, log="receipt")
    result = sf.mine(log)
    ranked = sf.candidates(result)
    html = result.report_html()
    pd.testing.assert_frame_equal(frame, before)

    with duckdb.connect(str(demo_store), read_only=True) as con:   # `saksflyt mine --log receipt` on the file
        acts, dfg, variants = (f(con, "receipt") for f in (results.activities, results.dfg, results.variants))
        scored = scoring_results.candidates(con, "receipt")
        events = con.execute("SELECT count(*) FROM events WHERE log = 'receipt'").fetchone()[0]
    assert len(log.events) == events == 8577
    assert result.summary["cases"] == 1434
    counts = ["activity", "events", "cases"]
    pd.testing.assert_frame_equal(result.activities[counts], acts[counts])
    pd.testing.assert_frame_equal(result.variants, variants)
    pairs = ["source", "target", "count", "cases"]
    pd.testing.assert_frame_equal(result.dfg[pairs], dfg[pairs])
    assert result.dfg["median_hours"].tolist() == pytest.approx(dfg["median_hours"].tolist(), nan_ok=True)
    assert ranked["candidate_id"].tolist() == [c["candidate_id"] for c in scored]
    assert ranked["hours_saved_per_year"].tolist() == pytest.approx([c["hours_saved_per_year"] for c in scored])
    assert html.startswith("<!DOCTYPE html>") and "receipt" in html
    assert result.to_pm4py().columns.tolist() == ["case:concept:name", "concept:name", "time:timestamp",
                                                  "start_timestamp", "org:resource"]
    # another setting scores the same mining run again, without a store
    costly = sf.candidates(result, hourly_cost=1400, top=3)
    assert costly["nok_saved_per_year"].tolist() == pytest.approx(
        [2 * x for x in ranked["nok_saved_per_year"][:3]], abs=2)


def test_errors_name_the_keyword_not_the_flag(key):
    with pytest.raises(sf.InputError) as caught:
        sf.read_log(small_log(), case="nope")
    assert "case=" in str(caught.value) and "--case" not in str(caught.value)
    with pytest.raises(sf.InputError, match="result="):
        sf.candidates("not a result")  # type: ignore[arg-type]


def test_compare_two_logs_or_one_split_at_a_day(key):
    from datetime import date

    names = {"case": "saksnr", "activity": "aktivitet", "timestamp": "tidspunkt", "resource": "saksbehandler"}
    a, b = sf.read_log(small_log(12), log="a", **names), sf.read_log(small_log(6), log="b", **names)
    both = sf.compare(a, b, bootstrap=100)
    assert (both["a"]["label"], both["b"]["label"]) == ("a", "b")
    split = sf.compare(a, before=date(2024, 3, 6), after=date(2024, 3, 6), bootstrap=100)
    assert split["lead_time"]["median_days"]["difference"] == 0.0
    with pytest.raises(sf.InputError, match="b="):
        sf.compare(a, b, before=date(2024, 3, 6))


def test_store_does_what_the_cli_does(tmp_path, key):
    csv = tmp_path / "small.csv"
    small_log().to_csv(csv, index=False)
    s = sf.Store(tmp_path / "api.duckdb")
    (report,) = s.ingest(csv, log="small", case="saksnr", activity="aktivitet", timestamp="tidspunkt",
                         resource="saksbehandler")
    assert report.rows_kept == 52
    assert s.logs()[["log", "cases", "events"]].values.tolist() == [["small", 12, 52]]
    mined = s.mine(log="small", end_activities=["Vedtak sendt"])
    assert mined.summary["closed_cases"] == 12
    assert s.candidates(log="small")["candidate_id"].tolist() == sf.candidates(mined)["candidate_id"].tolist()
    assert s.drop(log="small") == 52 and s.logs().empty


def test_monitor_in_memory_gives_the_cli_ranking(tmp_path, key):
    names = {"case": "saksnr", "activity": "aktivitet", "timestamp": "tidspunkt", "resource": "saksbehandler"}
    frame = small_log(30)
    still_open = frame["saksnr"].isin(["S25", "S27", "S29"]) & frame["aktivitet"].isin(["Vedtak fattet",
                                                                                         "Vedtak sendt"])
    frame = frame[~still_open]
    in_memory = sf.monitor(sf.read_log(frame, log="small", **names)).open_cases

    csv = tmp_path / "small.csv"
    frame.to_csv(csv, index=False)
    s = sf.Store(tmp_path / "s.duckdb")
    s.ingest(csv, log="small", **names)
    cli(s.path, "monitor", "--log", "small", "--out", str(tmp_path / "out"), "--quiet")
    written = pd.read_csv(tmp_path / "out" / "open_cases.csv")
    assert in_memory["case_id"].tolist() == written["case_id"].tolist() == ["S25", "S27", "S29"]
    assert in_memory["current_activity"].tolist() == ["Registrert", "Tilleggsopplysninger", "Registrert"]
    assert s.monitor(log="small", as_of="2024-03-28").open_cases["case_id"].tolist() == ["S25", "S27"]


def test_version_on_the_command_line():
    out = subprocess.run([sys.executable, "-m", "saksflyt", "--version"], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == f"saksflyt {sf.__version__}"


def test_run_then_backlog_shows_the_new_runs_candidates(tmp_path, key, monkeypatch):
    """`run --config` scores as `mine` does; the backlog says so when the scores fall behind a mining run."""
    from streamlit.testing.v1 import AppTest

    from saksflyt.app import explore_data, explore_store, pipeline
    from saksflyt.mining import results
    from saksflyt.mining.run import mine

    small_log().to_csv(tmp_path / "small.csv", index=False)
    (tmp_path / "pipeline.toml").write_text(textwrap.dedent("""\
        [[source]]
        log = "byggesak"
        path = "small.csv"
        case = "saksnr"
        activity = "aktivitet"
        timestamp = "tidspunkt"
        resource = "saksbehandler"
        """), encoding="utf-8")
    store = tmp_path / "s.duckdb"
    out = cli(store, "run", "--config", str(tmp_path / "pipeline.toml"), "--quiet")
    assert "1 loaded, 0 unchanged, 0 failed" in out and "candidates" in out
    with duckdb.connect(str(store), read_only=True) as con:
        latest = results.latest_run(con, "byggesak")
        read = con.execute("SELECT mining_run_id FROM scoring_runs WHERE log = 'byggesak'").fetchall()
    assert read == [(latest,)]
    assert pipeline.staleness(store, "byggesak") is None
    shown = explore_data.candidates(explore_store.snapshot(store), "byggesak", "nb")
    by_mine = json.loads(cli(store, "candidates", "--log", "byggesak", "--format", "json", "--quiet"))
    assert sorted(shown["candidate_id"]) == sorted(c["candidate_id"] for c in by_mine)

    mine(store_path=store, log_name="byggesak")   # mined again, not scored: the scores are behind now
    stale = pipeline.staleness(store, "byggesak")
    assert stale is not None and stale.scored_run == latest and stale.latest_run != latest
    monkeypatch.setenv("SAKSFLYT_STORE", str(store))
    at = AppTest.from_file(str(ROOT / "app" / "explorer.py"), default_timeout=60)
    at.session_state["lang"] = "en"
    at.session_state["log"] = "byggesak"
    at.run()
    at.switch_page("app_pages/backlog.py").run()
    assert not at.exception
    assert any("older mining run" in w.value for w in at.warning)
