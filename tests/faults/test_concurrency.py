"""Issue 22, fault suite: the explorer reads while `saksflyt run --config` writes and a second `mine` runs.

For a while (short: 8 s, the explorer's read functions in a loop in this process; `SAKSFLYT_FAULTS=long`:
5 minutes, also the real explorer in headless Chromium) two writers keep running as subprocesses: the
nightly pipeline on one log and `mine` on another. Allowed: a command that fails with the clear "store is
locked" message (it is retried), a page that shows the last data seen while a writer holds the lock.
Not allowed: any other failure, an exception in a read, a Streamlit exception on the page, a lost run
(every command that succeeded has its mining run in the store afterwards).
"""
from __future__ import annotations

import contextlib
import logging
import os
import shutil
import subprocess
import threading
import time
from pathlib import Path
from typing import Any

import pytest
from helpers import invoke, pseudonym_key, query
from kill_state import command, env, explorer_view

from saksflyt.app import explore_data, explore_store
from saksflyt.app.explore_queries import Filters
from saksflyt.extractors.errors import StoreLockedError

LONG = os.environ.get("SAKSFLYT_FAULTS") == "long"
SECONDS = 300 if LONG else 8
BUSY = "locked by another process"   # the CLI's one line when the lock outlasts its retry

# explore_data's caches outside a Streamlit server warn on every call; the reads, not the warning, matter here.
logging.getLogger("streamlit.runtime.caching.cache_data_api").setLevel(logging.ERROR)


@pytest.fixture(scope="module")
def small_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Two small generated logs: "small" ingested (the second writer mines it again and again), and the
    CSV of "nightly", which the pipeline loads and mines."""
    folder = tmp_path_factory.mktemp("concurrency")
    path = folder / "base.duckdb"
    steps = [
        ["generate", "--cases", "40", "--seed", "3", "--out", str(folder / "small.csv")],
        ["generate", "--cases", "30", "--seed", "4", "--out", str(folder / "nightly.csv")],
        ["ingest", str(folder / "small.csv"), "--log", "small", "--quiet"],
    ]
    with pseudonym_key():
        for args in steps:
            result = invoke(path, *args)
            assert result.exit_code == 0, result.output
    (folder / "pipeline.toml").write_text('[[source]]\nlog = "nightly"\npath = "nightly.csv"\n', encoding="utf-8")
    return path


class Writer(threading.Thread):
    """Runs one command again and again until `stop`; counts successes and "store busy" retries."""

    def __init__(self, store_path: Path, args: list[str], cwd: Path, stop: threading.Event) -> None:
        super().__init__(daemon=True)
        self.cmd, self.cwd, self.stop = command(store_path, args), cwd, stop
        self.ok = self.busy = 0
        self.failures: list[str] = []

    def run(self) -> None:
        while not self.stop.is_set():
            done = subprocess.run(self.cmd, cwd=self.cwd, env=env(), capture_output=True, text=True, timeout=600)
            if done.returncode == 0:
                self.ok += 1
            elif BUSY in " ".join(done.stderr.split()):
                self.busy += 1
                time.sleep(0.5)
            else:
                self.failures.append(f"{self.cmd[4:]}: exit {done.returncode}: {done.stderr.strip()[-2000:]}")
                return


def read_pages(path: Path) -> bool:
    """What the explorer's pages read for each log: the store's version, overview, variants, candidates.
    True when a writer held the lock and the last version seen was used."""
    snap = explore_store.snapshot(path)
    for v in snap.logs:
        if v.run_id is None:
            continue
        explore_data.overview(snap, v.log, Filters(), target_days=30.0)
        explore_data.variants(snap, v.log, Filters())
        explore_data.candidates(snap, v.log)
    return snap.stale


def browse(url: str, stop: threading.Event, errors: list[str], pages: list[int]) -> None:
    """The real explorer in headless Chromium, reloaded until `stop`; a Streamlit exception is an error."""
    import test_explorer_browser as tb
    from axe_chromium import ARGS, CHROMIUM
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        try:
            page = browser.new_page(viewport={"width": 1400, "height": 1100})
            page.set_default_timeout(tb.TIMEOUT_MS)
            page.goto(url)
            while not stop.is_set():
                page.reload()
                page.get_by_role("heading", name="Oversikt").wait_for()
                time.sleep(1.0)
                if page.locator('[data-testid="stException"]').count():
                    errors.append("stException: " + page.locator('[data-testid="stException"]').first.inner_text())
                pages[0] += 1
        except Exception as exc:  # noqa: BLE001 - a page that does not load is an error the test reports
            errors.append(f"browser: {type(exc).__name__}: {exc}")
        finally:
            browser.close()


def test_reads_while_two_writers_run(small_store: Path, tmp_path: Path) -> None:
    path = tmp_path / "store.duckdb"
    shutil.copy(small_store, path)
    for name in ("nightly.csv", "pipeline.toml"):
        shutil.copy(small_store.parent / name, tmp_path / name)

    stop = threading.Event()
    writers = [Writer(path, ["run", "--config", str(tmp_path / "pipeline.toml"), "--quiet"], tmp_path, stop),
               Writer(path, ["mine", "--log", "small", "--quiet"], tmp_path, stop)]
    page_errors: list[str] = []
    pages = [0]
    browser_thread = None
    with _explorer(path, tmp_path) as url:
        if url:
            browser_thread = threading.Thread(target=browse, args=(url, stop, page_errors, pages), daemon=True)
            browser_thread.start()
        for w in writers:
            w.start()
        reads = stale = locked = 0
        deadline = time.monotonic() + SECONDS
        while time.monotonic() < deadline and all(w.is_alive() for w in writers):
            try:
                stale += read_pages(path)
                reads += 1
            except StoreLockedError:
                locked += 1        # the page says "updating" (st.error, no exception)
            except Exception as exc:  # noqa: BLE001 - any other failure of a read is what the test looks for
                page_errors.append(f"read: {type(exc).__name__}: {exc}")
                break
            time.sleep(0.05)
        stop.set()
        for w in writers:
            w.join(timeout=600)
        if browser_thread:
            browser_thread.join(timeout=120)

    failures = [f for w in writers for f in w.failures]
    assert not failures, failures
    assert not page_errors, page_errors
    run_cmd, mine_cmd = writers
    runs = dict(query(path, "SELECT log, count(*) FROM mining_runs GROUP BY log"))
    expected = {"small": mine_cmd.ok, "nightly": run_cmd.ok}
    lost = sum(max(n - runs.get(log, 0), 0) for log, n in expected.items())
    view = explorer_view(path)
    print(f"\nconcurrency {SECONDS}s: {reads} read rounds ({stale} on the last version seen, {locked} locked), "
          f"{pages[0]} browser pages, `run --config` {run_cmd.ok} ok / {run_cmd.busy} busy-retried, "
          f"`mine` {mine_cmd.ok} ok / {mine_cmd.busy} busy-retried, page errors {len(page_errors)}, runs lost {lost}")
    assert run_cmd.ok >= 1 and mine_cmd.ok >= 1, "each writer completes at least once"
    assert lost == 0 and runs == {k: v for k, v in expected.items() if v}, (runs, expected)
    assert all(part[1] for entry in view for part in entry[1:]), view


def _explorer(path: Path, tmp_path: Path):
    """The real explorer serving `path` in the long version (None in the short one); without Chromium or
    Playwright the long version skips, and fails in CI."""
    if not LONG:
        return contextlib.nullcontext(None)
    from axe_chromium import CHROMIUM
    from helpers import require

    try:
        import playwright  # noqa: F401
    except ImportError:
        require(False, "the playwright package (the long concurrency run drives the explorer in Chromium)")
    require(CHROMIUM.exists(), f"{CHROMIUM} (the long concurrency run drives the explorer in Chromium)")
    import test_explorer_browser as tb

    return tb.serving(path, tmp_path / "explorer.log")


def _append_audit_rows(path: str, n: int, done: Any) -> None:
    from datetime import datetime, timezone

    from saksflyt.app import audit
    from saksflyt.extractors import audit_log

    written = 0
    for i in range(n):
        entry = audit_log.AuditEntry(recorded_at=datetime.now(timezone.utc), subject=f"writer-{i}", action="view")
        with contextlib.suppress(StoreLockedError):
            audit.write(path, [entry], retention=365, retry_seconds=10)
            written += 1
    done.put(written)


def test_compaction_never_loses_a_write_that_waited_for_its_lock(small_store: Path, tmp_path: Path) -> None:
    """`drop` compacts the file into a fresh one and swaps it in. A writer that got the lock between the
    old file's close and the swap wrote into the file being replaced: its commit was lost, and the next open
    met "WAL does not match database file". Here a second process appends audit rows while this one
    compacts in a loop: every row a write reported done must be in the store."""
    import multiprocessing

    from saksflyt.extractors import store

    path = tmp_path / "store.duckdb"
    shutil.copy(small_store, path)
    rows = 400 if LONG else 40
    done: multiprocessing.Queue = multiprocessing.get_context("spawn").Queue()
    writer = multiprocessing.get_context("spawn").Process(target=_append_audit_rows, args=(str(path), rows, done))
    writer.start()
    compactions = 0
    while writer.is_alive() or compactions == 0:
        store.compact(path)
        compactions += 1
    writer.join()
    written = done.get(timeout=30)
    stored = query(path, "SELECT count(*) FROM audit_log WHERE subject LIKE 'writer-%'")[0][0]
    print(f"compaction: {compactions} compactions, {written} of {rows} writes done, {stored} stored, "
          f"rows lost {written - stored}")
    assert written > 0 and stored == written
