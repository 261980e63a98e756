"""The one path from a reader's staged rows to the event store, shared by every source.

A reader (CSV, Excel, Parquet, XES, SQL, Noark 5, OCEL) puts a table `wide` into an in-memory DuckDB
connection with the canonical columns below plus one column per attribute, and says which attribute
columns are case-level, event-level or to be decided. `prepare` then classifies resources,
pseudonymises, rejects bad rows into a report, types the attribute columns, splits case from event
attributes and defines the final rows as views over `wide` (the rows are not copied again); `commit`
streams them into the store, attached to the same connection, in one transaction.

Canonical columns of `wide`: `__row` BIGINT (position in the source, for messages), `case_id`,
`activity`, `ts_end` TIMESTAMPTZ, `ts_start` TIMESTAMPTZ, `ts_precision` ('second'|'day'),
`event_seq` BIGINT, `resource`, `lifecycle`, `unit` (VARCHAR: the organisational unit, never pseudonymised),
`__reject` VARCHAR (a reader's reason, or NULL).
"""
from __future__ import annotations

import json
import logging
import re
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Literal

import duckdb

from . import pseudonym, resource_behaviour, store
from .errors import InputError, StoreError
from .sql_text import identifier, literal

log = logging.getLogger(__name__)

CANONICAL = ("__row", "case_id", "activity", "ts_end", "ts_start", "ts_precision", "event_seq",
             "resource", "lifecycle", "unit", "__reject", "resource_kind")
Mode = Literal["new", "replace", "append"]
Progress = Callable[[str], None]

# Names that say a resource is a machine, not a person.
SYSTEM_NAME_RE = r"(?i)^(system|systemet|automatic|automatisk|auto|batch|robot|rpa|job|jobb|scheduler|integrasjon|integration|script|bot)\b"
# Names that are an outside party's role, not a person: the citizen, the applicant, the customer.
# Such a resource is external and, like every non-system name, pseudonymised (it may carry a name after it).
EXTERNAL_NAME_RE = (r"(?i)^(ansvarlig\s+)?(innbygger(en|e|ne)?|innbyggjar(en|ar|ane)?|s[øo]ker(en|e|ne)?|"
                    r"s[øo]kjar(en|ar|ane)?|klager(en|e|ne)?|kunde(n|r|ne)?|publikum|tiltakshaver(en|e|ne)?|"
                    r"citizens?|customers?|applicants?|clients?|claimants?|appellants?|ekstern|external)\b")
# Column names that hold personal data about a person (pseudonymised without being named by --personal).
PERSONAL_NAME_RE = re.compile(
    r"(?i)(navn|name|s[øo]ker|innbygger|person|e-?post|email|telefon|phone|mobil|adresse|address|"
    r"f[øo]dselsnummer|fnr|personnummer|ssn|saksbehandler|ansatt|employee|bruker|user)"
)
# ... but a *name* of a thing is not a person: activityNameEN, taskName, termName, concept:name, enhetsnavn.
THING_NAME_RE = re.compile(
    r"(?i)(activit|aktivitet|task|term|concept|process|prosess|step|steg|event|hendelse|document|dokument|"
    r"file|fil|product|produkt|unit|enhet|avdeling|department|group|gruppe|klasse|class|type|status|phase|fase)"
)


def is_personal_column(name: str) -> bool:
    """Whether a column's name says it holds people; names of activities, units and types do not."""
    if PERSONAL_NAME_RE.search(re.sub(r"(?i)navn|name", "", name)):
        return True  # a personal word besides "name" (søker_navn, saksbehandler_navn)
    return bool(PERSONAL_NAME_RE.search(name)) and not THING_NAME_RE.search(name)


FREE_TEXT_MIN_AVG_LEN = 30
FREE_TEXT_MIN_DISTINCT_SHARE = 0.5
REJECTS_LISTED = 5


@dataclass(frozen=True)
class IngestOptions:
    """Choices that shape what reaches the store; defaults are the privacy-first ones."""

    pseudonymise: bool = True
    personal: tuple[str, ...] = ()
    keep_text: bool = False
    strict: bool = False
    system: tuple[str, ...] = ()
    external: tuple[str, ...] = ()
    tz: str = "Europe/Oslo"
    mode: Mode = "new"


@dataclass
class Staged:
    """A reader's output: the `wide` table in `con` and what the reader knows about it."""

    con: duckdb.DuckDBPyConnection
    source: str
    source_kind: str
    content_hash: str
    rows_read: int
    case_columns: list[str] = field(default_factory=list)
    event_columns: list[str] = field(default_factory=list)
    auto_columns: list[str] = field(default_factory=list)
    stats: dict[str, int] = field(default_factory=dict)
    # rows the reader could not even stage (e.g. malformed CSV lines): (row number, reason)
    early_rejects: list[tuple[int, str]] = field(default_factory=list)
    settings: dict[str, object] = field(default_factory=dict)


@dataclass(frozen=True)
class IngestReport:
    log: str
    run_id: str | None
    source: str
    mode: str
    rows_read: int
    rows_kept: int
    rows_rejected: int
    cases: int
    noop: bool = False
    stats: dict[str, int] = field(default_factory=dict)
    first_rejects: tuple[tuple[int, str], ...] = ()
    dropped_columns: tuple[str, ...] = ()
    pseudonymised_columns: tuple[str, ...] = ()

    def lines(self) -> list[str]:
        """Human summary; row numbers and reasons only, never row content."""
        if self.noop:
            return [f"{self.log}: {self.source} is already loaded (same content); nothing to do"]
        out = [f"{self.log}: {self.rows_kept:,} events in {self.cases:,} cases stored "
               f"({self.mode}); {self.rows_read:,} read, {self.rows_rejected:,} rejected"]
        for row, reason in self.first_rejects:
            out.append(f"  rejected row {row}: {reason}")
        if self.rows_rejected > len(self.first_rejects):
            out.append(f"  … and {self.rows_rejected - len(self.first_rejects):,} more rejected rows")
        notes = {k: v for k, v in self.stats.items() if v}
        if notes:
            out.append("  " + ", ".join(f"{k.replace('_', ' ')}: {v:,}" for k, v in sorted(notes.items())))
        if self.pseudonymised_columns:
            out.append("  pseudonymised: " + ", ".join(self.pseudonymised_columns))
        if self.dropped_columns:
            out.append("  free-text columns dropped (use --keep-text to keep): " + ", ".join(self.dropped_columns))
        return out


def q(name: str) -> str:
    """Quote an identifier for DuckDB (the short name the SQL builders here use)."""
    return identifier(name)


def attribute_columns(con: duckdb.DuckDBPyConnection) -> list[tuple[str, str]]:
    cols = con.execute("SELECT column_name, data_type FROM duckdb_columns() WHERE table_name = 'wide'"
                       " ORDER BY column_index").fetchall()
    return [(n, t) for n, t in cols if n not in CANONICAL]


# --- one look at the staged rows ---------------------------------------------------------------

# A text shorter than this cannot hold a fødselsnummer, so the costly pattern never sees it.
FNR_MIN_LENGTH = 11
TEXT_ROLES = ("case_id", "activity", "resource", "lifecycle", "unit")
# roles with few distinct values, checked on `__roles` rather than on every row
GROUPED_ROLES = ("activity", "resource", "lifecycle", "unit")
EVENT_ROLES = ("case_id", "activity", "ts_start", "ts_end", "ts_precision", "event_seq", "resource",
               "resource_kind", "lifecycle", "unit")
# text roles searched for fødselsnumre (a unit is organisational and never pseudonymised, but a number
# typed into it is still replaced)
FNR_ROLES = ("case_id", "activity", "lifecycle", "unit")


def _padded(x: str) -> str:
    """SQL true where `nullif(trim(x), '')` changes x: DuckDB's trim strips spaces only."""
    return f"({x} LIKE ' %' OR {x} LIKE '% ' OR {x} = '')"


def _clean(x: str, padded: bool) -> str:
    """`nullif(trim(x), '')`, or x itself where no value is blank or padded (trim copies every string)."""
    return f"nullif(trim({x}), '')" if padded else x


def _wide_types(con: duckdb.DuckDBPyConnection) -> dict[str, str]:
    return dict(con.execute("SELECT column_name, data_type FROM duckdb_columns() WHERE table_name = 'wide' "
                            "ORDER BY column_index").fetchall())


def _role_values(con: duckdb.DuckDBPyConnection) -> None:
    """`__roles`: the distinct (activity, resource, lifecycle, unit) of `wide` with their row counts and what
    the resource classification needs. Far fewer than rows: the classification and these roles' padding
    and fødselsnummer checks read it, instead of scanning `wide` once each."""
    # bool_and skips NULLs: `instant` speaks of timed events only, NULL where there are none
    con.execute(f"CREATE OR REPLACE TEMP TABLE __roles AS SELECT {', '.join(GROUPED_ROLES)}, count(*) AS n, "
                "count(ts_start) AS timed, bool_and(ts_start = ts_end) AS instant FROM wide GROUP BY ALL")


def _profile(con: duckdb.DuckDBPyConnection, opts: IngestOptions,
             types: dict[str, str]) -> tuple[set[str], list[str]]:
    """One scan of `wide` (and one of `__roles`): the text roles that hold blank or padded values (only
    they are trimmed per row), and the free-text columns — long text that varies from row to row (notes,
    comments), dropped unless --keep-text, found before pseudonymisation and typing spend time on what
    will not be stored."""
    roles = [c for c in TEXT_ROLES if types.get(c) == "VARCHAR"]
    # a role that is not plain text keeps the trim it always had
    padded = {c for c in TEXT_ROLES if c not in roles}
    grouped = [c for c in roles if c in GROUPED_ROLES]
    if grouped:
        row = con.execute("SELECT " + ", ".join(f"bool_or({_padded(q(c))})" for c in grouped)
                          + " FROM __roles").fetchall()[0]
        padded |= {c for c, p in zip(grouped, row) if p}
    roles = [c for c in roles if c not in GROUPED_ROLES]
    cols = [] if opts.keep_text else [n for n, t in types.items() if n not in CANONICAL and t == "VARCHAR"]
    parts = [f"count(*) FILTER (WHERE {_padded(q(c))})" for c in roles]
    # bytes first (strlen is cheap, and never less than length): only long columns are looked at twice
    parts += [f"count({q(c)}), avg(strlen({q(c)}))" for c in cols]
    if not parts:
        return padded, []
    row = con.execute(f"SELECT {', '.join(parts)} FROM wide").fetchall()[0]
    padded |= {c for c, n in zip(roles, row) if n}
    row = row[len(roles):]
    long = [(c, row[2 * i]) for i, c in enumerate(cols)
            if row[2 * i] and row[2 * i + 1] is not None and row[2 * i + 1] >= FREE_TEXT_MIN_AVG_LEN]
    if not long:
        return padded, []
    row = con.execute("SELECT " + ", ".join(f"avg(length({q(c)})), approx_count_distinct({q(c)})" for c, _ in long)
                      + " FROM wide").fetchall()[0]
    free = []
    for i, (c, n) in enumerate(long):
        avg_len, dist = row[2 * i:2 * i + 2]
        if avg_len >= FREE_TEXT_MIN_AVG_LEN and dist >= FREE_TEXT_MIN_DISTINCT_SHARE * n:
            free.append(c)
    return padded, free


def _distinct_values(con: duckdb.DuckDBPyConnection, cols: list[str]) -> set[str]:
    """`__distinct` (name, raw, n): each column's distinct raw values with their row counts, far fewer
    than rows, for typing and the fødselsnummer scan; returns the columns holding blank or padded values."""
    parts = [f"SELECT {literal(c)} AS name, {q(c)} AS raw, count(*) AS n FROM wide "
             f"WHERE {q(c)} IS NOT NULL GROUP BY {q(c)}" for c in cols]
    con.execute("CREATE OR REPLACE TEMP TABLE __distinct AS " + (
        " UNION ALL ".join(parts) if parts else "SELECT NULL::VARCHAR AS name, NULL::VARCHAR AS raw, 0 AS n LIMIT 0"))
    return {r[0] for r in con.execute(
        f"SELECT DISTINCT name FROM __distinct WHERE {_padded('raw')}").fetchall()}


# --- pseudonymisation -------------------------------------------------------------------------


def _values_table(con: duckdb.DuckDBPyConnection, name: str, columns: dict[str, list[str | None]]) -> None:
    """A small temp table from Python lists, passed as list parameters of one statement (executemany is a
    round trip per row)."""
    cols = ", ".join(f"unnest(${c}::VARCHAR[]) AS {q(c)}" for c in columns)
    con.execute(f"CREATE OR REPLACE TEMP TABLE {name} AS SELECT {cols}", columns)


def _map_joins(tables: dict[str, str], *, people: bool, padded: set[str],
               whole: set[str]) -> tuple[dict[str, str], dict[str, str]]:
    """The replacement expression per mapped column (and for `resource_kind`) and the JOIN clause feeding
    each, from the lookup tables (old, new) built on distinct values, never per row; `people`: whether
    `__resource` holds pseudonyms.

    A map covering every value of its column (`whole`: pseudonymised columns) gives its pseudonyms as
    they are; a partial one keeps the other values, cleaned as before. Pseudonyms and fødselsnummer
    replacements are never blank and never padded where the value was not."""
    # one join gives both the resource's kind and its pseudonym
    joins = {"resource_kind": "LEFT JOIN __resource r ON w.resource = r.value"}
    exprs = {"resource_kind": "r.kind"}
    if people:
        exprs["resource"] = _clean("coalesce(r.new, w.resource::VARCHAR)", "resource" in padded)
        joins["resource"] = joins["resource_kind"]
    for i, (column, table) in enumerate(tables.items()):
        joins[column] = f"LEFT JOIN {table} m{i} ON w.{q(column)}::VARCHAR = m{i}.old"
        exprs[column] = (f"m{i}.new" if column in whole
                         else _clean(f"coalesce(m{i}.new, w.{q(column)}::VARCHAR)", column in padded))
    return exprs, joins


def _resource_table(con: duckdb.DuckDBPyConnection, kinds: dict[str, tuple[str, str]], key: bytes | None) -> bool:
    """`__resource` (value, kind, decided_by, new): each raw resource name's kind, what decided it and,
    when `key` is given, the pseudonym of each one that is not a system (system names are not people:
    they stay readable). Returns whether any name is pseudonymised."""
    people = key is not None and any(k != "system" for k, _ in kinds.values())
    params: dict[str, object] = {"value": list(kinds), "kind": [k for k, _ in kinds.values()],
                                 "by": [b for _, b in kinds.values()]}
    new = "NULL::VARCHAR"
    if people:
        params.update(pseudonym.sql_params(key))
        new = f"CASE WHEN kind <> 'system' THEN {pseudonym.pseudonym_sql('value')} END"
    con.execute(f"CREATE OR REPLACE TEMP TABLE __resource AS SELECT value, kind, decided_by, {new} AS new FROM "
                "(SELECT unnest($value::VARCHAR[]) AS value, unnest($kind::VARCHAR[]) AS kind, "
                "unnest($by::VARCHAR[]) AS decided_by)", params)
    return people


def _classify_resources(con: duckdb.DuckDBPyConnection, opts: IngestOptions) -> dict[str, tuple[str, str]]:
    """(resource_kind, decided_by) per raw name, decided before names are hashed (few distinct names:
    Python is fine). How a resource behaves over the whole stored log is judged on commit."""
    system = {s.strip().lower() for s in opts.system if s.strip()}
    external = {s.strip().lower() for s in opts.external if s.strip()}
    system_name, external_name = re.compile(SYSTEM_NAME_RE), re.compile(EXTERNAL_NAME_RE)
    kinds: dict[str, tuple[str, str]] = {}
    # a resource whose timed events all take no time at all is a machine, whatever its name
    rows = con.execute("""
        SELECT * FROM (SELECT resource, sum(timed) > 0 AND bool_and(instant) FROM __roles GROUP BY resource)
        WHERE nullif(trim(resource), '') IS NOT NULL""").fetchall()
    for name, instant in rows:
        low = name.strip().lower()
        kinds[name] = (("external", "flag") if low in external
                       else ("system", "flag") if low in system
                       else ("system", "name") if system_name.search(name.strip())
                       else ("external", "name") if external_name.search(name.strip())
                       else ("system", "behaviour") if instant
                       else ("person", "default"))
    return kinds


def _personal_columns(staged: Staged, opts: IngestOptions, attrs: list[tuple[str, str]],
                      dropped: list[str]) -> set[str]:
    names = {n for n, _ in attrs}
    unknown = [p for p in opts.personal if p not in names and p not in dropped and p != "resource"]
    if unknown:
        raise InputError(f"--personal names no column of this source: {', '.join(unknown)}",
                         file=staged.source)
    return (set(opts.personal) | {n for n in names if is_personal_column(n)}) - {"resource"}


def _pseudonym_maps(con: duckdb.DuckDBPyConnection, key: bytes, personal: set[str],
                    scanned: list[str]) -> tuple[dict[str, str], list[str], int]:
    """Lookup tables (old, new) that hash people and fødselsnumre in what will be stored; returns the
    table per column, the hashed attribute columns, the fødselsnummer count. `scanned`: the attribute
    columns in `__distinct` to search."""
    tables: dict[str, str] = {}
    hashed: list[str] = []
    params = pseudonym.sql_params(key)
    for column in sorted(personal):
        table = f"__map{len(tables)}"
        con.execute(f"CREATE OR REPLACE TEMP TABLE {table} AS SELECT old, {pseudonym.pseudonym_sql('old')} AS new "
                    f"FROM (SELECT DISTINCT {q(column)}::VARCHAR AS old FROM wide WHERE {q(column)} IS NOT NULL)",
                    params)
        if con.execute(f"SELECT count(*) FROM {table}").fetchall()[0][0]:
            tables[column] = table
            hashed.append(column)
    # candidates: per distinct value, and only values long enough to hold one
    pattern = pseudonym.FNR_SQL_PATTERN
    found: dict[str, list[tuple[str, int]]] = {}
    for column in FNR_ROLES:
        c = f"{q(column)}::VARCHAR"
        rows, n = ("__roles", "sum(n)") if column in GROUPED_ROLES else ("wide", "count(*)")
        found[column] = con.execute(
            f"SELECT {c}, {n} FROM {rows} WHERE length({c}) >= {FNR_MIN_LENGTH} GROUP BY 1 "
            f"HAVING regexp_matches({c}, ?)", [pattern]).fetchall()
    for column, value, n in con.execute(
            f"SELECT name, raw, n FROM __distinct WHERE length(raw) >= {FNR_MIN_LENGTH} AND "
            f"regexp_matches(raw, ?)", [pattern]).fetchall():
        found.setdefault(column, []).append((value, n))
    fnr_total = 0
    for column in list(FNR_ROLES) + scanned:
        mapping: dict[str, str] = {}
        for value, n in found.get(column, []):
            new, hits = pseudonym.replace_fnr(value, key=key)
            if hits:
                mapping[value] = new
                fnr_total += hits * n
        if mapping:
            tables[column] = f"__map{len(tables)}"
            _values_table(con, tables[column], {"old": list(mapping), "new": list(mapping.values())})
    return tables, hashed, fnr_total


# --- typing attribute columns -----------------------------------------------------------------

_DECIMAL_COMMA = r"^-?[0-9]{1,3}(\.[0-9]{3})*,[0-9]+$|^-?[0-9]+,[0-9]+$|^-?[0-9]+$"
_NUMBER = r"^-?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][-+]?[0-9]+)?$"
_LEADING_ZERO = r"^-?0[0-9]"


def _infer_types(con: duckdb.DuckDBPyConnection, opts: IngestOptions, cols: list[str],
                 padded: set[str]) -> dict[str, str]:
    """Real types of VARCHAR attribute columns, decided on their distinct values in `__distinct` (far
    fewer than rows, and no value is ever left out); returns a typed SQL expression per column."""
    exprs: dict[str, str] = {c: _clean(f"w.{q(c)}", c in padded) for c in cols}
    if not cols:
        return exprs
    rows = con.execute(f"""
        SELECT name, sum(n), sum(n) FILTER (WHERE regexp_matches(x, {literal(_NUMBER)})),
               sum(n) FILTER (WHERE regexp_matches(x, {literal(_DECIMAL_COMMA)})),
               sum(n) FILTER (WHERE contains(x, ',')),
               sum(n) FILTER (WHERE regexp_matches(x, {literal(_LEADING_ZERO)})),
               sum(n) FILTER (WHERE CASE WHEN regexp_matches(x, '^[0-9]{{1,4}}[-./][0-9]') THEN sf_parses(x)
                                         ELSE false END),
               sum(n) FILTER (WHERE sf_is_date_only(x)), sum(n) FILTER (WHERE lower(x) IN ('true', 'false'))
        FROM (SELECT name, nullif(trim(raw), '') AS x, n FROM __distinct)
        WHERE x IS NOT NULL GROUP BY name""").fetchall()
    for c, n, num, dc, comma, lz, ts, d, b in rows:
        if c not in exprs:
            continue
        num, dc, comma, lz, ts, d, b = (v or 0 for v in (num, dc, comma, lz, ts, d, b))
        x = exprs[c]
        if num == n and lz == 0:
            exprs[c] = f"TRY_CAST({x} AS DOUBLE)"
        elif dc == n and comma > 0 and lz == 0:
            exprs[c] = f"TRY_CAST(replace(replace({x}, '.', ''), ',', '.') AS DOUBLE)"
        elif d == n and ts == n:
            exprs[c] = f"timezone({literal(opts.tz)}, sf_ts({x}))::DATE"
        elif ts == n:
            exprs[c] = f"sf_ts({x})"
        elif b == n:
            exprs[c] = f"lower({x}) = 'true'"
    return exprs


# --- the pipeline -----------------------------------------------------------------------------


def _kind_of(sql_type: str) -> str:
    t = sql_type.upper()
    if t in ("BOOLEAN",):
        return "bool"
    if t == "DATE":
        return "date"
    if t.startswith("TIMESTAMP"):
        return "time"
    if any(t.startswith(p) for p in ("DOUBLE", "FLOAT", "REAL", "DECIMAL", "INTEGER", "BIGINT", "SMALLINT",
                                     "TINYINT", "HUGEINT", "UBIGINT", "UINTEGER", "USMALLINT", "UTINYINT")):
        return "number"
    return "text"


TIME_RANGE = "TIMESTAMPTZ '0001-01-02 00:00:00+00' AND TIMESTAMPTZ '9999-12-30 00:00:00+00'"


def prepare(staged: Staged, opts: IngestOptions, *, key: bytes | None,
            progress: Progress | None = None) -> IngestReport:
    """Turn `wide` into the views `typed`, `final_events` and `final_cases` and the table
    `final_rejects` in the staging connection.

    The rows are not copied again: small scans over `wide` and its distinct values decide everything
    (pseudonyms, types, case or event attribute), and `final_events` streams into the store on commit.
    """
    con = staged.con
    say = progress or (lambda _msg: None)
    say("classifying resources")
    _role_values(con)
    kinds = _classify_resources(con, opts)
    types = _wide_types(con)
    padded, dropped = _profile(con, opts, types)
    attrs = [(n, t) for n, t in types.items() if n not in CANONICAL and n not in dropped]
    personal = _personal_columns(staged, opts, attrs, dropped) if opts.pseudonymise else set()
    # distinct values of the text attributes that are not hashed whole anyway
    scanned = [n for n, t in attrs if t == "VARCHAR" and n not in personal]
    padded |= _distinct_values(con, scanned)
    tables: dict[str, str] = {}
    hashed: list[str] = []
    fnr = 0
    if opts.pseudonymise:
        if key is None:
            raise ValueError("pseudonymisation needs a key")
        say("pseudonymising")
        tables, hashed, fnr = _pseudonym_maps(con, key, personal, scanned)
    if _resource_table(con, kinds, key if opts.pseudonymise else None):
        hashed.insert(0, "resource")
    say("typing attributes")
    mapped, joins = _map_joins(tables, people="resource" in hashed, padded=padded, whole=personal)
    typed = _infer_types(con, opts, [c for c in scanned if c not in mapped], padded)
    reject = (f"CASE WHEN w.__reject IS NOT NULL THEN w.__reject "
              f"WHEN {_clean('w.case_id', 'case_id' in padded)} IS NULL THEN 'empty case id' "
              f"WHEN {_clean('w.activity', 'activity' in padded)} IS NULL THEN 'empty activity' "
              f"WHEN w.ts_end IS NULL THEN 'missing or unparseable timestamp' "
              # a time DuckDB parses but cannot shift to local time (year 294247) fails every later step
              f"WHEN NOT (w.ts_end BETWEEN {TIME_RANGE}) THEN 'timestamp outside the years 1 to 9999' "
              f"WHEN NOT coalesce(w.ts_start BETWEEN {TIME_RANGE}, true) "
              f"THEN 'start time outside the years 1 to 9999' END")
    # every column of `typed`, as SQL over `wide w` and the joins it needs
    columns: dict[str, str] = {"__row": "w.__row"}
    for col in ("case_id", "activity", "ts_start", "ts_end", "ts_precision", "event_seq", "resource",
                "resource_kind", "lifecycle", "unit", "__reject"):
        columns[col] = (mapped.get(col) or (_clean(f"w.{col}", col in padded) if col in TEXT_ROLES else None)
                        or {"ts_precision": "coalesce(w.ts_precision, 'second')", "__reject": reject}.get(col)
                        or f"w.{col}")
    for c, _t in attrs:
        columns[c] = mapped.get(c) or typed.get(c) or f"w.{q(c)}"

    def typed_sql(names: list[str]) -> str:
        """The rows of `typed` with only `names`: a join no column needs is left out (DuckDB cannot drop
        an unused LEFT JOIN itself)."""
        needed = dict.fromkeys(joins[n] for n in names if n in joins)
        return (f"SELECT {', '.join(f'{columns[n]} AS {q(n)}' for n in names)} "
                f"FROM wide w {' '.join(needed)}")

    say("checking rows")
    # views, not tables: maps applied, attributes typed and bad rows marked as the rows stream by
    con.execute(f"CREATE OR REPLACE VIEW typed AS {typed_sql(list(columns))}")
    con.execute(f"CREATE OR REPLACE TABLE final_rejects AS SELECT row_number, reason FROM "
                f"(SELECT w.__row AS row_number, {reject} AS reason FROM wide w) WHERE reason IS NOT NULL")
    if staged.early_rejects:
        con.executemany("INSERT INTO final_rejects VALUES (?, ?)", staged.early_rejects)
    typed_types = dict(con.execute(
        "SELECT column_name, data_type FROM duckdb_columns() WHERE table_name = 'typed' ORDER BY column_index"
    ).fetchall())
    names = [n for n in typed_types if n not in CANONICAL]
    case_cols = [c for c in staged.case_columns if c in names]
    event_cols = [c for c in staged.event_columns if c in names]
    auto = [c for c in staged.auto_columns if c in names]
    # one pass per case over the raw cells: an attribute is a case attribute when constant within every
    # case (nulls ignored: min = max). A constant raw cell types and maps to a constant value, so typing
    # and maps then run on one row per case, not on every row.
    per_case = [f"min(w.{q(c)}) AS {q(c)}, max(w.{q(c)}) AS __hi{i}" for i, c in enumerate(auto)]
    con.execute(f"CREATE OR REPLACE TEMP TABLE __cases AS SELECT {columns['case_id']} AS case_id, count(*) AS __n"
                f"{''.join(', ' + p for p in per_case)} FROM wide w {joins.get('case_id', '')} "
                f"WHERE {reject} IS NULL GROUP BY 1")
    varying: list[str] = []
    if auto:
        same = con.execute("SELECT " + ", ".join(f"bool_and({q(c)} IS NOT DISTINCT FROM __hi{i})"
                                                 for i, c in enumerate(auto)) + " FROM __cases").fetchall()[0]
        varying = [c for c, s in zip(auto, same) if s is False]
    # where raw cells vary (and for `case:` columns, which take any value), decide on the typed values,
    # as padded or differently written cells may still mean one value
    sources: dict[str, tuple[str, str]] = {}  # column → (value SQL, FROM clause) for final_cases
    typed_same: dict[str, bool | None] = {}
    if case_cols or varying:
        parts = [f"min({q(c)}) AS lo{i}, max({q(c)}) AS hi{i}" for i, c in enumerate(varying)]
        parts += [f"any_value({q(c)}) FILTER (WHERE {q(c)} IS NOT NULL) AS v{i}" for i, c in enumerate(case_cols)]
        con.execute(f"CREATE OR REPLACE TEMP TABLE __cases_typed AS SELECT case_id, {', '.join(parts)} "
                    f"FROM ({typed_sql(['case_id', '__reject'] + varying + case_cols)}) WHERE __reject IS NULL "
                    f"GROUP BY case_id")
        sources.update({c: (f"v{i}", "__cases_typed") for i, c in enumerate(case_cols)})
        if varying:
            row = con.execute("SELECT " + ", ".join(f"bool_and(lo{i} IS NOT DISTINCT FROM hi{i})"
                                                    for i in range(len(varying))) + " FROM __cases_typed"
                              ).fetchall()[0]
            typed_same = dict(zip(varying, row))
    for c in auto:
        if c not in typed_same:
            case_cols.append(c)
            sources[c] = (columns[c], f"__cases w {joins.get(c, '')}")
        elif typed_same[c] is not False:
            case_cols.append(c)
            sources[c] = (f"lo{varying.index(c)}", "__cases_typed")
        else:
            event_cols.append(c)
    if event_cols:
        # concat_ws skips NULLs: sparse JSON objects, ten times faster than building maps per row
        parts = ", ".join(
            f"CASE WHEN {q(c)} IS NOT NULL THEN {literal(json.dumps(c) + ':')} || "
            f"to_json({q(c)}) END" for c in event_cols)
        attr_sql = f"nullif('{{' || concat_ws(',', {parts}) || '}}', '{{}}')::JSON"
    else:
        attr_sql = "NULL::JSON"
    say("building events")
    # a view: the JSON is built once, while the rows stream to the store
    con.execute(f"""
        CREATE OR REPLACE VIEW final_events AS
        SELECT case_id, activity, ts_start, ts_end, ts_precision, event_seq, resource, resource_kind, lifecycle,
               {attr_sql} AS attributes, unit
        FROM ({typed_sql(list(EVENT_ROLES) + ['__reject'] + event_cols)}) WHERE __reject IS NULL
    """)
    selects = []
    for c in case_cols:
        kind = _kind_of(typed_types[c])
        val = {k: "NULL" for k in ("number", "text", "time", "date", "bool")}
        v, source = sources[c]
        val[kind] = {"number": f"{v}::DOUBLE", "text": f"{v}::VARCHAR", "time": f"{v}::TIMESTAMPTZ",
                     "date": f"{v}::DATE", "bool": f"{v}::BOOLEAN"}[kind]
        label = c[5:] if c.startswith("case:") else c
        selects.append(
            f"SELECT case_id, {literal(label)} AS name, {literal(kind)} AS kind, {val['number']} AS value_number, "
            f"{val['text']} AS value_text, {val['time']} AS value_time, {val['date']} AS value_date, "
            f"{val['bool']} AS value_bool FROM {source} WHERE {val[kind]} IS NOT NULL"
        )
    if selects:
        # a view as well: one row per case and attribute, typed and mapped as it streams to the store
        con.execute("CREATE OR REPLACE VIEW final_cases AS " + " UNION ALL ".join(selects))
    else:
        con.execute("CREATE OR REPLACE TABLE final_cases (case_id VARCHAR, name VARCHAR, kind VARCHAR, "
                    "value_number DOUBLE, value_text VARCHAR, value_time TIMESTAMPTZ, value_date DATE, "
                    "value_bool BOOLEAN)")
    kept, cases = con.execute("SELECT coalesce(sum(__n), 0), count(*) FROM __cases").fetchall()[0]
    rejected = con.execute("SELECT count(*) FROM final_rejects").fetchall()[0][0]
    first = con.execute(f"SELECT row_number, reason FROM final_rejects ORDER BY row_number "
                        f"LIMIT {REJECTS_LISTED}").fetchall()
    stats = dict(staged.stats)
    stats["fodselsnummer_pseudonymised"] = fnr
    return IngestReport(
        log="", run_id=None, source=staged.source, mode=opts.mode, rows_read=staged.rows_read,
        rows_kept=int(kept), rows_rejected=rejected, cases=cases, stats=stats,
        first_rejects=tuple((int(r), str(s)) for r, s in first), dropped_columns=tuple(dropped),
        pseudonymised_columns=tuple(hashed),
    )


def existing_run(con: duckdb.DuckDBPyConnection, log_name: str, content_hash: str) -> bool:
    return bool(con.execute("SELECT count(*) FROM ingest_runs WHERE log = ? AND content_hash = ?",
                            [log_name, content_hash]).fetchone()[0])


def _stored_decisions(con: duckdb.DuckDBPyConnection) -> dict[str, resource_behaviour.Decision]:
    """This load's kind decisions per resource as stored (pseudonym or cleaned name), from `__resource`;
    where two raw names store as one, the stronger decision holds."""
    decided: dict[str, resource_behaviour.Decision] = {}
    for resource, kind, by in con.execute(
            "SELECT nullif(trim(coalesce(new, value)), ''), kind, decided_by FROM __resource").fetchall():
        if resource is not None:
            decided[resource] = resource_behaviour.stronger(decided.get(resource), resource_behaviour.given(kind, by))
    return decided


def commit(staged: Staged, report: IngestReport, opts: IngestOptions, *, store_path: str,
           log_name: str, started_at: datetime) -> IngestReport:
    """Stream the prepared views into the store in one transaction: it sees all of the load or none of it."""
    con = staged.con
    if opts.strict and report.rows_rejected:
        row, reason = report.first_rejects[0]
        raise InputError(f"{reason} (--strict: {report.rows_rejected:,} rejected rows)",
                         file=staged.source, where=f"row {row}")
    if report.rows_kept == 0:
        raise InputError("no event could be kept" + (
            f" ({report.rows_rejected:,} rejected; first: row {report.first_rejects[0][0]}: "
            f"{report.first_rejects[0][1]})" if report.first_rejects else ""), file=staged.source)
    run_id = uuid.uuid4().hex[:16]
    stats = dict(report.stats)
    # the store is attached to the staging connection: rows stream from the prepared views straight
    # into its tables inside one transaction, with no copy in between
    with store.write_attached(con, store_path) as s:
        exists = con.execute(f"SELECT count(*) FROM {s}.logs WHERE log = ?", [log_name]).fetchall()[0][0]
        if exists and opts.mode == "new":
            raise StoreError(f"log '{log_name}' already holds another source; use --replace to swap it "
                             f"or --append to add rows")
        seq_offset = 0
        if opts.mode == "replace" or not exists:
            con.execute(f"DELETE FROM {s}.events WHERE log = ?", [log_name])
            con.execute(f"DELETE FROM {s}.case_attributes WHERE log = ?", [log_name])
            con.execute(f"INSERT INTO {s}.events SELECT ?, case_id, activity, ts_start, ts_end, ts_precision, "
                        "event_seq, resource, resource_kind, lifecycle, attributes, unit FROM final_events", [log_name])
            kept = report.rows_kept
        else:  # append: continue the file order, drop exact duplicates of stored events
            seq_offset = con.execute(f"SELECT coalesce(max(event_seq) + 1, 0) FROM {s}.events WHERE log = ?",
                                     [log_name]).fetchall()[0][0]
            before = con.execute(f"SELECT count(*) FROM {s}.events WHERE log = ?", [log_name]).fetchall()[0][0]
            con.execute(
                f"""INSERT INTO {s}.events
                   SELECT ?, n.case_id, n.activity, n.ts_start, n.ts_end, n.ts_precision, n.event_seq + ?,
                          n.resource, n.resource_kind, n.lifecycle, n.attributes, n.unit
                   FROM final_events n
                   WHERE NOT EXISTS (
                     SELECT 1 FROM {s}.events e WHERE e.log = ? AND e.case_id = n.case_id
                       AND e.activity = n.activity AND e.ts_end = n.ts_end
                       AND e.ts_start IS NOT DISTINCT FROM n.ts_start
                       AND e.resource IS NOT DISTINCT FROM n.resource
                       AND e.lifecycle IS NOT DISTINCT FROM n.lifecycle
                       AND e.unit IS NOT DISTINCT FROM n.unit
                       AND e.attributes::VARCHAR IS NOT DISTINCT FROM n.attributes::VARCHAR)""",
                [log_name, seq_offset, log_name])
            after = con.execute(f"SELECT count(*) FROM {s}.events WHERE log = ?", [log_name]).fetchall()[0][0]
            kept = after - before
            stats["duplicates_dropped"] = report.rows_kept - kept
            con.execute(f"DELETE FROM {s}.case_attributes WHERE log = ? AND case_id IN "
                        f"(SELECT case_id FROM final_cases)", [log_name])
        con.execute(f"INSERT INTO {s}.case_attributes SELECT ?, * FROM final_cases", [log_name])
        # kinds from behaviour, over the whole stored log: an append or a replace recomputes them
        stats["resources_reclassified"] = resource_behaviour.classify_stored(
            con, store=s, log_name=log_name, tz=opts.tz, decided=_stored_decisions(con),
            keep_earlier=bool(exists) and opts.mode == "append")
        now = datetime.now(timezone.utc)
        settings = json.dumps({"tz": opts.tz, **staged.settings})
        if exists:
            con.execute(f"UPDATE {s}.logs SET source = ?, source_kind = ?, content_hash = ?, pseudonymised = ?, "
                        "updated_at = ?, settings = ? WHERE log = ?",
                        [staged.source, staged.source_kind, staged.content_hash, opts.pseudonymise, now,
                         settings, log_name])
        else:
            con.execute(f"INSERT INTO {s}.logs VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                        [log_name, staged.source, staged.source_kind, staged.content_hash, opts.pseudonymise,
                         now, now, settings])
        if opts.mode == "replace":
            con.execute(f"DELETE FROM {s}.ingest_rejects WHERE log = ?", [log_name])
        con.execute(f"INSERT INTO {s}.ingest_runs VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    [run_id, log_name, staged.source, staged.source_kind, staged.content_hash, opts.mode,
                     report.rows_read, kept, report.rows_rejected, started_at, now, json.dumps(stats)])
        con.execute(f"INSERT INTO {s}.ingest_rejects SELECT ?, ?, row_number, reason FROM final_rejects",
                    [run_id, log_name])
        cases_total = (report.cases if opts.mode == "replace" or not exists else con.execute(
            f"SELECT count(DISTINCT case_id) FROM {s}.events WHERE log = ?", [log_name]).fetchall()[0][0])
    return IngestReport(
        log=log_name, run_id=run_id, source=staged.source, mode=opts.mode, rows_read=report.rows_read,
        rows_kept=kept, rows_rejected=report.rows_rejected, cases=cases_total, stats=stats,
        first_rejects=report.first_rejects, dropped_columns=report.dropped_columns,
        pseudonymised_columns=report.pseudonymised_columns,
    )
