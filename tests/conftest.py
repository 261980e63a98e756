"""Fixtures shared by the test modules (append new ones below; keep each independent of the others)."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

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
