"""The process owner's marks on automation candidates: the one table the explorer writes.

A mark says accepted / rejected / needs review, with a comment, for one candidate of one log. It is
keyed by (`log`, `candidate_id`), and candidate ids are stable across mining runs (kind + activities,
not rank), so marks survive re-mining. Each save is one short read-write transaction through
`extractors.store.write`, which retries briefly while another process holds the lock, like the CLI's
writers. Exports use the labels schema that `saksflyt candidates --train` reads:
`log, candidate_id, activities, kind, decision, comment, marked_at`. Each mark records its `author` (a
subject id, never a name), and the same transaction appends the mark to the audit trail.
"""
from __future__ import annotations

import io
from collections.abc import Sequence
from datetime import datetime, timezone
from pathlib import Path

import duckdb
import pandas as pd

from saksflyt.automation_scoring.results import ACTIVITY_SEPARATOR
from saksflyt.app import audit
from saksflyt.extractors import audit_log, store, store_health
from saksflyt.extractors.errors import InputError

DECISIONS = ("accepted", "rejected", "needs_review")
LABEL_COLUMNS = ("log", "candidate_id", "activities", "kind", "decision", "comment", "marked_at")
TABLE = "app_marks"

_V1 = f"""
CREATE TABLE {TABLE} (
    log          VARCHAR     NOT NULL,
    candidate_id VARCHAR     NOT NULL,
    activities   VARCHAR[]   NOT NULL,
    kind         VARCHAR     NOT NULL,
    decision     VARCHAR     NOT NULL CHECK (decision IN ('accepted', 'rejected', 'needs_review')),
    comment      VARCHAR     NOT NULL DEFAULT '',
    marked_at    TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (log, candidate_id)
);
"""

store.register("app", 1, "the process owner's marks on automation candidates", _V1)
# Who marked: the subject (`os:alice`, a login's subject id); NULL on marks saved before the column existed.
store.register("app", 2, "app_marks.author: the subject who marked", f"ALTER TABLE {TABLE} ADD COLUMN author VARCHAR;")


def save(path: str | Path, *, log_name: str, candidate_id: str, activities: Sequence[str], kind: str,
         decision: str, comment: str = "", marked_at: datetime | None = None, author: str | None = None) -> datetime:
    """Insert or replace the mark of one candidate, with its author (default: the OS user) and its audit row,
    in one short write transaction; returns its time."""
    if decision not in DECISIONS:
        raise InputError(f"decision must be one of {', '.join(DECISIONS)}, got '{decision}'")
    if not candidate_id:
        raise InputError("a mark needs the candidate's id")
    when = marked_at or datetime.now(timezone.utc)
    who = author or audit.os_subject()
    days = audit.retention_days_or_default()
    with store.write(path) as con:
        con.execute(f"INSERT OR REPLACE INTO {TABLE} ({', '.join(LABEL_COLUMNS)}, author) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                    [log_name, candidate_id, list(activities), kind, decision, comment.strip(), when, who])
        audit.append_kept(con, [audit_log.AuditEntry(recorded_at=datetime.now(timezone.utc), subject=who, action="mark",
                                                     log_name=log_name, what=candidate_id, detail=decision)],
                          retention=days)
    return when


def read(con: duckdb.DuckDBPyConnection, log_name: str | None = None) -> pd.DataFrame:
    """Marks in the labels schema (activities as a list), newest first; empty before the first mark."""
    if not store_health.has_table(con, TABLE):
        return pd.DataFrame({c: pd.Series(dtype="object") for c in LABEL_COLUMNS})
    where, params = ("WHERE log = ?", [log_name]) if log_name else ("", [])
    df = con.execute(f"SELECT {', '.join(LABEL_COLUMNS)} FROM {TABLE} {where} "
                     f"ORDER BY marked_at DESC, candidate_id", params).df()
    df["activities"] = df["activities"].map(list)
    return df


def _labels(df: pd.DataFrame) -> pd.DataFrame:
    """The labels file's columns: activities joined by ` → ` as in `candidates.csv`, `marked_at` as ISO 8601 UTC."""
    out = df.loc[:, list(LABEL_COLUMNS)].copy()
    out["activities"] = out["activities"].map(lambda a: ACTIVITY_SEPARATOR.join(a))
    out["marked_at"] = pd.to_datetime(out["marked_at"], utc=True).map(
        lambda t: t.isoformat().replace("+00:00", "Z") if pd.notna(t) else "")
    return out


def to_csv(df: pd.DataFrame) -> bytes:
    """The marks as a labels CSV (UTF-8, comma-separated)."""
    return _labels(df).to_csv(index=False).encode("utf-8")


def to_excel(df: pd.DataFrame) -> bytes:
    """The marks as a labels workbook (one sheet, `labels`), written with openpyxl."""
    buf = io.BytesIO()
    with pd.ExcelWriter(buf, engine="openpyxl") as xl:
        _labels(df).to_excel(xl, sheet_name="labels", index=False)
    return buf.getvalue()
