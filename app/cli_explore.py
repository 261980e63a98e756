"""`saksflyt explore`: serve the Streamlit explorer (`app/explorer.py`) over the store.

Streamlit runs as `python -m streamlit run` with the same interpreter, headless, without usage
statistics, bound to 127.0.0.1 unless told otherwise; the store is passed in env SAKSFLYT_STORE.
Any other address than loopback is refused without a login, unless `--no-auth` (`explore_bind`).
`--config FILE` with `[auth]` and `[access]` turns the login on (`app.access`, `app.explore_auth`): the
secrets Streamlit's `st.login` needs go to a private temporary file, removed when the server stops, so
then the command stays the parent of the Streamlit process and forwards Ctrl+C and SIGTERM to it. Without
a login the command becomes the Streamlit process (exec, on POSIX), so stopping it stops the server.
"""
from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import tempfile
from pathlib import Path

import click

from saksflyt.app.cli_common import current_store, err, store_option
from saksflyt.app import audit, explore_auth
from saksflyt.app.explore_bind import check_bind
from saksflyt.extractors import store
from saksflyt.extractors.errors import InputError

EXPLORER = Path(__file__).resolve().with_name("explorer.py")


def streamlit_command(*, port: int, host: str) -> list[str]:
    """The command line that serves the explorer."""
    return [
        sys.executable, "-m", "streamlit", "run", str(EXPLORER),
        "--server.port", str(port),
        "--server.address", host,
        "--server.headless", "true",
        "--server.fileWatcherType", "none",
        "--server.runOnSave", "false",
        "--browser.gatherUsageStats", "false",
        "--global.developmentMode", "false",
        "--client.toolbarMode", "minimal",
        "--theme.base", "light",
    ]


def _serve_guarded(cmd: list[str], env: dict[str, str], folder: Path) -> int:
    """Run Streamlit as a child, forward the stop signals, and remove the secrets folder however it ends."""
    try:
        child = subprocess.Popen(cmd, env=env)

        def forward(signum: int, _frame: object) -> None:
            child.send_signal(signum)

        previous = {sig: signal.signal(sig, forward) for sig in (signal.SIGINT, signal.SIGTERM)}
        try:
            return child.wait()
        finally:
            for sig, handler in previous.items():
                signal.signal(sig, handler)
            if child.poll() is None:
                child.terminate()
                child.wait()
    finally:
        shutil.rmtree(folder, ignore_errors=True)


@click.command("explore")
@click.option("--port", default=8501, show_default=True, type=click.IntRange(1, 65535), help="Port to serve on.")
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to bind; one other than loopback (127.0.0.1, ::1, localhost) needs a login "
                   "(--config with [auth]) or --no-auth.")
@click.option("--config", "config_file", type=click.Path(dir_okay=False, path_type=Path),
              help="TOML file whose [auth] (OpenID Connect: issuer, client_id; the client secret from the "
                   "variable client_secret_env names) and [[access.grant]] (groups or subjects, logs, role "
                   "reader/owner/admin) make people log in and see only their logs.")
@click.option("--no-auth", "no_auth", is_flag=True,
              help="Serve on a non-loopback --host without a login: anyone who reaches it sees every log.")
@store_option
@click.pass_context
def explore_cmd(ctx: click.Context, port: int, host: str, config_file: Path | None, no_auth: bool) -> None:
    """Open the explorer in the browser: overview, process map, variants, bottlenecks, automation backlog,
    open cases at risk of missing their deadline."""
    config = explore_auth.load(config_file)
    if config.auth is not None and no_auth:
        raise InputError("--no-auth contradicts the login its [auth] table sets up; drop one of them",
                         file=str(config_file))
    secrets = (explore_auth.streamlit_secrets(config.auth, host=host, port=port, file=str(config_file))
               if config.auth is not None else None)
    warning = check_bind(host, no_auth=no_auth, config=config.raw)
    if warning:
        err.print(warning, markup=False)
    target = store.store_path(current_store(ctx)).resolve()
    if not target.exists():
        err.print(f"{target}: no store yet; the explorer will say how to load a log "
                  "(`saksflyt ingest FILE --log NAME`)", markup=False)
    env = {**os.environ, "SAKSFLYT_STORE": str(target), "STREAMLIT_BROWSER_GATHER_USAGE_STATS": "false"}
    env.pop(explore_auth.LOGIN_ENV, None)
    if config.raw is not None and audit.use_config(config.raw, file=str(config_file)) is not None:
        env.setdefault(audit.RETENTION_ENV, str(audit.retention_days()))   # the server's audit rows keep to it
    cmd = streamlit_command(port=port, host=host)
    folder = None
    if config.auth is not None:
        folder = Path(tempfile.mkdtemp(prefix="saksflyt-explore-"))
        cmd += ["--secrets.files", str(explore_auth.write_private(folder, secrets))]
        env[explore_auth.LOGIN_ENV] = "1"
        env[explore_auth.CONFIG_ENV] = str(config_file.resolve())
    err.print(f"Saksflyt explorer: http://{'localhost' if host in ('127.0.0.1', 'localhost') else host}:{port} "
              f"(store {target}"
              + (f"; login through {config.auth.issuer}" if config.auth else "")
              + "; Ctrl+C stops it)", markup=False)
    sys.stderr.flush()
    sys.stdout.flush()
    if folder is not None:
        ctx.exit(_serve_guarded(cmd, env, folder))
    if os.name == "posix":
        os.execve(sys.executable, cmd, env)
    try:
        ctx.exit(subprocess.call(cmd, env=env))
    except KeyboardInterrupt:
        ctx.exit(0)
