"""The monitor's evaluation on public logs and on the generator: remaining-time MAE against the two
baselines, 80 % interval coverage, and AUC for missing a deadline where one is set.

BPIC 2015 (building permits from five Dutch municipalities) gets the Dutch regular procedure's 8 weeks
(Wabo art. 3.9) from the first event to the log's common end activities; road traffic fines have no
deadline (remaining time only). The generator's deadline variant runs with its own deadline table, at
two seeds. Prints one table (the README's).

    python benchmarks/monitor_public.py
"""
from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared" / "logs"
WABO = '[logs.{log}.deadline]\nweeks = 8\n'


def main() -> None:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("SAKSFLYT_PSEUDONYM_KEY", "benchmark-key")
    from rich.console import Console
    from rich.table import Table

    from saksflyt.app import mine_config
    from saksflyt.sample_logs import generator
    from saksflyt.extractors.ingest import ingest_path
    from saksflyt.extractors.staging import IngestOptions
    from saksflyt.mining import monitor

    table = Table(title="saksflyt monitor: evaluation on a temporal split (MAE in days)")
    for col in ("log", "cases", "train / test cases", "model MAE", "type+last activity", "prefix length",
                "better than best", "80 % coverage", "AUC (miss)"):
        table.add_column(col, justify="left" if col == "log" else "right")
    with tempfile.TemporaryDirectory(prefix="saksflyt-bench-") as tmp:
        work = Path(tmp)
        runs: list[tuple[str, Path, str]] = []
        for seed in (11, 7):
            gen = generator.generate(cases=4000, seed=seed, deadlines=True)
            path = work / f"byggesak{seed}.csv"
            generator.write(gen, path)
            runs.append((f"byggesak generated (seed {seed})", path,
                         gen.truth["deadline"]["config_toml"].replace("logs.byggesak", f"logs.byggesak{seed}")))
        for i in range(1, 6):
            path = SHARED / f"bpic15_municipality_{i}.xes.gz"
            if path.exists():
                runs.append((f"BPIC 2015 municipality {i}", path, WABO.format(log=f"bpic15_{i}")))
        if (SHARED / "road_traffic_fine_management.xes.gz").exists():
            runs.append(("Road traffic fines", SHARED / "road_traffic_fine_management.xes.gz", ""))
        only = os.environ.get("BENCH_ONLY")
        for name, path, toml in runs:
            if only and only not in name:
                continue
            log = {"BPIC": lambda: f"bpic15_{name[-1]}", "Road": lambda: "fines"}.get(
                name[:4], lambda: path.stem.split(".")[0])()
            db = work / f"{log}.duckdb"
            ingest_path(path, store_path=db, log_name=log, options=IngestOptions(pseudonymise=False))
            cfg = work / f"{log}.toml"
            cfg.write_text(toml, encoding="utf-8")
            settings = mine_config.read(cfg, log)
            r = monitor.compute(store_path=db, log_name=log, options=monitor.MonitorOptions(
                config=settings.deadlines, calendar=settings.calendar))
            ev = r.evaluation
            if ev is None:
                table.add_row(name, "", "", r.message or "not evaluated", *[""] * 5)
                continue
            mae = ev["mae_days"]
            table.add_row(name, f"{int(r.status['closed'].sum() + (~r.status['closed']).sum()):,} cases",
                          f"{ev['split']['train_cases']:,} / {ev['split']['test_cases']:,}", f"{mae['model']:.1f}",
                          f"{mae['baseline_type_and_last_activity']:.1f}", f"{mae['baseline_prefix_length']:.1f}",
                          f"{ev['improvement_over_best_baseline']:.0%}", f"{ev['interval']['coverage']:.0%}",
                          f"{ev['miss']['auc']:.2f}" if ev.get("miss") else "–")
    Console(width=200).print(table)


if __name__ == "__main__":
    main()
