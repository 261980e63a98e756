"""`saksflyt generate-noark5`: a schema-valid Noark 5 v5.0 export of a building-permit process, with truth."""
from __future__ import annotations

import time

import click

from saksflyt.app.cli_common import err
from saksflyt.sample_logs import noark5_generator


@click.command("generate-noark5")
@click.option("--cases", type=click.IntRange(min=1), default=2000, show_default=True, help="Number of cases.")
@click.option("--seed", type=int, default=7, show_default=True, help="Random seed: same seed, same export.")
@click.option("--out", "out", required=True, type=click.Path(file_okay=False),
              help="Export folder (arkivuttrekk.xml, arkivstruktur.xml, endringslogg.xml, truth.json).")
def generate_noark5_command(cases: int, seed: int, out: str) -> None:
    """Generate a Noark 5 archive export (arkivuttrekk) of building permits and its ground truth."""
    began = time.perf_counter()
    with err.status("Generating…"):
        made = noark5_generator.generate_noark5(out, cases=cases, seed=seed)
    err.print(f"Wrote {made.cases:,} cases ({made.events:,} events by the Noark 5 mapping, "
              f"{made.bytes / 1e6:,.1f} MB arkivstruktur.xml) to {made.folder}; truth in {made.truth_path} "
              f"({time.perf_counter() - began:.1f} s)", soft_wrap=True, markup=False)
