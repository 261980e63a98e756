"""Candidates on every real log in ../shared/logs: staff hours against claimed hours, and the top five.

Each log is loaded into a fresh store, mined and scored as `saksflyt mine` does (bokmål reasons off:
`--lang en`). Prints one table: events, staff hours a year with their basis, claimed hours (never more
than the staff hours), candidates per kind and the top five candidates, for a reader to check that
nothing a caseworker would laugh at is on top. Run from the project root:

    python benchmarks/candidates_public.py [--only NAME ...]
"""
from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared" / "logs"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--only", nargs="*", help="file names (without suffix) to run")
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("SAKSFLYT_PSEUDONYM_KEY", "benchmark-key")
    from rich.console import Console
    from rich.table import Table

    from saksflyt.automation_scoring.run import ScoringOptions, score
    from saksflyt.extractors.ingest import ingest_path
    from saksflyt.mining.insights_results import InsightOptions
    from saksflyt.mining.run import MineOptions, mine

    files = sorted(p for p in SHARED.iterdir() if p.suffix in (".gz", ".xes", ".csv"))
    if args.only:
        files = [p for p in files if p.name.split(".")[0] in args.only]
    table = Table(title="Candidates on the shared real logs (hours a year)")
    for col in ("log", "events", "seconds", "staff h", "by basis", "claimed h", "kinds", "top five"):
        table.add_column(col, justify="right" if col in ("events", "seconds", "staff h", "claimed h") else "left")
    with tempfile.TemporaryDirectory(prefix="saksflyt-bench-") as tmp:
        for path in files:
            name = path.name.split(".")[0]
            db = Path(tmp) / f"{name}.duckdb"
            began = time.perf_counter()
            report = ingest_path(path, store_path=db, log_name=name)
            mine(store_path=db, log_name=name, options=MineOptions(insights=InsightOptions(lang="en")))
            scored = score(store_path=db, log_name=name, options=ScoringOptions(lang="en"))
            s = scored.summary
            kinds = ", ".join(f"{k} {v['candidates']}" for k, v in s["by_kind"].items()) or "–"
            top = "; ".join(f"{c['kind']} {' → '.join(c['activities'])} ({c['hours_saved_per_year']:,.0f} h)"
                            for c in scored.candidates[:5]) or "–"
            basis = ", ".join(f"{k} {v:,.0f}" for k, v in s["staff_hours_by_basis"].items())
            assert s["claimed_hours_per_year"] <= s["staff_hours_per_year"] + 0.01, name
            table.add_row(name, f"{report.rows_kept:,}", f"{time.perf_counter() - began:.1f}",
                          f"{s['staff_hours_per_year']:,.0f}", basis, f"{s['claimed_hours_per_year']:,.0f}", kinds, top)
    Console(width=220).print(table)


if __name__ == "__main__":
    main()
