"""`saksflyt run --config pipeline.toml` (load every source, then mine each log) and the summary that
`saksflyt ingest --config sources.toml` prints: thin wrappers over `extractors.batch` and `mining.run`.

Exit codes: 0 when every source (and every mining run) succeeded, 1 when some failed while the others
went through, 2 when the configuration itself is wrong (nothing is loaded then).
"""
from __future__ import annotations

import logging

import click
from rich.table import Table

from saksflyt.app import mine_config
from saksflyt.app.cli_common import current_store, err, out, progress_status, store_option
from saksflyt.extractors import batch
from saksflyt.extractors.errors import SaksflytError

log = logging.getLogger(__name__)
PARTIAL_FAILURE = 1


def _counts(result: batch.SourceResult) -> tuple[str, str, str]:
    """events added, cases and rejected rows for one source's row of the summary."""
    r = result.report
    if r is None or r.noop:
        return "", "", ""
    return f"{r.rows_kept:,}", f"{r.cases:,}", f"{r.rows_rejected:,}"


def print_summary(report: batch.BatchReport, *, mined: dict[str, str] | None = None) -> None:
    """One summary for the whole batch on stdout: a row per source, then why any source failed; each
    load's own report lines go to stderr, as for a single `saksflyt ingest`."""
    table = Table("log", "result", "events added", "cases", "rejected", *(("mined",) if mined is not None else ()),
                  title=f"{report.config.path.name}: {len(report.results)} sources")
    for result in report.results:
        row = [result.source.log, result.status, *_counts(result)]
        if mined is not None:
            row.append(mined.get(result.source.log, ""))
        table.add_row(*row)
    counts = {s: sum(1 for r in report.results if r.status == s) for s in ("loaded", "unchanged", "failed")}
    table.caption = ", ".join(f"{n} {s}" for s, n in counts.items())
    for result in report.results:
        if result.report is not None:
            for line in result.report.lines():
                err.print(line, markup=False)
    out.print(table)
    for result in report.failed:
        out.print(f"{result.source.log} failed: {result.error}", markup=False, soft_wrap=True)
    for log_name, outcome in (mined or {}).items():
        if outcome.startswith("failed"):
            out.print(f"{log_name} mining {outcome}", markup=False, soft_wrap=True)


def ingest_config(ctx: click.Context, config: str, *, quiet: bool) -> None:
    """`saksflyt ingest --config sources.toml`: every source, one summary, exit 1 if any failed."""
    cfg = batch.load_config(config)
    with progress_status(quiet, f"loading {len(cfg.sources)} sources") as progress:
        report = batch.run_sources(cfg, store_path=current_store(ctx), progress=progress)
    print_summary(report)
    if report.failed:
        ctx.exit(PARTIAL_FAILURE)


def _mine_options(settings: mine_config.LogSettings, ends: tuple[str, ...]):
    """The same options `mine --config` builds from the file, so a nightly run and a manual one agree."""
    from saksflyt.mining import insights_results
    from saksflyt.mining.run import MineOptions

    insights = insights_results.InsightOptions(external=settings.external, mandatory=settings.mandatory,
                                               outcome_attrs=settings.outcome_attrs, model=settings.model,
                                               incoming=settings.incoming, outgoing=settings.outgoing)
    return MineOptions(end_activities=ends, insights=insights, calendar=settings.calendar)


def _monitor(target: str, log_name: str, settings: mine_config.LogSettings, phase) -> str:
    """Keep the log's clock and predict its open cases, as `saksflyt monitor --config` does."""
    from saksflyt.mining import monitor

    result = monitor.monitor(store_path=target, log_name=log_name, progress=phase, options=monitor.MonitorOptions(
        config=settings.deadlines, calendar=settings.calendar, outcome_attrs=settings.outcome_attrs))
    at_risk = int((result.open_cases["p_miss"] >= 0.5).sum())
    return f"monitor run {result.run_seq}: {len(result.open_cases):,} open cases, {at_risk:,} at risk"


@click.command("run")
@click.option("--config", required=True, type=click.Path(exists=True, dir_okay=False),
              help="The pipeline.toml: sources to load and how to mine them.")
@click.option("--quiet", is_flag=True, help="No progress output.")
@store_option
@click.pass_context
def run_cmd(ctx: click.Context, config: str, quiet: bool) -> None:
    """Load every source of a pipeline and mine each log: the nightly job in one command.

    A source that fails does not stop the others; the exit code is 1 if anything failed.
    """
    from saksflyt.mining.run import mine  # imported here: `saksflyt ingest` needs no mining

    cfg = batch.load_config(config, pipeline=True)
    target = current_store(ctx)
    mined: dict[str, str] = {}
    failures = 0
    with progress_status(quiet, f"loading {len(cfg.sources)} sources") as progress:
        report = batch.run_sources(cfg, store_path=target, progress=progress)
        for result in report.results:
            src = result.source
            if result.error is not None:
                mined[src.log] = "not mined"
                continue
            if not src.mine:
                mined[src.log] = "skipped (mine = false)"
                continue
            ends = src.end_activities if src.end_activities is not None else cfg.mine.get("end_activities", ())

            def phase(label: str, _done: int, _total: int, _log: str = src.log) -> None:
                progress(f"{_log}: {label}")

            try:
                settings = mine_config.read(cfg.mine["config"], src.log) if "config" in cfg.mine \
                    else mine_config.LogSettings()
                ends = ends or settings.end_activities
                res = mine(store_path=target, log_name=src.log, options=_mine_options(settings, tuple(ends)),
                           progress=phase)
                mined[src.log] = (f"run {res.run_seq}: {res.summary.get('cases', 0):,} cases, "
                                  f"{res.summary.get('variants', 0):,} variants")
                if not settings.deadlines.empty:
                    mined[src.log] += "; " + _monitor(target, src.log, settings, phase)
            except SaksflytError as exc:
                failures += 1
                mined[src.log] = f"failed: {exc}"
            except Exception as exc:  # one log's mining must not stop the others; the trace goes to the log
                log.exception("mining log %s failed", src.log)
                failures += 1
                mined[src.log] = f"failed: unexpected {type(exc).__name__}: {exc}"
    print_summary(report, mined=mined)
    if report.failed or failures:
        ctx.exit(PARTIAL_FAILURE)
