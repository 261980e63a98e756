"""The audit trail: the CLI's ingest, mine and drop, the explorer's page views and marks, `saksflyt audit`,
and retention. One tiny log, loaded and mined once for the module; tests that write copy its store."""
from __future__ import annotations

import json
import shutil
import subprocess
import sys
import textwrap
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import pytest
from helpers import invoke, pseudonym_key, query
from page_checks import ok, open_explorer

from saksflyt.app import audit, marks
from saksflyt.extractors import audit_log, store


HOLD_LOCK = textwrap.dedent("""
    import sys, time, duckdb
    con = duckdb.connect(sys.argv[1])
    con.execute("BEGIN TRANSACTION")
    print("locked", flush=True)
    time.sleep(60)
""")


def _tiny_log(path: Path) -> Path:
    """40 cases of three steps: enough to mine, small enough to stay quick."""
    lines = ["case_id,activity,timestamp,resource"]
    for c in range(40):
        start = datetime(2024, 1, 1, 9, tzinfo=timezone.utc) + timedelta(days=c)
        for i, act in enumerate(("Mottatt", "Behandlet" if c % 3 else "Vurdert", "Avsluttet")):
            lines.append(f"c{c},{act},{(start + timedelta(hours=5 * i)).isoformat()},r{(c + i) % 4}")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.fixture(autouse=True)
def alice(monkeypatch: pytest.MonkeyPatch) -> None:
    """The OS user is `alice` for every test, whoever runs the suite."""
    monkeypatch.setattr(audit.getpass, "getuser", lambda: "alice")
    monkeypatch.delenv(audit.RETENTION_ENV, raising=False)


@pytest.fixture(scope="module")
def mined(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("audit")
    path = folder / "store.duckdb"
    source = _tiny_log(folder / "t.csv")
    with pytest.MonkeyPatch.context() as mp, pseudonym_key():
        mp.setattr(audit.getpass, "getuser", lambda: "alice")
        for args in (["ingest", str(source), "--log", "t", "--quiet"], ["mine", "--log", "t", "--quiet"]):
            result = invoke(path, *args)
            assert result.exit_code == 0, result.output
    return path


def _copy(mined: Path, tmp_path: Path) -> Path:
    path = tmp_path / "store.duckdb"
    shutil.copy(mined, path)
    return path


def _trail(path: Path, *args: str) -> list[dict]:
    result = invoke(path, "audit", "--json", *args)
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_cli_ingest_mine_export_and_drop_are_audited_with_the_os_user(mined: Path, tmp_path: Path) -> None:
    path = _copy(mined, tmp_path)
    exported = invoke(path, "export", str(tmp_path / "t.csv"), "--log", "t")
    assert exported.exit_code == 0, exported.output
    result = invoke(path, "drop", "--log", "t")
    assert result.exit_code == 0, result.output
    rows = _trail(path)
    print("audit rows:", len(rows))
    assert [(r["subject"], r["action"], r["log_name"]) for r in rows] == [
        ("os:alice", "ingest", "t"), ("os:alice", "mine", "t"), ("os:alice", "export", "t"),
        ("os:alice", "drop", "t")]
    assert rows[0]["what"] == "new" and rows[1]["what"] == "run 1" and rows[2]["what"] == "t.csv (csv)"
    assert rows[3]["what"] == "120 events"
    assert query(path, "SELECT count(*) FROM events")[0][0] == 0      # the log is gone, its trail is not


def test_audit_filters_by_log_and_since(mined: Path, tmp_path: Path) -> None:
    path = _copy(mined, tmp_path)
    today = date.today().isoformat()
    rows = _trail(path, "--log", "t", "--since", today)
    assert [r["action"] for r in rows] == ["ingest", "mine"]
    assert rows[0]["recorded_at"].startswith(datetime.now(timezone.utc).date().isoformat()) and rows[0]["recorded_at"].endswith("Z")
    assert _trail(path, "--log", "other") == []
    assert _trail(path, "--since", (date.today() + timedelta(days=2)).isoformat()) == []
    bad = invoke(path, "audit", "--since", "yesterday")
    assert bad.exit_code == 2 and "--since: not a date" in bad.stderr
    table = invoke(path, "audit", "--log", "t")
    assert table.exit_code == 0 and "os:alice" in table.stdout and "ingest" in table.stdout


def test_a_page_view_is_audited_once_per_page_and_log(mined: Path, tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    path = _copy(mined, tmp_path)
    at = ok(open_explorer(monkeypatch, path, log="t", page="app_pages/variants.py"))
    at.run()                                 # a rerun of the same page and log is the same view
    ok(at.switch_page("app_pages/audit.py").run())
    assert [t.value for t in at.title] == ["Revisjonslogg"]
    shown = at.dataframe[0].value
    assert set(shown["Handling"]) >= {"så siden", "lastet inn", "analyserte"}
    views = query(path, "SELECT subject, log_name, what FROM audit_log WHERE action = 'view' ORDER BY recorded_at")
    print("page views audited:", len(views))
    assert views == [("os:alice", "t", "overview"), ("os:alice", "t", "variants"), ("os:alice", "t", "audit")]
    at.multiselect(key="audit_actions").set_value(["mine"]).run()   # the page's filters
    assert ok(at).dataframe[0].value["Handling"].tolist() == ["analyserte"]


def test_an_audit_write_on_a_locked_store_warns_and_gives_up(mined: Path, tmp_path: Path,
                                                                 caplog: pytest.LogCaptureFixture) -> None:
    path = _copy(mined, tmp_path)
    holder = subprocess.Popen([sys.executable, "-c", HOLD_LOCK, str(path)], stdout=subprocess.PIPE, text=True)
    try:                                   # another process writes: the audit write gives up quickly
        assert holder.stdout.readline().strip() == "locked"
        assert not audit.record(path, action="view", log_name="t", what="overview", retry_seconds=0.1)
    finally:
        holder.kill()
        holder.wait()
    assert "audit trail: could not record view" in caplog.text
    assert not audit.record(tmp_path / "none.duckdb", action="view")   # never creates a store
    assert not (tmp_path / "none.duckdb").exists()


def test_a_mark_records_its_author_and_an_audit_row(tmp_path: Path) -> None:
    path = tmp_path / "m.duckdb"
    store.ensure_store(path)
    marks.save(path, log_name="l", candidate_id="automate:A", activities=["A"], kind="automate", decision="accepted",
               author="oidc:4f2a")
    marks.save(path, log_name="l", candidate_id="automate:B", activities=["B"], kind="automate", decision="rejected")
    assert query(path, "SELECT candidate_id, author FROM app_marks ORDER BY 1") == [
        ("automate:A", "oidc:4f2a"), ("automate:B", "os:alice")]
    assert query(path, "SELECT subject, action, log_name, what, detail FROM audit_log ORDER BY recorded_at") == [
        ("oidc:4f2a", "mark", "l", "automate:A", "accepted"), ("os:alice", "mark", "l", "automate:B", "rejected")]


def test_retention_deletes_old_rows_when_new_ones_are_written(tmp_path: Path,
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "r.duckdb"
    store.ensure_store(path)
    now = datetime.now(timezone.utc)
    old = [audit_log.AuditEntry(recorded_at=now - timedelta(days=d), subject="os:bob", action="view", what=f"{d}d")
           for d in (400, 40, 1)]
    audit.write(path, old, retention=1000)
    monkeypatch.setenv(audit.RETENTION_ENV, "30")
    assert audit.record(path, action="view", what="now")
    assert [r[0] for r in query(path, "SELECT what FROM audit_log ORDER BY recorded_at")] == ["1d", "now"]
    assert audit.retention_days({"audit": {"retention_days": 7}}) == 30           # the env var wins
    monkeypatch.delenv(audit.RETENTION_ENV)
    assert audit.retention_days({"audit": {"retention_days": 7}}) == 7
    assert audit.retention_days() == audit.DEFAULT_RETENTION_DAYS
    monkeypatch.setenv(audit.RETENTION_ENV, "0")
    with pytest.raises(audit.InputError, match="at least 1 day"):
        audit.retention_days()



def test_a_config_files_retention_holds_for_mine_and_the_environment_still_wins(mined: Path, tmp_path: Path,
                                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    path = _copy(mined, tmp_path)
    monkeypatch.delenv(audit.RETENTION_ENV, raising=False)
    monkeypatch.setattr(audit, "_CONFIGURED_DAYS", None)   # restored after the test: `use_config` sets it per process
    now = datetime.now(timezone.utc)
    audit.write(path, [audit_log.AuditEntry(recorded_at=now - timedelta(days=10), subject="os:bob", action="view",
                                            what="old")], retention=1000)
    config = tmp_path / "saksflyt.toml"
    config.write_text('[audit]\nretention_days = 5\n\n[logs.t]\nexternal = []\n', encoding="utf-8")
    result = invoke(path, "mine", "--log", "t", "--config", str(config), "--quiet")
    assert result.exit_code == 0, result.output
    assert query(path, "SELECT count(*) FROM audit_log WHERE what = 'old'")[0][0] == 0
    assert audit.retention_days() == 5
    monkeypatch.setenv(audit.RETENTION_ENV, "400")
    assert audit.retention_days() == 400
    config.write_text('[audit]\nretention_days = "a week"\n', encoding="utf-8")
    bad = invoke(path, "mine", "--log", "t", "--config", str(config), "--quiet")
    assert bad.exit_code == 2 and "[audit] retention_days: not a whole number of days" in bad.stderr
