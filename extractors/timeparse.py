"""Timestamp parsing in DuckDB SQL: ISO-8601 with offsets, local times in a zone, Norwegian formats.

Local times are read in `tz` (default Europe/Oslo). Daylight-saving rule, counted in the ingest report:
- a local time that does not exist (the spring-forward hour, e.g. 02:30 on the last Sunday of March)
  is shifted forward by the gap (02:30 → 03:30 CEST, i.e. read with the offset before the switch);
- an ambiguous local time (the fall-back hour, 02:00–02:59 on the last Sunday of October) is taken
  as its first occurrence (CEST, +02:00).
A date without a time (`2024-12-31`, `31.12.2024`) is stored at local midnight with precision `day`.
"""
from __future__ import annotations

import duckdb

LOCAL_FORMATS = (
    "%d.%m.%Y %H:%M:%S", "%d.%m.%Y %H:%M", "%d.%m.%Y kl. %H:%M", "%d.%m.%Y kl %H:%M", "%d.%m.%Y",
    "%d/%m/%Y %H:%M:%S", "%d/%m/%Y %H:%M", "%d/%m/%Y", "%Y-%m-%d %H.%M", "%d.%m.%y %H:%M", "%d.%m.%y",
)
OFFSET_RE = r"(Z|z|[+-][0-9]{2}(:?[0-9]{2})?)$"
DATE_ONLY_RE = r"^([0-9]{4}-[0-9]{2}-[0-9]{2}|[0-9]{1,2}[./][0-9]{1,2}[./][0-9]{2,4})$"


def install_macros(con: duckdb.DuckDBPyConnection, *, tz: str) -> None:
    """Define the parsing macros on a (staging) connection for one time zone."""
    formats = ", ".join(f"'{f}'" for f in LOCAL_FORMATS)
    tzq = tz.replace("'", "''")
    con.execute(f"""
        CREATE OR REPLACE MACRO sf_local(s) AS
            coalesce(TRY_CAST(s AS TIMESTAMP), try_strptime(s, [{formats}]));
        CREATE OR REPLACE MACRO sf_has_offset(s) AS regexp_matches(s, '{OFFSET_RE}') AND length(s) > 10;
        -- naive local → instant, before the DST fixes
        CREATE OR REPLACE MACRO sf_zone_raw(n) AS timezone('{tzq}', n);
        -- nonexistent: the instant does not read back as the same local time
        CREATE OR REPLACE MACRO sf_nonexistent(n) AS timezone('{tzq}', sf_zone_raw(n)) <> n;
        -- ambiguous: one hour earlier reads back as the same local time
        CREATE OR REPLACE MACRO sf_ambiguous(n) AS
            timezone('{tzq}', sf_zone_raw(n) - INTERVAL 1 HOUR) = n;
        CREATE OR REPLACE MACRO sf_zone(n) AS
            CASE WHEN sf_ambiguous(n) THEN sf_zone_raw(n) - INTERVAL 1 HOUR ELSE sf_zone_raw(n) END;
        CREATE OR REPLACE MACRO sf_ts(s) AS
            CASE WHEN s IS NULL THEN NULL
                 WHEN sf_has_offset(s) THEN TRY_CAST(regexp_replace(s, '[zZ]$', '+00:00') AS TIMESTAMPTZ)
                 ELSE sf_zone(sf_local(s)) END;
        -- nested CASE, not OR: DuckDB evaluates a CASE branch only for its own rows, both sides of an OR
        CREATE OR REPLACE MACRO sf_dst(s) AS
            CASE WHEN s IS NULL THEN NULL
                 WHEN sf_has_offset(s) THEN NULL
                 WHEN sf_local(s) IS NULL THEN NULL
                 WHEN sf_nonexistent(sf_local(s)) THEN 'shifted'
                 WHEN sf_ambiguous(sf_local(s)) THEN 'ambiguous' END;
        -- cheap test that a text parses as a time at all (no zone arithmetic: that is costly per row)
        CREATE OR REPLACE MACRO sf_parses(s) AS
            CASE WHEN sf_has_offset(s) THEN TRY_CAST(regexp_replace(s, '[zZ]$', '+00:00') AS TIMESTAMPTZ) IS NOT NULL
                 ELSE sf_local(s) IS NOT NULL END;
        CREATE OR REPLACE MACRO sf_is_date_only(s) AS regexp_matches(s, '{DATE_ONLY_RE}');
        CREATE OR REPLACE MACRO sf_local_midnight(t) AS
            (timezone('{tzq}', t)::TIME = TIME '00:00:00');
    """)


def timestamp_exprs(column: str, *, sql_type: str) -> tuple[str, str, str]:
    """SQL for (instant, precision, dst-flag) of a column of the given DuckDB type."""
    c = f'"{column}"'
    t = sql_type.upper()
    if t.startswith("TIMESTAMP WITH TIME ZONE") or t == "TIMESTAMPTZ":
        return c, "'second'", "NULL"
    if t.startswith("TIMESTAMP"):
        n = f"{c}::TIMESTAMP"
        dst = f"CASE WHEN sf_nonexistent({n}) THEN 'shifted' WHEN sf_ambiguous({n}) THEN 'ambiguous' END"
        return f"sf_zone({n})", "'second'", dst
    if t == "DATE":
        return f"sf_zone({c}::TIMESTAMP)", "'day'", "NULL"
    s = f"nullif(trim({c}::VARCHAR), '')"
    precision = f"CASE WHEN sf_is_date_only({s}) THEN 'day' ELSE 'second' END"
    return f"sf_ts({s})", precision, f"sf_dst({s})"
