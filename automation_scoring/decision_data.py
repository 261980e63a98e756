"""What decision mining learns from: which case attributes it may use (never outcomes, resources or identifiers),
the decision rows and the attribute matrix, all built in DuckDB."""
from __future__ import annotations

import re
from dataclasses import dataclass, field

import duckdb
import pandas as pd

from saksflyt.extractors.sql_text import literal

MIN_DECISIONS = 50
MAX_ROWS_PER_POINT = 20_000
MAX_CASES = 20_000
MAX_POINTS = 60
HISTORY_ACTIVITIES = 30
MAX_LEVELS = 30
MIN_LEVEL_COVERAGE = 0.8

# Names that usually hold a case's result (matched case-insensitively as words/prefixes of the name).
OUTCOME_WORDS = ("status", "result", "resultat", "utfall", "vedtak", "outcome", "decision", "beslutning",
                 "avgjorelse", "avgjørelse", "konklusjon", "approved", "godkjent", "innvilget", "avslag")
OUTCOME_PREFIXES = ("end", "slutt")
# Names that usually hold who did the work: never used to explain a decision.
RESOURCE_WORDS = ("resource", "saksbehandler", "behandler", "handler", "user", "bruker", "ansatt",
                  "employee", "assignee", "responsible", "ansvarlig", "org")
PSEUDONYM_PREFIXES = ("ps_", "fnr_")


@dataclass(frozen=True)
class AttributeChoice:
    """Which case attributes decision mining may use, and why the others are left out."""

    used: tuple[str, ...]
    excluded: dict[str, str] = field(default_factory=dict)


# --- which attributes ---------------------------------------------------------------------------


def _words(name: str) -> list[str]:
    return [w for w in re.split(r"[^0-9a-zæøå]+", name.lower()) if w]


# Name parts of identifiers: a number that names a case or a parcel orders cases by when they were
# registered, so a rule on it is a rule on time, not on the case (BPIC 2015's IDofConceptCase).
IDENTIFIER_WORDS = frozenset({"id", "ids", "nr", "nummer", "identifier", "uuid", "guid", "key",
                              "saksnr", "saksnummer", "gnr", "bnr", "fnr", "løpenr", "lopenr"})


def _name_parts(name: str) -> list[str]:
    """Words of a name split at separators and case changes: IDofConceptCase → id, of, concept, case;
    SUMleges → sum, leges (a run of capitals is one word)."""
    return [w.lower() for w in re.findall(r"[A-ZÆØÅ]{2,}|[A-ZÆØÅ]?[a-zæøå]+|\d+", name)]


def is_identifier_name(name: str) -> bool:
    return any(w in IDENTIFIER_WORDS for w in _name_parts(name))


def is_outcome_name(name: str) -> bool:
    low = name.lower()
    words = _words(name)
    return (any(w in OUTCOME_WORDS for w in words) or any(low.startswith(p) for p in OUTCOME_PREFIXES)
            or any(w.startswith(o) for w in words for o in ("status", "result", "utfall", "vedtak")))


def is_resource_name(name: str) -> bool:
    return any(w in RESOURCE_WORDS for w in _words(name))


ATTRIBUTE_COLUMNS = ("case_id", "name", "kind", "value_number", "value_text", "value_bool")


def load_attributes(con: duckdb.DuckDBPyConnection, attrs: pd.DataFrame) -> None:
    """Put the log's long `case_attributes` rows in `sc_attrs` (the columns decision mining reads)."""
    frame = attrs.reindex(columns=list(ATTRIBUTE_COLUMNS))
    con.register("_sc_attrs_in", frame)
    try:
        con.execute("""
            CREATE OR REPLACE TEMP TABLE sc_attrs AS
            SELECT CAST(case_id AS VARCHAR) AS case_id, CAST(name AS VARCHAR) AS name, CAST(kind AS VARCHAR) AS kind,
                   CAST(value_number AS DOUBLE) AS value_number, CAST(value_text AS VARCHAR) AS value_text,
                   CAST(value_bool AS BOOLEAN) AS value_bool
            FROM _sc_attrs_in
        """)
    finally:
        con.unregister("_sc_attrs_in")


def attribute_stats(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Per attribute of `sc_attrs`: kinds, text values, distinct values, pseudonym share, top-level coverage."""
    return con.execute(f"""
        WITH t AS (SELECT name, value_text, count(*) AS k FROM sc_attrs WHERE value_text IS NOT NULL GROUP BY ALL),
        top AS (
            SELECT name, sum(k) FILTER (WHERE rn <= {MAX_LEVELS}) / sum(k) AS top_coverage
            FROM (SELECT *, row_number() OVER (PARTITION BY name ORDER BY k DESC, value_text) AS rn FROM t)
            GROUP BY name
        )
        SELECT a.name, list(DISTINCT a.kind ORDER BY a.kind) AS kinds, count(a.value_text) AS texts,
               count(DISTINCT a.value_text) AS distinct_texts,
               coalesce(avg(CAST(starts_with(a.value_text, {literal(PSEUDONYM_PREFIXES[0])})
                                 OR starts_with(a.value_text, {literal(PSEUDONYM_PREFIXES[1])}) AS DOUBLE)), 0) AS pseudonym_share,
               coalesce(any_value(top.top_coverage), 1.0) AS top_coverage
        FROM sc_attrs a LEFT JOIN top USING (name)
        GROUP BY a.name ORDER BY a.name
    """).df()


def choose_attributes(stats: pd.DataFrame, *, cases: int, outcome_attrs: tuple[str, ...] = ()) -> AttributeChoice:
    """Pick usable case attributes (see the module doc) from `attribute_stats`."""
    used: list[str] = []
    excluded: dict[str, str] = {}
    marked = {a.strip().lower() for a in outcome_attrs}
    for r in stats.itertuples(index=False):
        name, kinds = r.name, set(r.kinds)
        if name.lower() in marked:
            excluded[name] = "marked as an outcome (--outcome-attrs)"
        elif is_outcome_name(name):
            excluded[name] = "its name suggests an outcome (status/result/utfall/vedtak/end…)"
        elif is_resource_name(name):
            excluded[name] = "its name suggests a resource (who did the work)"
        elif kinds & {"time", "date"}:
            excluded[name] = "a date or time"
        elif is_identifier_name(name):
            excluded[name] = "its name suggests an identifier (a number that orders cases, not a fact about them)"
        elif kinds <= {"number", "bool"}:
            used.append(name)
        elif r.texts and r.pseudonym_share > 0.5:
            excluded[name] = "pseudonymised personal data"
        elif r.distinct_texts > MAX_LEVELS and r.top_coverage < MIN_LEVEL_COVERAGE:
            excluded[name] = f"an identifier or free text ({r.distinct_texts:,} distinct values)"
        elif r.distinct_texts > 0.5 * cases and r.distinct_texts > 2:
            excluded[name] = f"an identifier ({r.distinct_texts:,} distinct values)"
        else:
            used.append(name)
    return AttributeChoice(used=tuple(used), excluded=excluded)


# --- the decision matrix ------------------------------------------------------------------------


@dataclass(frozen=True)
class _Col:
    kind: str          # 'num' | 'cat' | 'hist'
    name: str          # attribute or activity
    level: str | None = None
    integer: bool = False
    others: tuple[str, ...] = ()   # the attribute's other levels, when they are all known (no missing)


def attribute_matrix(con: duckdb.DuckDBPyConnection, choice: AttributeChoice) -> tuple[pd.DataFrame, list[_Col]]:
    """Wide per-case matrix (index case_id) pivoted in DuckDB: numbers as they are, texts and bools one-hot
    by level (the `MAX_LEVELS` most common levels)."""
    if not choice.used:
        return pd.DataFrame(index=pd.Index([], name="case_id")), []
    con.execute("""
        CREATE OR REPLACE TEMP TABLE sc_attr_values AS
        SELECT case_id, name, kind, value_number,
               coalesce(value_text, CASE WHEN value_bool THEN 'true' WHEN NOT value_bool THEN 'false' END,
                        CAST(value_number AS VARCHAR)) AS level
        FROM sc_attrs WHERE list_contains(?, name)
    """, [list(choice.used)])
    info = con.execute("""
        SELECT name, bool_and(kind = 'number') AS numeric,
               coalesce(bool_and(value_number = floor(value_number)), true) AS integer
        FROM sc_attr_values GROUP BY name ORDER BY name
    """).fetchall()
    levels = con.execute(f"""
        WITH c AS (SELECT name, level, count(*) AS k FROM sc_attr_values GROUP BY ALL),
        r AS (SELECT *, row_number() OVER (PARTITION BY name ORDER BY k DESC, level) AS rn,
                     count(*) OVER (PARTITION BY name) AS n_levels FROM c)
        SELECT name, list(level ORDER BY level) FILTER (WHERE rn <= {MAX_LEVELS} AND level IS NOT NULL),
               max(n_levels) <= {MAX_LEVELS} AND count(*) FILTER (WHERE level IS NULL) = 0
        FROM r GROUP BY name
    """).fetchall()
    levels_of = {name: (lv or [], complete) for name, lv, complete in levels}
    exprs: list[str] = []
    params: list[object] = []
    spec: list[_Col] = []
    for name, numeric, integer in info:
        if numeric:
            exprs.append("max(value_number) FILTER (WHERE name = ?)")
            params.append(name)
            spec.append(_Col("num", name, integer=bool(integer)))
            continue
        lv, complete = levels_of.get(name, ([], False))
        for level in lv:
            exprs.append("coalesce(max(CAST(level = ? AS DOUBLE)) FILTER (WHERE name = ?), 0.0)")
            params.extend([level, name])
            others = tuple(v for v in lv if v != level) if complete else ()
            spec.append(_Col("cat", name, level=str(level), others=others))
    if not exprs:
        return pd.DataFrame(index=pd.Index([], name="case_id")), []
    cols = ", ".join(f"{e} AS c{i}" for i, e in enumerate(exprs))
    wide = con.execute(f"SELECT case_id, {cols} FROM sc_attr_values GROUP BY case_id", params).df()
    return wide.set_index("case_id").astype("float64"), spec


def decision_rows(con: duckdb.DuckDBPyConnection) -> tuple[pd.DataFrame, list[str]]:
    """Decisions at the busiest decision points with the history counts known at that moment (needs `sc_ev`)."""
    con.execute(f"""
        CREATE OR REPLACE TEMP TABLE sc_dev AS
        SELECT * FROM sc_ev WHERE case_id IN (
            SELECT case_id FROM (SELECT DISTINCT case_id FROM sc_ev) ORDER BY hash(case_id), case_id LIMIT {MAX_CASES})
    """)
    points = [r[0] for r in con.execute(f"""
        SELECT activity FROM sc_dev WHERE next_activity IS NOT NULL
        GROUP BY activity HAVING count(DISTINCT next_activity) >= 2 AND count(*) >= {MIN_DECISIONS}
        ORDER BY count(*) DESC, activity LIMIT {MAX_POINTS}
    """).fetchall()]
    history = [r[0] for r in con.execute(f"""
        SELECT activity FROM sc_dev GROUP BY activity ORDER BY count(DISTINCT case_id) DESC, activity
        LIMIT {HISTORY_ACTIVITIES}
    """).fetchall()]
    if not points:
        return pd.DataFrame(), history
    counts = ",\n".join(
        f"sum(CAST(activity = $a{i} AS INTEGER)) OVER w AS \"h{i}\"" for i in range(1, len(history) + 1))
    params: dict[str, object] = {f"a{i}": a for i, a in enumerate(history, start=1)}
    params["points"] = points
    rows = con.execute(f"""
        WITH d AS (
            SELECT case_id, pos, activity, next_activity{',' if counts else ''}
                   {counts}
            FROM sc_dev
            WINDOW w AS (PARTITION BY case_id ORDER BY pos ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW)
        )
        SELECT * FROM d
        WHERE next_activity IS NOT NULL AND list_contains($points, activity)
        QUALIFY dense_rank() OVER (PARTITION BY activity ORDER BY hash(case_id), case_id)
                <= {MAX_ROWS_PER_POINT} OR count(*) OVER (PARTITION BY activity) <= {MAX_ROWS_PER_POINT}
        ORDER BY activity, case_id, pos
    """, params).df()
    return rows, history
