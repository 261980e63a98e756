"""Fixtures shared by the test modules (append new ones below; keep each independent of the others)."""
from __future__ import annotations

from pathlib import Path

import pytest
from helpers import SAMPLES, SHARED_LOGS, TEST_KEY, invoke, pseudonym_key, require


@pytest.fixture(scope="session")
def shared_logs() -> Path:
    """The folder of real public logs (../shared/logs): skipped when absent, a failure in CI."""
    require(SHARED_LOGS.is_dir(), f"{SHARED_LOGS} is missing: the real public logs are not on this machine")
    return SHARED_LOGS


@pytest.fixture(scope="session")
def demo_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """receipt and byggesak ingested and mined (insights and candidates included), as `make demo` does;
    built once per session. Tests that write must copy it."""
    path = tmp_path_factory.mktemp("demo-store") / "store.duckdb"
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
    return path


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
    so the open-cases page and monitor.html have data; built once per session. Tests that write must copy it."""
    import shutil

    path = tmp_path_factory.mktemp("monitored-store") / "store.duckdb"
    shutil.copy(demo_store, path)
    with pseudonym_key():
        result = invoke(path, "monitor", "--log", "byggesak", "--config", str(SAMPLES / "saksflyt.toml"), "--quiet")
    assert result.exit_code == 0, result.output
    return path
