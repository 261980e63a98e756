"""Benchmark the notebook flow (`import saksflyt as sf`) against the CLI on the same log.

For each size a byggesak log is generated (`saksflyt.sample_logs.generator`) as Parquet and read into a
pandas DataFrame (not timed: the analyst has it already). Two sides run, each in its own subprocess (peak
memory is the child's own ru_maxrss):
  notebook  `sf.read_log(df, ...)` then `sf.mine(log)`: validation, pseudonymisation, mining and scoring in a
            private temporary store, and the results read back into DataFrames.
  CLI       `saksflyt ingest FILE.parquet` then `saksflyt mine --log` into a store file (two processes, the
            sum of their seconds; the larger peak).
Both give the same numbers (tests/test_api.py checks that); the table shows what the in-memory face costs.

    python benchmarks/api.py                        # 100k and 500k events
    python benchmarks/api.py --events 1000000
"""
from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from rich.console import Console
from rich.table import Table

sys.path.insert(0, str(Path(__file__).resolve().parent))
from mine import ROOT, prepare, run_measured  # noqa: E402  (the benchmarks' shared generator and runner)

COLUMNS = {"case": "saksnr", "activity": "aktivitet", "timestamp": "slutt", "start": "start",
           "resource": "saksbehandler"}
KEY = {"SAKSFLYT_PSEUDONYM_KEY": "benchmark-key"}

NOTEBOOK = """
import json, os, sys, time
import pandas as pd
df = pd.read_parquet(sys.argv[1])
t = time.perf_counter()
import saksflyt as sf
log = sf.read_log(df, log="bench", **json.loads(sys.argv[2]))
read = time.perf_counter() - t
result = sf.mine(log)
print(json.dumps({"seconds": time.perf_counter() - t, "read": read, "events": int(result.summary["events"]),
                  "candidates": len(result.scored)}))
"""


def cli_side(parquet: Path, work: Path) -> tuple[float, float, float]:
    """`saksflyt ingest` then `saksflyt mine` on a fresh store: (seconds, ingest seconds, peak MB)."""
    store = work / "cli.duckdb"
    store.unlink(missing_ok=True)
    env = {**os.environ, **KEY, "PYTHONPATH": str(ROOT)}
    flags = [x for k, v in COLUMNS.items() for x in (f"--{k}", v)]
    peaks, seconds = [], []
    for args in (["ingest", str(parquet), "--log", "bench", *flags, "--quiet"], ["mine", "--log", "bench", "--quiet"]):
        t = time.perf_counter()
        with tempfile.TemporaryFile() as out:
            proc = subprocess.Popen([sys.executable, "-m", "saksflyt", "--store", str(store), *args], cwd=ROOT,
                                    env=env, stdout=out, stderr=subprocess.STDOUT)
            _, status, usage = os.wait4(proc.pid, 0)
            if os.waitstatus_to_exitcode(status) != 0:
                out.seek(0)
                raise RuntimeError(out.read().decode(errors="replace")[-3000:])
        seconds.append(time.perf_counter() - t)
        peaks.append(usage.ru_maxrss / 1024)
    return sum(seconds), seconds[0], max(peaks)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--events", type=int, nargs="+", default=[100_000, 500_000])
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    os.environ.update(KEY)
    table = Table(title="Notebook flow (sf.read_log + sf.mine) vs the CLI (ingest + mine), same log")
    for name in ("events", "side", "seconds", "of which reading", "peak MB", "candidates"):
        table.add_column(name, justify="left" if name == "side" else "right")
    work = ROOT / "benchmarks" / "data"
    work.mkdir(parents=True, exist_ok=True)
    for events in args.events:
        parquet = prepare(events, work, args.seed)
        with tempfile.TemporaryDirectory() as tmp:
            notebook, peak = run_measured(NOTEBOOK, str(parquet), __import__("json").dumps(COLUMNS))
            table.add_row(f"{notebook['events']:,}", "notebook", f"{notebook['seconds']:.1f}",
                          f"{notebook['read']:.1f}", f"{peak:,.0f}", str(notebook["candidates"]))
            seconds, ingest, cli_peak = cli_side(parquet, Path(tmp))
            table.add_row("", "CLI", f"{seconds:.1f}", f"{ingest:.1f}", f"{cli_peak:,.0f}", "")
    Console().print(table)


if __name__ == "__main__":
    main()
