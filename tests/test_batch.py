"""Issue 9: batch configurations (`ingest --config sources.toml`, `run --config pipeline.toml`)."""
from __future__ import annotations

import sqlite3
import textwrap
from collections.abc import Iterator
from functools import partial
from pathlib import Path

import psycopg
import pytest

import pg
from helpers import query
from helpers import run as run_cli
from saksflyt.extractors import batch
from saksflyt.extractors.errors import InputError

PASSWORD = "Batch:Hemmelig/42"
run = partial(run_cli, one_line_stderr=True)   # messages matched whatever the terminal width

pytestmark = pytest.mark.usefixtures("pseudonym_key_env")


def write_csv(path: Path, cases: int) -> Path:
    lines = ["saksnr;aktivitet;tidspunkt;saksbehandler"]
    for c in range(cases):
        lines += [f"2024/{c};Søknad mottatt;0{c % 9 + 1}.03.2024 09:00;Kari Nordmann",
                  f"2024/{c};Vedtak fattet;1{c % 9}.03.2024 14:30;Ola Hansen"]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def write_sqlite(path: Path, rows: list[tuple]) -> Path:
    with sqlite3.connect(path) as con:
        con.execute("CREATE TABLE IF NOT EXISTS hendelser (sak TEXT, hendelse TEXT, tid TEXT, registrert TEXT)")
        con.executemany("INSERT INTO hendelser VALUES (?, ?, ?, ?)", rows)
    con.close()
    return path


SOURCES = """\
schedule = "0 2 * * *"

[defaults]
tz = "Europe/Oslo"

[[source]]
log = "byggesak"
path = "byggesak.csv"
schedule = "30 1 * * *"

[[source]]
log = "mangler"
path = "finnes-ikke.csv"

[[source]]
log = "ødelagt"
path = "uten-aktivitet.csv"

[[source]]
log = "lite"
url = "sqlite:///{db}"
table = "hendelser"
case = "sak"
activity = "hendelse"
timestamp = "tid"
since_column = "registrert"
"""


def test_a_broken_source_does_not_stop_the_others_and_the_exit_is_nonzero(tmp_path):
    write_csv(tmp_path / "byggesak.csv", cases=4)
    (tmp_path / "uten-aktivitet.csv").write_text("saksnr;tidspunkt\n1;01.03.2024 09:00\n", encoding="utf-8")
    db = write_sqlite(tmp_path / "saker.db", [("S1", "Mottatt", "2024-03-01 10:00", "2024-03-01"),
                                              ("S2", "Mottatt", "2024-03-02 10:00", "2024-03-02"),
                                              ("S1", "Vedtak", "2024-03-04 12:00", "2024-03-04")])
    config = tmp_path / "sources.toml"
    config.write_text(SOURCES.format(db=db), encoding="utf-8")
    store = tmp_path / "s.duckdb"
    code, out, _ = run(store, "ingest", "--config", str(config), "--quiet")
    assert code == 1
    assert query(store, "SELECT log, count(*), count(DISTINCT case_id) FROM events GROUP BY 1 ORDER BY 1") == [
        ("byggesak", 8, 4), ("lite", 3, 2)]
    assert query(store, "SELECT log FROM logs ORDER BY 1") == [("byggesak",), ("lite",)]
    flat = " ".join(out.split())
    assert "2 loaded, 0 unchanged, 2 failed" in flat
    assert "no such file" in flat and "no activity column found" in flat

    # the nightly rerun: nothing changed; then one new database row; then the missing file appears
    code, out, _ = run(store, "ingest", "--config", str(config), "--quiet")
    assert code == 1 and "0 loaded, 2 unchanged, 2 failed" in " ".join(out.split())
    write_sqlite(db, [("S2", "Vedtak", "2024-03-05 08:00", "2024-03-05")])
    write_csv(tmp_path / "finnes-ikke.csv", cases=2)
    (tmp_path / "uten-aktivitet.csv").write_text("saksnr;aktivitet;tidspunkt\n1;A;01.03.2024 09:00\n",
                                                 encoding="utf-8")
    code, out, _ = run(store, "ingest", "--config", str(config), "--quiet")
    assert code == 0, out
    assert "3 loaded, 1 unchanged, 0 failed" in " ".join(out.split())
    assert query(store, "SELECT log, count(*) FROM events GROUP BY 1 ORDER BY 1") == [
        ("byggesak", 8), ("lite", 4), ("mangler", 4), ("ødelagt", 1)]


@pytest.mark.parametrize("text, problem", [
    ('[[source]]\nlog = "a"\npath = "a.csv"\nacitvity = "x"\n', "source 1 (log 'a'): unknown key acitvity"),
    ('[[source]]\nlog = "a"\npath = "a.csv"\nurl = "sqlite:///a.db"\n', "give exactly one of 'path' and 'url'"),
    ('[[source]]\nlog = "a"\npath = "a.csv"\n[[source]]\nlog = "a"\npath = "b.csv"\n',
     "more than one source fills log a"),
    ('[[source]]\nlog = "a"\npath = "a.csv"\nsince_column = "t"\n', "only apply to a database source"),
    ('[[source]]\nlog = "a"\npath = "a.csv"\nmode = "merge"\n', "'mode' must be one of new, replace, append"),
    ('[[source]]\nlog = "a"\npath = "a.csv"\nend_activities = ["X"]\n', "mining keys belong in pipeline.toml"),
    ('[[source]\nlog = "a"\n', "not valid TOML"),
    ('schedule = "daily"\n', "no [[source]] entries"),
])
def test_a_wrong_configuration_loads_nothing_and_exits_2(tmp_path, text, problem):
    write_csv(tmp_path / "a.csv", cases=1)
    config = tmp_path / "sources.toml"
    config.write_text(text, encoding="utf-8")
    store = tmp_path / "s.duckdb"
    code, _, err = run(store, "ingest", "--config", str(config))
    assert code == 2 and problem in err
    assert not store.exists()
    with pytest.raises(InputError):
        batch.load_config(config)


# --- the pipeline, with a database that wants a password ----------------------------------------


@pytest.fixture(scope="module")
def pg_server() -> Iterator[pg.PgServer]:
    with pg.postgres_server(password=PASSWORD) as server:
        with psycopg.connect(host=server.host, port=server.port, user=server.user, password=PASSWORD,
                             dbname="postgres", autocommit=True) as con:
            con.execute("""
                CREATE TABLE saksgang (saksnr text, aktivitet text, tidspunkt timestamptz, saksbehandler text,
                                       registrert timestamptz);
                INSERT INTO saksgang
                SELECT 'S' || c, a.navn, TIMESTAMPTZ '2024-05-06 08:00+02' + (c || ' days')::interval
                                         + (a.steg * 5 || ' hours')::interval,
                       CASE a.steg WHEN 2 THEN 'System' ELSE 'Kari Nordmann' END,
                       TIMESTAMPTZ '2024-06-01 23:00+02'
                FROM generate_series(1, 10) c,
                     (VALUES (1, 'Søknad mottatt'), (2, 'Registrert'), (3, 'Vedtak fattet'), (4, 'Vedtak sendt'))
                     AS a(steg, navn)
                WHERE NOT (c > 8 AND a.steg = 4);
            """)
        yield server


def test_pipeline_loads_and_mines_each_log(tmp_path, pg_server, monkeypatch):
    pytest.importorskip("saksflyt.mining.run", reason="the mining library (mining/run.py) is not in this tree yet")
    monkeypatch.setenv("SAKSFLYT_DB_PASSWORD", PASSWORD)
    write_csv(tmp_path / "byggesak.csv", cases=6)
    (tmp_path / "sources.toml").write_text(textwrap.dedent(f"""\
        [[source]]
        log = "sosial"
        url = "{pg_server.url('postgres', with_password=False)}"
        password_env = "SAKSFLYT_DB_PASSWORD"
        query = "SELECT * FROM saksgang"
        since_column = "registrert"

        [[source]]
        log = "ødelagt"
        url = "postgresql://ingen@127.0.0.1:{pg_server.port}/postgres"
        table = "saksgang"
        """), encoding="utf-8")
    (tmp_path / "pipeline.toml").write_text(textwrap.dedent("""\
        include = "sources.toml"
        schedule = "15 3 * * *"

        [mine]
        end_activities = ["Vedtak sendt"]

        [[source]]
        log = "byggesak"
        path = "byggesak.csv"
        end_activities = ["Vedtak fattet"]
        """), encoding="utf-8")
    store = tmp_path / "s.duckdb"
    code, out, err = run(store, "run", "--config", str(tmp_path / "pipeline.toml"), "--quiet")
    flat = " ".join(out.split())
    assert code == 1, err
    assert "2 loaded, 0 unchanged, 1 failed" in flat
    assert "password authentication failed" in flat or "no password supplied" in flat
    assert query(store, "SELECT log, count(*), count(DISTINCT case_id) FROM events GROUP BY 1 ORDER BY 1") == [
        ("byggesak", 12, 6), ("sosial", 38, 10)]
    # each loaded log is mined with its own completion rule; the failed one is not
    assert query(store, "SELECT log, cases, closed_cases FROM mining_runs ORDER BY log") == [
        ("byggesak", 6, 6), ("sosial", 10, 8)]
    # the password came from the environment and went nowhere
    assert PASSWORD not in out + err
    assert query(store, f"SELECT count(*) FROM (SELECT source FROM logs UNION ALL SELECT source FROM ingest_runs "
                        f"UNION ALL SELECT settings::VARCHAR FROM logs) WHERE contains(source, '{PASSWORD}')") == [(0,)]
    # the next night: nothing new in the database, the same file; both are mined again
    code, out, _ = run(store, "run", "--config", str(tmp_path / "pipeline.toml"), "--quiet")
    assert code == 1 and "0 loaded, 2 unchanged, 1 failed" in " ".join(out.split())
    assert query(store, "SELECT log, count(*) FROM mining_runs GROUP BY 1 ORDER BY 1") == [
        ("byggesak", 2), ("sosial", 2)]


def test_run_scores_as_mine_does(tmp_path):
    """Issue 19: `run` and `mine` are one pipeline: both leave the same candidates, scored on their own run."""
    pytest.importorskip("saksflyt.automation_scoring.run")
    write_csv(tmp_path / "byggesak.csv", cases=12)
    (tmp_path / "pipeline.toml").write_text(textwrap.dedent("""\
        [[source]]
        log = "byggesak"
        path = "byggesak.csv"
        """), encoding="utf-8")
    store = tmp_path / "s.duckdb"
    scored = ("SELECT c.candidate_id, round(c.hours_saved_per_year, 6) FROM scoring_candidates c "
              "JOIN scoring_runs s USING (log, run_id) "
              "WHERE s.run_seq = (SELECT max(run_seq) FROM scoring_runs) ORDER BY c.rank")
    read_latest = ("SELECT s.mining_run_id = (SELECT run_id FROM mining_runs ORDER BY run_seq DESC LIMIT 1) "
                   "FROM scoring_runs s ORDER BY s.run_seq DESC LIMIT 1")
    code, out, _ = run(store, "run", "--config", str(tmp_path / "pipeline.toml"), "--quiet")
    assert code == 0 and "candidates" in out
    by_run = query(store, scored)
    assert by_run and query(store, read_latest) == [(True,)]
    code, _, _ = run(store, "mine", "--log", "byggesak", "--quiet")
    assert code == 0
    assert query(store, scored) == by_run and query(store, read_latest) == [(True,)]
