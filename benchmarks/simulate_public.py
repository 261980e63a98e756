"""`saksflyt simulate --validate` on logs the simulation was not tuned on: how close the simulated log comes.

Each log is loaded into its own store, mined and validated with the CLI (10 runs, seed 1), each step in a
child process with a time limit, so a log that fails or runs too long gets one line in its row and the
next log still runs. Logs: the generator's deadline variant at two seeds, BPIC 2015 (five Dutch
municipalities' building permits), sepsis, BPIC 2013 incidents, CoSeLoG WABO 1, receipt, and BPIC
2012's work items (the `W_` events with their starts: the log AgentSimulator reports on) exported from
BPIC 2012 into a CSV of its own, and road traffic fines (561k events: about two minutes and 2 GB).
Prints one table; seconds are the `simulate` command's wall time, Python start-up included.

    OMP_NUM_THREADS=1 python benchmarks/simulate_public.py [--only NAME ...]
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared" / "logs"
RUNS = 10
LIMIT_S = 180         # a simulate step longer than this is recorded as a failure
PREPARE_LIMIT_S = 900  # ingest and mine are not measured here, only bounded
ANCHOR = ("AgentSimulator on BPIC 2012-W: n-gram 0.256, cycle-time EMD 93 h (trained on the first 80 %, tested on "
          "the last 20 %; ours: same period, in-sample)")
B12W = """COPY (SELECT case_id AS "case", activity,
                strftime(ts_start, '%Y-%m-%dT%H:%M:%S.%g+00:00') AS "start",
                strftime(ts_end, '%Y-%m-%dT%H:%M:%S.%g+00:00') AS ende, resource
         FROM events WHERE log = 'b12' AND activity LIKE 'W\\_%' ESCAPE '\\' AND lifecycle <> 'SCHEDULE'
         ORDER BY case_id, ts_end, event_seq) TO '{path}' (HEADER, DELIMITER ',')"""


class StepFailed(Exception):
    """A CLI step that exited non-zero or ran out of time; the message is one line for the table."""


def cli(*args: str, limit: float) -> float:
    """Run `saksflyt ARGS` in a child process; returns its wall seconds."""
    env = {"SAKSFLYT_PSEUDONYM_KEY": "benchmark-key", **os.environ, "PYTHONPATH": str(ROOT)}
    began = time.perf_counter()
    try:
        proc = subprocess.run([sys.executable, "-m", "app", *args], cwd=ROOT, capture_output=True, text=True,
                              env=env, timeout=limit, check=False)
    except subprocess.TimeoutExpired:
        raise StepFailed(f"{args[2]}: stopped after {limit:.0f} s") from None
    if proc.returncode != 0:
        lines = [x for x in proc.stderr.strip().splitlines() if x.strip()]
        raise StepFailed(f"{args[2]}: {lines[-1] if lines else f'exit {proc.returncode}'}")
    return time.perf_counter() - began


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--only", nargs="*", help="log names (as in the table's first column, or part of one)")
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT))
    import duckdb
    from rich.console import Console
    from rich.table import Table

    from saksflyt.extractors import store

    from saksflyt.sample_logs import generator

    table = Table(title=f"saksflyt simulate --validate ({RUNS} runs) on logs it was not tuned on")
    cols = ("log", "cases", "events", "activities", "n-gram", "cycle-time EMD h", "EMD / mean lead",
            "real median lead d", "sim. median lead d", "arrival EMD h", "WIP dist. h", "verdict", "queues kept",
            "seconds")
    for col in cols:
        table.add_column(col, justify="left" if col in ("log", "verdict") else "right",
                         no_wrap=col != "verdict")
    notes: list[str] = []
    began_all = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="saksflyt-bench-") as tmp:
        work = Path(tmp)

        def generated(seed: int, cases: int) -> Callable[[Path, str], None]:
            def prepare(db: Path, log: str) -> None:
                path = work / f"{log}.csv"
                generator.write(generator.generate(cases=cases, seed=seed, deadlines=True), path)
                cli("--store", str(db), "ingest", str(path), "--log", log, "--external", "Statens vegvesen",
                    "--no-pseudonymise", "--quiet", limit=PREPARE_LIMIT_S)
            return prepare

        def shared(file: str) -> Callable[[Path, str], None]:
            def prepare(db: Path, log: str) -> None:
                cli("--store", str(db), "ingest", str(SHARED / file), "--log", log, "--no-pseudonymise", "--quiet",
                    limit=PREPARE_LIMIT_S)
            return prepare

        def bpic2012_w(db: Path, log: str) -> None:
            shared("bpic2012.xes.gz")(db, "b12")
            path = work / f"{log}.csv"
            with store.read(db) as con:
                con.execute(B12W.format(path=path))
            cli("--store", str(db), "ingest", str(path), "--log", log, "--case", "case", "--activity", "activity",
                "--timestamp", "ende", "--start", "start", "--resource", "resource", "--no-pseudonymise", "--quiet",
                limit=PREPARE_LIMIT_S)

        logs: list[tuple[str, str | None, Callable[[Path, str], None]]] = [
            ("generated, seed 11 (2000)", None, generated(11, 2000)),
            ("generated, seed 7 (3000)", None, generated(7, 3000)),
            *((f"BPIC 2015 m{i}", f"bpic15_municipality_{i}.xes.gz",
               shared(f"bpic15_municipality_{i}.xes.gz")) for i in range(1, 6)),
            ("Sepsis", "sepsis_cases.xes.gz", shared("sepsis_cases.xes.gz")),
            ("BPIC 2013 incidents", "bpic2013_incidents.xes.gz", shared("bpic2013_incidents.xes.gz")),
            ("CoSeLoG WABO 1", "coselog_wabo_1.xes.gz", shared("coselog_wabo_1.xes.gz")),
            ("Receipt", "receipt.csv", shared("receipt.csv")),
            ("BPIC 2012-W", "bpic2012.xes.gz", bpic2012_w),
            ("Road traffic fines", "road_traffic_fine_management.xes.gz", shared("road_traffic_fine_management.xes.gz")),
        ]
        for i, (name, file, prepare) in enumerate(logs):
            if args.only and not any(o.lower() in name.lower() for o in args.only):
                continue
            if file is not None and not (SHARED / file).exists():
                notes.append(f"{name}: {SHARED / file} is missing, skipped.")
                continue
            log = f"log{i}"
            db = work / f"{log}.duckdb"
            print(f"{name} …", file=sys.stderr)
            sizes = ["", "", ""]
            try:
                prepare(db, log)
                with store.read(db) as con:
                    cases, events, activities = con.execute(
                        "SELECT count(DISTINCT case_id), count(*), count(DISTINCT activity) FROM events WHERE log = ?",
                        [log]).fetchone()
                sizes = [f"{cases:,}", f"{events:,}", f"{activities:,}"]
                cli("--store", str(db), "mine", "--log", log, "--quiet", limit=PREPARE_LIMIT_S)
                seconds = cli("--store", str(db), "simulate", "--log", log, "--validate", "--runs", str(RUNS),
                              "--seed", "1", "--out", str(work / log), "--quiet", limit=LIMIT_S)
            except (StepFailed, duckdb.Error) as exc:
                table.add_row(name, *sizes, *[""] * 7, f"failed: {exc}", "", "")
                print(f"{name}: {exc}", file=sys.stderr)
                continue
            v = json.loads((work / log / "simulation_validation.json").read_text(encoding="utf-8"))
            table.add_row(name, *sizes, f"{v['ngram_distance']:.3f}", f"{v['cycle_time_emd_hours']:,.1f}",
                          f"{v['cycle_time_emd_share']:.1%}", f"{v['real_median_lead_days']:,.2f}",
                          f"{v['simulated_median_lead_days']:,.2f}", f"{v['arrival_emd_hours']:,.1f}",
                          f"{v['wip_distance']:,.1f}", v["verdict"],
                          f"{len(v['model']['queues'])} of {v['model']['activities']}", f"{seconds:.1f}")
            print(f"{name}: {v['verdict']} in {seconds:.1f} s", file=sys.stderr)
    table.caption = "\n".join([ANCHOR, *notes, f"total {time.perf_counter() - began_all:.0f} s"])
    table.caption_justify = "left"
    Console(width=220).print(table)


if __name__ == "__main__":
    main()
