"""Ingest speed and memory at a million events: CSV, Parquet and XES, each against the usual pm4py/pandas way.

Every measurement runs in its own subprocess, so its peak memory (ru_maxrss) is its own:
  read     our reader alone, up to the staged table (XES: parse, pairing, typing)
  ingest   the whole `saksflyt ingest` (read, pseudonymisation, typing, the commit to a fresh store)
  pm4py    CSV: pandas.read_csv + pm4py.format_dataframe; Parquet: pandas.read_parquet + format_dataframe;
           XES: pm4py.read_xes with its default importer, on the same file in the same run
The logs come from `extractors.generator` (same seed, same log). The XES file is the generated log
written by `saksflyt export`, cut to about the same number of XES events (a start and a complete are two).
Prints one table.

    python benchmarks/ingest.py                   # about 1,000,000 events
    python benchmarks/ingest.py --events 200000
    python benchmarks/ingest.py --formats xes
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

CHILD = """
import json, resource, sys, time, warnings
warnings.filterwarnings("ignore")
mode, path, db = sys.argv[1], sys.argv[2], sys.argv[3]
from pathlib import Path
import pandas as pd  # both sides use it (pyarrow loads it on first use): its import is not counted
if mode in ("read", "ingest"):
    from extractors import ingest, store
    from extractors.staging import IngestOptions
    from extractors.tabular import ColumnMap
    spec = ingest.detect_format(Path(path), None)  # imports the XES reader too
else:
    import pm4py
t = time.perf_counter()  # imports are not counted
if mode == "read":
    staged = spec.read(store.memory(), Path(path), columns=ColumnMap(), options=IngestOptions(), content_hash="")
    events = staged.rows_read
elif mode == "ingest":
    events = ingest.ingest_path(path, store_path=db, log_name="bench").rows_read
elif mode == "pm4py_xes":
    events = len(pm4py.read_xes(path))
else:
    df = pd.read_csv(path, sep=";") if mode == "pm4py_csv" else pd.read_parquet(path)
    events = len(pm4py.format_dataframe(df, case_id="saksnr", activity_key="aktivitet", timestamp_key="slutt"))
print(json.dumps({"seconds": time.perf_counter() - t, "events": events,
                  "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""
def measure(mode: str, path: Path, work: Path) -> dict[str, float]:
    db = work / f"{mode}-{path.name}.duckdb"
    env = {**os.environ, "SAKSFLYT_PSEUDONYM_KEY": os.environ.get("SAKSFLYT_PSEUDONYM_KEY", "benchmark-key")}
    out = subprocess.run([sys.executable, "-c", CHILD, mode, str(path), str(db)], cwd=ROOT,
                         capture_output=True, text=True, env=env)
    if out.returncode != 0:
        raise SystemExit(f"{mode} {path.name} failed:\n{out.stderr[-3000:]}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def make_logs(events: int, seed: int, work: Path) -> dict[str, Path]:
    """CSV and Parquet of about `events` events, and an XES of about as many XES events."""
    from extractors import export, generator, ingest
    from extractors.staging import IngestOptions

    gen = generator.generate(cases=generator.cases_for_events(events, seed=seed), seed=seed)
    paths = {"csv": work / "bench.csv", "parquet": work / "bench.parquet", "xes": work / "bench.xes"}
    generator.write(gen, paths["csv"])
    generator.write(gen, paths["parquet"])
    # XES: a start and a complete are two XES events, so keep the first cases up to `events` of them
    frame = gen.events
    xes_events = (1 + frame["start"].notna().astype(int)).groupby(frame["saksnr"], observed=True,
                                                                  sort=False).sum().cumsum()
    keep = set(xes_events[xes_events <= events].index)
    part = work / "xes-source.parquet"
    generator.write(generator.Generated(events=frame[frame["saksnr"].isin(keep)].reset_index(drop=True),
                                        truth=gen.truth), part)
    store = work / "xes-source.duckdb"
    ingest.ingest_path(part, store_path=store, log_name="src", options=IngestOptions(pseudonymise=False,
                                                                                     keep_text=True))
    export.export_log(store_path=store, log_name="src", out=paths["xes"], fmt="xes")
    return paths


def main() -> None:
    # logs are made in a child (`--make`): Linux carries a parent's peak RSS into its children's ru_maxrss
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--events", type=int, default=1_000_000, help="events per log (XES: XES events)")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--formats", default="csv,parquet,xes", help="which rows, comma-separated")
    parser.add_argument("--make", metavar="FOLDER", help=argparse.SUPPRESS)
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("SAKSFLYT_PSEUDONYM_KEY", "benchmark-key")
    if args.make:
        make_logs(args.events, args.seed, Path(args.make))
        return
    with tempfile.TemporaryDirectory(prefix="saksflyt-bench-") as tmp:
        work = Path(tmp)
        print(f"generating logs of about {args.events:,} events …", file=sys.stderr)
        subprocess.run([sys.executable, str(Path(__file__).resolve()), "--make", str(work), "--events",
                        str(args.events), "--seed", str(args.seed)], check=True, cwd=ROOT)
        paths = {fmt: work / f"bench.{fmt}" for fmt in ("csv", "parquet", "xes")}
        rows = []
        for fmt, path in paths.items():
            if fmt not in args.formats.split(","):
                continue
            print(f"measuring {fmt} …", file=sys.stderr)
            read = measure("read", path, work)
            whole = measure("ingest", path, work)
            base = measure(f"pm4py_{fmt}", path, work)
            rows.append((fmt, path.stat().st_size, read, whole, base))
    head = (f"{'format':8} {'MB':>6} {'events':>10} {'read s':>7} {'read MB':>8} {'ingest s':>9} "
            f"{'ingest MB':>10} {'pm4py s':>8} {'pm4py MB':>9} {'pm4py/read':>10}")
    print(head)
    print("-" * len(head))
    for fmt, size, read, whole, base in rows:
        print(f"{fmt:8} {size / 1e6:6.0f} {int(read['events']):>10,} {read['seconds']:7.1f} {read['peak_mb']:8.0f} "
              f"{whole['seconds']:9.1f} {whole['peak_mb']:10.0f} {base['seconds']:8.1f} {base['peak_mb']:9.0f} "
              f"{base['seconds'] / read['seconds']:9.1f}x")
    print("read: our reader up to the staged table; ingest: the whole `saksflyt ingest` into a fresh store; "
          "pm4py: read_xes (XES) or pandas + format_dataframe (CSV, Parquet), all on the same files.")


if __name__ == "__main__":
    main()
