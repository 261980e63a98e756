"""Issue 8: the Noark 5 archive-export extractor, on the shared samples and on generated exports."""
from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest
from helpers import ROOT, TEST_KEY, invoke, pseudonym_key, query, require
from lxml import etree

from saksflyt.extractors import noark5, noark5_package, noark5_validate, pseudonym, store
from saksflyt.sample_logs.noark5_cases import STREETS
from saksflyt.sample_logs.noark5_generator import generate_noark5
from saksflyt.extractors.staging import IngestOptions

SHARED_NOARK5 = ROOT.parent / "shared" / "noark5"
XSD_V5 = SHARED_NOARK5 / "xsd" / "noark5" / "v5.0"

pytestmark = pytest.mark.usefixtures("pseudonym_key_env")

# cases and events each loadable sample gives, its schema version and its XSD deviations
SAMPLES = {
    "arkade5/Noark5Archive": (2, 17, "3.1", 0),
    "arkade5/ContentClassificationSystem": (1, 12, "4.0", 0),        # one saksmappe in two arkivdeler
    "arkade5/StructureValidation_custom": (1, 14, "3.1", 0),         # its vsmd.xsd is imported
    "arkade5/Version5_5": (1, 12, "5.0", 24),                        # declared 5.0, shaped like 4.0
    "kdrs-noark5-validator/uttrekk2": (2, 20, "3.1", 2),
    "noark5-tester/noark5": (1, 12, "4.0", 0),
    "noark5-tester/noark5-enkel": (1, 7, "5.0", 0),
    "noark5-tester/noark5-open": (1, 10, "5.0", 11),                 # dateTimes in date fields, open case
}
NOT_EXPORTS = ("arkade5/LogsControl", "standard", "einnsyn")


@pytest.fixture(scope="session")
def shared() -> Path:
    """../shared/noark5 (samples and XSDs): skipped without it on a developer's clone, fatal in CI."""
    require(SHARED_NOARK5.is_dir(), f"{SHARED_NOARK5} (Noark 5 samples and XSDs) is not here")
    return SHARED_NOARK5


# --- the shared samples ---------------------------------------------------------------------------


@pytest.mark.parametrize("sample", sorted(SAMPLES))
def test_every_valid_sample_loads(shared, tmp_path, sample):
    cases, events, version, deviations = SAMPLES[sample]
    db = tmp_path / "s.duckdb"
    result = invoke(db, "ingest", str(shared / sample), "--log", "n5", "--format", "noark5", "--quiet")
    assert result.exit_code == 0, result.stderr
    assert query(db, "SELECT count(DISTINCT case_id), count(*) FROM events") == [(cases, events)]
    (settings, stats), = query(db, "SELECT l.settings, r.stats FROM logs l JOIN ingest_runs r USING (log)")
    settings, stats = json.loads(settings), json.loads(stats)
    assert settings["noark5_version"] == version
    assert settings["validation"] == "full" and stats["xsd_errors"] == deviations
    # no party, address, title or description of the sample reached any column of any table
    assert _leaks(db, names=_sample_secrets(shared / sample), fnrs=set(), ignore_case=False) == []
    # every event sorts the same by (ts_end, event_seq) as by event_seq: day events are placed, not at midnight
    assert query(db, """WITH o AS (SELECT row_number() OVER (PARTITION BY case_id ORDER BY ts_end, event_seq) a,
                                    row_number() OVER (PARTITION BY case_id ORDER BY event_seq) b FROM events)
                        SELECT count(*) FROM o WHERE a <> b""") == [(0,)]


def test_sample_events_follow_the_mapping(shared, tmp_path):
    db = tmp_path / "s.duckdb"
    assert invoke(db, "ingest", str(shared / "arkade5/Noark5Archive"), "--log", "n5", "--quiet").exit_code == 0
    rows = query(db, """SELECT activity, ts_precision, resource_kind,
                               strftime(timezone('Europe/Oslo', ts_end), '%Y-%m-%d %H:%M:%S')
                        FROM events WHERE case_id = '734b493f-c64e-4fc5-a988-56be11e2ee10'
                        ORDER BY ts_end, event_seq""")
    assert [r[0] for r in rows] == [
        "Sak opprettet", "I mottatt: Søknad", "I journalført: Søknad", "Dokument tilknyttet",
        "I avskrevet (Besvart med e-post)", "U journalført: Vedtak", "U sendt: Vedtak", "Dokument tilknyttet",
        "Sak avsluttet"]
    # the date-only journaldato of the same day comes after the timed receipt, at its instant
    assert rows[1][1:] == ("second", "external", "2011-09-09 09:10:00")
    assert rows[2][1:] == ("day", "person", "2011-09-09 09:10:00")
    assert rows[0][1:] == ("day", "person", "2011-09-09 00:00:00")
    attrs = dict(query(db, "SELECT name, coalesce(value_text, value_number::VARCHAR) FROM case_attributes "
                           "WHERE case_id = '734b493f-c64e-4fc5-a988-56be11e2ee10'"))
    assert attrs == {"mappetype": "saksmappe", "saksnummer": "2011/1", "saksaar": "2011.0",
                     "administrativEnhet": "arkivtjenesten", "saksstatus": "Avsluttet"}


def test_samples_that_are_no_export_fail_with_a_clear_message(shared, tmp_path):
    db = tmp_path / "s.duckdb"
    for sample in NOT_EXPORTS:
        result = invoke(db, "ingest", str(shared / sample), "--log", "x", "--format", "noark5")
        assert result.exit_code == 2
        assert "no arkivstruktur.xml here, so this is not a Noark 5 export" in result.stderr
        assert "Traceback" not in result.stderr
    journal = shared / "arkade5/Noark5Archive/loependeJournal.xml"
    result = invoke(db, "ingest", str(journal), "--log", "x", "--format", "noark5")
    assert result.exit_code == 2 and "the root is <loependeJournal>" in result.stderr
    broken = tmp_path / "arkivstruktur.xml"
    text = (shared / "noark5-tester/noark5-enkel/arkivstruktur.xml").read_text(encoding="utf-8")
    broken.write_text(text[: len(text) // 2], encoding="utf-8")
    result = invoke(db, "ingest", str(broken), "--log", "x")
    assert result.exit_code == 2 and "not well-formed XML" in result.stderr and "line " in result.stderr
    assert not db.exists() or query(db, "SELECT count(*) FROM events") == [(0,)]


def test_version_from_arkivuttrekk_else_sniffed(shared):
    def detect(sample: str) -> tuple[str, str]:
        version, source, _raw = noark5_package.detect_version(noark5_package.find_package(shared / sample))
        return version, source

    assert detect("arkade5/Noark5Archive") == ("3.1", "arkivuttrekk.xml")      # declares 3.0
    assert detect("arkade5/Version5_5") == ("5.0", "arkivuttrekk.xml")
    assert detect("noark5-tester/noark5-enkel") == ("5.0", "sniffed")          # part, arkivnotat
    assert detect("noark5-tester/noark5") == ("4.0", "sniffed")                # sakspart, opaque ids


def test_validation_sampled_above_the_limit_and_skipped_without_schemas(shared, monkeypatch):
    con = store.memory()
    staged = noark5.stage_noark5(con, shared / "arkade5/Version5_5", options=IngestOptions(), content_hash="x",
                                 full_validation_bytes=0)
    assert staged.settings["validation"] == "sample" and "sample of cases" in staged.settings["validation_note"]
    assert staged.stats["xsd_sampled"] == 1 and staged.stats["xsd_cases_validated"] == 1
    # only the case is checked: its systemIDs are not UUIDs, the ids outside it are not looked at
    assert 0 < staged.stats["xsd_errors"] < SAMPLES["arkade5/Version5_5"][3]
    con.close()
    monkeypatch.setattr(noark5_validate, "shared_xsd_root", lambda: Path("/nonexistent"))
    monkeypatch.delenv("SAKSFLYT_NOARK5_XSD", raising=False)
    con = store.memory()
    staged = noark5.stage_noark5(con, shared / "noark5-tester/noark5-enkel", options=IngestOptions(),
                                 content_hash="x")
    assert staged.settings["validation"] == "skipped" and "XSD validation skipped" in staged.settings["validation_note"]
    assert staged.stats["xsd_skipped"] == 1 and staged.rows_read == SAMPLES["noark5-tester/noark5-enkel"][1]
    con.close()


# --- timestamps, ordering and the change log on a hand-made export ----------------------------------

TINY = """<?xml version="1.0" encoding="UTF-8"?>
<arkiv xmlns="http://www.arkivverket.no/standarder/noark5/arkivstruktur"
       xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
 <systemID>a</systemID><arkivdel><systemID>b</systemID>
 <klassifikasjonssystem><systemID>c</systemID><klassifikasjonstype>PNR</klassifikasjonstype>
 <klasse><systemID>d</systemID><klasseID>{fnr}</klasseID><tittel>Kari Nordmann</tittel>
 <mappe xsi:type="saksmappe"><systemID>case-1</systemID><mappeID>2021/7</mappeID><tittel>Kari Nordmann søker</tittel>
  <opprettetDato>2021-03-26T08:00:00</opprettetDato><avsluttetDato>2021-03-29T14:00:00+02:00</avsluttetDato>
  <avsluttetAv>Leder Lund</avsluttetAv>
  <part><partID>{fnr}</partID><partNavn>Kari Nordmann</partNavn><partRolle>Søker</partRolle></part>
  <registrering xsi:type="journalpost"><systemID>jp-1</systemID><opprettetDato>2021-03-26T09:00:00</opprettetDato>
   <tittel>Søknad fra Kari Nordmann</tittel>
   <korrespondansepart><korrespondanseparttype>Avsender</korrespondanseparttype>
    <korrespondansepartNavn>Kari Nordmann</korrespondansepartNavn><saksbehandler>Sara Saksbehandler</saksbehandler>
   </korrespondansepart>
   <journalposttype>I</journalposttype><journalstatus>J</journalstatus><journaldato>2021-03-26</journaldato>
   <mottattDato>2021-03-26T10:15:00</mottattDato>
   <avskrivning><avskrivningsdato>2021-03-28Z</avskrivningsdato><avskrevetAv>Sara Saksbehandler</avskrevetAv>
    <avskrivningsmaate>BU</avskrivningsmaate><referanseAvskrivesAvJournalpost>jp-2</referanseAvskrivesAvJournalpost>
   </avskrivning>
  </registrering>
  <registrering xsi:type="journalpost"><systemID>jp-2</systemID><opprettetDato>2021-03-28T01:00:00</opprettetDato>
   <tittel>Vedtak til Kari Nordmann</tittel>
   <korrespondansepart><korrespondanseparttype>Mottaker</korrespondanseparttype>
    <korrespondansepartNavn>Kari Nordmann</korrespondansepartNavn><saksbehandler>Sara Saksbehandler</saksbehandler>
   </korrespondansepart>
   <journalposttype>Utgående dokument</journalposttype><journalstatus>Ekspedert</journalstatus>
   <journaldato>2021-03-28</journaldato><sendtDato>2021-03-28T02:30:00</sendtDato>
   <dokumentflyt><flytTil>Leder Lund</flytTil><flytFra>Sara Saksbehandler</flytFra>
    <flytMottattDato>2021-03-28T01:10:00</flytMottattDato><flytSendtDato>2021-03-28T00:50:00Z</flytSendtDato>
    <flytStatus>G</flytStatus></dokumentflyt>
  </registrering>
  <saksaar>2021</saksaar><sakssekvensnummer>7</sakssekvensnummer><saksdato>2021-03-26</saksdato>
  <administrativEnhet>Tildeling</administrativEnhet><saksansvarlig>Sara Saksbehandler</saksansvarlig>
  <saksstatus>A</saksstatus>
 </mappe></klasse></klassifikasjonssystem></arkivdel></arkiv>
"""
TINY_LOG = """<?xml version="1.0" encoding="UTF-8"?>
<endringslogg xmlns="http://www.arkivverket.no/standarder/noark5/endringslogg">
 <endring><referanseArkivenhet>case-1</referanseArkivenhet><referanseMetadata>M052</referanseMetadata>
  <endretDato>2021-03-26T11:00:00</endretDato><endretAv>Sara Saksbehandler</endretAv>
  <tidligereVerdi>R</tidligereVerdi><nyVerdi>B</nyVerdi></endring>
 <endring><referanseArkivenhet>jp-2</referanseArkivenhet><referanseMetadata>journalstatus</referanseMetadata>
  <endretDato>2021-03-28T03:40:00</endretDato><endretAv>Sara Saksbehandler</endretAv>
  <tidligereVerdi>F</tidligereVerdi><nyVerdi>E</nyVerdi></endring>
 <endring><referanseArkivenhet>case-1</referanseArkivenhet><referanseMetadata>tittel</referanseMetadata>
  <endretDato>2021-03-27T11:00:00</endretDato><endretAv>Sara Saksbehandler</endretAv>
  <tidligereVerdi>Kari Nordmann søker</tidligereVerdi><nyVerdi>Kari Nordmann søker lån</nyVerdi></endring>
 <endring><referanseArkivenhet>unknown</referanseArkivenhet><referanseMetadata>saksstatus</referanseMetadata>
  <endretDato>2021-03-27T11:00:00</endretDato><endretAv>X</endretAv>
  <tidligereVerdi>B</tidligereVerdi><nyVerdi>A</nyVerdi></endring>
</endringslogg>
"""


def test_dates_times_dst_and_change_log(tmp_path):
    fnr = next(f"0101851{i:04d}" for i in range(10_000) if pseudonym.is_fodselsnummer(f"0101851{i:04d}"))
    export = tmp_path / "uttrekk"
    export.mkdir()
    (export / "arkivstruktur.xml").write_text(TINY.format(fnr=fnr), encoding="utf-8")
    (export / "endringslogg.xml").write_text(TINY_LOG, encoding="utf-8")
    db = tmp_path / "s.duckdb"
    result = invoke(db, "ingest", str(export), "--log", "t", "--quiet")
    assert result.exit_code == 0, result.stderr
    rows = query(db, """SELECT activity, ts_precision, strftime(ts_end, '%Y-%m-%d %H:%M:%S') FROM events
                        ORDER BY ts_end, event_seq""")
    assert rows == [
        ("Sak opprettet", "day", "2021-03-25 23:00:00"),                  # local midnight, CET
        ("I mottatt: Søknad", "second", "2021-03-26 09:15:00"),
        ("I journalført: Søknad", "day", "2021-03-26 09:15:00"),          # after the same-day receipt
        ("Saksstatus endret: Under behandling", "second", "2021-03-26 10:00:00"),  # code B, from M052
        ("U journalført: Vedtak", "day", "2021-03-27 23:00:00"),          # before its approval flow
        ("Til godkjenning", "second", "2021-03-28 00:10:00"),
        ("Godkjent", "second", "2021-03-28 00:50:00"),                    # Z honoured; code G
        ("U sendt: Vedtak", "second", "2021-03-28 01:30:00"),             # 02:30 does not exist: 03:30 CEST
        ("I avskrevet (Besvart med brev)", "day", "2021-03-28 01:30:00"),  # zoned date; BU
        ("Journalstatus endret: Ekspedert", "second", "2021-03-28 01:40:00"),  # via the journalpost's id
        ("Sak avsluttet", "second", "2021-03-29 12:00:00"),               # +02:00 honoured
    ]
    (stats,), = query(db, "SELECT stats FROM ingest_runs")
    stats = json.loads(stats)
    assert stats["dst_nonexistent_shifted"] == 1
    assert (stats["endringslogg_changes_merged"], stats["endringslogg_changes_unmatched"],
            stats["endringslogg_other_fields"]) == (2, 1, 1)
    assert query(db, "SELECT resource_kind FROM events WHERE activity LIKE 'I mottatt%'") == [("external",)]
    assert query(db, "SELECT attributes->>'svar_journalpost' FROM events WHERE activity LIKE 'I avskrevet%'") \
        == [("2",)]
    (klasse,), = query(db, "SELECT value_text FROM case_attributes WHERE name = 'klasse'")
    assert klasse == pseudonym.pseudonym(fnr, key=b"testkey", prefix=pseudonym.FNR_PREFIX)
    assert not _leaks(db, names=["Kari Nordmann", "Sara Saksbehandler", "Leder Lund", "søker"], fnrs={fnr})
    # the scan does find what is there: without pseudonymisation employees and the PNR klasse show
    raw = tmp_path / "raw.duckdb"
    assert invoke(raw, "ingest", str(export), "--log", "t", "--no-pseudonymise", "--quiet").exit_code == 0
    leaks = _leaks(raw, names=["Kari Nordmann", "Sara Saksbehandler"], fnrs={fnr})
    assert any("Sara Saksbehandler" in x for x in leaks) and any(fnr in x for x in leaks)
    assert not any("Kari Nordmann" in x for x in leaks)


# --- the generated export -----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def generated(tmp_path_factory) -> tuple[Path, dict]:
    folder = tmp_path_factory.mktemp("n5gen") / "uttrekk"
    made = generate_noark5(folder, cases=300, seed=11)
    return folder, json.loads(made.truth_path.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def loaded(generated, tmp_path_factory) -> Path:
    folder, _ = generated
    db = tmp_path_factory.mktemp("n5store") / "s.duckdb"
    with pseudonym_key():
        noark5.ingest_noark5(folder, store_path=db, log_name="byggesak")
    return db


def test_generated_export_is_schema_valid(shared, generated):
    folder, truth = generated
    for name in ("arkivstruktur", "endringslogg"):
        schema = etree.XMLSchema(etree.parse(str(XSD_V5 / f"{name}.xsd")))
        assert schema.validate(etree.parse(str(folder / f"{name}.xml"))), list(schema.error_log)[:3]
    assert truth["cases"] == 300 and truth["noark5_version"] == "5.0"
    assert {"L42", "L12", "PNR"} <= set(truth["cases_by_klasse"])


def test_generated_export_loads_with_the_truths_counts(shared, generated, loaded):
    _, truth = generated
    assert query(loaded, "SELECT count(DISTINCT case_id), count(*) FROM events") == [(truth["cases"], truth["events"])]
    assert dict(query(loaded, "SELECT activity, count(*) FROM events GROUP BY 1")) == truth["activities"]
    assert dict(query(loaded, "SELECT case_id, count(*) FROM events GROUP BY 1")) == truth["case_events"]
    assert query(loaded, "SELECT count(*) FROM events WHERE ts_precision = 'day'") == [(truth["day_precision_events"],)]
    (settings, stats), = query(loaded, "SELECT l.settings, r.stats FROM logs l JOIN ingest_runs r USING (log)")
    assert json.loads(settings)["validation"] == "full" and json.loads(stats)["xsd_errors"] == 0
    kinds = dict(query(loaded, "SELECT name, kind FROM case_attributes GROUP BY ALL"))
    assert kinds == {"klasse": "text", "administrativEnhet": "text", "saksstatus": "text", "mappetype": "text",
                     "saksnummer": "text", "saksaar": "number"}
    # a document's life cycle is never out of order, day-precision steps included
    for first, then in (("I mottatt", "I journalført"), ("Til godkjenning", "Godkjent"), ("U journalført", "U sendt"),
                        ("Godkjent", "U sendt"), ("U sendt", "Journalstatus endret: Ekspedert"),
                        ("I journalført", "I avskrevet")):
        assert query(loaded, f"""
            WITH o AS (SELECT case_id, activity, attributes->>'journalpost' AS jp,
                              row_number() OVER (PARTITION BY case_id ORDER BY ts_end, event_seq) AS r FROM events)
            SELECT count(*) FROM o a JOIN o b ON a.case_id = b.case_id AND a.jp = b.jp
            WHERE a.activity LIKE '{first}%' AND b.activity LIKE '{then}%' AND b.r < a.r""") == [(0,)], (first, then)


SECRET_FIELDS = {"korrespondansepartNavn", "partNavn", "sakspartNavn", "partID", "sakspartID", "tittel",
                 "offentligTittel", "beskrivelse", "merknadstekst", "postadresse", "epostadresse", "kontaktperson",
                 "telefonnummer", "flytMerknad", "tidligereVerdi", "nyVerdi", "moetedeltakerNavn"}


def _sample_secrets(folder: Path) -> list[str]:
    """Texts of a sample that must never be stored: parties, addresses, titles, descriptions, remarks."""
    out = set()
    for xml in folder.glob("*.xml"):
        for elem in etree.parse(str(xml)).iter():
            if isinstance(elem.tag, str) and etree.QName(elem).localname in SECRET_FIELDS and elem.text:
                text = elem.text.strip()
                if len(text) >= 4 and text != "NULL":
                    out.add(text)
    return sorted(out)


def _leaks(db: Path, *, names: list[str], fnrs: set[str], ignore_case: bool = True) -> list[str]:
    """Every VARCHAR and JSON value of every table that contains one of `names` or a raw fødselsnummer."""
    alternatives = "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True))
    pattern = re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)", re.IGNORECASE if ignore_case else 0)
    found = []
    con = duckdb.connect(str(db), read_only=True)
    try:
        cols = con.execute("SELECT table_name, column_name FROM duckdb_columns() WHERE NOT internal "
                           "AND (data_type = 'VARCHAR' OR data_type = 'JSON')").fetchall()
        for table, column in cols:
            for (value,) in con.execute(f'SELECT DISTINCT "{column}"::VARCHAR FROM "{table}" '
                                        f'WHERE "{column}" IS NOT NULL').fetchall():
                if pattern.search(value) or any(f in value for f in fnrs) or pseudonym.fnr_candidates(value):
                    found.append(f"{table}.{column}: {value[:80]}")
    finally:
        con.close()
    return found


def test_store_holds_no_party_title_or_fodselsnummer(shared, generated, loaded):
    _, truth = generated
    secrets = truth["secrets"]
    assert secrets["fodselsnumre"] and secrets["korrespondansepart_names"] and secrets["titles"]
    names = (secrets["korrespondansepart_names"] + secrets["part_names"] + secrets["employees"] + secrets["titles"]
             + list(STREETS))
    assert _leaks(loaded, names=names, fnrs=set(secrets["fodselsnumre"])) == []
    # …and the PNR classification is there, pseudonymised
    assert query(loaded, "SELECT count(*) FROM case_attributes WHERE name = 'klasse' AND value_text LIKE 'fnr_%'") \
        == [(truth["cases_by_klasse"]["PNR"],)]


def test_split_by_klasse_gives_one_log_per_process_type(shared, generated, tmp_path):
    folder, truth = generated
    db = tmp_path / "s.duckdb"
    result = invoke(db, "ingest", str(folder), "--log", "n5", "--split-by", "klasse", "--quiet")
    assert result.exit_code == 0, result.stderr
    logs = dict(query(db, "SELECT log, count(DISTINCT case_id) FROM events GROUP BY 1"))
    assert logs["n5-L42"] == truth["cases_by_klasse"]["L42"] and logs["n5-L12"] == truth["cases_by_klasse"]["L12"]
    pnr = {k: v for k, v in logs.items() if k.startswith("n5-fnr_")}
    assert sum(pnr.values()) == truth["cases_by_klasse"]["PNR"]
    assert sum(logs.values()) == truth["cases"]
    again = invoke(db, "ingest", str(folder), "--log", "n5", "--split-by", "klasse")
    assert again.exit_code == 0 and " ".join(again.stderr.split()).count("already loaded") == len(logs)
    bad = invoke(db, "ingest", str(folder), "--log", "n5", "--split-by", "tittel")
    assert bad.exit_code == 2 and "--split-by needs a case attribute" in bad.stderr


# --- memory -----------------------------------------------------------------------------------------

_MEASURE = """
import resource, sys
from pathlib import Path
from saksflyt.extractors import noark5, noark5_parse
peak = lambda: resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024
noark5_parse.ArkivstrukturReader(Path(sys.argv[1]) / "arkivstruktur.xml", sink=lambda name, batch: None).run()
print(peak())
noark5.ingest_noark5(sys.argv[1], store_path=sys.argv[2], log_name="m", validate="sample")
print(peak())
"""


def _peaks_mb(folder: Path, db: Path) -> tuple[int, int]:
    """Peak RSS of a fresh process after streaming the parse alone, then after the whole load."""
    out = subprocess.run([sys.executable, "-c", _MEASURE, str(folder), str(db)], check=True, cwd=ROOT,
                         capture_output=True, text=True, env={**os.environ, "SAKSFLYT_PSEUDONYM_KEY": TEST_KEY})
    parse_peak, load_peak = (int(v) for v in out.stdout.split()[-2:])
    return parse_peak, load_peak


def test_memory_stays_flat_on_a_ten_times_larger_export(tmp_path):
    small = generate_noark5(tmp_path / "small", cases=150, seed=5)
    large = generate_noark5(tmp_path / "large", cases=1500, seed=5)
    assert large.bytes > 9 * small.bytes
    parse_small, load_small = _peaks_mb(small.folder, tmp_path / "small.duckdb")
    parse_large, load_large = _peaks_mb(large.folder, tmp_path / "large.duckdb")
    # the streaming parse holds one case folder at a time: no growth worth the name
    assert parse_large < parse_small * 1.25, (parse_small, parse_large)
    # the whole load also keeps the events themselves in DuckDB (about 1 KB each while staging), yet grows
    # nowhere near tenfold; an lxml tree of the file would grow by about six times the file's size
    assert load_large < load_small * 2, (load_small, load_large)
