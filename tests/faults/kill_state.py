"""What the fault tests compare a store by: the logical content of every table (volatile columns left out),
what the explorer's read layer shows of it, and the CLI run as a subprocess that can be killed.

A plain module imported by name from tests/faults (as `helpers` is); no fixtures here.
"""
from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb
from helpers import ROOT, TEST_KEY

from saksflyt.app import explore_queries as q
from saksflyt.app import explore_store
from saksflyt.extractors import store

# Columns that differ between two complete runs of the same command on the same input: ids, sequence numbers,
# clock times, timings, and texts that embed them (reports, pm4py's model ids, settings with timings).
VOLATILE = re.compile(r"^(run_id|mining_run_id|score_run_id|model_id|run_seq|seconds|html|pnml|bpmn|dot|settings|"
                      r"stats|sklearn_version|state)$|_at$")

# Bookkeeping, not state a user sees. The table of who-applied-which-migration changes only when a new store
# is created, never by a command here. The audit trail is written after the work commits, in a transaction of
# its own and on a best-effort basis (a busy store skips it with a warning), so a kill between the two leaves
# the work without its audit row. `store_maintenance` holds a compaction a killed drop still owes (test_kill
# checks that the next write pays it).
IGNORED_TABLES = frozenset({"schema_migrations", "audit_log", "store_maintenance"})

# Tables whose rows for one new run differ between two complete runs on the same input (alignments are
# time-limited, ties between equally common activities break either way, candidates follow from both):
# there a new run's rows count as one marker; the rows of the runs already stored are compared exactly.
LOOSE_TABLES = frozenset({"mining_conformance", "mining_deviations", "mining_handovers", "mining_units",
                          "mining_collaboration", "scoring_candidates", "scoring_decisions"})
NEW_RUN = "<rows of a new run>"

Fingerprint = dict[str, tuple[str, ...]]


def env() -> dict[str, str]:
    """The environment a CLI subprocess runs in: this checkout's code, one thread, the test pseudonym key."""
    return {**os.environ, "PYTHONPATH": str(ROOT), "OMP_NUM_THREADS": "1", "SAKSFLYT_PSEUDONYM_KEY": TEST_KEY}


def command(store_path: Path, args: list[str]) -> list[str]:
    """`python -m saksflyt --store STORE ARGS` with this interpreter."""
    return [sys.executable, "-m", "saksflyt", "--store", str(store_path), *args]


def run_complete(store_path: Path, args: list[str], *, cwd: Path, timeout: float = 300) -> float:
    """Run the command to its end (it must succeed); returns its wall time in seconds."""
    began = time.monotonic()
    done = subprocess.run(command(store_path, args), cwd=cwd, env=env(), capture_output=True, text=True,
                          timeout=timeout)
    assert done.returncode == 0, f"{args}: exit {done.returncode}\n{done.stdout}\n{done.stderr}"
    return time.monotonic() - began


def run_killed(store_path: Path, args: list[str], *, cwd: Path, delay: float) -> bool:
    """Start the command and SIGKILL it after `delay` seconds; True if it was still running then."""
    proc = subprocess.Popen(command(store_path, args), cwd=cwd, env=env(), stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    try:
        proc.wait(timeout=delay)
        return False
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()
        return True


def _column_sql(name: str, data_type: str) -> str:
    quoted = '"' + name.replace('"', '""') + '"'
    if data_type in ("DOUBLE", "FLOAT", "REAL") or data_type.startswith("DECIMAL"):
        return f"CAST(round({quoted}, 6) AS VARCHAR)"   # last float digits may differ between runs
    return f"CAST({quoted} AS VARCHAR)"


def run_ids(con: duckdb.DuckDBPyConnection) -> frozenset[str]:
    """Every run id the store holds (mining, scoring, ingest runs)."""
    found: set[str] = set()
    for (table,) in con.execute(
            "SELECT table_name FROM duckdb_columns() WHERE column_name = 'run_id' "
            "AND database_name = current_database() AND schema_name = 'main'").fetchall():
        found.update(str(r[0]) for r in con.execute(f'SELECT DISTINCT run_id FROM "{table}"').fetchall())
    return frozenset(found)


def fingerprint(con: duckdb.DuckDBPyConnection, known_runs: frozenset[str] = frozenset()) -> Fingerprint:
    """Per table, the sorted rows of its non-volatile columns: the store's logical content, run ids aside.
    In `LOOSE_TABLES` the rows of runs not in `known_runs` become one `NEW_RUN` marker."""
    result: Fingerprint = {}
    tables = [r[0] for r in con.execute(
        "SELECT table_name FROM duckdb_tables() WHERE database_name = current_database() AND schema_name = 'main' "
        "ORDER BY table_name").fetchall()]
    for table in tables:
        if table in IGNORED_TABLES:
            continue
        cols = [(n, t) for n, t in con.execute(
            "SELECT column_name, data_type FROM duckdb_columns() WHERE table_name = ? "
            "AND database_name = current_database() AND schema_name = 'main' ORDER BY column_index",
            [table]).fetchall() if not VOLATILE.search(n)]
        select = ", ".join(_column_sql(n, t) for n, t in cols) or "1"
        if table in LOOSE_TABLES:
            known = sorted(known_runs) or [""]
            rows = con.execute(f'SELECT {select} FROM "{table}" WHERE list_contains(?, CAST(run_id AS VARCHAR))',
                               [known]).fetchall()
            new = con.execute(f'SELECT count(*) FROM "{table}" WHERE NOT list_contains(?, CAST(run_id AS VARCHAR))',
                              [known]).fetchone()[0]
            result[table] = tuple(sorted(repr(r) for r in rows)) + ((NEW_RUN,) if new else ())
            continue
        rows = con.execute(f'SELECT {select} FROM "{table}"').fetchall()
        result[table] = tuple(sorted(repr(r) for r in rows))
    return result


def store_fingerprint(path: Path, known_runs: frozenset[str] = frozenset()) -> Fingerprint:
    """Open the store as a command would (read-write: a leftover WAL is replayed) and fingerprint it."""
    con = store.connect(path, retry_seconds=5)
    try:
        return fingerprint(con, known_runs)
    finally:
        con.close()


def store_run_ids(path: Path) -> frozenset[str]:
    """`run_ids` of the store at `path`, on a short read-only connection."""
    con = store.connect(path, read_only=True, retry_seconds=5)
    try:
        return run_ids(con)
    finally:
        con.close()


def explorer_view(path: Path) -> tuple[Any, ...]:
    """What the explorer's read layer shows: per log, its overview and variants on the latest run and the
    latest candidates, each with whether it is complete (as many rows as its run recorded). Opened
    read-only, as the explorer does, before anything else touches the store."""
    with explore_store.reading(path) as con:
        snap = explore_store.read_snapshot(con, str(path))
        view: list[Any] = []
        for v in snap.logs:
            entry: list[Any] = [v.log]
            if v.run_id is not None:
                o = q.overview(con, v.log, v.run_id, q.Filters(), 30.0)
                _, n_variants, n_cases = q.variants(con, v.log, v.run_id, q.Filters(), 50)
                recorded = con.execute("SELECT cases, variants FROM mining_runs WHERE log = ? AND run_id = ?",
                                       [v.log, v.run_id]).fetchone()
                entry.append(("run", (o.cases, n_variants) == tuple(recorded) and n_cases == o.cases,
                              (o.cases, o.closed, o.events, o.median_lead_hours, o.within_target, n_variants,
                               tuple(map(tuple, o.monthly.astype(str).values.tolist())))))
            if v.score_run_id is not None:
                df = q.candidates(con, v.log, v.score_run_id, "nb")
                (recorded,) = con.execute("SELECT candidates FROM scoring_runs WHERE log = ? AND run_id = ?",
                                          [v.log, v.score_run_id]).fetchone()
                entry.append(("candidates", len(df) == recorded, tuple(sorted(map(str, df["candidate_id"])))))
            view.append(tuple(entry))
        return tuple(view)


@dataclass(frozen=True)
class Outcome:
    """Which side each table of a killed store matches: before, after, both (unchanged by the command)."""

    before: frozenset[str]
    after: frozenset[str]
    neither: frozenset[str]

    def lost_rows(self, found: Fingerprint, before: Fingerprint, after: Fingerprint) -> int:
        """Rows of the nearest side missing from a table that matches neither (0 when all match)."""
        lost = 0
        for t in self.neither:
            have = set(found.get(t, ()))
            lost += min(len(set(before.get(t, ())) - have), len(set(after.get(t, ())) - have))
        return lost


def classify(found: Fingerprint, before: Fingerprint, after: Fingerprint) -> Outcome:
    """Sort the tables whose content the command changes into those equal to before, after, or neither."""
    b, a, n = set(), set(), set()
    for t in sorted(set(found) | set(before) | set(after)):
        old, new, now = before.get(t, ()), after.get(t, ()), found.get(t, ())
        if old == new:
            (b if now == old else n).add(t)
            continue
        if now == old:
            b.add(t)
        elif now == new:
            a.add(t)
        else:
            n.add(t)
    changed = {t for t in set(before) | set(after) if before.get(t, ()) != after.get(t, ())}
    return Outcome(frozenset(b & changed), frozenset(a & changed), frozenset(n))
