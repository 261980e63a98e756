"""`saksflyt publish`: how much of a log's process the differentially private bundle keeps, per ε.

A bundle is only worth publishing if its numbers still say something: this measures, for each log and ε,
how far the released DFG case-shares and the median lead time are from the exact ones, how many edges
and variants survive the suppression threshold, and whether a model discovered from the noisy DFG
(inductive miner on the DFG, as SaCoFa and TraVaS evaluate theirs) still fits and is as precise as one
discovered from the true DFG. OpenDP draws the noise and cannot be seeded, so each (log, ε) is published
`--reps` times into the same store (a budget of 10⁹ so the ledger never refuses) and the means are shown.

The end activities are chosen from the data here (the log's most common ends, as `saksflyt mine` picks
them); a publisher would configure them, since choosing them from the data is itself not private.

    OMP_NUM_THREADS=1 python benchmarks/publish_utility.py [--logs sepsis byggesak] [--reps 3] [--epsilons 0.1 1 10]
"""
from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared" / "logs"
REPS = 3
EPSILONS = (0.1, 1.0, 10.0)
SAMPLE_CASES = 300          # token replay on a sample when a log has more activities than SAMPLE_ABOVE
SAMPLE_ABOVE = 100          # (BPIC 2015: ~400 activities; precision over all its cases took 7.5 minutes)
INGEST_LIMIT_S = 600
LOGS: dict[str, tuple[Path, tuple[str, ...]]] = {   # the small logs first: a run cut short still has them
    "sepsis": (SHARED / "sepsis_cases.xes.gz", ()),
    "byggesak": (ROOT / "sample_logs" / "byggesak.csv", ("--external", "Statens vegvesen")),
    **{f"bpic15_m{i}": (SHARED / f"bpic15_municipality_{i}.xes.gz", ()) for i in range(1, 6)},
}
ANCHOR = ("Literature at ε = 1 on Sepsis: SaCoFa and TraVaS give inductive-miner models of precision 0.36–0.82 "
          "against the original log's 0.49.")

FOOTNOTES = (
    ("Bounds: the defaults, at most 15 DFG edges and 10 activities per case (the DFG's noise: discrete Laplace at "
     "sensitivity 15, or the discrete Gaussian at L2 √15 where OpenDP gives it less noise: column dfg noise); "
     "δ = min(10⁻⁶, 0.1 / cases); end activities chosen from the data (the log's most common ends), where a "
     "publisher would configure them."),
    ("dfg_mae: over the union of edges with a true count > 0 and edges released, |released case-share (0 if not "
     "released) − true share|; true share = closed cases with the edge / closed cases, from the exact DFG "
     "without bounds; ▶/■ edges included."),
    ("median_err_%: |released median lead days − exact| / exact, the exact median read from the exact lead-time "
     "histogram the same way (mining.bundle.quantile); median_err_raw_%: against the median of the closed "
     "cases' lead days."),
    ("fit/prec: token-based replay (pm4py) log_fitness and precision, on the log's closed cases, of the inductive "
     "miner's Petri net (pm4py IMd on a DFG object) from the true DFG and from the released DFG (▶→a gives "
     "start, a→■ end activities), each cut to its edges on some ▶→■ path; dp models: publications whose "
     "released DFG had such a path (fit_dp/prec_dp are means over those; – when none). median_err: mean over "
     "publications that released a median (medians: how many did)."),
)


@dataclass(frozen=True)
class Truth:
    """What the exact, unbounded counts and the closed cases of a log say."""

    ends: tuple[str, ...]
    cases: int
    activities: int
    edges: dict[tuple[str, str], int]   # closed cases with the edge, ▶ and ■ included
    closed: int
    median_hist: float                  # median lead days read from the exact histogram
    median_raw: float                   # median of the closed cases' lead days
    log: pd.DataFrame                   # closed cases (or a sample) as a pm4py event frame
    sampled: bool


def ingest(db: Path, file: Path, log: str, extra: tuple[str, ...]) -> None:
    """Load one log into a fresh store with the CLI, as a publisher would."""
    env = {**os.environ, "SAKSFLYT_PSEUDONYM_KEY": "bench", "PYTHONPATH": str(ROOT)}
    proc = subprocess.run([sys.executable, "-m", "app", "--store", str(db), "ingest", str(file), "--log", log,
                           *extra, "--quiet"], cwd=ROOT, capture_output=True, text=True, env=env,
                          timeout=INGEST_LIMIT_S, check=False)
    if proc.returncode != 0:
        raise RuntimeError(f"ingest {file.name}: {proc.stderr.strip().splitlines()[-1:]}")


def closed_cases(db: Path, log: str, ends: tuple[str, ...]) -> pd.DataFrame:
    """Closed cases' traces and lead days, by the same statistics phases the bundle's counts use."""
    from saksflyt.extractors import store
    from saksflyt.mining.compare_sides import CompareOptions, Side, load_side, run_side

    con = store.memory()
    try:
        con.execute("SET enable_progress_bar = false")
        con.execute("CREATE TABLE activity_map (name VARCHAR, common VARCHAR)")
        side = Side(log, log)
        with store.attached(con, store.store_path(db)):
            load_side(con, "p", side)
        run_side(con, "p", side, CompareOptions(end_activities=ends), ends)
        return con.execute("""
            SELECT o.case_id, o.lead_days, list_transform(f.trace, lambda x: n.names[x]) AS trace
            FROM p.case_out o JOIN p.case_facts f USING (cid)
            CROSS JOIN (SELECT list(activity ORDER BY aid) AS names FROM p.act_dict) n
            WHERE o.closed ORDER BY o.case_id
        """).df()
    finally:
        con.close()


def event_frame(cases: pd.DataFrame) -> pd.DataFrame:
    """A pm4py event frame of the traces, one second apart (only the order matters to token replay)."""
    rows = [(cid, act, i) for cid, trace in zip(cases["case_id"], cases["trace"]) for i, act in enumerate(trace)]
    frame = pd.DataFrame(rows, columns=["case:concept:name", "concept:name", "i"])
    frame["time:timestamp"] = pd.Timestamp("2000-01-01", tz="UTC") + pd.to_timedelta(frame["i"], unit="s")
    return frame.drop(columns="i")


def truth(db: Path, log: str) -> Truth:
    """The exact side of every comparison: unbounded counts, the closed cases and the log to replay."""
    from saksflyt.mining import bundle as bd
    from saksflyt.mining.publish_counts import Bounds, log_counts

    _, facts = log_counts(db, log)
    ends = tuple(facts["rule"].end_activities)
    c, facts = log_counts(db, log, bounds=Bounds(max_edges=10_000, max_activities=10_000), end_activities=ends)
    cases = closed_cases(db, log, ends)
    median_raw = float(np.median(cases["lead_days"]))
    sampled = len(c.activities) > SAMPLE_ABOVE and len(cases) > SAMPLE_CASES
    if sampled:
        cases = cases.iloc[np.sort(np.random.default_rng(0).choice(len(cases), SAMPLE_CASES, replace=False))]
    return Truth(ends=ends, cases=int(facts["summary"]["cases"]), activities=len(c.activities),
                 edges={e: int(n) for e, n in zip(c.edges, c.dfg) if n > 0}, closed=int(c.lead.sum()),
                 median_hist=float(bd.quantile(c.lead, bd.LEAD_DAYS, 0.5)),
                 median_raw=median_raw,
                 log=event_frame(cases), sampled=sampled)


def dfg_mae(t: Truth, released: list[dict[str, Any]]) -> float:
    """Mean |released case-share − true case-share| over the true edges and the released ones."""
    shares = {(e["source"], e["target"]): float(e["case_share"]) for e in released}
    keys = set(t.edges) | set(shares)
    return float(np.mean([abs(shares.get(k, 0.0) - t.edges.get(k, 0) / t.closed) for k in keys]))


def on_paths(edges: dict[tuple[str, str], int]) -> dict[tuple[str, str], int]:
    """The edges that lie on some ▶ → ■ path: a noisy DFG can hold islands the inductive miner cannot
    start from (pm4py's IMd then fails on a component without start activities)."""
    from saksflyt.mining.bundle import END, START

    def reach(origin: str, forward: bool) -> set[str]:
        seen, todo = {origin}, [origin]
        while todo:
            node = todo.pop()
            for a, b in edges:
                nxt = b if forward and a == node else a if not forward and b == node else None
                if nxt is not None and nxt not in seen:
                    seen.add(nxt)
                    todo.append(nxt)
        return seen

    keep = reach(START, True) & reach(END, False)
    return {(a, b): n for (a, b), n in edges.items() if a in keep and b in keep}


def model_quality(edges: dict[tuple[str, str], int], log: pd.DataFrame) -> tuple[float, float] | None:
    """Token-replay fitness and precision on `log` of the inductive miner's net from the part of a DFG
    (with ▶/■ edges) on its ▶ → ■ paths; None when no such path is left."""
    import pm4py
    from pm4py.objects.dfg.obj import DFG

    from saksflyt.mining.bundle import END, START

    edges = on_paths(edges)
    graph = {(a, b): n for (a, b), n in edges.items() if a != START and b != END}
    starts = {b: n for (a, b), n in edges.items() if a == START and b != END}
    ends = {a: n for (a, b), n in edges.items() if b == END and a != START}
    if not starts or not ends:
        return None
    net, im, fm = pm4py.discover_petri_net_inductive(DFG(graph=graph, start_activities=starts, end_activities=ends))
    fitness = pm4py.fitness_token_based_replay(log.copy(), net, im, fm)["log_fitness"]
    precision = pm4py.precision_token_based_replay(log.copy(), net, im, fm)
    return float(fitness), float(precision)


def fmt(x: float | None, spec: str) -> str:
    return "–" if x is None or not np.isfinite(x) else format(x, spec)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--logs", nargs="*", help=f"log names or parts of them ({', '.join(LOGS)})")
    parser.add_argument("--reps", type=int, default=REPS, help="publications per (log, ε); the table shows means")
    parser.add_argument("--epsilons", type=float, nargs="*", default=list(EPSILONS))
    args = parser.parse_args()
    os.environ.setdefault("PM4PY_SHOW_PROGRESS_BAR", "false")   # read when pm4py is imported
    sys.path.insert(0, str(ROOT))
    from rich.console import Console
    from rich.table import Table

    from saksflyt.mining.publish import PublishOptions, publish
    from saksflyt.mining.publish_counts import Bounds

    names = [n for n in LOGS if not args.logs or any(o.lower() in n.lower() for o in args.logs)]
    table = Table(title=f"saksflyt publish: utility of the bundle ({args.reps} publications per row, means)")
    cols = ("log", "ε", "cases", "activities", "dfg_mae", "median_err_%", "median_err_raw_%", "medians",
            "edges released", "dfg noise", "variants released", "fit_true", "prec_true", "fit_dp", "prec_dp",
            "dp models", "publish s")
    for col in cols:
        table.add_column(col, justify="left" if col == "log" else "right", no_wrap=True)
    notes: list[str] = []
    began_all = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="saksflyt-publish-") as tmp:
        work = Path(tmp)
        for name in names:
            file, extra = LOGS[name]
            if not file.exists():
                notes.append(f"{name}: {file} is missing, skipped.")
                continue
            db = work / f"{name}.duckdb"
            print(f"{name}: ingest and exact counts …", file=sys.stderr)
            ingest(db, file, name, extra)
            t = truth(db, name)
            began = time.perf_counter()
            true_q = model_quality(t.edges, t.log)
            print(f"{name}: true model {true_q} in {time.perf_counter() - began:.0f} s", file=sys.stderr)
            if t.sampled:
                notes.append(f"{name}: fitness and precision on a fixed random sample of {SAMPLE_CASES} of its "
                             f"{t.closed} closed cases (numpy seed 0).")
            options_delta = min(1e-6, 0.1 / t.cases)
            for eps in args.epsilons:
                maes, errs, errs_raw, n_edges, n_vars, secs, quals, kinds = [], [], [], [], [], [], [], []
                for rep in range(args.reps):
                    began = time.perf_counter()
                    b = publish(store_path=db, log_name=name, out_dir=work / f"{name}-{eps:g}-{rep}",
                                options=PublishOptions(epsilon=eps, delta=options_delta, budget=1e9,
                                                       bounds=Bounds(), end_activities=t.ends))
                    secs.append(time.perf_counter() - began)
                    maes.append(dfg_mae(t, b["dfg"]))
                    med = b["lead_time"]["median_days"]
                    errs.append(np.nan if med is None else abs(med - t.median_hist) / t.median_hist * 100)
                    errs_raw.append(np.nan if med is None else abs(med - t.median_raw) / t.median_raw * 100)
                    n_edges.append(len(b["dfg"]))
                    kinds += [r.get("kind", "laplace") for r in b["privacy"]["releases"] if r["name"] == "dfg"]
                    n_vars.append(len(b["variants"]))
                    q = model_quality({(e["source"], e["target"]): e["count"] for e in b["dfg"]}, t.log)
                    if q is not None:
                        quals.append(q)
                dp_fit = float(np.mean([q[0] for q in quals])) if quals else None
                dp_prec = float(np.mean([q[1] for q in quals])) if quals else None
                medians = f"{int(np.sum(~np.isnan(errs)))}/{args.reps}"
                row = (name, f"{eps:g}", f"{t.cases:,}", f"{t.activities:,}", f"{np.mean(maes):.4f}",
                       fmt(float(np.nanmean(errs)) if medians[0] != "0" else None, ".1f"),
                       fmt(float(np.nanmean(errs_raw)) if medians[0] != "0" else None, ".1f"), medians,
                       f"{np.mean(n_edges):.1f}", "/".join(sorted(set(kinds))), f"{np.mean(n_vars):.1f}",
                       fmt(true_q and true_q[0], ".3f"), fmt(true_q and true_q[1], ".3f"),
                       fmt(dp_fit, ".3f"), fmt(dp_prec, ".3f"), f"{len(quals)}/{args.reps}", f"{np.mean(secs):.2f}")
                table.add_row(*row)
                print(" | ".join(row), file=sys.stderr)   # a run cut short still leaves its rows
    table.caption = "\n".join([*FOOTNOTES, ANCHOR, *notes, f"total {time.perf_counter() - began_all:.0f} s"])
    table.caption_justify = "left"
    Console(width=240).print(table)


if __name__ == "__main__":
    main()
