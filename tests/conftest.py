"""Fixtures shared by the test modules (append new ones below; keep each independent of the others)."""
from __future__ import annotations

import os

# One OpenMP thread per process, set before scikit-learn (or anything else built with OpenMP) loads, and
# inherited by the CLI's and the explorer's subprocesses. `make test` runs two workers on two cores: with
# OpenMP's default of one thread per core, the gradient-boosting fits of the monitor wait at barriers on
# threads the other worker has descheduled (spinning meanwhile). Measured on the 4000-case monitor fixture
# under load: 584 s with two threads, 75 s with one, the same AUC and errors. A value set outside wins.
os.environ.setdefault("OMP_NUM_THREADS", "1")

import fcntl  # noqa: E402
from collections.abc import Callable  # noqa: E402
from pathlib import Path  # noqa: E402

import pytest  # noqa: E402
from helpers import SAMPLES, SHARED_LOGS, TEST_KEY, invoke, pseudonym_key, require  # noqa: E402

# The slowest files first, slowest at the top (seconds of one worker, measured with --durations on two
# cores). `make test` runs `-n 2 --dist loadfile --no-loadscope-reorder`: each worker takes the next whole
# file when it runs dry, so starting with the longest files and ending with the short ones keeps the two
# workers finishing together (xdist's own order, most tests first, left the long files with few tests for
# the end, and one worker idle for minutes). The first two differ in whether they need the session's demo
# store, so one worker builds it while the other already works. A file not named here runs after these,
# in collection order; name a new slow file here.
SLOWEST_FIRST = (
    "test_kill.py",
    "test_monitor_models.py",
    "test_pages_axe.py",
    "test_candidates_public.py",
    "test_explorer_a11y.py",
    "test_spark.py",
    "test_explorer_apptest.py",
    "test_mining_stats.py",
    "test_candidates_generalise.py",
    "test_explorer_browser.py",
    "test_explore_login.py",
    "test_monitor_public.py",
    "test_page_language.py",
    "test_monitor_views.py",
    "test_fuzz.py",
    "test_concurrency.py",
    "test_mining_insights.py",
    "test_simulation.py",
    "test_xes.py",
    "test_noark5.py",
)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Put the files of SLOWEST_FIRST first, in that order; the tests inside a file keep theirs."""
    rank = {name: i for i, name in enumerate(SLOWEST_FIRST)}
    items.sort(key=lambda item: rank.get(item.path.name, len(rank)))   # stable: the rest keep their order


def built_once(tmp_path_factory: pytest.TempPathFactory, name: str, build: Callable[[Path], None]) -> Path:
    """`name`/store.duckdb made by `build(path)` once per run. Under xdist the first worker that needs it
    builds it while holding a file lock and the other worker waits and reuses it: building the demo
    store twice cost half a minute of one core. Built under another name and renamed when complete, so
    a failed build is never reused (the next worker tries again and fails the same way)."""
    if "PYTEST_XDIST_WORKER" not in os.environ:
        path = tmp_path_factory.mktemp(name) / "store.duckdb"
        build(path)
        return path
    root = tmp_path_factory.getbasetemp().parent / name   # shared by the workers of this run
    root.mkdir(exist_ok=True)
    path = root / "store.duckdb"
    with open(root / "lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)   # released when the file closes
        if not path.exists():
            partial = root / f"building-{os.environ['PYTEST_XDIST_WORKER']}.duckdb"
            for leftover in (partial, partial.with_name(partial.name + ".wal")):
                leftover.unlink(missing_ok=True)
            build(partial)
            os.replace(partial, path)
    return path


@pytest.fixture(scope="session")
def shared_logs() -> Path:
    """The folder of real public logs (../shared/logs): skipped when absent, a failure in CI."""
    require(SHARED_LOGS.is_dir(), f"{SHARED_LOGS} is missing: the real public logs are not on this machine")
    return SHARED_LOGS


@pytest.fixture(scope="session")
def demo_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """receipt and byggesak ingested and mined (insights and candidates included), as `make demo` does;
    built once per run (shared by the xdist workers). Tests that write must copy it."""
    return built_once(tmp_path_factory, "demo-store", build_demo_store)


def build_demo_store(path: Path) -> None:
    steps = [
        ["ingest", str(SAMPLES / "receipt.csv"), "--log", "receipt", "--quiet"],
        ["ingest", str(SAMPLES / "byggesak.csv"), "--log", "byggesak", "--external", "Statens vegvesen", "--quiet"],
        ["mine", "--log", "receipt", "--quiet"],
        ["mine", "--log", "byggesak", "--external", "Statens vegvesen", "--quiet"],
    ]
    with pseudonym_key():
        for args in steps:
            result = invoke(path, *args)
            assert result.exit_code == 0, result.output


@pytest.fixture(scope="module")
def key():
    """SAKSFLYT_PSEUDONYM_KEY set to a test key for the whole module."""
    with pseudonym_key():
        yield


@pytest.fixture
def pseudonym_key_env(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """SAKSFLYT_PSEUDONYM_KEY set for one test (a module uses it with `pytestmark = usefixtures(...)`); the
    module's PSEUDONYM_KEY if it names one, so its expected pseudonyms can be computed from the same key."""
    value = getattr(request.module, "PSEUDONYM_KEY", TEST_KEY)
    monkeypatch.setenv("SAKSFLYT_PSEUDONYM_KEY", value)
    return value


@pytest.fixture(scope="session")
def monitored_store(demo_store: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo store with byggesak monitored (`saksflyt monitor --config sample_logs/saksflyt.toml`, bokmål),
    so the open-cases page and monitor.html have data; built once per run (shared by the xdist workers).
    Tests that write must copy it."""
    import shutil

    def build(path: Path) -> None:
        shutil.copy(demo_store, path)
        with pseudonym_key():
            result = invoke(path, "monitor", "--log", "byggesak", "--config", str(SAMPLES / "saksflyt.toml"),
                            "--quiet")
        assert result.exit_code == 0, result.output

    return built_once(tmp_path_factory, "monitored-store", build)
