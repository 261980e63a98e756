"""`saksflyt explore`: serve the Streamlit explorer (`app/explorer.py`) over the store.

Streamlit runs as `python -m streamlit run` with the same interpreter, headless, without usage
statistics, bound to 127.0.0.1 unless told otherwise; the store is passed in env SAKSFLYT_STORE.
Any other address than loopback is refused while there is no login, unless `--no-auth` (`explore_bind`).
On POSIX the command becomes the Streamlit process (exec), so stopping it stops the server.
"""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import click

from saksflyt.app.cli_common import current_store, err, store_option
from saksflyt.app.explore_bind import check_bind
from saksflyt.extractors import store

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


@click.command("explore")
@click.option("--port", default=8501, show_default=True, type=click.IntRange(1, 65535), help="Port to serve on.")
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to bind; one other than loopback (127.0.0.1, ::1, localhost) is refused "
                   "without --no-auth, as there is no login.")
@click.option("--no-auth", "no_auth", is_flag=True,
              help="Serve on a non-loopback --host without a login: anyone who reaches it sees every log.")
@store_option
@click.pass_context
def explore_cmd(ctx: click.Context, port: int, host: str, no_auth: bool) -> None:
    """Open the explorer in the browser: overview, process map, variants, bottlenecks, automation backlog,
    open cases at risk of missing their deadline."""
    warning = check_bind(host, no_auth=no_auth)
    if warning:
        err.print(warning, markup=False)
    target = store.store_path(current_store(ctx)).resolve()
    if not target.exists():
        err.print(f"{target}: no store yet; the explorer will say how to load a log "
                  "(`saksflyt ingest FILE --log NAME`)", markup=False)
    env = {**os.environ, "SAKSFLYT_STORE": str(target), "STREAMLIT_BROWSER_GATHER_USAGE_STATS": "false"}
    cmd = streamlit_command(port=port, host=host)
    err.print(f"Saksflyt explorer: http://{'localhost' if host in ('127.0.0.1', 'localhost') else host}:{port} "
              f"(store {target}; Ctrl+C stops it)", markup=False)
    sys.stderr.flush()
    sys.stdout.flush()
    if os.name == "posix":
        os.execve(sys.executable, cmd, env)
    try:
        ctx.exit(subprocess.call(cmd, env=env))
    except KeyboardInterrupt:
        ctx.exit(0)
