"""Ingest speed and memory at a million events: CSV, Parquet and XES, each against the usual pm4py/pandas way
and, for CSV and Parquet, against DuckDB alone.

Every measurement runs in its own subprocess, so its peak memory (ru_maxrss) and CPU time (user + sys,
all threads) are its own:
  read     our reader alone, up to the staged table (XES: parse, pairing, typing)
  ingest   the whole `saksflyt ingest` (read, pseudonymisation, typing, the commit to a fresh store)
  pm4py    CSV: pandas.read_csv + pm4py.format_dataframe; Parquet: pandas.read_parquet + format_dataframe;
           XES: pm4py.read_xes with its default importer, on the same file in the same run
  floor    DuckDB alone copying the same file into a fresh DuckDB file, nothing else:
           `CREATE TABLE events AS SELECT * FROM read_parquet(…)` or `read_csv(…, all_varchar = true)`.
           Its row sets issue 2's events/s goal (the `goal/s` column) against what DuckDB itself takes to
           read the file and write it to disk here. A floor in that sense, not a strict bound: it writes
           the source's columns rather than our tables (for CSV every column as text, the free text our
           ingest drops and the times as strings included, so that copy writes more than we do).
The logs come from `saksflyt.sample_logs.generator` (same seed, same log). The XES file is the generated log
written by `saksflyt export`, cut to about the same number of XES events (a start and a complete are two).
The same XES events also come in the other layouts exporters write (issue 22: memory bounded whatever the
layout), each a row of its own without the pm4py side (its importer does not care about line breaks):
  xes-compact  an event and its attributes on one line
  xes-oneline  the whole log on one line
  xes-crlf     one element per line, CRLF line ends
The last columns are the ratios against pm4py on the same file: `pm4py/read` (our reader alone, wall),
`pm4py/ingest` (the whole ingest, wall) and its `cpu` (CPU seconds). Issue 22's goal for XES: the whole
ingest at least 10x faster than pm4py's default importer at a million events.
Prints one table, with the load average before and after: on a shared machine wall time is noisy, so
compare CPU time too, and use --repeat to keep each measurement's fastest run.

    python benchmarks/ingest.py                   # about 1,000,000 events
    python benchmarks/ingest.py --events 200000
    python benchmarks/ingest.py --formats csv,parquet --repeat 3
    python benchmarks/ingest.py --formats xes,xes-compact,xes-oneline,xes-crlf --events 200000
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
# issue 2's end-to-end goals, events per second at 1M events
GOALS = {"csv": 500_000, "parquet": 1_000_000}
LAYOUTS = ("xes-compact", "xes-oneline", "xes-crlf")
FORMATS = ("csv", "parquet", "xes", *LAYOUTS)

CHILD = """
import json, resource, sys, time, warnings
warnings.filterwarnings("ignore")
mode, path, db = sys.argv[1], sys.argv[2], sys.argv[3]
from pathlib import Path
import pandas as pd  # both sides use it (pyarrow loads it on first use): its import is not counted
if mode == "floor":
    import duckdb
elif mode in ("read", "ingest"):
    from saksflyt.extractors import ingest, store
    from saksflyt.extractors.staging import IngestOptions
    from saksflyt.extractors.tabular import ColumnMap
    spec = ingest.detect_format(Path(path), None)  # imports the XES reader too
else:
    import pm4py
t, cpu = time.perf_counter(), time.process_time()  # imports are not counted
if mode == "read":
    staged = spec.read(store.memory(), Path(path), columns=ColumnMap(), options=IngestOptions(), content_hash="")
    events = staged.rows_read
elif mode == "ingest":
    events = ingest.ingest_path(path, store_path=db, log_name="bench").rows_read
elif mode == "floor":
    con = duckdb.connect(db)
    reader = "read_parquet(?)" if path.endswith(".parquet") else "read_csv(?, all_varchar = true)"
    con.execute(f"CREATE TABLE events AS SELECT * FROM {reader}", [path])
    events = con.execute("SELECT count(*) FROM events").fetchone()[0]
    con.close()
elif mode == "pm4py_xes":
    events = len(pm4py.read_xes(path))
else:
    df = pd.read_csv(path, sep=";") if mode == "pm4py_csv" else pd.read_parquet(path)
    events = len(pm4py.format_dataframe(df, case_id="saksnr", activity_key="aktivitet", timestamp_key="slutt"))
print(json.dumps({"seconds": time.perf_counter() - t, "cpu": time.process_time() - cpu, "events": events,
                  "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""
def measure(mode: str, path: Path, work: Path, repeat: int = 1) -> dict[str, float]:
    """The fastest of `repeat` runs, each in a fresh subprocess (and, for ingest, into a fresh store)."""
    env = {**os.environ, "SAKSFLYT_PSEUDONYM_KEY": os.environ.get("SAKSFLYT_PSEUDONYM_KEY", "benchmark-key")}
    runs = []
    for i in range(repeat):
        db = work / f"{mode}-{i}-{path.name}.duckdb"
        out = subprocess.run([sys.executable, "-c", CHILD, mode, str(path), str(db)], cwd=ROOT,
                             capture_output=True, text=True, env=env)
        if out.returncode != 0:
            raise SystemExit(f"{mode} {path.name} failed:\n{out.stderr[-3000:]}")
        runs.append(json.loads(out.stdout.strip().splitlines()[-1]))
        for f in (db, Path(f"{db}.wal")):
            f.unlink(missing_ok=True)
    return min(runs, key=lambda r: r["seconds"])


def log_path(work: Path, fmt: str) -> Path:
    """Where `make_logs` writes the log of `fmt` (a layout of XES keeps the .xes suffix)."""
    return work / (f"bench-{fmt.split('-')[1]}.xes" if fmt in LAYOUTS else f"bench.{fmt}")


def write_layout(source: Path, target: Path, fmt: str) -> None:
    """`source` (one element per line) rewritten line by line in the layout `fmt`, never whole in memory."""
    with source.open(encoding="utf-8", newline="") as src, target.open("w", encoding="utf-8", newline="") as dst:
        for n, line in enumerate(src):
            text = line.rstrip("\n")
            if fmt == "xes-crlf":
                dst.write(text + "\r\n")
            elif fmt == "xes-oneline":
                dst.write(text.strip())
            elif n and not text.lstrip().startswith(("<event>", "<trace>", "</trace>")):
                dst.write(text.strip())                  # compact: an attribute joins its element's line
            else:
                dst.write(("\n" if n else "") + text)
        dst.write("\n")


def make_logs(events: int, seed: int, work: Path) -> dict[str, Path]:
    """CSV and Parquet of about `events` events, and an XES of about as many XES events."""
    from saksflyt.extractors import export, ingest
    from saksflyt.sample_logs import generator
    from saksflyt.extractors.staging import IngestOptions

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
    for fmt in LAYOUTS:
        paths[fmt] = log_path(work, fmt)
        write_layout(paths["xes"], paths[fmt], fmt)
    return paths


def main() -> None:
    # logs are made in a child (`--make`): Linux carries a parent's peak RSS into its children's ru_maxrss
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--events", type=int, default=1_000_000, help="events per log (XES: XES events)")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--repeat", type=int, default=1, help="runs per measurement; the fastest is shown")
    parser.add_argument("--formats", default=",".join(FORMATS),
                        help=f"which rows, comma-separated: {', '.join(FORMATS)}")
    parser.add_argument("--make", metavar="FOLDER", help=argparse.SUPPRESS)
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("SAKSFLYT_PSEUDONYM_KEY", "benchmark-key")
    if args.make:
        make_logs(args.events, args.seed, Path(args.make))
        return
    load_before = os.getloadavg()
    with tempfile.TemporaryDirectory(prefix="saksflyt-bench-") as tmp:
        work = Path(tmp)
        print(f"generating logs of about {args.events:,} events …", file=sys.stderr)
        subprocess.run([sys.executable, str(Path(__file__).resolve()), "--make", str(work), "--events",
                        str(args.events), "--seed", str(args.seed)], check=True, cwd=ROOT)
        paths = {fmt: log_path(work, fmt) for fmt in FORMATS}
        rows = []
        for fmt, path in paths.items():
            if fmt not in args.formats.split(","):
                continue
            print(f"measuring {fmt} …", file=sys.stderr)
            read = measure("read", path, work, args.repeat)
            whole = measure("ingest", path, work, args.repeat)
            base = None if fmt in LAYOUTS else measure(f"pm4py_{fmt}", path, work, args.repeat)
            rows.append((fmt, path.stat().st_size, read, whole, base))
            if fmt in GOALS:
                rows.append((f"{fmt} floor", path.stat().st_size, None, measure("floor", path, work, args.repeat),
                             None))
    head = (f"{'format':13} {'MB':>5} {'events':>10} {'read s':>7} {'cpu s':>6} {'MB':>5} {'ingest s':>9} "
            f"{'cpu s':>6} {'MB':>5} {'events/s':>9} {'goal/s':>9} {'pm4py s':>8} {'cpu s':>6} {'MB':>5} "
            f"{'pm4py/read':>10} {'pm4py/ingest':>12} {'cpu':>6}")
    print(head)
    print("-" * len(head))
    for fmt, size, read, whole, base in rows:
        goal = f"{GOALS[fmt]:9,}" if fmt in GOALS else " " * 9
        line = (f"{fmt:13} {size / 1e6:5.0f} {int(whole['events']):>10,} "
                + (f"{read['seconds']:7.2f} {read['cpu']:6.2f} {read['peak_mb']:5.0f} " if read else " " * 21)
                + f"{whole['seconds']:9.2f} {whole['cpu']:6.2f} {whole['peak_mb']:5.0f} "
                f"{whole['events'] / whole['seconds']:9,.0f} {goal}")
        if base:
            line += (f" {base['seconds']:8.2f} {base['cpu']:6.2f} {base['peak_mb']:5.0f} "
                     f"{base['seconds'] / read['seconds']:9.1f}x {base['seconds'] / whole['seconds']:11.1f}x "
                     f"{base['cpu'] / whole['cpu']:5.1f}x")
        print(line.rstrip())
    print("read: our reader up to the staged table; ingest: the whole `saksflyt ingest` into a fresh store; "
          "floor (in the ingest columns): DuckDB alone, CREATE TABLE AS SELECT * FROM read_parquet / "
          "read_csv(all_varchar) into a fresh DuckDB file, no checks; goal/s: issue 2's events/s goal; "
          "pm4py: read_xes (XES) or pandas + format_dataframe (CSV, Parquet), all on the same files; "
          "pm4py/read, pm4py/ingest: how many times faster than pm4py (wall; cpu: CPU seconds). "
          "cpu s: user + sys of all threads; MB: peak memory.")
    print(f"load average before: {' '.join(f'{x:.2f}' for x in load_before)}; after: "
          f"{' '.join(f'{x:.2f}' for x in os.getloadavg())}; {os.cpu_count()} CPUs; fastest of {args.repeat} run(s)")


if __name__ == "__main__":
    main()
