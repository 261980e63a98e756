"""Mining's result tables in the store: their DDL, writing a run, reading the latest run, exporting.

Every table is keyed by (`log`, `run_id`). `mining_runs` has one row per run; the *latest* run of a log
is the one with the highest `run_seq`, and that is what other commands, the explorer and scoring
read. Earlier runs stay readable until dropped (`drop_run`, `drop_runs`, or `saksflyt drop --log`).
Times are UTC; hours are calendar hours unless the name says `working`; `*_days` count whole days
between local dates (Europe/Oslo by default). Hour statistics use only pairs/cases whose timestamps
have second precision; date-only ones are counted in `*_day_pairs` / `day_precision` and measured in days.

mining_runs — one row per run
    log, run_id, run_seq (1, 2, … per log), started_at, finished_at, cases, closed_cases, events,
    activities, variants, first_event_at, last_event_at (min/max ts_end), median_case_duration_hours,
    median_case_working_hours, median_case_duration_days (all three over closed cases),
    closed_cases_day_precision, end_activities VARCHAR[] (the completion rule's activities),
    completion_rule ('given' | 'most_common'), settings JSON (calendar, coverage, rule text)
mining_activities — one row per activity
    activity, events, cases, case_share (of all cases), resources (distinct, non-null),
    start_cases, end_cases (cases it starts/ends), processing_events (events with a start time and
    second precision), median_processing_hours, p90_processing_hours, total_processing_hours,
    median_processing_working_hours, wait_basis ('measured': ts_start(B) − ts_end(prev), floored at 0,
    used when any of its events has a start; else 'between_completions'), wait_pairs,
    median_wait_hours, p90_wait_hours, total_wait_hours, median_wait_working_hours,
    wait_day_pairs, median_wait_days
mining_dfg — one row per directly-follows pair (source → target) in case order (ts_end, event_seq)
    source, target, count, cases (distinct cases with the pair), hour_pairs, median_hours, mean_hours,
    p90_hours, median_working_hours (time between the two completions), day_pairs, median_days,
    mean_days, p90_days, mean_seconds, median_seconds (over every pair regardless of precision:
    what pm4py's performance DFG reports)
mining_variants — one row per distinct activity sequence
    variant_id (1 = most cases; ties by sequence), activities VARCHAR[], length, cases, case_share,
    closed_cases, median_duration_hours, median_working_hours, median_duration_days (closed cases)
mining_cases — one row per case
    case_id, variant_id, events, start_activity, end_activity, closed, first_at (earliest start or
    completion), last_at (last completion), duration_seconds (all cases, as pm4py), duration_hours,
    working_hours (NULL when an end is date-only), duration_days, day_precision
mining_monthly — one row per month (local time) with any activity
    month (DATE, first day), cases_started, cases_finished (closed cases by last completion), events
"""
from __future__ import annotations

import json
import math
from collections.abc import Mapping
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd

from saksflyt.extractors import store
from saksflyt.extractors.errors import StoreError

VARIANT_SEPARATOR = " → "

_V1 = """
CREATE TABLE mining_runs (
    log                          VARCHAR     NOT NULL,
    run_id                       VARCHAR     NOT NULL,
    run_seq                      INTEGER     NOT NULL,
    started_at                   TIMESTAMPTZ NOT NULL,
    finished_at                  TIMESTAMPTZ NOT NULL,
    cases                        BIGINT      NOT NULL,
    closed_cases                 BIGINT      NOT NULL,
    events                       BIGINT      NOT NULL,
    activities                   BIGINT      NOT NULL,
    variants                     BIGINT      NOT NULL,
    first_event_at               TIMESTAMPTZ,
    last_event_at                TIMESTAMPTZ,
    median_case_duration_hours   DOUBLE,
    median_case_working_hours    DOUBLE,
    median_case_duration_days    DOUBLE,
    closed_cases_day_precision   BIGINT      NOT NULL,
    end_activities               VARCHAR[]   NOT NULL,
    completion_rule              VARCHAR     NOT NULL CHECK (completion_rule IN ('given', 'most_common')),
    settings                     JSON        NOT NULL
);
CREATE TABLE mining_activities (
    log VARCHAR NOT NULL, run_id VARCHAR NOT NULL,
    activity VARCHAR NOT NULL, events BIGINT NOT NULL, cases BIGINT NOT NULL, case_share DOUBLE NOT NULL,
    resources BIGINT NOT NULL, start_cases BIGINT NOT NULL, end_cases BIGINT NOT NULL,
    processing_events BIGINT NOT NULL, median_processing_hours DOUBLE, p90_processing_hours DOUBLE,
    total_processing_hours DOUBLE, median_processing_working_hours DOUBLE,
    wait_basis VARCHAR NOT NULL CHECK (wait_basis IN ('measured', 'between_completions')),
    wait_pairs BIGINT NOT NULL, median_wait_hours DOUBLE, p90_wait_hours DOUBLE, total_wait_hours DOUBLE,
    median_wait_working_hours DOUBLE, wait_day_pairs BIGINT NOT NULL, median_wait_days DOUBLE
);
CREATE TABLE mining_dfg (
    log VARCHAR NOT NULL, run_id VARCHAR NOT NULL,
    source VARCHAR NOT NULL, target VARCHAR NOT NULL, count BIGINT NOT NULL, cases BIGINT NOT NULL,
    hour_pairs BIGINT NOT NULL, median_hours DOUBLE, mean_hours DOUBLE, p90_hours DOUBLE,
    median_working_hours DOUBLE, day_pairs BIGINT NOT NULL, median_days DOUBLE, mean_days DOUBLE,
    p90_days DOUBLE, mean_seconds DOUBLE NOT NULL, median_seconds DOUBLE NOT NULL
);
CREATE TABLE mining_variants (
    log VARCHAR NOT NULL, run_id VARCHAR NOT NULL,
    variant_id INTEGER NOT NULL, activities VARCHAR[] NOT NULL, length BIGINT NOT NULL,
    cases BIGINT NOT NULL, case_share DOUBLE NOT NULL, closed_cases BIGINT NOT NULL,
    median_duration_hours DOUBLE, median_working_hours DOUBLE, median_duration_days DOUBLE
);
CREATE TABLE mining_cases (
    log VARCHAR NOT NULL, run_id VARCHAR NOT NULL,
    case_id VARCHAR NOT NULL, variant_id INTEGER NOT NULL, events BIGINT NOT NULL,
    start_activity VARCHAR NOT NULL, end_activity VARCHAR NOT NULL, closed BOOLEAN NOT NULL,
    first_at TIMESTAMPTZ NOT NULL, last_at TIMESTAMPTZ NOT NULL, duration_seconds DOUBLE NOT NULL,
    duration_hours DOUBLE, working_hours DOUBLE, duration_days BIGINT NOT NULL,
    day_precision BOOLEAN NOT NULL
);
CREATE TABLE mining_monthly (
    log VARCHAR NOT NULL, run_id VARCHAR NOT NULL,
    month DATE NOT NULL, cases_started BIGINT NOT NULL, cases_finished BIGINT NOT NULL, events BIGINT NOT NULL
);
"""

store.register("mining", 1, "mining results: runs, activities, dfg, variants, cases, monthly", _V1)

# Column order of the exported contract files (README "Mining outputs"); do not change without a note.
EXPORT_COLUMNS: dict[str, tuple[str, ...]] = {
    "activities.csv": ("activity", "events", "cases", "case_share", "resources", "median_processing_hours",
                       "total_processing_hours", "median_wait_hours", "total_wait_hours", "wait_basis"),
    "dfg.csv": ("source", "target", "count", "median_hours", "mean_hours", "p90_hours"),
    "variants.csv": ("variant_id", "activities", "cases", "case_share", "median_duration_hours"),
}
SUMMARY_KEYS = ("log", "cases", "closed_cases", "events", "activities", "variants", "first_event_at",
                "last_event_at", "median_case_duration_hours")


# --- writing ----------------------------------------------------------------------------------


def write_run(con: duckdb.DuckDBPyConnection, *, log_name: str, run_id: str, run: Mapping[str, Any],
              tables: Mapping[str, str], into: str) -> int:
    """Insert one run (inside the caller's write transaction on store `into`); returns its `run_seq`.

    `con` is the computing connection with the store attached as `into`, so each result streams from
    its in-memory table straight into the store, without an Arrow copy. `tables` maps a
    result table (e.g. "mining_dfg") to the relation holding its rows without `log`/`run_id`; columns
    are matched by name, so a phase may add a table registered by another package the same way.
    """
    (seq,) = con.execute(f"SELECT coalesce(max(run_seq), 0) + 1 FROM {into}.mining_runs WHERE log = ?",
                         [log_name]).fetchall()[0]
    row = {**run, "log": log_name, "run_id": run_id, "run_seq": seq}
    cols = list(row)
    con.execute(f"INSERT INTO {into}.mining_runs ({', '.join(cols)}) VALUES ({', '.join('?' * len(cols))})",
                [row[c] for c in cols])
    for name, source in tables.items():
        con.execute(f"INSERT INTO {into}.{name} BY NAME SELECT ? AS log, ? AS run_id, * FROM {source}",
                    [log_name, run_id])
    return seq


def result_tables(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Tables holding per-run results: every `mining_*` table with `log` and `run_id` columns."""
    rows = con.execute("""
        SELECT table_name FROM duckdb_columns()
        WHERE database_name = current_database() AND schema_name = 'main' AND table_name LIKE 'mining\\_%' ESCAPE '\\'
          AND column_name IN ('log', 'run_id')
        GROUP BY table_name HAVING count(*) = 2 ORDER BY table_name <> 'mining_runs', table_name
    """).fetchall()
    return [r[0] for r in rows]


def drop_run(con: duckdb.DuckDBPyConnection, log_name: str, run_id: str) -> None:
    """Delete one run's rows from every result table (call inside a write transaction)."""
    for t in result_tables(con):
        con.execute(f"DELETE FROM {t} WHERE log = ? AND run_id = ?", [log_name, run_id])


def drop_runs(con: duckdb.DuckDBPyConnection, log_name: str, *, keep: int = 1) -> list[str]:
    """Delete all but the `keep` latest runs of a log; returns the dropped run ids."""
    old = [r[0] for r in con.execute(
        "SELECT run_id FROM mining_runs WHERE log = ? ORDER BY run_seq DESC OFFSET ?",
        [log_name, max(keep, 0)]).fetchall()]
    for run_id in old:
        drop_run(con, log_name, run_id)
    return old


# --- reading ----------------------------------------------------------------------------------


def has_results(con: duckdb.DuckDBPyConnection) -> bool:
    return bool(con.execute("SELECT count(*) FROM duckdb_tables() WHERE table_name = 'mining_runs' "
                            "AND database_name = current_database()").fetchone()[0])


def latest_run(con: duckdb.DuckDBPyConnection, log_name: str) -> str | None:
    """The run id other readers should use for `log_name`, or None if it was never mined."""
    if not has_results(con):
        return None
    row = con.execute("SELECT run_id FROM mining_runs WHERE log = ? ORDER BY run_seq DESC LIMIT 1",
                      [log_name]).fetchone()
    return row[0] if row else None


def runs(con: duckdb.DuckDBPyConnection, log_name: str) -> pd.DataFrame:
    """All stored runs of a log, newest first."""
    if not has_results(con):
        return pd.DataFrame(columns=["log", "run_id", "run_seq"])
    return con.execute("SELECT * FROM mining_runs WHERE log = ? ORDER BY run_seq DESC", [log_name]).df()


def _run(con: duckdb.DuckDBPyConnection, log_name: str, run_id: str | None) -> str:
    if run_id is None:
        run_id = latest_run(con, log_name)
        if run_id is None:
            raise StoreError(f"no mining results for log '{log_name}'; run `saksflyt mine --log {log_name}`")
        return run_id
    if not has_results(con) or not con.execute(
            "SELECT count(*) FROM mining_runs WHERE log = ? AND run_id = ?", [log_name, run_id]).fetchone()[0]:
        raise StoreError(f"no mining run '{run_id}' for log '{log_name}'")
    return run_id


def read_table(con: duckdb.DuckDBPyConnection, table: str, log_name: str, *, run_id: str | None = None,
               order_by: str | None = None) -> pd.DataFrame:
    """Rows of one result table for a run (the latest by default), without `log`/`run_id`."""
    if table not in result_tables(con):
        raise StoreError(f"'{table}' is not a mining result table")
    rid = _run(con, log_name, run_id)
    order = f" ORDER BY {order_by}" if order_by else ""
    return con.execute(f"SELECT * EXCLUDE (log, run_id) FROM {table} WHERE log = ? AND run_id = ?{order}",
                       [log_name, rid]).df()


def activities(con: duckdb.DuckDBPyConnection, log_name: str, *, run_id: str | None = None) -> pd.DataFrame:
    return read_table(con, "mining_activities", log_name, run_id=run_id, order_by="events DESC, activity")


def dfg(con: duckdb.DuckDBPyConnection, log_name: str, *, run_id: str | None = None) -> pd.DataFrame:
    return read_table(con, "mining_dfg", log_name, run_id=run_id, order_by="count DESC, source, target")


def variants(con: duckdb.DuckDBPyConnection, log_name: str, *, run_id: str | None = None) -> pd.DataFrame:
    return read_table(con, "mining_variants", log_name, run_id=run_id, order_by="variant_id")


def cases(con: duckdb.DuckDBPyConnection, log_name: str, *, run_id: str | None = None) -> pd.DataFrame:
    return read_table(con, "mining_cases", log_name, run_id=run_id, order_by="case_id")


def monthly(con: duckdb.DuckDBPyConnection, log_name: str, *, run_id: str | None = None) -> pd.DataFrame:
    return read_table(con, "mining_monthly", log_name, run_id=run_id, order_by="month")


def _iso_utc(value: Any) -> str | None:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    if isinstance(value, datetime):
        return value.astimezone(timezone.utc).isoformat().replace("+00:00", "Z")
    return str(value)


def summary(con: duckdb.DuckDBPyConnection, log_name: str, *, run_id: str | None = None) -> dict[str, Any]:
    """The run as `summary.json` has it: the contract keys first, then the run's other facts."""
    rid = _run(con, log_name, run_id)
    cur = con.execute("SELECT * FROM mining_runs WHERE log = ? AND run_id = ?", [log_name, rid])
    names = [d[0] for d in cur.description]
    row = dict(zip(names, cur.fetchone()))
    row["settings"] = json.loads(row["settings"])
    row["end_activities"] = list(row["end_activities"])
    for k in ("first_event_at", "last_event_at", "started_at", "finished_at"):
        row[k] = _iso_utc(row[k])
    out = {k: row[k] for k in SUMMARY_KEYS}
    out |= {k: v for k, v in row.items() if k not in out}
    out["duration_basis"] = "closed cases"
    return out


# --- export -----------------------------------------------------------------------------------


def _csv(df: pd.DataFrame, path: Path) -> Path:
    """CSV with ISO 8601 times: instants in UTC with a Z, dates (DATE columns) as YYYY-MM-DD."""
    out = df.copy()
    for col in out.columns:
        if isinstance(out[col].dtype, pd.DatetimeTZDtype):
            out[col] = out[col].dt.tz_convert("UTC").dt.strftime("%Y-%m-%dT%H:%M:%S.%fZ")
        elif pd.api.types.is_datetime64_dtype(out[col]):
            out[col] = out[col].dt.strftime("%Y-%m-%d")
    out.to_csv(path, index=False, float_format="%.6f")
    return path


def export(con: duckdb.DuckDBPyConnection, log_name: str, out_dir: str | Path, *,
           run_id: str | None = None) -> list[Path]:
    """Write the run's contract files (summary.json, activities.csv, dfg.csv, variants.csv) and extras.

    Extras: cases.csv, monthly.csv, start_activities.csv, end_activities.csv, day_precision.csv
    (pairs with a date-only event, measured in days: kind 'dfg' or 'wait').
    """
    rid = _run(con, log_name, run_id)
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    summ = summary(con, log_name, run_id=rid)
    path = out / "summary.json"
    path.write_text(json.dumps(summ, indent=2, ensure_ascii=False, default=str) + "\n", encoding="utf-8")
    written.append(path)

    acts = activities(con, log_name, run_id=rid)
    written.append(_csv(acts[list(EXPORT_COLUMNS["activities.csv"])], out / "activities.csv"))
    d = dfg(con, log_name, run_id=rid)
    written.append(_csv(d[list(EXPORT_COLUMNS["dfg.csv"])], out / "dfg.csv"))
    v = variants(con, log_name, run_id=rid)
    v_out = v.assign(activities=v["activities"].map(lambda a: VARIANT_SEPARATOR.join(a)))
    written.append(_csv(v_out[list(EXPORT_COLUMNS["variants.csv"])], out / "variants.csv"))

    written.append(_csv(cases(con, log_name, run_id=rid), out / "cases.csv"))
    written.append(_csv(monthly(con, log_name, run_id=rid), out / "monthly.csv"))
    total = int(summ["cases"]) or 1
    for col, name in (("start_cases", "start_activities.csv"), ("end_cases", "end_activities.csv")):
        part = acts.loc[acts[col] > 0, ["activity", col]].rename(columns={col: "cases"})
        part = part.sort_values(["cases", "activity"], ascending=[False, True])
        part["case_share"] = part["cases"] / total
        written.append(_csv(part, out / name))
    day_dfg = d.loc[d["day_pairs"] > 0, ["source", "target", "day_pairs", "median_days", "mean_days", "p90_days"]]
    day_dfg = day_dfg.rename(columns={"day_pairs": "pairs"}).assign(kind="dfg")
    day_wait = acts.loc[acts["wait_day_pairs"] > 0, ["activity", "wait_day_pairs", "median_wait_days"]]
    day_wait = day_wait.rename(columns={"activity": "target", "wait_day_pairs": "pairs",
                                        "median_wait_days": "median_days"}).assign(kind="wait", source=None)
    day = pd.concat([day_dfg, day_wait], ignore_index=True) if len(day_wait) else day_dfg
    day = day.reindex(columns=["kind", "source", "target", "pairs", "median_days", "mean_days", "p90_days"])
    written.append(_csv(day, out / "day_precision.csv"))
    return written
