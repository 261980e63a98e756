"""Memory flatness of the Noark 5 extractor (issue 8): a generated export and one ten times larger.

Each measurement runs in its own subprocess so its peak memory (ru_maxrss) is its own:
  parse   the streaming read of arkivstruktur.xml alone (rows thrown away): one case folder in memory
  load    the whole `ingest` (parse, DuckDB staging, pseudonymisation, commit), validation sampled
  auto    the whole `ingest` with the default validation (full up to 16 MiB, else sampled)
  tree    for comparison: lxml parsing the whole file into one tree, as a non-streaming reader would
Prints one table (MB, seconds) and the ratio large/small per measurement.

    python benchmarks/noark5.py                 # 1000 and 10000 cases
    python benchmarks/noark5.py --cases 300     # 300 and 3000
"""
from __future__ import annotations

import argparse
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
mode, folder, db = sys.argv[1], Path(sys.argv[2]), sys.argv[3]
from saksflyt.extractors import noark5, noark5_parse
from lxml import etree
t = time.perf_counter()
if mode == "parse":
    noark5_parse.ArkivstrukturReader(folder / "arkivstruktur.xml", sink=lambda name, batch: None).run()
elif mode == "tree":
    tree = etree.parse(str(folder / "arkivstruktur.xml"), etree.XMLParser(huge_tree=True))
else:
    noark5.ingest_noark5(folder, store_path=db, log_name="bench", validate="sample" if mode == "load" else "auto")
print(json.dumps({"seconds": time.perf_counter() - t,
                  "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""
MODES = ("parse", "load", "auto", "tree")


def measure(mode: str, folder: Path, work: Path) -> dict[str, float]:
    db = work / f"{mode}-{folder.name}.duckdb"
    out = subprocess.run([sys.executable, "-c", CHILD, mode, str(folder), str(db)], check=True, cwd=ROOT,
                         capture_output=True, text=True,
                         env={**os.environ, "SAKSFLYT_PSEUDONYM_KEY": os.environ.get("SAKSFLYT_PSEUDONYM_KEY",
                                                                                      "benchmark-key")})
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--cases", type=int, default=1000, help="cases in the small export (the large has 10x)")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT))
    from saksflyt.sample_logs.noark5_generator import generate_noark5

    with tempfile.TemporaryDirectory(prefix="saksflyt-noark5-bench-") as tmp:
        work = Path(tmp)
        exports = []
        for n in (args.cases, args.cases * 10):
            t = time.perf_counter()
            made = generate_noark5(work / f"export-{n}", cases=n, seed=args.seed)
            exports.append(made)
            print(f"generated {n:,} cases, {made.events:,} events, {made.bytes / 2**20:,.1f} MB "
                  f"arkivstruktur.xml in {time.perf_counter() - t:.1f} s", file=sys.stderr)
        results = {m: [measure(m, e.folder, work) for e in exports] for m in MODES}
    print(f"{'measure':<8} {'small MB':>9} {'large MB':>9} {'ratio':>6} {'small s':>8} {'large s':>8}")
    for m in MODES:
        small, large = results[m]
        print(f"{m:<8} {small['peak_mb']:>9.0f} {large['peak_mb']:>9.0f} {large['peak_mb'] / small['peak_mb']:>6.2f} "
              f"{small['seconds']:>8.1f} {large['seconds']:>8.1f}")
    small, large = exports
    print(f"files: {small.bytes / 2**20:.1f} MB and {large.bytes / 2**20:.1f} MB; events {small.events:,} and "
          f"{large.events:,}; large load {large.events / results['load'][1]['seconds']:,.0f} events/s")


if __name__ == "__main__":
    main()
