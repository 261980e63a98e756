"""`saksflyt candidates`: a thin wrapper over `app.pipeline.candidates` (`automation_scoring.run.score` / `.train`)."""
from __future__ import annotations

import contextlib
import json
import sys
from collections.abc import Iterator
from pathlib import Path

import click
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from saksflyt.app.cli_common import current_store, err, out, store_option


def _split(value: str | None) -> tuple[str, ...]:
    return tuple(v.strip() for v in (value or "").split(",") if v.strip())


@contextlib.contextmanager
def _progress(quiet: bool) -> Iterator:
    if quiet:
        yield lambda _label, _done, _total: None
        return
    with Progress(TextColumn("{task.description}"), BarColumn(), TextColumn("{task.completed}/{task.total}"),
                  TimeElapsedColumn(), console=err, transient=True) as bar:
        task = bar.add_task("starting", total=None)
        yield lambda label, done, total: bar.update(task, description=label, completed=done, total=total)


def print_table(items: list[dict], log_name: str) -> None:
    """Rank, kind, gains, activities and the rule's conditions; basis, reasons and assumptions are in json/csv."""
    table = Table(title=f"Candidates: {log_name}", show_lines=True)
    for name in ("#", "kind", "score", "hours/yr", "NOK/yr", "quality/yr"):
        table.add_column(name, no_wrap=True, justify="left" if name == "kind" else "right")
    table.add_column("activities", ratio=1)
    table.add_column("rule", ratio=1)
    for c in items:
        rule = c["rule"].split(" → ", 1)[0] if c["rule"] else ""
        table.add_row(str(c["rank"]), c["kind"], f"{c['score']:.2f}", f"{c['hours_saved_per_year']:,.0f}",
                      f"{c['nok_saved_per_year']:,.0f}", f"{c['quality_cases_per_year']:,.0f}",
                      " → ".join(c["activities"]), rule)
    out.print(table)


def totals_line(summary: dict) -> str:
    """The hours claimed against the staff hours in the log: never more, each hour counted once."""
    staff, claimed = summary["staff_hours_per_year"], summary["claimed_hours_per_year"]
    share = f" ({claimed / staff:.0%})" if staff else ""
    review = summary.get("for_review") or []
    unknown = summary.get("activities_without_hours") or []
    return (f"Claimed {claimed:,.0f} of {staff:,.0f} staff hours a year in the log{share}; each activity's hours "
            f"counted by at most one candidate."
            + (f" {len(review)} unexplained step(s) listed for review." if review else "")
            + (f" {len(unknown)} activit(y/ies) with no person and no measured time: no hours." if unknown else ""))


@click.command("candidates")
@click.option("--log", "log_name", required=True, help="The log to score.")
@click.option("--top", type=click.IntRange(min=1), default=None, help="Show only the N best candidates.")
@click.option("--format", "fmt", type=click.Choice(["table", "json", "csv"]), default="table", show_default=True,
              help="Output on stdout: a table, candidates.json or candidates.csv.")
@click.option("--train", "labels", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="Labels CSV (log, candidate_id, activities, kind, decision, comment, marked_at): fit the "
                   "scoring model on it, report its cross-validated quality, and use it from now on.")
@click.option("--norms", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="Standard times CSV (activity, minutes): processing-time basis 'norm' for those activities.")
@click.option("--hourly-cost", type=click.FloatRange(min=0), default=700.0, show_default=True,
              help="NOK per staff hour, for nok_saved_per_year.")
@click.option("--outcome-attrs", help="Comma-separated case attributes that record outcomes; never used to "
                                      "explain decisions (names like status/result/utfall/vedtak/end… always are).")
@click.option("--external", help="Comma-separated resources that are outside parties (names as you know them).")
@click.option("--lang", type=click.Choice(["nb", "en"]), default="nb", show_default=True,
              help="Language of the reasons and assumptions.")
@click.option("--out", "out_dir", type=click.Path(file_okay=False, path_type=Path),
              help="Also write candidates.json, candidates.csv and candidates_summary.json here.")
@click.option("--quiet", is_flag=True, help="No progress bar.")
@store_option
@click.pass_context
def candidates_cmd(ctx: click.Context, log_name: str, top: int | None, fmt: str, labels: Path | None,
                   norms: Path | None, hourly_cost: float, outcome_attrs: str | None, external: str | None,
                   lang: str, out_dir: Path | None, quiet: bool) -> None:
    """Rank what to eliminate, simplify, automate or unblock in a log, with evidence, rules and gains."""
    from saksflyt.app import pipeline
    from saksflyt.automation_scoring import results
    from saksflyt.automation_scoring.features import read_norms
    from saksflyt.automation_scoring.run import ScoringOptions

    options = ScoringOptions(hourly_cost=hourly_cost, norms=read_norms(norms) if norms else {},
                             outcome_attrs=_split(outcome_attrs), external=_split(external), lang=lang)
    with _progress(quiet) as progress:
        scored = pipeline.candidates(store_path=current_store(ctx), log_name=log_name, options=options,
                                     labels=labels, out_dir=out_dir, progress=progress)
    result, trained = scored.scoring, scored.trained
    if trained is not None:
        quality = ("not enough labelled steps for cross-validation" if trained.cv_score is None else
                   f"grouped {trained.cv_folds}-fold cross-validated ROC AUC {trained.cv_score:.2f}, "
                   f"accuracy {trained.cv_accuracy:.2f}")
        err.print(f"Trained model {trained.model_id} on {trained.labels} labels ({trained.accepted} accepted, "
                  f"{trained.rejected} rejected, {trained.ignored} not found): {quality}; scikit-learn "
                  f"{trained.sklearn_version}. Used for '{log_name}' from now on.", markup=False, soft_wrap=True)
    for note in result.notes:
        err.print(note, markup=False, soft_wrap=True)
    if scored.stale is not None:
        err.print(scored.stale.message(), markup=False, soft_wrap=True)
    err.print(totals_line(result.summary), markup=False, soft_wrap=True)
    items = result.candidates[:top] if top else result.candidates
    if fmt == "json":
        click.echo(json.dumps(items, ensure_ascii=False, indent=2))
    elif fmt == "csv":
        results.flatten(items).to_csv(sys.stdout, index=False)
    else:
        print_table(items, log_name)
