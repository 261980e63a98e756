"""The sosialhjelp and klage generators: logs as their truth says, through the real CLI and the real store."""
from __future__ import annotations

import json
from pathlib import Path

import duckdb
import holidays
import pandas as pd
import pytest
from click.testing import CliRunner
from helpers import cli, pseudonym_key, query

from saksflyt.app.cli import main
from saksflyt.sample_logs import generator_klage as k
from saksflyt.sample_logs import generator_sosialhjelp as s

CASES = 400

pytestmark = pytest.mark.usefixtures("pseudonym_key_env")


def generate(tmp: Path, shape: str, name: str, seed: int = 3) -> tuple[Path, dict]:
    out = tmp / name
    cli("generate", "--shape", shape, "--cases", str(CASES), "--seed", str(seed), "--out", str(out))
    truth_file = tmp / f"{name.split('.')[0]}.truth.json"
    return out, json.loads(truth_file.read_text(encoding="utf-8"))


def ingest(path: Path, store: Path, log: str) -> None:
    cli("ingest", str(path), "--log", log, "--store", str(store), "--no-pseudonymise", "--quiet")


@pytest.fixture(scope="module")
def sosialhjelp(tmp_path_factory) -> tuple[Path, dict, Path]:
    tmp = tmp_path_factory.mktemp("sosialhjelp")
    path, truth = generate(tmp, "sosialhjelp", "sosialhjelp.csv")
    store = tmp / "store.duckdb"
    with pseudonym_key():
        ingest(path, store, "sos")
    return path, truth, store


@pytest.fixture(scope="module")
def klage(tmp_path_factory) -> tuple[Path, dict, Path]:
    tmp = tmp_path_factory.mktemp("klage")
    path, truth = generate(tmp, "klage", "klage.xes.gz")
    store = tmp / "store.duckdb"
    with pseudonym_key():
        ingest(path, store, "klage")
    return path, truth, store


def _read_sosialhjelp(path: Path) -> pd.DataFrame:
    ev = pd.read_csv(path, sep=";", decimal=",", encoding="utf-8")
    ev["tidspunkt"] = pd.to_datetime(ev["tidspunkt"], utc=True).dt.tz_convert("Europe/Oslo")
    return ev


# --- sosialhjelp -----------------------------------------------------------------------------------------


def test_sosialhjelp_store_holds_the_truths_counts_and_no_start_times(sosialhjelp):
    path, truth, store = sosialhjelp
    events, cases, starts = query(store, "SELECT count(*), count(DISTINCT case_id), count(ts_start) FROM events")[0]
    assert (events, cases, starts) == (truth["counts"]["events"], truth["counts"]["cases"], 0)
    assert truth["counts"]["cases"] == CASES
    per_activity = dict(query(store, "SELECT activity, count(*) FROM events GROUP BY activity"))
    assert per_activity == {a: v["events"] for a, v in truth["activities"].items() if v["events"]}
    resources = {r for (r,) in query(store, "SELECT DISTINCT resource FROM events")}
    assert set(truth["format"]["system_resources"]) | set(truth["format"]["external_resources"]) <= resources
    header = path.read_text(encoding="utf-8").splitlines()[0]
    assert header == ";".join(truth["format"]["columns"])


def test_sosialhjelp_rule_decides_the_branch_in_every_case(sosialhjelp):
    path, truth, _ = sosialhjelp
    ev = _read_sosialhjelp(path)
    attrs = ev.groupby("saksnr")[list(s.CASE_ATTRIBUTES)].agg(["min", "max"])
    for col in s.CASE_ATTRIBUTES:  # constant per case
        assert (attrs[(col, "min")] == attrs[(col, "max")]).all()
    cases = ev.groupby("saksnr")[list(s.CASE_ATTRIBUTES)].first()
    grant = set(ev.loc[ev["aktivitet"] == s.INNVILGELSE, "saksnr"])
    refuse = set(ev.loc[ev["aktivitet"] == s.AVSLAG, "saksnr"])
    rule = set(cases.query(truth["rule"]["pandas_query"]).index)
    assert not grant & refuse
    assert grant == rule & (grant | refuse)
    assert refuse == (grant | refuse) - rule
    assert len(grant) > 100 and len(refuse) > 80
    # the branch comes straight after the assessment
    traces = ev.groupby("saksnr")["aktivitet"].agg(tuple)
    for trace in traces:
        for branch in (s.INNVILGELSE, s.AVSLAG):
            if branch in trace:
                assert trace[trace.index(branch) - 1] == truth["rule"]["decided_after"]


def test_sosialhjelp_information_request_is_random_and_leaves_the_outcome_alone(sosialhjelp):
    path, truth, _ = sosialhjelp
    ev = _read_sosialhjelp(path)
    asked = set(ev.loc[ev["aktivitet"] == s.INNHENTE, "saksnr"])
    assert 0.08 < len(asked) / CASES < 0.22 and truth["random_step"]["cases"] == len(asked)
    traces = ev.groupby("saksnr")["aktivitet"].agg(tuple)
    for case in asked:
        trace = traces[case]
        i = trace.index(s.INNHENTE)
        assert trace[i - 1] == s.REGISTRERE
        assert trace[i + 1:i + 3] in ((s.OPPLYSNINGER, s.KARTLEGGE), (s.OPPLYSNINGER,), ())
    # the same rule decides asked and not-asked cases alike
    cases = ev.groupby("saksnr")[list(s.CASE_ATTRIBUTES)].first()
    rule = set(cases.query(truth["rule"]["pandas_query"]).index)
    grant = set(ev.loc[ev["aktivitet"] == s.INNVILGELSE, "saksnr"])
    refuse = set(ev.loc[ev["aktivitet"] == s.AVSLAG, "saksnr"])
    assert asked & grant and asked & refuse
    assert asked & grant <= rule and not asked & refuse & rule


def test_sosialhjelp_meeting_is_a_weekly_batch_by_one_leader(sosialhjelp):
    path, truth, _ = sosialhjelp
    ev = _read_sosialhjelp(path)
    meeting = ev[ev["aktivitet"] == s.MOTE]
    t = meeting["tidspunkt"]
    minutes = t.dt.hour * 60 + t.dt.minute
    assert minutes.between(9 * 60, 11 * 60 + 30).all()
    assert set(meeting["saksbehandler"]) <= set(truth["batch"]["resources"])
    days = meeting.groupby(t.dt.date)
    assert len(days) >= 10
    assert (t.dt.day_of_week == 2).mean() > 0.9  # Wednesdays, but for public holidays
    for day, rows in days:
        if len(rows) < 10:
            continue
        best = max((r["tidspunkt"].sort_values().diff(4).dropna() <= pd.Timedelta(minutes=30)).sum()
                   for _, r in rows.groupby("saksbehandler"))
        assert best >= 1, f"{day}: no leader completed 5 cases within 30 minutes"
    # the decision is sent by the system shortly after
    nxt = ev.groupby("saksnr")["aktivitet"].shift(-1)
    assert (nxt[ev["aktivitet"] == s.MOTE].dropna() == s.SENDT).all()


def test_sosialhjelp_staff_hours_per_year_follow_the_definition(sosialhjelp):
    _, truth, _ = sosialhjelp
    span = truth["span"]
    days = (pd.Timestamp(span["last_completion"]) - pd.Timestamp(span["first_completion"])).total_seconds() / 86400
    assert abs(days - span["span_days"]) < 1e-3
    kartlegge = truth["activities"][s.KARTLEGGE]
    assert kartlegge["staff_hours_per_year"] == pytest.approx(kartlegge["true_processing_hours"] * 365.25 / days,
                                                              rel=1e-4)
    assert truth["planted_candidates"][0]["staff_hours_per_year"] == kartlegge["staff_hours_per_year"]
    assert abs(kartlegge["mean_processing_minutes"] - 60) < 6
    for role in truth["resources"]["utilisation"].values():
        assert 0.55 < role["utilisation"] < 0.92


# --- klage -------------------------------------------------------------------------------------------------


def test_klage_xes_start_and_complete_are_paired_into_events_with_ts_start(klage):
    _, truth, store = klage
    counts = truth["counts"]
    events, cases, starts = query(store, "SELECT count(*), count(DISTINCT case_id), count(ts_start) FROM events")[0]
    assert (events, cases, starts) == (counts["events"], counts["cases"], counts["person_events"])
    assert query(store, "SELECT rows_read FROM ingest_runs")[0][0] == counts["xes_events"]
    person = sum(v["events"] for v in truth["activities"].values() if v["resource_kind"] == "person")
    assert person == counts["person_events"]
    kinds = dict(query(store, "SELECT resource, any_value(resource_kind) FROM events GROUP BY resource"))
    assert kinds["Fakturasystem"] == "system"
    groups = {g for (g,) in query(store, "SELECT DISTINCT unit FROM events")}  # XES org:group
    assert groups == {"Fagenhet gebyr", "Juridisk enhet", "Servicetorget", "Fakturasystem", "Innbygger"}
    attrs = {n for (n,) in query(store, "SELECT DISTINCT name FROM case_attributes")}
    assert attrs == {"gebyrtype", "belop", "kanal"}


def _traces(store: Path) -> pd.DataFrame:
    con = duckdb.connect(str(store), read_only=True)
    try:
        ev = con.execute("SELECT case_id, activity, resource FROM events ORDER BY case_id, event_seq").df()
    finally:
        con.close()
    return ev


def test_klage_habit_step_belongs_to_two_clerks(klage):
    _, truth, store = klage
    ev = _traces(store)
    habit = truth["habit"]
    manuell = ev[ev["activity"] == habit["activity"]]
    assert manuell["resource"].isin(habit["clerks"]).mean() > 0.85
    first_calc = ev[ev["activity"] == k.BEREGNE].groupby("case_id")["resource"].first()
    theirs = first_calc.isin(habit["clerks"])
    has = first_calc.index.isin(manuell["case_id"])
    assert has[theirs].mean() > 0.7 and has[~theirs].mean() < 0.1
    assert habit["events"] == len(manuell)
    # done right after the clerk's own calculation
    nxt = ev.groupby("case_id")["activity"].shift(1)
    assert (nxt[ev["activity"] == habit["activity"]] == k.BEREGNE).all()


def test_klage_appeal_handling_follows_the_appeal_and_pingpong_has_its_shape(klage):
    _, truth, store = klage
    ev = _traces(store)
    following = ev.groupby("case_id")["activity"].shift(-1)
    after_appeal = following[ev["activity"] == k.KLAGE].dropna()
    assert len(after_appeal) > 30 and (after_appeal == k.BEHANDLE).all()
    traces = ev.groupby("case_id")["activity"].agg(tuple)
    pingpong = [t for t in traces if k.OVERSENDE in t]
    assert len(pingpong) == truth["pingpong"]["cases"] == truth["planted_candidates"][1]["cases"] > 5
    for trace in pingpong:
        for i, a in enumerate(trace):
            if a == k.OVERSENDE and i + 4 <= len(trace):
                assert trace[i - 1] in (k.BEREGNE, k.MANUELL, k.BEHANDLE)
                assert trace[i + 1:i + 4] == (k.JURIDISK, k.RETURNERE, k.BEREGNE)
        assert 1 <= trace.count(k.OVERSENDE) <= 4
    candidate = truth["planted_candidates"][1]
    assert candidate["activities"] == list(k.PINGPONG) and candidate["staff_hours_per_year"] > 0
    assert truth["planted_candidates"][0]["activities"] == [k.MANUELL]
    closed = [t for t in traces if t[-1] == k.AVSLUTTET]
    assert len(closed) == truth["counts"]["closed_cases"]


def test_klage_person_work_happens_in_office_hours(klage):
    _, truth, store = klage
    con = duckdb.connect(str(store), read_only=True)
    try:
        ev = con.execute("SELECT ts_start, ts_end FROM events WHERE ts_start IS NOT NULL").df()
    finally:
        con.close()
    start = ev["ts_start"].dt.tz_convert("Europe/Oslo")
    end = ev["ts_end"].dt.tz_convert("Europe/Oslo")
    assert (start.dt.day_of_week < 5).all() and (end.dt.day_of_week < 5).all()
    closed = holidays.Norway(years=range(2022, 2026))
    assert not start.dt.date.isin(list(closed)).any()
    tod = start.dt.hour * 60 + start.dt.minute
    assert tod.between(8 * 60, 15 * 60 + 30).all()
    tod_end = end.dt.hour * 60 + end.dt.minute
    assert tod_end.between(8 * 60, 16 * 60 + 15).all()
    assert (end >= start).all()


def test_klage_csv_output_loads_the_same_events(tmp_path):
    path, truth = generate(tmp_path, "klage", "klage.csv")
    header = path.read_text(encoding="utf-8").splitlines()[0].split(";")
    assert header[:6] == ["case_id", "activity", "start_timestamp", "timestamp", "resource", "unit"]
    store = tmp_path / "store.duckdb"
    ingest(path, store, "kc")
    counts = truth["counts"]
    assert query(store, "SELECT count(*), count(DISTINCT case_id), count(ts_start) FROM events")[0] == (
        counts["events"], counts["cases"], counts["person_events"])


@pytest.mark.parametrize(("shape", "name"), [("sosialhjelp", "log.csv"), ("klage", "log.xes.gz"),
                                             ("klage", "log.xes")])
def test_same_seed_same_bytes(tmp_path, shape, name):
    (a := tmp_path / "a").mkdir()
    (b := tmp_path / "b").mkdir()
    (c := tmp_path / "c").mkdir()
    pa, _ = generate(a, shape, name, seed=11)
    pb, _ = generate(b, shape, name, seed=11)
    pc, _ = generate(c, shape, name, seed=12)
    assert pa.read_bytes() == pb.read_bytes()
    assert (a / "log.truth.json").read_bytes() == (b / "log.truth.json").read_bytes()
    assert pa.read_bytes() != pc.read_bytes()


def test_wrong_suffix_is_one_clean_error(tmp_path):
    for shape, name in (("sosialhjelp", "x.parquet"), ("klage", "x.parquet")):
        result = CliRunner().invoke(main, ["generate", "--shape", shape, "--cases", "5", "--out", str(tmp_path / name)],
                                    catch_exceptions=False)
        assert result.exit_code == 2 and "written as" in result.output
