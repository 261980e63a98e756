"""Ingest one source into a named log: detect the format, stage, prepare, commit; and the log catalogue.

Readers for other formats (XES, Noark 5, OCEL, SQL) register themselves with `register_reader`
(`extractors.readers`); the pipeline after staging is the same for every source (`extractors.staging`,
`extractors.ingest_store`).
"""
from __future__ import annotations

import hashlib
import logging
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import duckdb

from . import pseudonym, schema, staging, store, store_health  # noqa: F401  (schema registers the DDL)
from .errors import InputError, StoreError
from .sql_text import literal
from .staging import IngestOptions, IngestReport, Staged
from .ingest_store import Progress, already_loaded, ingest_staged, log_exists  # noqa: F401  (public here too)
from .readers import READERS as _READERS
from .readers import Reader, ReaderSpec, register_reader  # noqa: F401  (public here too)
from .tabular import ColumnMap, stage_tabular

log = logging.getLogger(__name__)


def _tabular(fmt: str) -> Reader:
    def read(con: duckdb.DuckDBPyConnection, path: Path, *, columns: ColumnMap, options: IngestOptions,
             content_hash: str, **_extra: Any) -> Staged:
        return stage_tabular(con, path, fmt=fmt, columns=columns, options=options, content_hash=content_hash)
    return read


register_reader("csv", (".csv", ".tsv", ".txt"), _tabular("csv"))
register_reader("excel", (".xlsx", ".xlsm", ".xls"), _tabular("excel"))
register_reader("parquet", (".parquet", ".pq"), _tabular("parquet"))


def _load_optional_readers() -> None:
    """Readers in their own modules register on import; a missing optional one is not an error here."""
    import importlib

    for module in ("saksflyt.extractors.xes", "saksflyt.extractors.noark5", "saksflyt.extractors.ocel", "saksflyt.extractors.sql"):
        try:
            importlib.import_module(module)
        except ModuleNotFoundError as exc:
            if exc.name != module:
                raise


def detect_format(path: Path, fmt: str | None) -> ReaderSpec:
    _load_optional_readers()
    if fmt:
        if fmt not in _READERS:
            raise InputError(f"unknown --format '{fmt}' (known: {', '.join(sorted(_READERS))})", file=str(path))
        return _READERS[fmt]
    name = path.name.lower()
    for spec in _READERS.values():
        if any(name.endswith(s) for s in spec.suffixes):
            return spec
    raise InputError("unknown file type: give --format (known: " + ", ".join(sorted(_READERS)) + ")",
                     file=str(path))


def content_hash(path: Path) -> str:
    """SHA-256 of the file's bytes (of every file, in name order, for a folder)."""
    h = hashlib.sha256()
    files = sorted(p for p in path.rglob("*") if p.is_file()) if path.is_dir() else [path]
    for f in files:
        if path.is_dir():
            h.update(str(f.relative_to(path)).encode())
        with f.open("rb") as fh:
            for block in iter(lambda: fh.read(1 << 20), b""):
                h.update(block)
    return h.hexdigest()


def ingest_path(path: str | Path, *, store_path: str | Path | None = None, log_name: str,
                options: IngestOptions = IngestOptions(), columns: ColumnMap = ColumnMap(),
                fmt: str | None = None, progress: Progress | None = None, **extra: Any) -> IngestReport:
    """Load one file (or export folder) into log `log_name`; a no-op when the same content is there."""
    src = Path(path)
    if not src.exists():
        raise InputError("no such file or folder", file=str(src))
    if not log_name or not log_name.strip():
        raise InputError("--log needs a name", file=str(src))
    spec = detect_format(src, fmt)
    started = datetime.now(timezone.utc)
    if progress:
        progress("hashing the source")
    digest = content_hash(src)
    target = store.store_path(store_path)
    if already_loaded(target, log_name, digest, mode=options.mode):
        return IngestReport(log=log_name, run_id=None, source=str(src), mode=options.mode, rows_read=0,
                            rows_kept=0, rows_rejected=0, cases=0, noop=True)
    if options.mode == "new" and log_exists(target, log_name):
        raise StoreError(f"log '{log_name}' already holds another source; use --replace to swap it "
                         f"or --append to add rows")
    con = store.memory()
    try:
        if progress:
            progress(f"reading {spec.name}")
        staged = spec.read(con, src, columns=columns, options=options, content_hash=digest, **extra)
        return ingest_staged(staged, store_path=target, log_name=log_name, options=options,
                             started_at=started, progress=progress)
    finally:
        con.close()


# --- the log catalogue ---------------------------------------------------------------------------


def list_logs(con: duckdb.DuckDBPyConnection) -> list[dict[str, Any]]:
    """One row per log: cases, events, activities and time span (UTC)."""
    rows = con.execute("""
        SELECT l.log, l.source_kind, count(DISTINCT e.case_id) AS cases, count(e.case_id) AS events,
               count(DISTINCT e.activity) AS activities, min(e.ts_end) AS first_event_at,
               max(e.ts_end) AS last_event_at, l.pseudonymised
        FROM logs l LEFT JOIN events e USING (log)
        GROUP BY l.log, l.source_kind, l.pseudonymised ORDER BY l.log
    """).fetchall()
    keys = ("log", "source_kind", "cases", "events", "activities", "first_event_at", "last_event_at",
            "pseudonymised")
    return [dict(zip(keys, r)) for r in rows]


def require_log(con: duckdb.DuckDBPyConnection, log_name: str) -> None:
    if not con.execute("SELECT count(*) FROM logs WHERE log = ?", [log_name]).fetchone()[0]:
        known = [r[0] for r in con.execute("SELECT log FROM logs ORDER BY log").fetchall()]
        raise StoreError(f"no log named '{log_name}' (logs: {', '.join(known) or 'none'})")


DEFAULT_DATE_BEFORE = "1971-01-01"


def quality(con: duckdb.DuckDBPyConnection, log_name: str) -> dict[str, Any]:
    """Data-quality figures a process owner should know before trusting any statistic."""
    require_log(con, log_name)
    events, ties, day, no_res, default_dates, with_start, future = con.execute(f"""
        WITH e AS (SELECT * FROM events WHERE log = ?),
        t AS (SELECT case_id, ts_end, count(*) AS n FROM e GROUP BY ALL HAVING count(*) > 1)
        SELECT (SELECT count(*) FROM e), (SELECT coalesce(sum(n), 0) FROM t),
               (SELECT count(*) FILTER (WHERE ts_precision = 'day') FROM e),
               (SELECT count(*) FILTER (WHERE resource IS NULL) FROM e),
               (SELECT count(*) FILTER (WHERE ts_end < TIMESTAMPTZ {literal(DEFAULT_DATE_BEFORE)}
                                          OR ts_start < TIMESTAMPTZ {literal(DEFAULT_DATE_BEFORE)}) FROM e),
               (SELECT count(*) FILTER (WHERE ts_start IS NOT NULL) FROM e),
               (SELECT count(*) FILTER (WHERE ts_end > now() + INTERVAL 1 DAY) FROM e)
    """, [log_name]).fetchone()
    runs = con.execute("SELECT rows_read, rows_kept, rows_rejected, stats FROM ingest_runs WHERE log = ? "
                       "ORDER BY started_at", [log_name]).fetchall()
    import json

    extra: dict[str, int] = {}
    for _, _, _, stats in runs:
        for k, v in json.loads(stats or "{}").items():
            if isinstance(v, (int, float)):
                # every load recomputes the kinds of the whole log: its latest count is the log's
                extra[k] = int(v) if k == "resources_reclassified" else extra.get(k, 0) + int(v)
    reasons = con.execute("SELECT reason, count(*) FROM ingest_rejects WHERE log = ? GROUP BY 1 ORDER BY 2 DESC",
                          [log_name]).fetchall()
    share = (lambda n: round(n / events, 4) if events else 0.0)
    return {
        "log": log_name, "events": events,
        "events_in_timestamp_ties": ties, "tie_share": share(ties),
        "day_precision_events": day, "day_precision_share": share(day),
        "missing_resource_events": no_res, "missing_resource_share": share(no_res),
        "events_with_start_time": with_start,
        "suspicious_default_dates": default_dates, "future_dates": future,
        "rows_rejected": sum(r[2] for r in runs), "reject_reasons": {r: n for r, n in reasons},
        "ingest_runs": len(runs), **extra,
        "resource_kinds": resource_kinds(con, log_name),
    }


RESOURCE_KIND_COLUMNS = ("resource", "kind", "decided_by", "events", "instant_share", "measured_share",
                         "off_hours_share", "weekend_share", "night_share", "burst_share", "boundary_share",
                         "median_wait_hours", "reason")


def resource_kinds(con: duckdb.DuckDBPyConnection, log_name: str) -> list[dict[str, Any]]:
    """Each resource's kind, what decided it and its evidence (`resource_behaviour`), busiest first;
    resources as stored (pseudonyms). Empty for a store written before the table existed."""
    if not store_health.has_table(con, "resource_kinds"):
        return []
    columns = [f"round({c}, 4)" if c.endswith("_share") else f"round({c}, 2)" if c == "median_wait_hours" else c
               for c in RESOURCE_KIND_COLUMNS]
    rows = con.execute(f"SELECT {', '.join(columns)} FROM resource_kinds WHERE log = ? "
                       "ORDER BY events DESC, resource", [log_name]).fetchall()
    return [dict(zip(RESOURCE_KIND_COLUMNS, r)) for r in rows]


def drop_log(store_path: str | Path | None, log_name: str) -> int:
    """Remove a log and everything stored about it, then compact the file so its data truly leaves the disk."""
    target = store.store_path(store_path)
    if not target.exists():
        raise StoreError(f"{target}: no store here")
    with store.write(target) as con:
        require_log(con, log_name)
        n = con.execute("SELECT count(*) FROM events WHERE log = ?", [log_name]).fetchone()[0]
        tables = [r[0] for r in con.execute(
            "SELECT DISTINCT table_name FROM duckdb_columns() WHERE column_name = 'log' "
            "AND NOT internal AND database_name = current_database() AND schema_name = 'main'").fetchall()]
        views = {r[0] for r in con.execute("SELECT view_name FROM duckdb_views()").fetchall()}
        for t in tables:
            if t not in views:
                con.execute(f"DELETE FROM {staging.q(t)} WHERE log = ?", [log_name])
        store.owe_compaction(con, f"drop of {log_name}")
    store.compact(target)
    return n
