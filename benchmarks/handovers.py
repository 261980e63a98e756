"""Benchmark the handover phase (`mining.handovers`) against pm4py's handover-of-work network.

A samhandling log (six units, a bouncing case type, letters from several units) of about N events is
generated (`saksflyt.sample_logs.generator_samhandling`) as CSV and loaded into a store. Two sides then run, each
in its own subprocess (peak memory is the child's own ru_maxrss):
  handovers  `mining.run.mine` with the statistics, the insight inputs and the `handovers` phase; the
             phase's own seconds are shown, and the whole run's (read, compute, write).
  pm4py      `pm4py.discover_handover_of_work_network` on a DataFrame read from the same CSV with the
             unit as the resource key (`org:group`): what an analyst would run in a notebook. Reading the
             CSV is not timed. pm4py gives a normalised matrix, not counts, waits or returns.
Prints one table; "unit pairs" counts the pairs each side found (Saksflyt's after merging units of fewer
than 5 people, as it shows them).

    python benchmarks/handovers.py                   # 1M events
    python benchmarks/handovers.py --events 200000 1000000
"""
from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
from pathlib import Path

from rich.console import Console
from rich.table import Table

sys.path.insert(0, str(Path(__file__).resolve().parent))
from mine import LOG, ROOT, load, run_measured  # noqa: E402  (the benchmarks' shared runner and loader)

SIDE_HANDOVERS = """
import json, sys, time
from saksflyt.mining.run import STATISTICS_PHASES, PHASES, mine
phases = STATISTICS_PHASES + tuple(p for p in PHASES if p.name in ("insight_inputs", "handovers"))
t, c = time.perf_counter(), time.process_time()
r = mine(store_path=sys.argv[1], log_name=sys.argv[2], phases=phases)
import duckdb
with duckdb.connect(sys.argv[1], read_only=True) as con:
    pairs = con.execute("SELECT count(*) FROM mining_handovers WHERE run_id = ?", [r.run_id]).fetchall()[0][0]
    units = con.execute("SELECT count(DISTINCT unit) FROM events WHERE log = ?", [sys.argv[2]]).fetchall()[0][0]
print(json.dumps({"seconds": time.perf_counter() - t, "cpu": time.process_time() - c,
                  "phase": r.phase_seconds["handovers"], "events": r.summary["events"], "pairs": pairs,
                  "units": units}))
"""

SIDE_PM4PY = """
import json, sys, time
import pandas as pd
import pm4py
df = pd.read_csv(sys.argv[1], sep=";", decimal=",")
df = df.rename(columns={"saksnr": "case:concept:name", "aktivitet": "concept:name", "enhet": "org:group"})
df["time:timestamp"] = pd.to_datetime(df["slutt"], utc=True, format="ISO8601")
t, c = time.perf_counter(), time.process_time()
df = pm4py.format_dataframe(df, case_id="case:concept:name", activity_key="concept:name",
                            timestamp_key="time:timestamp")
sna = pm4py.discover_handover_of_work_network(df, resource_key="org:group")
pairs = sum(1 for (a, b), v in sna.connections.items() if a != b and v > 0)
print(json.dumps({"seconds": time.perf_counter() - t, "cpu": time.process_time() - c, "pairs": pairs}))
"""


def prepare(events: int, work: Path, seed: int) -> Path:
    """Generate a samhandling log of about `events` events as CSV (cached in `work`)."""
    path = work / f"samhandling_{events}_{seed}.csv"
    if not path.exists():
        code = ("import sys; from saksflyt.sample_logs import generator_samhandling as g; "
                "n = g.cases_for_events(int(sys.argv[1]), seed=int(sys.argv[2])); "
                "g.write(g.generate(cases=n, seed=int(sys.argv[2])), sys.argv[3])")
        subprocess.run([sys.executable, "-c", code, str(events), str(seed), str(path)], cwd=ROOT, check=True,
                       env={**os.environ, "PYTHONPATH": str(ROOT)})
    return path


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--events", type=int, nargs="+", default=[1_000_000])
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--work", type=Path, default=Path(tempfile.gettempdir()) / "saksflyt-bench-handovers")
    args = ap.parse_args()
    args.work.mkdir(parents=True, exist_ok=True)
    table = Table(title="Handovers between units: Saksflyt's phase vs pm4py's handover-of-work network")
    for col in ("events", "side", "wall s", "cpu s", "handover phase s", "peak MB", "unit pairs"):
        table.add_column(col, justify="right" if col != "side" else "left")
    for n in args.events:
        csv = prepare(n, args.work, args.seed)
        store_path = args.work / f"store_{n}_{args.seed}.duckdb"
        load(csv, store_path, "saksnr,aktivitet,slutt")   # the unit (`enhet`) and start are found by name
        ours, ours_mb = run_measured(SIDE_HANDOVERS, str(store_path), LOG)
        theirs, theirs_mb = run_measured(SIDE_PM4PY, str(csv))
        events = f"{ours['events']:,}"
        table.add_row(events, "saksflyt", f"{ours['seconds']:.1f}", f"{ours['cpu']:.1f}",
                      f"{ours['phase']:.2f}", f"{ours_mb:,.0f}", str(ours["pairs"]))
        table.add_row(events, "pm4py", f"{theirs['seconds']:.1f}", f"{theirs['cpu']:.1f}", "–",
                      f"{theirs_mb:,.0f}", str(theirs["pairs"]))
    Console().print(table)


if __name__ == "__main__":
    main()
