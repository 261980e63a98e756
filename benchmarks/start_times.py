"""How well Saksflyt estimates processing times where a log has only completions (issue 17).

Every log here has real start times. Each is loaded, its starts are dropped, and each person's event
gets an estimated start twice: by enablement and availability (`automation_scoring.start_times`, what
`saksflyt candidates` uses) and by the gap method (the previous completion in the case). Prints one
table: per activity, the median measured processing time and the median absolute error of both
estimates, in working hours.

    python benchmarks/start_times.py                  # sample byggesak, klage (generated), BPIC 2012
"""
from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared" / "logs"


def sources(work: Path) -> list[tuple[str, Path]]:
    out = [("byggesak (sample)", ROOT / "sample_logs" / "byggesak.csv")]
    try:
        from saksflyt.sample_logs import generator_klage
    except ImportError:
        generator_klage = None
    if generator_klage is not None:
        path = work / "klage.xes"
        generator_klage.write(generator_klage.generate(cases=2000, seed=11), path)
        out.append(("klage (generated)", path))
    if (SHARED / "bpic2012.xes.gz").exists():
        out.append(("BPIC 2012", SHARED / "bpic2012.xes.gz"))
    return out


def main() -> None:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("SAKSFLYT_PSEUDONYM_KEY", "benchmark-key")
    from rich.console import Console
    from rich.table import Table

    from saksflyt.automation_scoring.start_time_validation import validate_log
    from saksflyt.extractors.ingest import ingest_path
    from saksflyt.extractors.staging import IngestOptions

    table = Table(title="Processing time from completions only: median absolute error (working hours)")
    for col in ("log", "activity", "events", "measured median", "availability", "gap", "better"):
        table.add_column(col, justify="left" if col in ("log", "activity") else "right")
    with tempfile.TemporaryDirectory(prefix="saksflyt-bench-") as tmp:
        work = Path(tmp)
        for name, path in sources(work):
            db = work / "store.duckdb"
            log_name = f"log{abs(hash(name)) % 10_000}"
            ingest_path(path, store_path=db, log_name=log_name, options=IngestOptions(pseudonymise=False))
            df = validate_log(db, log_name)
            for r in df.itertuples(index=False):
                better = "yes" if r.mae_availability_hours <= r.mae_gap_hours else "NO"
                table.add_row(name, r.activity, f"{r.events:,}", f"{r.measured_median_hours:.3f}",
                              f"{r.mae_availability_hours:.3f}", f"{r.mae_gap_hours:.3f}", better)
    Console(width=140).print(table)


if __name__ == "__main__":
    main()
