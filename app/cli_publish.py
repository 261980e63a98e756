"""`saksflyt publish`: a thin wrapper over `mining.publish.publish`."""
from __future__ import annotations

from pathlib import Path

import click
from rich.table import Table

from saksflyt.app import mine_config
from saksflyt.app.cli_common import current_store, err, out, store_option
from saksflyt.app.cli_mine import progress_bar
from saksflyt.extractors.errors import InputError
from saksflyt.mining import privacy_ledger
from saksflyt.mining import publish as pub
from saksflyt.mining.publish_counts import Bounds


def _names(value: str | None) -> tuple[str, ...]:
    return tuple(x.strip() for x in (value or "").split(",") if x.strip())


def _catalogue(path: Path | None) -> tuple[str, ...] | None:
    """Step names, one per line (UTF-8; blank lines and lines starting with # skipped)."""
    if path is None:
        return None
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"cannot read the activity list ({exc.__class__.__name__})", file=str(path)) from None
    names = tuple(x.strip() for x in lines if x.strip() and not x.lstrip().startswith("#"))
    if not names:
        raise InputError("the activity list is empty: give one step name per line", file=str(path))
    return names


@click.command("publish")
@click.option("--log", "log_name", required=True, help="The log to publish statistics of.")
@click.option("--epsilon", type=float, required=True,
              help="Privacy loss ε this release spends (smaller = more noise; 1 is a usual yearly total).")
@click.option("--delta", type=float, default=1e-6, show_default=True,
              help="δ for the releases whose keys are data (variants, public attribute values); below 1/cases.")
@click.option("--out", "out_dir", type=click.Path(file_okay=False, path_type=Path), required=True,
              help="The bundle folder: bundle.json, CSVs, index.html (bokmål) and en.html.")
@click.option("--budget", type=float,
              help="Raise (or lower) the log's ε budget over 365 days for this release; recorded in the ledger.")
@click.option("--config", "config", type=click.Path(dir_okay=False, path_type=Path),
              help="TOML config: [privacy] or [logs.NAME.privacy] epsilon_per_year, and end_activities.")
@click.option("--public-attrs", help="Comma-separated case attributes safe to publish (e.g. the case type).")
@click.option("--max-edges", type=click.IntRange(min=2), default=Bounds.max_edges, show_default=True,
              help="At most this many distinct transitions per case count in the process map.")
@click.option("--max-activities", type=click.IntRange(min=1), default=Bounds.max_activities, show_default=True,
              help="At most this many steps per case count in the waiting and handling times.")
@click.option("--end-activities", help="Comma-separated activities that close a case.")
@click.option("--activities", "activities_file", type=click.Path(dir_okay=False, path_type=Path),
              help="A fixed list of step names (one per line) to publish over, instead of the log's own names.")
@click.option("--no-processing", is_flag=True, help="Do not release handling times (e.g. a log without start times).")
@click.option("--label", help="The name the bundle shows (default: the log's name).")
@click.option("--quiet", is_flag=True, help="No progress bar.")
@store_option
@click.pass_context
def publish_cmd(ctx: click.Context, log_name: str, epsilon: float, delta: float, out_dir: Path, budget: float | None,
                config: Path | None, public_attrs: str | None, max_edges: int, max_activities: int,
                end_activities: str | None, activities_file: Path | None, no_processing: bool, label: str | None,
                quiet: bool) -> None:
    """Publish differentially private process statistics of a log (for other municipalities and open data)."""
    settings = mine_config.read(config, log_name) if config else mine_config.LogSettings()
    options = pub.PublishOptions(
        epsilon=epsilon, delta=delta,
        budget=budget if budget is not None else settings.epsilon_per_year or privacy_ledger.DEFAULT_EPSILON_PER_YEAR,
        bounds=Bounds(max_edges=max_edges, max_activities=max_activities), public_attrs=_names(public_attrs),
        end_activities=_names(end_activities) or settings.end_activities, label=label,
        processing=not no_processing, catalogue=_catalogue(activities_file))
    with progress_bar(quiet) as (phase, _message):
        result = pub.publish(store_path=current_store(ctx), log_name=log_name, options=options, out_dir=out_dir,
                             progress=phase)
    local = result["local"]
    table = Table("release", "mechanism", "ε", "δ", "sensitivity", "noise sd", "suppressed below",
                  title=f"Published: {log_name} → {out_dir}")
    for r in result["privacy"]["releases"]:
        table.add_row(r["name"], r["mechanism"].split(" (")[0], f"{r['epsilon']:.4g}", f"{r['delta']:.2g}",
                      str(r["sensitivity"]), f"{r['noise_sd']:.1f}", str(r["suppress_below"]))
    out.print(table)
    lt = result["lead_time"]
    days = (lambda x: "–" if x is None else f"{x:.1f}")
    out.print(f"median lead time {days(lt['median_days'])} days, p90 {days(lt['p90_days'])} days (noisy); "
              f"{len(result['dfg'])} transitions and {len(result['variants'])} variants released", markup=False)
    err.print(f"privacy budget: ε {result['privacy']['epsilon']:.4g} spent, {local['budget_left']:.4g} of "
              f"{local['budget']:g} left over 365 days", markup=False)
    if local["cases_truncated_edges"] or local["cases_truncated_activities"]:
        err.print(f"bounded contribution: {local['cases_truncated_edges']:,} cases had more than {max_edges} "
                  f"transitions and {local['cases_truncated_activities']:,} more than {max_activities} steps; "
                  f"each counted a subset (this line is not published)", markup=False)
