"""The exact counts a bundle releases, each with one case's contribution bounded, before any noise.

They are computed in DuckDB over the tables `mining.compare_sides.run_side` builds in one schema, so the
definitions are the ones `saksflyt mine` and `compare` use (closed cases, waiting measured from start
times where the log has them, else between completions). One case's contribution to each release:

- volume: 1 (the month its first event falls in, Europe/Oslo);
- DFG: ≤ `max_edges` distinct edges of a closed case, each counted once, ▶→first and last→■ always
  among them; a case with more distinct edges keeps a pseudo-random subset (a hash of the case id and
  the edge, so that adding a case never changes another case's subset), stated in the bundle;
- lead time: 1 (one bin, closed cases);
- waiting and processing: ≤ `max_activities` activities, one value each (the case's median before or of
  that activity), in one bin per activity. Unlike `mine`, whether a wait is measured (from the step's
  start) or between completions is decided per event, by whether that event has a start time: decided
  per activity from the data, one case with start times could switch the basis of every other case's
  waits (the neighbouring-logs test found exactly that);
- variants and each public attribute: 1 (one key per closed case).

`tests/test_publish.py` checks each bound on neighbouring logs that differ by one 500-event case.
"""
from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import Any

import duckdb
import numpy as np
import pandas as pd

from saksflyt.extractors import store
from saksflyt.extractors.errors import InputError, StoreError
from saksflyt.extractors.sql_text import literal

from .bundle import END, LEAD_DAYS, PROCESSING_HOURS, START, WAIT_HOURS
from .compare_sides import CompareOptions, Side, load_side, run_side
from .stats import US_PER_HOUR

US_PER_DAY = 24 * US_PER_HOUR


@dataclass(frozen=True)
class Bounds:
    max_edges: int = 15
    max_activities: int = 10


@dataclass
class Counts:
    """Exact counts, laid out on grids that do not depend on the data beyond the catalogue and period."""

    activities: list[str]
    months: list[str]
    volume: np.ndarray                 # cases started per month
    closed: int                        # closed cases
    edges: list[tuple[str, str]]       # every possible edge over the catalogue (with ▶ and ■)
    dfg: np.ndarray                    # cases with the edge (bounded)
    lead: np.ndarray                   # closed cases per lead-time bin
    waiting: np.ndarray                # activities × wait bins
    processing: np.ndarray | None      # activities × processing bins; None when not asked for
    variants: dict[str, int]           # JSON list of activities → closed cases
    attributes: dict[str, pd.DataFrame] = field(default_factory=dict)   # name → (value, bin, cases)
    truncated_edges: int = 0           # cases that kept only max_edges of their edges (local only)
    truncated_activities: int = 0


def _months(con: duckdb.DuckDBPyConnection, schema: str) -> pd.DataFrame:
    return con.execute(f"""
        SELECT strftime(timezone('Europe/Oslo', t0), '%Y-%m') AS month, count(*) AS cases
        FROM {schema}.cases_in GROUP BY ALL ORDER BY month
    """).df()


def _month_grid(first: str, last: str) -> list[str]:
    y, m = int(first[:4]), int(first[5:7])
    out = []
    while f"{y:04d}-{m:02d}" <= last:
        out.append(f"{y:04d}-{m:02d}")
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return out


def counts(con: duckdb.DuckDBPyConnection, schema: str, *, bounds: Bounds = Bounds(),
           public_attrs: tuple[str, ...] = (), processing: bool = True,
           catalogue: tuple[str, ...] | None = None) -> Counts:
    """All of a bundle's counts for the side in `schema` (after `mining.compare_sides.run_side`).

    `catalogue` fixes the activities the grids are laid over (a list the publisher gives, e.g. the case
    system's steps); events of other activities are then left out, and so are the edges that touch them.
    Without it the grids are laid over the log's own activity names."""
    s = schema
    if catalogue is None:
        activities = [r[0] for r in con.execute(f"SELECT activity FROM {s}.act_dict ORDER BY activity").fetchall()]
    else:
        activities = sorted(set(catalogue))
    index = {a: i for i, a in enumerate(activities)}
    con.execute("CREATE OR REPLACE TEMP TABLE publish_catalogue (activity VARCHAR)")
    con.executemany("INSERT INTO publish_catalogue VALUES (?)", [[a] for a in activities])
    in_catalogue = "(SELECT activity FROM publish_catalogue)"

    months = _months(con, s)
    grid = _month_grid(months["month"].iloc[0], months["month"].iloc[-1]) if len(months) else []
    volume = np.zeros(len(grid), dtype=np.int64)
    for m, c in zip(months["month"], months["cases"]):
        volume[grid.index(m)] = c

    # every edge a catalogue allows: ▶ → activity, activity → activity, activity → ■
    sources, targets = [START, *activities], [*activities, END]
    edges = [(a, b) for a in sources for b in targets]
    edge_index = {e: i for i, e in enumerate(edges)}
    e = con.execute(f"""
        WITH closed AS (SELECT cid, start_aid, end_aid FROM {s}.case_facts WHERE closed),
        e0 AS (
            SELECT c.cid, {literal(START)} AS source, a.activity AS target, 0 AS fixed
            FROM closed c JOIN {s}.act_dict a ON a.aid = c.start_aid
            UNION ALL
            SELECT c.cid, a.activity, {literal(END)}, 0 FROM closed c JOIN {s}.act_dict a ON a.aid = c.end_aid
            UNION ALL
            SELECT DISTINCT p.cid, p.source, p.target, 1 FROM {s}.pairs p SEMI JOIN closed c ON c.cid = p.cid
        ),
        e AS (SELECT * FROM e0 WHERE (source = {literal(START)} OR source IN {in_catalogue})
                                 AND (target = {literal(END)} OR target IN {in_catalogue})),
        r AS (SELECT e.*, row_number() OVER (PARTITION BY e.cid ORDER BY fixed, hash(kd.case_id, source, target)) AS k,
                     count(*) OVER (PARTITION BY e.cid) AS n
              FROM e JOIN {s}.case_dict kd ON kd.cid = e.cid)
        SELECT source, target, count(*) AS cases,
               (SELECT count(DISTINCT cid) FROM r WHERE n > {int(bounds.max_edges)}) AS truncated
        FROM r WHERE k <= {int(bounds.max_edges)} GROUP BY ALL
    """).df()
    dfg = np.zeros(len(edges), dtype=np.int64)
    for src, tgt, c in zip(e["source"], e["target"], e["cases"]):
        dfg[edge_index[(src, tgt)]] = c
    truncated_edges = int(e["truncated"].iloc[0]) if len(e) else 0

    lead = np.zeros(LEAD_DAYS.count, dtype=np.int64)
    for b, c in con.execute(f"""
            SELECT {LEAD_DAYS.sql('lead_days')} AS bin, count(*) FROM {s}.case_out WHERE closed GROUP BY bin
            """).fetchall():
        lead[b] = c

    def per_activity(values_sql: str, bins) -> tuple[np.ndarray, int]:
        """(activity, bin) counts of one value per case and activity, ≤ max_activities per case."""
        grid = np.zeros((len(activities), bins.count), dtype=np.int64)
        rows = con.execute(f"""
            WITH v AS (SELECT * FROM ({values_sql}) WHERE activity IN {in_catalogue}),
            r AS (SELECT *, row_number() OVER (PARTITION BY case_key ORDER BY hash(case_key, activity)) AS k,
                         count(*) OVER (PARTITION BY case_key) AS n FROM v)
            SELECT activity, {bins.sql('value')} AS bin, count(*) AS cases,
                   (SELECT count(DISTINCT case_key) FROM r WHERE n > {int(bounds.max_activities)}) AS truncated
            FROM r WHERE k <= {int(bounds.max_activities)} GROUP BY ALL
        """).fetchall()
        for act, b, c, _ in rows:
            grid[index[act], b] = c
        return grid, int(rows[0][3]) if rows else 0

    waiting, trunc_w = per_activity(f"""
        SELECT kd.case_id AS case_key, d.activity,
               median(coalesce(ev.wait_us, ev.gap_us) / {US_PER_HOUR}) AS value
        FROM {s}.ev ev JOIN {s}.act_dict d ON d.aid = ev.aid JOIN {s}.case_dict kd ON kd.cid = ev.cid
        WHERE ev.pos > 1 AND NOT ev.pair_day GROUP BY ALL
    """, WAIT_HOURS)
    closed = int(con.execute(f"SELECT count(*) FROM {s}.case_facts WHERE closed").fetchall()[0][0])
    proc_grid = None
    trunc_p = 0
    if processing:
        proc_grid, trunc_p = per_activity(f"""
            SELECT case_id AS case_key, activity,
                   median(greatest(epoch_us(ts_end) - epoch_us(ts_start), 0) / {US_PER_HOUR}) AS value
            FROM {s}.events WHERE ts_start IS NOT NULL GROUP BY ALL
        """, PROCESSING_HOURS)

    variants = dict(con.execute(f"""
        SELECT CAST(to_json(list_filter(list_transform(f.trace, lambda x: n.names[x]),
                                        lambda a: list_contains(c.names, a))) AS VARCHAR) AS key, count(*)
        FROM {s}.case_facts f CROSS JOIN (SELECT list(activity ORDER BY aid) AS names FROM {s}.act_dict) n
             CROSS JOIN (SELECT list(activity) AS names FROM publish_catalogue) c
        WHERE f.closed GROUP BY key
    """).fetchall())

    attributes = {}
    for name in public_attrs:
        attributes[name] = con.execute(f"""
            SELECT coalesce(a.value_text, CAST(a.value_number AS VARCHAR), CAST(a.value_bool AS VARCHAR)) AS value,
                   {LEAD_DAYS.sql('o.lead_days')} AS bin, count(*) AS cases
            FROM {s}.case_out o JOIN {s}.case_attrs a ON a.case_id = o.case_id AND a.name = ?
            WHERE o.closed AND coalesce(a.value_text, CAST(a.value_number AS VARCHAR),
                                        CAST(a.value_bool AS VARCHAR)) IS NOT NULL
            GROUP BY ALL
        """, [name]).df()
    return Counts(activities=activities, months=grid, volume=volume, closed=closed, edges=edges, dfg=dfg, lead=lead,
                  waiting=waiting, processing=proc_grid, variants=variants, attributes=attributes,
                  truncated_edges=truncated_edges, truncated_activities=max(trunc_w, trunc_p))


def log_counts(store_path: str | os.PathLike[str] | None, log_name: str, *, bounds: Bounds = Bounds(),
               end_activities: tuple[str, ...] = (), public_attrs: tuple[str, ...] = (),
               mapping: tuple[tuple[str, str], ...] = (), processing: bool = True,
               catalogue: tuple[str, ...] | None = None) -> tuple[Counts, dict[str, Any]]:
    """A stored log's counts (activity names renamed by `mapping`) and the statistics facts of its run."""
    target = store.store_path(store_path)
    if not target.exists():
        raise StoreError(f"{target}: no store here")
    con = store.memory()
    side = Side(log_name, log_name)
    try:
        con.execute("SET enable_progress_bar = false")
        con.execute("CREATE TABLE activity_map (name VARCHAR, common VARCHAR)")
        if mapping:
            con.executemany("INSERT INTO activity_map VALUES (?, ?)", [list(p) for p in mapping])
        with store.attached(con, target):
            known = {r[0] for r in con.execute("SELECT log FROM src.logs").fetchall()}
            if log_name not in known:
                raise StoreError(f"no log named '{log_name}' (logs: {', '.join(sorted(known)) or 'none'})")
            load_side(con, "p", side)
        missing = [a for a in public_attrs if not con.execute(
            "SELECT count(*) FROM p.case_attrs WHERE name = ?", [a]).fetchall()[0][0]]
        if missing:
            raise InputError(f"--public-attrs: the log has no case attribute {', '.join(missing)}")
        facts = run_side(con, "p", side, CompareOptions(end_activities=end_activities), end_activities)
        return counts(con, "p", bounds=bounds, public_attrs=public_attrs, processing=processing,
                      catalogue=catalogue), facts
    finally:
        con.close()
