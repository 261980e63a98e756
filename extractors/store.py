"""The one place a DuckDB connection is opened, and the migration runner every package registers with.

DuckDB lets one process write, and while it does no other process may open the file, not even to read.
So writers compute first and open the store only for their final transaction (`write`), readers open
short read-only connections (`read`), and both retry briefly while the file is locked.
Every way in (`connect`, `attached`, `write_attached`) checks, once the file is open, that it is whole
and not from a newer Saksflyt before anything reads or writes it (`store_health`), and the blocks of
`read`, `write` and the attachments report a damaged store or a full disk as one `StoreError` line.
"""
from __future__ import annotations

import contextlib
import logging
import os
import time
from collections.abc import Callable, Iterator
from typing import TypeVar
from pathlib import Path

import duckdb

from . import store_health
from .errors import StoreError, StoreLockedError
from .migrations import Migration, register, register_provider, registered  # noqa: F401  (public here too)
from .sql_text import identifier, literal

log = logging.getLogger(__name__)
T = TypeVar("T")

DEFAULT_STORE = "saksflyt.duckdb"
LOCK_RETRY_SECONDS = 10.0


def store_path(path: str | os.PathLike[str] | None = None) -> Path:
    """Resolve the store: explicit path, else env SAKSFLYT_STORE, else ./saksflyt.duckdb."""
    return Path(path or os.environ.get("SAKSFLYT_STORE") or DEFAULT_STORE)


def _configure(con: duckdb.DuckDBPyConnection) -> duckdb.DuckDBPyConnection:
    # UTC everywhere in the engine; local time only where a statistic says so (month buckets).
    con.execute("SET TimeZone='UTC'")
    con.execute("SET autoinstall_known_extensions=false")
    con.execute("SET autoload_known_extensions=false")
    return con


def _is_lock_error(exc: Exception) -> bool:
    text = str(exc).lower()
    return "lock" in text or "conflicting" in text or "being used by another process" in text


def _with_lock_retry(open_: "Callable[[], T]", target: Path, retry_seconds: float) -> "T":
    """Run `open_` until it no longer fails on another process's lock, for at most `retry_seconds`."""
    deadline = time.monotonic() + retry_seconds
    delay = 0.05
    while True:
        try:
            return open_()
        except duckdb.Error as exc:
            damage = store_health.translate(exc, target)
            if damage is not None:
                raise damage from exc
            if not isinstance(exc, duckdb.IOException):
                raise
            if not _is_lock_error(exc):
                raise StoreError(f"{target}: cannot open the store: {exc}") from exc
            if time.monotonic() >= deadline:
                raise StoreLockedError(
                    f"{target}: the store is locked by another process; try again shortly"
                ) from exc
            time.sleep(delay)
            delay = min(delay * 2, 0.5)


def connect(
    path: str | os.PathLike[str] | None = None,
    *,
    read_only: bool = False,
    retry_seconds: float = LOCK_RETRY_SECONDS,
) -> duckdb.DuckDBPyConnection:
    """Open the store (or an in-memory database for ':memory:'), retrying briefly while it is locked."""
    if str(path) == ":memory:":
        return _configure(duckdb.connect(":memory:"))
    target = store_path(path)
    if read_only and not target.exists():
        raise StoreError(f"{target}: no store here yet (run `saksflyt ingest` first)")
    con = _with_lock_retry(lambda: duckdb.connect(str(target), read_only=read_only), target, retry_seconds)
    try:
        with store_health.translated(target):
            store_health.check_file(target)   # under DuckDB's file lock: no writer is half-way through
            store_health.check_schema(con, target)
            return _configure(con)
    except BaseException:
        con.close()
        raise


@contextlib.contextmanager
def attached(con: duckdb.DuckDBPyConnection, path: str | os.PathLike[str] | None, alias: str = "src",
             *, retry_seconds: float = LOCK_RETRY_SECONDS) -> Iterator[None]:
    """The store attached read-only to an in-memory database for the block: DuckDB scans the file
    straight into in-memory tables, and the file handle is released on DETACH."""
    target = store_path(path)
    if not target.exists():
        raise StoreError(f"{target}: no store here yet (run `saksflyt ingest` first)")
    _with_lock_retry(lambda: con.execute(f"ATTACH {literal(str(target))} AS {alias} (READ_ONLY)"), target,
                     retry_seconds)
    with store_health.translated(target):
        try:
            store_health.check_file(target)
            store_health.check_schema(con, target, database=alias)
            yield
        finally:
            con.execute(f"DETACH {alias}")


@contextlib.contextmanager
def write_attached(con: duckdb.DuckDBPyConnection, path: str | os.PathLike[str] | None, alias: str = "sf_store",
                   *, retry_seconds: float = LOCK_RETRY_SECONDS, row_group_size: int | None = None) -> Iterator[str]:
    """One write transaction on the store attached to a staging connection, yielding its alias.

    Staged rows then stream from the staging database into the store in one INSERT … SELECT, with no
    copy in between. Only the store is written inside the transaction (DuckDB allows one written
    database per transaction); COMMIT on success, ROLLBACK on any error, DETACH (the lock) always.
    """
    target = store_path(path)
    home = con.execute("SELECT current_database()").fetchall()[0][0]
    # A commit of more than a megabyte checkpoints at once, skipping the WAL: the rows are written once,
    # not to the WAL and then again by the checkpoint on DETACH (mining 1M events: 0.26 -> 0.21 s).
    con.execute("SET checkpoint_threshold = '1MB'")
    options = f" (ROW_GROUP_SIZE {int(row_group_size)})" if row_group_size else ""
    _with_lock_retry(lambda: con.execute(f"ATTACH {literal(str(target))} AS {alias}{options}"), target, retry_seconds)
    with store_health.translated(target):  # DETACH checkpoints, so a full disk can show there too
        try:
            store_health.check_file(target)
            store_health.check_schema(con, target, database=alias)
            con.execute(f"USE {alias}")
            try:
                migrate(con)
            finally:
                con.execute(f"USE {identifier(home)}")
            con.execute("BEGIN TRANSACTION")
            try:
                yield alias
            except BaseException:
                con.execute("ROLLBACK")
                raise
            con.execute("COMMIT")
        finally:
            con.execute(f"DETACH {alias}")


def memory() -> duckdb.DuckDBPyConnection:
    """An in-memory database for staging and computing, with the store's settings."""
    return connect(":memory:")


@contextlib.contextmanager
def read(path: str | os.PathLike[str] | None = None, *,
         retry_seconds: float = LOCK_RETRY_SECONDS) -> Iterator[duckdb.DuckDBPyConnection]:
    """A short read-only connection; closed on exit so writers are not blocked. A damaged block met by a
    query is the same one-line StoreError as one met on opening."""
    con = connect(path, read_only=True, retry_seconds=retry_seconds)
    with store_health.translated(store_path(path)):
        try:
            yield con
        finally:
            con.close()


@contextlib.contextmanager
def write(path: str | os.PathLike[str] | None = None, *,
          retry_seconds: float = LOCK_RETRY_SECONDS) -> Iterator[duckdb.DuckDBPyConnection]:
    """One write transaction: migrated schema, BEGIN, COMMIT on success, ROLLBACK on any error."""
    con = connect(path, retry_seconds=retry_seconds)
    with store_health.translated(store_path(path)):  # closing checkpoints, so a full disk can show there too
        try:
            migrate(con)
            con.execute("BEGIN TRANSACTION")
            try:
                yield con
            except BaseException:
                con.execute("ROLLBACK")
                raise
            con.execute("COMMIT")
        finally:
            con.close()


# --- migrations -------------------------------------------------------------------------------


def migrations() -> list[Migration]:
    from . import schema  # noqa: F401  the event store's own tables register on import

    return registered()


def migrate(con: duckdb.DuckDBPyConnection) -> int:
    """Apply every registered migration not yet recorded, each in its own transaction; idempotent."""
    con.execute(
        "CREATE TABLE IF NOT EXISTS schema_migrations ("
        " package VARCHAR NOT NULL, version INTEGER NOT NULL, description VARCHAR,"
        " applied_at TIMESTAMPTZ NOT NULL DEFAULT now())"
    )
    done = set(con.execute("SELECT package, version FROM schema_migrations").fetchall())
    applied = 0
    for m in migrations():
        if (m.package, m.version) in done:
            continue
        con.execute("BEGIN TRANSACTION")
        try:
            con.execute(m.sql)
            con.execute(
                "INSERT INTO schema_migrations (package, version, description) VALUES (?, ?, ?)",
                [m.package, m.version, m.description],
            )
            con.execute("COMMIT")
        except Exception:
            con.execute("ROLLBACK")
            raise
        applied += 1
        log.debug("applied migration %s/%s", m.package, m.version)
    return applied


def ensure_store(path: str | os.PathLike[str] | None = None) -> Path:
    """Create the store file if needed and bring its schema up to date."""
    target = store_path(path)
    con = connect(target)
    try:
        migrate(con)
    finally:
        con.close()
    return target


def compact(path: str | os.PathLike[str] | None = None) -> None:
    """Rewrite the store into a fresh file and swap it in, so deleted data truly leaves the disk.

    A checkpoint alone only marks the old blocks free; their bytes stay in the file until reused,
    and a dropped log must not be recoverable from it (privacy: erasure means erasure).
    The fresh file takes the old one's name while the old one's write lock is still held: a writer that
    got the lock between a close and the swap would write into the file about to be replaced, and its
    work would be lost. After the swap, whoever opens the name opens the fresh file.
    """
    target = store_path(path)
    fresh = target.with_name(target.name + ".compact")
    for leftover in (fresh, Path(str(fresh) + ".wal")):
        leftover.unlink(missing_ok=True)
    con = connect(target)
    try:
        con.execute("FORCE CHECKPOINT")
        con.execute(f"ATTACH {literal(str(fresh))} AS fresh")
        con.execute(f"COPY FROM DATABASE {identifier(_db_name(con))} TO fresh")
        if store_health.has_table(con, MAINTENANCE_TABLE, database="fresh"):  # the copy owes nothing
            con.execute(f"DELETE FROM fresh.main.{MAINTENANCE_TABLE} WHERE task = 'compact'")
        con.execute("DETACH fresh")
        os.replace(fresh, target)
    finally:
        con.close()
        fresh.unlink(missing_ok=True)   # only left when the copy failed


MAINTENANCE_TABLE = "store_maintenance"


def owe_compaction(con: duckdb.DuckDBPyConnection, detail: str) -> None:
    """Inside a write transaction that deletes data: note that the file must be compacted, so a kill
    before `compact` leaves the debt written down (`finish_pending` pays it)."""
    con.execute(f"INSERT OR REPLACE INTO {MAINTENANCE_TABLE} VALUES ('compact', now(), ?)", [detail])


def finish_pending(path: str | os.PathLike[str] | None = None) -> bool:
    """Compact the store if a drop was stopped before its compaction (its deleted rows' bytes would stay in
    the file until then); True when it did. Called by the commands that write, before their own work."""
    target = store_path(path)
    if not target.exists():
        return False
    with read(target) as con:
        pending = store_health.has_table(con, MAINTENANCE_TABLE) and con.execute(
            f"SELECT count(*) FROM {MAINTENANCE_TABLE} WHERE task = 'compact'").fetchone()[0] > 0
    if pending:
        compact(target)
    return pending


def _db_name(con: duckdb.DuckDBPyConnection) -> str:
    return con.execute("SELECT current_database()").fetchall()[0][0]
