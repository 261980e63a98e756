"""The scoring model: a scikit-learn estimator that turns a candidate's features into a score in [0, 1].

Unsupervised (`fit(X)`), the score is a weighted mean of the features scaled to [0, 1]:

    scaled_j = clip((asinh(x_j) − lo_j) / (hi_j − lo_j), 0, 1)          lo, hi learned by `fit`
    score    = Σ_j |w_j| · (scaled_j if w_j ≥ 0 else 1 − scaled_j) / Σ_j |w_j|

`asinh` is log-like for large counts and hours and linear near zero (shares), so one scaling serves
both without a per-column switch. A negative weight is a penalty: the feature counts "the less the
better". With labels (`fit(X, y)`, y = 1 accepted / 0 rejected), a logistic regression on the scaled
features replaces the weights, and the score is its probability of "accepted"; a graded rating
(more than two values, higher = more wanted) gets a ridge regression, its prediction scaled to the
rating's range.

`DEFAULT_WEIGHTS` (for the columns in `FEATURES`, in that order) and why; "for" names the kinds a
kind-specific feature applies to (it is 0, so neither credit nor penalty, for the others):
    hours_saved_per_year      3    staff time the municipality gets back is the first thing it measures
    rule_determinism          3    for automate: a step a rule on case data decides can be automated safely
    needless_evidence         3    for eliminate: a step with no effect on outcomes is the cheapest to remove
    judgement                −3    for automate: a step whose branching no rule predicts needs a person
    waiting_hours_per_year    2    for eliminate, simplify, unblock: the waiting the change removes
    rework_share              2    for simplify: the share of cases that go through the rework
    quality_cases_per_year    1    cases spared rework or inconsistent decisions
    events_per_year           1    volume: more events, more benefit from one change
    person_share              1    only work done by people can be saved
    duration_variability     −1    for automate: standardised steps (even durations) …
    predecessor_variability  −1    … always reached the same way …
    successor_variability    −1    … and always followed by the same step are easier to automate
    case_share                0.5  how many cases see any benefit
    handover_share            0.5  handovers are friction that changing a step also removes
    kind_eliminate … unblock  0    no preference between kinds until labels teach one
A matrix with another number of columns gets equal weights (only for generic use and the checks).
"""
from __future__ import annotations

from typing import Any

import numpy as np
from sklearn.base import BaseEstimator
from sklearn.linear_model import LogisticRegression, Ridge
from sklearn.utils.multiclass import type_of_target
from sklearn.utils.validation import check_is_fitted, validate_data

KINDS = ("eliminate", "simplify", "automate", "unblock")

FEATURES: tuple[str, ...] = (
    "hours_saved_per_year", "quality_cases_per_year", "events_per_year", "case_share",
    "waiting_hours_per_year", "rule_determinism", "needless_evidence", "rework_share", "judgement",
    "duration_variability", "predecessor_variability", "successor_variability", "handover_share",
    "person_share", *(f"kind_{k}" for k in KINDS),
)

DEFAULT_WEIGHTS: dict[str, float] = {
    "hours_saved_per_year": 3.0, "quality_cases_per_year": 1.0, "events_per_year": 1.0, "case_share": 0.5,
    "waiting_hours_per_year": 2.0, "rule_determinism": 3.0, "needless_evidence": 3.0, "rework_share": 2.0,
    "judgement": -3.0, "duration_variability": -1.0, "predecessor_variability": -1.0,
    "successor_variability": -1.0, "handover_share": 0.5, "person_share": 1.0,
    **{f"kind_{k}": 0.0 for k in KINDS},
}


class CandidateScorer(BaseEstimator):
    """Score automation candidates in [0, 1]; default weights without labels, learned weights with them.

    Parameters
    ----------
    weights : dict or array-like of shape (n_features,), default=None
        Weight per feature (a dict by name needs named columns, e.g. a DataFrame with `FEATURES`).
        None uses `DEFAULT_WEIGHTS` when X has the columns of `FEATURES`, else equal weights.
    C : float, default=1.0
        Inverse regularisation strength of the supervised logistic regression (used only with y).
    """

    def __init__(self, weights: dict[str, float] | Any = None, C: float = 1.0) -> None:
        self.weights = weights
        self.C = C

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.target_tags.required = False
        return tags

    # --- fitting ---------------------------------------------------------------------------------

    def fit(self, X, y=None):
        """Learn the feature scaling from X and, with binary labels y (1 accepted, 0 rejected), the weights."""
        if y is None:
            X = validate_data(self, X, reset=True, dtype=np.float64)
        else:
            X, y = validate_data(self, X, y, reset=True, dtype=np.float64, y_numeric=False)
        z = np.arcsinh(X)
        self.lo_ = z.min(axis=0)
        self.hi_ = z.max(axis=0)
        self.weights_ = self._resolve_weights(X.shape[1])
        self.supervised_ = y is not None
        if y is not None:
            self._fit_supervised(self._scaled(X), y)
        return self

    def _fit_supervised(self, s: np.ndarray, y: np.ndarray) -> None:
        """Binary labels: logistic regression (score = P(accepted)); a graded rating: ridge regression."""
        target = type_of_target(y, input_name="y", raise_unknown=True)
        if target == "binary":
            self.classes_ = np.unique(y)
            self.model_ = LogisticRegression(C=self.C, class_weight="balanced").fit(s, y)
            self.coef_ = self.model_.coef_[0].copy()
            self.intercept_ = float(self.model_.intercept_[0])
            return
        if target not in ("multiclass", "continuous"):
            raise ValueError(f"labels must be 1/0 (accepted/rejected) or a graded rating; got a {target} target")
        y = np.asarray(y, dtype=np.float64)
        self.classes_ = None
        self.y_range_ = (float(y.min()), float(y.max()))
        self.model_ = Ridge(alpha=1.0 / self.C).fit(s, y)
        self.coef_ = np.asarray(self.model_.coef_, dtype=np.float64).copy()
        self.intercept_ = float(self.model_.intercept_)

    def _resolve_weights(self, n_features: int) -> np.ndarray:
        names = list(getattr(self, "feature_names_in_", []))
        if self.weights is None:
            if n_features == len(FEATURES) and (not names or names == list(FEATURES)):
                return np.array([DEFAULT_WEIGHTS[f] for f in FEATURES], dtype=np.float64)
            return np.ones(n_features, dtype=np.float64)
        if isinstance(self.weights, dict):
            if not names:
                if n_features != len(FEATURES):
                    raise ValueError("weights given by name need X with named columns or the FEATURES columns")
                names = list(FEATURES)
            unknown = sorted(set(self.weights) - set(names))
            if unknown:
                raise ValueError(f"weights for unknown features: {', '.join(unknown)}")
            return np.array([float(self.weights.get(n, 0.0)) for n in names], dtype=np.float64)
        w = np.asarray(self.weights, dtype=np.float64).ravel()
        if w.shape[0] != n_features:
            raise ValueError(f"{w.shape[0]} weights for {n_features} features")
        return w

    # --- scoring ---------------------------------------------------------------------------------

    def _scaled(self, X: np.ndarray) -> np.ndarray:
        z = np.arcsinh(X)
        span = self.hi_ - self.lo_
        safe = np.where(span > 0, span, 1.0)
        s = np.where(span > 0, (z - self.lo_) / safe, (z > self.lo_).astype(np.float64))
        return np.clip(s, 0.0, 1.0)

    def scaled_features(self, X) -> np.ndarray:
        """The features scaled to [0, 1] as the score sees them (not `transform`: this is no transformer)."""
        check_is_fitted(self)
        return self._scaled(validate_data(self, X, reset=False, dtype=np.float64))

    def contributions(self, X) -> np.ndarray:
        """Each feature's share of the default-weight score (rows sum to the score); for explanations."""
        s = self.scaled_features(X)
        w = self.weights_
        total = np.abs(w).sum()
        if total == 0:
            return np.zeros_like(s)
        return np.abs(w) * np.where(w >= 0, s, 1.0 - s) / total

    def score_samples(self, X) -> np.ndarray:
        """The score of each row in [0, 1]: higher means a better candidate."""
        check_is_fitted(self)
        s = self._scaled(validate_data(self, X, reset=False, dtype=np.float64))
        if self.supervised_:
            if self.classes_ is not None:
                return self.model_.predict_proba(s)[:, 1]
            lo, hi = self.y_range_
            pred = self.model_.predict(s)
            return np.clip((pred - lo) / (hi - lo), 0.0, 1.0) if hi > lo else np.full(s.shape[0], 0.5)
        w = self.weights_
        total = np.abs(w).sum()
        if total == 0:
            return np.full(s.shape[0], 0.5)
        return np.clip((np.abs(w) * np.where(w >= 0, s, 1.0 - s)).sum(axis=1) / total, 0.0, 1.0)

    def predict(self, X) -> np.ndarray:
        """Same as `score_samples`: the score in [0, 1]."""
        return self.score_samples(X)

    # --- persistence without pickle ----------------------------------------------------------------

    def to_state(self) -> dict[str, Any]:
        """The fitted state as plain JSON-ready values (no pickle in a shared store)."""
        check_is_fitted(self)
        state: dict[str, Any] = {
            "params": {"weights": self.weights if isinstance(self.weights, dict) or self.weights is None
                       else list(np.asarray(self.weights, dtype=float)), "C": self.C},
            "n_features_in": int(self.n_features_in_),
            "feature_names_in": [str(n) for n in getattr(self, "feature_names_in_", [])],
            "lo": self.lo_.tolist(), "hi": self.hi_.tolist(), "weights": self.weights_.tolist(),
            "supervised": bool(self.supervised_),
        }
        if self.supervised_:
            state |= {"classes": None if self.classes_ is None else self.classes_.tolist(),
                      "y_range": list(getattr(self, "y_range_", ())), "coef": self.coef_.tolist(),
                      "intercept": self.intercept_}
        return state

    @classmethod
    def from_state(cls, state: dict[str, Any]) -> CandidateScorer:
        """Rebuild a fitted scorer from `to_state` output."""
        est = cls(**state["params"])
        est.n_features_in_ = state["n_features_in"]
        if state.get("feature_names_in"):
            est.feature_names_in_ = np.array(state["feature_names_in"], dtype=object)
        est.lo_ = np.array(state["lo"], dtype=np.float64)
        est.hi_ = np.array(state["hi"], dtype=np.float64)
        est.weights_ = np.array(state["weights"], dtype=np.float64)
        est.supervised_ = bool(state["supervised"])
        if est.supervised_:
            est.coef_ = np.array(state["coef"], dtype=np.float64)
            est.intercept_ = float(state["intercept"])
            if state["classes"] is not None:
                est.classes_ = np.array(state["classes"])
                model = LogisticRegression(C=est.C, class_weight="balanced")
                model.classes_ = est.classes_
                model.coef_ = est.coef_.reshape(1, -1)
                model.intercept_ = np.array([est.intercept_])
            else:
                est.classes_ = None
                est.y_range_ = tuple(state["y_range"])
                model = Ridge(alpha=1.0 / est.C)
                model.coef_ = est.coef_
                model.intercept_ = est.intercept_
            model.n_features_in_ = est.n_features_in_
            est.model_ = model
        return est
