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
from dataclasses import dataclass

import duckdb
import numpy as np
import pandas as pd

from .decision_data import (
    attribute_matrix, attribute_stats, AttributeChoice, choose_attributes, _Col, decision_rows, MIN_DECISIONS,
)
from .tree_rules import _dnf, _paths, rule_text, _simplify


log = logging.getLogger(__name__)

MIN_ACCURACY = 0.9
MIN_LIFT = 0.15
MIN_TARGET_DECISIONS = 5
MAX_DEPTH = 5
CV_FOLDS = 5


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
