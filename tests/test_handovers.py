"""Handovers between units on real logs, checked against a computation of our own over the raw XML."""
from __future__ import annotations

import collections
import csv
import gzip
import json
from pathlib import Path

import duckdb
import pandas as pd
import pytest
from helpers import SAMPLES, run
from lxml import etree

from saksflyt.extractors import store
from saksflyt.extractors.pseudonym import load_key, pseudonym
from saksflyt.mining import collaboration_results
from saksflyt.mining.run import PHASES, STATISTICS_PHASES, mine


# the statistics and the handover phase, without the model, conformance, report and scoring
UP_TO_HANDOVERS = STATISTICS_PHASES + tuple(p for p in PHASES if p.name in ("insight_inputs", "handovers"))


def raw_events(path: Path) -> pd.DataFrame:
    """case, timestamp, org:group, org:resource and file position of every event, read with lxml (not our
    reader)."""
    rows = []
    with gzip.open(path, "rb") as f:
        for _, trace in etree.iterparse(f, events=("end",), tag=("{*}trace", "trace")):
            case = next(c.get("value") for c in trace if c.get("key") == "concept:name")
            for ev in trace:
                if etree.QName(ev).localname == "event":
                    attrs = {c.get("key"): c.get("value") for c in ev}
                    rows.append((case, attrs.get("time:timestamp"), attrs.get("org:group"), attrs.get("org:resource"),
                                 len(rows)))
            trace.clear()
    df = pd.DataFrame(rows, columns=["case", "ts", "group", "resource", "seq"])
    df["ts"] = pd.to_datetime(df["ts"], utc=True, format="ISO8601")
    return df


def expected_handovers(df: pd.DataFrame, not_staff: set[str]) -> tuple[pd.DataFrame, float]:
    """Handover edges (count, returns) and the share of cases with a return, by the definition in
    mining.handovers: consecutive staff events in case order (timestamp, then file order) whose units
    differ; `not_staff` are the raw names of resources the store holds as systems or outside parties."""
    d = df[~df["resource"].isin(not_staff)].dropna(subset=["group"])
    d = d.sort_values(["case", "ts", "seq"], kind="stable").copy()
    d["prev"] = d.groupby("case")["group"].shift()
    d["prev_ts"] = d.groupby("case")["ts"].shift()
    d["first_pos"] = d.groupby(["case", "group"]).cumcount()   # 0 at a unit's first visit in the case
    h = d[d["prev"].notna() & (d["prev"] != d["group"])].copy()
    h["ret"] = h["first_pos"] > 0
    h["wait"] = (h["ts"] - h["prev_ts"]).dt.total_seconds().clip(lower=0) / 3600   # no starts: completions
    edges = h.groupby(["prev", "group"]).agg(count=("case", "size"), cases=("case", "nunique"),
                                             returns=("ret", "sum"), median_wait=("wait", "median")).reset_index()
    share = h.loc[h["ret"], "case"].nunique() / df["case"].nunique()
    edges.attrs["median_wait"] = float(h["wait"].median())
    return edges, share


@pytest.fixture(scope="module")
def bpic2013(shared_logs: Path, tmp_path_factory: pytest.TempPathFactory, key) -> tuple[Path, Path, Path]:
    """Ingested with the CLI, mined up to the handovers (the model, conformance, report and scoring, 10 s on
    this log, are not what is checked here) and exported as `mine --out` does."""
    log = shared_logs / "bpic2013_incidents.xes.gz"
    tmp = tmp_path_factory.mktemp("bpic2013")
    store_path, out = tmp / "s.duckdb", tmp / "out"
    assert run(store_path, "ingest", str(log), "--log", "bpic2013", "--quiet")[0] == 0
    mined = mine(store_path=store_path, log_name="bpic2013", phases=UP_TO_HANDOVERS)
    with store.read(store_path) as con:
        assert {p.name for p in collaboration_results.export(con, "bpic2013", out, run_id=mined.run_id)} == {
            "handovers.csv", "units.json", "collaboration.json"}
    return log, store_path, out


def test_bpic2013_team_handovers_match_the_raw_events(bpic2013):
    log, store_path, out = bpic2013
    raw = raw_events(log)
    assert len(raw) == 65_533 and raw["case"].nunique() == 7_554
    # the resources ingest judged not to be people (by behaviour), matched to their raw names by pseudonym
    with duckdb.connect(str(store_path), read_only=True) as con:
        machines = {r[0] for r in con.execute("SELECT resource FROM resource_kinds WHERE kind <> 'person'").fetchall()}
    key = load_key()
    not_staff = {n for n in raw["resource"].dropna().unique() if pseudonym(n, key=key) in machines}
    assert len(not_staff) == len(machines) == 1
    edges, share = expected_handovers(raw, not_staff)
    with open(out / "handovers.csv", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    assert list(rows[0]) == ["source_unit", "target_unit", "count", "cases", "median_wait_hours", "returns"]
    got = {(r["source_unit"], r["target_unit"]): r for r in rows}
    # the three teams with the most events, and every handover among them
    top3 = raw["group"].value_counts().index[:3].tolist()
    among = edges[edges["prev"].isin(top3) & edges["group"].isin(top3)]
    assert len(among) >= 3
    for e in among.itertuples(index=False):
        row = got[(e.prev, e.group)]
        assert (int(row["count"]), int(row["cases"]), int(row["returns"])) == (e.count, e.cases, e.returns)
        assert float(row["median_wait_hours"]) == pytest.approx(e.median_wait, abs=1e-9)
    summary = json.loads((out / "collaboration.json").read_text(encoding="utf-8"))
    assert summary["basis"] == "unit" and summary["units"] == 649
    assert summary["ping_pong_share"] == pytest.approx(share, abs=1e-12)
    assert summary["handovers"] == int(edges["count"].sum())
    assert summary["median_handover_wait_hours"] == pytest.approx(edges.attrs["median_wait"], abs=1e-9)
    assert summary["ping_pong_cases"] == round(share * 7_554)
    # teams with 1-4 people are shown only merged; nothing is lost from the totals
    units = json.loads((out / "units.json").read_text(encoding="utf-8"))
    assert sum(u["events"] for u in units) == (raw["group"].notna() & ~raw["resource"].isin(not_staff)).sum()
    merged = [u for u in units if u["merged"]]
    assert len(merged) == 1 and merged[0]["people"] >= 5 and merged[0]["units_merged"] > 1
    assert all(u["people"] >= 5 or u["people"] == 0 for u in units)


def test_per_case_figures_add_up(bpic2013):
    _, store_path, out = bpic2013
    summary = json.loads((out / "collaboration.json").read_text(encoding="utf-8"))
    with duckdb.connect(str(store_path), read_only=True) as con:
        n, handovers, returns, pp = con.execute(
            "SELECT count(*), sum(handovers), sum(returns), count(*) FILTER (WHERE returns > 0) "
            "FROM mining_case_units").fetchall()[0]
    assert (n, handovers, returns, pp) == (7_554, summary["handovers"], summary["returns"], summary["ping_pong_cases"])


# --- a generator of our own with planted truth -------------------------------------------------------

@pytest.fixture(scope="module")
def samhandling(tmp_path_factory: pytest.TempPathFactory, key) -> tuple[Path, Path, dict]:
    """The committed samhandling sample ingested (its `enhet` column is the unit) and mined with its contacts."""
    tmp = tmp_path_factory.mktemp("samhandling")
    store_path, out = tmp / "s.duckdb", tmp / "out"
    assert run(store_path, "ingest", str(SAMPLES / "samhandling.csv"), "--log", "samhandling", "--quiet")[0] == 0
    code, _, err = run(store_path, "mine", "--log", "samhandling", "--config", str(SAMPLES / "saksflyt.toml"),
                       "--out", str(out), "--quiet")
    assert code == 0, err
    truth = json.loads((SAMPLES / "samhandling.truth.json").read_text(encoding="utf-8"))
    return store_path, out, truth


def _by_type(store_path: Path) -> pd.DataFrame:
    with duckdb.connect(str(store_path), read_only=True) as con:
        return con.execute("""
            SELECT a.value_text AS sakstype, count(*) AS cases,
                   avg(CAST(c.returns > 0 AS INTEGER)) AS ping_pong, avg(CAST(c.voice_units > 1 AS INTEGER)) AS multi,
                   avg(CAST(c.voice_units = 3 AS INTEGER)) AS three, avg(CAST(c.doors > 1 AS INTEGER)) AS doors
            FROM mining_case_units c JOIN case_attributes a ON a.case_id = c.case_id AND a.name = 'sakstype'
            GROUP BY 1 ORDER BY 1""").df().set_index("sakstype")


def test_planted_bounce_and_voices_are_found(samhandling):
    store_path, out, truth = samhandling
    found = json.loads((out / "collaboration.json").read_text(encoding="utf-8"))
    by_type = _by_type(store_path)
    pp = truth["pingpong"]
    # the bouncing case type: its planted probability within 0.02, its realised share exactly
    assert by_type.loc[pp["sakstype"], "ping_pong"] == pytest.approx(pp["planted_probability"], abs=0.02)
    for sakstype, t in pp["by_sakstype"].items():
        assert by_type.loc[sakstype, "ping_pong"] == pytest.approx(t["share"], abs=0.0005)
    assert found["ping_pong_cases"] == pp["overall"]["pingpong_cases"]
    assert found["returns"] == pp["overall"]["returns"]
    # the case type whose letters come from three units, and the per-log shares
    v = truth["voices"]
    assert by_type.loc[v["sakstype"], "multi"] == pytest.approx(v["by_sakstype"][v["sakstype"]]["multi_unit_voice_share"],
                                                                 abs=0.0005)
    assert found["multi_voice_share"] == pytest.approx(v["overall"]["multi_unit_voice_share"], abs=0.0005)
    assert found["letters_saved"] == v["overall"]["letters_saved_one_per_unit_merge"]
    assert found["repeat_door_share"] == pytest.approx(truth["doors"]["overall"]["share_doors_2_or_more"], abs=0.0005)
    assert found["contacts_source"] == "config"
    # three voices, recomputed from the CSV: the units the outgoing letters of each case came from
    raw = pd.read_csv(SAMPLES / "samhandling.csv", sep=";")
    letters = raw[raw["aktivitet"].isin(truth["contacts"]["outgoing"])]
    units = letters.groupby("saksnr")["enhet"].nunique()
    types = raw.groupby("saksnr")["sakstype"].first()
    three = (units.reindex(types.index, fill_value=0) == 3).groupby(types).mean()
    assert by_type["three"].to_dict() == pytest.approx(three.to_dict(), abs=1e-12)
    assert three[v["sakstype"]] > 0.25 > 10 * three.drop(v["sakstype"]).max()
    # the top handovers as planted
    rows = {(r["source_unit"], r["target_unit"]): r for r in csv.DictReader(open(out / "handovers.csv", encoding="utf-8"))}
    for pair in truth["handovers"]["pairs"][:3]:
        got = rows[(pair["source_unit"], pair["target_unit"])]
        assert (int(got["count"]), int(got["cases"])) == (pair["count"], pair["cases"])


def test_candidates_name_the_bounce_and_the_voices(samhandling):
    _, out, truth = samhandling
    cands = json.loads((out / "candidates.json").read_text(encoding="utf-8"))
    a, b = truth["pingpong"]["units"]
    bounce = [c for c in cands if c["kind"] == "simplify" and a in c["reasons"][0] and b in c["reasons"][0]]
    assert len(bounce) == 1
    assert f"{truth['pingpong']['overall']['pingpong_cases']} saker" in bounce[0]["reasons"][0]
    assert set(bounce[0]["activities"]) <= set(truth["pingpong"]["activities"])
    voices = [c for c in cands if c["reasons"][0].startswith("Flere stemmer ut")]
    assert len(voices) == 1
    assert f"spare {truth['voices']['overall']['letters_saved_one_per_unit_merge']} brev" in voices[0]["reasons"][0]
    assert {"Vedtak sendt", "Melding om oppstart sendt", "Faktura sendt"} == set(voices[0]["activities"])
    assert voices[0]["hours_saved_per_year"] == 0   # letters, not staff hours: those belong to the letter steps
    # no hour counted twice: the hours claimed never exceed the log's staff hours, and the bounce's redone
    # work is counted once (by the bounce or by the loop through the same steps)
    summary = json.loads((out / "candidates_summary.json").read_text(encoding="utf-8"))
    assert sum(c["hours_saved_per_year"] for c in cands) <= summary["staff_hours_per_year"] + 1e-6
    loops = [c for c in cands if c is not bounce[0] and c["kind"] == "simplify" and c["hours_saved_per_year"] > 0
             and set(c["activities"]) & set(truth["pingpong"]["activities"])]
    if loops:   # the loop through the same steps keeps their hours; the bounce says where they are counted
        assert bounce[0]["hours_saved_per_year"] == 0
        assert any(loops[0]["candidate_id"] in r for r in bounce[0]["reasons"])


def test_compare_counts_handovers_and_voices_per_side(samhandling, tmp_path):
    """Split at a date, the two sides' closed cases add up to the log's, and so do their ping-pong and
    multi-voice cases (each side counted with the contact lists the log was mined with)."""
    store_path, _, _ = samhandling
    out = tmp_path / "cmp"
    code, _, err = run(store_path, "compare", "--log", "samhandling", "--before", "2023-07-01", "--after", "2023-07-01",
                       "--bootstrap", "100", "--out", str(out), "--quiet")
    assert code == 0, err
    c = json.loads((out / "compare.json").read_text(encoding="utf-8"))["collaboration"]
    with duckdb.connect(str(store_path), read_only=True) as con:
        closed, ping, multi, doors = con.execute("""
            SELECT count(*), count(*) FILTER (WHERE u.returns > 0), count(*) FILTER (WHERE u.voice_units > 1),
                   count(*) FILTER (WHERE u.doors > 1)
            FROM mining_case_units u JOIN mining_cases m ON m.case_id = u.case_id AND m.run_id = u.run_id
            WHERE m.closed""").fetchall()[0]
    a, b = c["a"], c["b"]
    assert a["basis"] == b["basis"] == "unit" and min(a["cases"], b["cases"]) > 100
    assert (a["cases"] + b["cases"], a["ping_pong_cases"] + b["ping_pong_cases"]) == (closed, ping)
    assert (a["cases_multi_voice"] + b["cases_multi_voice"], a["cases_repeat_door"] + b["cases_repeat_door"]) == (
        multi, doors)
    assert c["ping_pong_share_change"] == pytest.approx(b["ping_pong_share"] - a["ping_pong_share"])
    assert 0 <= c["multi_voice_p"] <= 1
    page = (out / "compare.html").read_text(encoding="utf-8")
    assert "Samhandling: overleveringer og kontakt med innbyggeren" in page


# --- Noark 5: contacts from journal post types ---------------------------------------------------------

N5 = "{http://www.arkivverket.no/standarder/noark5/arkivstruktur}"


def test_noark5_journal_posts_are_the_doors_and_voices(tmp_path, key):
    """One door per incoming journal post and one voice per outgoing one (not one per event of the post),
    each case in the unit of its administrativEnhet, with no contact lists configured."""
    from saksflyt.sample_logs.noark5_generator import generate_noark5

    made = generate_noark5(tmp_path / "uttrekk", cases=40, seed=5)
    store_path = tmp_path / "s.duckdb"
    assert run(store_path, "ingest", str(made.folder), "--format", "noark5", "--log", "n5", "--quiet")[0] == 0
    mine(store_path=store_path, log_name="n5", phases=UP_TO_HANDOVERS)
    per_case: dict[str, collections.Counter] = {}
    for _, mappe in etree.iterparse(str(made.folder / "arkivstruktur.xml"), tag=f"{N5}mappe"):
        if mappe.get("{http://www.w3.org/2001/XMLSchema-instance}type") != "saksmappe":
            continue
        counts = per_case.setdefault(mappe.findtext(f"{N5}mappeID"), collections.Counter())
        for jp in mappe.iter(f"{N5}registrering"):
            counts[jp.findtext(f"{N5}journalposttype")] += 1
        mappe.clear()
    doors = sum(c["Inngående dokument"] for c in per_case.values())
    voices = sum(c["Utgående dokument"] for c in per_case.values())
    with store.read(store_path) as con:
        found = collaboration_results.summary(con, "n5")
    assert found["contacts_source"] == "noark5" and found["cases"] == len(per_case) == 40
    assert (found["doors"], found["voices"]) == (doors, voices) and doors > 40 and voices > 0
    assert found["cases_repeat_door"] == sum(c["Inngående dokument"] > 1 for c in per_case.values())
    # the generator files each case under one administrative unit: no handovers, no voices from two units
    assert found["basis"] == "unit" and found["units"] == 3
    assert (found["handovers"], found["cases_multi_voice"], found["max_units_per_case"]) == (0, 0, 1)
