"""What every reader's ingest shares at the store: whether the content is there, whether a log exists, the commit.

Apart from `extractors.ingest` so that readers with their own ingest (Noark 5, SQL) can use it without
importing `ingest`, which imports them to find the formats.
"""
from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timezone
from pathlib import Path

from . import pseudonym, staging, store
from .staging import IngestOptions, IngestReport, Staged

Progress = Callable[[str], None]


def already_loaded(store_path: str | Path, log_name: str, digest: str, *, mode: str = "new") -> bool:
    """Whether loading this content would change nothing: any earlier run had it, or, for --replace,
    the log's latest run loaded exactly this content on its own."""
    target = store.store_path(store_path)
    if not target.exists():
        return False
    with store.read(target) as con:
        tables = {r[0] for r in con.execute("SELECT table_name FROM duckdb_tables()").fetchall()}
        if "ingest_runs" not in tables:
            return False
        if mode != "replace":
            return staging.existing_run(con, log_name, digest)
        latest = con.execute("SELECT content_hash, mode FROM ingest_runs WHERE log = ? ORDER BY finished_at DESC "
                             "LIMIT 1", [log_name]).fetchall()
        return bool(latest) and latest[0][0] == digest and latest[0][1] != "append"


def ingest_staged(staged: Staged, *, store_path: str | Path, log_name: str, options: IngestOptions,
                  started_at: datetime | None = None, progress: Progress | None = None) -> IngestReport:
    """The shared tail of every ingest: prepare the staged rows and commit them in one transaction."""
    started = started_at or datetime.now(timezone.utc)
    key = pseudonym.load_key() if options.pseudonymise else None
    report = staging.prepare(staged, options, key=key, progress=progress)
    if progress:
        progress("writing to the store")
    return staging.commit(staged, report, options, store_path=str(store.store_path(store_path)),
                          log_name=log_name, started_at=started)


def log_exists(store_path: str | Path | None, log_name: str) -> bool:
    target = store.store_path(store_path)
    if not target.exists():
        return False
    with store.read(target) as con:
        tables = {r[0] for r in con.execute("SELECT table_name FROM duckdb_tables()").fetchall()}
        return "logs" in tables and bool(
            con.execute("SELECT count(*) FROM logs WHERE log = ?", [log_name]).fetchone()[0])
