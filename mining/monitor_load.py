"""Load one log as it was known at a moment (`as_of`) into the in-memory tables the monitor computes on.

`--as-of` must be an honest backtest: only events completed by then exist, so a case decided later is
open, and a pause whose end came later is still open. Case attributes are taken as known from the
case's first event (they are what the application said); an attribute that copies the outcome is
kept away from the models by `case_prediction.leaky_attributes`, not here.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

import duckdb

from saksflyt.extractors import store
from saksflyt.extractors.errors import InputError
from saksflyt.extractors.sql_text import literals

from . import stats
from . import deadline_rules
from .deadline_rules import DeadlineConfig


@dataclass(frozen=True)
class Loaded:
    events: int
    cases: int
    as_of: datetime
    first_event: datetime
    attributes: tuple[str, ...]


YES = literals(deadline_rules.YES_WORDS)
NO = literals(deadline_rules.NO_WORDS)


def _norm_value_sql(alias: str) -> str:
    """Case attribute value as the text `deadline_rules.attribute_value_text` gives config values."""
    a = alias
    return f"""CASE {a}.kind
        WHEN 'bool' THEN CASE WHEN {a}.value_bool THEN 'true' ELSE 'false' END
        WHEN 'number' THEN CASE WHEN {a}.value_number = floor({a}.value_number) AND abs({a}.value_number) < 1e15
                                THEN CAST(CAST({a}.value_number AS BIGINT) AS VARCHAR)
                                ELSE CAST({a}.value_number AS VARCHAR) END
        WHEN 'text' THEN CASE WHEN lower(trim({a}.value_text)) IN ({YES}) THEN 'true'
                              WHEN lower(trim({a}.value_text)) IN ({NO}) THEN 'false'
                              ELSE lower(trim({a}.value_text)) END
        WHEN 'date' THEN CAST({a}.value_date AS VARCHAR)
        ELSE CAST({a}.value_time AS VARCHAR) END"""


def _renumber_cases(con: duckdb.DuckDBPyConnection) -> None:
    """Case numbers in case-id order: the observation moments, samples and held-out cases are drawn from
    them, and `load_events` numbers cases in whatever order a parallel scan meets them (a rerun on the
    same log must give the same evaluation)."""
    con.execute("""CREATE OR REPLACE TABLE _cid_map AS
                   SELECT cid AS old, CAST(row_number() OVER (ORDER BY case_id) AS INTEGER) AS cid FROM case_dict""")
    con.execute("""CREATE OR REPLACE TABLE events_in AS
                   SELECT m.cid, e.* EXCLUDE (cid) FROM events_in e JOIN _cid_map m ON m.old = e.cid""")
    con.execute("""CREATE OR REPLACE TABLE case_dict AS
                   SELECT m.cid, d.case_id FROM case_dict d JOIN _cid_map m ON m.old = d.cid""")
    con.execute("DROP TABLE _cid_map")


def load(con: duckdb.DuckDBPyConnection, *, store_path: Path, log_name: str, as_of: datetime | None,
         config: DeadlineConfig) -> Loaded:
    """Copy the log into `con` (see `deadline_clock` for the tables) and cut it at `as_of`."""
    with store.attached(con, store_path):
        stats.require_log(con, "src", store_path, log_name)
        stats.load_events(con, "src", log_name)
        _renumber_cases(con)
        con.execute(f"""
            CREATE OR REPLACE TABLE case_attr AS
            SELECT k.cid, a.name, a.kind, {_norm_value_sql('a')} AS value, a.value_number
            FROM src.case_attributes a JOIN case_dict k ON k.case_id = a.case_id WHERE a.log = ?
        """, [log_name])
        ext = config.deadline.extension_activity if config.deadline else None
        days_attr = config.deadline.extension_days_attribute if config.deadline else None
        con.execute("""
            CREATE OR REPLACE TABLE ext_raw AS
            SELECT k.cid, epoch_us(e.ts_end) AS end_us, e.attributes
            FROM src.events e JOIN case_dict k ON k.case_id = e.case_id WHERE e.log = ? AND e.activity = ?
        """, [log_name, ext or ""])
    event_keys = {r[0] for r in con.execute(
        "SELECT DISTINCT unnest(json_keys(attributes)) FROM ext_raw WHERE attributes IS NOT NULL").fetchall()}
    con.execute("CREATE OR REPLACE TABLE case_num AS SELECT cid, name, value_number AS value FROM case_attr "
                "WHERE kind = 'number'")
    if days_attr:
        path = '$."' + days_attr.replace('"', '') + '"'
        con.execute("""
            CREATE OR REPLACE TABLE ext_ev AS
            SELECT x.cid, x.end_us,
                   coalesce(TRY_CAST(replace(json_extract_string(x.attributes, ?), ',', '.') AS DOUBLE),
                            (SELECT n.value FROM case_num n WHERE n.cid = x.cid AND n.name = ? LIMIT 1), 0) AS days
            FROM ext_raw x
        """, [path, days_attr])
    else:
        con.execute("CREATE OR REPLACE TABLE ext_ev AS SELECT cid, end_us, 0.0 AS days FROM ext_raw")
    first_us, last_us = con.execute("SELECT min(end_us), max(end_us) FROM events_in").fetchall()[0]
    if last_us is None:
        raise InputError(f"log {log_name!r} has no events")
    if as_of is not None:
        as_of_us = int(as_of.timestamp() * 1_000_000)
        if as_of_us < first_us:
            first = datetime.fromtimestamp(first_us / 1e6, tz=timezone.utc)
            raise InputError(f"--as-of {as_of.isoformat()} is before the log's first event ({first:%Y-%m-%d})")
        con.execute("DELETE FROM events_in WHERE end_us > ?", [as_of_us])
        con.execute("DELETE FROM ext_ev WHERE end_us > ?", [as_of_us])
    else:
        as_of_us = last_us
    con.execute("DELETE FROM case_attr WHERE cid NOT IN (SELECT DISTINCT cid FROM events_in)")
    events, cases = con.execute("SELECT count(*), count(DISTINCT cid) FROM events_in").fetchall()[0]
    attrs = {r[0] for r in con.execute("SELECT DISTINCT name FROM case_attr").fetchall()} | event_keys
    return Loaded(events=events, cases=cases, as_of=datetime.fromtimestamp(as_of_us / 1e6, tz=timezone.utc),
                  first_event=datetime.fromtimestamp(first_us / 1e6, tz=timezone.utc),
                  attributes=tuple(sorted(attrs)))


def as_of_us(loaded: Loaded) -> int:
    return int(loaded.as_of.timestamp() * 1_000_000)
