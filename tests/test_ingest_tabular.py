"""Issue 2: the event store and tabular ingest, through the real CLI and real DuckDB files."""
from __future__ import annotations

import hashlib
import os
import signal
import subprocess
import sys
import time
from datetime import datetime, timezone
from pathlib import Path

import duckdb
import pytest
from click.testing import CliRunner
from helpers import SAMPLES, query, run

from saksflyt.app.cli import main
from saksflyt.extractors import pseudonym

PSEUDONYM_KEY = "test-key-not-secret"   # the key pseudonym_key_env sets; the subprocess below gets it too

pytestmark = pytest.mark.usefixtures("pseudonym_key_env")


def store_fingerprint(store: Path) -> tuple:
    """Counts and a content hash of every table: 'the store unchanged' means this is equal."""
    if not store.exists():
        return ()
    con = duckdb.connect(str(store), read_only=True)
    try:
        tables = sorted(r[0] for r in con.execute("SELECT table_name FROM duckdb_tables()").fetchall())
        out = []
        for t in tables:
            rows = con.execute(f'SELECT * FROM "{t}" ORDER BY ALL').fetchall()
            out.append((t, len(rows), hashlib.sha256(repr(rows).encode()).hexdigest()))
        return tuple(out)
    finally:
        con.close()


def fnr(day: int, month: int, year2: int, individual: int) -> str:
    """A valid fødselsnummer (both mod-11 check digits) for tests."""
    base = [int(c) for c in f"{day:02d}{month:02d}{year2:02d}{individual:03d}"]
    k1 = 11 - sum(d * w for d, w in zip(base, (3, 7, 6, 1, 8, 9, 4, 5, 2))) % 11
    k1 = 0 if k1 == 11 else k1
    k2 = 11 - sum(d * w for d, w in zip(base + [k1], (5, 4, 3, 2, 7, 6, 5, 4, 3, 2))) % 11
    k2 = 0 if k2 == 11 else k2
    if k1 == 10 or k2 == 10:
        return fnr(day, month, year2, individual + 1)
    return "".join(map(str, base + [k1, k2]))


# --- real logs ---------------------------------------------------------------------------------


def test_receipt_csv_loads_with_the_counts_of_sources_md(tmp_path):
    store = tmp_path / "s.duckdb"
    code, _, err = run(store, "ingest", str(SAMPLES / "receipt.csv"), "--log", "receipt", "--quiet")
    assert code == 0, err
    cases, events, activities, first, last = query(
        store, "SELECT count(DISTINCT case_id), count(*), count(DISTINCT activity), min(ts_end), max(ts_end) "
               "FROM events WHERE log = 'receipt'")[0]
    assert (cases, events, activities) == (1434, 8577, 27)
    variants = query(store, "SELECT count(DISTINCT v) FROM (SELECT string_agg(activity, '|' ORDER BY ts_end, "
                            "event_seq) v FROM events GROUP BY case_id)")[0][0]
    assert variants == 116
    assert first.astimezone(timezone.utc).strftime("%Y-%m-%d %H:%M") == "2010-10-02 07:20"
    assert last.astimezone(timezone.utc).strftime("%Y-%m-%d %H:%M") == "2012-01-23 14:42"
    # case:-prefixed columns are typed case attributes; empty cells are absent, not empty strings
    kinds = dict(query(store, "SELECT name, any_value(kind) FROM case_attributes GROUP BY name"))
    assert kinds["enddate"] == "time" and kinds["channel"] == "text"
    assert query(store, "SELECT count(*) FROM case_attributes WHERE name = 'enddate'")[0][0] == 1434 - 105
    # resources are pseudonymised, 48 people stay 48 pseudonyms
    assert query(store, "SELECT count(DISTINCT resource), bool_and(resource LIKE 'ps_%') FROM events")[0] == (48, True)


def test_same_file_again_is_a_noop_and_says_so(tmp_path):
    store = tmp_path / "s.duckdb"
    assert run(store, "ingest", str(SAMPLES / "receipt.csv"), "--log", "r", "--quiet")[0] == 0
    before = store_fingerprint(store)
    code, _, err = run(store, "ingest", str(SAMPLES / "receipt.csv"), "--log", "r", "--quiet")
    assert code == 0 and "already loaded" in err
    assert store_fingerprint(store) == before


# --- Norwegian CSV -----------------------------------------------------------------------------

NORWEGIAN = """saksnr;aktivitet;tidspunkt;saksbehandler;beløp;kategori
2024/001;Søknad mottatt;2024-03-30T10:00:00+01:00;Åse Øvrebø;1.234,50;bolig
2024/001;Vurdere søknad;31.03.2024 02:30;Åse Øvrebø;1.234,50;bolig
2024/001;Vedtak fattet;2024-04-02T09:15:00+02:00;Per Ås;1.234,50;bolig
2024/002;Søknad mottatt;27.10.2024 02:30;Per Ås;99,9;næring
2024/002;Vurdere søknad;27.10.2024 03:30;Per Ås;99,9;næring
2024/002;Vedtak fattet;31.12.2024;Per Ås;99,9;næring
"""


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp1252"])
def test_norwegian_csv_gives_the_right_utc_instants(tmp_path, encoding):
    path = tmp_path / "saker.csv"
    path.write_bytes(NORWEGIAN.encode(encoding))
    store = tmp_path / "s.duckdb"
    code, _, err = run(store, "ingest", str(path), "--log", "byggesak", "--quiet")
    assert code == 0, err
    rows = query(store, "SELECT case_id, activity, ts_end, ts_precision FROM events ORDER BY event_seq")
    utc = [(r[0], r[1], r[2].astimezone(timezone.utc).replace(tzinfo=None), r[3]) for r in rows]
    assert utc == [
        ("2024/001", "Søknad mottatt", datetime(2024, 3, 30, 9, 0), "second"),
        # 02:30 does not exist on 31 March: shifted forward to 03:30 CEST
        ("2024/001", "Vurdere søknad", datetime(2024, 3, 31, 1, 30), "second"),
        ("2024/001", "Vedtak fattet", datetime(2024, 4, 2, 7, 15), "second"),
        # 02:30 happens twice on 27 October: the first (CEST) is taken
        ("2024/002", "Søknad mottatt", datetime(2024, 10, 27, 0, 30), "second"),
        ("2024/002", "Vurdere søknad", datetime(2024, 10, 27, 2, 30), "second"),
        # a date is not midnight: stored at local midnight with day precision
        ("2024/002", "Vedtak fattet", datetime(2024, 12, 30, 23, 0), "day"),
    ]
    stats = query(store, "SELECT stats FROM ingest_runs")[0][0]
    assert '"dst_nonexistent_shifted": 1' in stats and '"dst_ambiguous_first": 1' in stats
    # decimal commas become numbers, æøå survive, a column constant per case is a case attribute
    attrs = dict(query(store, "SELECT case_id || '/' || name, coalesce(value_number::VARCHAR, value_text) "
                              "FROM case_attributes"))
    assert attrs["2024/001/beløp"] == "1234.5" and attrs["2024/002/beløp"] == "99.9"
    assert attrs["2024/002/kategori"] == "næring"


def test_excel_and_parquet_load_like_csv(tmp_path):
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    for line in NORWEGIAN.strip().splitlines():
        sheet.append(line.split(";"))
    sheet["C3"] = datetime(2024, 3, 31, 2, 30)  # a real Excel date cell, local time
    book.save(tmp_path / "saker.xlsx")
    csv_path = tmp_path / "saker.csv"
    csv_path.write_text(NORWEGIAN, encoding="utf-8")
    con = duckdb.connect()
    con.execute(f"COPY (SELECT * FROM read_csv('{csv_path}', delim=';', all_varchar=true)) "
                f"TO '{tmp_path / 'saker.parquet'}' (FORMAT parquet)")
    con.close()
    store = tmp_path / "s.duckdb"
    for name in ("saker.csv", "saker.xlsx", "saker.parquet"):
        code, _, err = run(store, "ingest", str(tmp_path / name), "--log", name.split(".")[1], "--quiet")
        assert code == 0, err
    per_log = query(store, "SELECT log, list(epoch(ts_end)::BIGINT ORDER BY event_seq), count(DISTINCT case_id) "
                           "FROM events GROUP BY log ORDER BY log")
    assert [r[0] for r in per_log] == ["csv", "parquet", "xlsx"]
    assert per_log[0][1] == per_log[1][1] == per_log[2][1]
    assert all(r[2] == 2 for r in per_log)


# --- bad input -----------------------------------------------------------------------------------


@pytest.fixture()
def loaded_store(tmp_path):
    store = tmp_path / "s.duckdb"
    assert run(store, "ingest", str(SAMPLES / "receipt.csv"), "--log", "receipt", "--quiet")[0] == 0
    return store


def _bad_files(tmp_path: Path) -> dict[str, tuple[Path, str]]:
    missing = tmp_path / "missing_column.csv"
    missing.write_text("saksnr;tidspunkt\n1;2024-01-01T10:00:00+01:00\n", encoding="utf-8")
    fake = tmp_path / "really_parquet.csv"
    fake.write_bytes(b"PAR1" + b"\x00" * 100)
    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"")
    not_excel = tmp_path / "not_excel.xlsx"
    not_excel.write_text("saksnr;aktivitet\n", encoding="utf-8")
    undecodable = tmp_path / "bad_encoding.csv"
    undecodable.write_bytes("saksnr;aktivitet;tidspunkt\n1;Søknad;2024-01-01\n".encode("utf-8")[:20] + b"\x81\x8d\xff\xfe")
    header_only = tmp_path / "header_only.csv"
    header_only.write_text("saksnr;aktivitet;tidspunkt\n", encoding="utf-8")
    return {
        "missing column": (missing, "no activity column found"),
        "wrong extension": (fake, "not a csv file"),
        "empty": (empty, "the file is empty"),
        "not excel": (not_excel, "not a excel file"),
        "encoding": (undecodable, "unreadable encoding"),
        "header only": (header_only, "no rows"),
    }


@pytest.mark.parametrize("case", ["missing column", "wrong extension", "empty", "not excel", "encoding",
                                  "header only"])
def test_bad_input_exits_2_with_one_line_and_leaves_the_store_unchanged(tmp_path, loaded_store, case):
    path, message = _bad_files(tmp_path)[case]
    before = store_fingerprint(loaded_store)
    code, out, err = run(loaded_store, "ingest", str(path), "--log", "other", "--quiet")
    assert code == 2
    lines = err.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in err
    assert str(path) in lines[0] and message in lines[0]
    assert store_fingerprint(loaded_store) == before


def test_bad_rows_are_rejected_counted_and_listed_by_row_number(tmp_path):
    path = tmp_path / "rows.csv"
    path.write_text(
        "saksnr;aktivitet;tidspunkt;fnr_notat\n"
        "1;A;2024-01-01T10:00:00+01:00;x\n"
        "1;B;not a date;x\n"
        ";C;2024-01-01T11:00:00+01:00;x\n"
        "2;;2024-01-01T12:00:00+01:00;x\n"
        "2;D;2024-01-02T12:00:00+01:00;x\n", encoding="utf-8")
    store = tmp_path / "s.duckdb"
    code, _, err = run(store, "ingest", str(path), "--log", "l", "--quiet")
    assert code == 0
    assert "2 events in 2 cases stored" in err and "3 rejected" in err
    assert "rejected row 2: unparseable timestamp in column 'tidspunkt'" in err
    assert "rejected row 3: empty case id" in err and "rejected row 4: empty activity" in err
    assert "not a date" not in err  # messages never show row content
    assert query(store, "SELECT row_number, reason FROM ingest_rejects ORDER BY 1")[0] == (
        2, "unparseable timestamp in column 'tidspunkt'")
    quality = CliRunner().invoke(main, ["--store", str(store), "logs", "--quality", "l", "--json"])
    assert '"rows_rejected": 3' in quality.stdout
    # --strict turns any rejected row into a failure that changes nothing
    before = store_fingerprint(store)
    code, _, err = run(store, "ingest", str(path), "--log", "strict", "--strict", "--quiet")
    assert code == 2 and "row 2" in err and "--strict" in err
    assert store_fingerprint(store) == before


def test_another_file_under_an_existing_name_needs_replace_or_append(tmp_path):
    store = tmp_path / "s.duckdb"
    first = tmp_path / "a.csv"
    first.write_text("saksnr;aktivitet;tidspunkt\n1;A;2024-01-01T10:00:00+01:00\n1;B;2024-01-01T11:00:00+01:00\n")
    second = tmp_path / "b.csv"
    second.write_text("saksnr;aktivitet;tidspunkt\n1;B;2024-01-01T11:00:00+01:00\n2;A;2024-01-02T10:00:00+01:00\n")
    assert run(store, "ingest", str(first), "--log", "l", "--quiet")[0] == 0
    before = store_fingerprint(store)
    code, _, err = run(store, "ingest", str(second), "--log", "l", "--quiet")
    assert code == 2 and "--replace" in err and store_fingerprint(store) == before
    code, _, err = run(store, "ingest", str(second), "--log", "l", "--append", "--quiet")
    assert code == 0
    # the exact duplicate (case 1, B, same instant) is dropped; file order continues after the stored rows
    assert query(store, "SELECT case_id, activity, event_seq FROM events ORDER BY event_seq") == [
        ("1", "A", 0), ("1", "B", 1), ("2", "A", 3)]
    assert query(store, "SELECT stats->>'duplicates_dropped' FROM ingest_runs WHERE mode = 'append'")[0][0] == "1"
    code, _, _ = run(store, "ingest", str(second), "--log", "l", "--replace", "--quiet")
    assert code == 0
    assert query(store, "SELECT case_id, activity FROM events ORDER BY event_seq") == [("1", "B"), ("2", "A")]


def test_replace_is_atomic_when_the_process_is_killed(tmp_path):
    store = tmp_path / "s.duckdb"
    assert run(store, "ingest", str(SAMPLES / "receipt.csv"), "--log", "l", "--quiet")[0] == 0
    big = tmp_path / "big.csv"
    con = duckdb.connect()
    con.execute(f"""COPY (SELECT 'c' || (i // 8) AS saksnr, 'A' || (i % 9) AS aktivitet,
                  strftime(TIMESTAMP '2024-01-01' + to_seconds(i * 60), '%Y-%m-%dT%H:%M:%S') || '+01:00' AS tidspunkt
                  FROM range(600000) t(i)) TO '{big}' (DELIMITER ';', HEADER)""")
    con.close()
    env = {**os.environ, "SAKSFLYT_PSEUDONYM_KEY": PSEUDONYM_KEY}
    outcomes = set()
    for delay in (0.8, 1.6, 2.4):
        proc = subprocess.Popen([sys.executable, "-m", "saksflyt", "--store", str(store), "ingest", str(big), "--log", "l",
                                 "--replace", "--quiet"], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(delay)
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        events, cases = query(store, "SELECT count(*), count(DISTINCT case_id) FROM events WHERE log = 'l'")[0]
        # all of the old log or all of the new one, never a mixture
        assert (events, cases) in {(8577, 1434), (600000, 75000)}
        outcomes.add(events)
    assert 8577 in outcomes


def test_no_raw_fodselsnummer_or_name_remains_anywhere_in_the_store(tmp_path):
    numbers = [fnr(1, 2, 85, 123), fnr(24, 12, 90, 456), fnr(41, 1, 77, 234)]  # the last is a D-number
    assert all(pseudonym.is_fodselsnummer(n) for n in numbers)
    names = ["Kari Nordmann", "Ola Åsheim", "Nils Øberg"]
    lines = ["saksnr;aktivitet;tidspunkt;saksbehandler;søker_navn;merknad;referanse"]
    for i, (n, name) in enumerate(zip(numbers, names)):
        lines.append(f"{n};Søknad mottatt;2024-01-0{i + 1}T10:00:00+01:00;{names[(i + 1) % 3]};{name};"
                     f"Ringte {name} om søknaden, fnr {n}, lang merknad med mye tekst {i};ref {n}")
        lines.append(f"{n};Vedtak fattet;2024-01-1{i + 1}T10:00:00+01:00;{names[(i + 2) % 3]};{name};"
                     f"Vedtak sendt til {name} etter vurdering av saken nummer {i};ref {n}")
    path = tmp_path / "personer.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    store = tmp_path / "s.duckdb"
    code, _, err = run(store, "ingest", str(path), "--log", "p", "--quiet")
    assert code == 0, err
    assert "merknad" in err  # the free-text column was dropped and the report says so
    con = duckdb.connect(str(store), read_only=True)
    found = []
    for table, column in con.execute("SELECT table_name, column_name FROM duckdb_columns() "
                                     "WHERE data_type IN ('VARCHAR', 'JSON') AND NOT internal AND schema_name = 'main'").fetchall():
        for (value,) in con.execute(f'SELECT DISTINCT "{column}"::VARCHAR FROM "{table}"').fetchall():
            text = str(value)
            found += [(table, column) for secret in numbers + names + ["Kari", "Åsheim", "Øberg"] if secret in text]
    con.close()
    assert found == []
    # cases keyed by a fødselsnummer stay distinct, under a stable pseudonym
    ids = [r[0] for r in query(store, "SELECT DISTINCT case_id FROM events ORDER BY 1")]
    assert len(ids) == 3 and all(i.startswith("fnr_") for i in ids)
    assert query(store, "SELECT stats->>'fodselsnummer_pseudonymised' FROM ingest_runs")[0][0] == str(6 + 6)  # case ids and referanse (the dropped notes are never stored)


def test_drop_removes_the_log_and_its_data_leaves_the_file(tmp_path):
    store = tmp_path / "s.duckdb"
    assert run(store, "ingest", str(SAMPLES / "receipt.csv"), "--log", "r", "--quiet")[0] == 0
    code, _, err = run(store, "drop", "--log", "r")
    assert code == 0 and "8,577 events" in err
    assert query(store, "SELECT count(*) FROM events")[0][0] == 0
    assert b"case-10011" not in store.read_bytes()
    code, _, err = run(store, "drop", "--log", "r")
    assert code == 2 and "no log named 'r'" in err


def test_resource_kind_is_decided_before_names_are_hashed(tmp_path):
    path = tmp_path / "kinds.csv"
    path.write_text(
        "saksnr;aktivitet;start;slutt;ressurs\n"
        "1;Registrere;2024-01-02T09:00:00+01:00;2024-01-02T09:10:00+01:00;Kari Nordmann\n"
        "1;Journalføre;;2024-01-02T09:11:00+01:00;System\n"
        "1;Arkivere;2024-01-02T09:12:00+01:00;2024-01-02T09:12:00+01:00;ePhorte-jobb\n"
        "1;Uttalelse;;2024-01-09T12:00:00+01:00;Statens vegvesen\n"
        "1;Signere;;2024-01-10T12:00:00+01:00;SvarUt\n", encoding="utf-8")
    store = tmp_path / "s.duckdb"
    code, _, err = run(store, "ingest", str(path), "--log", "k", "--external", "Statens vegvesen",
                       "--system", "SvarUt", "--quiet")
    assert code == 0, err
    rows = dict(query(store, "SELECT activity, resource_kind || ':' || (resource LIKE 'ps_%') FROM events"))
    assert rows == {
        "Registrere": "person:true",
        "Journalføre": "system:false",   # named like a system: kept readable
        "Arkivere": "system:false",      # all its events take no time
        "Uttalelse": "external:true",    # an outside party is still pseudonymised
        "Signere": "system:false",       # --system
    }


@pytest.mark.parametrize("column, personal", [
    ("søker_navn", True), ("saksbehandler", True), ("full_name", True), ("e-post", True), ("soker_fnr", True),
    ("taskName", False), ("activityNameNL", False), ("concept:name", False), ("enhetsnavn", False),
    ("dokumentnavn", False), ("kategori", False)])
def test_columns_named_for_people_are_personal_but_names_of_things_are_not(column, personal):
    from saksflyt.extractors.staging import is_personal_column

    assert is_personal_column(column) is personal
