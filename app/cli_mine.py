"""`saksflyt mine`: a thin wrapper over `app.pipeline.mine_log` (mine, score, export)."""
from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path

import click
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from saksflyt.app import audit, mine_config, pipeline
from saksflyt.app import config_file as config_file_lib
from saksflyt.app.cli_common import current_store, err, out, store_option
from saksflyt.mining import results

SOURCE_SUFFIXES = (".xes.gz", ".xes", ".csv.gz", ".csv", ".tsv", ".txt", ".xlsx", ".xlsm", ".xls", ".parquet", ".pq")


def log_name_for(path: Path) -> str:
    name = path.name
    for suffix in SOURCE_SUFFIXES:
        if name.lower().endswith(suffix):
            return name[: -len(suffix)] or name
    return path.stem or name


@contextlib.contextmanager
def progress_bar(quiet: bool) -> Iterator:
    """A progress bar on stderr; yields (phase_callback, message_callback) for the library calls."""
    if quiet:
        yield (lambda _label, _done, _total: None), (lambda _msg: None)
        return
    with Progress(TextColumn("{task.description}"), BarColumn(), TextColumn("{task.completed}/{task.total}"),
                  TimeElapsedColumn(), console=err, transient=True) as bar:
        task = bar.add_task("starting", total=None)

        def phase(label: str, done: int, total: int) -> None:
            bar.update(task, description=label, completed=done, total=total)

        def message(msg: str) -> None:
            bar.update(task, description=msg)

        yield phase, message


def print_summary(summary: dict) -> None:
    table = Table("measure", "value", title=f"Mined: {summary['log']}")
    for key in (*results.SUMMARY_KEYS[1:], "median_case_working_hours", "median_case_duration_days"):
        value = summary.get(key)
        text = ("–" if value is None else f"{value:,.2f}" if isinstance(value, float)
                else f"{value:,}" if isinstance(value, int) else str(value))
        table.add_row(key.replace("_", " "), text)
    table.add_row("closed cases are", ", ".join(summary["end_activities"]))
    out.print(table)


@click.command("mine")
@click.argument("source", required=False, type=click.Path(exists=True, path_type=Path))
@click.option("--log", "log_name", help="The log to mine (with FILE: the name to load it under).")
@click.option("--out", "out_dir", type=click.Path(file_okay=False, path_type=Path),
              help="Export summary.json, activities.csv, dfg.csv, variants.csv (and extras) here.")
@click.option("--end-activities", help="Comma-separated activities that close a case "
                                       "(default: the most common end activities, covering 80% of cases).")
@click.option("--external", help="Comma-separated resources that are outside parties, named as you know them.")
@click.option("--mandatory", help="Comma-separated activities never proposed for elimination.")
@click.option("--outcome-attrs", help="Comma-separated case attributes that record how a case ended (e.g. "
                                       "caseStatus): never used to explain whether a step happens.")
@click.option("--model", "model_file", type=click.Path(dir_okay=False, path_type=Path),
              help="A BPMN or PNML model to check conformance against (default: the discovered one).")
@click.option("--config", "config_file", type=click.Path(dir_okay=False, path_type=Path),
              help="A TOML file with the log's standing settings: mandatory, external, end_activities, model "
                   "and the working-time calendar (see the README). Flags add to or replace them.")
@click.option("--lang", type=click.Choice(["nb", "en"]), default="nb", show_default=True,
              help="Language of report.html and the evidence sentences.")
@click.option("--engine", type=click.Choice(["duckdb", "spark"]), default="duckdb", show_default=True,
              help="Where the statistics are computed: in-process DuckDB, or Apache Spark from --events.")
@click.option("--events", "events_path", metavar="PATH",
              help="With --engine spark: the Parquet dataset of events (`saksflyt export --format parquet DIR`), "
                   "a folder or a URL such as s3a://bucket/events.")
@click.option("--spark-master", metavar="URL",
              help="With --engine spark: the Spark master (default local[2]; e.g. spark://host:7077, yarn).")
@click.option("--quiet", is_flag=True, help="No progress bar.")
@store_option
@click.pass_context
def mine_cmd(ctx: click.Context, source: Path | None, log_name: str | None, out_dir: Path | None,
             end_activities: str | None, external: str | None, mandatory: str | None, outcome_attrs: str | None,
             model_file: Path | None, config_file: Path | None, lang: str, engine: str, events_path: str | None,
             spark_master: str | None, quiet: bool) -> None:
    """Mine a log: process map, variants, durations and waiting times, stored as its latest run.

    With FILE, the file is first loaded into a temporary store (removed afterwards) and --out is required.
    With --engine spark, the statistics and the model come from the dataset at --events and are stored
    in --store like any run; the insight phases and scoring, which read events, are not run.
    """
    if source is None and not log_name:
        raise click.UsageError("give --log NAME (or a FILE to mine directly)")
    config = mine_config.LogSettings()
    if config_file:  # the same file's [audit] retention_days holds for this run's audit row
        tables = config_file_lib.read(config_file)
        config = mine_config.read(config_file, log_name or log_name_for(source), data=tables)
        audit.use_config(tables, file=str(config_file))

    def names(flag: str | None) -> tuple[str, ...]:
        return tuple(a.strip() for a in (flag or "").split(",") if a.strip())

    chosen = pipeline.settings(config, end_activities=names(end_activities), external=names(external),
                               mandatory=names(mandatory), outcome_attrs=names(outcome_attrs),
                               model=str(model_file) if model_file else None, lang=lang)
    if engine == "spark":
        if source is not None or not events_path:
            raise click.UsageError("--engine spark reads --events PATH (a Parquet dataset), not a FILE")
        if external or mandatory or model_file or outcome_attrs:  # a config file's insight settings stay unused
            raise click.UsageError("--external, --mandatory, --outcome-attrs and --model apply to the insight "
                                   "phases, which the Spark engine does not run")
        with progress_bar(quiet) as (phase, _message):
            result, files = pipeline.mine_spark(store_path=current_store(ctx), log_name=log_name,
                                                events_path=events_path, master=spark_master,
                                                options=chosen.mining, out_dir=out_dir, progress=phase)
        if out_dir is not None:
            err.print(f"{log_name}: {len(files)} files in {out_dir}", markup=False)
        print_summary(result.summary)
        return
    if events_path or spark_master:
        raise click.UsageError("--events and --spark-master go with --engine spark")
    if source is not None and out_dir is None:
        raise click.UsageError("mining a FILE needs --out DIR (its temporary store is removed afterwards)")
    with progress_bar(quiet) as (phase, message):
        mined, files = pipeline.mine_log(store_path=current_store(ctx), log_name=log_name or log_name_for(source),
                                         settings=chosen, out_dir=out_dir, source=source, lang=lang,
                                         progress=phase, message=message)
    if out_dir is not None:
        err.print(f"{mined.mining.log}: {len(files)} files in {out_dir}", markup=False)
    print_summary(mined.mining.summary)
