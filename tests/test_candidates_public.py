"""Candidates and processing-time estimates on real public logs (../shared/logs), issue 17.

`benchmarks/candidates_public.py` runs every shared log; the suite runs the ones that carry a point:
road traffic fines (no person on most activities, dates only), receipt (completion times, people on
every event) and BPIC 2012 (real start times).
"""
from __future__ import annotations

import pytest
from click.testing import CliRunner

from app.cli import main
from automation_scoring import results
from automation_scoring.start_times import validate_log
from extractors import store


def _mined(tmp, shared, name: str, file: str) -> tuple:
    db = tmp / f"{name}.duckdb"
    for args in (["ingest", str(shared / file), "--log", name, "--quiet"], ["mine", "--log", name, "--quiet"]):
        res = CliRunner().invoke(main, ["--store", str(db), *args], catch_exceptions=False)
        assert res.exit_code == 0, res.output
    with store.read(db) as con:
        return db, results.candidates(con, name), results.summary(con, name), results.features(con, name)


@pytest.mark.slow
def test_road_traffic_fines_claims_no_hour_without_a_person(tmp_path_factory, shared_logs, key):
    db, cands, summary, feats = _mined(tmp_path_factory.mktemp("rt"), shared_logs, "rt",
                                       "road_traffic_fine_management.xes.gz")
    f = feats.set_index("activity")
    # "Add penalty" is added by the system and payments are the offender's: no person is on them
    for activity in ("Add penalty", "Payment", "Insert Fine Notification"):
        assert f.loc[activity, "person_share"] == 0.0
        assert f.loc[activity, "processing_hours_per_year"] == 0.0 and f.loc[activity, "basis"] == "unknown"
    for c in cands:
        if c["hours_saved_per_year"] > 0:
            assert all(f.loc[a, "person_share"] >= 0.5 for a in c["activities"]), c
        assert not (c["kind"] in ("automate", "simplify") and set(c["activities"]) <= {"Add penalty", "Payment"})
    # every timestamp is a date: no processing time can be measured or estimated, so nothing is claimed
    assert summary["staff_hours_per_year"] == 0.0 and summary["claimed_hours_per_year"] == 0.0
    assert "Add penalty" in summary["activities_without_hours"]


@pytest.mark.parametrize("name,file", [("receipt", "receipt.csv"), ("bpic2012", "bpic2012.xes.gz"),
                                       ("sepsis", "sepsis_cases.xes.gz")])
def test_claimed_hours_never_exceed_the_staff_hours(tmp_path_factory, shared_logs, key, name, file):
    db, cands, summary, feats = _mined(tmp_path_factory.mktemp(name), shared_logs, name, file)
    claimed = sum(c["hours_saved_per_year"] for c in cands)
    assert summary["claimed_hours_per_year"] == pytest.approx(claimed, abs=0.05)
    assert summary["claimed_hours_per_year"] <= summary["staff_hours_per_year"]
    f = feats.set_index("activity")
    seen: set[str] = set()
    for c in cands:
        if c["hours_saved_per_year"] > 0:
            assert not seen & set(c["activities"]), c     # each activity's hours claimed once
            seen |= set(c["activities"])
            assert all(f.loc[a, "basis"] != "unknown" for a in c["activities"] if a in f.index)
    if name == "sepsis":  # no resource at all and no start times: no hour can be traced to a person
        assert summary["staff_hours_per_year"] == 0.0 and not [c for c in cands if c["hours_saved_per_year"]]


def test_estimated_processing_beats_the_gap_method_on_real_starts(tmp_path, shared_logs, key):
    """Starts dropped and re-estimated: the median absolute error per activity is never worse than the
    gap method's (the previous completion in the case as the start)."""
    db = tmp_path / "s.duckdb"
    res = CliRunner().invoke(main, ["--store", str(db), "ingest", str(shared_logs / "bpic2012.xes.gz"), "--log",
                                    "b12", "--quiet"], catch_exceptions=False)
    assert res.exit_code == 0, res.output
    df = validate_log(db, "b12")
    assert set(df["activity"]) == {"W_Completeren aanvraag", "W_Nabellen offertes", "W_Nabellen incomplete dossiers",
                                   "W_Valideren aanvraag", "W_Afhandelen leads", "W_Beoordelen fraude"}
    assert (df["mae_availability_hours"] <= df["mae_gap_hours"] + 1e-9).all(), df
    row = df.set_index("activity").loc["W_Valideren aanvraag"]
    assert row["mae_availability_hours"] < 0.5 * row["mae_gap_hours"]


def test_estimated_processing_beats_the_gap_method_on_the_sample_log(tmp_path, key):
    from pathlib import Path
    db = tmp_path / "b.duckdb"
    sample = Path(__file__).resolve().parents[1] / "sample_logs" / "byggesak.csv"
    res = CliRunner().invoke(main, ["--store", str(db), "ingest", str(sample), "--log", "b", "--quiet"],
                             catch_exceptions=False)
    assert res.exit_code == 0, res.output
    df = validate_log(db, "b")
    assert len(df) == 11
    assert (df["mae_availability_hours"] <= df["mae_gap_hours"]).all(), df
