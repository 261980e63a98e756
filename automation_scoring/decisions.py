"""Decision mining: at each decision point, can a rule on the case data say which activity comes next?

A *decision point* is an activity followed by different activities in different cases. Each time a
case leaves it is one *decision* (a case that loops decides more than once). For every next activity B
seen often enough, a `DecisionTreeClassifier` predicts "the next activity is B" from what is known at
that moment:
- the case attributes, except dates and times, resources and identifiers (text with too many
  distinct values, pseudonyms, or a name saying id/nr/nummer…), and attributes the user marks as outcomes (`outcome_attrs`; by
  default names like status, result, utfall, vedtak, end…): an outcome attribute is written after the
  decision, and using it would "predict" the decision from its own result;
- which activities already happened in the case, and how often (the decision point itself included).
Never the resource who decides and never a timestamp.

Accuracy is measured out of fold, with folds grouped by case (GroupKFold), so one case's decisions are
never both learnt from and tested on. "Rule-based" means at least `MIN_DECISIONS` decisions and an
accuracy of at least max(0.9, majority baseline + 0.15). The rule is then the tree refitted on all
decisions, written as every path that leads to B, each path's conditions merged per attribute and
simplified (a condition goes when dropping it selects exactly the same decisions), e.g.
`vedlegg_antall < 3, or tiltakstype = naeringsbygg and vedlegg_antall < 5 → Be om tilleggsdokumentasjon`.

The decision rows and the attribute matrix come from DuckDB (windowed counts for the history, a pivot
for the attributes); sklearn sees only those rows: the decisions of at most `MAX_CASES` cases (a fixed
sample by a hash of the case id), at most `MAX_ROWS_PER_POINT` per decision point.
"""
from __future__ import annotations

import logging
import math
import re
from dataclasses import dataclass, field

import duckdb
import numpy as np
import pandas as pd

from saksflyt.extractors.sql_text import literal

log = logging.getLogger(__name__)

MIN_DECISIONS = 50
MIN_ACCURACY = 0.9
MIN_LIFT = 0.15
MIN_TARGET_DECISIONS = 5
MAX_ROWS_PER_POINT = 20_000
MAX_CASES = 20_000
MAX_POINTS = 60
HISTORY_ACTIVITIES = 30
MAX_LEVELS = 30
MIN_LEVEL_COVERAGE = 0.8
MAX_DEPTH = 5
CV_FOLDS = 5

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


@dataclass(frozen=True)
class DecisionRule:
    """What decides "after `decision_point` comes `next_activity`", and how well a rule predicts it."""

    decision_point: str
    next_activity: str
    decisions: int            # decisions taken at the decision point (rows)
    target_decisions: int     # of which went to next_activity
    cases: int                # distinct cases among the decisions
    accuracy: float | None    # out-of-fold accuracy (GroupKFold by case); None if too few decisions
    baseline: float           # majority baseline: max(share, 1 − share)
    rule_based: bool
    rule: str | None          # plain words: every path to next_activity, simplified; None if no path
    uses: tuple[str, ...]     # attributes and activities the rule names
    covered: int              # decisions the rule selects …
    covered_correct: int      # … and of them, how many did go to next_activity
    on_case_data: bool = False  # the rule names a case attribute, not only which steps happened already

    @property
    def share(self) -> float:
        return self.target_decisions / self.decisions if self.decisions else 0.0

    @property
    def unexplained(self) -> float:
        """The part of the branching no rule explains: out-of-fold error over the baseline's error."""
        return _unexplained(self.accuracy, self.baseline)

    def describe(self) -> str | None:
        """The rule with its accuracy and support, as candidates show it."""
        if self.rule is None:
            return None
        acc = "n/a" if self.accuracy is None else f"{self.accuracy:.1%}"
        return (f"{self.rule} [after {self.decision_point}; accuracy {acc} in grouped {CV_FOLDS}-fold "
                f"cross-validation (majority baseline {self.baseline:.1%}); support {self.decisions:,} decisions "
                f"in {self.cases:,} cases, {self.target_decisions:,} to {self.next_activity}; the rule selects "
                f"{self.covered:,}, {self.covered_correct:,} of them correctly]")


@dataclass(frozen=True)
class DecisionPoint:
    """The whole decision after `decision_point`: every branch, one multi-class rule, its accuracy.

    A routing rule is a candidate for automating the decision taken at the step it follows; the
    branches' own work is never credited to it.
    """

    decision_point: str
    decisions: int
    cases: int
    branches: tuple[tuple[str, int], ...]   # (next activity, decisions), busiest first
    accuracy: float | None                  # out-of-fold accuracy of the multi-class tree (GroupKFold by case)
    baseline: float                         # the commonest branch's share
    rule_based: bool
    rule: str | None                        # every branch's paths, "; "-separated
    uses: tuple[str, ...]
    on_case_data: bool = False              # a case attribute decides, not only which steps happened already

    @property
    def unexplained(self) -> float:
        """The part of the branching no rule explains: out-of-fold error over the baseline's error."""
        return _unexplained(self.accuracy, self.baseline)


def _unexplained(accuracy: float | None, baseline: float) -> float:
    if accuracy is None or baseline >= 1.0:
        return 0.0
    return float(min(max((1.0 - accuracy) / (1.0 - baseline), 0.0), 1.0))


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


# --- rules from a fitted tree -------------------------------------------------------------------


@dataclass
class _Term:
    """One path: per column, bounds (lo < x ≤ hi) and whether missing values go this way."""

    bounds: dict[int, list[float]]
    missing_ok: dict[int, bool]

    def mask(self, X: np.ndarray) -> np.ndarray:
        m = np.ones(X.shape[0], dtype=bool)
        for j, (lo, hi) in self.bounds.items():
            x = X[:, j]
            ok = (x > lo) & (x <= hi)
            if self.missing_ok.get(j, False):
                ok |= np.isnan(x)
            m &= ok
        return m


def _paths(tree, target_index: int, *, plurality: bool = False) -> list[_Term]:
    """Paths to leaves predicting the target: by majority (> half), or by plurality in a multi-class tree."""
    t = tree.tree_
    out: list[_Term] = []
    missing_left = getattr(t, "missing_go_to_left", None)

    def walk(node: int, bounds: dict[int, list[float]], miss: dict[int, bool]) -> None:
        left, right = t.children_left[node], t.children_right[node]
        if left == right:  # a leaf
            value = t.value[node][0]
            wins = (int(value.argmax()) == target_index) if plurality else value[target_index] / value.sum() > 0.5
            if value.sum() > 0 and wins:
                out.append(_Term({k: list(v) for k, v in bounds.items()}, dict(miss)))
            return
        j, thr = int(t.feature[node]), float(t.threshold[node])
        go_left = bool(missing_left[node]) if missing_left is not None else True
        lo, hi = bounds.get(j, [-math.inf, math.inf])
        lb = dict(bounds)
        lb[j] = [lo, min(hi, thr)]
        lm = dict(miss)
        lm[j] = miss.get(j, True) and go_left
        walk(left, lb, lm)
        rb = dict(bounds)
        rb[j] = [max(lo, thr), hi]
        rm = dict(miss)
        rm[j] = miss.get(j, True) and not go_left
        walk(right, rb, rm)

    walk(0, {}, {})
    return out


def _dnf(terms: list[_Term], X: np.ndarray) -> np.ndarray:
    m = np.zeros(X.shape[0], dtype=bool)
    for term in terms:
        m |= term.mask(X)
    return m


def _simplify(terms: list[_Term], X: np.ndarray) -> list[_Term]:
    """Drop each bound, then each path, whose removal selects exactly the same decisions."""
    target = _dnf(terms, X)
    terms = [_Term({k: list(v) for k, v in t.bounds.items()}, dict(t.missing_ok)) for t in terms]
    for term in terms:
        for j in sorted(term.bounds):
            for side in (0, 1):
                old = term.bounds[j][side]
                if math.isinf(old):
                    continue
                term.bounds[j][side] = -math.inf if side == 0 else math.inf
                if not np.array_equal(_dnf(terms, X), target):
                    term.bounds[j][side] = old
            if all(math.isinf(b) for b in term.bounds[j]):
                del term.bounds[j]
                term.missing_ok.pop(j, None)
    kept = list(terms)
    for term in sorted(terms, key=lambda t: int(t.mask(X).sum())):
        rest = [t for t in kept if t is not term]
        if rest and np.array_equal(_dnf(rest, X), target):
            kept = rest
    return kept


def _fmt(x: float) -> str:
    return f"{x:,.4g}".replace(",", " ") if abs(x) >= 1000 else f"{x:.4g}"


def _condition_texts(term: _Term, spec: list[_Col]) -> list[tuple[int, str, str]]:
    """(order, name, text) per merged condition of one path."""
    out: list[tuple[int, str, str]] = []
    cats: dict[str, tuple[list[str], list[str], tuple[str, ...]]] = {}
    for j, (lo, hi) in term.bounds.items():
        col = spec[j]
        if col.kind == "cat":
            eq, ne, _ = cats.setdefault(col.name, ([], [], tuple(sorted((col.level or "",) + col.others))))
            (eq if lo >= 0.5 else ne).append(col.level or "")
            continue
        if col.kind == "hist":
            q = f"\u201c{col.name}\u201d"
            lo_n = -1 if math.isinf(lo) else math.floor(lo)
            hi_n = None if math.isinf(hi) else math.floor(hi)
            if hi_n is not None and hi_n <= 0:
                out.append((3, col.name, f"{q} not done yet"))
            elif hi_n is None and lo_n <= 0:
                out.append((3, col.name, f"{q} done"))
            elif hi_n is None:
                out.append((3, col.name, f"{q} done more than {lo_n} times"))
            elif lo_n <= 0:
                out.append((3, col.name, f"{q} done at most {hi_n} times"))
            else:
                out.append((3, col.name, f"{q} done {lo_n + 1} to {hi_n} times"))
            continue
        miss = " (or unknown)" if term.missing_ok.get(j, False) else ""
        if col.integer:
            lo_t = None if math.isinf(lo) else math.floor(lo) + 1   # x > lo ⇔ x ≥ floor(lo) + 1
            hi_t = None if math.isinf(hi) else math.floor(hi) + 1   # x ≤ hi ⇔ x < floor(hi) + 1
            if lo_t is not None and hi_t is not None:
                text = f"{lo_t} ≤ {col.name} < {hi_t}"
            elif hi_t is not None:
                text = f"{col.name} < {hi_t}"
            else:
                text = f"{col.name} ≥ {lo_t}"
        else:
            if not math.isinf(lo) and not math.isinf(hi):
                text = f"{_fmt(lo)} < {col.name} ≤ {_fmt(hi)}"
            elif not math.isinf(hi):
                text = f"{col.name} ≤ {_fmt(hi)}"
            else:
                text = f"{col.name} > {_fmt(lo)}"
        out.append((2, col.name, text + miss))
    for name, (eq, ne, levels) in cats.items():
        rest = [v for v in levels if v not in ne]
        if not eq and len(levels) > 1 and len(rest) == 1:
            eq = rest  # "≠ nei" of a yes/no attribute reads better as "= ja"
        if eq:
            out.append((0, name, f"{name} = {eq[0]}"))
        elif len(ne) == 1:
            out.append((1, name, f"{name} ≠ {ne[0]}"))
        else:
            out.append((1, name, f"{name} not in {{{', '.join(sorted(ne))}}}"))
    return sorted(out)


def rule_text(terms: list[_Term], spec: list[_Col], X: np.ndarray, target: str) -> tuple[str | None, tuple[str, ...]]:
    """Plain words for a set of paths: `a < 3, or b = x and a < 5 → target`, busiest path first."""
    if not terms:
        return None, ()
    ordered = sorted(terms, key=lambda t: -int(t.mask(X).sum()))
    parts: list[str] = []
    uses: list[str] = []
    for term in ordered:
        conds = _condition_texts(term, spec)
        if not conds:
            return f"always → {target}", ()
        parts.append(" and ".join(c[2] for c in conds))
        uses.extend(c[1] for c in conds)
    return ", or ".join(parts) + f" → {target}", tuple(dict.fromkeys(uses))


# --- mining ----------------------------------------------------------------------------------


def _varies(x: np.ndarray) -> bool:
    """A column a tree can split on: two distinct values, or known values and missing ones."""
    known = x[~np.isnan(x)]
    return known.size > 0 and (known.min() != known.max() or known.size < x.size)


def mine(con: duckdb.DuckDBPyConnection, *, outcome_attrs: tuple[str, ...] = (), random_state: int = 0,
         progress=None) -> tuple[list[DecisionRule], AttributeChoice, list[DecisionPoint]]:
    """Every decision point's next activities with their rules, and each point's multi-class rule
    (needs `sc_ev` and `sc_attrs`)."""
    from sklearn.model_selection import GroupKFold
    from sklearn.tree import DecisionTreeClassifier

    cases = con.execute("SELECT count(DISTINCT case_id) FROM sc_ev").fetchall()[0][0]
    choice = choose_attributes(attribute_stats(con), cases=cases, outcome_attrs=outcome_attrs)
    wide, attr_spec = attribute_matrix(con, choice)
    cat_cols = [j for j, c in enumerate(attr_spec) if c.kind == "cat"]
    rows, history = decision_rows(con)
    if rows.empty:
        return [], choice, []
    attr_names = {c.name for c in attr_spec}
    hist_spec = [_Col("hist", a, integer=True) for a in history]
    hist_cols = [f"h{i}" for i in range(1, len(history) + 1)]
    out: list[DecisionRule] = []
    whole: list[DecisionPoint] = []
    points = list(dict.fromkeys(rows["activity"]))
    for n_point, point in enumerate(points):
        if progress:
            progress(f"decision point {n_point + 1}/{len(points)}")
        d = rows[rows["activity"] == point]
        if attr_spec:
            a = wide.reindex(d["case_id"]).to_numpy(dtype=np.float64, copy=True)
            a[:, cat_cols] = np.nan_to_num(a[:, cat_cols], nan=0.0)  # no value: not that level
        else:
            a = np.empty((len(d), 0))
        X = np.hstack([a, d[hist_cols].to_numpy(dtype=np.float64)]) if hist_cols else a
        spec = attr_spec + hist_spec
        keep = [j for j in range(X.shape[1]) if _varies(X[:, j])]
        X = X[:, keep]
        spec = [spec[j] for j in keep]
        groups = d["case_id"].to_numpy()
        n_cases = len(np.unique(groups))
        targets = d["next_activity"].value_counts()
        leaf = max(5, len(d) // 200)

        def make() -> DecisionTreeClassifier:
            return DecisionTreeClassifier(max_depth=MAX_DEPTH, min_samples_leaf=leaf, random_state=random_state)

        # In a two-way decision "next is B" is "next is not A": the same trees answer both.
        two_way = len(targets) == 2
        splits: list[tuple[np.ndarray, np.ndarray]] | None = None  # the same folds for every next activity
        fitted: tuple[np.ndarray | None, DecisionTreeClassifier | None] | None = None
        for target, k in targets.items():
            if k < MIN_TARGET_DECISIONS or k == len(d):
                continue
            y = (d["next_activity"] == target).to_numpy()
            baseline = float(max(y.mean(), 1 - y.mean()))
            want = True
            if two_way and fitted is not None:
                oof, tree = fitted
                oof = None if oof is None else ~oof
                want = False
            else:
                oof = None
                if len(y) >= MIN_DECISIONS and n_cases >= 2 and X.shape[1]:
                    oof = np.zeros(len(y), dtype=bool)
                    if splits is None:
                        splits = list(GroupKFold(n_splits=min(CV_FOLDS, n_cases)).split(X, groups=groups))
                    for train, test in splits:
                        oof[test] = make().fit(X[train], y[train]).predict(X[test])
                tree = make().fit(X, y) if X.shape[1] else None
                fitted = (oof, tree)
            accuracy = float((oof == y).mean()) if oof is not None else (baseline if X.shape[1] == 0 else None)
            rule_based = (accuracy is not None and len(y) >= MIN_DECISIONS
                          and accuracy >= max(MIN_ACCURACY, baseline + MIN_LIFT))
            text, uses, covered, correct = None, (), 0, 0
            if tree is not None:
                classes = list(tree.classes_)
                terms = _paths(tree, classes.index(want)) if want in classes else []
                terms = _simplify(terms, X) if terms else []
                text, uses = rule_text(terms, spec, X, str(target))
                sel = _dnf(terms, X) if terms else np.zeros(len(y), dtype=bool)
                covered, correct = int(sel.sum()), int((sel & y).sum())
            out.append(DecisionRule(
                decision_point=point, next_activity=str(target), decisions=len(y), target_decisions=int(k),
                cases=n_cases, accuracy=accuracy, baseline=baseline, rule_based=bool(rule_based), rule=text,
                uses=uses, covered=covered, covered_correct=correct,
                on_case_data=any(u in attr_names for u in uses)))
        point_rule = _point_rule(point, d, X, spec, groups, n_cases, make, splits)
        if point_rule is not None:
            whole.append(point_rule)
    return out, choice, whole


OTHER = "(other)"


def _point_rule(point: str, d: pd.DataFrame, X: np.ndarray, spec: list[_Col], groups: np.ndarray, n_cases: int,
                make, splits) -> DecisionPoint | None:
    """One multi-class tree for the decision at `point`: rare branches pooled, accuracy out of fold."""
    from sklearn.model_selection import GroupKFold

    counts = d["next_activity"].value_counts()
    branches = tuple((str(a), int(k)) for a, k in counts.items())
    keep = {a for a, k in branches if k >= MIN_TARGET_DECISIONS}
    y = np.where(d["next_activity"].isin(keep), d["next_activity"].to_numpy(dtype=object), OTHER).astype(str)
    classes = np.unique(y)
    if len(classes) < 2:
        return None
    baseline = float(pd.Series(y).value_counts(normalize=True).iloc[0])
    accuracy = None
    tree = None
    if X.shape[1] and len(y) >= MIN_DECISIONS and n_cases >= 2:
        if splits is None:
            splits = list(GroupKFold(n_splits=min(CV_FOLDS, n_cases)).split(X, groups=groups))
        oof = np.empty(len(y), dtype=object)
        for train, test in splits:
            oof[test] = make().fit(X[train], y[train]).predict(X[test])
        accuracy = float((oof == y).mean())
        tree = make().fit(X, y)
    rule_based = accuracy is not None and accuracy >= max(MIN_ACCURACY, baseline + MIN_LIFT)
    texts: list[str] = []
    uses: list[str] = []
    if tree is not None:
        fitted = list(tree.classes_)
        for target, _k in branches:
            if target not in fitted:
                continue
            terms = _paths(tree, fitted.index(target), plurality=True)
            terms = _simplify(terms, X) if terms else []
            text, used = rule_text(terms, spec, X, target)
            if text:
                texts.append(text)
                uses.extend(used)
    attributes = {c.name for c in spec if c.kind != "hist"}
    on_case_data = any(u in attributes for u in uses)  # what the simplified rule names, not every split
    return DecisionPoint(decision_point=point, decisions=len(y), cases=n_cases, branches=branches,
                         accuracy=accuracy, baseline=baseline, rule_based=bool(rule_based),
                         rule="; ".join(texts) or None, uses=tuple(dict.fromkeys(uses)),
                         on_case_data=bool(on_case_data))
