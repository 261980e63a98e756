"""Fixtures shared by the test modules (append new ones below; keep each independent of the others)."""
from __future__ import annotations

import os
from pathlib import Path

import pytest
from click.testing import CliRunner

SHARED_LOGS = Path(__file__).resolve().parents[2] / "shared" / "logs"
IN_CI = os.environ.get("CI", "").lower() == "true"


@pytest.fixture(scope="session")
def shared_logs() -> Path:
    """The folder of real public logs (../shared/logs): skipped when absent, a failure in CI."""
    if not SHARED_LOGS.is_dir():
        if IN_CI:
            pytest.fail(f"{SHARED_LOGS} is missing in CI: the real-log tests must run there")
        pytest.skip(f"{SHARED_LOGS} is missing: the real public logs are not on this machine")
    return SHARED_LOGS


@pytest.fixture(scope="session")
def demo_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """receipt and byggesak ingested and mined (insights and candidates included), as `make demo` does;
    built once per session. Tests that write must copy it."""
    from saksflyt.app.cli import main

    samples = Path(__file__).resolve().parents[1] / "sample_logs"
    path = tmp_path_factory.mktemp("demo-store") / "store.duckdb"
    steps = [
        ["ingest", str(samples / "receipt.csv"), "--log", "receipt", "--quiet"],
        ["ingest", str(samples / "byggesak.csv"), "--log", "byggesak", "--external", "Statens vegvesen", "--quiet"],
        ["mine", "--log", "receipt", "--quiet"],
        ["mine", "--log", "byggesak", "--external", "Statens vegvesen", "--quiet"],
    ]
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("SAKSFLYT_PSEUDONYM_KEY", "testkey")
        for args in steps:
            result = CliRunner().invoke(main, ["--store", str(path), *args], catch_exceptions=False)
            assert result.exit_code == 0, result.output
    return path


@pytest.fixture(scope="module")
def key():
    """SAKSFLYT_PSEUDONYM_KEY set to a test key for the whole module."""
    mp = pytest.MonkeyPatch()
    mp.setenv("SAKSFLYT_PSEUDONYM_KEY", "testkey")
    yield
    mp.undo()


@pytest.fixture(scope="session")
def monitored_store(demo_store: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo store with byggesak monitored (`saksflyt monitor --config sample_logs/saksflyt.toml`, bokmål),
    so the open-cases page and monitor.html have data; built once per session. Tests that write must copy it."""
    import shutil

    from saksflyt.app.cli import main

    samples = Path(__file__).resolve().parents[1] / "sample_logs"
    path = tmp_path_factory.mktemp("monitored-store") / "store.duckdb"
    shutil.copy(demo_store, path)
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("SAKSFLYT_PSEUDONYM_KEY", "testkey")
        result = CliRunner().invoke(main, ["--store", str(path), "monitor", "--log", "byggesak", "--config",
                                           str(samples / "saksflyt.toml"), "--quiet"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return path
