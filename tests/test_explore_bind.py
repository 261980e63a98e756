"""Issue 22, bind safely: without a login the explorer listens on loopback only, unless `--no-auth`; with a
login (`--config` with [auth] and [[access.grant]]) it may listen on the network."""
from __future__ import annotations

import os

import pytest
from click.testing import CliRunner

from helpers import run
from saksflyt.app import cli_explore
from saksflyt.app.cli import main
from saksflyt.app.explore_bind import auth_configured, is_loopback


@pytest.mark.parametrize("host", ["127.0.0.1", "127.8.9.1", "::1", "[::1]", "localhost", "LocalHost",
                                  "::ffff:127.0.0.1"])
def test_loopback_addresses(host):
    assert is_loopback(host)


@pytest.mark.parametrize("host", ["0.0.0.0", "::", "10.0.0.5", "192.168.1.20", "explorer.kommune.no", ""])
def test_other_addresses_are_not_loopback(host):
    assert not is_loopback(host)


def test_a_login_is_an_auth_table():
    assert auth_configured() is False and auth_configured(config={"logs": {}}) is False
    assert auth_configured(config={"auth": {"issuer": "https://login.example.no", "client_id": "x"}}) is True


class Started(Exception):
    """Stands in for the exec of Streamlit: the command line is captured instead."""


@pytest.fixture
def exec_caught(monkeypatch):
    """os.execve (and subprocess.call off POSIX) record the command instead of starting a server."""
    seen: list[list[str]] = []

    def fake(_exe, cmd, _env=None):
        seen.append(list(cmd))
        raise Started

    monkeypatch.setattr(cli_explore.os, "execve", fake)
    monkeypatch.setattr(cli_explore.subprocess, "call", lambda cmd, env=None: fake(None, cmd))
    monkeypatch.setattr(cli_explore.subprocess, "Popen", lambda cmd, env=None: fake(None, cmd, env))
    return seen


@pytest.mark.parametrize("host", ["0.0.0.0", "10.1.2.3", "::", "explorer.kommune.no"])
def test_a_network_address_without_login_refuses_to_start(tmp_path, exec_caught, host):
    code, out, err = run(tmp_path / "s.duckdb", "explore", "--host", host)
    lines = err.strip().splitlines()
    assert code == 2 and out == "" and exec_caught == []
    assert len(lines) == 1 and lines[0].startswith(f"saksflyt: error: refusing to serve the explorer on {host}")
    assert "--no-auth" in lines[0]


def start(tmp_path, *args: str):
    """`saksflyt explore ARGS` up to the point it would become Streamlit."""
    result = CliRunner().invoke(main, ["--store", str(tmp_path / "s.duckdb"), "explore", *args])
    assert isinstance(result.exception, Started), result.output
    return result


def test_no_auth_starts_it_on_that_address_with_a_warning(tmp_path, exec_caught):
    result = start(tmp_path, "--host", "0.0.0.0", "--port", "8600", "--no-auth")
    cmd = exec_caught[0]
    assert cmd[cmd.index("--server.address") + 1] == "0.0.0.0" and cmd[cmd.index("--server.port") + 1] == "8600"
    assert "warning: serving the explorer on 0.0.0.0 without a login (--no-auth)" in " ".join(result.stderr.split())
    assert result.stdout == ""


def test_the_default_stays_loopback_and_quiet(tmp_path, exec_caught):
    result = start(tmp_path)
    cmd = exec_caught[0]
    assert cmd[cmd.index("--server.address") + 1] == "127.0.0.1"
    assert "warning" not in result.stderr


LOGIN = """
[auth]
issuer = "https://login.example.no/tenant/v2.0"
client_id = "saksflyt"
client_secret_env = "TEST_SAKSFLYT_SECRET"

[[access.grant]]
groups = ["byggesak-lesere"]
logs = ["byggesak"]
role = "reader"
"""


def test_with_a_login_a_network_address_is_served_and_the_secret_stays_private(tmp_path, exec_caught, monkeypatch):
    monkeypatch.setenv("TEST_SAKSFLYT_SECRET", "s3cret")
    config = tmp_path / "saksflyt.toml"
    config.write_text(LOGIN, encoding="utf-8")
    result = start(tmp_path, "--host", "0.0.0.0", "--port", "8600", "--config", str(config))
    cmd = exec_caught[0]
    assert cmd[cmd.index("--server.address") + 1] == "0.0.0.0" and "warning" not in result.stderr
    assert "login through https://login.example.no/tenant/v2.0" in " ".join(result.stderr.split())
    assert "s3cret" not in result.output
    secrets = cmd[cmd.index("--secrets.files") + 1]
    assert not os.path.exists(secrets)   # removed when the server stopped (here: failed to start)


@pytest.mark.parametrize(("extra", "env", "message"), [
    ("", {}, "the client secret is read from the environment variable TEST_SAKSFLYT_SECRET, which is not set"),
    ("--no-auth", {"TEST_SAKSFLYT_SECRET": "x"}, "--no-auth contradicts the login"),
])
def test_a_login_that_cannot_work_refuses_to_start(tmp_path, exec_caught, monkeypatch, extra, env, message):
    monkeypatch.delenv("TEST_SAKSFLYT_SECRET", raising=False)
    for k, v in env.items():
        monkeypatch.setenv(k, v)
    config = tmp_path / "saksflyt.toml"
    config.write_text(LOGIN, encoding="utf-8")
    code, out, err = run(tmp_path / "s.duckdb", "explore", "--host", "0.0.0.0", "--config", str(config),
                         *([extra] if extra else []))
    lines = err.strip().splitlines()
    assert code == 2 and exec_caught == [] and len(lines) == 1 and message in lines[0], err
