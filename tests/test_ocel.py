"""Issue 9: OCEL 2.0 (JSON, XML, SQLite) flattened on an object type, through the real CLI."""
from __future__ import annotations

import json
import sqlite3
from datetime import datetime, timezone
from functools import partial
from pathlib import Path

import pytest
from helpers import query
from helpers import run as run_cli

run = partial(run_cli, one_line_stderr=True)   # messages matched whatever the terminal width
pytestmark = pytest.mark.usefixtures("pseudonym_key_env")

# 3 cases (sak), 2 documents; e3 concerns documents only, e4 two cases at once
OBJECTS = [("s1", "sak", {"kommune": "Bergen", "gebyr": "12500.5"}), ("s2", "sak", {"kommune": "Oslo", "gebyr": "800"}),
           ("s3", "sak", {"kommune": "Tromsø", "gebyr": "0"}), ("d1", "dokument", {}), ("d2", "dokument", {})]
EVENTS = [
    ("e1", "Motta søknad", "2024-03-01T09:00:00+01:00", "Kari Nordmann", "web", ["s1", "d1"]),
    ("e2", "Motta søknad", "2024-03-01T10:00:00+01:00", "Ola Hansen", "papir", ["s2"]),
    ("e3", "Journalføre", "2024-03-01T11:00:00Z", "System", None, ["d1", "d2"]),
    ("e4", "Samordne vedtak", "2024-03-04T12:00:00+01:00", "Kari Nordmann", None, ["s1", "s2"]),
    ("e5", "Motta søknad", "2024-03-05T08:00:00+01:00", "Åse Ødegård", "web", ["s3"]),
    ("e6", "Vedtak", "2024-03-06T14:00:00+01:00", "Kari Nordmann", None, ["s1"]),
    ("e7", "Vedtak", "2024-03-07T09:30:00+01:00", "Ola Hansen", None, ["s2", "d2"]),
]


def ocel2_json(path: Path) -> Path:
    """A small OCEL 2.0 JSON log written by hand, as the standard lays it out."""
    doc = {
        "objectTypes": [{"name": "sak", "attributes": [{"name": "kommune", "type": "string"},
                                                       {"name": "gebyr", "type": "float"}]},
                        {"name": "dokument", "attributes": []}],
        "eventTypes": [{"name": name, "attributes": [{"name": "resource", "type": "string"},
                                                     {"name": "kanal", "type": "string"}]}
                       for name in sorted({e[1] for e in EVENTS})],
        "objects": [{"id": oid, "type": t,
                     "attributes": [{"name": k, "time": "1970-01-01T00:00:00Z", "value": v} for k, v in a.items()]}
                    for oid, t, a in OBJECTS],
        "events": [{"id": eid, "type": act, "time": time,
                    "attributes": [{"name": "resource", "value": who}]
                    + ([{"name": "kanal", "value": kanal}] if kanal else []),
                    "relationships": [{"objectId": o, "qualifier": "gjelder"} for o in objs]}
                   for eid, act, time, who, kanal, objs in EVENTS],
    }
    path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def ocel_files(tmp_path_factory) -> dict[str, Path]:
    """The same log as OCEL 2.0 JSON, XML and SQLite (the latter two written by pm4py)."""
    import pm4py

    folder = tmp_path_factory.mktemp("ocel")
    source = ocel2_json(folder / "saker.jsonocel")
    log = pm4py.read_ocel2_json(str(source))
    pm4py.write_ocel2_xml(log, str(folder / "saker.xmlocel"))
    pm4py.write_ocel2_sqlite(log, str(folder / "saker.sqlite"))
    return {"json": source, "xml": folder / "saker.xmlocel", "sqlite": folder / "saker.sqlite"}


@pytest.mark.parametrize("variant", ["json", "xml", "sqlite"])
def test_flattening_on_an_object_type(tmp_path, ocel_files, variant):
    store = tmp_path / "s.duckdb"
    code, _, err = run(store, "ingest", str(ocel_files[variant]), "--format", "ocel", "--object-type", "sak",
                       "--log", "saker", "--quiet")
    assert code == 0, err
    # e1, e2, e4 (twice: two cases), e5, e6, e7; e3 concerns no case
    assert "7 events in 3 cases stored (new); 7 read, 0 rejected" in err
    assert "ocel events: 7, ocel events without object: 1, ocel objects of type: 3" in err
    assert query(store, "SELECT case_id, count(*) FROM events GROUP BY 1 ORDER BY 1") == [
        ("s1", 3), ("s2", 3), ("s3", 1)]
    assert query(store, "SELECT activity, count(*) FROM events GROUP BY 1 ORDER BY 1") == [
        ("Motta søknad", 3), ("Samordne vedtak", 2), ("Vedtak", 2)]
    assert query(store, "SELECT ts_end FROM events WHERE case_id = 's1' ORDER BY event_seq LIMIT 1") == [
        (datetime(2024, 3, 1, 8, tzinfo=timezone.utc),)]
    # object attributes are case attributes (typed); event attributes stay with their events
    assert query(store, "SELECT case_id, value_text FROM case_attributes WHERE name = 'kommune' ORDER BY 1") == [
        ("s1", "Bergen"), ("s2", "Oslo"), ("s3", "Tromsø")]
    assert query(store, "SELECT sum(value_number) FROM case_attributes WHERE name = 'gebyr'") == [(13300.5,)]
    assert query(store, "SELECT count(*) FROM events WHERE attributes->>'kanal' = 'web'") == [(2,)]
    # the resource attribute is recognised and pseudonymised
    assert query(store, "SELECT count(DISTINCT resource), count(*) FILTER (WHERE resource LIKE '%Kari%') "
                        "FROM events") == [(3, 0)]
    assert query(store, "SELECT source_kind, settings->>'object_type' FROM logs") == [("ocel", "sak")]


def test_the_same_counts_as_pm4py_flattening(tmp_path, ocel_files):
    import pm4py

    log = pm4py.read_ocel2_json(str(ocel_files["json"]))
    store = tmp_path / "s.duckdb"
    for object_type in ("sak", "dokument"):
        code, _, err = run(store, "ingest", str(ocel_files["json"]), "--format", "ocel", "--object-type", object_type,
                           "--log", object_type, "--quiet")
        assert code == 0, err
        flat = pm4py.ocel_flattening(log, object_type)
        assert query(store, f"SELECT count(*), count(DISTINCT case_id) FROM events WHERE log = '{object_type}'") == [
            (len(flat), flat["case:concept:name"].nunique())]
    assert query(store, "SELECT count(*) FROM events WHERE log = 'dokument'") == [(4,)]


def test_format_ocel_is_required_and_bad_files_exit_2(tmp_path, ocel_files):
    store = tmp_path / "s.duckdb"
    code, _, err = run(store, "ingest", str(ocel_files["sqlite"]), "--log", "x")
    assert code == 2 and "unknown file type: give --format" in err
    code, _, err = run(store, "ingest", str(ocel_files["sqlite"]), "--format", "ocel", "--log", "x")
    assert code == 2 and "give --object-type: the object types are" in err and "sak (3 objects)" in err
    code, _, err = run(store, "ingest", str(ocel_files["json"]), "--format", "ocel", "--object-type", "ordre",
                       "--log", "x")
    assert code == 2 and "no object type 'ordre'" in err
    other = tmp_path / "annet.sqlite"
    with sqlite3.connect(other) as con:
        con.execute("CREATE TABLE t (a INTEGER)")
    con.close()
    code, _, err = run(store, "ingest", str(other), "--format", "ocel", "--object-type", "sak", "--log", "x")
    assert code == 2 and "cannot read as OCEL 2.0 SQLite" in err
    text = tmp_path / "tull.jsonocel"
    text.write_text("saksnr;aktivitet\n")
    code, _, err = run(store, "ingest", str(text), "--format", "ocel", "--object-type", "sak", "--log", "x")
    assert code == 2 and "not an OCEL 2.0 file" in err
    assert not store.exists() or query(store, "SELECT count(*) FROM events") == [(0,)]
