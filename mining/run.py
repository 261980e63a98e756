"""`mine`: read a log with a short read-only connection, compute in memory, write one short transaction.

The work is an ordered list of phases. Each phase reads and creates tables in the in-memory database
of a `MiningContext` (`mining.context`: with the typed `Facts` the phases pass on) and names the ones to
store with `ctx.output(...)`; `mine` loads the events before the first phase and writes every output
after the last one. Later insight phases (bottlenecks, rework, models, report) are added by appending
`Phase`s to `PHASES` (or passing `phases=`), with their tables' DDL registered through
`extractors.store.register` like `mining.results` does.
"""
from __future__ import annotations

import json
import logging
import os
import threading
import time
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import duckdb

from saksflyt.extractors import store
from saksflyt.extractors.sql_text import identifier, literal

from . import (bottlenecks, conformance, discovery, handovers, insight_inputs, needless, report_phase, results, rework,
               stats)
from .context import Facts, MineOptions, MiningContext, MissingFact, Phase, Progress  # noqa: F401  (public here too)

log = logging.getLogger(__name__)

@dataclass(frozen=True)
class MiningResult:
    log: str
    run_id: str
    run_seq: int
    summary: dict[str, Any]
    seconds: float
    phase_seconds: dict[str, float]


# --- the phases -------------------------------------------------------------------------------


def _prepare(ctx: MiningContext) -> None:
    ctx.facts.prepared = stats.prepare_events(ctx.con, calendar=ctx.options.calendar)


def _order(ctx: MiningContext) -> None:
    stats.order_events(ctx.con, ctx.facts.prepared_events)


def _cases(ctx: MiningContext) -> None:
    stats.case_order_table(ctx.con)
    rule = stats.completion_rule(ctx.con, given=ctx.options.end_activities, coverage=ctx.options.end_coverage)
    ctx.facts.completion_rule = rule
    stats.case_table(ctx.con, rule)


def _variants(ctx: MiningContext) -> None:
    stats.variant_table(ctx.con)
    ctx.output("mining_variants", "m_variants")


def _case_rows(ctx: MiningContext) -> None:
    stats.case_rows_table(ctx.con)
    ctx.output("mining_cases", "m_cases")


def _pairs(ctx: MiningContext) -> None:
    stats.pair_tables(ctx.con, ctx.facts.prepared_events)


def _activities(ctx: MiningContext) -> None:
    stats.activity_table(ctx.con)
    ctx.output("mining_activities", "m_activities")


def _dfg(ctx: MiningContext) -> None:
    stats.dfg_table(ctx.con)
    ctx.output("mining_dfg", "m_dfg")


def _monthly(ctx: MiningContext) -> None:
    stats.monthly_table(ctx.con)
    ctx.output("mining_monthly", "m_monthly")


def _summary(ctx: MiningContext) -> None:
    ctx.facts.summary = stats.summary(ctx.con)


# The statistics (issue 4): what every other phase and reader builds on.
STATISTICS_PHASES: tuple[Phase, ...] = (
    Phase("prepare", "calendar, per-activity and per-case figures", _prepare),
    Phase("order", "ordering events per case", _order),
    Phase("pairs", "waiting and time between activities", _pairs, beside=True),
    Phase("cases", "cases and completion rule", _cases),
    Phase("variants", "variants", _variants),
    Phase("case_rows", "case rows", _case_rows, beside=True),
    Phase("activities", "activities, processing and waiting", _activities, needs=("pairs",)),
    Phase("dfg", "directly-follows graph", _dfg, needs=("pairs",)),
    Phase("monthly", "months", _monthly),
    Phase("summary", "summary", _summary),
)

PHASES: tuple[Phase, ...] = STATISTICS_PHASES + (
    # insights (mining.insights_results and the modules it names); each stores its own tables
    Phase("insight_inputs", "reading for insights", insight_inputs.run_phase),
    Phase("bottlenecks", "bottlenecks", bottlenecks.run_phase),
    Phase("rework", "rework", rework.run_phase),
    Phase("needless", "needless steps", needless.run_phase),
    Phase("handovers", "handovers between units, contacts", handovers.run_phase),
    Phase("model", "discovering a model", discovery.run_phase),
    Phase("conformance", "conformance", conformance.run_phase),
    Phase("report", "report", report_phase.run_phase),
)


# --- the orchestrator -------------------------------------------------------------------------


_attached = store.attached  # the store attached read-only for a block (extractors.store owns the lock retry)


def _load(con: duckdb.DuckDBPyConnection, store_path: Path, log_name: str) -> int:
    """Copy the log's events into compact in-memory tables; the store is released before computing."""
    with _attached(con, store_path):
        stats.require_log(con, "src", store_path, log_name)
        return stats.load_events(con, "src", log_name)


def _drop_all_but(con: duckdb.DuckDBPyConnection, keep: set[str]) -> None:
    names = [r[0] for r in con.execute(
        "SELECT table_name FROM duckdb_tables() WHERE database_name = current_database()").fetchall()]
    for name in names:
        if name not in keep:
            con.execute(f"DROP TABLE {identifier(name)}")


def run_row(ctx: MiningContext, started: datetime, *, engine: str = "duckdb") -> dict[str, Any]:
    """The run's `mining_runs` row: the summary, the completion rule and the settings it ran with."""
    s = ctx.facts.summary
    if s is None:
        raise MissingFact("summary")
    rule = ctx.facts.rule
    settings = {"calendar": ctx.options.calendar.describe(), "end_coverage": rule.coverage,
                "rule": rule.describe(), "case_order": "ts_end, event_seq", "engine": engine}
    return {**s, "started_at": started, "finished_at": datetime.now(timezone.utc),
            "end_activities": list(rule.end_activities), "completion_rule": rule.basis,
            "settings": json.dumps(settings, ensure_ascii=False)}


def mine(*, store_path: str | os.PathLike[str] | None = None, log_name: str,
         options: MineOptions = MineOptions(), phases: Sequence[Phase] = PHASES,
         progress: Progress | None = None) -> MiningResult:
    """Mine one log and store the results as its latest run; the store is locked only for the final write."""
    target = store.store_path(store_path)
    started = datetime.now(timezone.utc)
    t0 = time.perf_counter()
    total = len(phases) + 2
    timings: dict[str, float] = {}
    report = progress or (lambda _label, _done, _total: None)

    con = store.memory()
    try:
        if options.threads:
            con.execute(f"SET threads = {int(options.threads)}")
        if options.memory_limit:
            con.execute(f"SET memory_limit = {literal(options.memory_limit)}")
        con.execute("SET preserve_insertion_order = false")
        con.execute("SET enable_progress_bar = false")  # a library draws nothing; the CLI has its own bar
        # DuckDB's allocator keeps freed memory for reuse (its default): handing it back to the OS after
        # every bulk free ('0MB') lowered the peak by about a tenth (843 -> 748 MB at 5M events) but cost
        # a fifth more CPU, as every page was faulted in again.
        ctx = MiningContext(con=con, log=log_name, run_id=uuid.uuid4().hex[:16], options=options,
                            store_path=target)

        report("reading events", 0, total)
        t = time.perf_counter()
        ctx.facts.events = _load(con, target, log_name)
        timings["load"] = time.perf_counter() - t

        run_phases(ctx, phases, report=report, first=1, total=total, timings=timings, concurrent=True)

        report("writing results", total - 1, total)
        t = time.perf_counter()
        _drop_all_but(con, set(ctx.outputs.values()))  # frees the event tables before the write
        stored = store_run(ctx, con, row=run_row(ctx, started))
    finally:
        con.close()
    return finish_run(ctx, stored=stored, timings=timings, began=t0, write_began=t,
                      done=lambda: report("done", total, total))


def run_phases(ctx: MiningContext, phases: Sequence[Phase], *, report: Progress, first: int, total: int,
               timings: dict[str, float], concurrent: bool = False) -> None:
    """Run `phases` in order, reporting each as step `first`, `first + 1`, … of `total` and timing it.

    With `concurrent` (a DuckDB connection), a `beside` phase runs on its own cursor in a thread while
    the next phases run; a phase waits for those it `needs`, all are joined before this returns, and
    the first error is raised.
    """
    beside: dict[str, _Beside] = {}
    try:
        for i, phase in enumerate(phases, start=first):
            report(phase.label, i, total)
            for name in phase.needs:
                if name in beside:
                    beside[name].wait()
            if phase.beside and concurrent:
                beside[phase.name] = _Beside(ctx, phase, timings)
                continue
            t = time.perf_counter()
            phase.run(ctx)
            timings[phase.name] = time.perf_counter() - t
            log.debug("phase %s: %.2fs", phase.name, timings[phase.name])
    finally:
        errors = [b.join() for b in beside.values()]
    for error in errors:
        if error is not None:
            raise error


class _Beside:
    """One `beside` phase running on a cursor of the context's in-memory database, in a thread."""

    def __init__(self, ctx: MiningContext, phase: Phase, timings: dict[str, float]) -> None:
        self.cursor = ctx.con.cursor()  # same database, own connection: DuckDB runs both at once
        self.cursor.execute("SET enable_progress_bar = false")
        self.error: BaseException | None = None
        self.thread = threading.Thread(target=self._run, args=(replace(ctx, con=self.cursor), phase, timings),
                                       name=f"mine-{phase.name}", daemon=True)
        self.thread.start()

    def _run(self, ctx: MiningContext, phase: Phase, timings: dict[str, float]) -> None:
        t = time.perf_counter()
        try:
            phase.run(ctx)  # ctx shares facts and outputs with the main context
        except BaseException as exc:  # handed to the main thread by join()
            self.error = exc
        timings[phase.name] = time.perf_counter() - t

    def wait(self) -> None:
        """Block until the phase is done; raise its error (the phases after it cannot run without it)."""
        self.thread.join()
        if self.error is not None:
            raise self.error

    def join(self) -> BaseException | None:
        self.thread.join()
        self.cursor.close()
        return self.error


# Row groups of the rows a run writes. With DuckDB's default (122,880 rows) the ~100k case rows of a
# 1M-event log are one group, compressed at COMMIT; in groups of 16,384 the INSERT writes each full
# group as it goes, and storing 108k case rows took ~120 instead of ~175 ms (the table is ~30% larger).
WRITE_ROW_GROUP = 16_384


@dataclass(frozen=True)
class StoredRun:
    run_seq: int
    summary: dict[str, Any]  # as read back from the store (`results.summary`)


def store_run(ctx: MiningContext, con: duckdb.DuckDBPyConnection, *, row: dict[str, Any]) -> StoredRun:
    """Write the run from `con`'s in-memory output tables in one short transaction (the only time the
    store is locked), and read its summary back inside it: what the store holds, without opening the
    store a second time."""
    home = con.execute("SELECT current_database()").fetchall()[0][0]
    with store.write_attached(con, ctx.store_path, row_group_size=WRITE_ROW_GROUP) as alias:
        seq = results.write_run(con, log_name=ctx.log, run_id=ctx.run_id, run=row, into=alias,
                                tables={name: f"{identifier(home)}.{identifier(mem)}" for name, mem in ctx.outputs.items()})
        con.execute(f"USE {alias}")
        try:
            summ = results.summary(con, ctx.log, run_id=ctx.run_id)
        finally:
            con.execute(f"USE {home}")
    return StoredRun(seq, summ)


def finish_run(ctx: MiningContext, *, stored: StoredRun, timings: dict[str, float], began: float,
               write_began: float, done: Callable[[], None]) -> MiningResult:
    """Time the write, report done and describe the stored run."""
    timings["write"] = time.perf_counter() - write_began
    done()
    return MiningResult(log=ctx.log, run_id=ctx.run_id, run_seq=stored.run_seq, summary=stored.summary,
                        seconds=time.perf_counter() - began, phase_seconds=timings)
