"""Issue 4: mining statistics in DuckDB, stored per run, exported, and equal to pm4py's where both compute.

Stores are real DuckDB files in tmp_path: built from the shared logs with `saksflyt ingest`, or from
hand-made rows inserted into `events` when a test needs exact timestamps.
"""
from __future__ import annotations

import csv
import json
import shutil
import warnings
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
import pytest
from helpers import pseudonym_key, run

from saksflyt.extractors import store
from saksflyt.extractors.errors import StoreError
from saksflyt.mining import results
from saksflyt.mining.run import STATISTICS_PHASES, MineOptions, Phase, mine

LOG = "t"
UTC = timezone.utc
PSEUDONYM_KEY = "test-key-not-secret"   # the key pseudonym_key_env sets

pytestmark = pytest.mark.usefixtures("pseudonym_key_env")


def t(text: str) -> datetime:
    return datetime.fromisoformat(text).astimezone(UTC)


def make_store(path: Path, events: list[tuple], *, log: str = LOG, order: list[int] | None = None) -> Path:
    """A store holding `events`: (case, activity, ts_end[, ts_start[, precision]]); event_seq = list position.

    `order` inserts the rows in another physical order (event_seq unchanged), so a test sees whether
    the statistics depend on how DuckDB happens to scan them.
    """
    rows = []
    for seq, e in enumerate(events):
        case, activity, end = e[0], e[1], e[2]
        start = e[3] if len(e) > 3 else None
        precision = e[4] if len(e) > 4 else "second"
        rows.append((log, case, activity, start, end, precision, seq, f"r{seq % 3}"))
    if order is not None:
        rows = [rows[i] for i in order]
    frame = pd.DataFrame(rows, columns=["log", "case_id", "activity", "ts_start", "ts_end", "ts_precision",
                                        "event_seq", "resource"])
    frame["ts_start"] = pd.to_datetime(frame["ts_start"], utc=True)
    frame["ts_end"] = pd.to_datetime(frame["ts_end"], utc=True)
    with store.write(path) as con:
        con.execute("INSERT INTO logs VALUES (?, 'test', 'test', 'x', false, now(), now(), '{}')", [log])
        con.register("new_rows", frame)
        con.execute("INSERT INTO events BY NAME SELECT * FROM new_rows")
        con.unregister("new_rows")
    return path


def mine_stats(**kwargs):
    """`mine` with the statistics phases only (the insight phases have their own tests)."""
    return mine(phases=STATISTICS_PHASES, **kwargs)


def read(path: Path, log: str = LOG, run_id: str | None = None) -> dict:
    with store.read(path) as con:
        return {
            "summary": results.summary(con, log, run_id=run_id),
            "activities": results.activities(con, log, run_id=run_id).set_index("activity"),
            "dfg": results.dfg(con, log, run_id=run_id).set_index(["source", "target"]),
            "variants": results.variants(con, log, run_id=run_id),
            "cases": results.cases(con, log, run_id=run_id).set_index("case_id"),
            "monthly": results.monthly(con, log, run_id=run_id),
        }


# --- pm4py, the reference -------------------------------------------------------------------


def pm4py_reference(frame: pd.DataFrame) -> dict:
    """pm4py's statistics of a frame in file order (columns case:concept:name, concept:name, time:timestamp)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        import pm4py

        df = pm4py.format_dataframe(frame.copy())
        dfg, starts, ends = pm4py.discover_dfg(df.copy())
        perf, _, _ = pm4py.discover_performance_dfg(df.copy(), perf_aggregation_key="all")
        return {
            "cases": df["case:concept:name"].nunique(), "events": len(df), "dfg": dfg, "perf": perf,
            "starts": dict(starts), "ends": dict(ends), "variants": dict(pm4py.get_variants(df.copy())),
            "durations": pm4py.get_all_case_durations(df.copy()),
        }


def assert_agrees_with_pm4py(ours: dict, ref: dict) -> None:
    s, dfg, acts = ours["summary"], ours["dfg"], ours["activities"]
    assert (s["cases"], s["events"], s["variants"]) == (ref["cases"], ref["events"], len(ref["variants"]))
    assert set(dfg.index) == set(ref["dfg"])
    counts = {k: int(v) for k, v in dfg["count"].items()}
    assert counts == {k: int(v) for k, v in ref["dfg"].items()}
    for edge, p in ref["perf"].items():  # agree to the second
        assert abs(dfg.at[edge, "mean_seconds"] - p["mean"]) < 1, edge
        assert abs(dfg.at[edge, "median_seconds"] - p["median"]) < 1, edge
    assert {a: int(n) for a, n in acts["start_cases"].items() if n} == ref["starts"]
    assert {a: int(n) for a, n in acts["end_cases"].items() if n} == ref["ends"]
    ours_variants = {tuple(v.activities): int(v.cases) for v in ours["variants"].itertuples()}
    assert ours_variants == {tuple(k): int(n) for k, n in ref["variants"].items()}
    np.testing.assert_allclose(sorted(ours["cases"]["duration_seconds"]), ref["durations"], atol=1e-3)


XES_LOGS = [
    # (file, cases, events, variants) — the counts are pm4py's, from ../shared/logs/SOURCES.md
    pytest.param("receipt_wabo_coselog.xes.gz", 1434, 8577, 116, id="receipt"),
    pytest.param("bpic15_municipality_1.xes.gz", 1199, 52217, 1170, id="bpic15_1", marks=pytest.mark.slow),
    pytest.param("road_traffic_fine_management.xes.gz", 150370, 561470, 231, id="road_traffic",
                 marks=pytest.mark.slow),
]


@pytest.mark.parametrize(("name", "cases", "events", "variants"), XES_LOGS)
def test_statistics_agree_with_pm4py_on_real_logs(tmp_path, shared_logs, name, cases, events, variants):
    """Complete-only logs with many equal timestamps: counts, start/end, every DFG edge, times to the second."""
    src = shared_logs / name
    db = tmp_path / "s.duckdb"
    code, _, err = run(db, "ingest", str(src), "--log", "x", "--quiet")
    assert code == 0, err
    mine_stats(store_path=db, log_name="x")
    ours = read(db, "x")
    assert (ours["summary"]["cases"], ours["summary"]["events"], ours["summary"]["variants"]) == (
        cases, events, variants)

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        import pm4py

        # chunk_regex is pm4py's own fastest reader; it gives the same frame as the default one
        frame = pm4py.read_xes(str(src), variant="chunk_regex", show_progress_bar=False)
    assert_agrees_with_pm4py(ours, pm4py_reference(frame))


# --- a receipt store (CSV) shared by the tests below; each copies it before mining ----------------


@pytest.fixture(scope="module")
def receipt_store(tmp_path_factory, shared_logs) -> Path:
    db = tmp_path_factory.mktemp("receipt") / "receipt.duckdb"
    with pseudonym_key(PSEUDONYM_KEY):
        code, _, err = run(db, "ingest", str(shared_logs / "receipt.csv"), "--log", "receipt", "--quiet")
    assert code == 0, err
    return db


def copy_store(src: Path, tmp_path: Path) -> Path:
    dst = tmp_path / "copy.duckdb"
    shutil.copy(src, dst)
    return dst


def test_ties_floored_to_the_hour_give_pm4py_dfg_run_after_run(tmp_path, receipt_store):
    """With timestamps floored to the hour many events tie; (ts_end, event_seq) keeps file order like pm4py."""
    with store.read(receipt_store) as con:
        ev = con.execute("SELECT case_id, activity, date_trunc('hour', ts_end) AS ts FROM events "
                         "WHERE log = 'receipt' ORDER BY event_seq").df()
    ties = int(ev.groupby(["case_id", "ts"]).size().loc[lambda s: s > 1].sum())
    assert ties > 4000  # most events share their hour with another event of the case
    shuffled = list(np.random.default_rng(4).permutation(len(ev)))
    db = make_store(tmp_path / "floor.duckdb",
                    [(r.case_id, r.activity, r.ts.to_pydatetime()) for r in ev.itertuples()], order=shuffled)
    first = mine_stats(store_path=db, log_name=LOG)
    second = mine_stats(store_path=db, log_name=LOG)
    a, b = read(db, run_id=first.run_id), read(db, run_id=second.run_id)
    pd.testing.assert_frame_equal(a["dfg"], b["dfg"])
    pd.testing.assert_frame_equal(a["variants"], b["variants"])

    frame = pd.DataFrame({"case:concept:name": ev["case_id"], "concept:name": ev["activity"],
                          "time:timestamp": pd.to_datetime(ev["ts"], utc=True)})
    ref = pm4py_reference(frame)
    assert_agrees_with_pm4py(a, ref)
    # the test can fail: the reverse tie order gives another DFG
    reversed_ties = pm4py_reference(frame.iloc[::-1].reset_index(drop=True))
    assert reversed_ties["dfg"] != ref["dfg"]


def test_open_cases_are_left_out_of_durations(tmp_path):
    day = "2024-03-04T"
    events = []
    for i, hours in enumerate([2, 4, 6, 8, 10]):  # closed: end with "Vedtak"
        events += [(f"c{i}", "Mottatt", t(day + "08:00+00:00")),
                   (f"c{i}", "Behandle", t(day + "08:30+00:00")),
                   (f"c{i}", "Vedtak", t(day + "08:00+00:00") + timedelta(hours=hours))]
    events += [("open", "Mottatt", t(day + "08:00+00:00")),
               ("open", "Behandle", t(day + "08:00+00:00") + timedelta(hours=100))]
    db = make_store(tmp_path / "s.duckdb", events)

    mine_stats(store_path=db, log_name=LOG)
    r = read(db)
    s = r["summary"]
    assert s["end_activities"] == ["Vedtak"] and s["completion_rule"] == "most_common"
    assert (s["cases"], s["closed_cases"]) == (6, 5)
    assert s["median_case_duration_hours"] == pytest.approx(6.0)  # 7.0 if the open case counted
    assert s["duration_basis"] == "closed cases"
    assert not r["cases"].at["open", "closed"]
    assert r["cases"].at["open", "duration_hours"] == pytest.approx(100.0)
    v = r["variants"].set_index("variant_id")
    assert list(v.loc[1, "activities"]) == ["Mottatt", "Behandle", "Vedtak"]
    assert v.loc[1, "median_duration_hours"] == pytest.approx(6.0)
    assert v.loc[2, "closed_cases"] == 0 and pd.isna(v.loc[2, "median_duration_hours"])

    mine_stats(store_path=db, log_name=LOG, options=MineOptions(end_activities=("Vedtak", "Behandle")))
    s = read(db)["summary"]
    assert (s["closed_cases"], s["completion_rule"]) == (6, "given")
    assert s["median_case_duration_hours"] == pytest.approx(7.0)


def test_months_are_bucketed_in_oslo_time_around_new_year(tmp_path):
    events = [
        ("a", "Mottatt", t("2023-12-31T22:30:00+00:00")),  # 23:30 in Oslo: December
        ("a", "Vedtak", t("2023-12-31T23:10:00+00:00")),   # 00:10 on 1 January in Oslo
        ("b", "Mottatt", t("2023-12-31T23:30:00+00:00")),  # 00:30 on 1 January in Oslo
        ("b", "Vedtak", t("2024-01-02T10:00:00+00:00")),
        ("c", "Mottatt", t("2024-01-31T23:30:00+00:00")),  # 00:30 on 1 February in Oslo
    ]
    db = make_store(tmp_path / "s.duckdb", events)
    mine_stats(store_path=db, log_name=LOG, options=MineOptions(end_activities=("Vedtak",)))
    m = read(db)["monthly"]
    got = [(str(pd.Timestamp(r.month).date()), r.cases_started, r.cases_finished, r.events) for r in m.itertuples()]
    assert got == [("2023-12-01", 1, 0, 1), ("2024-01-01", 1, 2, 3), ("2024-02-01", 1, 0, 1)]


def test_waiting_processing_working_hours_and_day_precision(tmp_path):
    """Waits measured from a start where there is one, else between completions; date-only pairs in days."""
    events = [
        # Monday 4 March 2024, Oslo = UTC+1
        ("c1", "A", t("2024-03-04T09:00+00:00"), t("2024-03-04T08:00+00:00")),
        ("c1", "B", t("2024-03-04T11:30+00:00"), t("2024-03-04T11:00+00:00")),   # waited 2 h, worked 0.5 h
        ("c2", "A", t("2024-03-04T08:30+00:00"), t("2024-03-04T08:00+00:00")),
        ("c2", "B", t("2024-03-04T10:00+00:00"), t("2024-03-04T08:45+00:00")),   # waited 0.25 h, worked 1.25 h
        ("c3", "A", t("2024-03-03T23:00+00:00"), None, "day"),                   # 4 March, date only
        ("c3", "B", t("2024-03-05T11:00+00:00"), t("2024-03-05T10:00+00:00")),   # a date-only pair: 1 day
        # Friday 15:00 Oslo → Monday 09:00 Oslo: 66 calendar hours, 1.75 working hours
        ("c4", "A", t("2024-03-08T14:00+00:00")),
        ("c4", "C", t("2024-03-11T08:00+00:00")),
        # Wednesday before Easter 15:00 CET → Tuesday after Easter 09:00 CEST: 137 h, 1.75 working hours
        ("c5", "A", t("2024-03-27T14:00+00:00")),
        ("c5", "C", t("2024-04-02T07:00+00:00")),
    ]
    db = make_store(tmp_path / "s.duckdb", events)
    mine_stats(store_path=db, log_name=LOG, options=MineOptions(end_activities=("B", "C")))
    r = read(db)
    b, c = r["activities"].loc["B"], r["activities"].loc["C"]
    assert b["wait_basis"] == "measured" and c["wait_basis"] == "between_completions"
    assert (b["wait_pairs"], b["wait_day_pairs"]) == (2, 1)
    assert b["median_wait_hours"] == pytest.approx(1.125)
    assert b["total_wait_hours"] == pytest.approx(2.25)
    assert b["median_wait_days"] == pytest.approx(1.0)
    assert b["processing_events"] == 3
    assert b["median_processing_hours"] == pytest.approx(1.0)
    assert b["total_processing_hours"] == pytest.approx(2.75)
    assert c["median_wait_hours"] == pytest.approx((66 + 137) / 2)
    assert c["median_wait_working_hours"] == pytest.approx(1.75)

    ab = r["dfg"].loc[("A", "B")]
    assert (ab["count"], ab["hour_pairs"], ab["day_pairs"]) == (3, 2, 1)
    assert ab["median_hours"] == pytest.approx(2.0)  # 2.5 h and 1.5 h between completions; not the date pair
    assert ab["median_days"] == pytest.approx(1.0)
    cases = r["cases"]
    assert cases.at["c4", "working_hours"] == pytest.approx(1.75)
    assert cases.at["c5", "duration_hours"] == pytest.approx(137.0)
    assert cases.at["c5", "working_hours"] == pytest.approx(1.75)
    assert pd.isna(cases.at["c3", "duration_hours"]) and cases.at["c3", "duration_days"] == 1
    assert r["summary"]["closed_cases_day_precision"] == 1


def test_second_run_becomes_latest_and_the_first_stays_readable_until_dropped(tmp_path, receipt_store):
    db = copy_store(receipt_store, tmp_path)
    first = mine_stats(store_path=db, log_name="receipt")
    second = mine_stats(store_path=db, log_name="receipt",
                  options=MineOptions(end_activities=("T10 Determine necessity to stop indication",)))
    with store.read(db) as con:
        assert results.latest_run(con, "receipt") == second.run_id
        assert list(results.runs(con, "receipt")["run_id"]) == [second.run_id, first.run_id]
        assert results.summary(con, "receipt")["closed_cases"] == 828
        assert results.summary(con, "receipt", run_id=first.run_id)["closed_cases"] == 1228
        assert len(results.cases(con, "receipt", run_id=first.run_id)) == 1434
    with store.write(db) as con:
        assert results.drop_runs(con, "receipt", keep=1) == [first.run_id]
    with store.read(db) as con:
        assert list(results.runs(con, "receipt")["run_id"]) == [second.run_id]
        with pytest.raises(StoreError, match="no mining run"):
            results.summary(con, "receipt", run_id=first.run_id)
        assert results.dfg(con, "receipt")["count"].sum() == 8577 - 1434


def test_store_is_released_while_computing(tmp_path, receipt_store):
    """Readers (the explorer) can open the store while `mine` computes: no handle is held then."""
    db = copy_store(receipt_store, tmp_path)
    seen = []

    def progress(label: str, done: int, total: int) -> None:
        if 0 < done < total - 1:
            with store.read(db) as con:
                seen.append((label, con.execute("SELECT count(*) FROM events").fetchall()[0][0]))

    mine_stats(store_path=db, log_name="receipt", progress=progress)
    assert len(seen) >= 5 and {n for _, n in seen} == {8577}


def test_an_error_in_a_phase_run_beside_the_others_stops_the_run_and_stores_nothing(tmp_path, receipt_store):
    """A `beside` phase runs in a thread on its own cursor; its error must still end `mine` and leave the store."""
    db = copy_store(receipt_store, tmp_path)

    def broken(ctx) -> None:
        ctx.con.execute("SELECT * FROM a_table_no_phase_made")

    phases = STATISTICS_PHASES[:2] + (Phase("broken", "broken", broken, beside=True),) + STATISTICS_PHASES[2:]
    with pytest.raises(duckdb.CatalogException, match="a_table_no_phase_made"):
        mine(store_path=db, log_name="receipt", phases=phases)
    with store.read(db) as con:
        assert not results.has_results(con) or results.latest_run(con, "receipt") is None
    # the same phases, the broken one needed by a later phase: the error surfaces there, before the write
    needing = STATISTICS_PHASES[:2] + (Phase("broken", "broken", broken, beside=True),
                                       Phase("after", "after", lambda ctx: None, needs=("broken",)))
    with pytest.raises(duckdb.CatalogException):
        mine(store_path=db, log_name="receipt", phases=needing)


CONTRACT = {
    "activities.csv": ["activity", "events", "cases", "case_share", "resources", "median_processing_hours",
                       "total_processing_hours", "median_wait_hours", "total_wait_hours", "wait_basis"],
    "dfg.csv": ["source", "target", "count", "median_hours", "mean_hours", "p90_hours"],
    "variants.csv": ["variant_id", "activities", "cases", "case_share", "median_duration_hours"],
}


def test_cli_mine_log_exports_the_contract_files(tmp_path, receipt_store):
    db = copy_store(receipt_store, tmp_path)
    out = tmp_path / "out"
    code, stdout, stderr = run(db, "mine", "--log", "receipt", "--out", str(out), "--quiet")
    assert code == 0, stderr
    assert "1,434" in stdout and "8,577" in stdout
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert list(summary)[:9] == ["log", "cases", "closed_cases", "events", "activities", "variants",
                                 "first_event_at", "last_event_at", "median_case_duration_hours"]
    assert (summary["cases"], summary["closed_cases"], summary["events"], summary["activities"],
            summary["variants"]) == (1434, 1228, 8577, 27, 116)
    assert summary["first_event_at"] == "2010-10-02T07:20:39.266000Z"
    assert summary["last_event_at"] == "2012-01-23T14:42:54.644000Z"
    assert summary["median_case_duration_hours"] == pytest.approx(1.8434275)
    tables = {}
    for name, header in CONTRACT.items():
        with (out / name).open(encoding="utf-8", newline="") as fh:
            rows = list(csv.reader(fh))
        assert rows[0] == header, name
        tables[name] = [dict(zip(header, r)) for r in rows[1:]]
    top = tables["dfg.csv"][0]
    assert (top["source"], top["target"], top["count"]) == (
        "T04 Determine confirmation of receipt", "T05 Print and send confirmation of receipt", "1177")
    assert sum(int(r["count"]) for r in tables["dfg.csv"]) == 8577 - 1434
    v1 = tables["variants.csv"][0]
    assert (v1["variant_id"], v1["cases"]) == ("1", "713")
    assert v1["activities"].split(" → ")[:2] == ["Confirmation of receipt", "T02 Check confirmation of receipt"]
    first = {r["activity"]: r for r in tables["activities.csv"]}["Confirmation of receipt"]
    assert (first["events"], first["cases"], first["wait_basis"]) == ("1434", "1434", "between_completions")
    for extra in ("cases.csv", "monthly.csv", "start_activities.csv", "end_activities.csv", "day_precision.csv"):
        assert (out / extra).exists()
    months = pd.read_csv(out / "monthly.csv")
    assert months["cases_started"].sum() == 1434 and months["events"].sum() == 8577


def test_cli_mine_file_uses_a_temporary_store(tmp_path, shared_logs, monkeypatch):
    monkeypatch.chdir(tmp_path)
    out = tmp_path / "out"
    code, _, stderr = run(tmp_path / "unused.duckdb", "mine", str(shared_logs / "receipt.csv"), "--out", str(out),
                          "--quiet")
    assert code == 0, stderr
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert (summary["log"], summary["cases"], summary["variants"]) == ("receipt", 1434, 116)
    assert not (tmp_path / "unused.duckdb").exists() and not (tmp_path / "saksflyt.duckdb").exists()


def test_cli_errors_are_one_line(tmp_path, receipt_store):
    db = copy_store(receipt_store, tmp_path)
    code, _, stderr = run(db, "mine", "--log", "nope", "--quiet")
    assert code == 2 and stderr.strip() == "saksflyt: error: no log named 'nope' (logs: receipt)"
    code, _, stderr = run(db, "mine", "--log", "receipt", "--end-activities", "Nope", "--quiet")
    assert code == 2 and "not an activity of this log: Nope" in stderr and len(stderr.strip().splitlines()) == 1


def test_built_in_norwegian_holidays_equal_python_holidays():
    """The default calendar's own holiday rule (no python-holidays import) gives python-holidays' days."""
    import holidays

    from saksflyt.mining.calendar import NORWEGIAN, norwegian_public_holidays

    years = range(1947, 2101)
    expected = set(holidays.country_holidays("NO", years=years))
    assert {d for y in years for d in norwegian_public_holidays(y)} == expected
    assert NORWEGIAN.closed_days(2024, 2025) == sorted(d for d in expected if d.year in (2024, 2025))
    assert date(2025, 4, 17) in NORWEGIAN.closed_days(2025, 2025)  # skjærtorsdag 2025
