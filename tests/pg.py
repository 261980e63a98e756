"""A throwaway PostgreSQL server for tests: Debian's binaries, a temporary directory, a free port.

PostgreSQL refuses to run as root, and in CI everything runs as root: so the data directory is owned
by an unprivileged user (`nobody`) and `initdb`/`pg_ctl` run as that user through `runuser`. The
server listens on 127.0.0.1 only (and a unix socket inside the temporary directory), asks TCP clients
for a password (scram-sha-256, so the tests exercise a real password), and is stopped and removed at
the end. `require_postgres()` skips when the binaries are missing, and fails when env CI=true.
"""
from __future__ import annotations

import contextlib
import glob
import os
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

from helpers import require

RUN_AS = "nobody"
SUPERUSER = "saksflyt"
START_TIMEOUT_S = 60


def pg_bin() -> Path | None:
    """The newest installed server's bin folder, or None."""
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"),
                   key=lambda p: int(Path(p).parts[-3]) if Path(p).parts[-3].isdigit() else 0)
    return Path(found[-1]).parent if found else None


def require_postgres() -> Path:
    """The bin folder; a skip without the binaries, a failure in CI (a green CI must not hide them)."""
    found = pg_bin()
    require(found is not None,
            "postgresql server binaries missing under /usr/lib/postgresql/*/bin: run `make system-deps`")
    return found


@dataclass(frozen=True)
class PgServer:
    host: str
    port: int
    user: str
    password: str
    socket_dir: Path

    def url(self, database: str = "postgres", *, with_password: bool = True,
            driver: str = "postgresql") -> str:
        secret = f":{quote(self.password, safe='')}" if with_password else ""
        return f"{driver}://{self.user}{secret}@{self.host}:{self.port}/{database}"


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _runner() -> list[str]:
    """Run as `nobody` when we are root (PostgreSQL refuses root); as ourselves otherwise."""
    if os.geteuid() != 0:
        return []
    return ["runuser", "-u", RUN_AS, "--"]


def _run(cmd: list[str], **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run([*_runner(), *cmd], check=True, capture_output=True, text=True, **kwargs)


@contextlib.contextmanager
def postgres_server(*, password: str, bin_dir: Path | None = None) -> Iterator[PgServer]:
    """Start a fresh cluster, yield how to reach it, then stop it and delete every file."""
    bin_dir = bin_dir or require_postgres()
    root = Path(tempfile.mkdtemp(prefix="saksflyt-pg-"))
    data, sockets = root / "data", root / "sock"
    sockets.mkdir()
    pwfile = root / "pwfile"
    pwfile.write_text(password + "\n")
    if os.geteuid() == 0:
        shutil.chown(root, RUN_AS)
        for p in (sockets, pwfile):
            shutil.chown(p, RUN_AS)
    started = False
    try:
        _run([str(bin_dir / "initdb"), "-D", str(data), "-U", SUPERUSER, f"--pwfile={pwfile}",
              "--auth-host=scram-sha-256", "--auth-local=trust", "-E", "UTF8", "--no-locale", "--no-sync"],
             cwd=root)
        pwfile.unlink()
        last_error = ""
        for _attempt in range(3):  # a free port can be taken between probing and binding
            port = free_port()
            options = (f"-p {port} -k {sockets} -c listen_addresses=127.0.0.1 -c fsync=off "
                       "-c synchronous_commit=off -c full_page_writes=off -c shared_buffers=16MB "
                       "-c max_connections=20")
            try:
                _run([str(bin_dir / "pg_ctl"), "-D", str(data), "-l", str(root / "server.log"), "-w",
                      "-t", str(START_TIMEOUT_S), "-o", options, "start"], cwd=root)
                started = True
                break
            except subprocess.CalledProcessError as exc:
                last_error = exc.stdout + exc.stderr
        if not started:
            log_text = (root / "server.log").read_text() if (root / "server.log").exists() else ""
            raise RuntimeError(f"PostgreSQL did not start: {last_error}\n{log_text[-2000:]}")
        yield PgServer(host="127.0.0.1", port=port, user=SUPERUSER, password=password, socket_dir=sockets)
    finally:
        if started:
            with contextlib.suppress(subprocess.CalledProcessError):
                _run([str(bin_dir / "pg_ctl"), "-D", str(data), "-m", "immediate", "-w", "stop"], cwd=root)
        shutil.rmtree(root, ignore_errors=True)
