"""Benchmark `saksflyt mine` against pm4py and against the bare DuckDB queries (issue 4).

For each size a byggesak log is generated (`saksflyt.sample_logs.generator`) as Parquet and loaded into a store.
Three sides then run, each in its own subprocess so its peak memory (ru_maxrss of that child, from
`os.wait4`) is its own:
  A     Saksflyt's statistics from the store: `mining.run.mine` with `STATISTICS_PHASES` (read,
        compute, write the run; the insight phases of `saksflyt mine` are not part of this comparison).
  B     pm4py on a DataFrame loaded from the Parquet file: load + format_dataframe + discover_dfg,
        discover_performance_dfg, get_variants, get_start_activities, get_end_activities,
        get_all_case_durations.
  bare  The same statistics as B as plain DuckDB queries on the store, nothing stored (the DFG with
        the six figures of pm4py's "all" performance aggregation).
  mine  The whole `saksflyt mine`: statistics and the insight phases (bottlenecks, rework, needless
        steps, model, conformance, report), each phase timed (issue 5: within 60 s at 1M events).
Prints one table: wall-clock and CPU seconds measured inside the child (imports excluded), peak MB.
On a shared machine wall time suffers first; CPU seconds show the work done. With `--repeat N` each
side runs N times, the sides interleaved, and the run with the median wall time is shown for every
side: on this shared 2-core machine single runs vary by a fifth, and a fastest-of-N favours whichever
side happened to catch a quiet moment.

    python benchmarks/mine.py                       # 1M and 5M events
    python benchmarks/mine.py --events 1000000 --repeat 3
    python benchmarks/mine.py --events-parquet log.parquet --log-columns saksnr,aktivitet,slutt
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
LOG = "bench"

SIDE_A = """
import json, sys, time
from saksflyt.mining.run import STATISTICS_PHASES, mine
t, c = time.perf_counter(), time.process_time()
r = mine(store_path=sys.argv[1], log_name=sys.argv[2], phases=STATISTICS_PHASES)
print(json.dumps({"seconds": time.perf_counter() - t, "cpu": time.process_time() - c, "phases": r.phase_seconds,
                  "cases": r.summary["cases"], "events": r.summary["events"]}))
"""

# After each measured run (in its own process, so the measured side's peak memory is its own): the
# benchmark store keeps no runs, so every repeat writes into the same store.
DROP_RUNS = """
import sys
from saksflyt.extractors import store
from saksflyt.mining import results
with store.write(sys.argv[1]) as con:
    print('{"dropped": %d}' % len(results.drop_runs(con, sys.argv[2], keep=0)))
"""

SIDE_MINE = SIDE_A.replace(", phases=STATISTICS_PHASES", "")

SIDE_B = """
import json, sys, time, warnings
warnings.simplefilter("ignore")
import pandas as pd
import pm4py
case, activity, ts = sys.argv[2].split(",")
t, c = time.perf_counter(), time.process_time()
df = pd.read_parquet(sys.argv[1], columns=[case, activity, ts])
df = pm4py.format_dataframe(df, case_id=case, activity_key=activity, timestamp_key=ts)
keys = dict(activity_key="concept:name", timestamp_key="time:timestamp", case_id_key="case:concept:name")
loaded = time.perf_counter() - t
dfg, _, _ = pm4py.discover_dfg(df.copy(), **keys)
perf, _, _ = pm4py.discover_performance_dfg(df.copy(), perf_aggregation_key="all", **keys)
variants = pm4py.get_variants(df.copy(), **keys)
starts = pm4py.get_start_activities(df.copy(), **keys)
ends = pm4py.get_end_activities(df.copy(), **keys)
durations = pm4py.get_all_case_durations(df.copy(), **keys)
print(json.dumps({"seconds": time.perf_counter() - t, "cpu": time.process_time() - c, "load": loaded,
                  "events": len(df),
                  "edges": len(dfg), "variants": len(variants)}))
"""

BARE = """
import json, sys, time
from saksflyt.extractors import store
t, c = time.perf_counter(), time.process_time()
with store.read(sys.argv[1]) as con:
    con.execute("SET enable_progress_bar = false")
    con.execute('''CREATE TEMP TABLE o AS
        SELECT case_id, activity, ts_end,
               row_number() OVER w AS pos, count(*) OVER (PARTITION BY case_id) AS n,
               lag(activity) OVER w AS prev_activity, lag(ts_end) OVER w AS prev_end
        FROM events WHERE log = ?
        WINDOW w AS (PARTITION BY case_id ORDER BY ts_end, event_seq)''', [sys.argv[2]])
    # the six figures of pm4py's performance DFG ("all": mean, median, max, min, sum, stdev) and the count
    dfg = con.execute('''SELECT prev_activity, activity, count(*), avg(s), median(s), max(s), min(s), sum(s),
                                stddev_samp(s)
                         FROM (SELECT prev_activity, activity, epoch(ts_end) - epoch(prev_end) AS s
                               FROM o WHERE pos > 1) GROUP BY ALL''').fetchall()
    starts = con.execute("SELECT activity, count(*) FROM o WHERE pos = 1 GROUP BY ALL").fetchall()
    ends = con.execute("SELECT activity, count(*) FROM o WHERE pos = n GROUP BY ALL").fetchall()
    variants = con.execute('''SELECT trace, count(*) FROM (
        SELECT list(activity ORDER BY pos) AS trace FROM o GROUP BY case_id) GROUP BY ALL''').fetchall()
    durations = con.execute('''SELECT epoch(max(ts_end)) - epoch(min(ts_end)) AS d FROM o GROUP BY case_id
                               ORDER BY d''').fetchall()
print(json.dumps({"seconds": time.perf_counter() - t, "cpu": time.process_time() - c, "edges": len(dfg),
                  "variants": len(variants)}))
"""


def run_measured(code: str, *args: str) -> tuple[dict, float]:
    """Run `code` in a fresh interpreter, reaped with os.wait4 to read its own ru_maxrss (kB on Linux).

    Returns the child's last stdout line as JSON and its peak RSS in MB.
    """
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as errs:
        proc = subprocess.Popen([sys.executable, "-c", code, *args], cwd=ROOT, stdout=out, stderr=errs,
                                env={**os.environ, "PYTHONPATH": str(ROOT)})
        _, status, usage = os.wait4(proc.pid, 0)
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        errs.seek(0)
        if proc.returncode != 0:
            raise RuntimeError(f"child failed ({proc.returncode}):\n{errs.read()[-3000:]}")
        line = [x for x in out.read().splitlines() if x.startswith("{")][-1]
        return json.loads(line), usage.ru_maxrss / 1024


def prepare(events: int, work: Path, seed: int) -> Path:
    """Generate a log of about `events` events as Parquet (cached in `work`)."""
    parquet = work / f"byggesak_{events}_{seed}.parquet"
    if not parquet.exists():
        code = ("import sys; from saksflyt.sample_logs import generator as g; "
                "n = g.cases_for_events(int(sys.argv[1]), seed=int(sys.argv[2])); "
                "g.write(g.generate(cases=n, seed=int(sys.argv[2])), sys.argv[3])")
        subprocess.run([sys.executable, "-c", code, str(events), str(seed), str(parquet)], cwd=ROOT, check=True,
                       env={**os.environ, "PYTHONPATH": str(ROOT)})
    return parquet


def load(parquet: Path, store_path: Path, columns: str) -> float:
    """Ingest the Parquet file into a fresh store with the CLI; returns seconds."""
    if store_path.exists():
        return 0.0
    case, activity, ts = columns.split(",")
    t = time.perf_counter()
    # a fixed pseudonym key, so a benchmark never creates the user's key file as a side effect
    env = {"SAKSFLYT_PSEUDONYM_KEY": "benchmark-key", **os.environ, "PYTHONPATH": str(ROOT)}
    subprocess.run([sys.executable, "-c", "from saksflyt.app.cli import main; main()", "--store", str(store_path),
                    "ingest", str(parquet), "--log", LOG, "--case", case, "--activity", activity,
                    "--timestamp", ts, "--quiet"], cwd=ROOT, check=True, env=env, stdout=subprocess.DEVNULL)
    return time.perf_counter() - t


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--events", type=int, nargs="+", default=[1_000_000, 5_000_000])
    ap.add_argument("--events-parquet", type=Path, nargs="+", help="Use these Parquet logs instead of generating.")
    ap.add_argument("--log-columns", default="saksnr,aktivitet,slutt", help="case,activity,timestamp columns.")
    ap.add_argument("--sides", default="A,B,bare,mine")
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--repeat", type=int, default=1, help="Runs per side; the median run is shown.")
    ap.add_argument("--workdir", type=Path, default=Path(tempfile.gettempdir()) / "saksflyt-bench-mine")
    args = ap.parse_args()
    args.workdir.mkdir(parents=True, exist_ok=True)
    sides = [s.strip() for s in args.sides.split(",") if s.strip()]

    logs = args.events_parquet or [prepare(n, args.workdir, args.seed) for n in args.events]
    rows = []
    for parquet in logs:
        store_path = args.workdir / (Path(parquet).stem + ".duckdb")
        ingest_s = load(Path(parquet), store_path, args.log_columns)
        if ingest_s:
            print(f"loaded {parquet} in {ingest_s:.1f} s", file=sys.stderr)
        runs: dict[str, list[tuple[dict, float]]] = {side: [] for side in sides}
        for _ in range(max(args.repeat, 1)):
            for side in sides:
                code, target = {"A": (SIDE_A, store_path), "B": (SIDE_B, parquet), "bare": (BARE, store_path),
                                "mine": (SIDE_MINE, store_path)}[side]
                extra = args.log_columns if side == "B" else LOG
                res = run_measured(code, str(target), extra)
                if side in ("A", "mine"):
                    run_measured(DROP_RUNS, str(store_path), LOG)
                print(f"{Path(parquet).name} {side}: {res[0]['seconds']:.1f} s, {res[1]:.0f} MB", file=sys.stderr)
                runs[side].append(res)
        found = {side: sorted(r, key=lambda x: x[0]["seconds"])[(len(r) - 1) // 2] for side, r in runs.items()}
        events = next((r["events"] for r, _ in found.values() if "events" in r), None)
        rows.append((Path(parquet).name, events, found))

    print(f"machine: {os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f} at the end "
          "(wall seconds suffer when others share the cores; CPU seconds less so)")
    header = (f"{'log':<30} {'events':>10} {'side':<5} {'wall s':>7} {'cpu s':>7} {'peak MB':>8} "
              f"{'B/side':>7} {'B cpu/side':>10} {'side/bare':>9} {'cpu/bare':>8} {'mem/B':>6}")
    print(header)
    print("-" * len(header))
    for name, events, found in rows:
        b = found.get("B")
        bare = found.get("bare")
        for side, (res, mb) in found.items():
            speed = f"{b[0]['seconds'] / res['seconds']:.1f}x" if b else "-"
            cpu_speed = f"{b[0]['cpu'] / res['cpu']:.1f}x" if b else "-"
            vs_bare = f"{res['seconds'] / bare[0]['seconds']:.2f}x" if bare else "-"
            cpu_bare = f"{res['cpu'] / bare[0]['cpu']:.2f}x" if bare else "-"
            mem = f"{mb / b[1]:.2f}" if b else "-"
            print(f"{name:<30} {events or 0:>10,} {side:<5} {res['seconds']:>7.1f} {res['cpu']:>7.1f} {mb:>8.0f} "
                  f"{speed:>7} {cpu_speed:>10} {vs_bare:>9} {cpu_bare:>8} {mem:>6}")
        for side in ("A", "mine"):
            if side in found:
                phases = ", ".join(f"{k} {v:.1f}" for k, v in found[side][0]["phases"].items())
                print(f"{'':<30} {side} phases (wall s): {phases}")


if __name__ == "__main__":
    main()
