"""`saksflyt compare`: a thin wrapper over `mining.compare.compare` and `mining.compare_report.write`."""
from __future__ import annotations

from datetime import datetime
from pathlib import Path

import click
from rich.table import Table

from saksflyt.app.cli_common import current_store, err, out, store_option
from saksflyt.app.cli_mine import progress_bar
from saksflyt.mining import compare as cmp
from saksflyt.mining import compare_sides as sides
from saksflyt.mining import compare_report


def _fmt(x: float | None, digits: int = 1) -> str:
    return "–" if x is None else f"{x:,.{digits}f}"


def _ci(ci: list | None, digits: int = 1) -> str:
    return "–" if not ci or ci[0] is None else f"{_fmt(ci[0], digits)} – {_fmt(ci[1], digits)}"


@click.command("compare")
@click.option("--log", "logs", multiple=True, required=True,
              help="Twice for two logs (e.g. two municipalities); once with --before/--after to split at a change, "
                   "or once with --bundle.")
@click.option("--bundle", "bundle_dir", type=click.Path(path_type=Path),
              help="Another municipality's bundle (from `saksflyt publish`) to compare the log with, noise-aware.")
@click.option("--before", type=click.DateTime(["%Y-%m-%d"]), help="Side A: cases started before this day.")
@click.option("--after", type=click.DateTime(["%Y-%m-%d"]),
              help="Side B: cases started on or after this day (cases in between are left out).")
@click.option("--mapping", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="CSV of activity names: name in a log, common name (to match two municipalities).")
@click.option("--shared-only", is_flag=True, help="Compare only the activities both sides have.")
@click.option("--target-days", type=click.FloatRange(min=0, min_open=True), help="Lead-time target in days.")
@click.option("--hourly-cost", type=click.FloatRange(min=0), default=700.0, show_default=True,
              help="NOK per staff hour.")
@click.option("--end-activities", help="Comma-separated activities that close a case.")
@click.option("--lang", type=click.Choice(["nb", "en"]), default="nb", show_default=True, help="Language of compare.html.")
@click.option("--out", "out_dir", type=click.Path(file_okay=False, path_type=Path),
              help="Write compare.json and compare.html here.")
@click.option("--bootstrap", type=click.IntRange(min=100), default=2000, show_default=True,
              help="Bootstrap resamples for the confidence intervals.")
@click.option("--quiet", is_flag=True, help="No progress bar.")
@store_option
@click.pass_context
def compare_cmd(ctx: click.Context, logs: tuple[str, ...], bundle_dir: Path | None, before: datetime | None, after: datetime | None,
                mapping: Path | None, shared_only: bool, target_days: float | None, hourly_cost: float, end_activities: str | None,
                lang: str, out_dir: Path | None, bootstrap: int, quiet: bool) -> None:
    """Compare a process before and after a change, or two logs (e.g. two municipalities), with gains realised."""
    ends = tuple(x.strip() for x in (end_activities or "").split(",") if x.strip())
    if bundle_dir is not None:
        if len(logs) != 1 or before or after:
            raise click.UsageError("with --bundle, give --log once and no --before/--after")
        _compare_bundle(ctx, logs[0], bundle_dir, sides.read_mapping(mapping) if mapping else (), ends, lang, out_dir,
                        quiet)
        return
    if len(logs) == 2:
        if before or after:
            raise click.UsageError("--before/--after split one log; give --log once")
        a, b = sides.Side(logs[0], logs[0]), sides.Side(logs[1], logs[1])
    elif len(logs) == 1:
        if not before and not after:
            raise click.UsageError("with one --log, give --before and/or --after (the change date)")
        a, b = sides.split_sides(logs[0], before=(before or after).date(), after=(after or before).date())
    else:
        raise click.UsageError("give --log once (with --before/--after) or twice")
    options = sides.CompareOptions(
        target_days=target_days, hourly_cost=hourly_cost, shared_only=shared_only, bootstrap=bootstrap,
        mapping=sides.read_mapping(mapping) if mapping else (),
        end_activities=tuple(x.strip() for x in (end_activities or "").split(",") if x.strip()))
    with progress_bar(quiet) as (phase, _message):
        result = cmp.compare(store_path=current_store(ctx), a=a, b=b, options=options, progress=phase)
    if out_dir is not None:
        files = compare_report.write(result, out_dir, lang=lang)
        err.print(f"{len(files)} files in {out_dir}", markup=False)
    lt, g = result["lead_time"], result["gains"]
    table = Table("measure", result["a"]["label"], result["b"]["label"], "B − A (95% CI)",
                  title="Comparison")
    for key in ("median_days", "p90_days"):
        e = lt[key]
        table.add_row(f"lead time {key.replace('_days', '')} (days)", _fmt(e["a"]), _fmt(e["b"]),
                      f"{_fmt(e['difference'])} ({_ci(e['difference_ci'])})")
    table.add_row("cases per year", _fmt(result["a"]["cases_per_year"], 0), _fmt(result["b"]["cases_per_year"], 0), "")
    for name, e, d in (("hours saved/year, processing", g["hours_per_year"]["processing"], 0),
                       ("hours saved/year, waiting", g["hours_per_year"]["waiting"], 0),
                       ("NOK saved/year", g["nok_per_year"], 0),
                       ("cases spared rework/year", g["rework_cases_per_year"], 0)):
        table.add_row(name, "", "", f"{_fmt(e['value'], d)} ({_ci(e['ci'], d)})")
    out.print(table)
    acts = result["activities"]
    if acts["removed"] or acts["added"]:
        out.print(f"removed: {', '.join(acts['removed']) or '–'}; added: {', '.join(acts['added']) or '–'}",
                  markup=False)
    for n in result["notes"]:
        err.print(f"note: {n['code']}", markup=False)


def _compare_bundle(ctx: click.Context, log_name: str, bundle_dir: Path, mapping: tuple, ends: tuple[str, ...],
                    lang: str, out_dir: Path | None, quiet: bool) -> None:
    from saksflyt.mining import bundle_compare

    with progress_bar(quiet) as (phase, _message):
        result = bundle_compare.compare_bundle(store_path=current_store(ctx), log_name=log_name, bundle_dir=bundle_dir,
                                               mapping=mapping, end_activities=ends, progress=phase)
    if out_dir is not None:
        files = bundle_compare.write(result, out_dir, lang=lang)
        err.print(f"{len(files)} files in {out_dir}", markup=False)
    a, b = result["a"]["label"], result["b"]["label"]
    table = Table("measure", a, f"{b} (bundle, ε {result['b']['epsilon']:.3g})", f"{b}: 95% interval",
                  "B − A", title="Comparison with a published bundle")
    rows = [("lead time median (days)", result["lead_time"]["median_days"], 1),
            ("lead time p90 (days)", result["lead_time"]["p90_days"], 1),
            ("cases per year", result["volume"]["cases_per_year"], 0)]
    for name, e, d in rows:
        diff = _fmt(e["difference"], d) + (" *" if e["significant"] else "")
        table.add_row(name, _fmt(e["a"], d), _fmt(e["b"], d), _ci(e["b_interval"], d), diff)
    out.print(table)
    changed = [r for r in result["dfg"] if r["status"] not in ("same", "below_threshold")]
    out.print(f"{len(changed)} transitions differ beyond the noise (* = significant); "
              f"{result['variants']['a_case_share_in_b_variants']:.0%} of {a}'s closed cases follow a variant {b} "
              f"published", markup=False)
