"""Helpers the test modules share: the repository's paths, the CLI run in-process on a store, read-only
queries and the test pseudonym key. A plain module imported by name, as `page_checks` is (pytest puts
tests/ on sys.path); fixtures live in conftest.py, which cannot be imported by name reliably under xdist."""
from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from pathlib import Path
from typing import NoReturn

import duckdb
import pytest
from click.testing import CliRunner, Result

from saksflyt.app.cli import main

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "sample_logs"
SHARED_LOGS = ROOT.parent / "shared" / "logs"
EXPLORER = ROOT / "app" / "explorer.py"
TEST_KEY = "testkey"
IN_CI = os.environ.get("CI", "").lower() == "true"


def skip_or_fail(message: str) -> NoReturn:
    """Something a test needs is missing: a skip on a developer's machine, a failure in CI (a green CI must
    not hide a missing dependency)."""
    if IN_CI:
        pytest.fail(f"{message} (required in CI)")
    pytest.skip(message)


def require(found: bool, message: str) -> None:
    """Nothing when `found`; else `skip_or_fail(message)`."""
    if not found:
        skip_or_fail(message)


@contextlib.contextmanager
def pseudonym_key(value: str = TEST_KEY) -> Iterator[None]:
    """SAKSFLYT_PSEUDONYM_KEY set inside the block, for fixtures wider than one test (no `monkeypatch` there)."""
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("SAKSFLYT_PSEUDONYM_KEY", value)
        yield


def cli(*args: str, code: int = 0, catch_exceptions: bool = False) -> str:
    """The CLI in-process with `args` as given; asserts it exits with `code` and returns its output."""
    result = CliRunner().invoke(main, list(args), catch_exceptions=catch_exceptions)
    assert result.exit_code == code, result.output
    return result.output


def invoke(store: Path, *args: str, catch_exceptions: bool = False) -> Result:
    """The CLI in-process on `store`; the whole click result, for tests that look at more than the streams."""
    return CliRunner().invoke(main, ["--store", str(store), *args], catch_exceptions=catch_exceptions)


def run(store: Path, *args: str, catch_exceptions: bool = False,
        one_line_stderr: bool = False) -> tuple[int, str, str]:
    """The CLI in-process on `store`: (exit code, stdout, stderr). `one_line_stderr` undoes rich's line
    wrapping, so a message can be matched whatever the terminal width."""
    result = invoke(store, *args, catch_exceptions=catch_exceptions)
    err = " ".join(result.stderr.split()) if one_line_stderr else result.stderr
    return result.exit_code, result.stdout, err


def query(store: Path, sql: str, params: list | None = None) -> list[tuple]:
    """All rows of `sql` on a read-only connection, closed again so the CLI can write next."""
    con = duckdb.connect(str(store), read_only=True)
    try:
        return con.execute(sql, params or []).fetchall()
    finally:
        con.close()
