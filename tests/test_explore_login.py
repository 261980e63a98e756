"""The explorer as a shared service: OpenID Connect login and per-log access, end to end.

A real OpenID provider (`oidc-provider-mock`, started here on a free port) issues the tokens; `saksflyt explore
--config` serves the demo store (logs `byggesak` and `receipt`) with `[auth]` and `[[access.grant]]`; headless
Chromium logs in as four people through the provider's own form:

  alice    group byggesak-lesere   reader of byggesak
  bob      group kvittering-eiere  owner of receipt
  revisor  subject granted admin   every log, and the audit page
  mallory  no group                nothing

Each sees only their log (the sidebar, the pages, a `?log=` URL for the other log and the audit page's URL
refuse), and the audit trail holds every view and every refusal under the token's subject.
"""
from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import pytest
from axe_chromium import ARGS, CHROMIUM, missing
from helpers import skip_or_fail
from test_explorer_a11y import axe, settle
from test_explorer_browser import free_port, metric, no_traceback, serving

from saksflyt.app.i18n import NBSP
from saksflyt.extractors import store

# the provider mock uses Authlib APIs Authlib has deprecated: their warnings, not ours
pytestmark = [pytest.mark.filterwarnings("ignore::DeprecationWarning:authlib.*"),
              pytest.mark.filterwarnings("ignore::authlib.deprecate.AuthlibDeprecationWarning")]
TIMEOUT_MS = 30_000
SECRET_ENV = "SAKSFLYT_TEST_OIDC_SECRET"
USERS = {"alice": ["byggesak-lesere"], "bob": ["kvittering-eiere", "andre"], "revisor": [], "mallory": ["kantina"]}
CONFIG = """
[auth]
issuer = "{issuer}"
client_id = "saksflyt-test"
client_secret_env = "{secret_env}"

[[access.grant]]
groups = ["byggesak-lesere"]
logs = ["byggesak"]
role = "reader"

[[access.grant]]
groups = ["kvittering-eiere"]
logs = ["rec*"]
role = "owner"

[[access.grant]]
subjects = ["revisor"]
role = "admin"
"""


@pytest.fixture(scope="module")
def chromium():
    try:
        from playwright.sync_api import expect, sync_playwright
    except ImportError:
        missing("the playwright package")
    if not CHROMIUM.exists():
        missing(str(CHROMIUM))
    expect.set_options(timeout=TIMEOUT_MS)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        try:
            yield browser, expect
        finally:
            browser.close()


@pytest.fixture(scope="module")
def provider() -> Iterator[str]:
    """The OpenID provider, with each person's groups as a claim of their ID token."""
    try:
        import httpx
        import oidc_provider_mock
    except ImportError as exc:
        skip_or_fail(f"oidc-provider-mock is not installed ({exc}); `make test` installs it")
    with oidc_provider_mock.run_server_in_thread(port=free_port()) as server:
        issuer = f"http://localhost:{server.server_port}"
        for sub, groups in USERS.items():
            answer = httpx.put(f"{issuer}/users/{quote(sub)}", json={"groups": groups})
            assert answer.status_code == 204, answer.text
        yield issuer


def log_in(browser, expect, url: str, sub: str, *, check_axe: bool = False):
    """A fresh browser context (its own cookies), logged in as `sub` through the provider's form; with
    `check_axe`, the login page must pass axe-core (WCAG 2.1 AA) first."""
    context = browser.new_context(viewport={"width": 1400, "height": 1100})
    page = context.new_page()
    page.set_default_timeout(TIMEOUT_MS)
    page.goto(url)
    expect(page.get_by_role("heading", name="Logg inn")).to_be_visible()
    assert page.locator('[data-testid="stMetric"]').count() == 0   # nothing of a log before the login
    if check_axe:
        settle(page)
        assert axe(page) == []
        expect(page.get_by_text("English", exact=True)).to_be_visible()   # the language choice, before the login
    page.get_by_role("button", name="Logg inn").click()
    page.get_by_placeholder("sub").fill(sub)
    page.get_by_role("button", name="Authorize").click()
    page.wait_for_url(re.compile(re.escape(url)))
    return context, page


def log_options(page) -> list[str]:
    page.get_by_role("combobox", name="Logg").click()
    options = page.get_by_role("option").all_inner_texts()
    page.keyboard.press("Escape")
    return options


def test_two_people_see_only_their_own_log_and_the_trail_holds_it(chromium, provider: str, demo_store: Path,
                                                                   tmp_path: Path) -> None:
    browser, expect = chromium
    path = tmp_path / "store.duckdb"
    shutil.copy(demo_store, path)
    config = tmp_path / "saksflyt.toml"
    config.write_text(CONFIG.format(issuer=provider, secret_env=SECRET_ENV), encoding="utf-8")
    with serving(path, tmp_path / "explorer.log", args=("--config", str(config)),
                 env={SECRET_ENV: "test-client-secret"}, host="localhost") as url:
        # alice reads byggesak, and only byggesak
        context, page = log_in(browser, expect, url, "alice", check_axe=True)
        expect(page.get_by_role("heading", name="Oversikt")).to_be_visible()
        expect(metric(page, "Saker")).to_have_text(f"3{NBSP}000")
        expect(page.get_by_text("Innlogget som alice")).to_be_visible()
        expect(page.get_by_text("Rolle i «byggesak»: leser")).to_be_visible()
        assert log_options(page) == ["byggesak"]
        assert page.get_by_role("link", name="Revisjonslogg").count() == 0
        page.get_by_role("link", name="Automatiseringskandidater").click()
        expect(page.get_by_text("Du kan lese denne loggen, men ikke merke kandidater", exact=False)).to_be_visible()
        expect(page.get_by_role("button", name="Lagre vurdering")).to_be_disabled()
        # a download is an export in the trail
        page.get_by_role("link", name="Prosesskart").click()
        with page.expect_download() as download:
            page.get_by_role("button", name="Kart (DOT)").click()
        assert download.value.suggested_filename == "byggesak_process_map.dot"
        # a direct URL to the other log, and to the audit page, are refused
        page.goto(f"{url}/?log=receipt")
        expect(page.get_by_text("Du har ikke tilgang til loggen «receipt»", exact=False)).to_be_visible()
        assert page.locator('[data-testid="stMetric"]').count() == 0
        settle(page)
        assert axe(page) == []
        page.goto(f"{url}/variants?log=receipt")
        expect(page.get_by_text("Du har ikke tilgang til loggen «receipt»", exact=False)).to_be_visible()
        expect(page.get_by_text("116 varianter", exact=False)).to_have_count(0)
        page.goto(f"{url}/audit")
        expect(page.get_by_text("Denne siden er bare for administratorer", exact=False)).to_be_visible()
        assert page.locator('[data-testid="stDataFrame"]').count() == 0
        page.goto(f"{url}/?log=byggesak")   # her own log by URL works
        expect(metric(page, "Saker")).to_have_text(f"3{NBSP}000")
        no_traceback(page)
        context.close()

        # bob owns receipt: sees it, marks a candidate, and is refused byggesak
        context, page = log_in(browser, expect, url, "bob")
        expect(metric(page, "Saker")).to_have_text(f"1{NBSP}434")
        assert log_options(page) == ["receipt"]
        page.get_by_role("link", name="Automatiseringskandidater").click()
        page.get_by_text("avvist", exact=True).first.click()
        page.get_by_role("button", name="Lagre vurdering").click()
        expect(page.get_by_text(re.compile(r"^Lagret: avvist"))).to_be_visible()
        page.goto(f"{url}/process-map?log=byggesak")
        expect(page.get_by_text("Du har ikke tilgang til loggen «byggesak»", exact=False)).to_be_visible()
        no_traceback(page)
        context.close()

        # someone the config grants nothing sees nothing
        context, page = log_in(browser, expect, url, "mallory")
        expect(page.get_by_text("men har ikke tilgang til noen logg", exact=False)).to_be_visible()
        assert page.locator('[data-testid="stMetric"]').count() == 0
        context.close()

        # the admin sees both logs and the trail, with the others' views and refusals in it
        context, page = log_in(browser, expect, url, "revisor")
        assert log_options(page) == ["byggesak", "receipt"]
        page.get_by_role("link", name="Revisjonslogg").click()
        expect(page.get_by_role("heading", name="Revisjonslogg")).to_be_visible()
        expect(page.locator('[data-testid="stDataFrame"]')).to_be_visible()
        no_traceback(page)
        context.close()

    with store.read(path) as con:
        trail = con.execute("SELECT subject, action, log_name, what FROM audit_log "
                            "WHERE subject IN ('alice', 'bob', 'mallory', 'revisor')").fetchall()
        marks = con.execute("SELECT log, decision, author FROM app_marks").fetchall()
    seen = {(s, a, lg, w) for s, a, lg, w in trail}
    assert ("alice", "view", "byggesak", "overview") in seen
    assert ("alice", "view", "byggesak", "backlog") in seen
    assert ("alice", "export", "byggesak", "byggesak_process_map.dot") in seen
    assert ("alice", "refused", "receipt", "log") in seen
    assert ("alice", "refused", None, "audit") in seen
    assert ("bob", "view", "receipt", "overview") in seen
    assert ("bob", "mark", "receipt", ) == next((s, a, lg) for s, a, lg, _ in trail if a == "mark")
    assert ("bob", "refused", "byggesak", "log") in seen
    assert ("mallory", "refused", None, "login") in seen
    assert ("revisor", "view", "byggesak", "audit") in seen
    # nobody but the admin and bob ever viewed receipt; alice never a page of it
    assert {s for s, a, lg, _ in trail if a == "view" and lg == "receipt"} <= {"bob", "revisor"}
    assert not any(s == "mallory" and a == "view" for s, a, _, _ in trail)
    assert marks == [("receipt", "rejected", "bob")]
