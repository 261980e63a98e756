"""The noise of a publishable bundle, drawn by OpenDP and nothing else.

Why OpenDP: noise added with numpy's floating-point Laplace sampler leaks through the gaps in the
floats it can produce (Mironov 2012); OpenDP samples the discrete Laplace exactly and proves each
mechanism's privacy map. Every count here is an integer, so the noise is the discrete Laplace
(`make_laplace` on a vector of integers) and, for sets of keys that are themselves data (variants,
values of a public attribute), the thresholded discrete Laplace (`make_laplace_threshold`), which
needs a δ because a key that only one case has may appear.

The protected unit is the case: two logs are neighbours when one has one more case. A release's
`sensitivity` is how many cells one case can move, each by at most 1 (its L1 bound; its L2 bound is the
square root), which the aggregation in `mining.publish_counts` enforces before any noise is drawn. Where
one case touches many cells (the DFG, waits per step) and a δ is available, the discrete Gaussian (L2
sensitivity √m instead of m, zCDP converted to (ε, δ) by OpenDP) can carry far less noise than the
Laplace; `noisy_counts` takes whichever OpenDP says has the smaller standard deviation for the same
(ε, δ). The privacy map of each measurement is asked, not assumed: what a release records as spent is
what OpenDP's map says.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from statistics import NormalDist

import numpy as np

from saksflyt.extractors.errors import InputError


def _dp():
    import opendp.prelude as dp

    dp.enable_features("contrib")
    return dp


@dataclass(frozen=True)
class Release:
    """What one noisy release cost and how much noise it carries (stated in the bundle)."""

    name: str
    mechanism: str
    sensitivity: int
    scale: float          # the Laplace's scale, or the Gaussian's standard deviation
    epsilon: float
    delta: float
    cells: int
    suppress_below: int

    kind: str = "laplace"   # or "gaussian"

    @property
    def noise_sd(self) -> float:
        return self.scale if self.kind == "gaussian" else discrete_laplace_sd(self.scale)

    def as_dict(self) -> dict[str, object]:
        return {"name": self.name, "mechanism": self.mechanism, "kind": self.kind, "sensitivity": self.sensitivity,
                "scale": self.scale, "noise_sd": self.noise_sd, "epsilon": self.epsilon, "delta": self.delta,
                "cells": self.cells, "suppress_below": self.suppress_below}


def discrete_laplace_sd(scale: float) -> float:
    """Standard deviation of the discrete Laplace with this scale (≈ √2 · scale for a large scale)."""
    if scale <= 0:
        return 0.0
    q = math.exp(-1.0 / scale)
    return math.sqrt(2.0 * q) / (1.0 - q)


def suppression_threshold(scale: float, cells: int, kind: str = "laplace") -> int:
    """Counts below this are suppressed: a cell whose true count is 0 passes it with probability about
    1 / (2 · cells), so over the whole release fewer than one empty cell is expected to show.
    Post-processing."""
    if kind == "gaussian":
        return max(1, math.ceil(scale * NormalDist().inv_cdf(1 - 1 / (2 * max(cells, 1)))))
    return max(1, math.ceil(scale * math.log(max(cells, 2) * 2)))


def _check(name: str, epsilon: float) -> None:
    if epsilon <= 0 or not math.isfinite(epsilon):
        raise InputError(f"{name}: epsilon must be a positive number, got {epsilon}")


def _gaussian(dp, l2: int, epsilon: float, delta: float):
    """The discrete Gaussian measurement (as (ε, δ)) with the least noise OpenDP allows within ε at δ."""
    space = dp.vector_domain(dp.atom_domain(T=int)), dp.l2_distance(T=int)

    def make(sigma: float):
        return dp.c.make_fix_delta(dp.c.make_zCDP_to_approxDP(dp.m.make_gaussian(*space, scale=sigma)), delta)

    lo, hi = 1e-3, max(1.0, 10.0 * l2 / epsilon)
    while make(hi).map(l2)[0] > epsilon:
        hi *= 2
    for _ in range(60):
        mid = math.sqrt(lo * hi)
        if make(mid).map(l2)[0] <= epsilon:
            hi = mid
        else:
            lo = mid
        if hi / lo < 1.001:
            break
    return make(hi), hi


def noisy_counts(name: str, counts: np.ndarray, *, sensitivity: int, epsilon: float,
                 delta: float = 0.0) -> tuple[np.ndarray, Release]:
    """Noise on a vector of integer counts in which one case moves at most `sensitivity` cells by 1 each:
    the discrete Laplace (ε-DP), or with a δ the discrete Gaussian when its noise is smaller."""
    _check(name, epsilon)
    dp = _dp()
    values = [int(x) for x in np.asarray(counts, dtype=np.int64).ravel()]
    cells = int(np.size(counts))
    space = dp.vector_domain(dp.atom_domain(T=int)), dp.l1_distance(T=int)
    scale = sensitivity / epsilon
    meas = dp.m.make_laplace(*space, scale=scale)
    spent = float(meas.map(int(sensitivity)))
    release = Release(name, "discrete Laplace (OpenDP make_laplace)", int(sensitivity), scale, spent, 0.0, cells,
                      suppression_threshold(scale, cells))
    if delta > 0 and sensitivity > 1:
        l2 = math.ceil(math.sqrt(sensitivity))
        g_meas, sigma = _gaussian(dp, l2, epsilon, delta)
        if sigma < release.noise_sd:
            g_eps, g_delta = (float(x) for x in g_meas.map(l2))
            meas, spent = g_meas, g_eps
            release = Release(name, "discrete Gaussian (OpenDP make_gaussian, zCDP → (ε, δ))", int(sensitivity),
                              sigma, g_eps, g_delta, cells, suppression_threshold(sigma, cells, "gaussian"),
                              kind="gaussian")
    if spent > epsilon * (1 + 1e-9):
        raise InputError(f"{name}: OpenDP's privacy map says ε = {spent:.4g}, more than the {epsilon:.4g} allotted")
    noisy = np.asarray(meas(values) if values else [], dtype=np.int64).reshape(np.shape(counts))
    return noisy, release


def noisy_keyed_counts(name: str, counts: dict[str, int], *, epsilon: float, delta: float
                       ) -> tuple[dict[str, int], Release]:
    """Counts of data-defined keys, each case counting once for one key; only keys whose noisy count
    passes a threshold are released. The threshold is the smallest that keeps OpenDP's δ ≤ `delta`."""
    _check(name, epsilon)
    if not 0 < delta < 1:
        raise InputError(f"{name}: delta must be between 0 and 1, got {delta}")
    dp = _dp()
    space = (dp.map_domain(dp.atom_domain(T=str), dp.atom_domain(T=int)),
             dp.l01inf_distance(dp.absolute_distance(T=int)))
    scale = 1.0 / epsilon
    d_in = (1, 1, 1)   # one case: one key, by one

    def delta_at(threshold: int) -> float:
        return float(dp.m.make_laplace_threshold(*space, scale=scale, threshold=threshold).map(d_in)[1])

    hi = 2
    while delta_at(hi) > delta:
        hi *= 2
    lo = max(1, hi // 2)
    while lo < hi:   # smallest threshold with δ ≤ delta
        mid = (lo + hi) // 2
        if delta_at(mid) <= delta:
            hi = mid
        else:
            lo = mid + 1
    meas = dp.m.make_laplace_threshold(*space, scale=scale, threshold=hi)
    spent_eps, spent_delta = (float(x) for x in meas.map(d_in))
    released = meas({str(k): int(v) for k, v in counts.items() if v > 0}) if counts else {}
    return ({k: int(v) for k, v in released.items()},
            Release(name, "thresholded discrete Laplace (OpenDP make_laplace_threshold)", 1, scale, spent_eps,
                    spent_delta, len(released), hi))
