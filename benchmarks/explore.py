"""Benchmark the explorer (issue 7): each page's render time on a 1M-event store, goal under 2 s.

A byggesak log of about 1M events is generated (`saksflyt.sample_logs.generator`), loaded and mined with the
`saksflyt` commands, unless `--store`/`--log` name an existing mined store. Every page is then run in
Streamlit's AppTest in a fresh subprocess (so caches start empty), three times: *cold* (the page's first
render, its aggregates computed by DuckDB), *warm* (the same render again, from the caches) and
*filtered* (a case-attribute filter set, so every aggregate is recomputed for the narrower set of
cases). Times are wall-clock seconds of `AppTest.run` (script plus data, not the browser's drawing), with the
process's CPU seconds beside them (all threads: on a busy shared machine wall time is mostly waiting);
imports and AppTest's own first-run work are timed separately. *entry* is the first load of the app
(sidebar with the log's filter options, then the overview). The child also reports whether pm4py was imported (it must not be:
pm4py belongs where discovery runs).

    python benchmarks/explore.py                     # generate, load and mine a 1M-event store
    python benchmarks/explore.py --events 200000
    python benchmarks/explore.py --store s.duckdb --log byggesak
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
PAGES = ("overview", "process_map", "variants", "bottlenecks", "backlog")
GOAL_SECONDS = 2.0

CHILD = """
import json, os, sys, time
t = time.perf_counter()
from streamlit.testing.v1 import AppTest
import altair, saksflyt.app.explore_data, saksflyt.app.app_pages.common  # noqa: F401  (once per server process)
imports = time.perf_counter() - t
explorer, page, log, attribute = sys.argv[1:5]
at = AppTest.from_file(explorer, default_timeout=300)
at.session_state["log"] = log
# AppTest's own first-run work (it scans installed components) is not a page's: run once without a store
store = os.environ["SAKSFLYT_STORE"]
os.environ["SAKSFLYT_STORE"] = store + ".none"
at.run()
os.environ["SAKSFLYT_STORE"] = store

cpu = {}

def run(name):
    t, c = time.perf_counter(), time.process_time()
    at.run()
    seconds = time.perf_counter() - t
    cpu[name] = time.process_time() - c
    problems = [e.message for e in at.exception] + [e.value for e in at.error]
    if problems:
        raise SystemExit(f"{page}: {problems[0]}")
    return seconds

# the entry file runs once (sidebar, snapshot, filter options), then the page is chosen
first = run("entry")
if page != "overview":
    at.switch_page(f"app_pages/{page}.py")
cold = run("cold") if page != "overview" else first
cpu.setdefault("cold", cpu["entry"])
warm = run("warm")
name, values = attribute.split("=", 1)
at.multiselect(key=f"f_{log}_attrs").set_value([name])
at.run()
at.multiselect(key=f"f_{log}_attr_{name}").set_value(values.split(","))
filtered = run("filtered")
print(json.dumps({"page": page, "imports": imports, "entry": first, "cold": cold, "warm": warm,
                  "filtered": filtered, "cpu": cpu, "pm4py_imported": "pm4py" in sys.modules}))
"""


def sh(*args: str, env: dict[str, str]) -> None:
    t = time.perf_counter()
    subprocess.run([sys.executable, "-m", "app", *args], check=True, env=env, cwd=ROOT, stdout=subprocess.DEVNULL)
    print(f"  saksflyt {args[2]}: {time.perf_counter() - t:.1f} s", file=sys.stderr)


def build_store(directory: Path, events: int, env: dict[str, str]) -> tuple[Path, str]:
    from saksflyt.sample_logs import generator

    t = time.perf_counter()
    generated = generator.generate(cases=generator.cases_for_events(events))
    source = directory / "byggesak.parquet"
    generator.write(generated, source)
    print(f"  generated {len(generated.events):,} events: {time.perf_counter() - t:.1f} s", file=sys.stderr)
    store = directory / "explore.duckdb"
    sh("--store", str(store), "ingest", str(source), "--log", "byggesak", "--external", "Statens vegvesen",
       "--quiet", env=env)
    sh("--store", str(store), "mine", "--log", "byggesak", "--quiet", env=env)
    return store, "byggesak"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--events", type=int, default=1_000_000)
    parser.add_argument("--store", type=Path, help="an existing mined store (skips generating one)")
    parser.add_argument("--log", default="byggesak")
    parser.add_argument("--filter", default="tiltakstype=garasje,tilbygg",
                        help="the case-attribute filter of the 'filtered' run: NAME=VALUE[,VALUE]")
    args = parser.parse_args()
    env = {**os.environ, "SAKSFLYT_PSEUDONYM_KEY": os.environ.get("SAKSFLYT_PSEUDONYM_KEY", "benchmark")}

    with tempfile.TemporaryDirectory(prefix="saksflyt-explore-bench-") as tmp:
        if args.store:
            store, log = args.store, args.log
        else:
            print(f"building a {args.events:,}-event store …", file=sys.stderr)
            store, log = build_store(Path(tmp), args.events, env)
        from saksflyt.extractors import store as store_lib
        from saksflyt.extractors.ingest import list_logs

        with store_lib.read(store) as con:
            info = next(r for r in list_logs(con) if r["log"] == log)
        print(f"store {store}: log {log}, {info['events']:,} events, {info['cases']:,} cases")

        rows = []
        child_env = {**env, "SAKSFLYT_STORE": str(store)}
        for page in PAGES:
            out = subprocess.run([sys.executable, "-c", CHILD, str(ROOT / "app" / "explorer.py"), page, log,
                                  args.filter], capture_output=True, text=True, env=child_env, cwd=ROOT)
            if out.returncode != 0:
                print(f"{page}: failed\n{out.stderr[-2000:]}", file=sys.stderr)
                return 1
            rows.append(json.loads(out.stdout.strip().splitlines()[-1]))

    print(f"\nwall-clock seconds (CPU seconds of the process, all threads, in brackets); "
          f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    print(f"{'page':<14}{'imports':>9}{'entry':>14}{'cold':>14}{'warm':>14}{'filtered':>14}  pm4py")
    worst = 0.0
    for r in rows:
        worst = max(worst, r["cold"], r["warm"], r["filtered"])
        cells = "".join(f"{r[k]:>7.2f} ({r['cpu'][k]:4.2f})" for k in ("entry", "cold", "warm", "filtered"))
        print(f"{r['page']:<14}{r['imports']:>9.2f}{cells}  {'imported' if r['pm4py_imported'] else 'not imported'}")
    verdict = "met" if worst < GOAL_SECONDS else "NOT met"
    print(f"\nslowest page render: {worst:.2f} s (goal < {GOAL_SECONDS:.0f} s per page: {verdict})")
    return 0 if all(not r["pm4py_imported"] for r in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
