"""Fallback evidence when a log's mining run has no insights stored (needless steps, rework, queues).

Scoring reads mining's stored insight tables first (`mining_needless`, `mining_rework`,
`mining_bottlenecks`). A log mined before those phases existed, or not mined at all, still gets
candidates of every kind from these compact versions, computed here over `sc_ev` in DuckDB SQL, with
the same output shapes as mining's readers. Each candidate's reasons say which source was used.

- `rework_patterns`: an event whose activity already occurred in the case is a return; consecutive
  returns form one instance, keyed by its cycle (from the earlier occurrence of its last activity to
  it): two steps = a repeat, A B A = ping-pong, longer = a loop.
- `needless_steps`: optional staff steps (≥ `MIN_CASES` closed cases with and without) with the
  verdicts of `mining.needless`: `needless` when they change no outcome (end activity: chi-square,
  Benjamini–Hochberg q ≥ 0.05 or Cramér's V < 0.1) and who handles the case predicts them (balanced
  accuracy ≥ 0.75) better than the case attributes; `unexplained` when nothing predicts them.
- `queues`: staff activities ranked by the waiting in front of them.
"""
from __future__ import annotations

import math
from typing import Any

import duckdb
import numpy as np
import pandas as pd

from .decision_data import AttributeChoice, attribute_matrix

MIN_CASES = 30
ALPHA = 0.05
MIN_CRAMERS_V = 0.1
PREDICTS = 0.75
MIN_CASE_SHARE = 0.005
MAX_FIT_CASES = 20_000


def rework_patterns(con: duckdb.DuckDBPyConnection) -> list[dict[str, Any]]:
    total = con.execute("SELECT count(*) FROM sc_cases").fetchall()[0][0] or 1
    rows = con.execute("""
        WITH r AS (
            SELECT case_id, pos, activity, occ, end_us, is_day,
                   lag(pos) OVER (PARTITION BY case_id, activity ORDER BY pos) AS prev_same
            FROM sc_ev
        ),
        g AS (SELECT *, sum(CAST(occ = 1 AS INTEGER)) OVER (PARTITION BY case_id ORDER BY pos) AS grp FROM r),
        inst AS (SELECT case_id, grp, max(pos) AS j, arg_max(prev_same, pos) AS k FROM g WHERE occ > 1 GROUP BY ALL),
        cyc AS (
            SELECT i.case_id, i.grp, list(e.activity ORDER BY e.pos) AS cycle,
                   CASE WHEN bool_or(e.is_day) THEN NULL
                        ELSE (max(e.end_us) - min(e.end_us)) / 3.6e9 END AS added
            FROM inst i JOIN sc_ev e ON e.case_id = i.case_id AND e.pos BETWEEN i.k AND i.j
            GROUP BY i.case_id, i.grp
        )
        SELECT cycle, count(DISTINCT case_id) AS cases, sum(added) AS added, median(added) AS med
        FROM cyc GROUP BY cycle HAVING count(DISTINCT case_id) >= greatest(3, ?)
        ORDER BY cases DESC, cycle
    """, [MIN_CASE_SHARE * total]).fetchall()
    out = []
    for cycle, cases, added, med in rows:
        kind = "repeat" if len(cycle) == 2 else "ping-pong" if len(cycle) == 3 and cycle[0] == cycle[2] else "loop"
        out.append({"activities": list(cycle), "kind": kind, "between": "activities", "cases": int(cases),
                    "case_share": cases / total, "hours_added": added, "median_hours_added": med,
                    "evidence": []})
    return out


def queues(feats: pd.DataFrame) -> list[dict[str, Any]]:
    staff = feats[(feats["person_share"] >= 0.5) & (feats["waiting_hours"] > 0)]
    staff = staff.sort_values(["waiting_hours", "activity"], ascending=[False, True])
    return [{"rank": i, "activity": r.activity, "edge": None, "internal": True,
             "total_wait_hours": float(r.waiting_hours), "wait_basis": r.wait_basis, "evidence": []}
            for i, r in enumerate(staff.itertuples(index=False), start=1)]


def _balanced_accuracy(x: np.ndarray, y: np.ndarray, random_state: int) -> float | None:
    from sklearn.model_selection import StratifiedKFold, cross_val_score
    from sklearn.tree import DecisionTreeClassifier

    if x.shape[1] == 0 or min(y.sum(), (~y).sum()) < 5:
        return None
    tree = DecisionTreeClassifier(max_depth=4, min_samples_leaf=max(5, len(y) // 200), class_weight="balanced",
                                  random_state=random_state)
    cv = StratifiedKFold(n_splits=5, shuffle=True, random_state=random_state)
    return float(cross_val_score(tree, x, y, cv=cv, scoring="balanced_accuracy").mean())


def needless_steps(con: duckdb.DuckDBPyConnection, feats: pd.DataFrame, choice: AttributeChoice, *,
                   end_activities: tuple[str, ...], rework: list[dict[str, Any]],
                   random_state: int = 0) -> list[dict[str, Any]]:
    from scipy import stats as sps

    closed = con.execute("""
        SELECT c.case_id, c.end_activity, (max(e.end_us) - min(e.end_us)) / 3.6e9 AS hours
        FROM sc_cases c JOIN sc_ev e USING (case_id) WHERE c.closed GROUP BY ALL ORDER BY c.case_id
    """).df().set_index("case_id")
    n = len(closed)
    in_rework = {a for r in rework for a in r["activities"]}
    cand = feats[(feats["person_share"] >= 0.5) & ~feats["mandatory"] & ~feats["activity"].isin(end_activities)
                 & ~feats["activity"].isin(in_rework) & (feats["closed_cases"] >= MIN_CASES)
                 & (n - feats["closed_cases"] >= MIN_CASES)]
    if cand.empty:
        return []
    presence = con.execute("""
        SELECT DISTINCT e.case_id, e.activity FROM sc_ev e JOIN sc_cases c USING (case_id)
        WHERE c.closed AND list_contains(?, e.activity)
    """, [list(cand["activity"])]).df()
    has = pd.crosstab(presence["case_id"], presence["activity"]).reindex(index=closed.index, fill_value=0) > 0
    # the presence classifiers learn from a fixed sample of closed cases (the tests use all of them)
    rng = np.random.default_rng(random_state)
    fit = np.sort(rng.choice(n, MAX_FIT_CASES, replace=False)) if n > MAX_FIT_CASES else np.arange(n)
    fit_ids = closed.index[fit]
    wide, spec = attribute_matrix(con, choice)
    attr_x = wide.reindex(fit_ids).to_numpy(dtype=np.float64) if spec else np.empty((len(fit), 0))
    attr_x = np.nan_to_num(attr_x, nan=-1.0)
    con.register("_sc_fit_cases", pd.DataFrame({"case_id": fit_ids}))
    outcome = closed["end_activity"].to_numpy()
    rows: list[dict[str, Any]] = []
    for activity in cand["activity"]:
        y = has[activity].to_numpy() if activity in has else np.zeros(n, dtype=bool)
        table = pd.crosstab(y, outcome).to_numpy()
        chi2, p, _, _ = sps.chi2_contingency(table, correction=False) if table.shape == (2, table.shape[1]) and \
            table.shape[1] > 1 else (0.0, 1.0, None, None)
        v = math.sqrt(chi2 / (n * max(min(table.shape) - 1, 1)))
        hours = closed["hours"].to_numpy(dtype=float)
        w, wo = hours[y & ~np.isnan(hours)], hours[~y & ~np.isnan(hours)]
        pd_ = float(sps.mannwhitneyu(w, wo).pvalue) if len(w) and len(wo) else 1.0
        handler = con.execute("""
            WITH c AS (
                SELECT e.case_id, e.resource, count(*) AS k FROM sc_ev e SEMI JOIN _sc_fit_cases f USING (case_id)
                WHERE e.staff AND e.resource IS NOT NULL AND e.activity <> ? GROUP BY ALL
            )
            SELECT case_id, arg_max(resource, (k, resource)) AS resource FROM c GROUP BY case_id
        """, [activity]).df().set_index("case_id").reindex(fit_ids)
        res_x = pd.get_dummies(handler["resource"]).to_numpy(dtype=np.float64)
        rows.append({"activity": activity, "cases_with": int(y.sum()), "cases_without": int(n - y.sum()),
                     "p_outcome": float(p), "cramers_v": v, "p_duration": pd_,
                     "median_hours_with": float(np.median(w)) if len(w) else None,
                     "median_hours_without": float(np.median(wo)) if len(wo) else None,
                     "attribute_score": _balanced_accuracy(attr_x, y[fit], random_state),
                     "resource_score": _balanced_accuracy(res_x, y[fit], random_state)})
    con.unregister("_sc_fit_cases")
    q_out = sps.false_discovery_control([r["p_outcome"] for r in rows], method="bh")
    q_dur = sps.false_discovery_control([r["p_duration"] for r in rows], method="bh")
    out = []
    for r, qo, qd in zip(rows, q_out, q_dur):
        attr, res = r["attribute_score"] or 0.0, r["resource_score"] or 0.0
        predicted_by = "case_attributes" if attr >= PREDICTS else "resource" if res >= PREDICTS else "nothing"
        if qo < ALPHA and r["cramers_v"] >= MIN_CRAMERS_V:
            verdict = "changes_outcome"
        elif predicted_by == "case_attributes":
            verdict = "rule_driven"
        elif predicted_by == "resource":
            verdict = "needless"
        else:
            verdict = "unexplained"
        out.append({"activity": r["activity"], "cases_with": r["cases_with"], "cases_without": r["cases_without"],
                    "p_values_bh": {"outcome": float(qo), "duration": float(qd)},
                    "effect_sizes": {"outcome_cramers_v": r["cramers_v"]},
                    "median_hours_with": r["median_hours_with"], "median_hours_without": r["median_hours_without"],
                    "presence_scores": {"case_attributes": r["attribute_score"], "resource": r["resource_score"]},
                    "predicted_by": predicted_by, "verdict": verdict, "evidence": []})
    return out
