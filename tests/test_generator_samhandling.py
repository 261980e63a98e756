"""The samhandling generator: units, handovers and citizen contacts as its truth says, recomputed from the CSV."""
from __future__ import annotations

import json
import tomllib
from collections import Counter
from itertools import pairwise
from pathlib import Path

import duckdb
import pandas as pd
import pytest
from click.testing import CliRunner
from helpers import SAMPLES, cli

from saksflyt.app.cli import main
from saksflyt.sample_logs import generator_samhandling as g

CASES = 300


pytestmark = pytest.mark.usefixtures("key")   # conftest's test pseudonym key


def generate(tmp: Path, *, cases: int = CASES, seed: int = 5) -> tuple[Path, dict]:
    out = tmp / "samhandling.csv"
    cli("generate", "--shape", "samhandling", "--cases", str(cases), "--seed", str(seed), "--out", str(out))
    return out, json.loads((tmp / "samhandling.truth.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def log(tmp_path_factory) -> tuple[Path, dict, pd.DataFrame]:
    path, truth = generate(tmp_path_factory.mktemp("samhandling"))
    return path, truth, read(path)


def read(path: Path) -> pd.DataFrame:
    """The CSV in case order: ts_end, then row order."""
    ev = pd.read_csv(path, sep=";", decimal=",", encoding="utf-8", dtype={"saksnr": str})
    ev["row"] = range(len(ev))
    ev["ts_end"] = pd.to_datetime(ev["slutt"], utc=True)
    return ev.sort_values(["saksnr", "ts_end", "row"]).reset_index(drop=True)


def measures(ev: pd.DataFrame, incoming: list[str], outgoing: list[str]) -> pd.DataFrame:
    """Per case, walked event by event: units, handovers, returns, doors, voices, voice units, pairs."""
    rows = []
    for case, events in ev.groupby("saksnr", sort=True):
        units = events["enhet"].tolist()
        acts = events["aktivitet"].tolist()
        seen, pairs, returns = {units[0]}, [], 0
        for before, after in pairwise(units):
            if after != before:
                pairs.append((before, after))
                returns += after in seen
            seen.add(after)
        voice_units = {u for u, a in zip(units, acts) if a in outgoing}
        rows.append({"saksnr": case, "sakstype": events["sakstype"].iloc[0], "units": len(set(units)),
                     "handovers": len(pairs), "returns": returns, "pairs": pairs,
                     "doors": sum(a in incoming for a in acts), "voices": sum(a in outgoing for a in acts),
                     "voice_units": len(voice_units)})
    return pd.DataFrame(rows)


def test_csv_has_the_columns_units_and_resources_the_truth_names(log):
    path, truth, ev = log
    assert path.read_text(encoding="utf-8").splitlines()[0] == ";".join(truth["format"]["columns"])
    assert truth["counts"]["events"] == len(ev) and truth["counts"]["cases"] == ev["saksnr"].nunique() == CASES
    assert set(ev["enhet"]) == set(truth["units"]) == set(g.UNITS)
    assert ev["enhet"].notna().all()
    resources = set(ev["saksbehandler"])
    assert set(truth["format"]["system_resources"]) | set(truth["format"]["external_resources"]) <= resources
    person = ev["start"].notna()
    assert 0.5 < person.mean() < 0.8  # mostly staff work, some system and citizen events
    assert (ev.groupby("saksnr")[list(g.CASE_ATTRIBUTES)].nunique() == 1).all().all()
    assert (ev.groupby("saksnr")["aktivitet"].first() == g.MOTTATT).all()
    for activity, unit in g.ACTIVITY_UNIT.items():
        assert (ev.loc[ev["aktivitet"] == activity, "enhet"] == unit).all(), activity


def test_truth_numbers_are_recomputed_from_the_csv(log):
    _, truth, ev = log
    contacts = truth["contacts"]
    m = measures(ev, contacts["incoming"], contacts["outgoing"])
    pingpong = truth["pingpong"]
    for kind, got in m.groupby("sakstype"):
        expect = pingpong["by_sakstype"][kind]
        assert (expect["cases"], expect["pingpong_cases"], expect["returns"]) == (
            len(got), int((got["returns"] > 0).sum()), int(got["returns"].sum()))
        assert expect["share"] == round((got["returns"] > 0).mean(), 4)
    assert pingpong["overall"]["share"] == round((m["returns"] > 0).mean(), 4)
    assert pingpong["overall"]["pingpong_cases"] == pingpong["by_sakstype"][g.LANGTID]["pingpong_cases"] > 5
    assert 0.5 * pingpong["drawn_cases"] <= pingpong["overall"]["pingpong_cases"] <= pingpong["drawn_cases"]
    assert 0.1 < pingpong["by_sakstype"][g.LANGTID]["share"] < 0.6

    multi = m["voice_units"] >= 2
    voices = truth["voices"]["overall"]
    assert voices["multi_unit_voice_share"] == round(multi.mean(), 4)
    assert voices["multi_unit_voice_cases"] == int(multi.sum())
    assert voices["letters_saved"] == int((m["voices"] - 1)[multi].sum())
    assert voices["letters_saved_one_per_unit_merge"] == int((m["voice_units"] - 1)[multi].sum())
    praktisk = m[m["sakstype"] == g.PRAKTISK]
    assert truth["voices"]["by_sakstype"][g.PRAKTISK]["multi_unit_voice_share"] == round(
        (praktisk["voice_units"] >= 2).mean(), 4) > 0.5
    assert (praktisk["voice_units"] == 3).any()

    doors = truth["doors"]["overall"]
    assert doors["share_doors_2_or_more"] == round((m["doors"] >= 2).mean(), 4) > 0.05
    assert doors["doors"] == int(m["doors"].sum())

    counted = Counter(p for pairs in m["pairs"] for p in pairs)
    cases = Counter(p for pairs in m["pairs"] for p in set(pairs))
    assert truth["handovers"]["total"] == sum(counted.values())
    for pair in truth["handovers"]["pairs"][:5]:
        key = (pair["source_unit"], pair["target_unit"])
        assert (pair["count"], pair["cases"]) == (counted[key], cases[key])
    assert [p["count"] for p in truth["handovers"]["pairs"]] == sorted(counted.values(), reverse=True)


def test_only_the_pingpong_type_returns_and_only_between_its_two_units(log):
    _, truth, ev = log
    m = measures(ev, truth["contacts"]["incoming"], truth["contacts"]["outgoing"])
    assert (m.loc[m["sakstype"] != g.LANGTID, "returns"] == 0).all()
    a, b = truth["pingpong"]["units"]
    for pairs in m.loc[m["returns"] > 0, "pairs"]:
        assert (b, a) in pairs and (a, b) in pairs
    # the waiting contacts take the unit of the case's next event: they never add a handover
    nxt = ev.groupby("saksnr")["enhet"].shift(-1)
    waiting = ev["aktivitet"].isin([g.HENVENDELSE, g.FORELOPIG]) & nxt.notna()
    assert waiting.sum() > 10 and (ev.loc[waiting, "enhet"] == nxt[waiting]).all()


def test_same_seed_same_bytes(tmp_path):
    (a := tmp_path / "a").mkdir()
    (b := tmp_path / "b").mkdir()
    (c := tmp_path / "c").mkdir()
    pa, _ = generate(a, cases=150, seed=11)
    pb, _ = generate(b, cases=150, seed=11)
    pc, _ = generate(c, cases=150, seed=12)
    assert pa.read_bytes() == pb.read_bytes()
    assert (a / "samhandling.truth.json").read_bytes() == (b / "samhandling.truth.json").read_bytes()
    assert pa.read_bytes() != pc.read_bytes()


def test_committed_sample_is_what_the_seed_gives(tmp_path):
    truth = json.loads((SAMPLES / "samhandling.truth.json").read_text(encoding="utf-8"))
    cases, seed = truth["generator"]["cases"], truth["generator"]["seed"]
    g.write(g.generate(cases=cases, seed=seed), tmp_path / "samhandling.csv")
    assert (tmp_path / "samhandling.truth.json").read_text(encoding="utf-8") == (
        SAMPLES / "samhandling.truth.json").read_text(encoding="utf-8")
    assert (tmp_path / "samhandling.csv").read_bytes() == (SAMPLES / "samhandling.csv").read_bytes()
    config = tomllib.loads((SAMPLES / "saksflyt.toml").read_text(encoding="utf-8"))
    assert config["logs"]["samhandling"]["contacts"] == {"incoming": truth["contacts"]["incoming"],
                                                         "outgoing": truth["contacts"]["outgoing"]}


def test_ingest_reads_the_csv(log, tmp_path):
    path, truth, _ = log
    store = tmp_path / "store.duckdb"
    cli("ingest", str(path), "--log", "sam", "--store", str(store), "--no-pseudonymise", "--quiet")
    con = duckdb.connect(str(store), read_only=True)
    try:
        got = con.execute("SELECT count(*), count(DISTINCT case_id), count(ts_start) FROM events").fetchone()
    finally:
        con.close()
    counts = truth["counts"]
    assert got == (counts["events"], counts["cases"], counts["person_events"])


def test_wrong_suffix_is_one_clean_error(tmp_path):
    result = CliRunner().invoke(main, ["generate", "--shape", "samhandling", "--cases", "5", "--out",
                                       str(tmp_path / "x.parquet")], catch_exceptions=False)
    assert result.exit_code == 2 and "written as" in result.output
