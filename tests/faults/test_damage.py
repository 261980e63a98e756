"""Issue 22, damage: a truncated store, one with blocks overwritten, and one from a newer Saksflyt.

Every command that opens such a store exits 2 with one line naming the file and the cause, never a
traceback, never a silent re-creation, and leaves the file byte for byte as it was.
"""
from __future__ import annotations

import hashlib
import os
import re
import shutil
from pathlib import Path

import duckdb
import pytest

from helpers import SAMPLES, run
from saksflyt.extractors import store_health
from saksflyt.extractors.errors import StoreDamagedError, StoreTooNewError

LONG = os.environ.get("SAKSFLYT_FAULTS") == "long"
BLOCK = 262_144   # DuckDB's block size: "a few blocks" are overwritten

pytestmark = pytest.mark.usefixtures("pseudonym_key_env")


def write_log(path: Path, *, cases: int, first: int = 0) -> Path:
    """A small case log: four steps per case, so the store spans several blocks."""
    lines = ["saksnr;aktivitet;tidspunkt;saksbehandler;enhet"]
    for c in range(first, first + cases):
        day = c % 27 + 1
        lines += [f"2024/{c};Søknad mottatt;{day:02d}.03.2024 09:{c % 60:02d};Kari {c % 7};Byggesak",
                  f"2024/{c};Saken fordelt;{day:02d}.03.2024 11:{c % 60:02d};Ola {c % 5};Byggesak",
                  f"2024/{c};Vedtak fattet;{day:02d}.04.2024 14:{c % 60:02d};Ola {c % 5};Byggesak",
                  f"2024/{c};Melding sendt;{day:02d}.04.2024 15:{c % 60:02d};Per {c % 3};Arkiv"]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def healthy(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A store with one log ingested (several blocks), checkpointed into the file (no WAL beside it)."""
    folder = tmp_path_factory.mktemp("damage")
    path = folder / "store.duckdb"
    log = write_log(folder / "small.csv", cases=6000 if LONG else 1200)
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("SAKSFLYT_PSEUDONYM_KEY", "testkey")
        code, _out, err = run(path, "ingest", str(log), "--log", "small", "--quiet")
        assert code == 0, err
    assert not Path(str(path) + ".wal").exists()
    return path


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def truncated(path: Path) -> None:
    """Cut mid-block, as a copy or download stopped at an arbitrary byte leaves it."""
    os.truncate(path, path.stat().st_size // 2 + 1000)


def overwritten(path: Path) -> None:
    """Junk over a few blocks in the middle of the file (seeded, so every run damages the same bytes)."""
    size = path.stat().st_size
    start = (size // 2 // BLOCK) * BLOCK - BLOCK
    junk = hashlib.shake_256(b"saksflyt damage").digest(3 * BLOCK)
    with open(path, "r+b") as fh:
        fh.seek(max(start, 3 * 4096))
        fh.write(junk[: max(0, min(3 * BLOCK, size - start))])


def from_the_future(path: Path) -> None:
    """A migration of the event store newer than this Saksflyt knows, as a later version would record."""
    newest = store_health.known_versions()["extractors"]
    con = duckdb.connect(str(path))
    try:
        con.execute("INSERT INTO schema_migrations (package, version, description) VALUES ('extractors', ?, ?)",
                    [newest + 1, "a later Saksflyt's table"])
    finally:
        con.close()


COMMANDS = {
    "logs": ["logs"],
    "ingest": ["ingest", "{log}", "--log", "another", "--quiet"],
    "mine": ["mine", "--log", "small", "--quiet"],
    "candidates": ["candidates", "--log", "small", "--quiet"],
    "drop": ["drop", "--log", "small"],
    "export": ["export", "{out}", "--log", "small"],
    "monitor": ["monitor", "--log", "small", "--config", str(SAMPLES / "saksflyt.toml"), "--quiet"],
}
CAUSES = {"truncated": "damaged: truncated", "overwritten": "damaged: checksum mismatch",
          "future": "written by a newer Saksflyt (schema extractors"}
DAMAGE = {"truncated": truncated, "overwritten": overwritten, "future": from_the_future}


@pytest.mark.parametrize("damage", list(DAMAGE))
def test_every_command_refuses_a_damaged_store_in_one_line_and_leaves_it_as_it_was(healthy, tmp_path, damage):
    log = write_log(tmp_path / "another.csv", cases=50, first=90_000)
    refused = 0
    for name, template in COMMANDS.items():
        path = tmp_path / name / "store.duckdb"   # a fresh copy each: no command sees another's damage first
        path.parent.mkdir()
        shutil.copy(healthy, path)
        DAMAGE[damage](path)
        before = digest(path)
        args = [a.format(log=log, out=tmp_path / name / "out.csv") for a in template]
        code, _out, err = run(path, *args)   # catch_exceptions=False: a traceback fails the test here
        lines = err.strip().splitlines()
        assert code == 2, f"{damage}/{name}: exit {code}, stderr {err!r}"
        assert "Traceback" not in err and len(lines) >= 1
        assert lines[-1].startswith("saksflyt: error: ") and str(path) in lines[-1], lines
        assert CAUSES[damage] in lines[-1], lines[-1]
        assert digest(path) == before, f"{damage}/{name} changed the store"
        assert sorted(p.name for p in path.parent.iterdir() if p.name.startswith("store")) == ["store.duckdb"]
        refused += 1
    print(f"damage {damage}: {refused} of {len(COMMANDS)} commands refused in one line, store unchanged")


def test_a_missing_store_is_still_created_but_an_empty_file_is_not_taken_for_one(tmp_path):
    """No silent re-creation: a zero-byte file (a store truncated to nothing) is damage, not a new store."""
    path = tmp_path / "store.duckdb"
    path.write_bytes(b"")
    code, _out, err = run(path, "ingest", str(write_log(tmp_path / "a.csv", cases=5)), "--log", "a", "--quiet")
    assert code == 2 and "damaged: not a DuckDB database file" in err and path.stat().st_size == 0


@pytest.mark.parametrize("damage", ["truncated", "future"])
def test_the_explorer_gets_the_same_cause_as_a_store_error(healthy, tmp_path, damage):
    from saksflyt.app import explore_store

    path = tmp_path / "store.duckdb"
    shutil.copy(healthy, path)
    DAMAGE[damage](path)
    before = digest(path)
    with pytest.raises(StoreDamagedError if damage == "truncated" else StoreTooNewError, match=re.escape(CAUSES[damage])):
        explore_store.snapshot(path)
    assert digest(path) == before
