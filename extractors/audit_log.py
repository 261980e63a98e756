"""The audit trail's table, `audit_log`: who looked at and changed which log, and when.

Part of the store's schema, so it lives here; the app writes it (`saksflyt.app.audit`). Rows are only ever
appended; the one delete is retention (`prune`). The log's column is `log_name`, not `log`, on purpose:
`drop_log` deletes every row of every table with a `log` column, and the trail of a dropped log (who
dropped it) must outlive the log. No names or personal data: the subject is an id (`os:alice`, a token's
subject), `what` a page, an export or a candidate id.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

import duckdb

from . import migrations, store_health
from .sql_text import literals

TABLE = "audit_log"
# `refused`: a logged-in person asked for a log or page their grants do not open (a direct URL, a query
# parameter, the audit page without admin): the attempt itself is worth an auditor's eye
ACTIONS = ("view", "export", "mark", "ingest", "mine", "drop", "refused")
_V1_ACTIONS = ACTIONS[:6]
COLUMNS = ("recorded_at", "subject", "action", "log_name", "what", "detail")



def _create(name: str, actions: Sequence[str]) -> str:
    return f"""
CREATE TABLE {name} (
    recorded_at TIMESTAMPTZ NOT NULL,
    subject  VARCHAR     NOT NULL,
    action   VARCHAR     NOT NULL CHECK (action IN ({literals(actions)})),
    log_name VARCHAR,
    what     VARCHAR     NOT NULL DEFAULT '',
    detail   VARCHAR     NOT NULL DEFAULT ''
);
"""


# DuckDB cannot change a CHECK in place: version 2 copies the rows into a table whose CHECK knows `refused`.
_V2 = (_create(f"{TABLE}_v2", ACTIONS)
       + f"INSERT INTO {TABLE}_v2 SELECT {', '.join(COLUMNS)} FROM {TABLE};\n"
       + f"DROP TABLE {TABLE};\nALTER TABLE {TABLE}_v2 RENAME TO {TABLE};\n")

# Its own migration package: the audit trail is versioned apart from the event tables.
migrations.register("audit", 1, "audit_log: who viewed, exported, marked, ingested, mined or dropped which log",
                    _create(TABLE, _V1_ACTIONS))
migrations.register("audit", 2, "audit_log: also `refused`, a request for a log or page the person may not see", _V2)


@dataclass(frozen=True)
class AuditEntry:
    """One thing a subject did: `what` is a page name, an export's file, a candidate id or a source kind."""

    recorded_at: datetime
    subject: str
    action: str
    log_name: str | None = None
    what: str = ""
    detail: str = ""


def exists(con: duckdb.DuckDBPyConnection) -> bool:
    """Whether the store has the table yet (a store no audited command has written to has not)."""
    return store_health.has_table(con, TABLE)


def append(con: duckdb.DuckDBPyConnection, entries: Sequence[AuditEntry]) -> None:
    """Append entries inside the caller's transaction (the only INSERT path)."""
    con.executemany(f"INSERT INTO {TABLE} ({', '.join(COLUMNS)}) VALUES (?, ?, ?, ?, ?, ?)",
                    [[e.recorded_at, e.subject, e.action, e.log_name, e.what, e.detail] for e in entries])


def prune(con: duckdb.DuckDBPyConnection, *, now: datetime, retention_days: int) -> int:
    """Retention, the only DELETE path: remove rows older than `retention_days` before `now`."""
    cutoff = now - timedelta(days=retention_days)
    n = con.execute(f"SELECT count(*) FROM {TABLE} WHERE recorded_at < ?", [cutoff]).fetchone()[0]
    if n:
        con.execute(f"DELETE FROM {TABLE} WHERE recorded_at < ?", [cutoff])
    return int(n)


def rows(con: duckdb.DuckDBPyConnection, *, log_name: str | None = None,
         since: datetime | None = None) -> list[AuditEntry]:
    """The trail, oldest first, optionally of one log and from a moment on; empty before the first row."""
    if not exists(con):
        return []
    where, params = [], []
    if log_name is not None:
        where.append("log_name = ?")
        params.append(log_name)
    if since is not None:
        where.append("recorded_at >= ?")
        params.append(since)
    clause = f"WHERE {' AND '.join(where)}" if where else ""
    found = con.execute(f"SELECT {', '.join(COLUMNS)} FROM {TABLE} {clause} ORDER BY recorded_at, subject, action, what",
                        params).fetchall()
    return [AuditEntry(*r) for r in found]
