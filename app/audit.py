"""Writing the audit trail (`extractors.audit_log`): who the subject is, retention, one short transaction.

The CLI's writers (ingest, mine, drop) and the explorer (page views, exports, marks) call `record` after
their work has committed: a failed command leaves the store unchanged, so only done work is audited.
An audit write never fails the work it describes: a locked or read-only store gives a warning, not an
error (`record` returns False). Each write also applies retention (`[audit] retention_days`, env
SAKSFLYT_AUDIT_RETENTION_DAYS, default 365 days), so the table never outgrows it.
"""
from __future__ import annotations

import contextlib
import getpass
import logging
import os
from collections.abc import Mapping
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import duckdb

from saksflyt.extractors import audit_log, store
from saksflyt.extractors.audit_log import AuditEntry
from saksflyt.extractors.errors import InputError, SaksflytError, StoreError

log = logging.getLogger(__name__)

RETENTION_ENV = "SAKSFLYT_AUDIT_RETENTION_DAYS"
DEFAULT_RETENTION_DAYS = 365
CLI_RETRY_SECONDS = 5.0       # the CLI's work is done; a short wait for the lock, then a warning
VIEW_RETRY_SECONDS = 0.5      # a page view must not wait long for a writer


def os_subject() -> str:
    """The subject of the CLI and of the explorer without login: the OS user (`os:alice`), else `local`."""
    try:
        user = getpass.getuser()
    except (KeyError, OSError):  # no user name for the uid (a container without /etc/passwd entry)
        return "local"
    return f"os:{user}" if user else "local"


_CONFIGURED_DAYS: int | None = None   # a config file's [audit] retention_days, set by `use_config`


def _days(raw: object, source: str, file: str | None = None) -> int:
    try:
        days = int(str(raw))
    except ValueError:
        raise InputError(f"{source}: not a whole number of days: {raw!r}", file=file) from None
    if days < 1:
        raise InputError(f"{source}: must be at least 1 day, got {days}", file=file)
    return days


def use_config(config: Mapping[str, Any], *, file: str | None = None) -> int | None:
    """Make a config file's `[audit] retention_days` this process's setting (`mine --config`, `explore
    --config`); the environment still wins. Returns the days it set, or None when the file has none."""
    global _CONFIGURED_DAYS
    table = config.get("audit")
    if table is None:
        return None
    if not isinstance(table, dict) or set(table) - {"retention_days"}:
        raise InputError("[audit] holds only retention_days", file=file)
    if "retention_days" in table:
        _CONFIGURED_DAYS = _days(table["retention_days"], "[audit] retention_days", file)
    return _CONFIGURED_DAYS


def retention_days(config: Mapping[str, Any] | None = None) -> int:
    """Days rows are kept: env SAKSFLYT_AUDIT_RETENTION_DAYS, else the config's `[audit] retention_days`
    (given here, or earlier to `use_config`), else 365."""
    raw = os.environ.get(RETENTION_ENV)
    if raw not in (None, ""):
        return _days(raw, RETENTION_ENV)
    given = ((config or {}).get("audit") or {}).get("retention_days")
    if given is not None:
        return _days(given, "[audit] retention_days")
    return _CONFIGURED_DAYS if _CONFIGURED_DAYS is not None else DEFAULT_RETENTION_DAYS


def retention_days_or_default() -> int:
    """`retention_days`, but a bad setting gives a warning and the default: it must not fail a mark's save."""
    try:
        return retention_days()
    except InputError as exc:
        log.warning("audit trail: %s; keeping rows %d days", exc, DEFAULT_RETENTION_DAYS)
        return DEFAULT_RETENTION_DAYS


def write(path: str | Path, entries: list[AuditEntry], *, retention: int | None = None,
          retry_seconds: float = CLI_RETRY_SECONDS) -> int:
    """Append entries and apply retention in one short write transaction; returns the rows pruned.
    Raises `StoreError` (locked, missing, unwritable); `record` is the forgiving form."""
    target = store.store_path(path)
    if not target.exists():  # never create a store just to audit a view of nothing
        raise StoreError(f"{target}: no store here")
    days = retention if retention is not None else retention_days()
    with store.write(target, retry_seconds=retry_seconds) as con:
        return append_kept(con, entries, retention=days)


def append_kept(con: duckdb.DuckDBPyConnection, entries: list[AuditEntry], *, retention: int) -> int:
    """Inside the caller's write transaction (a mark's, or `write`'s own): append, then apply retention from
    the newest entry's time; returns the rows pruned."""
    audit_log.append(con, entries)
    return audit_log.prune(con, now=max(e.recorded_at for e in entries), retention_days=retention)


def record(path: str | Path, *, action: str, log_name: str | None = None, what: str = "", detail: str = "",
           subject: str | None = None, retry_seconds: float = CLI_RETRY_SECONDS,
           lock: contextlib.AbstractContextManager | None = None) -> bool:
    """Append one row now; False (and a warning) when the store cannot take it. `lock` is the explorer's
    in-process lock: its reads and this write take turns on the one DuckDB database of the file."""
    entry = AuditEntry(recorded_at=datetime.now(timezone.utc), subject=subject or os_subject(), action=action,
                       log_name=log_name, what=what, detail=detail)
    try:
        with lock or contextlib.nullcontext():
            write(path, [entry], retry_seconds=retry_seconds)
    except (SaksflytError, duckdb.Error, OSError) as exc:
        log.warning("audit trail: could not record %s of %s: %s", action, log_name or "the store", exc)
        return False
    return True


def newest_first(entries: list[AuditEntry], *, actions: tuple[str, ...] = (), subjects: tuple[str, ...] = (),
                 limit: int = 1000) -> list[AuditEntry]:
    """The rows the audit page shows: only the chosen actions and subjects (none chosen: all), newest first."""
    kept = [e for e in entries if (not actions or e.action in actions) and (not subjects or e.subject in subjects)]
    return sorted(kept, key=lambda e: e.recorded_at, reverse=True)[:limit]
