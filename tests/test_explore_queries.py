"""The explorer's queries without Streamlit: importable on their own, and their numbers are mining's."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from saksflyt.app import explore_queries as queries
from saksflyt.app.explore_store import read_snapshot
from saksflyt.extractors import store
from saksflyt.mining import results

ROOT = Path(__file__).resolve().parents[1]


def test_queries_do_not_import_streamlit() -> None:
    code = ("import sys\n"
            "from saksflyt.app import explore_map, explore_monitor, explore_queries, explore_store\n"
            "print('streamlit' in sys.modules)\n")
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(p for p in (str(ROOT), os.environ.get("PYTHONPATH")) if p)}
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True)
    assert done.stdout.strip() == "False"


@pytest.mark.parametrize("log", ["receipt", "byggesak"])
def test_waiting_before_each_activity_is_minings(demo_store: Path, log: str) -> None:
    """Over all cases and activities, the map's median waiting is the run's stored `median_wait_hours`."""
    with store.read(demo_store) as con:
        acts = results.activities(con, log)
        run_id = read_snapshot(con, str(demo_store)).get(log).run_id
        md = queries.map_data(con, log, run_id, queries.Filters(), acts["activity"].tolist())
    got = md.nodes.set_index("activity")["median_wait_hours"]
    want = acts.set_index("activity")["median_wait_hours"]
    assert got.reindex(want.index).to_numpy() == pytest.approx(want.to_numpy(), rel=1e-9, nan_ok=True)


def test_filter_on_a_variant_counts_its_cases(demo_store: Path) -> None:
    with store.read(demo_store) as con:
        variants = results.variants(con, "byggesak")
        v = variants.sort_values("cases", ascending=False).iloc[1]
        run_id = read_snapshot(con, str(demo_store)).get("byggesak").run_id
        seen = queries.overview(con, "byggesak", run_id, queries.Filters(variants=(int(v["variant_id"]),)), 30.0)
        counts, n_cases = queries.activity_counts(con, "byggesak", run_id,
                                                  queries.Filters(variants=(int(v["variant_id"]),)))
    assert seen.cases == n_cases == int(v["cases"])
    assert sorted(counts["activity"]) == sorted(set(v["activities"]))
