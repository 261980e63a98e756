"""`saksflyt export`: a thin wrapper over `extractors.export`; each exported log is a row of the audit trail
(the file's name and format, not its folder)."""
from __future__ import annotations

from pathlib import Path

import click

from saksflyt.app import audit
from saksflyt.app.cli_common import current_store, err, store_option
from saksflyt.extractors import export as export_lib

SINGLE_FILE_PARQUET = (".parquet", ".pq")


@click.command("export")
@click.argument("out", type=click.Path())
@click.option("--log", "log_names", multiple=True,
              help="The log to write out (repeatable for a Parquet dataset; without it a dataset holds every log).")
@click.option("--format", "fmt", type=click.Choice(export_lib.FORMATS), default=None,
              help="xes, csv or parquet (default: by the suffix of OUT; .xes.gz is gzipped XES).")
@store_option
@click.pass_context
def export_cmd(ctx: click.Context, out: str, log_names: tuple[str, ...], fmt: str | None) -> None:
    """Write a log to OUT as XES, CSV or Parquet, pseudonymised as stored (for pm4py, Disco, ProM, Celonis).

    With --format parquet and an OUT that is not a .parquet file, OUT is a folder: the store's event
    table as a Parquet dataset partitioned by log and month (OUT/log=NAME/month=YYYY-MM/), as
    `saksflyt mine --engine spark --events OUT` reads it. Each exported log's folder is replaced.
    """
    name = out.lower()
    if fmt is None:
        fmt = next((f for f in export_lib.FORMATS if name.endswith(f".{f}") or name.endswith(f".{f}.gz")), None)
        if fmt is None:
            raise click.UsageError("give --format xes|csv|parquet (OUT has no known suffix)")
    if fmt == "parquet" and not name.endswith(SINGLE_FILE_PARQUET):
        ds = export_lib.export_events_dataset(store_path=current_store(ctx), out=out, logs=log_names)
        err.print(f"{ds.events:,} events of {len(ds.logs)} log(s) ({', '.join(ds.logs)}) written to {ds.path} "
                  f"as a Parquet dataset ({ds.files} files, partitioned by log and month)", markup=False)
        for log in ds.logs:
            audit.record(current_store(ctx), action="export", log_name=log, what=f"{Path(out).name} (parquet dataset)")
        return
    if len(log_names) != 1:
        raise click.UsageError("give one --log NAME (several logs go only into a Parquet dataset folder)")
    report = export_lib.export_log(store_path=current_store(ctx), log_name=log_names[0], out=out, fmt=fmt)
    err.print(f"{report.log}: {report.events:,} events in {report.cases:,} cases written to {report.path} "
              f"({report.format})", markup=False)
    audit.record(current_store(ctx), action="export", log_name=report.log, what=f"{Path(out).name} ({report.format})")
