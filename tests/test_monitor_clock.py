"""The legal clock on hand-computed cases, and the monitor's bad-input paths (exit 2, nearest names).

Six cases, each checked against dates computed by hand from the rules in the README ("Frister"):
A  garasje without dispensation (3 weeks), received 00:30 local on 25 March 2024 (still 24 March in
   UTC), over Easter and the DST switch, decided 23:30 local on the deadline day 15 April: in time.
B  12 weeks with two overlapping pauses (10 Jan 12:00 → 15 Jan 09:00 and 12 Jan 10:00 → 20 Jan 12:00:
   their union is exactly 10 days), decided on the deadline day 11 April: in time.
C  12 weeks plus a 14-day extension: deadline 8 Aug, decided 9 Aug: 1 started week, 25 % refund.
D  decided 8 days late: 2 started weeks, 50 % of an 8,000 NOK fee.
E  decided 29 days late: 5 started weeks, capped at 100 %.
F  open, with a pause still open at --as-of (10 days 15 hours: 11 days): 77 days left.
"""
from __future__ import annotations

import json
from datetime import date
from functools import partial

import pandas as pd
import pytest
from helpers import run


ROWS = [
    # case, activity, local time, tiltakstype, dispensasjon, gebyr, forlenget_dager
    ("A", "Søknad mottatt", "2024-03-25T00:30:00+01:00", "garasje", "nei", 10000, None),
    ("A", "Vurdere søknad", "2024-04-02T10:00:00+02:00", "garasje", "nei", 10000, None),
    ("A", "Vedtak sendt", "2024-04-15T23:30:00+02:00", "garasje", "nei", 10000, None),
    ("B", "Søknad mottatt", "2024-01-08T09:00:00+01:00", "enebolig", "nei", 10000, None),
    ("B", "Be om tilleggsdokumentasjon", "2024-01-10T12:00:00+01:00", "enebolig", "nei", 10000, None),
    ("B", "Innhente uttalelse", "2024-01-12T10:00:00+01:00", "enebolig", "nei", 10000, None),
    ("B", "Tilleggsdokumentasjon mottatt", "2024-01-15T09:00:00+01:00", "enebolig", "nei", 10000, None),
    ("B", "Uttalelse mottatt", "2024-01-20T12:00:00+01:00", "enebolig", "nei", 10000, None),
    ("B", "Foreløpig svar sendt", "2024-02-01T10:00:00+01:00", "enebolig", "nei", 10000, None),
    ("B", "Vedtak sendt", "2024-04-11T15:00:00+02:00", "enebolig", "nei", 10000, None),
    ("C", "Søknad mottatt", "2024-05-02T09:00:00+02:00", "enebolig", "ja", 10000, 14),
    ("C", "Frist forlenget", "2024-06-01T10:00:00+02:00", "enebolig", "ja", 10000, 14),
    ("C", "Vedtak sendt", "2024-08-09T10:00:00+02:00", "enebolig", "ja", 10000, 14),
    ("D", "Søknad mottatt", "2024-06-03T09:00:00+02:00", "tilbygg", "ja", 8000, None),
    ("D", "Vurdere søknad", "2024-06-20T09:00:00+02:00", "tilbygg", "ja", 8000, None),
    ("D", "Vedtak sendt", "2024-09-03T09:00:00+02:00", "tilbygg", "ja", 8000, None),
    ("E", "Søknad mottatt", "2024-06-04T09:00:00+02:00", "enebolig", "nei", 10000, None),
    ("E", "Vedtak sendt", "2024-09-25T09:00:00+02:00", "enebolig", "nei", 10000, None),
    ("F", "Søknad mottatt", "2024-10-01T09:00:00+02:00", "enebolig", "nei", 10000, None),
    ("F", "Be om tilleggsdokumentasjon", "2024-10-09T09:00:00+02:00", "enebolig", "nei", 10000, None),
]

CONFIG = """
[logs.frister.deadline]
clock_start = "Søknad mottatt"
stop = ["Vedtak sendt"]
pauses = [["Be om tilleggsdokumentasjon", "Tilleggsdokumentasjon mottatt"],
          ["Innhente uttalelse", "Uttalelse mottatt"]]
extensions = { activity = "Frist forlenget", days_attribute = "forlenget_dager" }
weeks = 12
rules = [{ if = { tiltakstype = ["garasje", "tilbygg"], dispensasjon = [false] }, weeks = 3 }]
refund_per_started_week = 0.25
fee_attribute = "gebyr"

[[logs.frister.within]]
name = "foreløpig svar"
from = "Søknad mottatt"
to = ["Foreløpig svar sendt", "Vedtak sendt"]
days = 30
"""
_run = partial(run, catch_exceptions=True)   # an unexpected error is an exit code here, as the CLI gives it


@pytest.fixture(scope="module")
def monitored(tmp_path_factory: pytest.TempPathFactory, key) -> dict:
    root = tmp_path_factory.mktemp("clock")
    log = root / "frister.csv"
    pd.DataFrame(ROWS, columns=["saksnr", "aktivitet", "tidspunkt", "tiltakstype", "dispensasjon", "gebyr",
                                "forlenget_dager"]).to_csv(log, sep=";", index=False)
    (root / "saksflyt.toml").write_text(CONFIG, encoding="utf-8")
    store = root / "s.duckdb"
    code, _, err = _run(store, "ingest", str(log), "--log", "frister", "--case", "saksnr", "--activity", "aktivitet",
                        "--timestamp", "tidspunkt", "--quiet")
    assert code == 0, err
    code, stdout, err = _run(store, "monitor", "--log", "frister", "--config", str(root / "saksflyt.toml"),
                             "--as-of", "2024-10-19", "--out", str(root / "out"), "--quiet")
    assert code == 0, err
    status = pd.read_csv(root / "out" / "deadline_status.csv", dtype={"case_id": str}).set_index("case_id")
    open_cases = json.loads((root / "out" / "open_cases.json").read_text(encoding="utf-8"))
    return {"root": root, "store": store, "status": status, "open": open_cases, "stderr": err, "stdout": stdout}


@pytest.mark.parametrize("case, deadline, in_time, weeks_over, refund", [
    ("A", "2024-04-15", True, 0, 0.0),
    ("B", "2024-04-11", True, 0, 0.0),
    ("C", "2024-08-08", False, 1, 2500.0),
    ("D", "2024-08-26", False, 2, 4000.0),
    ("E", "2024-08-27", False, 5, 10000.0),
])
def test_closed_cases_follow_the_hand_computed_clock(monitored, case, deadline, in_time, weeks_over, refund):
    row = monitored["status"].loc[case]
    assert row["closed"]
    assert row["deadline_date"] == deadline
    assert bool(row["in_time"]) is in_time
    assert row["weeks_over"] == weeks_over
    assert row["refund_nok"] == pytest.approx(refund)


def test_overlapping_pauses_count_once_and_days_used_exclude_them(monitored):
    b = monitored["status"].loc["B"]
    assert b["days_paused"] == 10
    assert b["days_used"] == (date(2024, 4, 11) - date(2024, 1, 8)).days - 10


def test_open_case_counts_its_open_pause_until_as_of(monitored):
    f = monitored["status"].loc["F"]
    assert not f["closed"] and pd.isna(f["in_time"])
    assert f["days_paused"] == 11
    assert f["deadline_date"] == "2025-01-04"
    (row,) = monitored["open"]
    assert row["case_id"] == "F" and row["days_left"] == 77 and row["days_used"] == 18 - 11
    assert row["weeks_over"] == 0 and row["refund_nok_so_far"] == 0
    assert any("klokken står" in r for r in row["reasons"])


def test_within_rule_and_history_come_from_the_same_clock(monitored):
    from saksflyt.extractors import store
    from saksflyt.mining import monitor_results

    with store.read(monitored["store"]) as con:
        run = monitor_results.latest(con, "frister")
    yearly = run["history"]["yearly"]
    assert [(r["year"], r["decided"], r["late"], r["refund_nok"]) for r in yearly] == [(2024, 5, 3, 16500.0)]
    assert run["open_cases"] == 1 and run["closed_cases"] == 5
    assert not run["trained"] and "too few" in run["message"]
    assert "too few" in monitored["stderr"]


def test_as_of_is_an_honest_backtest(monitored):
    """Seen from 2024-08-31, C is decided (late) and D, E are still open; their future is unknown."""
    out = monitored["root"] / "backtest"
    code, _, err = _run(monitored["store"], "monitor", "--log", "frister", "--config",
                        str(monitored["root"] / "saksflyt.toml"), "--as-of", "2024-08-31", "--out", str(out),
                        "--quiet")
    assert code == 0, err
    status = pd.read_csv(out / "deadline_status.csv", dtype={"case_id": str}).set_index("case_id")
    assert set(status.index) == {"A", "B", "C", "D", "E"}
    assert not status.loc["D", "closed"] and not status.loc["E", "closed"]
    assert status.loc["D", "weeks_over"] == 1  # 26 Aug deadline, 5 days over by 31 Aug
    assert status.loc["C", "closed"] and status.loc["C", "weeks_over"] == 1


@pytest.mark.parametrize("change, named, nearest", [
    ('stop = ["Vedtak sendt"]', 'stop = ["Vedtak sent"]', "Vedtak sendt"),
    ("tiltakstype = [", "tiltakstyp = [", "tiltakstype"),
    ('fee_attribute = "gebyr"', 'fee_attribute = "gebyrr"', "gebyr"),
])
def test_unknown_names_exit_2_with_nearest_matches(monitored, tmp_path, change, named, nearest):
    bad = tmp_path / "bad.toml"
    bad.write_text(CONFIG.replace(change, named), encoding="utf-8")
    code, _, err = _run(monitored["store"], "monitor", "--log", "frister", "--config", str(bad), "--quiet")
    assert code == 2
    assert "Traceback" not in err and len(err.strip().splitlines()) == 1
    assert nearest in err


def test_bad_config_values_exit_2(monitored, tmp_path):
    bad = tmp_path / "bad.toml"
    bad.write_text(CONFIG.replace("weeks = 12", "weeks = -1"), encoding="utf-8")
    code, _, err = _run(monitored["store"], "monitor", "--log", "frister", "--config", str(bad), "--quiet")
    assert code == 2 and "weeks" in err and "Traceback" not in err
    code, _, err = _run(monitored["store"], "monitor", "--log", "frister", "--as-of", "last tuesday", "--quiet")
    assert code == 2 and "--as-of" in err
