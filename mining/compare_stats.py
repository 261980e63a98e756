"""The comparison's statistics: Kaplan–Meier quantiles (open cases censored), bootstrap intervals, two-proportion
and Mann–Whitney p-values, Benjamini–Hochberg; pure functions over numpy arrays."""
from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import numpy as np

Z95 = 1.959963984540054


# --- statistics -----------------------------------------------------------------------------------


def km_quantiles(t: np.ndarray, event: np.ndarray, probs: Sequence[float], *, within: float | None = None
                 ) -> tuple[np.ndarray, np.ndarray | None]:
    """Kaplan–Meier quantiles of durations `t` (rows: samples) with `event` False where censored.

    Works on a 2-D array (one bootstrap sample per row). A quantile q is the first time where the
    survival S(t) ≤ 1 − q (NaN where S never gets that low). With `within`, also 1 − S(within).
    Ties: events before censorings at the same time, as usual.
    """
    t = np.atleast_2d(t)
    event = np.atleast_2d(event)
    order = np.lexsort((~event, t), axis=-1)
    ts = np.take_along_axis(t, order, axis=-1)
    ev = np.take_along_axis(event, order, axis=-1)
    n = t.shape[-1]
    at_risk = n - np.arange(n)
    with np.errstate(divide="ignore"):
        log_s = np.cumsum(np.where(ev, np.log1p(-1.0 / at_risk), 0.0), axis=-1)
    s = np.exp(log_s)
    out = np.full((t.shape[0], len(probs)), np.nan)
    for j, q in enumerate(probs):
        hit = s <= 1 - q + 1e-12
        first = hit.argmax(axis=-1)
        ok = hit.any(axis=-1)
        out[ok, j] = ts[ok, first[ok]]
    share = None
    if within is not None:
        idx = (ts <= within).sum(axis=-1) - 1
        share = np.where(idx >= 0, 1 - np.take_along_axis(s, np.maximum(idx, 0)[:, None], axis=-1)[:, 0], 0.0)
    return out, share


def _ci(samples: np.ndarray, alpha: float) -> list[float | None]:
    ok = samples[np.isfinite(samples)]
    if ok.size < 0.9 * samples.size or ok.size == 0:
        return [None, None]
    lo, hi = np.quantile(ok, [alpha / 2, 1 - alpha / 2])
    return [float(lo), float(hi)]


def _f(x: Any) -> float | None:
    if x is None:
        return None
    x = float(x)
    return x if math.isfinite(x) else None


def _estimate(a: float | None, b: float | None, a_boot: np.ndarray, b_boot: np.ndarray, alpha: float
              ) -> dict[str, Any]:
    """A side-by-side estimate: each side with its CI, and the difference B − A with its CI."""
    diff = None if a is None or b is None else b - a
    ci = _ci(b_boot - a_boot, alpha)
    return {"a": _f(a), "a_ci": _ci(a_boot, alpha), "b": _f(b), "b_ci": _ci(b_boot, alpha),
            "difference": _f(diff), "difference_ci": ci,
            "significant": ci[0] is not None and (ci[0] > 0 or ci[1] < 0)}


def _resamples(rng: np.random.Generator, n: int, b: int) -> np.ndarray:
    return rng.integers(0, n, size=(b, n))


def benjamini_hochberg(p: Sequence[float | None]) -> list[float | None]:
    """BH-adjusted q-values (None stays None)."""
    idx = [i for i, v in enumerate(p) if v is not None]
    q: list[float | None] = [None] * len(p)
    if not idx:
        return q
    vals = np.array([p[i] for i in idx], dtype=float)
    m = vals.size
    order = np.argsort(vals)
    ranked = vals[order] * m / np.arange(1, m + 1)
    adj = np.minimum.accumulate(ranked[::-1])[::-1].clip(max=1.0)
    for k, o in enumerate(order):
        q[idx[o]] = float(adj[k])
    return q


def _norm_sf(z: float) -> float:
    return 0.5 * math.erfc(z / math.sqrt(2))


def two_proportion_p(x1: int, n1: int, x2: int, n2: int) -> float | None:
    """Two-sided p of the pooled two-proportion z-test."""
    if not n1 or not n2:
        return None
    p = (x1 + x2) / (n1 + n2)
    se = math.sqrt(p * (1 - p) * (1 / n1 + 1 / n2))
    if se == 0:
        return 1.0
    return 2 * _norm_sf(abs(x1 / n1 - x2 / n2) / se)


def _mw_p(n1: int, n2: int, r1: float, ties: float) -> float | None:
    """Two-sided Mann–Whitney p (normal approximation, tie and continuity corrected) from A's rank sum."""
    if n1 < 1 or n2 < 1:
        return None
    n = n1 + n2
    u1 = r1 - n1 * (n1 + 1) / 2
    mu = n1 * n2 / 2
    var = n1 * n2 / 12 * ((n + 1) - ties / (n * (n - 1)))
    if var <= 0:
        return 1.0
    z = (abs(u1 - mu) - 0.5) / math.sqrt(var)
    return min(1.0, 2 * _norm_sf(max(z, 0.0)))
