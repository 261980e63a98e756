"""Candidates and processing-time estimates on real public logs (../shared/logs), issue 17.

`benchmarks/candidates_public.py` runs every shared log; the suite runs the ones that carry a point:
road traffic fines (no person on most activities, dates only), receipt (completion times, people on
every event) and BPIC 2012 (real start times).
"""
from __future__ import annotations

import pytest
from click.testing import CliRunner
from helpers import SAMPLES, cli

from saksflyt.app.cli import main
from saksflyt.automation_scoring import results
from saksflyt.automation_scoring.start_time_validation import validate_log
from saksflyt.extractors import store


def _mined(tmp, shared, name: str, file: str) -> tuple:
    db = tmp / f"{name}.duckdb"
    for args in (["ingest", str(shared / file), "--log", name, "--quiet"], ["mine", "--log", name, "--quiet"]):
        cli("--store", str(db), *args)
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
    db = tmp_path / "b.duckdb"
    sample = SAMPLES / "byggesak.csv"
    res = CliRunner().invoke(main, ["--store", str(db), "ingest", str(sample), "--log", "b", "--quiet"],
                             catch_exceptions=False)
    assert res.exit_code == 0, res.output
    df = validate_log(db, "b")
    assert len(df) == 11
    assert (df["mae_availability_hours"] <= df["mae_gap_hours"]).all(), df


@pytest.mark.parametrize("file", ["bpic15_municipality_1.xes.gz", "coselog_wabo_4.xes.gz", "bpic2013_incidents.xes.gz",
                                  "hospital_billing_1t_per_variant.xes.gz", "bpic2020_permitlog_1t_per_variant.xes.gz",
                                  "roadtraffic_100traces.xes"])
def test_scoring_an_unmined_log_of_every_shape_stays_within_its_staff_hours(tmp_path, shared_logs, key, file):
    """Scored straight after ingest (the insights computed by scoring itself): BPIC 2015 (hundreds of codes,
    date-only events), WABO (events without a name), BPIC 2013 (lifecycle statuses), and three logs with
    no resource at all, whose work no hour can be traced to."""
    from saksflyt.automation_scoring.run import ScoringOptions, score
    from saksflyt.extractors.ingest import ingest_path

    db = tmp_path / "s.duckdb"
    ingest_path(shared_logs / file, store_path=db, log_name="x")
    result = score(store_path=db, log_name="x", options=ScoringOptions())
    s = result.summary
    assert s["claimed_hours_per_year"] <= s["staff_hours_per_year"]
    with store.read(db) as con:
        f = results.features(con, "x").set_index("activity")
        people = con.execute("SELECT count(*) FROM events WHERE log = 'x' AND resource_kind = 'person'").fetchall()[0][0]
    seen: set[str] = set()
    for c in result.candidates:
        if c["hours_saved_per_year"] > 0:
            assert not seen & set(c["activities"]), c
            seen |= set(c["activities"])
            staff = [f.loc[a, "person_share"] > 0 for a in c["activities"] if a in f.index]
            assert (any(staff) if c["kind"] == "simplify" else all(staff)), c  # a loop may pass a system step
    if people == 0:
        assert s["staff_hours_per_year"] == 0.0 and not seen
