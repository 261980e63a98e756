"""Issue 9: database sources against a real PostgreSQL server, incremental loads, no password stored.

The server is Debian's PostgreSQL, started once for the session by `tests/pg.py` (skipped without the
binaries, failed in CI). Each test gets its own database with a case-history schema (units, users,
cases, case_events) holding Norwegian data, and its own store.
"""
from __future__ import annotations

import hashlib
import sqlite3
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from functools import partial
from pathlib import Path
from urllib.parse import quote
from zoneinfo import ZoneInfo

import duckdb
import psycopg
import pytest

import pg
from helpers import query
from helpers import run as run_cli
from saksflyt.extractors import sql

run = partial(run_cli, one_line_stderr=True)   # messages matched whatever the terminal width
pytestmark = pytest.mark.usefixtures("pseudonym_key_env")

OSLO = ZoneInfo("Europe/Oslo")
PASSWORD = "Hemmelig/Pass:ord@2024!"  # characters a URL must escape
UNITS = [(1, "Byggesak"), (2, "Plan og bygg"), (3, "Sosialtjenesten")]
USERS = [(1, "Kari Nordmann", 1), (2, "Ola Hansen", 1), (3, "Åse Ødegård", 2), (4, "Per Bjørnstad", 3),
         (5, "Ingrid Løvås", 3), (6, "System", 1)]
WORKERS = {1: [1, 2], 2: [3], 3: [4, 5]}
CITIZENS = ["Nora Ås", "Jonas Berg", "Sofie Dahl", "Emil Haugen", "Ella Lie", "Lukas Strand", "Maja Bakke",
            "Filip Aasen"]
CASE_TYPES = ["Byggesøknad", "Rammetillatelse", "Økonomisk sosialhjelp"]
N_CASES = 24
SCHEMA = """
CREATE TABLE units (unit_id integer PRIMARY KEY, name text NOT NULL);
CREATE TABLE users (user_id integer PRIMARY KEY, full_name text NOT NULL, unit_id integer REFERENCES units);
CREATE TABLE cases (case_id integer PRIMARY KEY, saksnr text NOT NULL UNIQUE, case_type text NOT NULL,
                    soker_navn text NOT NULL, unit_id integer NOT NULL REFERENCES units,
                    opened_at timestamptz NOT NULL);
CREATE TABLE case_events (event_id serial PRIMARY KEY, case_id integer NOT NULL REFERENCES cases,
                          activity text NOT NULL, performed_by integer REFERENCES users,
                          occurred_at timestamptz NOT NULL, registered_at timestamptz NOT NULL, merknad text);
"""
QUERY = """
SELECT c.saksnr, e.activity AS aktivitet, e.occurred_at::timestamptz AS tidspunkt,
       u.full_name AS saksbehandler, un.name AS enhet, c.case_type AS sakstype, c.soker_navn,
       e.registered_at, e.merknad
FROM case_events e
JOIN cases c ON c.case_id = e.case_id
JOIN users u ON u.user_id = e.performed_by
JOIN units un ON un.unit_id = c.unit_id
WHERE e.activity NOT LIKE '%(test)%' AND e.activity <> ':ikke'
ORDER BY e.event_id
"""


def registered(occurred: datetime) -> datetime:
    """Events are registered in weekly batches, Sundays at 23:00 Oslo time: many share a timestamp."""
    local = occurred.astimezone(OSLO)
    sunday = (local + timedelta(days=6 - local.weekday())).replace(hour=23, minute=0, second=0, microsecond=0)
    return sunday if sunday >= local else sunday + timedelta(days=7)


def case_history() -> tuple[list[tuple], list[tuple]]:
    """24 cases, 128 events: five steps each, a deficiency letter in every third case."""
    cases, events = [], []
    for i in range(N_CASES):
        unit = i % 3 + 1
        opened = datetime(2024, 9, 2, 8, 30, tzinfo=OSLO) + timedelta(days=i, hours=i % 5)
        cases.append((i + 1, f"2024/{1000 + i}", CASE_TYPES[i % 3], CITIZENS[i % len(CITIZENS)], unit, opened))
        steps = ["Søknad mottatt", "Registrert", "Saksbehandling startet"]
        steps += ["Mangelbrev sendt"] if i % 3 == 0 else []
        steps += ["Vedtak fattet", "Vedtak sendt"]
        t = opened
        worker = WORKERS[unit][i % len(WORKERS[unit])]
        for k, step in enumerate(steps):
            who = 6 if step in ("Registrert", "Vedtak sendt") else worker
            events.append((i + 1, step, who, t, registered(t),
                           f"Saken {i + 1} er vurdert i steg {k + 1}; dokumentasjonen er journalført og kontrollert."))
            t += timedelta(hours=20 + (i * 7 + k * 5) % 30)
    return cases, events


@dataclass(frozen=True)
class CaseDb:
    server: pg.PgServer
    name: str

    @property
    def url(self) -> str:
        return self.server.url(self.name)

    def connect(self) -> psycopg.Connection:
        s = self.server
        return psycopg.connect(host=s.host, port=s.port, user=s.user, password=s.password, dbname=self.name,
                               autocommit=True)

    def insert_events(self, rows: list[tuple]) -> None:
        with self.connect() as con:
            con.cursor().executemany("INSERT INTO case_events (case_id, activity, performed_by, occurred_at, "
                                     "registered_at, merknad) VALUES (%s, %s, %s, %s, %s, %s)", rows)


@pytest.fixture(scope="session")
def pg_server() -> Iterator[pg.PgServer]:
    with pg.postgres_server(password=PASSWORD) as server:
        yield server


@pytest.fixture
def case_db(pg_server: pg.PgServer) -> Iterator[CaseDb]:
    db = CaseDb(pg_server, "saker_" + uuid.uuid4().hex[:8])
    admin = CaseDb(pg_server, "postgres")
    with admin.connect() as con:
        con.execute(f"CREATE DATABASE {db.name}")
    cases, events = case_history()
    with db.connect() as con:
        con.execute(SCHEMA)
        cur = con.cursor()
        cur.executemany("INSERT INTO units VALUES (%s, %s)", UNITS)
        cur.executemany("INSERT INTO users VALUES (%s, %s, %s)", USERS)
        cur.executemany("INSERT INTO cases VALUES (%s, %s, %s, %s, %s, %s)", cases)
    db.insert_events([(c, a, w, t, r, m) for c, a, w, t, r, m in events])
    yield db
    with admin.connect() as con:
        con.execute(f"DROP DATABASE {db.name} WITH (FORCE)")


def fingerprint(store: Path) -> tuple:
    """Row counts and a content hash of every table: equal means the store did not change."""
    con = duckdb.connect(str(store), read_only=True)
    try:
        tables = sorted(r[0] for r in con.execute("SELECT table_name FROM duckdb_tables()").fetchall())
        return tuple((t, hashlib.sha256(repr(con.execute(f'SELECT * FROM "{t}" ORDER BY ALL').fetchall())
                                        .encode()).hexdigest()) for t in tables)
    finally:
        con.close()


def load(store: Path, db: CaseDb, *extra: str) -> tuple[int, str, str]:
    return run(store, "ingest", db.url, "--query", QUERY, "--since-column", "registered_at", "--log", "sosial",
               "--quiet", *extra)


def watermark_expected() -> tuple[datetime, int]:
    """The largest registration time in the seeded data and how many events share it."""
    stamps = [r for *_, r, _m in case_history()[1]]
    top = max(stamps)
    return top, stamps.count(top)


# --- PostgreSQL ---------------------------------------------------------------------------------


def test_first_load_stores_events_case_attributes_and_the_watermark(tmp_path, case_db):
    store = tmp_path / "s.duckdb"
    code, _, err = load(store, case_db)
    assert code == 0, err
    assert "128 events in 24 cases stored (new); 128 read, 0 rejected" in err
    top, _ = watermark_expected()
    assert query(store, "SELECT count(*), count(DISTINCT case_id), count(DISTINCT activity) FROM events") == [
        (128, 24, 6)]
    (column, value), = query(store, "SELECT column_name, value FROM log_watermarks WHERE log = 'sosial'")
    assert column == "registered_at"
    assert datetime.fromisoformat(value) == top
    # the `enhet` column is the events' unit (as written, not pseudonymised); a case's type and applicant
    # are case attributes; the applicant's name is pseudonymised
    assert dict(query(store, "SELECT unit, count(*) FROM events GROUP BY 1")) == {
        "Byggesak": 48, "Plan og bygg": 40, "Sosialtjenesten": 40}
    attrs = dict(query(store, "SELECT name, count(*) FROM case_attributes GROUP BY name"))
    assert attrs == {"sakstype": 24, "soker_navn": 24}
    names = {r[0] for r in query(store, "SELECT value_text FROM case_attributes WHERE name = 'soker_navn'")}
    assert len(names) == len(CITIZENS) and not names & set(CITIZENS)
    kinds = dict(query(store, "SELECT resource_kind, count(*) FROM events GROUP BY 1"))
    assert kinds == {"system": 48, "person": 80}
    assert query(store, "SELECT count(DISTINCT resource) FROM events WHERE resource_kind = 'person'") == [(5,)]
    # free text (merknad) is dropped; the registration time is an event attribute
    keys = {r[0] for r in query(store, "SELECT DISTINCT unnest(json_keys(attributes)) FROM events")}
    assert keys == {"registered_at"}
    # the query is remembered by its hash only (a WHERE clause may name a person)
    assert query(store, "SELECT settings->>'query', length(settings->>'query_sha256') FROM logs") == [(None, 64)]
    # times are instants: 08:30 Oslo summer time on 2 September is 06:30 UTC
    assert query(store, "SELECT min(ts_end) FROM events")[0][0] == datetime(2024, 9, 2, 6, 30, tzinfo=timezone.utc)


def test_rerun_appends_new_rows_including_those_sharing_the_watermark(tmp_path, case_db):
    store = tmp_path / "s.duckdb"
    assert load(store, case_db)[0] == 0
    top, sharing = watermark_expected()
    assert sharing == 3
    later = top + timedelta(days=7)
    with case_db.connect() as con:
        con.execute("INSERT INTO cases VALUES (25, '2024/1024', 'Byggesøknad', 'Tuva Moen', 1, %s)", [top])
    case_db.insert_events([
        # arrived late in the batch already read: the same registration time as the watermark
        (3, "Klage mottatt", 1, top - timedelta(hours=30), top, None),
        (5, "Klage mottatt", 3, top - timedelta(hours=20), top, None),
        (7, "Klage mottatt", 2, top - timedelta(hours=10), top, None),
        # the next batch, one of them in a new case
        (3, "Klagevedtak fattet", 1, top + timedelta(days=2), later, None),
        (25, "Søknad mottatt", 2, top + timedelta(days=3), later, None),
    ])
    code, _, err = load(store, case_db)
    assert code == 0, err
    # re-read: the 3 rows at the old watermark (dropped as duplicates) plus the 5 new ones
    assert "5 events in 25 cases stored (append); 8 read, 0 rejected" in err
    assert "duplicates dropped: 3" in err
    assert query(store, "SELECT count(*), count(DISTINCT case_id) FROM events") == [(133, 25)]
    assert query(store, "SELECT count(*) FROM events WHERE activity = 'Klage mottatt'") == [(3,)]
    assert query(store, "SELECT count(*) FROM (SELECT DISTINCT case_id, activity, ts_end FROM events)") == [(133,)]
    (value,), = query(store, "SELECT value FROM log_watermarks")
    assert datetime.fromisoformat(value) == later
    assert query(store, "SELECT mode, rows_read, rows_kept FROM ingest_runs ORDER BY started_at") == [
        ("new", 128, 128), ("append", 8, 5)]
    # the new rows continue the source order (after the slots of the 3 re-read duplicates)
    assert query(store, "SELECT min(event_seq) FROM events WHERE activity LIKE 'Klage%'") == [(131,)]


def test_rerun_with_nothing_new_changes_nothing(tmp_path, case_db):
    store = tmp_path / "s.duckdb"
    assert load(store, case_db)[0] == 0
    before = fingerprint(store)
    for _ in range(2):
        code, _, err = load(store, case_db)
        assert code == 0, err
        assert "nothing new" in err and "3 rows read, all already stored" in err
        assert "the store is unchanged" in err
    assert fingerprint(store) == before
    assert query(store, "SELECT count(*) FROM ingest_runs") == [(1,)]


def test_a_password_never_reaches_the_store_or_the_messages(tmp_path, case_db):
    store = tmp_path / "s.duckdb"
    outputs = []
    for args in (("--query", QUERY, "--since-column", "registered_at"),
                 ("--query", QUERY, "--since-column", "registered_at"),
                 ("--table", "case_events", "--case", "case_id", "--activity", "activity",
                  "--timestamp", "occurred_at", "--resource", "performed_by", "--log", "raw")):
        log = [] if "--log" in args else ["--log", "sosial"]
        code, out, err = run(store, "ingest", case_db.url, *args, *log)
        assert code == 0, err
        outputs.append(out + err)
    # a failing query and a wrong password: one clean line, no password
    code, out, err = run(store, "ingest", case_db.url, "--query", "SELECT nope FROM case_events", "--log", "x")
    assert code == 2 and "database error" in err and 'column "nope" does not exist' in err
    outputs.append(out + err)
    wrong = case_db.url.replace(quote(PASSWORD, safe=""), "Feil-passord-77")
    code, out, err = run(store, "ingest", wrong, "--table", "case_events", "--log", "y")
    assert code == 2 and "password authentication failed" in err
    outputs.append(out + err)
    secrets = (PASSWORD, quote(PASSWORD, safe=""), "Feil-passord-77")
    for text in outputs:
        assert not any(s in text for s in secrets)
    # every text and JSON column of every table in the store
    con = duckdb.connect(str(store), read_only=True)
    try:
        columns = con.execute("SELECT table_name, column_name FROM duckdb_columns() WHERE NOT internal AND "
                              "(data_type = 'VARCHAR' OR data_type = 'JSON')").fetchall()
        assert len(columns) >= 20
        people = [n for _, n, _ in USERS if n != "System"] + CITIZENS
        for table, column in columns:
            for needle in (*secrets, *people):
                hits = con.execute(f'SELECT count(*) FROM "{table}" WHERE contains("{column}"::VARCHAR, ?)',
                                   [needle]).fetchall()[0][0]
                assert hits == 0, (table, column, needle)
        sources = {r[0] for r in con.execute("SELECT source FROM ingest_runs UNION SELECT source FROM logs").fetchall()}
    finally:
        con.close()
    assert sources == {f"postgresql+psycopg://saksflyt@127.0.0.1:{case_db.server.port}/{case_db.name}"}


def test_a_table_with_column_flags(tmp_path, case_db):
    store = tmp_path / "s.duckdb"
    code, _, err = run(store, "ingest", case_db.url, "--table", "public.case_events", "--case", "case_id",
                       "--activity", "activity", "--timestamp", "occurred_at", "--resource", "performed_by",
                       "--log", "hendelser", "--quiet")
    assert code == 0, err
    assert query(store, "SELECT count(*), count(DISTINCT case_id) FROM events") == [(128, 24)]
    # the same content again is a no-op
    code, _, err = run(store, "ingest", case_db.url, "--table", "public.case_events", "--case", "case_id",
                       "--activity", "activity", "--timestamp", "occurred_at", "--resource", "performed_by",
                       "--log", "hendelser", "--quiet")
    assert code == 0 and "already loaded" in err


# --- without a server ---------------------------------------------------------------------------


def sqlite_log(path: Path, rows: list[tuple]) -> None:
    with sqlite3.connect(path) as con:
        con.execute("CREATE TABLE IF NOT EXISTS hendelser (saksnr TEXT, hendelse TEXT, tidspunkt TEXT, "
                    "registrert TEXT)")
        con.executemany("INSERT INTO hendelser VALUES (?, ?, ?, ?)", rows)
    con.close()


def test_sqlite_file_and_url_with_local_times_and_a_text_watermark(tmp_path):
    db = tmp_path / "saker.db"
    sqlite_log(db, [("S1", "Mottatt", "2024-03-01 10:00:00", "2024-03-01"),
                    ("S1", "Vedtak", "2024-07-01 10:00:00", "2024-07-02"),
                    ("S2", "Mottatt", "2024-07-01 12:00:00", "2024-07-02")])
    store = tmp_path / "s.duckdb"
    code, _, err = run(store, "ingest", str(db), "--format", "sql", "--query",
                       "SELECT * FROM hendelser WHERE hendelse <> ':ikke'", "--since-column", "registrert",
                       "--log", "lite", "--quiet")
    assert code == 0, err
    # local times in Europe/Oslo: winter +01:00, summer +02:00
    assert [r[0] for r in query(store, "SELECT ts_end FROM events ORDER BY event_seq")] == [
        datetime(2024, 3, 1, 9, tzinfo=timezone.utc), datetime(2024, 7, 1, 8, tzinfo=timezone.utc),
        datetime(2024, 7, 1, 10, tzinfo=timezone.utc)]
    sqlite_log(db, [("S2", "Vedtak", "2024-07-02 09:00:00", "2024-07-02")])
    # the URL of the same file is the same source: the rerun appends what is new
    code, _, err = run(store, "ingest", f"sqlite:///{db}", "--query",
                       "SELECT * FROM hendelser WHERE hendelse <> ':ikke'", "--since-column", "registrert",
                       "--log", "lite", "--quiet")
    assert code == 0, err
    assert "1 events in 2 cases stored (append); 3 read" in err
    assert query(store, "SELECT value FROM log_watermarks") == [("2024-07-02",)]
    # another database under the same log name is refused, not appended
    other = tmp_path / "andre.db"
    sqlite_log(other, [("S9", "Mottatt", "2024-08-01 10:00:00", "2024-08-01")])
    code, _, err = run(store, "ingest", f"sqlite:///{other}", "--table", "hendelser", "--since-column",
                       "registrert", "--log", "lite", "--quiet")
    assert code == 2 and "was not loaded incrementally from" in err


def test_flags_that_do_not_fit_the_source_and_a_missing_driver(tmp_path):
    store = tmp_path / "s.duckdb"
    csv = tmp_path / "a.csv"
    csv.write_text("sak,aktivitet,tidspunkt\n1,A,2024-01-01 10:00\n")
    code, _, err = run(store, "ingest", str(csv), "--log", "a", "--since-column", "tidspunkt")
    assert code == 2 and "--since-column need a database source" in err
    code, _, err = run(store, "ingest", str(csv), "--log", "a", "--object-type", "sak")
    assert code == 2 and "give --format ocel" in err
    code, _, err = run(store, "ingest", "mssql://sa:Topp-Hemmelig-9@127.0.0.1:9/saker", "--table", "x", "--log", "m")  # loopback only
    assert code == 2 and "pip install 'saksflyt[mssql]'" in err and "Topp-Hemmelig-9" not in err
    assert not store.exists()


def test_redacted_urls():
    assert sql.redact_url("postgresql://ola:p%40ss@h:5432/db?sslmode=require&password=x") == (
        "postgresql+psycopg://ola@h:5432/db?sslmode=require")
    assert sql.redact_url("oracle://ola:pw@h/db") == "oracle+oracledb://ola@h/db"
