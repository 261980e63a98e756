"""Issue 11: the mining statistics on Apache Spark (local mode) equal the DuckDB engine's, table by table.

One store holds three logs (a real WABO log, a real BPIC 2015 log, and a generated Norwegian log with
start times whose timestamps are floored to the hour so that events tie); it is exported once as a
Parquet dataset partitioned by log and month, and one Spark session (local[2], a real JVM) mines every
log from it. The DuckDB engine mines the same logs from the store; every row of every statistics table
must agree, floats to 1e-9 (far below a second).
"""
from __future__ import annotations

import json
import os
import sys
import math
import shutil
import subprocess
from pathlib import Path

import duckdb
import pandas as pd
import pytest
from helpers import ROOT, invoke, pseudonym_key
from page_checks import open_explorer

from saksflyt.extractors import store
from saksflyt.mining import results, spark_engine
from saksflyt.mining.run import STATISTICS_PHASES, mine

PSEUDONYM_KEY = "test-key-not-secret"   # the store's key, also given to spark-submit below
TABLES = {"mining_activities": "activity", "mining_dfg": "source, target", "mining_variants": "variant_id",
          "mining_cases": "case_id", "mining_monthly": "month"}
RUN_FIELDS = ("cases", "closed_cases", "events", "activities", "variants", "first_event_at", "last_event_at",
              "median_case_duration_hours", "median_case_working_hours", "median_case_duration_days",
              "closed_cases_day_precision", "end_activities", "completion_rule")
LOGS = ("wabo", "bpic15_1", "byggesak_ties")
# Small logs, short-lived JVMs: the client JIT only and two shuffle partitions make the tests ~30% faster.
TEST_JAVA = f"-Dlog4j2.configurationFile=file:{spark_engine.LOG_CONFIG} -XX:TieredStopAtLevel=1 -XX:+UseSerialGC"
TEST_CONF = {"spark.sql.shuffle.partitions": "2", "spark.driver.extraJavaOptions": TEST_JAVA}


@pytest.fixture(scope="module")
def spark():
    if shutil.which("java") is None:
        pytest.fail("Java is missing: the Spark tests need a JVM: run `make system-deps`")
    session = spark_engine.session("local[2]", TEST_CONF)
    yield session
    session.stop()


@pytest.fixture(scope="module")
def stores(tmp_path_factory, shared_logs) -> tuple[Path, Path]:
    """(store with the three logs, Parquet dataset exported from it)."""
    root = tmp_path_factory.mktemp("spark")
    db, dataset = root / "store.duckdb", root / "events"
    ties_csv = root / "byggesak_ties.csv"
    with pseudonym_key(PSEUDONYM_KEY):
        generated = root / "byggesak.csv"
        assert invoke(db, "generate", "--cases", "600", "--seed", "11", "--out", str(generated)).exit_code == 0
        frame = pd.read_csv(generated, sep=";", dtype=str, keep_default_na=False)
        for col in ("start", "slutt"):  # floored to the hour: many events of a case now tie
            times = pd.to_datetime(frame[col].where(frame[col] != ""), utc=True, format="ISO8601")
            frame[col] = times.dt.floor("h").dt.strftime("%Y-%m-%dT%H:%M:%S+00:00").fillna("")
        frame.to_csv(ties_csv, sep=";", index=False)
        for source, log in ((shared_logs / "receipt_wabo_coselog.xes.gz", "wabo"),
                            (shared_logs / "bpic15_municipality_1.xes.gz", "bpic15_1"),
                            (ties_csv, "byggesak_ties")):
            result = invoke(db, "ingest", str(source), "--log", log, "--quiet")
            assert result.exit_code == 0, result.output
        result = invoke(db, "export", str(dataset), "--format", "parquet")
        assert result.exit_code == 0, result.output
    return db, dataset


def rows(con: duckdb.DuckDBPyConnection, table: str, log: str, run_id: str) -> tuple[list[str], list[tuple]]:
    cols = [c[0] for c in con.execute(f"DESCRIBE {table}").fetchall() if c[0] not in ("log", "run_id")]
    found = con.execute(f"SELECT {', '.join(cols)} FROM {table} WHERE log = ? AND run_id = ? ORDER BY {TABLES[table]}",
                        [log, run_id]).fetchall()
    return cols, found


def same(a, b) -> bool:
    if isinstance(a, float) and isinstance(b, float):
        return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-9)
    return a == b


def assert_runs_equal(db: Path, log: str, spark_run: str, duck_run: str) -> dict[str, int]:
    """Every statistics table of the two runs, row by row; returns the row counts compared."""
    counts = {}
    with store.read(db) as con:
        for table in TABLES:
            cols, a = rows(con, table, log, spark_run)
            _, b = rows(con, table, log, duck_run)
            assert len(a) == len(b), (table, len(a), len(b))
            diffs = [(table, col, ra[0], x, y) for ra, rb in zip(a, b) for col, x, y in zip(cols, ra, rb)
                     if not same(x, y)]
            assert not diffs, diffs[:5]
            counts[table] = len(a)
        fields = ", ".join(RUN_FIELDS)
        ra = con.execute(f"SELECT {fields} FROM mining_runs WHERE run_id = ?", [spark_run]).fetchall()[0]
        rb = con.execute(f"SELECT {fields} FROM mining_runs WHERE run_id = ?", [duck_run]).fetchall()[0]
        assert [f for f, x, y in zip(RUN_FIELDS, ra, rb) if not same(x, y)] == []
        engine = con.execute("SELECT settings->>'engine' FROM mining_runs WHERE run_id = ?", [spark_run]).fetchall()
        assert engine[0][0].startswith("spark (local")
    return counts


@pytest.mark.slow
@pytest.mark.parametrize("log, cases, events, variants", [
    ("wabo", 1434, 8577, 116), ("bpic15_1", 1199, 52217, 1170), ("byggesak_ties", 600, None, None)])
def test_spark_statistics_equal_duckdb(spark, stores, log, cases, events, variants):
    db, dataset = stores
    sp = spark_engine.mine_spark(store_path=db, log_name=log, events_path=str(dataset), spark=spark)
    dk = mine(store_path=db, log_name=log, phases=STATISTICS_PHASES)
    counts = assert_runs_equal(db, log, sp.run_id, dk.run_id)
    assert sp.summary["cases"] == cases == counts["mining_cases"]
    if events is not None:
        assert sp.summary["events"] == events
        assert sp.summary["variants"] == variants == counts["mining_variants"]
    if log == "byggesak_ties":
        with store.read(db) as con:
            ties = con.execute("""SELECT count(*) FROM (SELECT case_id, ts_end FROM events WHERE log = ?
                                  GROUP BY ALL HAVING count(*) > 1)""", [log]).fetchall()[0][0]
            waits = con.execute("""SELECT count(*) FROM mining_activities WHERE log = ? AND run_id = ?
                                   AND wait_basis = 'measured'""", [log, sp.run_id]).fetchall()[0][0]
        assert ties > 300 and waits > 5  # the ties and the start times that make this log the hard case
    # pm4py's model was discovered on the driver from the aggregated tables and stored with the run
    with store.read(db) as con:
        model = con.execute("SELECT method, activities_kept, pnml FROM mining_models WHERE run_id = ?",
                            [sp.run_id]).fetchall()
    assert len(model) == 1 and model[0][0] in ("IMf", "IMd") and "<pnml" in model[0][2]


@pytest.mark.slow
def test_spark_submit_cli_writes_the_same_contract_files(stores, tmp_path):
    """The cluster path, on local[1]: spark-submit starts the JVM and runs the CLI, whose session is
    spark-submit's (its master, not our local default); `--out` gives the DuckDB engine's files, and the
    explorer shows the Spark run like any other."""
    import pyspark

    db, dataset = stores
    copy = tmp_path / "store.duckdb"
    shutil.copy(db, copy)
    out_spark, out_duck = tmp_path / "spark", tmp_path / "duck"
    duck = mine(store_path=copy, log_name="wabo", phases=STATISTICS_PHASES)
    with store.read(copy) as con:
        results.export(con, "wabo", out_duck, run_id=duck.run_id)

    submit = Path(pyspark.__file__).parent / "bin" / "spark-submit"
    env = {**os.environ, "PYSPARK_PYTHON": sys.executable, "PYSPARK_DRIVER_PYTHON": sys.executable,
           "SAKSFLYT_PSEUDONYM_KEY": PSEUDONYM_KEY}
    done = subprocess.run([str(submit), "--master", "local[1]", "--conf", "spark.ui.enabled=false",
                           "--conf", "spark.sql.shuffle.partitions=2", "--driver-java-options", TEST_JAVA,
                           str(ROOT / "app" / "spark_submit.py"),
                           "--store", str(copy), "mine", "--engine", "spark", "--events", str(dataset),
                           "--log", "wabo", "--out", str(out_spark), "--quiet"],
                          env=env, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-2000:]
    assert "Mined: wabo" in done.stdout
    with store.read(copy) as con:
        (engine, cases), = con.execute("""SELECT settings->>'engine', cases FROM mining_runs
                                          WHERE log = 'wabo' ORDER BY run_seq DESC LIMIT 1""").fetchall()
    assert engine == "spark (local[1])" and cases == 1434

    for name in ("activities.csv", "dfg.csv", "variants.csv", "cases.csv", "monthly.csv"):
        a, b = pd.read_csv(out_spark / name), pd.read_csv(out_duck / name)
        # the files round hours to 6 decimals: a value on a rounding edge may differ in the last digit
        pd.testing.assert_frame_equal(a, b, check_exact=False, rtol=1e-9, atol=2e-6)
    sa = json.loads((out_spark / "summary.json").read_text())
    sb = json.loads((out_duck / "summary.json").read_text())
    keys = ("cases", "closed_cases", "events", "activities", "variants", "first_event_at", "last_event_at")
    assert {k: sa[k] for k in keys} == {k: sb[k] for k in keys}
    assert sa["median_case_duration_hours"] == pytest.approx(sb["median_case_duration_hours"], rel=1e-9)
    assert (out_spark / "model.pnml").read_text().startswith("<?xml")
    assert not (out_spark / "bottlenecks.json").exists()  # not looked for: no empty list claiming none

    with pytest.MonkeyPatch.context() as mp:
        at = open_explorer(mp, copy, lang="en", log="wabo", key=None)
        assert not at.exception, [e.message for e in at.exception]
        assert [m.value for m in at.metric if m.label == "Cases"] == ["1,434"]
        at.switch_page("app_pages/process_map.py").run()
        assert not at.exception, [e.message for e in at.exception]


def test_spark_bad_input_is_one_line_exit_2(spark, stores, tmp_path):
    db, dataset = stores
    before = (db.stat().st_size, db.stat().st_mtime_ns)
    result = invoke(db, "mine", "--engine", "spark", "--events", str(dataset), "--log", "nope", "--quiet")
    assert result.exit_code == 2
    assert "no log named 'nope'" in result.stderr and "wabo" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    not_events = tmp_path / "other"
    not_events.mkdir()
    pd.DataFrame({"x": [1]}).to_parquet(not_events / "x.parquet")
    result = invoke(db, "mine", "--engine", "spark", "--events", str(not_events), "--log", "wabo", "--quiet")
    assert result.exit_code == 2 and "not an event dataset" in result.stderr, result.output
    result = invoke(db, "mine", "--engine", "spark", "--events", str(tmp_path / "missing"), "--log", "wabo")
    assert result.exit_code == 2 and "no such folder" in result.stderr, result.output
    assert (db.stat().st_size, db.stat().st_mtime_ns) == before


def test_dataset_is_partitioned_by_log_and_month(stores):
    db, dataset = stores
    logs = sorted(p.name for p in dataset.iterdir())
    assert logs == sorted(f"log={name}" for name in LOGS)
    with store.read(db) as con:
        months = con.execute("""SELECT count(DISTINCT strftime(ts_end AT TIME ZONE 'UTC', '%Y-%m'))
                                FROM events WHERE log = 'wabo'""").fetchall()[0][0]
        events = con.execute("SELECT count(*) FROM events").fetchall()[0][0]
    assert len(list((dataset / "log=wabo").iterdir())) == months
    got = duckdb.sql(f"SELECT count(*) FROM read_parquet('{dataset}/**/*.parquet', hive_partitioning = true)")
    assert got.fetchall()[0][0] == events
