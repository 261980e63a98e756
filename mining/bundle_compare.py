"""`saksflyt compare --log A --bundle DIR`: a local log against another municipality's published bundle.

The local side is reduced to exactly what the bundle holds, by the same code (`mining.publish_counts`
with the bundle's own bounds and bins) but without noise, so both sides are read the same way. Every
interval on the bundle's side carries its noise as well as the usual variation between cases:

- a share p = count / closed cases has the binomial variance p(1 − p)/n, and its noise can be as large as
  z_sel · σ / n, σ the noise's standard deviation stated in the bundle and z_sel the normal quantile at
  1 − 1/(2 · cells): the bundle released the cells that passed a threshold out of every cell of its grid,
  so a released count is the luckiest of many draws, and noise that large occurs somewhere by itself;
- a median or p90 read from a histogram carries the interval the bundle states (noise and cases redrawn,
  widened to whole bins); the local one is read from the local histogram the same way, without noise.

A difference is reported as significant only when it lies beyond that noise margin and then beyond chance
(z-test on the rest, Benjamini–Hochberg across edges), so noise alone cannot make one. An edge the bundle suppressed
is "vanished" only when the local share would put it clearly above the bundle's suppression threshold.
"""
from __future__ import annotations

import json
import math
import os
from collections.abc import Callable
from pathlib import Path
from statistics import NormalDist
from typing import Any

from saksflyt.extractors.errors import InputError

from . import bundle as bd
from .compare_stats import Z95, benjamini_hochberg
from .publish_counts import Bounds, log_counts

Progress = Callable[[str, int, int], None]


def _norm_p(z: float) -> float:
    return math.erfc(abs(z) / math.sqrt(2))


def _se_from_interval(iv: list[float | None] | None) -> float | None:
    if not iv or iv[0] is None or iv[1] is None:
        return None
    return (iv[1] - iv[0]) / (2 * Z95)


def _diff(a: float | None, a_iv: list | None, b: float | None, b_iv: list | None) -> dict[str, Any]:
    """B − A with a normal interval from both sides' intervals; significant only beyond both."""
    out: dict[str, Any] = {"a": a, "a_interval": a_iv, "b": b, "b_interval": b_iv, "difference": None,
                           "difference_interval": [None, None], "significant": False}
    sa, sb = _se_from_interval(a_iv), _se_from_interval(b_iv)
    if a is None or b is None:
        return out
    out["difference"] = b - a
    if sa is not None and sb is not None:
        se = math.hypot(sa, sb)
        out["difference_interval"] = [b - a - Z95 * se, b - a + Z95 * se]
        out["significant"] = abs(b - a) > Z95 * se
    return out


def _release(data: dict[str, Any], name: str) -> dict[str, Any]:
    for r in data["privacy"]["releases"]:
        if r["name"] == name:
            return r
    raise InputError(f"invalid bundle: no release named '{name}'")


def compare_bundle(*, store_path: str | os.PathLike[str] | None, log_name: str, bundle_dir: str | os.PathLike[str],
                   mapping: tuple[tuple[str, str], ...] = (), end_activities: tuple[str, ...] = (),
                   alpha: float = 0.05, progress: Progress | None = None) -> dict[str, Any]:
    """Compare log `log_name` (side A) with the bundle in `bundle_dir` (side B); returns compare.json's content."""
    report = progress or (lambda _label, _done, _total: None)
    data = bd.read(bundle_dir)
    rename = dict(mapping)
    priv = data["privacy"]
    bounds = Bounds(max_edges=int(priv["max_edges_per_case"]), max_activities=int(priv["max_activities_per_case"]))
    report("reading events and statistics", 0, 3)
    c, facts = log_counts(store_path, log_name, bounds=bounds, end_activities=end_activities, mapping=mapping,
                          processing=False)
    report("comparing", 2, 3)

    n_a = int(c.lead.sum())
    n_b = float(data["cases"]["closed_estimate"])
    months_a = max(len(c.months), 1)
    months_b = max(len(data["volume"]), 1)
    vol_sd_b = float(data["cases"].get("started_noise_sd") or 0.0)
    volume = _diff(float(c.volume.sum()) * 12 / months_a, [float(c.volume.sum()) * 12 / months_a] * 2,
                   float(data["cases"]["started_estimate"]) * 12 / months_b,
                   [(data["cases"]["started_estimate"] - Z95 * vol_sd_b) * 12 / months_b,
                    (data["cases"]["started_estimate"] + Z95 * vol_sd_b) * 12 / months_b])

    lt = data["lead_time"]
    lead = {}
    for key, q in (("median_days", 0.5), ("p90_days", 0.9)):
        a = bd.quantile(c.lead, bd.LEAD_DAYS, q)
        a_iv = bd.quantile_interval(c.lead, bd.LEAD_DAYS, q)
        lead[key] = _diff(a, a_iv, lt[key], lt[f"{key}_interval"])

    # DFG: local bounded counts against the bundle's noisy ones
    dfg_rel = _release(data, "dfg")
    sd, threshold = float(dfg_rel["noise_sd"]), int(dfg_rel["suppress_below"])
    b_edges = {(rename.get(e["source"], e["source"]), rename.get(e["target"], e["target"])): e["count"]
               for e in data["dfg"]}
    a_edges = {e: int(n) for e, n in zip(c.edges, c.dfg) if n > 0}
    # The bundle released only cells whose noisy count passed the threshold, out of every cell of the grid;
    # among that many cells the largest noise is about z_sel standard deviations, so a released count can
    # be that far off by noise alone. That margin is added in full, then the rest is tested for chance.
    cells = int(dfg_rel["cells"])
    z_sel = NormalDist().inv_cdf(1 - 1 / (2 * max(cells, 1)))
    margin = z_sel * sd / n_b
    rows, pvals = [], []
    for edge in sorted(set(a_edges) | set(b_edges), key=lambda e: (-(a_edges.get(e, 0) / max(n_a, 1)
                                                                       + (b_edges.get(e) or 0) / n_b), e)):
        pa = a_edges.get(edge, 0) / max(n_a, 1)
        var_a = pa * (1 - pa) / max(n_a, 1)
        released = edge in b_edges
        if released:
            pb = b_edges[edge] / n_b
            var_b = max(pb * (1 - pb), 0) / n_b
            beyond = max(abs(pb - pa) - margin, 0.0)
            p = _norm_p(beyond / math.sqrt(var_a + var_b)) if var_a + var_b > 0 else (1.0 if beyond == 0 else 0.0)
            half = Z95 * math.sqrt(var_b) + margin
            interval = [max(pb - half, 0.0), min(pb + half, 1.0)]
        else:
            pb, p = None, None
            interval = [0.0, min((threshold + z_sel * sd) / n_b, 1.0)]   # what a suppressed cell can hide
        pvals.append(p)
        rows.append({"source": edge[0], "target": edge[1], "a_cases": a_edges.get(edge, 0), "a_case_share": pa,
                     "b_cases": b_edges.get(edge), "b_case_share": pb, "b_interval": interval,
                     "released_in_b": released, "p": p})
    qvals = benjamini_hochberg(pvals)
    for r, q in zip(rows, qvals):
        r["q"] = q
        if not r["released_in_b"]:
            # vanished only if A's share, at B's volume, would clear the threshold by the noise and chance
            expect = r["a_case_share"] * n_b
            spread = z_sel * sd + Z95 * math.sqrt(max(expect * (1 - r["a_case_share"]), 0))
            r["status"] = "vanished" if r["a_cases"] and expect - spread > threshold else "below_threshold"
        elif r["a_cases"] == 0:
            r["status"] = "appeared" if q is not None and q < alpha else "same"
        else:
            r["status"] = "changed_frequency" if q is not None and q < alpha else "same"

    # activities: medians read from histograms on both sides
    activity_rows = []
    b_stats = {rename.get(a["activity"], a["activity"]): a for a in data["activity_stats"]}
    a_index = {a: i for i, a in enumerate(c.activities)}
    for act in sorted(set(c.activities) | set(b_stats)):
        a_row = c.waiting[a_index[act]] if act in a_index else None
        a_med = bd.quantile(a_row, bd.WAIT_HOURS, 0.5) if a_row is not None else None
        a_iv = (bd.quantile_interval(a_row, bd.WAIT_HOURS, 0.5)
                if a_row is not None and a_row.sum() else None)
        b = b_stats.get(act)
        d = _diff(a_med, a_iv, b["median_wait_hours"] if b else None, b["median_wait_interval"] if b else None)
        activity_rows.append({"activity": act, "in": "both" if a_row is not None and b else "a" if b is None else "b",
                              "a_cases": int(a_row.sum()) if a_row is not None else 0,
                              "b_cases": b["cases_waiting"] if b else None, "median_wait_hours": d})

    # variants: the bundle's released variants, and how many local cases follow them
    local_variants = {tuple(json.loads(k)): v for k, v in c.variants.items()}
    variants = []
    for v in data["variants"]:
        acts = tuple(rename.get(a, a) for a in v["activities"])
        variants.append({"activities": list(acts), "b_case_share": v["case_share"],
                         "a_case_share": local_variants.get(acts, 0) / max(n_a, 1)})
    followed = sum(local_variants.get(tuple(v["activities"]), 0) for v in variants) / max(n_a, 1)

    result = {
        "kind": "bundle",
        "a": {"label": log_name, "log": log_name, "closed_cases": n_a, "cases": int(c.volume.sum()),
              "first_month": c.months[0] if c.months else None, "last_month": c.months[-1] if c.months else None,
              "end_activities": list(facts["rule"].end_activities)},
        "b": {"label": data["label"], "bundle": str(Path(bundle_dir)), "closed_cases_estimate": n_b,
              "first_month": data["period"]["first_month"], "last_month": data["period"]["last_month"],
              "epsilon": priv["epsilon"], "delta": priv["delta"], "release_id": data.get("release_id")},
        "volume": {"cases_per_year": volume},
        "lead_time": lead,
        "dfg": rows,
        "activities": {"rows": activity_rows,
                       "shared": [r["activity"] for r in activity_rows if r["in"] == "both"],
                       "added": [r["activity"] for r in activity_rows if r["in"] == "b"],
                       "removed": [r["activity"] for r in activity_rows if r["in"] == "a"]},
        "variants": {"b_top": variants, "a_case_share_in_b_variants": followed},
        "mapping": [list(p) for p in mapping],
        "bounds": {"max_edges": bounds.max_edges, "max_activities": bounds.max_activities},
        "method": {
            "local_side": "reduced to the bundle's own counts (same bounds and bins), without noise",
            "share_variance": "binomial p(1−p)/n on both sides, plus on the bundle's side a noise margin of "
                              "z_sel × noise sd / n with z_sel the normal quantile at 1 − 1/(2 × cells)",
            "quantiles": "read from histograms on both sides; intervals redraw cases (and noise on the bundle's "
                         "side) and are widened to whole bins",
            "test": "z-test on the difference, Benjamini–Hochberg across edges; significant only beyond both "
                    "sides' intervals",
            "suppressed_edges": "vanished only if the local share at the bundle's volume clears the suppression "
                                "threshold by the noise margin and 1.96 binomial sd",
        },
        "notes": [],
    }
    if len(result["activities"]["shared"]) < len(activity_rows) / 2:
        result["notes"].append({"code": "few_shared_activities", "value": len(result["activities"]["shared"])})
    report("done", 3, 3)
    return result


def write(result: dict[str, Any], out_dir: str | Path, *, lang: str = "nb") -> list[Path]:
    """compare.json and compare.html for a comparison with a bundle."""
    from . import bundle_compare_report, compare_report

    return compare_report.write(result, out_dir, lang=lang, page=bundle_compare_report.render)
