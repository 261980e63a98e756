"""Models for open cases: remaining time (median and 80 % interval), missing the deadline, the next step.

Gradient boosting (scikit-learn's histogram version: fast on a million rows, native categories and
missing values). The interval is the 10 % and 90 % quantile models widened by conformal calibration
(conformalised quantile regression, Romano et al. 2019; one widening per band of predicted remaining
time) on a fifth of the training cases held out,
because quantile models alone under-cover when the process drifts, and the test is always later than
the training. Two baselines say whether the model earns its keep: the median remaining time by case
type and last activity, and by prefix length.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
from sklearn.base import BaseEstimator
from sklearn.ensemble import HistGradientBoostingClassifier, HistGradientBoostingRegressor
from sklearn.metrics import brier_score_loss, roc_auc_score
from sklearn.utils.validation import check_is_fitted

MAX_TRAIN_ROWS = 200_000  # the median and the deadline classifier
MAX_QUANTILE_ROWS = 60_000  # each interval model: quantile loss updates every leaf by a percentile
MAX_NEXT_ROWS = 30_000  # the next-activity model grows one tree per class and iteration
MAX_CODES = 250
COVERAGE = 0.8
CONFORMAL_BANDS = 5
NEXT_CLASSES = 20
PREFIX_BUCKETS = ((1, 1), (2, 2), (3, 3), (4, 5), (6, 10), (11, 20), (21, 10**9))


def _bucket(n: int) -> str:
    for lo, hi in PREFIX_BUCKETS:
        if lo <= n <= hi:
            return str(lo) if lo == hi else (f"{lo}–{hi}" if hi < 10**9 else f"≥{lo}")
    return "?"


@dataclass
class _Codes:
    """Integer codes < 255 for a categorical column (HistGradientBoosting's native categories)."""

    mapping: dict[Any, int] = field(default_factory=dict)

    def fit(self, values: pd.Series) -> "_Codes":
        top = values.dropna().value_counts().index[:MAX_CODES]
        self.mapping = {v: i for i, v in enumerate(top)}
        return self

    def transform(self, values: pd.Series) -> np.ndarray:
        out = values.map(self.mapping)
        other = values.notna() & out.isna()
        return np.where(other, MAX_CODES, out.astype("float64")).astype("float64")


class CasePredictor(BaseEstimator):
    """Fit on observations of decided cases; predict remaining days, P(miss) and the next activity."""

    def __init__(self, *, columns: list[str], categorical: list[str], random_state: int = 0,
                 max_iter: int = 200) -> None:
        self.columns = columns
        self.categorical = categorical
        self.random_state = random_state
        self.max_iter = max_iter

    def _matrix(self, frame: pd.DataFrame) -> np.ndarray:
        cols = []
        for c in self.used_:
            if c in self.codes_:
                cols.append(self.codes_[c].transform(frame[c]))
            else:
                cols.append(pd.to_numeric(frame[c], errors="coerce").astype("float64").to_numpy())
        return np.column_stack(cols) if cols else np.zeros((len(frame), 0))

    def _gbm(self, **kw: Any) -> HistGradientBoostingRegressor:
        mask = [c in self.categorical for c in self.used_]
        return HistGradientBoostingRegressor(max_iter=self.max_iter, learning_rate=0.08, max_leaf_nodes=31,
                                             min_samples_leaf=40, categorical_features=mask,
                                             random_state=self.random_state, **kw)

    def fit(self, frame: pd.DataFrame) -> "CasePredictor":
        """`frame`: features plus cid, remaining_days, miss and next_aid. The interval models are fitted
        on four fifths of the cases and calibrated on the rest (whole cases, so no case is on both sides)."""
        rng = np.random.default_rng(self.random_state)
        if len(frame) > MAX_TRAIN_ROWS:
            frame = frame.iloc[np.sort(rng.choice(len(frame), MAX_TRAIN_ROWS, replace=False))]
        self.codes_ = {c: _Codes().fit(frame[c]) for c in self.categorical}
        # a column with fewer than two values (an activity nothing leads into) carries nothing to split on
        self.used_ = [c for c in self.columns if frame[c].nunique(dropna=True) >= 2]
        X = self._matrix(frame)
        y = frame["remaining_days"].to_numpy(dtype="float64")
        cases = frame["cid"].to_numpy()
        held = np.isin(cases, rng.choice(np.unique(cases), max(1, len(np.unique(cases)) // 5), replace=False))
        fit_rows = ~held if held.sum() >= 50 and (~held).sum() >= 50 else np.ones(len(frame), dtype=bool)
        self.median_ = self._gbm(loss="absolute_error").fit(X, y)
        q_rows = np.flatnonzero(fit_rows)
        if len(q_rows) > MAX_QUANTILE_ROWS:
            q_rows = np.sort(rng.choice(q_rows, MAX_QUANTILE_ROWS, replace=False))
        self.low_ = self._gbm(loss="quantile", quantile=(1 - COVERAGE) / 2).fit(X[q_rows], y[q_rows])
        self.high_ = self._gbm(loss="quantile", quantile=(1 + COVERAGE) / 2).fit(X[q_rows], y[q_rows])
        self.edges_ = np.array([], dtype="float64")
        self.widen_ = np.zeros(1)
        if (~fit_rows).any():
            cal = ~fit_rows
            lo, hi = self.low_.predict(X[cal]), self.high_.predict(X[cal])
            mid = self.median_.predict(X[cal])
            score = np.maximum(lo - y[cal], y[cal] - hi)
            # Mondrian conformal: one widening per band of the predicted remaining time, so a week-long
            # case's misses do not widen the interval of a case a day from its decision
            self.edges_ = np.unique(np.quantile(mid, np.linspace(0, 1, CONFORMAL_BANDS + 1)[1:-1]))
            band = np.searchsorted(self.edges_, mid)
            self.widen_ = np.array([self._level(score[band == b]) for b in range(len(self.edges_) + 1)])
        miss = frame["miss"]
        self.miss_ = None
        if miss.notna().all() and miss.astype(bool).nunique() == 2:
            self.miss_ = HistGradientBoostingClassifier(
                max_iter=self.max_iter, learning_rate=0.08, min_samples_leaf=40,
                categorical_features=[c in self.categorical for c in self.used_],
                random_state=self.random_state).fit(X, miss.astype(bool).to_numpy())
        nxt = frame["next_aid"].astype("int64")
        keep = nxt.value_counts().index[:NEXT_CLASSES]
        self.next_ = None
        target = np.where(nxt.isin(keep), nxt, -2)
        if len(np.unique(target)) > 1:
            rows = np.arange(len(target))
            if len(rows) > MAX_NEXT_ROWS:
                rows = np.sort(rng.choice(rows, MAX_NEXT_ROWS, replace=False))
            self.next_ = HistGradientBoostingClassifier(
                max_iter=min(40, self.max_iter), learning_rate=0.15, max_leaf_nodes=15, min_samples_leaf=40,
                categorical_features=[c in self.categorical for c in self.used_],
                random_state=self.random_state).fit(X[rows], target[rows])
        else:
            self.next_constant_ = int(target[0]) if len(target) else -1
        return self

    @staticmethod
    def _level(score: np.ndarray) -> float:
        n = len(score)
        return float(np.quantile(score, min(1.0, math.ceil((n + 1) * COVERAGE) / n))) if n else 0.0

    def predict_miss(self, frame: pd.DataFrame) -> np.ndarray:
        """P(miss) alone (NaN without a deadline): what the risk drivers recompute per feature."""
        check_is_fitted(self, "median_")
        if self.miss_ is None:
            return np.full(len(frame), np.nan)
        p = self.miss_.predict_proba(self._matrix(frame))[:, 1]
        return np.where(frame["days_left"].to_numpy(dtype="float64") < 0, 1.0, p)  # past the deadline: a fact

    def predict(self, frame: pd.DataFrame) -> pd.DataFrame:
        check_is_fitted(self, "median_")
        X = self._matrix(frame)
        med = np.maximum(self.median_.predict(X), 0.0)
        widen = self.widen_[np.searchsorted(self.edges_, self.median_.predict(X))]
        lo = np.maximum(self.low_.predict(X) - widen, 0.0)
        hi = np.maximum(self.high_.predict(X) + widen, med)
        out = pd.DataFrame({"remaining_days": med, "remaining_low": np.minimum(lo, med),
                            "remaining_high": hi}, index=frame.index)
        out["p_miss"] = self.predict_miss(frame)
        if self.next_ is not None:
            proba = self.next_.predict_proba(X)
            best = proba.argmax(axis=1)
            out["next_aid"] = self.next_.classes_[best]
            out["next_p"] = proba[np.arange(len(X)), best]
        else:
            out["next_aid"] = self.next_constant_
            out["next_p"] = 1.0
        return out


def baselines(train: pd.DataFrame, test: pd.DataFrame) -> dict[str, np.ndarray]:
    """Median remaining days by (case type, last activity) and by prefix length, fitted on `train`."""
    overall = float(train["remaining_days"].median())
    t = train.assign(case_type=train["deadline_days"].fillna(-1), plen=train["prefix_len"].clip(upper=30))
    s = test.assign(case_type=test["deadline_days"].fillna(-1), plen=test["prefix_len"].clip(upper=30))
    tl = _median_by(t, s, ["case_type", "last_aid"])
    last = _median_by(t, s, ["last_aid"])
    type_last = np.where(np.isnan(tl), np.where(np.isnan(last), overall, last), tl)
    plen = _median_by(t, s, ["plen"])
    return {"type_and_last_activity": type_last, "prefix_length": np.where(np.isnan(plen), overall, plen)}


def _median_by(train: pd.DataFrame, test: pd.DataFrame, keys: list[str]) -> np.ndarray:
    table = train.groupby(keys, dropna=False)["remaining_days"].median().rename("m").reset_index()
    return test[keys].merge(table, on=keys, how="left")["m"].to_numpy(dtype="float64")


def evaluate(test: pd.DataFrame, pred: pd.DataFrame, base: dict[str, np.ndarray]) -> dict[str, Any]:
    """The evaluation report: MAE by prefix length against the baselines, interval coverage, AUC,
    Brier score and calibration for missing the deadline, next-activity accuracy."""
    y = test["remaining_days"].to_numpy(dtype="float64")
    err = {"model": np.abs(pred["remaining_days"].to_numpy() - y)}
    err |= {f"baseline_{k}": np.abs(v - y) for k, v in base.items()}
    buckets = test["prefix_len"].map(_bucket)
    rows = []
    for label in dict.fromkeys(_bucket(lo) for lo, _ in PREFIX_BUCKETS):
        m = (buckets == label).to_numpy()
        if m.any():
            rows.append({"prefix_length": label, "observations": int(m.sum()),
                         **{k: round(float(v[m].mean()), 2) for k, v in err.items()}})
    mae = {k: round(float(v.mean()), 2) for k, v in err.items()}
    best = min(v for k, v in mae.items() if k != "model")
    inside = (y >= pred["remaining_low"].to_numpy()) & (y <= pred["remaining_high"].to_numpy())
    report: dict[str, Any] = {
        "observations": int(len(test)),
        "mae_days": mae,
        "improvement_over_best_baseline": round(1 - mae["model"] / best, 3) if best > 0 else None,
        "mae_by_prefix_length": rows,
        "interval": {"target": COVERAGE, "coverage": round(float(inside.mean()), 3),
                     "median_width_days": round(float(np.median(pred["remaining_high"] - pred["remaining_low"])), 1)},
    }
    miss = test["miss"]
    if pred["p_miss"].notna().all() and miss.notna().all() and miss.astype(bool).nunique() == 2:
        p = pred["p_miss"].to_numpy(dtype="float64")
        t = miss.astype(bool).to_numpy()
        bins = np.minimum((p * 10).astype(int), 9)
        report["miss"] = {
            "base_rate": round(float(t.mean()), 3),
            "auc": round(float(roc_auc_score(t, p)), 3),
            "brier": round(float(brier_score_loss(t, p)), 4),
            "brier_base_rate": round(float(brier_score_loss(t, np.full(len(t), t.mean()))), 4),
            "calibration": [{"bin": f"{b / 10:.1f}–{(b + 1) / 10:.1f}", "observations": int((bins == b).sum()),
                             "predicted": round(float(p[bins == b].mean()), 3),
                             "observed": round(float(t[bins == b].mean()), 3)}
                            for b in range(10) if (bins == b).any()],
        }
    else:
        report["miss"] = None
    if "next_aid" in pred:
        report["next_activity_accuracy"] = round(float((pred["next_aid"].to_numpy()
                                                        == test["next_aid"].to_numpy()).mean()), 3)
    return report
