"""saksflyt publish: the budget adds up and holds, one case moves each count by at most its stated bound,
nothing identifying leaves, a bundle compares with a log within its noise, and its pages pass axe-core."""
from __future__ import annotations

import json
import math
import re
import shutil
from functools import partial
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from helpers import SAMPLES
from helpers import cli as run_cli

from saksflyt.extractors import store
from saksflyt.sample_logs import generator
from saksflyt.mining import bundle as bd
from saksflyt.mining.publish_counts import Bounds, log_counts

cli = partial(run_cli, catch_exceptions=True)
ENDS = "Tillatelse sendt,Avslag sendt"


def fingerprint(db: Path) -> dict[str, str]:
    """Every table's rows, hashed: equal fingerprints mean an unchanged store."""
    with store.read(db) as con:
        tables = [r[0] for r in con.execute("SELECT table_name FROM duckdb_tables() WHERE database_name = "
                                            "current_database() ORDER BY 1").fetchall()]
        return {t: con.execute(f'SELECT count(*) || \':\' || coalesce(md5(string_agg(CAST(x AS VARCHAR), \'|\' '
                                f'ORDER BY CAST(x AS VARCHAR))), \'\') FROM "{t}" x').fetchall()[0][0] for t in tables}


@pytest.fixture()
def byggesak(demo_store: Path, tmp_path: Path, key) -> Path:
    db = tmp_path / "store.duckdb"
    shutil.copy(demo_store, db)
    return db


def test_budget_adds_up_and_a_release_past_it_is_refused(byggesak: Path, tmp_path: Path):
    db = str(byggesak)
    cli("--store", db, "publish", "--log", "byggesak", "--epsilon", "0.4", "--end-activities", ENDS,
        "--out", str(tmp_path / "b1"), "--quiet")
    cli("--store", db, "publish", "--log", "byggesak", "--epsilon", "0.5", "--end-activities", ENDS,
        "--out", str(tmp_path / "b2"), "--quiet")
    ledger = json.loads(cli("--store", db, "logs", "--privacy", "--json"))
    assert [r["released_log"] for r in ledger] == ["byggesak", "byggesak"]
    # what OpenDP's maps say was spent: the asked ε (a Gaussian part may come in a hair under it)
    assert sum(r["epsilon"] for r in ledger) == pytest.approx(0.9, rel=1e-3) and sum(r["epsilon"] for r in ledger) <= 0.9
    # each release's parts add up to what it spent (sequential composition), δ within what was asked
    for r, asked in zip(ledger, (0.5, 0.4)):
        assert r["epsilon"] == pytest.approx(asked, rel=1e-3)
        assert sum(p["epsilon"] for p in r["what"]["releases"]) == pytest.approx(r["epsilon"])
        assert 0 < r["delta"] <= 1e-6
    b1 = bd.read(tmp_path / "b1")
    assert b1["privacy"]["epsilon"] == pytest.approx(0.4, rel=1e-3)

    before = fingerprint(byggesak)
    out = cli("--store", db, "publish", "--log", "byggesak", "--epsilon", "0.2", "--end-activities", ENDS,
              "--out", str(tmp_path / "b3"), "--quiet", code=2)
    assert out.count("\n") == 1 and "Traceback" not in out
    assert "budget left (0.1" in out and "of 1 over the last 365 days" in out
    assert fingerprint(byggesak) == before and not (tmp_path / "b3").exists()
    # raising the budget is explicit, and recorded
    cli("--store", db, "publish", "--log", "byggesak", "--epsilon", "0.2", "--budget", "2", "--end-activities", ENDS,
        "--out", str(tmp_path / "b3"), "--quiet")
    ledger = json.loads(cli("--store", db, "logs", "--privacy", "--json"))
    assert len(ledger) == 3 and ledger[0]["budget"] == 2.0
    # the ledger outlives `drop`: re-ingesting the same people does not reset their budget
    cli("--store", db, "drop", "--log", "byggesak")
    assert len(json.loads(cli("--store", db, "logs", "--privacy", "--json"))) == 3


def test_the_config_sets_the_budget(byggesak: Path, tmp_path: Path):
    config = tmp_path / "saksflyt.toml"
    config.write_text('[privacy]\nepsilon_per_year = 3\n\n[logs.byggesak]\n'
                      'end_activities = ["Tillatelse sendt", "Avslag sendt"]\n\n'
                      '[logs.byggesak.privacy]\nepsilon_per_year = 0.5\n', encoding="utf-8")
    out = cli("--store", str(byggesak), "publish", "--log", "byggesak", "--epsilon", "0.6", "--config", str(config),
              "--out", str(tmp_path / "b"), "--quiet", code=2)
    assert "budget left (0.5 of 0.5" in out
    cli("--store", str(byggesak), "publish", "--log", "byggesak", "--epsilon", "0.5", "--config", str(config),
        "--out", str(tmp_path / "b"), "--quiet")   # end activities from the config too
    assert json.loads(cli("--store", str(byggesak), "logs", "--privacy", "--json"))[0]["budget"] == 0.5


@pytest.mark.parametrize("args, says", [
    (["--epsilon", "0"], "--epsilon must be a positive number"),
    (["--epsilon", "nan"], "--epsilon must be a positive number"),
    (["--epsilon", "-1"], "--epsilon must be a positive number"),
    (["--epsilon", "0.5", "--delta", "0.5"], "--delta must be above 0 and below 0.001"),
    (["--epsilon", "5"], "exceeds the privacy budget left (1 of 1"),
    (["--epsilon", "0.5", "--out", "HERE"], "holds other files; a bundle is written to a folder of its own"),
])
def test_bad_epsilon_or_delta_exits_2_with_the_store_unchanged(byggesak: Path, tmp_path: Path, args, says):
    before = fingerprint(byggesak)
    (tmp_path / "report.html").write_text("a mining report that must survive", encoding="utf-8")
    args = [str(tmp_path) if a == "HERE" else a for a in args]
    out = cli("--store", str(byggesak), "publish", "--log", "byggesak", "--end-activities", ENDS,
              "--out", str(tmp_path / "b"), *args, "--quiet", code=2)   # a later --out wins
    assert says in out and out.count("\n") == 1
    assert fingerprint(byggesak) == before
    assert (tmp_path / "report.html").read_text(encoding="utf-8") == "a mining report that must survive"


def test_bad_bundles_exit_2(byggesak: Path, tmp_path: Path):
    good = tmp_path / "good"
    cli("--store", str(byggesak), "publish", "--log", "byggesak", "--epsilon", "0.5", "--end-activities", ENDS,
        "--out", str(good), "--quiet")
    data = json.loads((good / "bundle.json").read_text(encoding="utf-8"))
    for name, change, says in (
            ("future", {"schema_version": 99}, "bundle schema version 99 is not supported"),
            ("alien", {"schema": "something-else"}, "not a Saksflyt bundle"),
            ("outside", {"dfg": [{"source": "Hemmelig steg", "target": "■", "count": 40}]},
             "dfg row 1 names an activity outside the catalogue")):
        folder = tmp_path / name
        folder.mkdir()
        (folder / "bundle.json").write_text(json.dumps({**data, **change}), encoding="utf-8")
        out = cli("--store", str(byggesak), "compare", "--log", "byggesak", "--bundle", str(folder), "--quiet", code=2)
        assert says in out and out.count("\n") == 1
    (tmp_path / "broken").mkdir()
    (tmp_path / "broken" / "bundle.json").write_text("{not json", encoding="utf-8")
    out = cli("--store", str(byggesak), "compare", "--log", "byggesak", "--bundle", str(tmp_path / "broken"), code=2)
    assert "not a readable bundle" in out


def test_a_fixed_catalogue_decides_the_grid_not_the_log(byggesak: Path, tmp_path: Path):
    """--activities: the bundle's steps are the publisher's list (a step only the log has is left out,
    a listed step the log lacks still gets a noisy row), and --no-processing releases no handling times."""
    steps = tmp_path / "steps.txt"
    steps.write_text("# steps of the case system\nSøknad mottatt\nRegistrere søknad\nVurdere komplett søknad\n"
                     "Faglig vurdering\nUtarbeide vedtak\nVedtak fattet\nTillatelse sendt\nAvslag sendt\n"
                     "Klage mottatt\n", encoding="utf-8")
    out = tmp_path / "b"
    cli("--store", str(byggesak), "publish", "--log", "byggesak", "--epsilon", "1", "--end-activities", ENDS,
        "--activities", str(steps), "--no-processing", "--out", str(out), "--quiet")
    data = bd.read(out)
    listed = {"Søknad mottatt", "Registrere søknad", "Vurdere komplett søknad", "Faglig vurdering", "Utarbeide vedtak",
              "Vedtak fattet", "Tillatelse sendt", "Avslag sendt", "Klage mottatt"}
    assert set(data["activities"]) == listed and data["privacy"]["catalogue"] == "given by the publisher"
    assert {e["source"] for e in data["dfg"]} | {e["target"] for e in data["dfg"]} <= listed | {bd.START, bd.END}
    assert all(set(v["activities"]) <= listed for v in data["variants"]) and data["variants"]
    assert data["processing"] is None and "processing" not in {r["name"] for r in data["privacy"]["releases"]}
    assert sum(r["epsilon"] for r in data["privacy"]["releases"]) == pytest.approx(1.0, rel=1e-3)
    empty = tmp_path / "empty.txt"
    empty.write_text("# nothing\n", encoding="utf-8")
    out2 = cli("--store", str(byggesak), "publish", "--log", "byggesak", "--epsilon", "1", "--end-activities", ENDS,
               "--activities", str(empty), "--out", str(tmp_path / "b2"), "--quiet", code=2)
    assert "the activity list is empty" in out2


@pytest.fixture(scope="module")
def neighbours(tmp_path_factory, key) -> tuple[Path, pd.DataFrame]:
    """Two logs that differ by one case of 500 events (every step, in a shuffled order, many times over)."""
    tmp = tmp_path_factory.mktemp("neighbours")
    g = generator.generate(cases=400, seed=11)
    generator.write(g, tmp / "base.csv")
    base = pd.read_csv(tmp / "base.csv", sep=";", dtype=str, keep_default_na=False)
    acts = sorted(set(base["aktivitet"]) - {"Tillatelse sendt", "Avslag sendt"})
    rng = np.random.default_rng(5)
    t0 = pd.Timestamp("2023-06-05T08:00:00+02:00")
    first = base.iloc[0].to_dict()
    rows = []
    for i in range(500):
        act = "Tillatelse sendt" if i == 499 else acts[int(rng.integers(len(acts)))]
        start = t0 + pd.Timedelta(hours=3 * i)
        rows.append({**first, "saksnr": "2099/00001", "aktivitet": act, "start": start.isoformat(),
                     "slutt": (start + pd.Timedelta(minutes=20 + i % 50)).isoformat(), "saksbehandler": "system"})
    plus = pd.concat([base, pd.DataFrame(rows)], ignore_index=True)
    plus.to_csv(tmp / "plus.csv", sep=";", index=False)
    db = tmp / "store.duckdb"
    for name in ("base", "plus"):
        cli("--store", str(db), "ingest", str(tmp / f"{name}.csv"), "--log", name, "--quiet")
    return db, plus


def test_one_case_of_500_events_moves_each_count_by_at_most_its_bound(neighbours):
    db, plus = neighbours
    assert (plus["saksnr"] == "2099/00001").sum() == 500
    bounds = Bounds()
    ends = tuple(ENDS.split(","))
    a, fa = log_counts(db, "base", bounds=bounds, end_activities=ends, public_attrs=("tiltakstype",))
    b, fb = log_counts(db, "plus", bounds=bounds, end_activities=ends, public_attrs=("tiltakstype",))
    assert fb["summary"]["cases"] == fa["summary"]["cases"] + 1
    assert a.activities == b.activities and a.months == b.months and a.edges == b.edges

    def l1(x: np.ndarray, y: np.ndarray) -> int:
        return int(np.abs(x.astype(np.int64) - y.astype(np.int64)).sum())

    assert l1(a.volume, b.volume) == 1
    assert b.closed - a.closed == 1
    assert l1(a.lead, b.lead) == 1
    # the case has far more distinct transitions than the bound: exactly the bound moves, never more
    assert l1(a.dfg, b.dfg) == bounds.max_edges
    assert 0 < l1(a.waiting, b.waiting) <= bounds.max_activities
    assert 0 < l1(a.processing, b.processing) <= bounds.max_activities
    changed = {k for k in set(a.variants) | set(b.variants) if a.variants.get(k, 0) != b.variants.get(k, 0)}
    assert len(changed) == 1 and sum(b.variants.values()) - sum(a.variants.values()) == 1
    ta, tb = (x.attributes["tiltakstype"].set_index(["value", "bin"])["cases"] for x in (a, b))
    assert int((tb.sub(ta, fill_value=0)).abs().sum()) == 1
    # every other case keeps its exact contribution (the subset is keyed by case id, not by row order)
    assert b.truncated_edges == a.truncated_edges + 1


def test_a_bundle_holds_no_case_ids_names_timestamps_or_rare_variants(neighbours, tmp_path: Path, key):
    """Seed a log with unique ids, names, free text and a one-off variant, publish, scan every file."""
    src = SAMPLES / "byggesak.csv"
    frame = pd.read_csv(src, sep=";", dtype=str, keep_default_na=False)
    rare = frame[frame["saksnr"] == frame["saksnr"].iloc[0]].copy()
    rare["saksnr"] = "UNIK-SAK-0424242"
    rare["soker_navn"] = "Kari Unikesen Nordmann"
    rare["soker_fnr"] = "01017012345"
    rare["saksbehandler"] = "Saksbehandler Særskilt"
    rare["kommentar"] = "Hemmelig merknad om søkerens helse"
    rare["aktivitet"] = rare["aktivitet"].iloc[::-1].to_numpy()   # a variant nobody else has
    seeded = tmp_path / "seeded.csv"
    pd.concat([frame, rare]).to_csv(seeded, sep=";", index=False)
    db = tmp_path / "s.duckdb"
    cli("--store", str(db), "ingest", str(seeded), "--log", "seeded", "--keep-text", "--quiet")
    out = tmp_path / "bundle"
    cli("--store", str(db), "publish", "--log", "seeded", "--epsilon", "1", "--end-activities", ENDS,
        "--public-attrs", "tiltakstype", "--out", str(out), "--quiet")
    with store.read(db) as con:
        stored_ids = [r[0] for r in con.execute("SELECT DISTINCT case_id FROM events WHERE log = 'seeded'").fetchall()]
        resources = [r[0] for r in con.execute(
            "SELECT DISTINCT resource FROM events WHERE log = 'seeded' AND resource IS NOT NULL "
            "AND resource <> 'system'").fetchall()]   # pseudonyms; 'system' names no one
    raw_ids = list(frame["saksnr"].unique()) + ["UNIK-SAK-0424242"]
    secrets = ["Kari Unikesen", "01017012345", "Særskilt", "Hemmelig merknad", "UNIK-SAK"] + raw_ids[:200]
    files = sorted(out.iterdir())
    assert {f.name for f in files} >= {"bundle.json", "index.html", "en.html", "dfg.csv", "volume.csv"}
    rare_seq = json.dumps(list(rare["aktivitet"]), ensure_ascii=False)
    for f in files:
        text = f.read_text(encoding="utf-8")
        for s in secrets + stored_ids[:300] + resources:
            assert s not in text, (f.name, s)
        # no timestamps finer than a month
        assert not re.search(r"\d{4}-\d{2}-\d{2}", text), f.name
        assert rare_seq not in text
    data = bd.read(out)
    threshold = next(r["suppress_below"] for r in data["privacy"]["releases"] if r["name"] == "variants")
    assert all(v["cases"] >= threshold for v in data["variants"])
    assert list(rare["aktivitet"]) not in [v["activities"] for v in data["variants"]]
    # every count in the bundle is noised: each one belongs to a release with a positive noise scale
    assert all(r["scale"] > 0 for r in data["privacy"]["releases"])
    assert set(data["privacy"]["public_attrs"]) == {"tiltakstype"}


@pytest.fixture(scope="module")
def bpic(shared_logs, tmp_path_factory, key) -> dict:
    tmp = tmp_path_factory.mktemp("bpic-publish")
    db = tmp / "store.duckdb"
    for i in (1, 2):
        cli("--store", str(db), "ingest", str(shared_logs / f"bpic15_municipality_{i}.xes.gz"), "--log", f"m{i}",
            "--quiet")
    cli("--store", str(db), "compare", "--log", "m1", "--log", "m2", "--bootstrap", "100", "--out", str(tmp / "logs"),
        "--quiet")
    truth = json.loads((tmp / "logs" / "compare.json").read_text(encoding="utf-8"))
    ends = ",".join(truth["b"]["end_activities"])
    # bounds wide enough that no case of m2 is cut, so the bundle's counts are the log's before noise
    counts, _ = log_counts(db, "m2", bounds=Bounds(10_000, 10_000), end_activities=tuple(ends.split(",")))
    per_case = int(np.max(np.asarray(counts.dfg)))  # cheap sanity: counts exist
    assert per_case > 0
    cli("--store", str(db), "publish", "--log", "m2", "--epsilon", "10", "--budget", "10", "--delta", "1e-7",
        "--end-activities", ends, "--max-edges", "150", "--max-activities", "150", "--out", str(tmp / "m2"), "--quiet")
    return {"db": db, "tmp": tmp, "truth": truth, "ends": ends}


def test_compare_with_a_bundle_agrees_with_compare_between_the_logs(bpic):
    db, tmp, truth = bpic["db"], bpic["tmp"], bpic["truth"]
    out = tmp / "vs-bundle"
    cli("--store", str(db), "compare", "--log", "m1", "--bundle", str(tmp / "m2"), "--end-activities",
        ",".join(truth["a"]["end_activities"]), "--out", str(out), "--quiet", "--lang", "en")
    r = json.loads((out / "compare.json").read_text(encoding="utf-8"))
    assert r["kind"] == "bundle" and r["a"]["closed_cases"] == truth["a"]["closed_cases"]
    # the bundle's closed cases and edge shares cover the true ones of m2 within their stated intervals
    assert abs(r["b"]["closed_cases_estimate"] - truth["b"]["closed_cases"]) < 0.05 * truth["b"]["closed_cases"]
    true_share = {(d["source"], d["target"]): d["b_case_share"] for d in truth["dfg"]}
    released = [d for d in r["dfg"] if d["released_in_b"] and (d["source"], d["target"]) in true_share]
    assert len(released) >= 20
    inside = [d["b_interval"][0] <= true_share[(d["source"], d["target"])] <= d["b_interval"][1] for d in released]
    assert np.mean(inside) >= 0.9, np.mean(inside)
    # the local side is m1 exactly: its shares equal compare's
    local = {(d["source"], d["target"]): d["a_case_share"] for d in truth["dfg"]}
    for d in r["dfg"][:30]:
        if (d["source"], d["target"]) in local:
            assert d["a_case_share"] == pytest.approx(local[(d["source"], d["target"])])
    # m2's closed-case median lead time lies in the bundle's interval; m1's matches compare's within a bin
    iv = r["lead_time"]["median_days"]["b_interval"]
    assert iv[0] <= truth["lead_time"]["closed_only_median_days"]["b"] <= iv[1]
    a_days = truth["lead_time"]["closed_only_median_days"]["a"]
    lo, hi = bd.LEAD_DAYS.around(a_days)
    assert lo <= r["lead_time"]["median_days"]["a"] <= hi * bd.LEAD_DAYS.ratio
    # a difference called significant is one compare between the logs also finds
    sig = [d for d in r["dfg"] if d["status"] == "changed_frequency"]
    both = {(d["source"], d["target"]): d for d in truth["dfg"]}
    agree = [both[(d["source"], d["target"])]["frequency_q"] is not None
             and both[(d["source"], d["target"])]["frequency_q"] < 0.05 for d in sig
             if (d["source"], d["target"]) in both]
    assert agree and np.mean(agree) >= 0.9


def test_noise_alone_is_never_called_a_difference(bpic):
    """m2 against its own bundle: nothing may come out significant."""
    db, tmp = bpic["db"], bpic["tmp"]
    out = tmp / "self"
    cli("--store", str(db), "compare", "--log", "m2", "--bundle", str(tmp / "m2"), "--end-activities", bpic["ends"],
        "--out", str(out), "--quiet")
    r = json.loads((out / "compare.json").read_text(encoding="utf-8"))
    assert [d for d in r["dfg"] if d["status"] != "same" and d["status"] != "below_threshold"] == []
    assert not r["lead_time"]["median_days"]["significant"] and not r["lead_time"]["p90_days"]["significant"]
    waits = [a["median_wait_hours"] for a in r["activities"]["rows"] if a["in"] == "both"]
    assert sum(w["significant"] for w in waits) <= max(1, math.ceil(0.05 * len(waits)))


def test_open_data_pages_pass_axe_core_in_chromium(byggesak: Path, tmp_path: Path):
    from page_checks import check_accessible

    out = tmp_path / "bundle"
    cli("--store", str(byggesak), "publish", "--log", "byggesak", "--epsilon", "1", "--end-activities", ENDS,
        "--public-attrs", "tiltakstype", "--out", str(out), "--quiet")
    mapping = tmp_path / "names.csv"
    mapping.write_text("name,common\nFaglig vurdering,Fagvurdering\n", encoding="utf-8")
    cli("--store", str(byggesak), "compare", "--log", "byggesak", "--bundle", str(out), "--end-activities", ENDS,
        "--mapping", str(mapping), "--out", str(tmp_path / "cmp"), "--quiet")
    # --mapping renames on both sides, as `compare` does between two logs
    r = json.loads((tmp_path / "cmp" / "compare.json").read_text(encoding="utf-8"))
    assert "Fagvurdering" in r["activities"]["shared"] and "Faglig vurdering" not in r["activities"]["shared"]
    assert r["a"]["closed_cases"] == 2760
    pages = [out / "index.html", out / "en.html", tmp_path / "cmp" / "compare.html"]
    for p in pages:
        check_accessible(p.read_text(encoding="utf-8"))
    nb = pages[0].read_text(encoding="utf-8")
    assert '<html lang="nb">' in nb and "Forventet saksbehandlingstid" in nb and "ε = 1,00" in nb
    assert '<html lang="en">' in pages[1].read_text(encoding="utf-8")
    from axe_chromium import axe_many

    checked = axe_many([(p, width) for p in pages for width in (1280, 320)])
    for p in pages:
        for width in (1280, 320):
            violations, overflow = checked[(p, width)]
            assert violations == [], (p.name, width, violations)
            assert overflow <= 0, (p.name, width, overflow)   # reflows at 320 px: no sideways scrolling
