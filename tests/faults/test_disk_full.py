"""Issue 22, disk full: ingest and mine on a store whose disk fills up exit 2 with "disk full" naming the
store, and leave every table as it was.

The test mounts a small tmpfs of its own (root only: skipped elsewhere, a failure in CI) and unmounts it
in a `finally`.
"""
from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest

from helpers import run, skip_or_fail
from test_damage import write_log

LONG = os.environ.get("SAKSFLYT_FAULTS") == "long"
SIZE_MB = 8

pytestmark = pytest.mark.usefixtures("pseudonym_key_env")


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    """A tmpfs of SIZE_MB mounted on a folder of `tmp_path`, unmounted after the test whatever happens."""
    mount = tmp_path / "disk"
    mount.mkdir()
    if shutil.which("mount") is None or os.geteuid() != 0:
        skip_or_fail("the disk-full test mounts a tmpfs, which needs root and `mount`")
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={SIZE_MB}m", "tmpfs", str(mount)],
                          capture_output=True, text=True)
    if done.returncode != 0:
        skip_or_fail(f"cannot mount a tmpfs: {done.stderr.strip()}")
    try:
        yield mount
    finally:
        subprocess.run(["umount", "-l", str(mount)], check=False)


def fingerprint(path: Path) -> dict[str, str]:
    """Every table's rows, hashed in a fixed order: equal fingerprints mean an unchanged store."""
    con = duckdb.connect(str(path), read_only=True)
    try:
        names = [r[0] for r in con.execute(
            "SELECT table_name FROM duckdb_tables() WHERE database_name = current_database() ORDER BY 1").fetchall()]
        return {n: hashlib.sha256(repr(con.execute(f'SELECT * FROM "{n}" ORDER BY ALL').fetchall()).encode())
                .hexdigest() for n in names}
    finally:
        con.close()


def fill(folder: Path, *, leave: int) -> Path:
    """A filler file that leaves about `leave` bytes free on the disk under `folder`."""
    st = os.statvfs(folder)
    free = st.f_bavail * st.f_frsize
    filler = folder / f"filler{len(list(folder.glob('filler*')))}"
    with open(filler, "wb") as fh:
        fh.write(b"\0" * max(0, free - leave))
    return filler


def test_a_full_disk_stops_ingest_and_mine_with_one_line_and_the_store_unchanged(small_disk, tmp_path):
    path = small_disk / "store.duckdb"
    code, _out, err = run(path, "ingest", str(write_log(tmp_path / "small.csv", cases=200)), "--log", "small",
                          "--quiet")
    assert code == 0, err
    pristine = tmp_path / "pristine.duckdb"
    shutil.copy(path, pristine)
    before = fingerprint(path)
    faults = 0

    # ingest: a log far bigger than the little space left
    fill(small_disk, leave=256 * 1024)
    big = write_log(tmp_path / "big.csv", cases=20_000 if LONG else 5_000)
    code, _out, err = run(path, "ingest", str(big), "--log", "big", "--quiet")
    assert code == 2, err
    assert "Traceback" not in err and f"{path}: disk full" in " ".join(err.split()), err
    assert fingerprint(path) == before
    faults += 1

    # mine: the results do not fit either (the store as it was, the disk all but full)
    for leftover in small_disk.iterdir():
        leftover.unlink() if leftover.is_file() else shutil.rmtree(leftover)
    shutil.copy(pristine, path)
    fill(small_disk, leave=16 * 1024)
    code, _out, err = run(path, "mine", "--log", "small", "--quiet")
    assert code == 2, err
    assert "Traceback" not in err and f"{path}: disk full" in " ".join(err.split()), err
    assert fingerprint(path) == before
    faults += 1
    print(f"disk full: {faults} faults (ingest, mine), exit 2 each, store unchanged")
