"""The monitor's tables in the store (DDL), writing a run, reading the latest one, and the export files.

monitor_runs — one row per run of `saksflyt monitor`
    log, run_id, run_seq, created_at, as_of (what the run knew: events completed by then), cases,
    open_cases, closed_cases, trained (whether predictions exist), message (why not), settings JSON
    (the deadline config as read), evaluation JSON (the `monitor_evaluation.json` contents), history
    JSON (compliance per month, refunds per year)
deadline_status — the legal clock of every case whose clock started, as known at `as_of`
    the fields of `deadline_status.csv` plus deadline_days and pause_open
open_cases — one row per open case: the fields of `open_cases.csv`, `reasons` as a list, rank, and `texts`
    JSON (reasons and next activity in nb and en; NULL before v2)

Every table has a `log` column, so `saksflyt drop --log` removes them with the events. Only the
`KEEP_RUNS` latest runs of a log are kept.
"""
from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd

from saksflyt.extractors import store

KEEP_RUNS = 5

_V1 = """
CREATE TABLE monitor_runs (
    log VARCHAR NOT NULL, run_id VARCHAR NOT NULL, run_seq INTEGER NOT NULL, created_at TIMESTAMPTZ NOT NULL,
    as_of TIMESTAMPTZ NOT NULL, cases BIGINT NOT NULL, open_cases BIGINT NOT NULL, closed_cases BIGINT NOT NULL,
    trained BOOLEAN NOT NULL, message VARCHAR, settings JSON NOT NULL, evaluation JSON, history JSON NOT NULL
);
CREATE TABLE deadline_status (
    log VARCHAR NOT NULL, run_id VARCHAR NOT NULL, case_id VARCHAR NOT NULL, closed BOOLEAN NOT NULL,
    clock_start DATE NOT NULL, deadline_days INTEGER, deadline_date DATE, decided_at TIMESTAMPTZ,
    days_used INTEGER NOT NULL, days_paused INTEGER NOT NULL, pause_open BOOLEAN NOT NULL, extension_days INTEGER NOT NULL,
    days_left INTEGER, in_time BOOLEAN, weeks_over INTEGER, refund_nok DOUBLE
);
CREATE TABLE open_cases (
    log VARCHAR NOT NULL, run_id VARCHAR NOT NULL, rank INTEGER NOT NULL, case_id VARCHAR NOT NULL,
    clock_start DATE NOT NULL, deadline_date DATE, days_used INTEGER NOT NULL, days_paused INTEGER NOT NULL,
    days_left INTEGER, weeks_over INTEGER, refund_nok_so_far DOUBLE, predicted_remaining_days DOUBLE,
    predicted_remaining_days_low DOUBLE, predicted_remaining_days_high DOUBLE, p_miss DOUBLE,
    expected_refund_nok DOUBLE, current_activity VARCHAR NOT NULL, waiting_days DOUBLE NOT NULL,
    next_activity VARCHAR, reasons VARCHAR[] NOT NULL
);
"""
store.register("monitor", 1, "monitor: deadline clock per case, open-case predictions, runs", _V1)
# v2: an open case's reasons and next activity in both languages ({"nb": {...}, "en": {...}}), for the
# explorer's page language; `reasons` and `next_activity` stay in the run's language. NULL before.
store.register("monitor", 2, "open-case reasons in both languages (texts)", "ALTER TABLE open_cases ADD COLUMN texts JSON;")

DEADLINE_STATUS_COLUMNS = ("case_id", "closed", "clock_start", "deadline_date", "decided_at", "days_used",
                           "days_paused", "in_time", "weeks_over", "refund_nok")
OPEN_CASES_COLUMNS = ("case_id", "clock_start", "deadline_date", "days_used", "days_paused", "days_left",
                      "weeks_over", "refund_nok_so_far", "predicted_remaining_days", "predicted_remaining_days_low",
                      "predicted_remaining_days_high", "p_miss", "expected_refund_nok", "current_activity",
                      "waiting_days", "reasons")


def write_run(con: duckdb.DuckDBPyConnection, *, run: dict[str, Any], status: pd.DataFrame,
              open_cases: pd.DataFrame) -> int:
    """Store one run (call inside `store.write`); returns its run_seq. Older runs beyond KEEP_RUNS go."""
    log_name, run_id = run["log"], run["run_id"]
    seq = con.execute("SELECT coalesce(max(run_seq), 0) + 1 FROM monitor_runs WHERE log = ?",
                      [log_name]).fetchall()[0][0]
    con.execute("""INSERT INTO monitor_runs VALUES (?, ?, ?, now(), ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
                [log_name, run_id, seq, run["as_of"], run["cases"], run["open_cases"], run["closed_cases"],
                 run["trained"], run["message"], json.dumps(run["settings"], ensure_ascii=False),
                 json.dumps(run["evaluation"], ensure_ascii=False) if run["evaluation"] is not None else None,
                 json.dumps(run["history"], ensure_ascii=False)])
    cols = ["case_id", "closed", "clock_start", "deadline_days", "deadline_date", "decided_at", "days_used",
            "days_paused", "pause_open", "extension_days", "days_left", "in_time", "weeks_over", "refund_nok"]
    con.register("_status", status[cols])
    con.execute(f"INSERT INTO deadline_status SELECT ?, ?, {', '.join(cols)} FROM _status", [log_name, run_id])
    con.unregister("_status")
    ocols = ["rank", *OPEN_CASES_COLUMNS[:-1], "next_activity", "reasons", *(["texts"] if "texts" in open_cases else [])]
    con.register("_open", open_cases[ocols])
    con.execute(f"INSERT INTO open_cases SELECT ?, ?, {', '.join(ocols)} FROM _open", [log_name, run_id])
    con.unregister("_open")
    old = [r[0] for r in con.execute("SELECT run_id FROM monitor_runs WHERE log = ? ORDER BY run_seq DESC OFFSET ?",
                                     [log_name, KEEP_RUNS]).fetchall()]
    for rid in old:
        for table in ("monitor_runs", "deadline_status", "open_cases"):
            con.execute(f"DELETE FROM {table} WHERE log = ? AND run_id = ?", [log_name, rid])
    return seq


def has_runs(con: duckdb.DuckDBPyConnection) -> bool:
    return bool(con.execute("SELECT count(*) FROM duckdb_tables() WHERE table_name = 'monitor_runs' "
                            "AND database_name = current_database()").fetchall()[0][0])


def latest(con: duckdb.DuckDBPyConnection, log_name: str) -> dict[str, Any] | None:
    """The latest monitor run of a log (its row, JSON fields parsed), or None."""
    if not has_runs(con):
        return None
    frame = con.execute("SELECT * FROM monitor_runs WHERE log = ? ORDER BY run_seq DESC LIMIT 1", [log_name]).df()
    if frame.empty:
        return None
    row = frame.iloc[0].to_dict()
    for key in ("settings", "evaluation", "history"):
        row[key] = json.loads(row[key]) if isinstance(row[key], str) else None
    return row


def read(con: duckdb.DuckDBPyConnection, table: str, log_name: str, run_id: str) -> pd.DataFrame:
    if table not in ("deadline_status", "open_cases"):
        raise ValueError(table)
    order = "rank" if table == "open_cases" else "case_id"
    return con.execute(f"SELECT * EXCLUDE (log, run_id) FROM {table} WHERE log = ? AND run_id = ? ORDER BY {order}",
                       [log_name, run_id]).df()


def _plain(value: Any) -> Any:
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, pd.Timestamp):
        return value.isoformat()
    if hasattr(value, "isoformat"):
        return value.isoformat()
    if hasattr(value, "tolist"):
        return value.tolist()
    return value


def export(out_dir: str | Path, *, status: pd.DataFrame, open_cases: pd.DataFrame,
           evaluation: dict[str, Any] | None) -> list[Path]:
    """open_cases.csv/.json, deadline_status.csv and monitor_evaluation.json (monitor.html is the report's)."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    files = []
    frame = status[list(DEADLINE_STATUS_COLUMNS)].copy()
    frame["decided_at"] = frame["decided_at"].map(lambda v: v.isoformat() if pd.notna(v) else "")
    frame.to_csv(out / "deadline_status.csv", index=False, float_format="%.2f")
    files.append(out / "deadline_status.csv")
    oc = open_cases[list(OPEN_CASES_COLUMNS)].copy()
    csv = oc.assign(reasons=oc["reasons"].map(lambda r: " | ".join(r)))
    csv.to_csv(out / "open_cases.csv", index=False, float_format="%.3f")
    records = [{k: _plain(v) for k, v in row.items()} for row in oc.to_dict(orient="records")]
    for r in records:
        r["reasons"] = list(r["reasons"] or [])
    (out / "open_cases.json").write_text(json.dumps(records, ensure_ascii=False, indent=1), encoding="utf-8")
    files += [out / "open_cases.csv", out / "open_cases.json"]
    (out / "monitor_evaluation.json").write_text(
        json.dumps(evaluation if evaluation is not None else {"trained": False}, ensure_ascii=False, indent=1),
        encoding="utf-8")
    files.append(out / "monitor_evaluation.json")
    return files
