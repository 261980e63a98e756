"""Issue 3: `saksflyt export` writes a stored log as XES, CSV or Parquet that tools and our own ingest read back."""
from __future__ import annotations

from pathlib import Path

import pytest
from helpers import query, run


pytestmark = pytest.mark.usefixtures("pseudonym_key_env")

# a small log with everything a round trip must keep: start/complete pairs, a folded schedule, a date-only
# day, offsets on both sides of a DST change, text that needs escaping, typed case attributes
LOG = """<?xml version="1.0" encoding="UTF-8"?>
<log xes.version="1.0" xmlns="http://www.xes-standard.org/">
<trace>
  <string key="concept:name" value="sak-1"/>
  <int key="vedlegg" value="3"/><float key="areal" value="12.5"/><boolean key="haster" value="true"/>
  <date key="mottatt" value="2024-03-30T09:00:00+01:00"/><string key="type" value="Bygg &amp; anlegg &lt;A&gt;"/>
  <event><string key="concept:name" value="Registrere"/><string key="lifecycle:transition" value="schedule"/>
    <date key="time:timestamp" value="2024-03-30T08:00:00+01:00"/></event>
  <event><string key="concept:name" value="Registrere"/><string key="lifecycle:transition" value="start"/>
    <date key="time:timestamp" value="2024-03-30T09:00:00+01:00"/><string key="org:resource" value="Kari"/></event>
  <event><string key="concept:name" value="Registrere"/><string key="lifecycle:transition" value="complete"/>
    <date key="time:timestamp" value="2024-04-02T10:15:30.250+02:00"/><string key="org:resource" value="Kari"/>
    <string key="note" value="line one&#10;&quot;two&quot;"/><int key="pages" value="4"/></event>
  <event><string key="concept:name" value="Vedtak"/>
    <date key="time:timestamp" value="2024-04-05T00:00:00+02:00"/></event>
</trace>
<trace>
  <string key="concept:name" value="sak-2"/><int key="vedlegg" value="0"/>
  <event><string key="concept:name" value="Registrere"/><string key="lifecycle:transition" value="complete"/>
    <date key="time:timestamp" value="2024-04-01T00:00:00+02:00"/></event>
  <event><string key="concept:name" value="Vedtak"/>
    <date key="time:timestamp" value="2024-04-03T00:00:00+02:00"/></event>
</trace>
</log>
"""


def snapshot(store_path: Path, log: str) -> dict:
    """What a round trip must keep: cases, events, activities, instants and typed case attributes."""
    return {
        "events": query(store_path, "SELECT case_id, activity, ts_start, ts_end, ts_precision FROM events "
                                    "WHERE log = ? ORDER BY ALL", [log]),
        "cases": query(store_path, "SELECT case_id, name, kind, value_number, value_text, value_time, value_date, "
                                   "value_bool FROM case_attributes WHERE log = ? ORDER BY ALL", [log]),
    }


def test_xes_round_trip_keeps_cases_events_times_and_typed_case_attributes(tmp_path):
    source = tmp_path / "in.xes"
    source.write_text(LOG, encoding="utf-8")
    target = tmp_path / "s.duckdb"
    assert run(target, "ingest", str(source), "--log", "a", "--quiet")[0] == 0
    first = snapshot(target, "a")
    assert len(first["events"]) == 4 and first["events"][0][2] is not None  # the pair became one event
    out = tmp_path / "out.xes.gz"
    code, _, err = run(target, "export", "--log", "a", "--format", "xes", str(out))
    assert code == 0, err
    assert "4 events in 2 cases" in err
    code, _, err = run(target, "ingest", str(out), "--log", "b", "--quiet")
    assert code == 0, err
    assert snapshot(target, "b") == first
    kinds = dict(query(target, "SELECT name, kind FROM case_attributes WHERE log = 'b' AND case_id = 'sak-1'"))
    assert kinds == {"vedlegg": "number", "areal": "number", "haster": "bool", "mottatt": "time", "type": "text"}
    text = query(target, "SELECT value_text FROM case_attributes WHERE log = 'b' AND name = 'type'")[0][0]
    assert text == "Bygg & anlegg <A>"
    note = query(target, "SELECT attributes->>'$.note', attributes->>'$.\"lifecycle:schedule\"' FROM events "
                         "WHERE log = 'b' AND ts_start IS NOT NULL")[0]
    assert note[0] == 'line one\n"two"' and note[1].startswith("2024-03-30 07:00:00")


def test_exported_xes_opens_in_pm4py(tmp_path):
    pm4py = pytest.importorskip("pm4py")
    source = tmp_path / "in.xes"
    source.write_text(LOG, encoding="utf-8")
    target = tmp_path / "s.duckdb"
    assert run(target, "ingest", str(source), "--log", "a", "--quiet")[0] == 0
    out = tmp_path / "out.xes"
    assert run(target, "export", "--log", "a", str(out))[0] == 0
    df = pm4py.read_xes(str(out))
    assert len(df) == 5  # the paired event is a start and a complete again
    assert df["case:concept:name"].nunique() == 2
    assert sorted(df["concept:name"].unique()) == ["Registrere", "Vedtak"]
    assert str(df["time:timestamp"].min()) == "2024-03-30 08:00:00+00:00"


@pytest.mark.parametrize("fmt", ["csv", "parquet"])
def test_csv_and_parquet_exports_load_back_with_the_same_events(tmp_path, fmt):
    source = tmp_path / "in.xes"
    source.write_text(LOG, encoding="utf-8")
    target = tmp_path / "s.duckdb"
    assert run(target, "ingest", str(source), "--log", "a", "--quiet")[0] == 0
    out = tmp_path / f"out.{fmt}"
    code, _, err = run(target, "export", "--log", "a", str(out))
    assert code == 0, err
    assert run(target, "ingest", str(out), "--log", "b", "--quiet")[0] == 0
    a = query(target, "SELECT case_id, activity, ts_start, ts_end FROM events WHERE log = 'a' ORDER BY ALL")
    b = query(target, "SELECT case_id, activity, ts_start, ts_end FROM events WHERE log = 'b' ORDER BY ALL")
    assert a == b
    names = {r[0] for r in query(target, "SELECT DISTINCT name FROM case_attributes WHERE log = 'b'")}
    assert {"vedlegg", "areal", "haster", "mottatt", "type"} <= names


def test_real_log_round_trip_through_xes(tmp_path, shared_logs):
    target = tmp_path / "s.duckdb"
    assert run(target, "ingest", str(shared_logs / "receipt_wabo_coselog.xes.gz"), "--log", "a", "--quiet")[0] == 0
    out = tmp_path / "receipt.xes.gz"
    assert run(target, "export", "--log", "a", str(out))[0] == 0
    assert run(target, "ingest", str(out), "--log", "b", "--quiet")[0] == 0
    assert snapshot(target, "b") == snapshot(target, "a")
    assert len(snapshot(target, "a")["events"]) == 8_577


def test_export_errors_exit_2(tmp_path):
    target = tmp_path / "s.duckdb"
    source = tmp_path / "in.xes"
    source.write_text(LOG, encoding="utf-8")
    assert run(target, "ingest", str(source), "--log", "a", "--quiet")[0] == 0
    code, _, err = run(target, "export", "--log", "nope", str(tmp_path / "x.xes"))
    assert code == 2 and "no log named 'nope'" in err
    code, _, err = run(target, "export", "--log", "a", str(tmp_path / "missing" / "x.xes"))
    assert code == 2 and "does not exist" in err
    code, _, err = run(target, "export", "--log", "a", str(tmp_path / "x.txt"))
    assert code == 2 and "--format" in err
