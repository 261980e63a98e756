"""`saksflyt export`: a thin wrapper over `extractors.export`."""
from __future__ import annotations

import click

from app.cli import current_store, err, main, store_option
from extractors import export as export_lib


@main.command("export")
@click.argument("out", type=click.Path(dir_okay=False))
@click.option("--log", "log_name", required=True, help="The log to write out.")
@click.option("--format", "fmt", type=click.Choice(export_lib.FORMATS), default=None,
              help="xes, csv or parquet (default: by the suffix of OUT; .xes.gz is gzipped XES).")
@store_option
@click.pass_context
def export_cmd(ctx: click.Context, out: str, log_name: str, fmt: str | None) -> None:
    """Write log NAME to OUT as XES, CSV or Parquet, pseudonymised as stored (for pm4py, Disco, ProM, Celonis)."""
    if fmt is None:
        name = out.lower()
        fmt = next((f for f in export_lib.FORMATS if name.endswith(f".{f}") or name.endswith(f".{f}.gz")), None)
        if fmt is None:
            raise click.UsageError("give --format xes|csv|parquet (OUT has no known suffix)")
    report = export_lib.export_log(store_path=current_store(ctx), log_name=log_name, out=out, fmt=fmt)
    err.print(f"{report.log}: {report.events:,} events in {report.cases:,} cases written to {report.path} "
              f"({report.format})", markup=False)
