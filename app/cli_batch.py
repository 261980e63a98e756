"""`saksflyt run --config pipeline.toml` (load every source, then mine and score each log) and the summary that
`saksflyt ingest --config sources.toml` prints: thin wrappers over `app.pipeline.run` and `.ingest_config`.

Exit codes: 0 when every source (and every mining run) succeeded, 1 when some failed while the others
went through, 2 when the configuration itself is wrong (nothing is loaded then).
"""
from __future__ import annotations

import click
from rich.table import Table

from saksflyt.app import pipeline
from saksflyt.app.cli_common import current_store, err, out, progress_status, store_option
from saksflyt.extractors import batch

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
        report = pipeline.ingest_config(cfg, store_path=current_store(ctx), progress=progress)
    print_summary(report)
    if report.failed:
        ctx.exit(PARTIAL_FAILURE)


@click.command("run")
@click.option("--config", required=True, type=click.Path(exists=True, dir_okay=False),
              help="The pipeline.toml: sources to load and how to mine them.")
@click.option("--quiet", is_flag=True, help="No progress output.")
@store_option
@click.pass_context
def run_cmd(ctx: click.Context, config: str, quiet: bool) -> None:
    """Load every source of a pipeline, then mine and score each log: the nightly job in one command.

    A source that fails does not stop the others; the exit code is 1 if anything failed.
    """
    cfg = batch.load_config(config, pipeline=True)
    with progress_status(quiet, f"loading {len(cfg.sources)} sources") as progress:
        result = pipeline.run(cfg, store_path=current_store(ctx), progress=progress)
    print_summary(result.batch, mined=result.mined)
    if result.batch.failed or result.failures:
        ctx.exit(PARTIAL_FAILURE)
