"""`saksflyt ingest`, `logs`, `drop`: thin wrappers over `app.pipeline.ingest` and `extractors.ingest`."""
from __future__ import annotations

import json

import click
from rich import box
from rich.table import Table

from saksflyt.app import pipeline
from saksflyt.app.cli_common import current_store, err, out, progress_status, store_option
from saksflyt.extractors import batch
from saksflyt.extractors import ingest as ingest_lib
from saksflyt.extractors import store
from saksflyt.extractors.staging import IngestOptions
from saksflyt.extractors.tabular import ColumnMap


def split_list(value: str | None) -> tuple[str, ...]:
    return tuple(v.strip() for v in (value or "").split(",") if v.strip())


@click.command("ingest")
@click.argument("source", required=False)
@click.option("--log", "log_name", help="Name of the log in the store.")
@click.option("--format", "fmt", help="csv, excel, parquet, xes, noark5, ocel, sql (default: by suffix).")
@click.option("--case", help="Column with the case id.")
@click.option("--activity", help="Column with the activity name.")
@click.option("--timestamp", help="Column with the end/complete time.")
@click.option("--start", help="Column with the start time.")
@click.option("--resource", help="Column with who did it.")
@click.option("--lifecycle", help="Column with the lifecycle transition.")
@click.option("--unit", help="Column with the organisational unit (enhet, avdeling; never pseudonymised).")
@click.option("--activity-key", help="XES/OCEL attribute that names activities (e.g. activityNameEN; A+B combines two, e.g. concept:name+lifecycle:transition).")
@click.option("--query", help="Database source: the SELECT that returns one row per event.")
@click.option("--table", "table_name", help="Database source: a table or view with one row per event.")
@click.option("--since-column", metavar="COL",
              help="Database source: load incrementally; a rerun reads rows with COL >= the last value read.")
@click.option("--object-type", help="OCEL 2.0 (--format ocel): the object type whose objects become cases.")
@click.option("--config", type=click.Path(exists=True, dir_okay=False),
              help="Load every source of a sources.toml (no SOURCE or --log then).")
@click.option("--tz", default="Europe/Oslo", show_default=True, help="Zone of local times without offset.")
@click.option("--personal", help="Comma-separated columns holding personal data (pseudonymised).")
@click.option("--no-pseudonymise", is_flag=True, help="Store resources and personal columns as they are.")
@click.option("--keep-text", is_flag=True, help="Keep free-text columns (dropped by default).")
@click.option("--system", help="Comma-separated resource names that are systems, not people.")
@click.option("--external", help="Comma-separated resource names that are outside parties.")
@click.option("--strict", is_flag=True, help="Any rejected row fails the whole load.")
@click.option("--replace", is_flag=True, help="Swap the log's content atomically.")
@click.option("--append", is_flag=True, help="Add rows to the log, dropping exact duplicates.")
@click.option("--quiet", is_flag=True, help="No progress output.")
@click.option("--split-by", "split_by", metavar="ATTR",
              help="Noark 5: one log per value of this case attribute (e.g. klasse), named NAME-value.")
@store_option
@click.pass_context
def ingest_cmd(ctx: click.Context, source: str | None, log_name: str | None, fmt: str | None, case: str | None,
               activity: str | None, timestamp: str | None, start: str | None, resource: str | None,
               lifecycle: str | None, unit: str | None, activity_key: str | None, tz: str, personal: str | None,
               no_pseudonymise: bool, keep_text: bool, system: str | None, external: str | None,
               query: str | None, table_name: str | None, since_column: str | None, object_type: str | None,
               config: str | None,
               strict: bool, replace: bool, append: bool, quiet: bool, split_by: str | None) -> None:
    """Load an event log (CSV, Excel, Parquet, XES, …) into the store as log NAME."""
    if config:
        if source or log_name:
            raise click.UsageError("--config loads the sources of the file: give no SOURCE or --log with it")
        from saksflyt.app import cli_batch

        cli_batch.ingest_config(ctx, config, quiet=quiet)
        return
    if source is None:
        raise click.UsageError("give the file to load")
    if not log_name:
        raise click.UsageError("--log NAME is required")
    if replace and append:
        raise click.UsageError("--replace and --append exclude each other")
    options = IngestOptions(
        pseudonymise=not no_pseudonymise, personal=split_list(personal), keep_text=keep_text, strict=strict,
        system=split_list(system), external=split_list(external), tz=tz,
        mode="replace" if replace else "append" if append else "new",
    )
    columns = ColumnMap(case=case, activity=activity, timestamp=timestamp, start=start, resource=resource,
                        lifecycle=lifecycle, unit=unit)
    extra = {"activity_key": activity_key} if activity_key else {}
    extra.update({k: v for k, v in (("query", query), ("table", table_name), ("since_column", since_column),
                                    ("object_type", object_type)) if v})
    if split_by and fmt not in (None, "noark5"):
        raise click.UsageError("--split-by works with Noark 5 exports (--format noark5) only")
    with progress_status(quiet, f"loading {batch.shown(source)}") as progress:
        reports = pipeline.ingest(source, store_path=current_store(ctx), log_name=log_name, options=options,
                                  columns=columns, fmt=fmt, split_by=split_by, progress=progress, **extra)
    for report in reports:
        for line in report.lines():
            err.print(line, markup=False)


@click.command("logs")
@click.option("--quality", "quality_log", metavar="NAME", help="Data-quality report for one log.")
@click.option("--privacy", "privacy", is_flag=True,
              help="Show the privacy ledger: every `saksflyt publish`, its ε and δ, and the budget left.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of a table.")
@store_option
@click.pass_context
def logs_cmd(ctx: click.Context, quality_log: str | None, privacy: bool, as_json: bool) -> None:
    """List the logs in the store, or report one log's data quality."""
    target = store.store_path(current_store(ctx))
    if not target.exists():
        err.print(f"{target}: no store yet; load a log with `saksflyt ingest FILE --log NAME`", markup=False)
        return
    with store.read(target) as con:
        if privacy:
            _privacy_ledger(con, as_json)
            return
        if quality_log:
            report = ingest_lib.quality(con, quality_log)
            if as_json:
                click.echo(json.dumps(report, indent=2, ensure_ascii=False, default=str))
                return
            table = Table("measure", "value", title=f"Data quality: {quality_log}")
            for k, v in report.items():
                if k == "resource_kinds":
                    continue
                table.add_row(k.replace("_", " "), json.dumps(v, ensure_ascii=False) if isinstance(v, dict) else f"{v:,}" if isinstance(v, int) else str(v))
            out.print(table)
            if report["resource_kinds"]:
                out.print(resource_kinds_table(report["resource_kinds"], title=f"Resource kinds: {quality_log}",
                                                width=out.width))
            return
        rows = ingest_lib.list_logs(con)
    if as_json:
        click.echo(json.dumps(rows, indent=2, default=str))
        return
    table = Table("log", "source", "cases", "events", "activities", "first event (UTC)", "last event (UTC)")
    for r in rows:
        table.add_row(r["log"], r["source_kind"], f"{r['cases']:,}", f"{r['events']:,}", f"{r['activities']:,}",
                      str(r["first_event_at"])[:19], str(r["last_event_at"])[:19])
    out.print(table)


def _privacy_ledger(con, as_json: bool) -> None:
    from saksflyt.mining import privacy_ledger

    rows = privacy_ledger.rows(con)
    if as_json:
        click.echo(json.dumps(rows, indent=2, ensure_ascii=False, default=str))
        return
    table = Table("log", "released (UTC)", "ε", "δ", "budget", "ε left now", "releases", "out", title="Privacy ledger")
    left = {}
    for r in rows:
        if r["released_log"] not in left:
            spent, _ = privacy_ledger.spent(con, r["released_log"])
            left[r["released_log"]] = r["budget"] - spent
        table.add_row(r["released_log"], str(r["released_at"])[:19], f"{r['epsilon']:.4g}", f"{r['delta']:.2g}",
                      f"{r['budget']:g}", f"{left[r['released_log']]:.4g}",
                      ", ".join(x["name"] for x in r["what"]["releases"]), r["out_dir"] or "")
    out.print(table)
    if not rows:
        err.print("no releases yet: the privacy ledger is empty", markup=False)


def resource_kinds_table(rows: list[dict], *, title: str, width: int) -> Table:
    """Each resource's kind, what decided it and why; on a console wide enough, the evidence too (shares
    in %, – where a share says nothing: no start times in the log, no time of day). --json gives it all."""
    pct = (lambda x: "–" if x is None else f"{100 * x:.0f}")
    figures = width >= 140
    table = Table(title=title, box=box.SIMPLE_HEAD, pad_edge=False)
    numbers = ("events",) + (("instant %", "measured %", "off hours %", "weekend %", "night %", "burst %",
                              "boundary %", "wait h") if figures else ())
    for name in ("resource", "kind", "decided by") + numbers:
        table.add_column(name, justify="right" if name in numbers else "left", no_wrap=True)
    table.add_column("reason", overflow="fold", min_width=24)
    for r in rows:
        cells = [r["resource"], r["kind"], r["decided_by"], f"{r['events']:,}"]
        if figures:
            wait = r["median_wait_hours"]
            cells += [pct(r[k]) for k in ("instant_share", "measured_share", "off_hours_share", "weekend_share",
                                          "night_share", "burst_share", "boundary_share")]
            cells.append("–" if wait is None else f"{wait:,.0f}")
        table.add_row(*cells, r["reason"])
    return table


@click.command("drop")
@click.option("--log", "log_name", required=True, help="The log to remove.")
@store_option
@click.pass_context
def drop_cmd(ctx: click.Context, log_name: str) -> None:
    """Remove a log and its results, and rewrite the store file so the data leaves the disk."""
    n = pipeline.drop(store_path=current_store(ctx), log_name=log_name)
    err.print(f"{log_name}: dropped ({n:,} events)", markup=False)
