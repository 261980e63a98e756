"""Resource kinds from behaviour: an e-service, a citizen and the staff of a hand-written log, the sample
byggesak log, and real public logs, through the real CLI and real DuckDB files."""
from __future__ import annotations

import csv
import json
import statistics
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import duckdb
import pytest
from helpers import SAMPLES, query, run

from saksflyt.extractors import pseudonym, store
from saksflyt.extractors.resource_behaviour import Decision, Evidence, decide

PSEUDONYM_KEY = "test-key-not-secret"   # the key pseudonym_key_env sets; expected pseudonyms use it too
OSLO = ZoneInfo("Europe/Oslo")

pytestmark = pytest.mark.usefixtures("pseudonym_key_env")


def ps(name: str) -> str:
    return pseudonym.pseudonym(name, key=PSEUDONYM_KEY.encode())


def kinds_of(store_path: Path, log: str) -> dict[str, tuple[str, str]]:
    return {r: (k, by) for r, k, by in query(
        store_path, "SELECT resource, kind, decided_by FROM resource_kinds WHERE log = ?", [log])}


# --- a hand-written log: an e-service, a citizen, a clerk and a leader ------------------------------

ESERVICE, CITIZEN, CLERK, LEADER = "eByggesak", "Privatperson", "Kari Nordmann", "Per Ås"
FILED_DAYS = (-3, -2, -1, 0)  # Friday to Monday before the week's registrations
FILED_HOURS = (23, 2, 14, 20, 9, 6, 22, 1, 16, 19)
REPLY_HOURS = (21, 3, 12, 18, 23, 8, 0, 15, 20, 5)


def small_log(weeks: range) -> list[tuple[str, str, datetime | None, datetime, str]]:
    """Ten cases a week: the e-service files each case at any hour (no duration); the clerk registers it
    on Tuesday (20 minutes); the citizen replies on Friday or Saturday at any hour, days later; the leader
    decides the week's ten cases at next Wednesday's meeting, 55 s apart from 10:00 (no duration); the
    clerk sends the decision that afternoon. Rows: (case, activity, start, end, resource), local times."""
    rows = []
    for w in weeks:
        monday = datetime(2024, 1, 8, tzinfo=OSLO) + timedelta(weeks=w)
        for k in range(10):
            case = f"2024/{10 * w + k + 1:03d}"
            filed = monday + timedelta(days=FILED_DAYS[k % 4], hours=FILED_HOURS[k], minutes=7 * k)
            reg_start = monday + timedelta(days=1, hours=8, minutes=25 * k)
            reply = monday + timedelta(days=4 + k % 2, hours=REPLY_HOURS[k], minutes=11)
            decided = monday + timedelta(days=9, hours=10, seconds=55 * k)
            send_start = monday + timedelta(days=9, hours=13, minutes=10 * k)
            rows += [(case, "Søknad mottatt", None, filed, ESERVICE),
                     (case, "Registrere søknad", reg_start, reg_start + timedelta(minutes=20), CLERK),
                     (case, "Tilleggsdokumentasjon mottatt", None, reply, CITIZEN),
                     (case, "Vedtak fattet", None, decided, LEADER),
                     (case, "Vedtak sendt", send_start, send_start + timedelta(minutes=5), CLERK)]
    return rows


def write_csv(path: Path, rows: list[tuple]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as f:
        out = csv.writer(f, delimiter=";")
        out.writerow(["saksnr", "aktivitet", "start", "slutt", "saksbehandler"])
        for case, activity, start, end, resource in rows:
            out.writerow([case, activity, start.isoformat() if start else "", end.isoformat(), resource])
    return path


def expected_shares(rows: list[tuple], resource: str) -> dict[str, float]:
    """The shares worked out in Python from the rows themselves, to check the SQL against."""
    mine = [r for r in rows if r[4] == resource]
    local = [r[3].astimezone(OSLO) for r in mine]
    off = [t.isoweekday() > 5 or not 7 <= t.hour < 18 for t in local]
    cases: dict[str, list[datetime]] = {}
    for case, _, _, end, _ in rows:
        cases.setdefault(case, []).append(end)
    waits = []
    for case, _, _, end, _ in mine:
        before = [t for t in cases[case] if t < end]
        if before:
            waits.append((end - max(before)).total_seconds() / 3600)
    ends = sorted(r[3] for r in mine)
    return {
        "instant_share": sum(r[2] is None for r in mine) / len(mine),
        "measured_share": sum(r[2] is not None for r in mine) / len(mine),
        "off_hours_share": sum(off) / len(mine),
        "weekend_share": sum(t.isoweekday() > 5 for t in local) / len(mine),
        "night_share": sum(t.hour < 6 for t in local) / len(mine),
        "burst_share": sum((b - a).total_seconds() <= 60 for a, b in zip(ends, ends[1:])) / len(mine),
        "boundary_share": sum(r[3] in (min(cases[r[0]]), max(cases[r[0]])) for r in mine) / len(mine),
        "median_wait_hours": statistics.median(waits) if waits else None,
    }


def test_an_eservice_and_a_citizen_are_found_and_the_staff_stay_people(tmp_path):
    rows = small_log(range(3))
    path = write_csv(tmp_path / "saker.csv", rows)
    db = tmp_path / "s.duckdb"
    code, _, err = run(db, "ingest", str(path), "--log", "bygg", "--quiet")
    assert code == 0, err
    assert "resources reclassified: 2" in err
    assert kinds_of(db, "bygg") == {
        ps(ESERVICE): ("system", "behaviour"),    # instantaneous, off hours with night, opens every case
        ps(CITIZEN): ("external", "behaviour"),   # instantaneous, off hours with night, days after the case
        ps(CLERK): ("person", "default"),          # measured durations, office hours
        ps(LEADER): ("person", "default"),         # instants in bursts in a Wednesday meeting: one signal
    }
    # the events carry the new kinds, and the names stay pseudonymised
    per_kind = dict(query(db, "SELECT resource_kind, count(*) FROM events GROUP BY 1"))
    assert per_kind == {"system": 30, "external": 30, "person": 90}
    assert query(db, "SELECT bool_and(resource LIKE 'ps_%') FROM events")[0][0]
    stats = json.loads(query(db, "SELECT stats FROM ingest_runs")[0][0])
    assert stats["resources_reclassified"] == 2

    code, out, err = run(db, "logs", "--quality", "bygg", "--json")
    assert code == 0, err
    report = json.loads(out)
    assert report["resources_reclassified"] == 2
    by_resource = {r["resource"]: r for r in report["resource_kinds"]}
    assert set(by_resource) == {ps(n) for n in (ESERVICE, CITIZEN, CLERK, LEADER)}
    for name in (ESERVICE, CITIZEN, CLERK, LEADER):
        got, want = by_resource[ps(name)], expected_shares(rows, name)
        assert got["events"] == sum(r[4] == name for r in rows)
        for measure, value in want.items():
            assert got[measure] == (None if value is None else pytest.approx(value, abs=1e-2)), (name, measure)
    # the figures that decide, spelled out
    eservice, citizen, leader = by_resource[ps(ESERVICE)], by_resource[ps(CITIZEN)], by_resource[ps(LEADER)]
    assert (eservice["instant_share"], eservice["boundary_share"], eservice["night_share"]) == (1.0, 1.0, 0.2)
    assert eservice["off_hours_share"] == pytest.approx(0.8) and eservice["median_wait_hours"] is None
    assert citizen["off_hours_share"] == 0.9 and citizen["night_share"] == 0.3
    assert citizen["median_wait_hours"] > 24
    assert (leader["burst_share"], leader["off_hours_share"], leader["boundary_share"]) == (0.9, 0.0, 0.0)
    assert eservice["reason"].startswith("behaviour: instantaneous, off hours 80 % (night 20 %)")
    assert eservice["reason"].endswith("always opens or closes a case")
    assert "days after the case's previous event" in citizen["reason"]
    assert leader["reason"] == "person: 0 % off hours, one signal only (90 % within 60 s of its previous event)"

    # the text report: a second table, with the pseudonyms only
    code, out, _ = run(db, "logs", "--quality", "bygg")
    assert code == 0 and "Resource kinds: bygg" in out and ps(ESERVICE) in out
    assert not any(name in out for name in (ESERVICE, CITIZEN, CLERK, LEADER))


def test_an_append_recomputes_the_kinds_over_the_whole_log(tmp_path):
    rows = small_log(range(3))
    first, rest = rows[:50], rows[50:]  # week one, then weeks two and three
    db = tmp_path / "s.duckdb"
    assert run(db, "ingest", str(write_csv(tmp_path / "a.csv", first)), "--log", "bygg", "--quiet")[0] == 0
    # ten events each: too few to judge
    assert {k for k, _ in kinds_of(db, "bygg").values()} == {"person"}
    assert query(db, "SELECT reason FROM resource_kinds WHERE resource = ?", [ps(ESERVICE)])[0][0].endswith(
        "too few events to judge (10 < 20)")
    code, _, err = run(db, "ingest", str(write_csv(tmp_path / "b.csv", rest)), "--log", "bygg", "--append",
                       "--quiet")
    assert code == 0, err
    kinds = kinds_of(db, "bygg")
    assert kinds[ps(ESERVICE)] == ("system", "behaviour") and kinds[ps(CITIZEN)] == ("external", "behaviour")
    assert len(kinds) == 4
    # the first load's events follow
    assert query(db, "SELECT DISTINCT resource_kind FROM events WHERE resource = ?", [ps(ESERVICE)]) == [("system",)]
    runs = [json.loads(s)["resources_reclassified"] for (s,) in
            query(db, "SELECT stats FROM ingest_runs ORDER BY started_at")]
    assert runs == [0, 2]


def test_flags_and_names_are_never_overruled_and_drop_removes_the_rows(tmp_path):
    rows = [(c, a, s, e, "Nattjobb" if r == ESERVICE else r) for c, a, s, e, r in small_log(range(3))]
    db = tmp_path / "s.duckdb"
    path = write_csv(tmp_path / "saker.csv", rows)
    code, _, err = run(db, "ingest", str(path), "--log", "bygg", "--external", "Nattjobb", "--system", CITIZEN,
                       "--quiet")
    assert code == 0, err
    kinds = kinds_of(db, "bygg")
    assert kinds[ps("Nattjobb")] == ("external", "flag")
    assert kinds[CITIZEN] == ("system", "flag")  # a system keeps its readable name
    assert query(db, "SELECT reason FROM resource_kinds WHERE resource = ?", [CITIZEN]) == [("--system flag",)]
    # --append without the flags: what the first load's flags decided stands
    more = [(c.replace("2024/", "2025/"), a, s, e, r) for c, a, s, e, r in rows[:5]]
    code, _, err = run(db, "ingest", str(write_csv(tmp_path / "more.csv", more)), "--log", "bygg", "--append",
                       "--quiet")
    assert code == 0, err
    assert kinds_of(db, "bygg")[ps("Nattjobb")] == ("external", "flag")
    assert run(db, "drop", "--log", "bygg")[0] == 0
    assert query(db, "SELECT count(*) FROM resource_kinds") == [(0,)]


@pytest.mark.parametrize("name, kind", [
    ("Innbygger", "external"), ("innbyggeren", "external"), ("Søker Ola Hansen", "external"),
    ("Ansvarlig søker", "external"), ("Klager", "external"), ("Kunde", "external"), ("Publikum", "external"),
    ("Tiltakshaver", "external"), ("Citizen", "external"), ("applicant", "external"), ("Ekstern part", "external"),
    ("External party", "external"), ("Kundesenter", "person"), ("Innbyggertorget", "person"),
    ("Søkerud Kari", "person"), ("Systemet", "system")])
def test_names_of_outside_parties_are_external_and_stay_pseudonymised(tmp_path, name, kind):
    path = tmp_path / "k.csv"
    path.write_text("saksnr;aktivitet;start;slutt;ressurs\n"
                    f"1;Steg;2024-01-02T09:00:00+01:00;2024-01-02T09:10:00+01:00;{name}\n", encoding="utf-8")
    db = tmp_path / "s.duckdb"
    assert run(db, "ingest", str(path), "--log", "k", "--quiet")[0] == 0
    stored = name if kind == "system" else ps(name)
    assert kinds_of(db, "k") == {stored: (kind, "default" if kind == "person" else "name")}


def test_an_old_store_gets_the_table_and_keeps_what_its_loads_decided(tmp_path):
    db = tmp_path / "old.duckdb"
    con = duckdb.connect(str(db))
    v1 = next(m for m in store.migrations() if (m.package, m.version) == ("extractors", 1))
    con.execute(v1.sql)
    con.execute("CREATE TABLE schema_migrations (package VARCHAR NOT NULL, version INTEGER NOT NULL, "
                "description VARCHAR, applied_at TIMESTAMPTZ NOT NULL DEFAULT now())")
    con.execute("INSERT INTO schema_migrations (package, version) VALUES ('extractors', 1)")
    con.execute("INSERT INTO logs VALUES ('bygg', 'a.csv', 'csv', 'x', true, now(), now(), '{}')")
    con.execute("INSERT INTO events SELECT 'bygg', 'gammel', 'Brev', NULL, TIMESTAMPTZ '2023-12-01 03:00:00+00', "
                "'second', range, 'Brevjobb', 'system', NULL, NULL FROM range(3)")
    con.close()
    rows = small_log(range(3))
    code, _, err = run(db, "ingest", str(write_csv(tmp_path / "b.csv", rows)), "--log", "bygg", "--append",
                       "--quiet")
    assert code == 0, err
    assert ("extractors", 2) in set(query(db, "SELECT package, version FROM schema_migrations"))
    kinds = kinds_of(db, "bygg")
    assert kinds["Brevjobb"] == ("system", "name") and kinds[ps(ESERVICE)] == ("system", "behaviour")
    assert query(db, "SELECT reason FROM resource_kinds WHERE resource = 'Brevjobb'") == [
        ("decided at an earlier load (name or flag)",)]


@pytest.mark.parametrize("profile, kind", [
    # a clerk who registers every case, recorded as instants: opens cases, nothing else
    ({"instant_share": 1.0, "off_hours_share": 0.02, "night_share": 0.0, "burst_share": 0.1,
      "boundary_share": 1.0}, "person"),
    # a leader's weekly decision meeting, recorded as instants: bursts, nothing else
    ({"instant_share": 1.0, "off_hours_share": 0.0, "night_share": 0.0, "burst_share": 0.9,
      "boundary_share": 0.0}, "person"),
    # staff of an office open until 21:00 and on Saturdays: off hours but never at night
    ({"instant_share": 1.0, "off_hours_share": 0.8, "night_share": 0.0, "burst_share": 0.6,
      "boundary_share": 0.0}, "person"),
    # a batch job sending letters at night
    ({"instant_share": 1.0, "off_hours_share": 1.0, "night_share": 1.0, "burst_share": 0.9,
      "boundary_share": 0.0}, "system"),
    # the same, but with real durations: a person, whatever else
    ({"instant_share": 0.4, "off_hours_share": 1.0, "night_share": 1.0, "burst_share": 0.9,
      "boundary_share": 1.0, "measured_share": 0.6}, "person"),
])
def test_the_rule_keeps_people_people(profile, kind):
    ev = Evidence(**{"resource": "r", "events": 500, "measured_share": 0.0, "weekend_share": 0.0,
                     "median_wait_hours": 1.0, "stored_kind": "person", **profile})
    assert decide(ev, Decision("person", "default", "")).kind == kind


# --- the sample byggesak log ---------------------------------------------------------------------


def test_byggesak_kinds_are_the_truths_and_no_person_is_reclassified(tmp_path):
    truth = json.loads((SAMPLES / "byggesak.truth.json").read_text(encoding="utf-8"))["format"]
    with (SAMPLES / "byggesak.csv").open(encoding="utf-8") as f:
        names = {r["saksbehandler"] for r in csv.DictReader(f, delimiter=";")}
    db = tmp_path / "s.duckdb"
    external = ",".join(truth["external_resources"])
    code, _, err = run(db, "ingest", str(SAMPLES / "byggesak.csv"), "--log", "b", "--external", external, "--quiet")
    assert code == 0, err
    want = {n: ("system" if n in truth["system_resources"] else "external" if n in truth["external_resources"]
                else "person") for n in names}
    stored = {n if k == "system" else ps(n): k for n, k in want.items()}
    assert {r: k for r, (k, _) in kinds_of(db, "b").items()} == stored
    assert {by for _, by in kinds_of(db, "b").values()} == {"name", "flag", "default"}
    assert json.loads(query(db, "SELECT stats FROM ingest_runs")[0][0])["resources_reclassified"] == 0
    # every member of staff has measured durations; the outside party alone has none, in office hours
    rows = {r: (m, off) for r, m, off in query(
        db, "SELECT resource, measured_share, off_hours_share FROM resource_kinds")}
    assert all(rows[ps(n)][0] == 1.0 for n, k in want.items() if k == "person")
    assert rows[ps("Statens vegvesen")] == (0.0, 0.0)


# --- real public logs ----------------------------------------------------------------------------


def real_kinds(db: Path, log: str) -> list[dict]:
    code, out, err = run(db, "logs", "--quality", log, "--json")
    assert code == 0, err
    rows = json.loads(out)["resource_kinds"]
    for r in rows:
        print(log, r["resource"], r["kind"], r["events"], r["instant_share"], r["measured_share"],
              r["off_hours_share"], r["night_share"], r["burst_share"], r["boundary_share"],
              r["median_wait_hours"], r["reason"], sep=" | ")
    return rows


def test_receipt_keeps_all_48_resources_people(tmp_path, shared_logs):
    db = tmp_path / "s.duckdb"
    code, _, err = run(db, "ingest", str(shared_logs / "receipt.csv"), "--log", "receipt", "--no-pseudonymise",
                       "--quiet")
    assert code == 0, err
    rows = real_kinds(db, "receipt")
    assert len(rows) == 48 and {r["kind"] for r in rows} == {"person"}
    # completion times only: instants say nothing; these clerks click through one case's steps within a
    # minute often, but never through a pile of cases: no burst
    assert all(r["instant_share"] is None for r in rows)
    assert sum(r["burst_share"] >= 0.5 for r in rows) == 0
    # off hours in one Saturday session: 5 of its 8 events
    r35 = next(r for r in rows if r["resource"] == "Resource35")
    assert (r35["events"], r35["off_hours_share"], r35["burst_share"]) == (8, 0.625, 0.0)
    assert r35["reason"].endswith("too few events to judge (8 < 20)")


def test_road_traffic_dates_only_keep_all_resources_people(tmp_path, shared_logs):
    db = tmp_path / "s.duckdb"
    code, _, err = run(db, "ingest", str(shared_logs / "road_traffic_fine_management.xes.gz"), "--log", "road",
                       "--no-pseudonymise", "--quiet")
    assert code == 0, err
    rows = real_kinds(db, "road")
    assert len(rows) == 148 and {r["kind"] for r in rows} == {"person"}
    # every timestamp is a date: no time of day, so no off hours, night or bursts; no durations
    assert all(r[k] is None for r in rows for k in ("instant_share", "off_hours_share", "night_share",
                                                      "burst_share"))
    # the officers create the fines: each opens its cases, one signal only
    assert sum(r["boundary_share"] == 1.0 for r in rows) == 147


def test_bpic2012_finds_its_automatic_resource_and_not_its_evening_staff(tmp_path, shared_logs):
    db = tmp_path / "s.duckdb"
    code, _, err = run(db, "ingest", str(shared_logs / "bpic2012.xes.gz"), "--log", "bpic2012",
                       "--no-pseudonymise", "--quiet")
    assert code == 0, err
    rows = real_kinds(db, "bpic2012")
    assert [(r["resource"], r["kind"]) for r in rows if r["kind"] != "person"] == [("112", "system")]
    r112 = rows[0]
    assert r112["resource"] == "112" and r112["instant_share"] == 1.0 and r112["night_share"] > 0.03
    # the loan office's staff work evenings and Saturdays (up to 83 % off hours), never at night
    evening = [r for r in rows if r["kind"] == "person" and (r["off_hours_share"] or 0) >= 0.3
               and r["events"] >= 20]
    assert len(evening) >= 20 and all(r["night_share"] == 0 for r in evening)
