"""The byggesak generator's deadlines variant: the plain log unchanged, the deadline truth right."""
from __future__ import annotations

import json
import math
import tomllib

import numpy as np
import pandas as pd
import pytest
from click.testing import CliRunner
from helpers import SAMPLES

from saksflyt.app.cli import main
from saksflyt.sample_logs import byggesak_model as model
from saksflyt.sample_logs import generator as g
from saksflyt.extractors.errors import InputError

SAMPLE = SAMPLES / "byggesak.csv"
NEW_ACTIVITIES = (model.INNHENTE, model.FORELOPIG, model.FORLENGET)


@pytest.fixture(scope="module")
def variant() -> g.Generated:
    return g.generate(cases=4000, seed=7, deadlines=True)


@pytest.fixture(scope="module")
def written(variant, tmp_path_factory) -> pd.DataFrame:
    path = tmp_path_factory.mktemp("deadlines") / "byggesak.csv"
    g.write(variant, path)
    return pd.read_csv(path, sep=";", dtype=str, keep_default_na=False, encoding="utf-8")


def _miss(share: dict) -> float:
    return 1 - share["in_time_share"]


def test_sample_log_is_still_what_the_plain_generator_writes(tmp_path):
    plain = g.generate(cases=3000, seed=7)
    g.write(plain, tmp_path / "byggesak.csv")
    assert (tmp_path / "byggesak.csv").read_bytes() == SAMPLE.read_bytes()
    assert (tmp_path / "byggesak.truth.json").read_bytes() == g.truth_path(SAMPLE).read_bytes()
    assert list(plain.events.columns) == list(model.COLUMNS)
    assert not plain.events["aktivitet"].isin(NEW_ACTIVITIES).any()
    assert "deadline" not in plain.truth


def test_variant_draws_the_same_cases_from_the_main_stream(variant):
    plain = g.generate(cases=4000, seed=7).events
    ev = variant.events
    for events in (plain, ev):
        assert events["saksnr"].is_monotonic_increasing
    cols = ["tiltakstype", "vedlegg_antall", "dispensasjon", "areal_m2", "soker_fnr", "soker_navn"]
    first = [e.groupby("saksnr", observed=True)[cols].first() for e in (plain, ev)]
    pd.testing.assert_frame_equal(first[0], first[1])
    arrivals = [e.loc[e["aktivitet"] == model.MOTTATT, "slutt"].reset_index(drop=True) for e in (plain, ev)]
    pd.testing.assert_series_equal(arrivals[0], arrivals[1])


def test_variant_has_its_steps_and_columns_where_planted(variant, written):
    ev = variant.events
    assert list(written.columns) == list(model.DEADLINE_COLUMNS) == variant.truth["format"]["columns"]
    act = ev["aktivitet"].astype(str)
    prev = act.shift()
    same_case = ev["saksnr"].eq(ev["saksnr"].shift())
    # the comment round starts right before every Statens vegvesen wait, the reply right after assessing
    assert (prev[act == model.VEGVESEN] == model.INNHENTE).all() and same_case[act == model.VEGVESEN].all()
    last = ~ev["saksnr"].eq(ev["saksnr"].shift(-1))  # an open case may wait for the reply at extraction
    assert ((act.shift(-1) == model.VEGVESEN) | last)[act == model.INNHENTE].all()
    assert (prev[act == model.FORELOPIG] == model.VURDERE).all()
    assert (prev[act == model.FORLENGET] == model.FAGLIG).all()
    for a in NEW_ACTIVITIES:
        rows = ev[act == a]
        assert len(rows) > 0 and rows["start"].notna().all()
        assert (rows["start"].dt.date == rows["slutt"].dt.date).all()
        assert rows["start"].dt.hour.between(8, 16).all()
    cases = ev.groupby("saksnr", observed=True).agg(
        gebyr=("gebyr", "nunique"), tiltak=("tiltakstype", "first"), disp=("dispensasjon", "first"),
        avk=("avkjorsel", "first"), vegvesen=("aktivitet", lambda a: (a == model.VEGVESEN).any()),
        innhente=("aktivitet", lambda a: (a == model.INNHENTE).any()),
        reply=("aktivitet", lambda a: (a == model.FORELOPIG).any()),
        extended=("aktivitet", lambda a: (a == model.FORLENGET).any()))
    # gebyr on every row, one integer per case, near its tiltakstype's fee
    assert written["gebyr"].str.fullmatch(r"\d+").all() and (cases["gebyr"] == 1).all()
    fee = ev.groupby("saksnr", observed=True)[["gebyr", "tiltakstype"]].first()
    base = fee["tiltakstype"].map(dict(zip(model.TILTAKSTYPER, model.GEBYR_NOK))).astype(float)
    assert ((fee["gebyr"] / base).between(0.6, 1.6)).all() and (fee["gebyr"] % 100 == 0).all()
    closed = ev.loc[ev["aktivitet"].isin([model.TILLATELSE, model.AVSLAG]), "saksnr"].unique()
    c = cases.loc[closed]
    assert ((c["avk"] == "ja") == c["vegvesen"]).all() and (c["innhente"] == c["vegvesen"]).all()
    assert not (c["reply"] & ~c["vegvesen"] & (c["disp"] == "nei")).any()
    eligible = c[c["vegvesen"] | (c["disp"] == "ja")]
    assert abs(eligible["reply"].mean() - model.P_FORELOPIG) < 0.05
    assert 0.015 < cases["extended"].mean() < 0.045
    days = written.loc[written["forlenget_dager"] != "", ["aktivitet", "forlenget_dager"]]
    assert (days["aktivitet"] == model.FORLENGET).all() and days["forlenget_dager"].isin(["14", "21"]).all()
    assert len(days) == (written["aktivitet"] == model.FORLENGET).sum()
    # open cases still cut at the extraction moment
    assert 0.05 <= variant.truth["counts"]["open_case_share"] <= 0.10


def test_truth_states_the_deadline_table_and_the_planted_delay(variant):
    d = variant.truth["deadline"]
    table = tomllib.loads(d["config_toml"])["logs"]["byggesak"]
    dl = table["deadline"]
    assert dl["clock_start"] == model.MOTTATT and dl["stop"] == [model.SENDT] and dl["weeks"] == 12
    assert dl["pauses"] == [[model.BE_OM, model.TD_MOTTATT], [model.INNHENTE, model.VEGVESEN]]
    assert dl["extensions"] == {"activity": model.FORLENGET, "days_attribute": "forlenget_dager"}
    assert dl["rules"] == [{"if": {"tiltakstype": ["garasje", "tilbygg"], "dispensasjon": [False],
                                   "avkjorsel": [False]}, "weeks": 3}]
    assert dl["refund_per_started_week"] == 0.25 and dl["fee_attribute"] == "gebyr"
    assert table["within"] == [{"name": "foreløpig svar", "from": model.MOTTATT, "to": [model.FORELOPIG, model.SENDT],
                                "days": 30}]
    delay = d["delay"]
    assert delay["activity"] == model.FAGLIG and 3 <= len(delay["months"]) <= 4
    assert set(delay["capacity"]) == set(delay["months"]) and max(delay["capacity"].values()) < 1
    waits = delay["median_wait_hours"]
    assert waits["delay_months"] > 2 * waits["other_months"]
    # only the timing shows it: a backlog builds in front of the step and drains in the month after
    queue = delay["mean_cases_waiting_at_noon_by_month"]
    months = list(queue)
    after = {months[months.index(m) + 1] for m in delay["months"] if months.index(m) + 1 < len(months)}
    calm = np.mean([v for m, v in queue.items() if m not in set(delay["months"]) | after])
    assert np.mean([queue[m] for m in (set(delay["months"]) | after) & set(queue)]) > 2 * calm


def test_deadlines_are_missed_in_realistic_shares_more_in_the_delay_months(variant):
    s = variant.truth["deadline"]["summary"]
    assert s["decided_cases"] == variant.truth["counts"]["closed_cases"]
    assert 0.25 <= _miss(s["by_weeks"]["3"]) <= 0.75
    assert _miss(s["by_weeks"]["12"]) <= 0.25
    assert _miss(s["by_delay"]["delay_months"]["3"]) > 1.5 * _miss(s["by_delay"]["other_months"]["3"])
    assert s["refund_nok_total"] > 0


def test_per_case_truth_agrees_with_the_written_log(variant, written):
    """Recomputed from the CSV alone: local dates from the text, pauses as elapsed time between instants."""
    ev = written.assign(t=pd.to_datetime(written["slutt"], utc=True), day=written["slutt"].str[:10])
    per = ev.groupby("saksnr", sort=False)
    attrs = per[["tiltakstype", "dispensasjon", "avkjorsel", "gebyr"]].first()
    simple = attrs["tiltakstype"].isin(["garasje", "tilbygg"]) & (attrs["dispensasjon"] == "nei") & (
        attrs["avkjorsel"] == "nei")
    weeks = np.where(simple, 3, 12)
    start = pd.to_datetime(ev[ev["aktivitet"] == model.MOTTATT].groupby("saksnr")["day"].first())
    decided = pd.to_datetime(ev[ev["aktivitet"] == model.SENDT].groupby("saksnr")["day"].first())
    ext = pd.to_numeric(ev["forlenget_dager"].replace("", "0")).groupby(ev["saksnr"]).sum()
    paused: dict[str, float] = {}
    for case, rows in per:
        spans = []
        for begin, finish in ((model.BE_OM, model.TD_MOTTATT), (model.INNHENTE, model.VEGVESEN)):
            ends = rows.loc[rows["aktivitet"] == finish, "t"]
            for t0 in rows.loc[rows["aktivitet"] == begin, "t"]:
                after = ends[ends >= t0]
                if len(after):
                    spans.append((t0, after.min()))
        total, reach = 0.0, None
        for t0, t1 in sorted(spans):
            lo = t0 if reach is None else max(t0, reach)
            total += max(0.0, (t1 - lo).total_seconds())
            reach = t1 if reach is None else max(reach, t1)
        paused[case] = total
    got = {}
    for i, case in enumerate(attrs.index):
        if case not in decided.index:
            continue
        deadline = start[case] + pd.Timedelta(days=7 * int(weeks[i]) + math.ceil(paused[case] / 86400)
                                              + int(ext[case]))
        over = (decided[case] - deadline).days
        weeks_over = -(-over // 7) if over > 0 else 0
        refund = int(attrs.loc[case, "gebyr"]) * min(1.0, 0.25 * weeks_over)
        got[case] = [case, deadline.date().isoformat(), over <= 0, weeks_over, int(refund)]
    truth = variant.truth["deadline"]
    assert truth["case_columns"] == ["saksnr", "deadline_date", "in_time", "weeks_over", "refund_nok"]
    assert {r[0]: r for r in truth["cases"]} == got
    assert sum(not r[2] for r in got.values()) > 100  # misses to check, not only met deadlines
    open_ids = {r[0] for r in truth["open_cases_outcome"]["cases"]}
    assert open_ids == set(attrs.index) - set(got) and len(open_ids) > 0


def test_cli_deadlines_flag_for_byggesak_only(tmp_path):
    out = tmp_path / "dl.csv"
    result = CliRunner().invoke(main, ["generate", "--deadlines", "--cases", "150", "--seed", "3", "--out", str(out)],
                                catch_exceptions=False)
    assert result.exit_code == 0, result.output
    truth = json.loads(g.truth_path(out).read_text(encoding="utf-8"))
    assert truth["deadline"]["log"] == "byggesak" and "gebyr" in out.read_text(encoding="utf-8").splitlines()[0]
    bad = CliRunner().invoke(main, ["generate", "--shape", "klage", "--deadlines", "--out", str(tmp_path / "k.csv")],
                             catch_exceptions=False)
    assert bad.exit_code == 2 and "byggesak only" in bad.output
    assert not (tmp_path / "k.csv").exists()


def test_queue_capacity_shortens_lead_times_with_the_same_work():
    """Twice the capacity before Faglig vurdering: same draws, shorter queue, lead times measured against 1."""
    default = g.generate(cases=1500, seed=11, deadlines=True)
    same = g.generate(cases=1500, seed=11, deadlines=True, queue_capacity=1.0)
    pd.testing.assert_frame_equal(same.events, default.events)
    assert same.truth == default.truth and "queue_capacity" not in default.truth
    doubled = g.generate(cases=1500, seed=11, deadlines=True, queue_capacity=2)
    arrivals = [r.events.loc[r.events["aktivitet"] == model.MOTTATT, ["saksnr", "slutt"]].reset_index(drop=True)
                for r in (default, doubled)]
    pd.testing.assert_frame_equal(arrivals[0], arrivals[1])
    q = doubled.truth["queue_capacity"]
    assert q["activity"] == model.FAGLIG and q["factor"] == 2.0
    assert q["normal_capacity_per_day"] == pytest.approx(2 * model.NORMAL_CAPACITY * 1500 / (model.ARRIVAL_WEEKS * 7), abs=1e-3)
    assert set(q["delay_capacity_per_day"]) == set(doubled.truth["deadline"]["delay"]["months"])
    assert doubled.truth["deadline"]["delay"]["normal_capacity"] == 3.2
    e = q["effect"]
    assert e["cases"] == 1500
    # measured: median -7.06 days, p90 -8.85, mean wait before the step -6.47 (11.6 → 5.1 days)
    assert -9 < e["median_lead_time_days"]["difference"] < -5
    assert -11 < e["p90_lead_time_days"]["difference"] < -6
    assert e["mean_wait_days_before_first_faglig_vurdering"]["difference"] < -5
    hours = e["mean_processing_hours_per_case"]
    assert hours["with"] == hours["without"] and hours["difference"] == 0
    assert e["median_lead_time_days"]["without"] > e["median_lead_time_days"]["with"] > 0


@pytest.mark.parametrize("kwargs", [{"queue_capacity": 0}, {"queue_capacity": -1.0},
                                    {"queue_capacity": float("nan")}, {"queue_capacity": float("inf")},
                                    {"queue_capacity": 2.0, "deadlines": False}])
def test_queue_capacity_rejects_bad_values(kwargs, tmp_path):
    with pytest.raises(InputError):
        g.generate(cases=50, seed=1, **({"deadlines": True} | kwargs))
    args = ["generate", "--cases", "50", "--out", str(tmp_path / "q.csv"), "--queue-capacity",
            str(kwargs["queue_capacity"])] + ([] if kwargs.get("deadlines") is False else ["--deadlines"])
    result = CliRunner().invoke(main, args, catch_exceptions=False)
    assert result.exit_code == 2 and len(result.output.strip().splitlines()) == 1, result.output
    assert not (tmp_path / "q.csv").exists()
