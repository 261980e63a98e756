"""End to end: `saksflyt explore` serving a real store, driven in headless Chromium with Playwright.

Debian's `chromium` (installed by `make system-deps`) is launched through `executable_path`; Playwright
never downloads a browser. Without Chromium the tests skip, except in CI (env CI=true), where they fail.
"""
from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from axe_chromium import ARGS, CHROMIUM, missing
from helpers import SAMPLES, TEST_KEY

from saksflyt.app.i18n import NBSP
from saksflyt.extractors import store

TIMEOUT_MS = 30_000
ENV = {"SAKSFLYT_PSEUDONYM_KEY": TEST_KEY}


@pytest.fixture(scope="module")
def playwright_api():
    try:
        from playwright.sync_api import expect, sync_playwright
    except ImportError:
        missing("the playwright package")
    if not CHROMIUM.exists():
        missing(str(CHROMIUM))
    expect.set_options(timeout=TIMEOUT_MS)  # the first page of a cold server takes a few seconds
    return sync_playwright, expect


def saksflyt(*args: str) -> list[str]:
    """The installed `saksflyt` command next to this interpreter (or `python -m saksflyt`)."""
    exe = Path(sys.executable).with_name("saksflyt")
    return [str(exe), *args] if exe.exists() else [sys.executable, "-m", "saksflyt", *args]


@pytest.fixture(scope="module")
def base_store(demo_store: Path) -> Path:
    return demo_store


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def serving(path: Path, log_file: Path, cwd: Path | None = None, *, args: tuple[str, ...] = (),
            env: dict[str, str] | None = None, host: str = "127.0.0.1") -> Iterator[str]:
    """`saksflyt explore --store PATH --port N ARGS` (run in `cwd`, with `env` added) in its own process
    group; yields the URL on `host` (a login's redirect URI names `localhost`, and its cookie belongs there)."""
    port = free_port()
    with log_file.open("wb") as log:
        proc = subprocess.Popen(saksflyt("explore", "--store", str(path), "--port", str(port), *args),
                                env={**os.environ, **ENV, **(env or {})}, stdout=log, stderr=subprocess.STDOUT,
                                start_new_session=True, cwd=cwd)
    url = f"http://{host}:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            with contextlib.suppress(OSError):
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=2) as r:
                    if r.read().strip() == b"ok":
                        break
            assert proc.poll() is None, log_file.read_text(errors="replace")
            assert time.monotonic() < deadline, "explorer did not start: " + log_file.read_text(errors="replace")
            time.sleep(0.2)
        yield url
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()


@contextlib.contextmanager
def browser_page(playwright_api) -> Iterator:
    sync_playwright, _ = playwright_api
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        try:
            page = browser.new_page(viewport={"width": 1400, "height": 1100})
            page.set_default_timeout(TIMEOUT_MS)
            yield page
        finally:
            browser.close()


def metric(page, label: str):
    return (page.locator('[data-testid="stMetric"]').filter(has=page.get_by_text(label, exact=True))
            .locator('[data-testid="stMetricValue"]'))


def no_traceback(page) -> None:
    assert page.locator('[data-testid="stException"]').count() == 0


def choose_log(page, name: str) -> None:
    page.get_by_role("combobox", name="Logg").click()
    page.get_by_role("option", name=name, exact=True).click()


def test_explorer_in_chromium(playwright_api, base_store: Path, tmp_path: Path) -> None:
    """Switch pages, move a slider with the keyboard, mark a candidate, read the text shown."""
    _, expect = playwright_api
    path = tmp_path / "store.duckdb"
    shutil.copy(base_store, path)
    with serving(path, tmp_path / "explorer.log") as url, browser_page(playwright_api) as page:
        page.goto(url)
        expect(page.get_by_role("heading", name="Oversikt")).to_be_visible()
        expect(metric(page, "Saker")).to_have_text(f"3{NBSP}000")  # byggesak, the first log
        choose_log(page, "receipt")
        expect(metric(page, "Saker")).to_have_text(f"1{NBSP}434")
        expect(metric(page, "Hendelser")).to_have_text(f"8{NBSP}577")
        expect(metric(page, "Avsluttede saker")).to_have_text(f"1{NBSP}228")
        page.screenshot(path=tmp_path / "overview.png", full_page=True)
        no_traceback(page)

        # the process map: the activity slider, moved with the keyboard
        page.get_by_role("link", name="Prosesskart").click()
        shown = page.locator('[data-testid="stCaptionContainer"]').filter(has_text=re.compile(r"Viser \d+ av"))
        expect(shown).to_contain_text("av 27 aktiviteter")
        slider = page.get_by_role("slider", name="Aktiviteter (%)")
        slider.focus()
        page.keyboard.press("End")
        expect(shown).to_contain_text("Viser 27 av 27 aktiviteter")
        page.keyboard.press("Home")
        expect(shown).to_contain_text("Viser 2 av 27 aktiviteter")
        expect(page.locator('svg[aria-labelledby="process-map-title process-map-desc"]')).to_be_visible()
        page.screenshot(path=tmp_path / "process_map.png", full_page=True)
        no_traceback(page)

        # variants and bottlenecks draw their tables
        page.get_by_role("link", name="Varianter").click()
        expect(page.get_by_text(re.compile(r"116 varianter i 1\s434 saker"))).to_be_visible()
        page.get_by_role("link", name="Flaskehalser og omarbeid").click()
        expect(page.get_by_role("heading", name="Flaskehalser og omarbeid")).to_be_visible()
        no_traceback(page)

        # the automation backlog: mark the first candidate rejected with a comment
        page.get_by_role("link", name="Automatiseringskandidater").click()
        expect(page.get_by_role("heading", name="Automatiseringskandidater")).to_be_visible()
        page.get_by_text("avvist", exact=True).first.click()
        page.get_by_label("Kommentar").fill("Krever faglig skjønn")
        page.get_by_role("button", name="Lagre vurdering").click()
        expect(page.get_by_text(re.compile(r"^Lagret: avvist"))).to_be_visible()
        expect(page.get_by_text("Nåværende vurdering: avvist", exact=False)).to_be_visible()
        page.screenshot(path=tmp_path / "backlog.png", full_page=True)
        no_traceback(page)

    with store.read(path) as con:
        rows = con.execute("SELECT decision, comment FROM app_marks WHERE log = 'receipt'").fetchall()
    assert rows == [("rejected", "Krever faglig skjønn")]
    assert (tmp_path / "backlog.png").stat().st_size > 10_000


def first_cases(source: Path, target: Path, n: int) -> int:
    """The rows of the first `n` cases of receipt.csv (a small log mines in seconds); returns the row count."""
    lines = source.read_text(encoding="utf-8").splitlines(keepends=True)
    cases: set[str] = set()
    kept = [lines[0]]
    for line in lines[1:]:
        case = line.split(",")[1]
        if case in cases or len(cases) < n:
            cases.add(case)
            kept.append(line)
    target.write_text("".join(kept), encoding="utf-8")
    return len(kept) - 1


def test_new_runs_appear_while_serving(playwright_api, base_store: Path, tmp_path: Path) -> None:
    """`saksflyt ingest` and `saksflyt mine` write while the explorer reads; a refresh shows the new run."""
    _, expect = playwright_api
    path = tmp_path / "store.duckdb"
    shutil.copy(base_store, path)
    small = tmp_path / "receipt_2024.csv"
    events = first_cases(SAMPLES / "receipt.csv", small, 150)
    with serving(path, tmp_path / "explorer.log") as url, browser_page(playwright_api) as page:
        page.goto(url)
        choose_log(page, "receipt")
        expect(metric(page, "Saker")).to_have_text(f"1{NBSP}434")
        expect(page.get_by_text(re.compile(r"^Analyse nr\. 1 ·"))).to_be_visible()

        # the writers run while the page keeps reloading, so reads and writes interleave
        writers = [
            saksflyt("--store", str(path), "ingest", str(small), "--log", "receipt_2024", "--quiet"),
            saksflyt("--store", str(path), "mine", "--log", "receipt_2024", "--quiet"),
        ]
        env = {**os.environ, **ENV}
        for cmd in writers:
            proc = subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
            while proc.poll() is None:
                page.reload()
                expect(page.get_by_role("heading", name="Oversikt")).to_be_visible()
                no_traceback(page)
                time.sleep(1.0)
            out = proc.stdout.read().decode(errors="replace")
            assert proc.returncode == 0, out

        page.reload()
        choose_log(page, "receipt_2024")
        expect(page.get_by_text(re.compile(r"^Analyse nr\. 1 ·"))).to_be_visible()
        expect(metric(page, "Saker")).to_have_text("150")
        expect(metric(page, "Hendelser")).to_have_text(f"{events:,}".replace(",", NBSP))
        page.get_by_role("link", name="Varianter").click()
        expect(page.get_by_text(re.compile(r"\d+ varianter i 150 saker"))).to_be_visible()
        page.screenshot(path=tmp_path / "after_new_run.png", full_page=True)
        no_traceback(page)


def test_a_folder_with_app_py_and_mining_py_does_not_shadow_saksflyt(playwright_api, base_store: Path,
                                                                      tmp_path: Path) -> None:
    """Issue 19: a usual Streamlit or Flask project folder (or notebook folder) holds `app.py`, `mining.py`,
    `extractors/` and `automation_scoring.py`, and Python, Streamlit and Jupyter put the working folder first on
    `sys.path`. Saksflyt installs everything beneath `saksflyt`, so none of them is imported: each would exit."""
    _, expect = playwright_api
    folder = tmp_path / "prosjekt"
    (folder / "extractors").mkdir(parents=True)
    for clash in ("app.py", "mining.py", "automation_scoring.py", "extractors/__init__.py"):
        (folder / clash).write_text(f"raise SystemExit('the user\\'s {clash} was imported')\n", encoding="utf-8")
    env = {**os.environ, **ENV}

    imported = subprocess.run([sys.executable, "-c", "import saksflyt, saksflyt.app.cli, saksflyt.mining.run; "
                               "print(saksflyt.__version__, saksflyt.mining.run.__name__)"],
                              cwd=folder, env=env, capture_output=True, text=True, timeout=120)
    assert imported.returncode == 0, imported.stderr
    assert imported.stdout.split() == [__import__("saksflyt").__version__, "saksflyt.mining.run"]

    rows = first_cases(SAMPLES / "receipt.csv", folder / "receipt.csv", 40)
    mined = subprocess.run(saksflyt("mine", "receipt.csv", "--out", "out", "--quiet"), cwd=folder, env=env,
                           capture_output=True, text=True, timeout=300)
    assert mined.returncode == 0, mined.stderr
    summary = json.loads((folder / "out" / "summary.json").read_text(encoding="utf-8"))
    assert (summary["cases"], summary["events"]) == (40, rows)

    with serving(base_store, tmp_path / "explorer.log", cwd=folder) as url, browser_page(playwright_api) as page:
        page.goto(url)
        expect(page.get_by_role("heading", name="Oversikt")).to_be_visible()
        expect(metric(page, "Saker")).to_have_text(f"3{NBSP}000")
        no_traceback(page)
    assert "was imported" not in (tmp_path / "explorer.log").read_text(errors="replace")
