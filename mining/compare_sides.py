"""The two sides of a comparison: which cases each holds; each copied into its own schema and run through the
statistics phases, so its numbers are the ones `saksflyt mine` computes."""
from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time, timezone
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import duckdb

from saksflyt.extractors.errors import InputError
from saksflyt.extractors.small_csv import read_rows

from . import stats
from .calendar import NORWEGIAN, WorkCalendar, day_join, working_us_sql

US_PER_HOUR = stats.US_PER_HOUR
US_PER_DAY = 24 * US_PER_HOUR

Progress = Callable[[str, int, int], None]


@dataclass(frozen=True)
class Side:
    """One side: the cases of `log`, optionally only those whose first event is in [started_from, started_before)."""

    log: str
    label: str
    started_from: datetime | None = None
    started_before: datetime | None = None


@dataclass(frozen=True)
class CompareOptions:
    target_days: float | None = None
    hourly_cost: float = 700.0
    mapping: tuple[tuple[str, str], ...] = ()   # (name in a log, common name)
    calendar: WorkCalendar = NORWEGIAN
    end_activities: tuple[str, ...] = ()
    shared_only: bool = False   # keep only activities both sides have (two municipalities)
    bootstrap: int = 2000
    random_state: int = 0
    alpha: float = 0.05


def local_midnight(day: date, zone: str = NORWEGIAN.zone) -> datetime:
    """The instant a local calendar day starts (the split dates are local days)."""
    return datetime.combine(day, time(0), tzinfo=ZoneInfo(zone)).astimezone(timezone.utc)


def split_sides(log_name: str, *, before: date, after: date, zone: str = NORWEGIAN.zone) -> tuple[Side, Side]:
    """Before: cases started before `before`; after: cases started on/after `after` (cases between are left out)."""
    if after < before:
        raise InputError(f"--after ({after}) is earlier than --before ({before})")
    return (Side(log_name, f"< {before.isoformat()}", started_before=local_midnight(before, zone)),
            Side(log_name, f"≥ {after.isoformat()}", started_from=local_midnight(after, zone)))


def read_mapping(path: str | os.PathLike[str]) -> tuple[tuple[str, str], ...]:
    """An activity-name mapping CSV: a header, then `name in a log, common name` per row (`,` or `;`)."""
    p = Path(path)
    rows = read_rows(p, "mapping")
    pairs: list[tuple[str, str]] = []
    for i, row in enumerate(rows[1:], start=2):
        if not any(c.strip() for c in row):
            continue
        if len(row) < 2 or not row[0].strip() or not row[1].strip():
            raise InputError("expected two columns: name in a log, common name", file=str(p), where=f"row {i}")
        pairs.append((row[0].strip(), row[1].strip()))
    return tuple(pairs)


# --- each side through the statistics phases ------------------------------------------------------


def load_side(con: duckdb.DuckDBPyConnection, schema: str, side: Side) -> None:
    """`{schema}.events` and `{schema}.case_attrs`: the side's cases, activity names mapped."""
    where, params = [], [side.log]
    if side.started_from is not None:
        where.append("s.t0 >= ?")
        params.append(side.started_from)
    if side.started_before is not None:
        where.append("s.t0 < ?")
        params.append(side.started_before)
    cond = " AND ".join(where) or "true"
    con.execute(f"CREATE SCHEMA {schema}")
    con.execute(f"""
        CREATE TABLE {schema}.cases_in AS
        SELECT * FROM (
            SELECT case_id, min(least(coalesce(ts_start, ts_end), ts_end)) AS t0
            FROM src.events WHERE log = ? GROUP BY case_id) s
        WHERE {cond}
    """, params)
    con.execute(f"""
        CREATE TABLE {schema}.events AS
        SELECT e.log, e.case_id, coalesce(m.common, e.activity) AS activity, e.ts_start, e.ts_end,
               e.ts_precision, e.event_seq, e.resource, e.resource_kind, e.unit, e.attributes
        FROM src.events e SEMI JOIN {schema}.cases_in c ON c.case_id = e.case_id
        LEFT JOIN activity_map m ON m.name = e.activity
        WHERE e.log = ?
    """, [side.log])
    con.execute(f"""
        CREATE TABLE {schema}.case_attrs AS
        SELECT a.case_id, a.name, a.kind, a.value_number, a.value_text, a.value_bool
        FROM src.case_attributes a SEMI JOIN {schema}.cases_in c ON c.case_id = a.case_id
        WHERE a.log = ? AND a.kind IN ('number', 'text', 'bool')
    """, [side.log])
    con.execute(f"""
        CREATE TABLE {schema}.extracted AS SELECT max(ts_end) AS at FROM src.events WHERE log = ?
    """, [side.log])


def run_side(con: duckdb.DuckDBPyConnection, schema: str, side: Side, options: CompareOptions,
              given_ends: tuple[str, ...]) -> dict[str, Any]:
    """Run the statistics phases inside `schema`, then build the per-case facts the comparison needs."""
    con.execute(f"USE memory.{schema}")
    try:
        if not stats.load_events(con, schema, side.log):
            raise InputError(f"{side.label}: no cases on this side (log '{side.log}')")
        prepared = stats.prepare_events(con, calendar=options.calendar)
        off = prepared.offset_us
        # processing per case, before `order_events` drops `events_in`
        con.execute(f"""
            CREATE TABLE case_proc AS
            SELECT e.cid, sum((e.end_us - e.start_us) / {US_PER_HOUR}) AS proc_hours,
                   sum(({working_us_sql('e.end_us', 'de')} - {working_us_sql('e.start_us', 'ds')}) / {US_PER_HOUR})
                       AS proc_working_hours
            FROM events_in e {day_join('e.end_us', 'de', off)} {day_join('e.start_us', 'ds', off)}
            WHERE e.start_us IS NOT NULL AND NOT e.is_day GROUP BY e.cid
        """)
        stats.order_events(con, prepared)
        stats.case_order_table(con)
        known = {r[0] for r in con.execute("SELECT activity FROM act_dict").fetchall()}
        ends = tuple(a for a in given_ends if a in known)
        rule = stats.completion_rule(con, given=ends)
        stats.case_table(con, rule)
        stats.variant_table(con)
        stats.pair_tables(con, prepared)
        stats.activity_table(con)
        stats.dfg_table(con)
        stats.monthly_table(con)
        summary = stats.summary(con)
        h = US_PER_HOUR
        con.execute(f"""
            CREATE TABLE ev_wait AS
            SELECT ev.cid, ev.aid,
                   CASE WHEN b.measured THEN ev.wait_us ELSE ev.gap_us END / {h} AS wait_hours,
                   CASE WHEN b.measured THEN ev.wait_wus ELSE ev.gap_wus END / {h} AS wait_working_hours
            FROM ev JOIN act_base b ON b.aid = ev.aid
            WHERE ev.pos > 1 AND NOT ev.pair_day
        """)
        con.execute(f"""
            CREATE TABLE case_out AS
            SELECT k.case_id, f.cid, f.closed, f.first_us, f.last_us,
                   CASE WHEN f.closed THEN (f.last_us - f.first_us)
                        ELSE greatest(epoch_us(x.at) - f.first_us, 0) END / {US_PER_DAY} AS lead_days,
                   len(f.trace) > len(list_distinct(f.trace)) AS rework,
                   coalesce(p.proc_hours, 0) AS proc_hours, coalesce(p.proc_working_hours, 0) AS proc_working_hours,
                   coalesce(w.wait_hours, 0) AS wait_hours, coalesce(w.wait_working_hours, 0) AS wait_working_hours
            FROM case_facts f JOIN case_dict k ON k.cid = f.cid CROSS JOIN extracted x
            LEFT JOIN case_proc p ON p.cid = f.cid
            LEFT JOIN (SELECT cid, sum(wait_hours) AS wait_hours, sum(wait_working_hours) AS wait_working_hours
                       FROM ev_wait GROUP BY cid) w ON w.cid = f.cid
        """)
        con.execute(f"""
            CREATE TABLE pairs AS
            SELECT ev.cid, s.activity AS source, t.activity AS target,
                   CASE WHEN NOT ev.pair_day THEN ev.gap_us / {h} END AS hours
            FROM ev JOIN act_dict s ON s.aid = ev.prev_aid JOIN act_dict t ON t.aid = ev.aid
            WHERE ev.pos > 1
        """)
        con.execute("""
            CREATE TABLE act_repeat AS
            SELECT d.activity, count(*) AS cases, count(*) FILTER (WHERE n > 1) AS repeated_cases
            FROM (SELECT cid, aid, count(*) AS n FROM ev GROUP BY cid, aid) c JOIN act_dict d USING (aid)
            GROUP BY d.activity
        """)
        con.execute("""
            CREATE TABLE act_wait AS
            SELECT d.activity, count(w.wait_hours) AS n, avg(w.wait_hours) AS mean_hours,
                   stddev_samp(w.wait_hours) AS sd_hours
            FROM ev_wait w JOIN act_dict d USING (aid) GROUP BY d.activity
        """)
        has_start = prepared.has_start
    finally:
        con.execute("USE memory.main")
    return {"summary": summary, "rule": rule, "has_start": has_start}
