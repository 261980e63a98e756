"""`saksflyt monitor` at scale: ~1M events (about 100k building-permit cases, ~8k open) with deadlines.

The generator's deadline variant is written as Parquet and loaded into a fresh store; then the monitor
runs in a child process (so its peak memory is its own): the clock, the evaluation on a temporal split
and the predictions for every open case. Prints one table: phases in seconds and the peak memory.

    python benchmarks/monitor.py [EVENTS]          # default 1,000,000
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CHILD = """
import json, resource, sys, time
from pathlib import Path
from saksflyt.app import mine_config
from saksflyt.mining import monitor
settings = mine_config.read(sys.argv[1], "byggesak")
began = time.perf_counter()
r = monitor.monitor(store_path=Path(sys.argv[2]), log_name="byggesak", options=monitor.MonitorOptions(
    config=settings.deadlines, calendar=settings.calendar))
total = time.perf_counter() - began
ev = r.evaluation or {}
print(json.dumps({"seconds": r.seconds, "total": total, "open": len(r.open_cases), "cases": len(r.status),
                  "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                  "mae": ev.get("mae_days"), "coverage": (ev.get("interval") or {}).get("coverage"),
                  "auc": (ev.get("miss") or {}).get("auc")}))
"""


def main() -> None:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("SAKSFLYT_PSEUDONYM_KEY", "benchmark-key")
    from rich.console import Console
    from rich.table import Table

    from saksflyt.sample_logs import generator
    from saksflyt.extractors.ingest import ingest_path
    from saksflyt.extractors.staging import IngestOptions

    target = int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000
    with tempfile.TemporaryDirectory(prefix="saksflyt-bench-") as tmp:
        work = Path(tmp)
        cases = generator.cases_for_events(target, seed=7, deadlines=True)
        gen = generator.generate(cases=cases, seed=7, deadlines=True)
        generator.write(gen, work / "byggesak.parquet")
        (work / "saksflyt.toml").write_text(gen.truth["deadline"]["config_toml"], encoding="utf-8")
        began = time.perf_counter()
        ingest_path(work / "byggesak.parquet", store_path=work / "s.duckdb", log_name="byggesak",
                    options=IngestOptions(pseudonymise=False))
        ingest_s = time.perf_counter() - began
        child = subprocess.run([sys.executable, "-c", CHILD, str(work / "saksflyt.toml"), str(work / "s.duckdb")],
                               capture_output=True, text=True, cwd=ROOT, check=True)
        res = json.loads(child.stdout.strip().splitlines()[-1])
    table = Table(title=f"saksflyt monitor on {gen.truth['counts']['events']:,} events "
                        f"({res['cases']:,} cases, {res['open']:,} open), 2 cores")
    for col in ("phase", "seconds"):
        table.add_column(col, justify="left" if col == "phase" else "right")
    table.add_row("ingest (not part of monitor)", f"{ingest_s:.1f}")
    for phase, s in res["seconds"].items():
        table.add_row(phase, f"{s:.1f}")
    table.add_row("monitor total (incl. store write)", f"{res['total']:.1f}")
    table.add_row("monitor peak memory (MB)", f"{res['peak_mb']:,.0f}")
    table.caption = (f"MAE {res['mae']}; 80 % interval coverage {res['coverage']}; AUC {res['auc']}")
    Console().print(table)


if __name__ == "__main__":
    main()
