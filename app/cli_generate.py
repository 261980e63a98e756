"""`saksflyt generate`: a synthetic event log with its ground truth, for tests and benchmarks."""
from __future__ import annotations

import time

import click

from saksflyt.app.cli_common import err
from saksflyt.sample_logs import (
    generator,
    generator_klage,
    generator_samhandling,
    generator_sosialhjelp,
)

# shape → (library module, default case count)
SHAPES = {"byggesak": (generator, 3000), "sosialhjelp": (generator_sosialhjelp, 2000), "klage": (generator_klage, 2000),
          "samhandling": (generator_samhandling, 2000)}


@click.command("generate")
@click.option("--shape", type=click.Choice(list(SHAPES)), default="byggesak", show_default=True,
              help="byggesak (start and end times), sosialhjelp (completion times, weekly decision meeting), "
                   "klage (fees, payments and appeals; start/complete XES) or samhandling (elderly care with "
                   "units in `enhet`, handovers, ping-pong and citizen contacts).")
@click.option("--cases", type=click.IntRange(min=1), default=None,
              help="Number of cases.  [default: 3000 for byggesak, 2000 for the others]")
@click.option("--seed", type=int, default=7, show_default=True, help="Random seed: same seed, same log.")
@click.option("--out", "out", required=True, type=click.Path(dir_okay=False),
              help="Output file: byggesak .csv (`;`, decimal commas) or .parquet, sosialhjelp .csv, klage .xes, "
                   ".xes.gz or .csv, samhandling .csv; the truth goes to <stem>.truth.json.")
@click.option("--events-target", type=click.IntRange(min=1), default=None,
              help="Choose the case count to reach about this many events (overrides --cases).")
@click.option("--deadlines", is_flag=True,
              help="byggesak only: statutory deadlines (pbl. § 21-7): fees, comment rounds, preliminary replies, "
                   "extensions and a hidden delay; the truth gets the deadline table and per-case outcomes.")
@click.option("--queue-capacity", type=float, default=1.0, show_default=True,
              help="With --deadlines: multiply the capacity of the queue before Faglig vurdering (2 = twice the "
                   "staff time there); the truth gets the change's effect on lead times.")
def generate_command(shape: str, cases: int | None, seed: int, out: str, events_target: int | None,
                     deadlines: bool, queue_capacity: float) -> None:
    """Generate a synthetic Norwegian case log (byggesak, sosialhjelp, klage or samhandling) with its planted truth."""
    if deadlines and shape != "byggesak":
        raise click.UsageError("--deadlines works with --shape byggesak only")
    if queue_capacity != 1.0 and shape != "byggesak":
        raise click.UsageError("--queue-capacity works with --shape byggesak only")
    module, default_cases = SHAPES[shape]
    # byggesak's own checks (a positive capacity, --deadlines with it) raise InputError: one line, exit 2
    variant = ({"deadlines": True} if deadlines else {}) | (
        {"queue_capacity": queue_capacity} if queue_capacity != 1.0 else {})
    began = time.perf_counter()
    with err.status("Generating…"):
        if events_target is not None:
            cases = module.cases_for_events(events_target, seed=seed, **variant)
        generated = module.generate(cases=cases or default_cases, seed=seed, **variant)
        truth_file = module.write(generated, out)
    counts = generated.truth["counts"]
    err.print(f"Wrote {counts['events']:,} events in {counts['cases']:,} cases ({counts['open_cases']:,} open) "
              f"to {out} and {truth_file} in {time.perf_counter() - began:.1f} s", soft_wrap=True)
