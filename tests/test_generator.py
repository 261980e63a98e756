"""The synthetic byggesak log: deterministic, planted patterns present exactly as the truth says."""
from __future__ import annotations

import json
import re

import holidays
import numpy as np
import pandas as pd
import pytest
from click.testing import CliRunner

from saksflyt.app.cli import main
from saksflyt.sample_logs import byggesak_model as model
from saksflyt.sample_logs import generator as g
from saksflyt.extractors.pseudonym import is_fodselsnummer

ISO = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}[+-]\d{2}:\d{2}$")


@pytest.fixture(scope="module")
def log() -> g.Generated:
    return g.generate(cases=3000, seed=7)


@pytest.fixture(scope="module")
def written(log, tmp_path_factory) -> pd.DataFrame:
    path = tmp_path_factory.mktemp("gen") / "byggesak.csv"
    g.write(log, path)
    return pd.read_csv(path, sep=";", dtype=str, keep_default_na=False, encoding="utf-8")


def _case_sets(events: pd.DataFrame) -> tuple[pd.DataFrame, pd.Series]:
    """Per case: its attributes, and whether it is closed (has an end activity)."""
    cases = events.groupby("saksnr", observed=True)[["tiltakstype", "vedlegg_antall", "dispensasjon"]].first()
    ends = events[events["aktivitet"].isin([model.TILLATELSE, model.AVSLAG])]["saksnr"].astype(str)
    closed = pd.Series(cases.index.astype(str).isin(ends), index=cases.index)
    return cases, closed


def _cases_with(events: pd.DataFrame, activity: str) -> set[str]:
    return set(events.loc[events["aktivitet"] == activity, "saksnr"].astype(str))


def _fnr_ok(fnr: str) -> bool:
    """Independent check of the mod-11 rule: K1 and K2 weights, and a real DDMMYY date."""
    d = [int(c) for c in fnr]
    for weights, pos in (((3, 7, 6, 1, 8, 9, 4, 5, 2), 9), ((5, 4, 3, 2, 7, 6, 5, 4, 3, 2), 10)):
        k = 11 - sum(w * x for w, x in zip(weights, d)) % 11
        if (0 if k == 11 else k) != d[pos]:
            return False
    return pd.to_datetime(fnr[:6], format="%d%m%y", errors="coerce") is not pd.NaT


def test_same_seed_same_log_other_seed_other_log(tmp_path):
    a, b, c = (g.generate(cases=300, seed=s) for s in (11, 11, 12))
    pd.testing.assert_frame_equal(a.events, b.events)
    assert a.truth == b.truth
    assert not a.events["slutt"].equals(c.events["slutt"])
    g.write(a, tmp_path / "a.csv")
    g.write(b, tmp_path / "b.csv")
    assert (tmp_path / "a.csv").read_bytes() == (tmp_path / "b.csv").read_bytes()
    assert (tmp_path / "a.truth.json").read_bytes() == (tmp_path / "b.truth.json").read_bytes()


def test_counts_and_open_cases_match_truth(log):
    ev, truth = log.events, log.truth
    cases, closed = _case_sets(ev)
    assert truth["counts"] == {"cases": 3000, "events": len(ev), "closed_cases": int(closed.sum()),
                               "open_cases": int((~closed).sum()), "open_case_share": round((~closed).mean(), 4)}
    assert 0.06 <= truth["counts"]["open_case_share"] <= 0.10
    extracted = pd.Timestamp(truth["time_span"]["extracted_at"])
    assert ev["slutt"].max() <= extracted
    assert ev["slutt"].max() == pd.Timestamp(truth["time_span"]["last_event"])
    assert ev["slutt"].min() == pd.Timestamp(truth["time_span"]["first_event"])
    first = ev.groupby("saksnr", observed=True)["aktivitet"].first()
    assert (first == model.MOTTATT).all()
    # every closed case has each mandatory activity, Vedtak sendt among them
    mandatory = truth["mandatory_activities"]["activities"]
    assert model.SENDT in mandatory and model.FATTET in mandatory
    closed_ids = set(closed[closed].index.astype(str))
    for activity in mandatory:
        assert closed_ids <= _cases_with(ev, activity), activity


def test_events_are_ordered_and_steps_do_not_overlap_within_a_case(log):
    ev = log.events
    same_case = ev["saksnr"].astype(str).eq(ev["saksnr"].astype(str).shift())
    prev_end = ev["slutt"].shift()
    begins = ev["start"].fillna(ev["slutt"])
    assert (ev["start"].isna() | (ev["start"] <= ev["slutt"])).all()
    assert (begins[same_case] >= prev_end[same_case]).all()
    kinds = ev["aktivitet"].map(model.RESOURCE_KIND).astype(str)
    assert ev.loc[kinds == "person", "start"].notna().all()
    assert ev.loc[kinds != "person", "start"].isna().all()


def test_rule_based_step_happens_exactly_when_its_rule_holds(log):
    ev = log.events
    cases, closed = _case_sets(ev)
    rule_cases = set(cases.query(log.truth["rule_based_step"]["pandas_query"]).index.astype(str))
    with_step = _cases_with(ev, model.BE_OM)
    closed_ids = set(closed[closed].index.astype(str))
    assert with_step & closed_ids == rule_cases & closed_ids
    assert with_step <= rule_cases  # open cases: never without the rule
    assert 300 < len(rule_cases & closed_ids) == log.truth["rule_based_step"]["closed_cases_with_rule"]


def test_attribute_decides_the_hearing_and_clerk_habit_the_needless_step(log):
    ev, truth = log.events, log.truth
    cases, closed = _case_sets(ev)
    closed_ids = set(closed[closed].index.astype(str))
    disp = set(cases.index[cases["dispensasjon"] == "ja"].astype(str))
    assert _cases_with(ev, model.NABOVARSEL) & closed_ids == disp & closed_ids
    kontroll = ev[ev["aktivitet"] == truth["needless_step"]["activity"]]
    assert set(kontroll["saksbehandler"].astype(str)) == set(truth["needless_step"]["clerks"])
    assert kontroll["saksnr"].nunique() == truth["needless_step"]["cases"] > 100


def test_outcomes_random_after_expert_step_but_shifted_by_legal_review(log):
    truth = log.truth
    expert, legal = truth["expert_step"], truth["outcome_changing_step"]
    assert abs(expert["realised_avslag_share"] - expert["planted_outcome_probabilities"][model.AVSLAG]) < 0.04
    assert legal["realised_avslag_share_with"] > legal["realised_avslag_share_without"] + 0.3


def test_realised_loop_share_equals_truth_and_loop_has_its_shape(log):
    ev, loop = log.events, log.truth["rework_loop"]
    looped = _cases_with(ev, model.RETUR)
    assert loop["realised_cases"] == len(looped)
    assert loop["realised_case_share"] == round(len(looped) / 3000, 4)
    assert abs(loop["realised_case_share"] - loop["planted_case_share"]) < 0.03
    traces = ev.groupby("saksnr", observed=True)["aktivitet"].agg(lambda s: tuple(map(str, s)))
    for trace in traces[traces.index.astype(str).isin(looped)]:
        i = trace.index(model.RETUR)
        assert trace[i - 1] == model.UTARBEIDE
        assert trace[i + 1:i + 3] in ((model.FAGLIG, model.UTARBEIDE), (model.FAGLIG,), ())
        assert trace.count(model.RETUR) == 1


def test_decisions_only_in_the_thursday_meeting_and_work_in_office_hours(log):
    ev = log.events
    meeting = ev[ev["aktivitet"] == model.FATTET]
    assert len(meeting) == log.truth["bottleneck"]["events"] > 2000
    for col in ("start", "slutt"):
        t = meeting[col]
        assert (t.dt.day_of_week == 3).all()
        minutes = t.dt.hour * 60 + t.dt.minute
        assert minutes.between(10 * 60, 12 * 60).all()
    person = ev[ev["aktivitet"].map(model.RESOURCE_KIND).astype(str) == "person"]
    start, end = person["start"], person["slutt"]
    days_off = set(holidays.Norway(years=range(2023, 2026)))
    assert (start.dt.day_of_week < 5).all()
    assert not start.dt.date.isin(days_off).any()
    assert (start.dt.date == end.dt.date).all()
    assert (start.dt.hour >= 8).all()
    assert ((end.dt.hour * 60 + end.dt.minute) <= 16 * 60 + 30).all()
    late = (end.dt.hour * 60 + end.dt.minute) > 15 * 60 + 45
    assert 0 < late.mean() < 0.05  # "mostly" office hours: a little overtime


def test_truth_numbers_are_measured_on_the_events(log):
    ev, acts = log.events, log.truth["activities"]
    processing = (ev["slutt"] - ev["start"]).dt.total_seconds().fillna(0) / 3600
    same_case = ev["saksnr"].astype(str).eq(ev["saksnr"].astype(str).shift())
    waiting = ((ev["start"].fillna(ev["slutt"]) - ev["slutt"].shift()).dt.total_seconds() / 3600).where(same_case, 0)
    by = ev["aktivitet"].astype(str)
    for activity, hours in processing.groupby(by).sum().items():
        assert acts[activity]["processing_hours"] == pytest.approx(hours, abs=1e-3), activity
        assert acts[activity]["events"] == (by == activity).sum()
    for activity, hours in waiting.groupby(by).sum().items():
        assert acts[activity]["waiting_hours"] == pytest.approx(hours, abs=1e-3), activity
    faglig = acts[model.FAGLIG]
    assert faglig["mean_processing_minutes"] == pytest.approx(faglig["planted_mean_processing_minutes"], rel=0.1)
    internal = {a: v["waiting_hours"] for a, v in acts.items() if v["resource_kind"] == "person"}
    assert max(internal, key=internal.get) == log.truth["bottleneck"]["activity"] == model.FATTET
    everything = {a: v["waiting_hours"] for a, v in acts.items()}
    assert max(everything, key=everything.get) == log.truth["external_wait"]["activity"] == model.VEGVESEN


def test_every_fodselsnummer_written_is_valid(written, log):
    fnr = written.loc[written["soker_fnr"] != "", "soker_fnr"]
    per_case = written.loc[written["soker_fnr"] != ""].groupby("saksnr")["soker_fnr"].nunique()
    assert (per_case == 1).all()
    assert 0.25 < fnr.groupby(written["saksnr"]).first().size / 3000 < 0.35
    in_text = written["kommentar"].str.findall(r"(?<!\d)\d{11}(?!\d)").explode().dropna()
    assert len(in_text) == log.truth["personal_data"]["kommentar_rows_with_fnr"] > 0
    for value in pd.concat([fnr.drop_duplicates(), in_text]):
        assert is_fodselsnummer(value) and _fnr_ok(value), value


def test_csv_format_norwegian_columns_offsets_and_decimal_commas(written, log):
    assert list(written.columns) == list(model.COLUMNS)
    assert written["saksnr"].str.fullmatch(r"20\d\d/\d{5}").all()
    assert written["slutt"].str.match(ISO).all()
    assert written.loc[written["start"] != "", "start"].str.match(ISO).all()
    system = written["saksbehandler"].isin(["system", "Statens vegvesen"])
    assert (written.loc[system, "start"] == "").all() and (written.loc[~system, "start"] != "").all()
    assert written["areal_m2"].str.fullmatch(r"\d+,\d").all()
    assert written["vedlegg_antall"].str.fullmatch(r"\d+").all()
    assert set(written["dispensasjon"]) == {"ja", "nei"}
    assert set(written["tiltakstype"]) == set(model.TILTAKSTYPER)
    assert written["aktivitet"].isin(model.ACTIVITIES).all() and written["aktivitet"].str.contains("ø").any()
    assert 0 < (written["kommentar"] == "").mean() < 1
    assert written.loc[written["kommentar"] != "", "kommentar"].str.len().mean() > 40
    assert (written["saksbehandler"] == "Statens vegvesen").any()
    # both switch days carry events, and the repeated autumn hour is written with both offsets
    assert set(log.truth["time_span"]["dst_switch_days"].values()) == {"spring_forward", "fall_back"}
    autumn = written["slutt"].str.startswith("2023-10-29T02:")
    assert set(written.loc[autumn, "slutt"].str[-6:]) == {"+01:00", "+02:00"}
    assert written["slutt"].str.startswith("2023-03-26T").any()
    assert not written["slutt"].str.startswith("2023-03-26T02:").any()  # that hour does not exist
    assert json.loads(json.dumps(log.truth)) == log.truth


def test_parquet_round_trip_keeps_types(tmp_path):
    small = g.generate(cases=200, seed=3)
    truth_file = g.write(small, tmp_path / "small.parquet")
    back = pd.read_parquet(tmp_path / "small.parquet")
    assert truth_file == tmp_path / "small.truth.json"
    assert json.loads(truth_file.read_text(encoding="utf-8")) == small.truth
    assert len(back) == len(small.events)
    assert str(back["slutt"].dt.tz) == "Europe/Oslo"
    assert (back["slutt"] == small.events["slutt"]).all()
    assert back["areal_m2"].dtype == np.float64


def test_hundred_thousand_events_in_one_call():
    cases = g.cases_for_events(100_000)
    big = g.generate(cases=cases, seed=1)
    assert 90_000 < len(big.events) < 110_000
    assert big.truth["counts"]["events"] == len(big.events)


def test_cli_generate_writes_log_and_truth(tmp_path):
    out = tmp_path / "sub" / "log.csv"
    result = CliRunner().invoke(main, ["generate", "--cases", "120", "--seed", "5", "--out", str(out)],
                                catch_exceptions=False)
    assert result.exit_code == 0, result.output
    truth = json.loads((tmp_path / "sub" / "log.truth.json").read_text(encoding="utf-8"))
    assert truth["counts"]["cases"] == 120
    assert len(out.read_text(encoding="utf-8").splitlines()) == truth["counts"]["events"] + 1
    result = CliRunner().invoke(main, ["generate", "--events-target", "5000", "--out", str(tmp_path / "t.parquet")],
                                catch_exceptions=False)
    assert result.exit_code == 0
    assert 4500 < pd.read_parquet(tmp_path / "t.parquet").shape[0] < 5500
    bad = CliRunner().invoke(main, ["generate", "--out", str(tmp_path / "log.txt")], catch_exceptions=False)
    assert bad.exit_code == 2 and "must end in .csv or .parquet" in bad.output
