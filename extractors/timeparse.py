"""Timestamp parsing in DuckDB SQL: ISO-8601 with offsets, local times in a zone, Norwegian formats.

Local times are read in `tz` (default Europe/Oslo). Daylight-saving rule, counted in the ingest report:
- a local time that does not exist (the spring-forward hour, e.g. 02:30 on the last Sunday of March)
  is shifted forward by the gap (02:30 → 03:30 CEST, i.e. read with the offset before the switch);
- an ambiguous local time (the fall-back hour, 02:00–02:59 on the last Sunday of October) is taken
  as its first occurrence (CEST, +02:00).
A date without a time (`2024-12-31`, `31.12.2024`) is stored at local midnight with precision `day`.
"""
from __future__ import annotations

from dataclasses import dataclass

import duckdb

from .sql_text import identifier, literal, literals

LOCAL_FORMATS = (
    "%d.%m.%Y %H:%M:%S", "%d.%m.%Y %H:%M", "%d.%m.%Y kl. %H:%M", "%d.%m.%Y kl %H:%M", "%d.%m.%Y",
    "%d/%m/%Y %H:%M:%S", "%d/%m/%Y %H:%M", "%d/%m/%Y", "%Y-%m-%d %H.%M", "%d.%m.%y %H:%M", "%d.%m.%y",
)
OFFSET_RE = r"(Z|z|[+-][0-9]{2}(:?[0-9]{2})?)$"
DATE_ONLY_RE = r"^([0-9]{4}-[0-9]{2}-[0-9]{2}|[0-9]{1,2}[./][0-9]{1,2}[./][0-9]{2,4})$"


def install_macros(con: duckdb.DuckDBPyConnection, *, tz: str) -> None:
    """Define the parsing macros on a (staging) connection for one time zone."""
    formats = literals(LOCAL_FORMATS)
    zone = literal(tz)
    con.execute(f"""
        CREATE OR REPLACE MACRO sf_local(s) AS
            coalesce(TRY_CAST(s AS TIMESTAMP), try_strptime(s, [{formats}]));
        CREATE OR REPLACE MACRO sf_has_offset(s) AS regexp_matches(s, {literal(OFFSET_RE)}) AND length(s) > 10;
        -- naive local → instant, before the DST fixes
        CREATE OR REPLACE MACRO sf_zone_raw(n) AS timezone({zone}, n);
        -- nonexistent: the instant does not read back as the same local time
        CREATE OR REPLACE MACRO sf_nonexistent(n) AS timezone({zone}, sf_zone_raw(n)) <> n;
        -- ambiguous: one hour earlier reads back as the same local time
        CREATE OR REPLACE MACRO sf_ambiguous(n) AS
            timezone({zone}, sf_zone_raw(n) - INTERVAL 1 HOUR) = n;
        CREATE OR REPLACE MACRO sf_zone(n) AS
            CASE WHEN sf_ambiguous(n) THEN sf_zone_raw(n) - INTERVAL 1 HOUR ELSE sf_zone_raw(n) END;
        -- an instant with its offset; a final Z or z is UTC (a suffix test: a regex replace costs more)
        CREATE OR REPLACE MACRO sf_offset_ts(s) AS
            TRY_CAST(CASE WHEN ends_with(s, 'Z') OR ends_with(s, 'z') THEN left(s, length(s) - 1) || '+00:00'
                          ELSE s END AS TIMESTAMPTZ);
        CREATE OR REPLACE MACRO sf_ts(s) AS
            CASE WHEN s IS NULL THEN NULL
                 WHEN sf_has_offset(s) THEN sf_offset_ts(s)
                 ELSE sf_zone(sf_local(s)) END;
        -- the DST flag of a local time already read (NULL: nothing to fix)
        CREATE OR REPLACE MACRO sf_dst_local(n) AS
            CASE WHEN n IS NULL THEN NULL
                 WHEN sf_nonexistent(n) THEN 'shifted'
                 WHEN sf_ambiguous(n) THEN 'ambiguous' END;
        -- nested CASE, not OR: DuckDB evaluates a CASE branch only for its own rows, both sides of an OR
        CREATE OR REPLACE MACRO sf_dst(s) AS
            CASE WHEN s IS NULL THEN NULL
                 WHEN sf_has_offset(s) THEN NULL
                 ELSE sf_dst_local(sf_local(s)) END;
        -- cheap test that a text parses as a time at all (no zone arithmetic: that is costly per row)
        CREATE OR REPLACE MACRO sf_parses(s) AS
            CASE WHEN sf_has_offset(s) THEN sf_offset_ts(s) IS NOT NULL
                 ELSE sf_local(s) IS NOT NULL END;
        CREATE OR REPLACE MACRO sf_is_date_only(s) AS regexp_matches(s, {literal(DATE_ONLY_RE)});
        CREATE OR REPLACE MACRO sf_local_midnight(t) AS
            (timezone({zone}, t)::TIME = TIME '00:00:00');
    """)


@dataclass(frozen=True)
class TimeSql:
    """SQL for one time column in three steps, so each costly piece runs once per row: `cell` reads the
    source (cleaned text, or the typed value); `helpers` read `cell` by its name (offset or not, the local
    reading); `instant`, `precision` and `dst` read both."""

    cell: str
    helpers: tuple[str, ...]
    instant: str
    precision: str
    dst: str


def time_sql(column: str, *, sql_type: str, name: str) -> TimeSql:
    """SQL for (instant, precision, dst flag) of a column of the given DuckDB type, for a query that names
    the cell `name` and the helpers `name`_off and `name`_local. A cell is NULL exactly where the source's
    is empty (blank text or NULL)."""
    c = identifier(column)
    t = sql_type.upper()
    if t.startswith("TIMESTAMP WITH TIME ZONE") or t == "TIMESTAMPTZ":
        return TimeSql(c, (), name, "'second'", "NULL")
    if t.startswith("TIMESTAMP"):
        n = f"{name}::TIMESTAMP"
        return TimeSql(c, (), f"sf_zone({n})", "'second'", f"sf_dst_local({n})")
    if t == "DATE":
        return TimeSql(c, (), f"sf_zone({name}::TIMESTAMP)", "'day'", "NULL")
    x = f"{c}::VARCHAR"
    # nullif(trim(x), ''), trimming only the rare padded cell: trim copies every string it sees
    cell = f"nullif(CASE WHEN {x} LIKE ' %' OR {x} LIKE '% ' THEN trim({x}) ELSE {x} END, '')"
    helpers = (f"sf_has_offset({name}) AS {name}_off",
               f"CASE WHEN {name}_off THEN NULL ELSE sf_local({name}) END AS {name}_local")
    return TimeSql(
        cell, helpers,
        instant=f"CASE WHEN {name}_off THEN sf_offset_ts({name}) ELSE sf_zone({name}_local) END",
        # a date alone is at most 10 characters: longer text skips the pattern
        precision=f"CASE WHEN length({name}) > 10 THEN 'second' WHEN sf_is_date_only({name}) THEN 'day' "
                  f"ELSE 'second' END",
        dst=f"CASE WHEN {name}_off THEN NULL ELSE sf_dst_local({name}_local) END")
