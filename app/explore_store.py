"""The explorer's way into the store: short read-only connections, the store's version, reads never cached.

DuckDB lets one process write and then no other process may even open the file, so every load opens a
short read-only connection (`extractors.store.connect`, with its lock retry cut to the explorer's brief
wait) and closes it again. When the lock outlasts the retry, the last version of the store seen is used
and `Snapshot.stale` tells the page to say "updating". The version is the latest mining run of each log
and when the log was last loaded: the cache layer (`app.explore_data`) keys its results on it.
No Streamlit here.
"""
from __future__ import annotations

import contextlib
import dataclasses
import threading
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd

from saksflyt.app import audit
from saksflyt.app import marks as marks_lib
from saksflyt.extractors import store
from saksflyt.extractors.errors import SaksflytError, StoreError, StoreLockedError

READ_RETRY_SECONDS = 2.0      # a page waits this long for a writer before showing its last data

# The process owner cannot act on a traceback; these become one friendly message on the page.
FRIENDLY_ERRORS = (SaksflytError, duckdb.Error, OSError)


class NotMinedError(StoreError):
    """The log is in the store but has no mining run yet."""

    def __init__(self, log_name: str) -> None:
        self.log = log_name
        super().__init__(f"log '{log_name}' has not been mined yet; run `saksflyt mine --log {log_name}`")


class NoStoreError(StoreError):
    """No store file at the path the explorer was given."""

    def __init__(self, path: str) -> None:
        self.path = path
        super().__init__(f"{path}: no store here yet")


# --- connections -------------------------------------------------------------------------------

# One DuckDB database per file per process may be open with one configuration only, so the explorer's
# read-only loads and its one writer (the marks) take turns inside the process; each holds it briefly.
_PROCESS_LOCK = threading.RLock()


@contextlib.contextmanager
def reading(path: str | Path) -> Iterator[duckdb.DuckDBPyConnection]:
    """A short read-only connection with the explorer's brief retry (not the CLI's ten seconds)."""
    target = Path(path)
    if not target.exists():
        raise NoStoreError(str(target))
    with _PROCESS_LOCK, store.read(target, retry_seconds=READ_RETRY_SECONDS) as con:
        con.execute("SET enable_progress_bar = false")
        yield con


def tables(con: duckdb.DuckDBPyConnection) -> set[str]:
    """The store's tables (an older store may lack the newer packages' result tables)."""
    return {r[0] for r in con.execute(
        "SELECT table_name FROM duckdb_tables() WHERE database_name = current_database()").fetchall()}


# --- the store's version -----------------------------------------------------------------------


@dataclass(frozen=True)
class LogVersion:
    """One log as the caches see it: when it was loaded and its latest mining run."""

    log: str
    updated_at: str
    run_id: str | None = None
    run_seq: int | None = None
    run_finished_at: datetime | None = None
    run_started_at: datetime | None = None
    loaded_after_run: bool = False   # events changed since the run: results are older than the log
    score_run_id: str | None = None  # latest automation-scoring run (`saksflyt candidates` runs on its own)


@dataclass(frozen=True)
class Snapshot:
    """The store's logs and runs at one load; `stale` when the store was locked and this is the last seen."""

    path: str
    logs: tuple[LogVersion, ...] = ()
    stale: bool = False
    has_logs_table: bool = True

    def get(self, log_name: str | None) -> LogVersion | None:
        return next((v for v in self.logs if v.log == log_name), None)

    @property
    def names(self) -> list[str]:
        return [v.log for v in self.logs]


_LAST: dict[str, Snapshot] = {}
_LAST_LOCK = threading.Lock()


def read_snapshot(con: duckdb.DuckDBPyConnection, path: str) -> Snapshot:
    """The logs with their latest mining and scoring runs, as one `Snapshot` of the store at `path`."""
    found = tables(con)
    if "logs" not in found:
        return Snapshot(path=path, has_logs_table=False)
    runs = scores = ""
    if "mining_runs" in found:
        runs = """LEFT JOIN (
                SELECT log, arg_max(run_id, run_seq) AS run_id, max(run_seq) AS run_seq,
                       arg_max(finished_at, run_seq) AS finished_at, arg_max(started_at, run_seq) AS started_at
                FROM mining_runs GROUP BY log) r USING (log)"""
    if "scoring_runs" in found:
        scores = """LEFT JOIN (SELECT log, arg_max(run_id, run_seq) AS score_run_id FROM scoring_runs GROUP BY log) s
                USING (log)"""
    rows = con.execute(f"""
        SELECT l.log, CAST(l.updated_at AS VARCHAR),
               {"r.run_id, r.run_seq, r.finished_at, r.started_at, coalesce(l.updated_at > r.started_at, false)"
                if runs else "NULL, NULL, NULL, NULL, false"},
               {"s.score_run_id" if scores else "NULL"}
        FROM logs l {runs} {scores}
        ORDER BY l.log
    """).fetchall()
    return Snapshot(path=path, logs=tuple(LogVersion(*r) for r in rows))


def snapshot(path: str | Path) -> Snapshot:
    """The store's current version; the last one seen (marked stale) while a writer holds the lock."""
    key = str(Path(path).resolve())
    try:
        with reading(path) as con:
            snap = read_snapshot(con, key)
    except StoreLockedError:
        with _LAST_LOCK:
            last = _LAST.get(key)
        if last is None:
            raise
        return dataclasses.replace(last, stale=True)
    with _LAST_LOCK:
        _LAST[key] = snap
    return snap


def forget_snapshots() -> None:
    """Forget the last versions seen (with the caches, on "refresh")."""
    with _LAST_LOCK:
        _LAST.clear()


def require_log(snap: Snapshot, log_name: str) -> LogVersion:
    """The log's version; a `StoreError` when the store has no such log."""
    v = snap.get(log_name)
    if v is None:
        raise StoreError(f"no log named '{log_name}' in the store")
    return v


def require_run(snap: Snapshot, log_name: str) -> LogVersion:
    """The log's version, which must have a mining run (`NotMinedError` otherwise)."""
    v = require_log(snap, log_name)
    if v.run_id is None:
        raise NotMinedError(log_name)
    return v


# --- reads that are never cached: small, and must show a new write at once ----------------------

_LAST_MARKS: dict[tuple[str, str], pd.DataFrame] = {}
_LAST_SIMULATIONS: dict[tuple[str, str], dict[str, dict[str, Any]]] = {}


def marks(snap: Snapshot, log_name: str) -> tuple[pd.DataFrame, bool]:
    """The process owner's marks of the log (labels schema) and whether they are the last ones seen
    (store locked). Not cached: they are few, and the process owner must see a mark right after saving."""
    key = (snap.path, log_name)
    try:
        with reading(snap.path) as con:
            df = marks_lib.read(con, log_name)
    except StoreLockedError:
        if key in _LAST_MARKS:
            return _LAST_MARKS[key], True
        raise
    _LAST_MARKS[key] = df
    return df, False


def save_mark(path: str, *, log_name: str, candidate_id: str, activities: Sequence[str], kind: str,
              decision: str, comment: str, author: str | None = None) -> None:
    """Write one mark in the store's one short read-write transaction (retried briefly while locked); `author`
    is the logged-in subject (None: the OS user, the explorer without a login)."""
    with _PROCESS_LOCK:
        marks_lib.save(path, log_name=log_name, candidate_id=candidate_id, activities=activities, kind=kind,
                       decision=decision, comment=comment, author=author)


def simulated_candidates(snap: Snapshot, log_name: str) -> dict[str, dict[str, Any]]:
    """candidate_id → the latest `saksflyt simulate --candidate` run of that candidate alone (row with `result`
    parsed, as `simulation_results.latest_by_candidate` gives it). A few small rows, read on every page load
    like `monitor_run` (a new run is not part of the store's version and must show at once); the last ones
    seen while a writer holds the lock."""
    from saksflyt.automation_scoring import simulation_results

    key = (snap.path, log_name)
    if snap.stale and key in _LAST_SIMULATIONS:
        return _LAST_SIMULATIONS[key]
    try:
        with reading(snap.path) as con:
            runs = simulation_results.latest_by_candidate(con, log_name)
    except StoreLockedError:
        if key in _LAST_SIMULATIONS:
            return _LAST_SIMULATIONS[key]
        raise
    _LAST_SIMULATIONS[key] = runs
    return runs


def explorer_record(path: str | Path, *, action: str, log_name: str | None = None, what: str = "",
                    detail: str = "", subject: str | None = None) -> bool:
    """`audit.record` as the explorer calls it (page views, download buttons' `on_click`): a short retry, and
    the explorer's in-process lock, so its read-only loads and this write take turns on the file's one DuckDB
    database (another session's read must not meet a read-write handle and fail its page)."""
    return audit.record(path, action=action, log_name=log_name, what=what, detail=detail, subject=subject,
                        retry_seconds=audit.VIEW_RETRY_SECONDS, lock=_PROCESS_LOCK)
