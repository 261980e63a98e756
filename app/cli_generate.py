"""`saksflyt generate`: a synthetic byggesak event log with its ground truth, for tests and benchmarks."""
from __future__ import annotations

import time

import click

from app.cli import err, main
from extractors import generator


@main.command("generate")
@click.option("--cases", type=click.IntRange(min=1), default=3000, show_default=True, help="Number of cases.")
@click.option("--seed", type=int, default=7, show_default=True, help="Random seed: same seed, same log.")
@click.option("--out", "out", required=True, type=click.Path(dir_okay=False),
              help="Output file, .csv (`;`, decimal commas) or .parquet; the truth goes to <stem>.truth.json.")
@click.option("--events-target", type=click.IntRange(min=1), default=None,
              help="Choose the case count to reach about this many events (overrides --cases).")
def generate_command(cases: int, seed: int, out: str, events_target: int | None) -> None:
    """Generate a Norwegian building-permit (byggesak) log with planted patterns and their truth."""
    began = time.perf_counter()
    with err.status("Generating…"):
        if events_target is not None:
            cases = generator.cases_for_events(events_target, seed=seed)
        generated = generator.generate(cases=cases, seed=seed)
        truth_file = generator.write(generated, out)
    counts = generated.truth["counts"]
    err.print(f"Wrote {counts['events']:,} events in {counts['cases']:,} cases ({counts['open_cases']:,} open) "
              f"to {out} and {truth_file} in {time.perf_counter() - began:.1f} s", soft_wrap=True)
