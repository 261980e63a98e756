"""events.unit: the organisational unit of each event, from every source, and old stores migrated to it."""
from __future__ import annotations

import collections
import gzip
import hashlib
import json
import shutil
from pathlib import Path

import duckdb
import pandas as pd
import pytest
from helpers import invoke, query
from lxml import etree

from saksflyt.extractors import schema, store
from saksflyt.sample_logs.noark5_cases import UNITS
from saksflyt.sample_logs.noark5_generator import generate_noark5

pytestmark = pytest.mark.usefixtures("pseudonym_key_env")

NS = "{http://www.arkivverket.no/standarder/noark5/arkivstruktur}"


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


# --- CSV, Excel, Parquet --------------------------------------------------------------------------

ROWS = [  # saksnr, aktivitet, tidspunkt, saksbehandler, enhet, kontor, beløp
    ("S1", "Mottatt", "2024-03-04 09:00", "Ola Nordmann", "  Økonomiavdelingen ", "Tromsø", "100"),
    ("S1", "Vurdert", "2024-03-05 10:00", "Kari Nordmann", "Plan og bygg", "Tromsø", "100"),
    ("S1", "Vedtak", "2024-03-06 11:00", "Kari Nordmann", "Plan og bygg", "Bodø", "100"),
    ("S2", "Mottatt", "2024-03-04 12:00", "Ola Nordmann", "Økonomiavdelingen", "Ålesund", "250"),
    ("S2", "Vedtak", "2024-03-07 13:00", "Per Ås", "", "Ålesund", "250"),
]
COLUMNS = ["saksnr", "aktivitet", "tidspunkt", "saksbehandler", "Enhet", "kontor", "beløp"]


def write_table(path: Path, rows=ROWS, columns=COLUMNS) -> Path:
    frame = pd.DataFrame(rows, columns=columns)
    if path.suffix == ".csv":
        frame.to_csv(path, sep=";", index=False, encoding="utf-8")
    elif path.suffix == ".parquet":
        frame.to_parquet(path, index=False)
    else:
        pytest.importorskip("openpyxl")
        frame.to_excel(path, index=False)
    return path


@pytest.mark.parametrize("suffix", [".csv", ".parquet", ".xlsx"])
def test_an_enhet_column_is_the_unit_as_written_not_hashed_not_an_attribute(tmp_path, suffix):
    db = tmp_path / "s.duckdb"
    result = invoke(db, "ingest", str(write_table(tmp_path / f"saker{suffix}")), "--log", "saker", "--quiet")
    assert result.exit_code == 0, result.output
    rows = query(db, "SELECT case_id, activity, unit FROM events ORDER BY case_id, event_seq")
    assert rows == [("S1", "Mottatt", "Økonomiavdelingen"), ("S1", "Vurdert", "Plan og bygg"),
                    ("S1", "Vedtak", "Plan og bygg"), ("S2", "Mottatt", "Økonomiavdelingen"),
                    ("S2", "Vedtak", None)]
    # resources were pseudonymised in the same load; units were not
    assert query(db, "SELECT count(*) FROM events WHERE resource LIKE 'Ola%' OR resource LIKE 'Kari%'") == [(0,)]
    assert query(db, "SELECT count(DISTINCT resource) FROM events") == [(3,)]
    # the unit is neither an event nor a case attribute; the others still are
    keys = {k for (k,) in query(db, "SELECT DISTINCT unnest(json_keys(attributes)) FROM events")}
    assert keys == {"kontor"}
    assert dict(query(db, "SELECT name, count(*) FROM case_attributes GROUP BY 1")) == {"beløp": 2}
    (settings,), = query(db, "SELECT settings FROM logs")
    assert json.loads(settings)["columns"]["unit"] == "Enhet"


@pytest.mark.parametrize("name", ["org:group", "avdeling", "SEKSJON", "unit"])
def test_every_recognised_name_is_the_unit(tmp_path, name):
    db = tmp_path / "s.duckdb"
    src = write_table(tmp_path / "saker.csv", columns=[*COLUMNS[:4], name, *COLUMNS[5:]])
    assert invoke(db, "ingest", str(src), "--log", "saker", "--quiet").exit_code == 0
    assert query(db, "SELECT unit, count(*) FROM events GROUP BY 1 ORDER BY 1 NULLS LAST") == [
        ("Plan og bygg", 2), ("Økonomiavdelingen", 2), (None, 1)]


def test_the_unit_flag_names_any_column(tmp_path):
    db = tmp_path / "s.duckdb"
    result = invoke(db, "ingest", str(write_table(tmp_path / "saker.csv")), "--log", "saker", "--unit", "KONTOR",
                    "--quiet")
    assert result.exit_code == 0, result.output
    assert query(db, "SELECT unit, count(*) FROM events GROUP BY 1 ORDER BY 1") == [
        ("Bodø", 1), ("Tromsø", 2), ("Ålesund", 2)]
    # the recognised name lost its role to the flag: Enhet varies within S1, so it is an event attribute
    keys = {k for (k,) in query(db, "SELECT DISTINCT unnest(json_keys(attributes)) FROM events")}
    assert keys == {"Enhet"}
    assert query(db, "SELECT count(*) FROM case_attributes WHERE name IN ('kontor', 'Enhet')") == [(0,)]


def test_a_batch_source_names_its_unit_column(tmp_path):
    db = tmp_path / "s.duckdb"
    write_table(tmp_path / "saker.csv")
    config = tmp_path / "sources.toml"
    config.write_text('[[source]]\nlog = "saker"\npath = "saker.csv"\nunit = "kontor"\n', encoding="utf-8")
    result = invoke(db, "ingest", "--config", str(config), "--quiet")
    assert result.exit_code == 0, result.output
    assert query(db, "SELECT unit, count(*) FROM events GROUP BY 1 ORDER BY 1") == [
        ("Bodø", 1), ("Tromsø", 2), ("Ålesund", 2)]


def test_an_unknown_unit_column_exits_2_and_leaves_the_store_as_it_was(tmp_path):
    db = tmp_path / "s.duckdb"
    src = write_table(tmp_path / "saker.csv")
    assert invoke(db, "ingest", str(src), "--log", "saker", "--quiet").exit_code == 0
    before = digest(db)
    other = write_table(tmp_path / "andre.csv", rows=ROWS[:2])
    for extra in ([], ["--replace"]):
        result = invoke(db, "ingest", str(other), "--log", "saker" if extra else "andre", "--unit", "avdelingen",
                        "--quiet", *extra)
        assert result.exit_code == 2
        lines = [ln for ln in result.output.splitlines() if ln.strip()]
        assert len(lines) == 1 and "'avdelingen' (--unit) not found" in lines[0] and str(other) in lines[0]
        assert digest(db) == before
    assert query(db, "SELECT log, count(*) FROM events GROUP BY 1") == [("saker", 5)]


def test_append_drops_a_duplicate_only_when_its_unit_is_the_same(tmp_path):
    db = tmp_path / "s.duckdb"
    assert invoke(db, "ingest", str(write_table(tmp_path / "a.csv")), "--log", "saker", "--quiet").exit_code == 0
    moved = [ROWS[0][:4] + ("Plan og bygg",) + ROWS[0][5:], *ROWS[1:]]  # one event moved to another unit
    result = invoke(db, "ingest", str(write_table(tmp_path / "b.csv", rows=moved)), "--log", "saker", "--append")
    assert result.exit_code == 0, result.output
    assert query(db, "SELECT count(*) FROM events") == [(6,)]
    (stats,), = query(db, "SELECT stats FROM ingest_runs WHERE mode = 'append'")
    assert json.loads(stats)["duplicates_dropped"] == 4
    assert query(db, "SELECT unit FROM events WHERE case_id = 'S1' AND activity = 'Mottatt' ORDER BY 1") == [
        ("Plan og bygg",), ("Økonomiavdelingen",)]


# --- XES ------------------------------------------------------------------------------------------


def xml_groups(path: Path) -> collections.Counter:
    """org:group per event, counted straight from the XML (lxml), independently of our reader."""
    counts: collections.Counter = collections.Counter()
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rb") as fh:
        for _, event in etree.iterparse(fh, tag="{*}event"):
            group = next((a.get("value") for a in event if a.get("key") == "org:group"), None)
            counts[group.strip() or None if group is not None else None] += 1
            event.clear()
    return counts


def test_bpic2013_org_group_is_the_unit(tmp_path, shared_logs):
    db = tmp_path / "s.duckdb"
    log = shared_logs / "bpic2013_incidents.xes.gz"
    result = invoke(db, "ingest", str(log), "--log", "b13", "--quiet")
    assert result.exit_code == 0, result.output
    expected = xml_groups(log)
    assert sum(expected.values()) == 65_533 and len(expected) == 649 and None not in expected
    assert query(db, "SELECT count(*), count(unit), count(DISTINCT unit), count(DISTINCT case_id) FROM events") == [
        (65_533, 65_533, 649, 7_554)]
    assert dict(query(db, "SELECT unit, count(*) FROM events GROUP BY 1")) == dict(expected)
    assert query(db, "SELECT count(*) FROM events WHERE attributes->>'org:group' IS NOT NULL") == [(0,)]


TINY_XES = """<?xml version="1.0" encoding="UTF-8"?>
<log xes.version="1.0" xmlns="http://www.xes-standard.org/">
 <trace><string key="concept:name" value="k1"/>
  <event><string key="concept:name" value="Behandle"/><string key="lifecycle:transition" value="start"/>
   <date key="time:timestamp" value="2024-05-02T09:00:00+02:00"/><string key="org:resource" value="Åse"/>
   <string key="org:group" value=" Barnevern Øst "/></event>
  <event><string key="concept:name" value="Behandle"/><string key="lifecycle:transition" value="complete"/>
   <date key="time:timestamp" value="2024-05-02T10:00:00+02:00"/><string key="org:resource" value="Åse"/></event>
  <event><string key="concept:name" value="Vedtak"/><string key="lifecycle:transition" value="complete"/>
   <date key="time:timestamp" value="2024-05-03T10:00:00+02:00"/><string key="org:group" value="Juridisk"/>
   <string key="unit" value="kr"/></event>
  <event><string key="concept:name" value="Arkivert"/><string key="lifecycle:transition" value="complete"/>
   <date key="time:timestamp" value="2024-05-04T10:00:00+02:00"/><string key="org:group" value=""/></event>
 </trace>
</log>
"""


def test_xes_pairing_keeps_the_start_unit_and_export_round_trips_it(tmp_path):
    db = tmp_path / "s.duckdb"
    src = tmp_path / "tiny.xes"
    src.write_text(TINY_XES, encoding="utf-8")
    assert invoke(db, "ingest", str(src), "--log", "t", "--quiet").exit_code == 0
    expected = [("Behandle", "Barnevern Øst"), ("Vedtak", "Juridisk"), ("Arkivert", None)]
    assert query(db, "SELECT activity, unit FROM events ORDER BY event_seq") == expected
    # an attribute called `unit` is not the unit: it stays an attribute under a name of its own
    assert query(db, "SELECT attributes->>'unit (xes)' FROM events WHERE activity = 'Vedtak'") == [("kr",)]
    for out in ("back.xes", "back.csv", "back.parquet"):
        result = invoke(db, "export", "--log", "t", str(tmp_path / out))
        assert result.exit_code == 0, result.output
        again = tmp_path / f"{out}.duckdb"
        assert invoke(again, "ingest", str(tmp_path / out), "--log", "t", "--quiet").exit_code == 0
        assert query(again, "SELECT activity, unit FROM events ORDER BY ts_end") == expected, out


# --- Noark 5 ----------------------------------------------------------------------------------------

EXPORT = """<?xml version="1.0" encoding="UTF-8"?>
<arkiv xmlns="http://www.arkivverket.no/standarder/noark5/arkivstruktur"
       xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
 <systemID>a</systemID><arkivdel><systemID>b</systemID>
 <klassifikasjonssystem><systemID>c</systemID><klasse><systemID>d</systemID><klasseID>L42</klasseID>
 <mappe xsi:type="saksmappe"><systemID>case-1</systemID><mappeID>2024/1</mappeID><tittel>Byggesak</tittel>
  <opprettetDato>2024-02-01T08:00:00</opprettetDato><avsluttetDato>2024-02-20T14:00:00</avsluttetDato>
  <avsluttetAv>Leder Lund</avsluttetAv>
  <registrering xsi:type="journalpost"><systemID>jp-1</systemID><opprettetDato>2024-02-01T09:00:00</opprettetDato>
   <tittel>Søknad</tittel>
   <dokumentbeskrivelse><systemID>dok-1</systemID><tilknyttetDato>2024-02-01T09:05:00</tilknyttetDato>
    <tilknyttetAv>Arkivar Aas</tilknyttetAv></dokumentbeskrivelse>
   <korrespondansepart><korrespondanseparttype>Avsender</korrespondanseparttype>
    <korrespondansepartNavn>Kari Nordmann</korrespondansepartNavn>
    <administrativEnhet>Byggesak</administrativEnhet></korrespondansepart>
   <journalposttype>Inngående dokument</journalposttype><journalstatus>J</journalstatus>
   <journaldato>2024-02-01</journaldato><mottattDato>2024-02-01T08:30:00</mottattDato>
   <journalenhet> Postmottak </journalenhet>
  </registrering>
  <registrering xsi:type="journalpost"><systemID>jp-2</systemID><opprettetDato>2024-02-10T09:00:00</opprettetDato>
   <tittel>Vedtak</tittel>
   <korrespondansepart><korrespondanseparttype>Mottaker</korrespondanseparttype>
    <korrespondansepartNavn>Kari Nordmann</korrespondansepartNavn>
    <administrativEnhet>Juridisk seksjon</administrativEnhet><saksbehandler>Sara S</saksbehandler>
   </korrespondansepart>
   <journalposttype>U</journalposttype><journalstatus>E</journalstatus>
   <journaldato>2024-02-10</journaldato><sendtDato>2024-02-10T12:00:00</sendtDato>
  </registrering>
  <registrering xsi:type="journalpost"><systemID>jp-3</systemID><opprettetDato>2024-02-12T09:00:00</opprettetDato>
   <tittel>Notat</tittel>
   <journalposttype>X</journalposttype><journalstatus>J</journalstatus>
   <journaldato>2024-02-12</journaldato><sendtDato>2024-02-12T10:00:00</sendtDato>
  </registrering>
  <saksaar>2024</saksaar><sakssekvensnummer>1</sakssekvensnummer><saksdato>2024-02-01</saksdato>
  <administrativEnhet>Byggesak</administrativEnhet><saksansvarlig>Sara S</saksansvarlig>
  <saksstatus>A</saksstatus>
 </mappe></klasse></klassifikasjonssystem></arkivdel></arkiv>
"""
CHANGES = """<?xml version="1.0" encoding="UTF-8"?>
<endringslogg xmlns="http://www.arkivverket.no/standarder/noark5/endringslogg">
 <endring><referanseArkivenhet>case-1</referanseArkivenhet><referanseMetadata>M305</referanseMetadata>
  <endretDato>2024-02-15T11:00:00</endretDato><endretAv>Leder Lund</endretAv>
  <tidligereVerdi>Byggesak</tidligereVerdi><nyVerdi>Plan og miljø</nyVerdi></endring>
 <endring><referanseArkivenhet>jp-2</referanseArkivenhet><referanseMetadata>journalstatus</referanseMetadata>
  <endretDato>2024-02-10T13:00:00</endretDato><endretAv>Sara S</endretAv>
  <tidligereVerdi>F</tidligereVerdi><nyVerdi>E</nyVerdi></endring>
</endringslogg>
"""


def test_noark5_units_follow_journalenhet_then_administrativ_enhet(tmp_path):
    export = tmp_path / "uttrekk"
    export.mkdir()
    (export / "arkivstruktur.xml").write_text(EXPORT, encoding="utf-8")
    (export / "endringslogg.xml").write_text(CHANGES, encoding="utf-8")
    db = tmp_path / "s.duckdb"
    result = invoke(db, "ingest", str(export), "--format", "noark5", "--log", "n5", "--quiet")
    assert result.exit_code == 0, result.output
    rows = query(db, "SELECT activity, unit, attributes->>'journalposttype' FROM events ORDER BY ts_end, event_seq")
    assert rows == [
        ("Sak opprettet", "Byggesak", None),
        ("I mottatt: Søknad", "Postmottak", "I"),              # the journalpost's journalenhet wins
        ("I journalført: Søknad", "Postmottak", "I"),
        ("Dokument tilknyttet", "Postmottak", None),           # a document: its journalpost's unit
        ("U journalført: Vedtak", "Juridisk seksjon", "U"),    # the internal korrespondansepart's unit
        ("U sendt: Vedtak", "Juridisk seksjon", "U"),
        ("Journalstatus endret: Ekspedert", "Juridisk seksjon", None),  # a change: its journalpost's unit
        ("X journalført: Notat", "Byggesak", "X"),             # nothing of its own: the case's unit
        ("X sendt: Notat", "Byggesak", "X"),
        ("Administrativ enhet endret", "Plan og miljø", None),  # the new unit, not in the activity
        ("Sak avsluttet", "Byggesak", None),
    ]
    # nothing of the korrespondansepart but its unit: no name reaches the store
    assert query(db, "SELECT count(*) FROM events WHERE CAST(attributes AS VARCHAR) LIKE '%Kari%'") == [(0,)]


def test_a_generated_export_has_one_unit_per_process_and_i_u_journalposts(tmp_path):
    made = generate_noark5(tmp_path / "uttrekk", cases=60, seed=11)
    truth = json.loads(made.truth_path.read_text(encoding="utf-8"))
    db = tmp_path / "s.duckdb"
    result = invoke(db, "ingest", str(made.folder), "--format", "noark5", "--log", "n5", "--quiet")
    assert result.exit_code == 0, result.output
    assert query(db, "SELECT count(*), count(unit) FROM events") == [(truth["events"], truth["events"])]
    by_unit = {UNITS[k]: n for k, n in truth["cases_by_klasse"].items()}
    assert len(by_unit) == 3
    assert dict(query(db, "SELECT unit, count(DISTINCT case_id) FROM events GROUP BY 1")) == by_unit
    # every event's unit is its case's administrativEnhet (the export gives each case one unit)
    assert query(db, """SELECT count(*) FROM events e JOIN case_attributes a
                        ON a.case_id = e.case_id AND a.name = 'administrativEnhet'
                        WHERE e.unit IS DISTINCT FROM a.value_text""") == [(0,)]
    # journalposts by type, counted in the XML and in the store
    in_xml: collections.Counter = collections.Counter()
    for _, jp in etree.iterparse(str(made.folder / "arkivstruktur.xml"), tag=f"{NS}registrering"):
        if jp.get("{http://www.w3.org/2001/XMLSchema-instance}type") == "journalpost":
            in_xml[jp.findtext(f"{NS}journalposttype")] += 1
    stored = dict(query(db, """SELECT attributes->>'journalposttype', count(DISTINCT (case_id, attributes->>'journalpost'))
                               FROM events WHERE attributes->>'journalposttype' IS NOT NULL GROUP BY 1"""))
    assert stored["I"] == in_xml["Inngående dokument"] > 0
    assert stored["U"] == in_xml["Utgående dokument"] > 0
    assert sum(stored.values()) == sum(in_xml.values())


# --- OCEL ---------------------------------------------------------------------------------------------


def test_ocel_leaves_the_unit_empty_and_refuses_the_flag(tmp_path):
    ocel = {
        "objectTypes": [{"name": "sak", "attributes": []}],
        "eventTypes": [{"name": a, "attributes": [{"name": "unit", "type": "string"}]} for a in ("Mottatt", "Vedtak")],
        "objects": [{"id": "s1", "type": "sak"}],
        "events": [{"id": f"e{i}", "type": a, "time": f"2024-01-0{i + 1}T10:00:00Z",
                    "attributes": [{"name": "unit", "value": "Plan"}], "relationships": [{"objectId": "s1", "qualifier": ""}]}
                   for i, a in enumerate(("Mottatt", "Vedtak"))],
    }
    src = tmp_path / "saker.jsonocel"
    src.write_text(json.dumps(ocel), encoding="utf-8")
    db = tmp_path / "s.duckdb"
    result = invoke(db, "ingest", str(src), "--format", "ocel", "--object-type", "sak", "--log", "o", "--quiet")
    assert result.exit_code == 0, result.output
    # an event attribute called `unit` is not the unit: it is kept under a name of its own
    assert query(db, "SELECT count(*), count(unit), count(attributes->>'unit (source)') FROM events") == [(2, 0, 2)]
    result = invoke(db, "ingest", str(src), "--format", "ocel", "--object-type", "sak", "--log", "p", "--unit", "unit")
    assert result.exit_code == 2 and "--unit does not apply to OCEL" in result.output


# --- an old store ---------------------------------------------------------------------------------------


def test_a_store_written_before_the_unit_opens_migrates_and_keeps_everything_else(tmp_path):
    old = tmp_path / "old.duckdb"
    con = duckdb.connect(str(old))
    con.execute("CREATE TABLE schema_migrations (package VARCHAR NOT NULL, version INTEGER NOT NULL, "
                "description VARCHAR, applied_at TIMESTAMPTZ NOT NULL DEFAULT now())")
    for m in store.migrations():
        if m.package == "extractors" and m.version < 3:
            con.execute(m.sql)
            con.execute("INSERT INTO schema_migrations (package, version, description) VALUES (?, ?, ?)",
                        [m.package, m.version, m.description])
    con.execute("INSERT INTO logs VALUES ('bygg', 'a.csv', 'csv', 'h1', true, now(), now(), '{\"tz\": \"Europe/Oslo\"}')")
    con.execute("""INSERT INTO events SELECT 'bygg', 'sak-' || (range // 4), ['Mottatt', 'Vurdert', 'Vedtak', 'Sendt'][range % 4 + 1],
                   NULL, TIMESTAMPTZ '2023-12-01 08:00:00+00' + INTERVAL (range) HOUR, 'second', range,
                   'ps_' || (range % 3), 'person', NULL, json_object('vedlegg', range % 5) FROM range(40)""")
    con.execute("INSERT INTO case_attributes SELECT 'bygg', 'sak-' || range, 'tiltak', 'text', NULL, 'Tilbygg', "
                "NULL, NULL, NULL FROM range(10)")
    con.execute("INSERT INTO ingest_runs VALUES ('r1', 'bygg', 'a.csv', 'csv', 'h1', 'new', 40, 40, 0, now(), now(), '{}')")
    con.execute("INSERT INTO ingest_rejects VALUES ('r1', 'bygg', 7, 'empty case id')")
    con.execute("INSERT INTO resource_kinds VALUES ('bygg', 'ps_0', 'person', 'default', 14, NULL, 0, 0.1, 0, 0, 0, "
                "0.2, 3.5, 'default')")
    con.close()
    before = tmp_path / "before.duckdb"
    shutil.copy(old, before)

    store.ensure_store(old)

    con = duckdb.connect(str(old), read_only=True)
    try:
        con.execute(f"ATTACH '{before}' AS b (READ_ONLY)")
        assert ("extractors", 3) in set(con.execute("SELECT package, version FROM schema_migrations").fetchall())
        columns = con.execute("SELECT column_name, data_type FROM duckdb_columns() WHERE database_name = 'old' "
                              "AND table_name = 'events' ORDER BY column_index").fetchall()
        assert columns[-1] == ("unit", "VARCHAR") and [c for c, _ in columns] == list(schema.EVENT_COLUMNS)
        assert con.execute("SELECT count(*), count(unit) FROM events").fetchall() == [(40, 0)]
        tables = [t for (t,) in con.execute("SELECT table_name FROM duckdb_tables() WHERE database_name = 'b' "
                                            "ORDER BY 1").fetchall()]
        assert {"events", "case_attributes", "logs", "ingest_runs", "ingest_rejects", "resource_kinds",
                "log_watermarks", "schema_migrations"} <= set(tables)
        for t in tables:
            new = "SELECT * EXCLUDE (unit) FROM old.events" if t == "events" else f"SELECT * FROM old.{t}"
            if t == "schema_migrations":
                new += " WHERE (package, version) IN (SELECT (package, version) FROM b.schema_migrations)"
            for a, z in ((new, f"SELECT * FROM b.{t}"), (f"SELECT * FROM b.{t}", new)):
                assert con.execute(f"SELECT count(*) FROM ({a} EXCEPT ALL {z})").fetchall() == [(0,)], (t, a)
            assert (con.execute(f"SELECT count(*) FROM old.{t}").fetchall()[0][0]
                    >= con.execute(f"SELECT count(*) FROM b.{t}").fetchall()[0][0])
    finally:
        con.close()
    # the migrated store takes new loads; their units are stored beside the old rows' NULLs
    result = invoke(old, "ingest", str(write_table(tmp_path / "ny.csv")), "--log", "ny", "--quiet")
    assert result.exit_code == 0, result.output
    assert query(old, "SELECT log, count(*), count(unit) FROM events GROUP BY 1 ORDER BY 1") == [
        ("bygg", 40, 0), ("ny", 5, 4)]
