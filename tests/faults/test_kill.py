"""Issue 22, fault suite: `kill -9` at random points of ingest (CSV, XES, Noark 5), mine, candidates, compare
and drop loses nothing.

Each command runs once to its end as a subprocess (`python -m saksflyt`) on a copy of a small store: that
gives the state after it and its duration. Then it runs again on fresh copies and is SIGKILLed after a
delay drawn (from a seeded RNG) within that duration. After each kill the store must open; every table
must hold exactly its content before or after the command (run ids and clock times left out); the tables
one transaction writes must agree with each other; and the explorer's read layer must show the old or
the new state, complete. The short version kills each command 5 times, `SAKSFLYT_FAULTS=long` 30 times.
"""
from __future__ import annotations

import os
import random
import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest
from helpers import SAMPLES, invoke, pseudonym_key, query
from kill_state import (Fingerprint, classify, explorer_view, run_complete, run_killed, store_fingerprint,
                        store_run_ids)

from saksflyt.extractors import store

LONG = os.environ.get("SAKSFLYT_FAULTS") == "long"
KILLS = 30 if LONG else 5


@dataclass(frozen=True)
class Inputs:
    store: Path        # the small log "small" ingested, mined and scored
    xes: Path          # that log exported as XES
    noark5: Path       # a generated Noark 5 export (folder)
    split_day: str     # a day inside the log, for `compare --before/--after`


@pytest.fixture(scope="module")
def inputs(tmp_path_factory: pytest.TempPathFactory) -> Inputs:
    """One small store and the files the ingest kills load, built in-process once for the module."""
    folder = tmp_path_factory.mktemp("kill-inputs")
    path = folder / "base.duckdb"
    csv = folder / "small.csv"
    steps = [
        ["generate", "--cases", "40", "--seed", "3", "--out", str(csv)],
        ["ingest", str(csv), "--log", "small", "--quiet"],
        ["mine", "--log", "small", "--quiet"],
        ["export", "--log", "small", "--format", "xes", str(folder / "small.xes")],
        ["generate-noark5", "--cases", "8", "--seed", "5", "--out", str(folder / "noark5")],
    ]
    with pseudonym_key():
        for args in steps:
            result = invoke(path, *args)
            assert result.exit_code == 0, result.output
    (day,) = query(path, "SELECT CAST(CAST(to_timestamp(median(epoch(first_at))) AS DATE) AS VARCHAR) "
                         "FROM mining_cases")[0]
    return Inputs(store=path, xes=folder / "small.xes", noark5=folder / "noark5", split_day=day)


# name -> (arguments, whether mining and scoring are two transactions, as `mine` writes them)
COMMANDS: dict[str, tuple[list[str], bool]] = {
    "ingest-csv": (["ingest", str(SAMPLES / "receipt.csv"), "--log", "receipt", "--quiet"], False),
    "ingest-xes": (["ingest", "{xes}", "--log", "smallxes", "--quiet"], False),
    "ingest-noark5": (["ingest", "{noark5}", "--format", "noark5", "--log", "arkiv", "--quiet"], False),
    "mine": (["mine", "--log", "small", "--quiet"], True),
    "candidates": (["candidates", "--log", "small", "--quiet"], False),
    "compare": (["compare", "--log", "small", "--before", "{day}", "--after", "{day}", "--bootstrap", "100",
                 "--quiet"], False),
    "drop": (["drop", "--log", "small"], False),
}


def _group(table: str, split: bool) -> str:
    """The transaction a table is written in: `mine` stores its run, then scores it in a second one."""
    return "scoring" if split and table.startswith("scoring_") else "store"


def _view_ok(view: tuple, before: tuple, after: tuple, split: bool) -> bool:
    """The explorer shows complete runs only, and the old or the new state. With two transactions (`mine`)
    each part is old or new, and the candidates only complete (a new run's may differ, see LOOSE_TABLES)."""
    if not all(part[1] for entry in view for part in entry[1:]):
        return False
    if view in (before, after):
        return True
    if not split or [e[0] for e in view] not in ([e[0] for e in before], [e[0] for e in after]):
        return False
    for v, b, a in zip(view, before, after):
        for part in v[1:]:
            if part[0] == "candidates":
                continue
            if part not in b[1:] + a[1:]:
                return False
    return True


def _check(found: Fingerprint, before: Fingerprint, after: Fingerprint, split: bool, label: str) -> int:
    """Assert the killed store is the state before or after (per transaction); returns rows lost (0)."""
    outcome = classify(found, before, after)
    lost = outcome.lost_rows(found, before, after)
    assert not outcome.neither, f"{label}: tables neither before nor after: {sorted(outcome.neither)}, {lost} rows lost"
    for group in {_group(t, split) for t in outcome.before | outcome.after}:
        old = {t for t in outcome.before if _group(t, split) == group}
        new = {t for t in outcome.after if _group(t, split) == group}
        assert not (old and new), f"{label}: a half-written transaction: before {sorted(old)}, after {sorted(new)}"
    return lost


@pytest.mark.parametrize("name", list(COMMANDS))
def test_kill_9_leaves_the_store_before_or_after(name: str, inputs: Inputs, tmp_path: Path) -> None:
    template, split = COMMANDS[name]
    args = [a.format(xes=inputs.xes, noark5=inputs.noark5, day=inputs.split_day) for a in template]
    before_path = tmp_path / "before.duckdb"
    shutil.copy(inputs.store, before_path)
    after_path = tmp_path / "after.duckdb"
    shutil.copy(inputs.store, after_path)
    duration = run_complete(after_path, args, cwd=tmp_path)
    known = store_run_ids(before_path)
    before, after = store_fingerprint(before_path, known), store_fingerprint(after_path, known)
    view_before, view_after = explorer_view(before_path), explorer_view(after_path)

    rng = random.Random(f"kill-{name}")
    killed = lost = erasures = 0
    dropped_cases = [r[0] for r in query(before_path, "SELECT DISTINCT case_id FROM events WHERE log = 'small' "
                                                      "ORDER BY case_id LIMIT 40")] if name == "drop" else []
    outcomes = {"before": 0, "after": 0, "mixed": 0}
    for i in range(KILLS):
        path = tmp_path / f"kill{i}.duckdb"
        shutil.copy(inputs.store, path)
        delay = rng.uniform(0.0, duration)
        killed += run_killed(path, args, cwd=tmp_path, delay=delay)
        label = f"{name} kill {i} at {delay:.2f}s of {duration:.2f}s"
        view = explorer_view(path)
        assert _view_ok(view, view_before, view_after, split), f"{label}: the explorer shows a partial state"
        found = store_fingerprint(path, known)
        lost += _check(found, before, after, split, label)
        outcomes["before" if found == before else "after" if found == after else "mixed"] += 1
        if name == "drop" and store.finish_pending(path):   # killed between the drop's commit and compaction
            erasures += 1
            assert store_fingerprint(path, known) == after, f"{label}: finishing the erasure changed the tables"
        if name == "drop" and found == after:
            data = path.read_bytes()
            assert not [c for c in dropped_cases if c.encode() in data], f"{label}: the dropped rows' bytes remain"
        path.unlink()
    print(f"\nkill -9 {name}: {KILLS} kills ({killed} while running, run {duration:.1f}s), "
          f"before {outcomes['before']}, after {outcomes['after']}, mining new and scores old {outcomes['mixed']}, "
          f"rows lost {lost}" + (f", erasures a kill left unfinished and the next write finished {erasures}"
                                 if name == "drop" else ""))
    assert lost == 0
