"""`saksflyt monitor`: parse the flags, call `pipeline.monitor`, print the open cases at risk."""
from __future__ import annotations

from pathlib import Path

import click
from rich.table import Table

from saksflyt.app import mine_config, pipeline
from saksflyt.app.cli_common import current_store, err, out, store_option
from saksflyt.app.cli_mine import progress_bar


def print_open_cases(result, limit: int = 15) -> None:
    frame = result.open_cases
    table = Table(title=f"Open cases at risk: {result.log} (as of {result.as_of:%Y-%m-%d %H:%M} UTC)")
    for name in ("#", "case", "deadline", "days left", "P(miss)", "expected refund", "waits after"):
        table.add_column(name, justify="left" if name in ("case", "waits after") else "right")
    for row in frame.head(limit).to_dict(orient="records"):
        table.add_row(str(row["rank"]), str(row["case_id"]),
                      str(row["deadline_date"].date() if hasattr(row["deadline_date"], "date") else "–"),
                      "–" if row["days_left"] is None or row["days_left"] != row["days_left"] else str(int(row["days_left"])),
                      "–" if row["p_miss"] != row["p_miss"] else f"{row['p_miss']:.0%}",
                      "–" if row["expected_refund_nok"] != row["expected_refund_nok"]
                      else f"{row['expected_refund_nok']:,.0f}",
                      f"{row['current_activity']} ({row['waiting_days']:.1f} d)")
    status = result.status
    closed = status[status["closed"] & status["in_time"].notna()]
    if len(closed):
        table.caption = (f"{len(frame):,} open · {len(closed):,} decided, {closed['in_time'].mean():.0%} in time, "
                         f"refunds {closed['refund_nok'].fillna(0).sum():,.0f} NOK")
    out.print(table)
    ev = result.evaluation
    if ev is not None:
        mae = ev["mae_days"]
        best = min(v for k, v in mae.items() if k != "model")
        line = (f"remaining time: MAE {mae['model']:.1f} days (best baseline {best:.1f}); "
                f"80 % interval covers {ev['interval']['coverage']:.0%}")
        if ev.get("miss"):
            line += f"; missing the deadline: AUC {ev['miss']['auc']:.2f}, Brier {ev['miss']['brier']:.3f}"
        err.print(line, markup=False)
    if result.message:
        err.print(result.message, markup=False)


@click.command("monitor")
@click.option("--log", "log_name", required=True, help="The log whose open cases to monitor.")
@click.option("--config", "config_file", type=click.Path(dir_okay=False, path_type=Path),
              help="The TOML file of `mine --config`: its [logs.NAME.deadline] and [[logs.NAME.within]] tables "
                   "(see the README). Without it, cases run to the log's common end activities, no deadline.")
@click.option("--as-of", "as_of", metavar="DATE",
              help="See only what was known then (events completed by the end of that day): a backtest. "
                   "Default: the log's last event.")
@click.option("--out", "out_dir", type=click.Path(file_okay=False, path_type=Path),
              help="Write open_cases.csv/.json, deadline_status.csv, monitor_evaluation.json and monitor.html here.")
@click.option("--lang", type=click.Choice(["nb", "en"]), default="nb", show_default=True,
              help="Language of the reasons and monitor.html.")
@click.option("--quiet", is_flag=True, help="No progress bar.")
@store_option
@click.pass_context
def monitor_cmd(ctx: click.Context, log_name: str, config_file: Path | None, as_of: str | None,
                out_dir: Path | None, lang: str, quiet: bool) -> None:
    """Keep the legal clock of every case and rank open cases by the cost of missing their deadline."""
    config = mine_config.read(config_file, log_name) if config_file else mine_config.LogSettings()
    with progress_bar(quiet) as (phase, _message):
        result, files = pipeline.monitor(store_path=current_store(ctx), log_name=log_name, config=config,
                                         as_of=as_of, lang=lang, out_dir=out_dir, progress=phase)
    if out_dir is not None:
        err.print(f"{log_name}: {len(files)} files in {out_dir}", markup=False)
    print_open_cases(result)
