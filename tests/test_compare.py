"""saksflyt compare: a planted change is found within its interval, no change shows none, BPIC 2015 checked directly."""
from __future__ import annotations

import json
from datetime import date
from html.parser import HTMLParser

import numpy as np
import pytest
from click.testing import CliRunner
from helpers import cli
from scipy.stats import mannwhitneyu

from saksflyt.app.cli import main
from saksflyt.extractors import store
from saksflyt.sample_logs import generator
from saksflyt.extractors.ingest import ingest_path
from saksflyt.extractors.staging import IngestOptions
from saksflyt.mining import compare as cmp
from saksflyt.mining import compare_sides as sides
from saksflyt.mining import compare_stats as cstats

CHANGE = date(2023, 9, 1)
# Side A: cases started before May; side B: on/after the change. The summer between is left out:
# decisions wait for the meetings after fellesferie, a seasonal effect that is no change of the process.
BEFORE, AFTER = "2023-05-01", "2023-09-01"
EXTERNAL = ("Statens vegvesen",)


@pytest.fixture(scope="module")
def env(tmp_path_factory, key):
    tmp = tmp_path_factory.mktemp("compare")
    db = tmp / "store.duckdb"
    truth = {}
    for name, change in (("endret", CHANGE), ("uendret", None)):
        g = generator.generate(cases=3000, seed=7, change_at=change)
        generator.write(g, tmp / f"{name}.csv")
        truth[name] = g.truth
        ingest_path(tmp / f"{name}.csv", store_path=db, log_name=name, options=IngestOptions(external=EXTERNAL))
    return {"db": db, "tmp": tmp, "truth": truth}


def _covers(ci: list[float], x: float) -> bool:
    return ci[0] <= x <= ci[1]


def test_planted_change_is_found_within_its_interval(env):
    out = env["tmp"] / "out"
    cli("--store", str(env["db"]), "compare", "--log", "endret", "--before", BEFORE, "--after", AFTER,
        "--target-days", "30", "--bootstrap", "1000", "--out", str(out), "--quiet")
    r = json.loads((out / "compare.json").read_text(encoding="utf-8"))
    effect = env["truth"]["endret"]["change"]["effect_on_changed_cases"]
    assert r["kind"] == "before_after"
    assert (r["a"]["cases"], r["b"]["cases"]) == (768, 1401)
    # the removed step
    assert r["activities"]["removed"] == ["Ekstra kontroll"] and r["activities"]["added"] == []
    vanished = {(d["source"], d["target"]) for d in r["dfg"] if d["status"] == "vanished"}
    assert ("Vurdere komplett søknad", "Ekstra kontroll") in vanished
    assert ("Ekstra kontroll", "Faglig vurdering") in vanished
    # lead time: planted effect -2.92 days on the changed cases, inside the interval, which is below 0
    med = r["lead_time"]["median_days"]
    assert effect["median_lead_time_days"]["difference"] == pytest.approx(-2.9207)
    assert med["difference"] == pytest.approx(-4.27, abs=0.01)
    assert _covers(med["difference_ci"], effect["median_lead_time_days"]["difference"])
    assert med["difference_ci"][1] < 0 and med["significant"]
    # processing per case: the removed step's 45 minutes in 13 % of cases (-0.106 h per case)
    proc = r["per_case"]["proc_hours"]
    assert _covers(proc["difference_ci"], effect["mean_processing_hours_per_case"]["difference"])
    # the shorter queue before the decision meeting (twice a week instead of weekly)
    fattet = next(x for x in r["activities"]["rows"] if x["activity"] == "Vedtak fattet")
    assert fattet["mean_wait_difference_ci"][1] < -50 and fattet["waits_less_in"] == "b"
    edge = next(d for d in r["dfg"] if (d["source"], d["target"]) == ("Utarbeide vedtak", "Vedtak fattet"))
    assert "time" in edge["status"] and edge["faster_in"] == "b" and edge["time_q"] < 1e-6
    # gains: waiting hours saved, clearly above 0; processing with its basis
    g = r["gains"]
    assert g["hours_per_year"]["waiting"]["ci"][0] > 0
    assert g["hours_per_year"]["processing"]["basis"] == "measured"
    assert g["nok_per_year"]["value"] == pytest.approx(g["hours_per_year"]["processing"]["value"] * 700)
    assert any(n["code"] == "open_cases_censored" for n in r["notes"])
    # compare.html parses and is in bokmål by default
    page = (out / "compare.html").read_text(encoding="utf-8")
    HTMLParser().feed(page)
    assert '<html lang="nb">' in page and "Gevinster realisert" in page and "Ledetid (dager)" in page
    assert "<script" not in page and "http" not in page


def test_no_change_shows_none(env):
    a, b = sides.split_sides("uendret", before=date.fromisoformat(BEFORE), after=date.fromisoformat(AFTER))
    r = cmp.compare(store_path=env["db"], a=a, b=b, options=sides.CompareOptions(bootstrap=1000))
    for key in ("median_days", "p90_days"):
        e = r["lead_time"][key]
        assert _covers(e["difference_ci"], 0.0) and not e["significant"], (key, e)
    assert r["lead_time"]["median_days"]["difference"] == pytest.approx(-1.35, abs=0.01)
    assert r["activities"]["removed"] == [] and r["activities"]["added"] == []
    assert not [d for d in r["dfg"] if d["status"] in ("appeared", "vanished")]
    assert _covers(r["per_case"]["proc_hours"]["difference_ci"], 0.0)
    assert _covers(r["gains"]["rework_cases_per_year"]["ci"], 0.0)


def test_kaplan_meier_without_censoring_is_the_plain_quantile():
    rng = np.random.default_rng(1)
    t = rng.exponential(10, 501)
    q, share = cstats.km_quantiles(t, np.ones(t.size, dtype=bool), (0.5, 0.9), within=10.0)
    assert q[0, 0] == np.quantile(t, 0.5, method="inverted_cdf")
    assert q[0, 1] == np.quantile(t, 0.9, method="inverted_cdf")
    assert share[0] == pytest.approx((t <= 10).mean())
    # censoring: a case open at 5 days counts as "not yet done", never as done in 5 days
    t = np.array([1.0, 2, 3, 5, 5, 5])
    q, _ = cstats.km_quantiles(t, np.array([True, True, True, False, False, False]), (0.5,))
    assert q[0, 0] == 3.0  # S(3) = 5/6 · 4/5 · 3/4 = 0.5
    q, _ = cstats.km_quantiles(t, np.array([True, True, False, False, False, False]), (0.5,))
    assert np.isnan(q[0, 0])  # S never reaches 0.5: the median is not known yet


def test_benjamini_hochberg():
    assert cstats.benjamini_hochberg([0.01, 0.04, None, 0.03]) == pytest.approx([0.03, 0.04, None, 0.04])


def test_two_municipalities_against_duckdb(env, shared_logs):
    db = env["tmp"] / "bpic.duckdb"
    for i in (1, 2):
        cli("--store", str(db), "ingest", str(shared_logs / f"bpic15_municipality_{i}.xes.gz"), "--log", f"m{i}")
    out = env["tmp"] / "bpic"
    cli("--store", str(db), "compare", "--log", "m1", "--log", "m2", "--shared-only", "--bootstrap", "200",
        "--out", str(out), "--quiet", "--lang", "en")
    r = json.loads((out / "compare.json").read_text(encoding="utf-8"))
    with store.read(db) as con:
        shared = sorted(x[0] for x in con.execute(
            "SELECT DISTINCT activity FROM events WHERE log = 'm1' INTERSECT "
            "SELECT DISTINCT activity FROM events WHERE log = 'm2'").fetchall())
        counts = dict(((lg, a), n) for lg, a, n in con.execute(
            "SELECT log, activity, count(*) FROM events WHERE log IN ('m1', 'm2') GROUP BY ALL").fetchall())
        # the most frequent edge among closed cases, in case order (ts_end, event_seq), shared activities only
        edge = r["dfg"][0]
        direct = {}
        for side, lg in (("a", "m1"), ("b", "m2")):
            rows = con.execute("""
                WITH e AS (SELECT * FROM events WHERE log = ? AND list_contains(?, activity)),
                o AS (SELECT case_id, activity, ts_end, ts_precision,
                             lag(activity) OVER w AS prev, lag(ts_end) OVER w AS prev_end,
                             lag(ts_precision) OVER w AS prev_precision,
                             last_value(activity) OVER (PARTITION BY case_id ORDER BY ts_end, event_seq
                                 ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING) AS last_act
                      FROM e WINDOW w AS (PARTITION BY case_id ORDER BY ts_end, event_seq))
                SELECT (SELECT count(DISTINCT case_id) FROM o WHERE list_contains(?, last_act)) AS closed,
                       list(epoch(ts_end - prev_end) / 3600) FILTER (WHERE prev = ? AND activity = ?
                            AND ts_precision = 'second' AND prev_precision = 'second') AS hours,
                       count(*) FILTER (WHERE prev = ? AND activity = ?) AS n,
                       count(DISTINCT case_id) FILTER (WHERE prev = ? AND activity = ?) AS cases
                FROM o WHERE list_contains(?, last_act)
            """, [lg, shared, r[side]["end_activities"], *[edge["source"], edge["target"]] * 3,
                  r[side]["end_activities"]]).fetchone()
            direct[side] = rows
    assert r["activities"]["shared"] == sorted(r["activities"]["shared"], key=lambda a: (
        -(counts[("m1", a)] + counts[("m2", a)]), a))
    assert sorted(r["activities"]["shared"]) == shared and len(shared) == 349
    for row in r["activities"]["rows"]:
        assert (row["a_events"], row["b_events"]) == (counts[("m1", row["activity"])], counts[("m2", row["activity"])])
    assert (r["a"]["closed_cases"], r["b"]["closed_cases"]) == (direct["a"][0], direct["b"][0])
    assert (edge["a_count"], edge["b_count"]) == (direct["a"][2], direct["b"][2])
    assert edge["a_case_share"] == pytest.approx(direct["a"][3] / direct["a"][0])
    assert edge["a_median_hours"] == pytest.approx(float(np.median(direct["a"][1])))
    p = mannwhitneyu(direct["a"][1], direct["b"][1], method="asymptotic", use_continuity=True).pvalue
    assert edge["time_p"] == pytest.approx(p, rel=1e-6)
    # which is faster, and by how much: consistent with the medians and the test
    for d in r["dfg"]:
        if d["faster_in"]:
            assert (d["b_median_hours"] < d["a_median_hours"]) == (d["faster_in"] == "b") and d["time_q"] < 0.05
    page = (out / "compare.html").read_text(encoding="utf-8")
    HTMLParser().feed(page)
    assert '<html lang="en">' in page


def test_mapping_file_matches_renamed_activities(env):
    """Two logs that differ only in three activity names: without a mapping those are added/removed,
    with one (`name in a log, common name`, `;`-separated with a BOM, as Excel saves it) the logs are
    the same process: every activity shared with equal counts, no DFG edge appearing or vanishing."""
    import pandas as pd

    renamed = {"Søknad mottatt": "Application received", "Registrere søknad": "Register application",
               "Vedtak fattet": "Decision made"}
    tmp, db = env["tmp"], env["tmp"] / "mapping.duckdb"
    original = pd.read_csv(tmp / "uendret.csv", sep=";", dtype=str, keep_default_na=False)
    original.assign(aktivitet=original["aktivitet"].replace(renamed)).to_csv(tmp / "english.csv", sep=";",
                                                                             index=False)
    for name in ("uendret", "english"):
        ingest_path(tmp / f"{name}.csv", store_path=db, log_name=name, options=IngestOptions(external=EXTERNAL))
    mapping = tmp / "names.csv"
    mapping.write_text("\ufeffnavn i loggen;felles navn\n" + "".join(f"{en};{nb}\n" for nb, en in renamed.items()),
                       encoding="utf-8")

    plain, mapped = tmp / "plain", tmp / "mapped"
    cli("--store", str(db), "compare", "--log", "uendret", "--log", "english", "--bootstrap", "200",
        "--out", str(plain), "--quiet")
    cli("--store", str(db), "compare", "--log", "uendret", "--log", "english", "--mapping", str(mapping),
        "--bootstrap", "200", "--out", str(mapped), "--quiet")
    p = json.loads((plain / "compare.json").read_text(encoding="utf-8"))
    m = json.loads((mapped / "compare.json").read_text(encoding="utf-8"))
    assert sorted(p["activities"]["removed"]) == sorted(renamed)
    assert sorted(p["activities"]["added"]) == sorted(renamed.values())
    assert m["activities"]["removed"] == m["activities"]["added"] == []
    assert len(m["activities"]["shared"]) == len(p["activities"]["shared"]) + 3
    assert all(r["a_events"] == r["b_events"] and r["a_case_share"] == r["b_case_share"]
               for r in m["activities"]["rows"])
    assert "Vedtak fattet" in m["activities"]["shared"]  # the common name is the one shown
    assert not [d for d in m["dfg"] if d.get("status") in ("appeared", "vanished")]
    assert [d for d in p["dfg"] if d.get("status") in ("appeared", "vanished")]
    assert (m["a"]["closed_cases"], m["a"]["cases"]) == (m["b"]["closed_cases"], m["b"]["cases"])

    mapping.write_text("navn;felles\nkun ett felt\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["--store", str(db), "compare", "--log", "uendret", "--log", "english",
                                       "--mapping", str(mapping), "--quiet"])
    assert result.exit_code == 2 and "names.csv" in result.stderr and "row 2" in result.stderr


def test_like_for_like_removes_a_case_mix_shift(env):
    """B is A's own cases with most of the small ones (garage, extension) left out: the process is the
    same, only the mix changed. The note says so, and at B's mix (direct standardisation on
    tiltakstype) every per-case difference is within its interval of zero."""
    import pandas as pd

    tmp, db = env["tmp"], env["tmp"] / "mix.duckdb"
    original = pd.read_csv(tmp / "uendret.csv", sep=";", dtype=str, keep_default_na=False)
    cases = original.drop_duplicates("saksnr")[["saksnr", "tiltakstype"]]
    small = cases[cases["tiltakstype"].isin(["garasje", "tilbygg"])]["saksnr"]
    dropped = set(small.sample(frac=0.8, random_state=3))
    original[~original["saksnr"].isin(dropped)].to_csv(tmp / "fewer_small.csv", sep=";", index=False)
    for name in ("uendret", "fewer_small"):
        ingest_path(tmp / f"{name}.csv", store_path=db, log_name=name, options=IngestOptions(external=EXTERNAL))
    out = tmp / "mix"
    cli("--store", str(db), "compare", "--log", "uendret", "--log", "fewer_small", "--bootstrap", "400",
        "--out", str(out), "--quiet", "--lang", "en")
    r = json.loads((out / "compare.json").read_text(encoding="utf-8"))
    mixed = [n for n in r["notes"] if n["code"] == "case_mix_changed"]
    assert mixed and mixed[0]["attributes"][0] == "tiltakstype"  # (areal_m2 follows it: garages are small)
    like = r["like_for_like"]
    assert like["attribute"] == "tiltakstype" and like["b_cases_matched_share"] == 1.0
    assert sum(like["weights"].values()) == pytest.approx(1.0)
    for key in ("proc_working_hours", "wait_working_hours", "lead_days", "rework"):
        lo, hi = like[key]["difference_ci"]
        assert lo <= 0 <= hi, (key, like[key])
        if key in r["per_case"]:  # B is B: only A is reweighted
            assert like[key]["b"] == pytest.approx(r["per_case"][key]["b"])
    # the crude comparison credits B with a change that is only the mix (big projects wait longer)
    assert r["per_case"]["wait_working_hours"]["significant"] and not like["wait_working_hours"]["significant"]
    gain = like["gains"]["hours_per_year"]["processing"]
    assert gain["ci"][0] <= 0 <= gain["ci"][1]
    page = (out / "compare.html").read_text(encoding="utf-8")
    assert "Like with like" in page and "tiltakstype" in page
