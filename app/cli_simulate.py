"""`saksflyt simulate`: a thin wrapper over `automation_scoring.simulation.simulate` and its pages."""
from __future__ import annotations

import json
from pathlib import Path

import click
from rich.table import Table

from saksflyt.app import mine_config
from saksflyt.app.cli_common import current_store, err, out, store_option
from saksflyt.app.cli_mine import progress_bar


def _fmt(entry: dict | None, digits: int = 1, pct: bool = False, signed: bool = True) -> str:
    if not entry or entry.get("value") is None:
        return "–"
    scale = 100 if pct else 1
    sign = "+" if signed else ""
    text = f"{entry['value'] * scale:{sign},.{digits}f}"
    if entry.get("ci"):
        lo, hi = (x * scale for x in entry["ci"])
        text += f" ({lo:{sign},.{digits}f} … {hi:{sign},.{digits}f})"
    return text


def _print(result) -> None:
    v = result.validation
    err.print(f"validation ({v['runs']} runs): {v['verdict']} · n-gram {v['ngram_distance']:.3f} · cycle-time EMD "
              f"{v['cycle_time_emd_hours']:,.1f} h ({v['cycle_time_emd_share']:.1%} of the real mean lead time; median "
              f"{v['real_median_lead_days']:.1f} days) · arrivals {v['arrival_emd_hours']:,.1f} h · WIP "
              f"{v['wip_distance']:,.1f} h", markup=False)
    s = result.scenario
    if s is None:
        return
    table = Table("measure", "difference (90 % interval)", "baseline (simulated)", "scenario (simulated)",
                  title=f"What if: {s['log']} ({s['runs']} runs)")
    rows = (("lead time, median (days)", "lead_time_median_days", 1, False),
            ("lead time, p90 (days)", "lead_time_p90_days", 1, False),
            ("share within target (pp)", "share_within_deadline", 1, True),
            ("staff hours per year", "staff_hours_per_year", 0, False))
    for label, key, digits, pct in rows:
        table.add_row(label, _fmt(s["difference"][key], digits, pct),
                      _fmt(s["baseline"][key], digits, pct, signed=False), _fmt(s["scenario"][key], digits, pct, signed=False))
    waits = sorted(s["difference"]["waiting_hours_per_year"].items(), key=lambda kv: -abs(kv[1]["value"] or 0))
    for act, entry in waits[:5]:
        if entry["value"]:
            table.add_row(f"waiting before {act} (h/yr)", _fmt(entry, 0), "", "")
    out.print(table)
    for c in s["changes"]:
        err.print(f"change: {c['text']}", markup=False)
    for w in s["warnings"]:
        err.print(f"warning: {w}", markup=False)


@click.command("simulate")
@click.option("--log", "log_name", required=True, help="The log to simulate (mined: `saksflyt mine` first).")
@click.option("--validate", is_flag=True,
              help="Only validate: simulate the log's own period and compare with the real log "
                   "(a scenario validates too).")
@click.option("--candidate", "candidates", multiple=True, metavar="ID",
              help="Apply a candidate's change (its candidate_id in candidates.json); repeat for several.")
@click.option("--scenario", "scenario_file", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="A TOML file of [[change]] entries, for changes no candidate names (see the README).")
@click.option("--model", "model_file", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="Use this simulation_model.json (e.g. one you edited) instead of learning it from the log.")
@click.option("--runs", type=int, default=10, show_default=True, help="Repetitions (each on its own random numbers).")
@click.option("--seed", type=int, default=1, show_default=True, help="Same seed, same results.")
@click.option("--config", "config_file", type=click.Path(dir_okay=False, path_type=Path),
              help="The TOML file of `mine --config`: its [logs.NAME.deadline] gives the share within the deadline.")
@click.option("--target-days", type=float, default=None,
              help="Judge lead times against this many days instead (default: the deadline, else the log's p80).")
@click.option("--no-resample", is_flag=True,
              help="Learn one model from all cases instead of one per run from a bootstrap sample "
                   "(narrower intervals that ignore how uncertain the model is).")
@click.option("--out", "out_dir", type=click.Path(file_okay=False, path_type=Path),
              help="Write simulation_model.json, simulation_validation.json/.html and, for a scenario, "
                   "simulation.json/.html here.")
@click.option("--lang", type=click.Choice(["nb", "en"]), default="nb", show_default=True,
              help="Language of the pages, changes and warnings.")
@click.option("--quiet", is_flag=True, help="No progress bar.")
@store_option
@click.pass_context
def simulate_cmd(ctx: click.Context, log_name: str, validate: bool, candidates: tuple[str, ...],
                 scenario_file: Path | None, model_file: Path | None, runs: int, seed: int, config_file: Path | None,
                 target_days: float | None, no_resample: bool, out_dir: Path | None, lang: str, quiet: bool) -> None:
    """Simulate a log before changing it: validate the model learnt from it, then what candidates would do."""
    from saksflyt.automation_scoring import simulation, simulation_model, simulation_report

    if validate and (candidates or scenario_file):
        raise click.UsageError("--validate runs no scenario: leave out --candidate/--scenario, or --validate")
    if not validate and not (candidates or scenario_file):
        raise click.UsageError("say what to simulate: --validate, --candidate ID or --scenario FILE")
    deadline = None
    if config_file is not None:
        deadline = mine_config.read(config_file, log_name).deadlines.deadline
    options = simulation.SimulationOptions(runs=runs, seed=seed, lang=lang, resample=not no_resample,
                                           deadline=deadline, target_days=target_days)
    with progress_bar(quiet) as (phase, _message):
        result = simulation.simulate(store_path=current_store(ctx), log_name=log_name, candidate_ids=candidates,
                                     scenario_file=scenario_file, model_file=model_file, options=options,
                                     progress=phase)
    if out_dir is not None:
        out_dir.mkdir(parents=True, exist_ok=True)
        files = [simulation_model.save(result.model, out_dir / "simulation_model.json")]
        (out_dir / "simulation_validation.json").write_text(
            json.dumps(result.validation, ensure_ascii=False, indent=1), encoding="utf-8")
        files += [out_dir / "simulation_validation.json",
                  simulation_report.write_validation_page(result.validation, out_dir / "simulation_validation.html")]
        if result.scenario is not None:
            (out_dir / "simulation.json").write_text(json.dumps(result.scenario, ensure_ascii=False, indent=1),
                                                     encoding="utf-8")
            files += [out_dir / "simulation.json",
                      simulation_report.write_scenario_page(result.scenario, out_dir / "simulation.html")]
        err.print(f"{log_name}: {len(files)} files in {out_dir}", markup=False)
    _print(result)
