"""The privacy budget of each log: every release's ε and δ, what it released and when (`privacy_ledger`).

privacy_ledger — one row per `saksflyt publish`
    released_log, release_id, released_at, epsilon, delta, what JSON (the releases, their mechanisms,
    scales and shares of ε), out_dir, label

The log's column is called `released_log`, not `log`, on purpose: `saksflyt drop` empties every table
with a `log` column, and a budget must outlive the rows. The people in a dropped and re-ingested log are
the same people, and what was published about them stays published.

The budget is a policy, not a theorem: privacy loss composes over every release of the same cases
forever. The default (ε = 1 per log over any 365 days, `[privacy] epsilon_per_year` in the config) is
the usual ceiling for official statistics; raising it is an explicit act recorded in the row.
"""
from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone
from typing import Any

import duckdb

from saksflyt.extractors import store
from saksflyt.extractors.errors import InputError

DEFAULT_EPSILON_PER_YEAR = 1.0
WINDOW = timedelta(days=365)

_V1 = """
CREATE TABLE privacy_ledger (
    released_log VARCHAR NOT NULL, release_id VARCHAR NOT NULL PRIMARY KEY, released_at TIMESTAMPTZ NOT NULL,
    epsilon DOUBLE NOT NULL, delta DOUBLE NOT NULL, budget DOUBLE NOT NULL, what JSON NOT NULL,
    out_dir VARCHAR, label VARCHAR
);
"""
store.register("privacy", 1, "privacy ledger: ε and δ spent per release of a log", _V1)


class BudgetExceeded(InputError):
    """A release would spend more than the log's budget."""


def _has_table(con: duckdb.DuckDBPyConnection) -> bool:
    return bool(con.execute("SELECT count(*) FROM duckdb_tables() WHERE table_name = 'privacy_ledger' "
                            "AND database_name = current_database()").fetchall()[0][0])


def spent(con: duckdb.DuckDBPyConnection, log_name: str, *, now: datetime | None = None) -> tuple[float, float]:
    """(ε, δ) spent on a log over the last 365 days."""
    if not _has_table(con):
        return 0.0, 0.0
    since = (now or datetime.now(timezone.utc)) - WINDOW
    eps, delta = con.execute("SELECT coalesce(sum(epsilon), 0), coalesce(sum(delta), 0) FROM privacy_ledger "
                             "WHERE released_log = ? AND released_at > ?", [log_name, since]).fetchall()[0]
    return float(eps), float(delta)


def check(con: duckdb.DuckDBPyConnection, log_name: str, epsilon: float, budget: float) -> float:
    """The budget left after this release; refuses (exit 2) a release that would exceed it."""
    used, _ = spent(con, log_name)
    left = budget - used
    if epsilon > left + 1e-12:
        raise BudgetExceeded(
            f"{log_name}: ε = {epsilon:g} exceeds the privacy budget left ({max(left, 0):.4g} of {budget:g} over "
            f"the last 365 days; {used:.4g} spent). Publish with a smaller --epsilon, or raise the budget "
            f"explicitly with --budget")
    return left - epsilon


def record(con: duckdb.DuckDBPyConnection, *, log_name: str, release_id: str, epsilon: float, delta: float,
           budget: float, what: dict[str, Any], out_dir: str | None, label: str | None) -> None:
    """Append one release (inside `store.write`, after `check` in the same transaction)."""
    con.execute("INSERT INTO privacy_ledger VALUES (?, ?, now(), ?, ?, ?, ?, ?, ?)",
                [log_name, release_id, epsilon, delta, budget, json.dumps(what, ensure_ascii=False), out_dir, label])


def rows(con: duckdb.DuckDBPyConnection, log_name: str | None = None) -> list[dict[str, Any]]:
    """The ledger, newest first (every log, or one)."""
    if not _has_table(con):
        return []
    where, params = ("WHERE released_log = ?", [log_name]) if log_name else ("", [])
    frame = con.execute(f"SELECT released_log, release_id, released_at, epsilon, delta, budget, what, out_dir, label "
                        f"FROM privacy_ledger {where} ORDER BY released_at DESC, release_id", params).df()
    out = []
    for r in frame.to_dict("records"):
        r["what"] = json.loads(r["what"]) if isinstance(r["what"], str) else r["what"]
        out.append(r)
    return out
