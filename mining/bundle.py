"""A publishable bundle: its fixed bins, its schema version, reading one back, and quantiles from its noisy
histograms.

The bins are fixed in advance (not taken from the data), so which bins exist says nothing about any case:
bin 0 holds [0, low), bin i ≥ 1 holds [low·r^(i−1), low·r^i), and the last bin also holds every value
above its lower edge (the range is clamped). Geometric bins keep the relative error of a quantile read
from them about the same for a two-hour wait and a two-month one.
"""
from __future__ import annotations

import json
import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from saksflyt.extractors.errors import InputError

SCHEMA = "saksflyt-bundle"
SCHEMA_VERSION = 1
START, END = "▶", "■"   # the DFG's artificial start and end nodes


@dataclass(frozen=True)
class Bins:
    """A fixed grid of geometric bins from `low` to `high` (ratio `ratio`), plus [0, low)."""

    low: float
    high: float
    ratio: float
    unit: str

    @property
    def count(self) -> int:
        return math.ceil(math.log(self.high / self.low) / math.log(self.ratio)) + 1

    @property
    def lower_edges(self) -> list[float]:
        return [0.0] + [self.low * self.ratio ** i for i in range(self.count - 1)]

    def sql(self, value: str) -> str:
        """The bin index of `value` (≥ 0) in DuckDB SQL."""
        return (f"CASE WHEN {value} < {self.low!r} THEN 0 ELSE least({self.count - 1}, "
                f"CAST(floor(ln({value} / {self.low!r}) / ln({self.ratio!r})) AS INTEGER) + 1) END")

    def around(self, x: float) -> tuple[float, float]:
        """The edges of the bin holding `x` (the last bin is open above: its upper edge is `inf`)."""
        edges = self.lower_edges
        if x < self.low:
            return 0.0, self.low
        i = min(self.count - 1, int(math.floor(math.log(x / self.low) / math.log(self.ratio))) + 1)
        return edges[i], (edges[i + 1] if i + 1 < len(edges) else math.inf)

    def as_dict(self) -> dict[str, Any]:
        return {"unit": self.unit, "low": self.low, "high": self.high, "ratio": self.ratio,
                "lower_edges": self.lower_edges, "clamped_above": self.lower_edges[-1]}


LEAD_DAYS = Bins(low=1 / 24, high=730.0, ratio=1.25, unit="days")
WAIT_HOURS = Bins(low=1 / 60, high=8760.0, ratio=2.0, unit="hours")
PROCESSING_HOURS = Bins(low=1 / 60, high=1000.0, ratio=2.0, unit="hours")


def quantile(counts: np.ndarray | list[float], bins: Bins, q: float) -> float | None:
    """The q-quantile of a histogram whose counts may be noisy, interpolated geometrically inside a bin
    (linearly in bin 0); a quantile in the clamped last bin is that bin's lower edge.

    Negative noisy counts are kept, not clamped to 0: clamping each empty bin adds on average half a noise
    scale to it, and over the many empty bins of a fixed grid that drags every quantile towards them. The
    noise sums to about zero, so the running total of the raw counts is unbiased; the quantile is the first
    bin where it reaches q of the total."""
    c = np.asarray(counts, dtype=float)
    total = c.sum()
    if total <= 0:
        return None
    cum = np.cumsum(c)
    hits = np.nonzero(cum >= q * total)[0]
    i = int(hits[0]) if len(hits) else len(c) - 1
    below = cum[i] - c[i]
    frac = 0.5 if c[i] <= 0 else min(max((q * total - below) / c[i], 0.0), 1.0)
    edges = bins.lower_edges
    if i == 0:
        return frac * bins.low
    if i == len(c) - 1:
        return edges[-1]
    return edges[i] * bins.ratio ** frac


def quantile_interval(counts: np.ndarray | list[float], bins: Bins, q: float, *, noise_sd: float = 0.0,
                      kind: str = "laplace", runs: int = 400, seed: int = 0) -> list[float | None]:
    """A 95 % interval for a quantile read from a (noisy) histogram: redraw each bin's cases (Poisson
    around its count) and its noise (the release's kind, Laplace or Gaussian, with its standard deviation)
    and read the quantile again, then widen
    the interval to the edges of the bins its ends fall in, since inside a bin the histogram cannot say
    where the cases lie. Post-processing of released counts only, so it costs no privacy budget; numpy's
    sampler is fine here because it protects nothing."""
    c = np.asarray(counts, dtype=float)
    if c.sum() <= 0:
        return [None, None]
    rng = np.random.default_rng(seed)
    pos = np.clip(c, 0, None)
    draws = c + (rng.poisson(pos, size=(runs, len(c))) - pos)
    if noise_sd > 0:
        draws = draws + (rng.normal(0.0, noise_sd, size=(runs, len(c))) if kind == "gaussian"
                         else rng.laplace(0.0, noise_sd / math.sqrt(2), size=(runs, len(c))))
    values = [v for v in (quantile(d, bins, q) for d in draws) if v is not None]
    if not values:
        return [None, None]
    lo, hi = bins.around(float(np.percentile(values, 2.5)))[0], bins.around(float(np.percentile(values, 97.5)))[1]
    return [lo, hi if math.isfinite(hi) else None]


def read(path: str | Path) -> dict[str, Any]:
    """bundle.json from a bundle folder (or the file itself), checked for schema and version."""
    p = Path(path)
    file = p / "bundle.json" if p.is_dir() else p
    if not file.is_file():
        raise InputError(f"{file}: no bundle here (expected bundle.json written by `saksflyt publish`)")
    try:
        data = json.loads(file.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise InputError(f"{file}: not a readable bundle ({exc})") from None
    if not isinstance(data, dict) or data.get("schema") != SCHEMA:
        raise InputError(f"{file}: not a Saksflyt bundle (schema field is not '{SCHEMA}')")
    if data.get("schema_version") != SCHEMA_VERSION:
        raise InputError(f"{file}: bundle schema version {data.get('schema_version')!r} is not supported "
                         f"(this Saksflyt reads version {SCHEMA_VERSION})")
    _validate(file, data)
    return data


def _validate(file: Path, data: dict[str, Any]) -> None:
    def need(cond: bool, what: str) -> None:
        if not cond:
            raise InputError(f"{file}: invalid bundle: {what}")

    for key in ("privacy", "activities", "volume", "dfg", "lead_time", "activity_stats", "variants"):
        need(key in data, f"missing '{key}'")
    priv = data["privacy"]
    need(isinstance(priv, dict) and isinstance(priv.get("releases"), list) and priv["releases"],
         "privacy.releases must be a non-empty list")
    need(all(isinstance(r.get("scale"), (int, float)) and r["scale"] > 0 for r in priv["releases"]),
         "every release needs a positive noise scale")
    need(isinstance(data["activities"], list) and all(isinstance(a, str) for a in data["activities"]),
         "activities must be a list of names")
    acts = set(data["activities"]) | {START, END}
    for i, e in enumerate(data["dfg"]):
        need(isinstance(e, dict) and e.get("source") in acts and e.get("target") in acts,
             f"dfg row {i + 1} names an activity outside the catalogue")
        need(e.get("count") is None or isinstance(e["count"], int), f"dfg row {i + 1}: count must be an integer")
    lt = data["lead_time"]
    need(isinstance(lt, dict) and isinstance(lt.get("counts"), list)
         and len(lt["counts"]) == len(lt.get("bins", {}).get("lower_edges", [])),
         "lead_time.counts must have one count per bin")
