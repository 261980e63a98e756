"""`saksflyt publish`: a bundle of a log's process statistics that can leave the municipality.

Every number in the bundle is a noisy count released by OpenDP (`mining.privacy_noise`) over counts in
which one case's contribution is bounded (`mining.publish_counts`), or is computed from such counts
afterwards (shares, medians, the main path, suppression). The guarantee is ε-differential privacy for
the Laplace releases and (ε, δ) for the key sets, with the case as the protected unit; sequential
composition adds the parts up to the ε and δ the user asked for, which the store's `privacy_ledger`
charges against the log's budget before any noise is drawn.

What a bundle never holds: case ids, resources, attribute values other than of `public_attrs`,
timestamps (only months), or a count without noise. The catalogue of activity names and the first and
last month are taken from the log as they are: they describe the process, not a citizen, and the
README says so.
"""
from __future__ import annotations

import csv
import json
import math
import os
import shutil
import tempfile
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import numpy as np

from saksflyt.extractors import store
from saksflyt.extractors.errors import InputError, StoreError

from . import bundle as bd
from . import privacy_ledger
from .privacy_noise import Release, noisy_counts, noisy_keyed_counts
from .publish_counts import Bounds, Counts, log_counts

Progress = Callable[[str, int, int], None]

# Shares of ε per release (renormalised over the releases a log has). The DFG gets the most because a case
# contributes up to max_edges to it; the volume the least because it needs the least.
SHARES = {"volume": 0.07, "closed_cases": 0.03, "dfg": 0.35, "lead_time": 0.15, "waiting": 0.15, "processing": 0.10,
          "variants": 0.15}
ATTRIBUTE_SHARE = 0.10          # per public attribute: its values (30 %) and their lead times (70 %)
TOP_VARIANTS = 20


@dataclass(frozen=True)
class PublishOptions:
    epsilon: float
    delta: float = 1e-6
    budget: float = privacy_ledger.DEFAULT_EPSILON_PER_YEAR
    bounds: Bounds = field(default_factory=Bounds)
    public_attrs: tuple[str, ...] = ()
    end_activities: tuple[str, ...] = ()
    label: str | None = None
    processing: bool = True                 # release handling times (decided by the publisher, not the data)
    catalogue: tuple[str, ...] | None = None   # a fixed list of step names instead of the log's own


def validate(options: PublishOptions) -> None:
    """Refuse a meaningless ε or δ before anything is read or spent (nothing here may depend on the data:
    a refusal that did would itself tell something about it)."""
    if not (isinstance(options.epsilon, (int, float)) and math.isfinite(options.epsilon) and options.epsilon > 0):
        raise InputError(f"--epsilon must be a positive number, got {options.epsilon}")
    if not (math.isfinite(options.delta) and 0 < options.delta < 1e-3):
        raise InputError(f"--delta must be above 0 and below 0.001, got {options.delta:g}")
    if options.bounds.max_edges < 2 or options.bounds.max_activities < 1:
        raise InputError("--max-edges must be at least 2 and --max-activities at least 1")
    if not math.isfinite(options.budget) or options.budget <= 0:
        raise InputError(f"the privacy budget must be a positive number, got {options.budget}")


def _shares(processing: bool, n_attrs: int) -> dict[str, float]:
    w = {k: v for k, v in SHARES.items() if processing or k != "processing"}
    w.update({f"attribute:{i}": ATTRIBUTE_SHARE for i in range(n_attrs)})
    total = sum(w.values())
    return {k: v / total for k, v in w.items()}


def _released(noisy: np.ndarray, threshold: int) -> list[int | None]:
    return [int(x) if x >= threshold else None for x in np.asarray(noisy).ravel()]


MIN_SIGNAL = 4.0   # a histogram's noisy total must be this many times the noise of that total to be read


def _quantiles(noisy_row: np.ndarray, bins: bd.Bins, release: Release) -> dict[str, Any]:
    """Median and p90 with intervals, or None where the noise of the total would swamp the cases
    (a step few cases pass would otherwise show a median made of noise)."""
    if noisy_row.sum() < MIN_SIGNAL * release.noise_sd * math.sqrt(len(noisy_row)):
        return {"median": None, "p90": None, "median_interval": [None, None], "p90_interval": [None, None]}
    noise = {"noise_sd": release.noise_sd, "kind": release.kind}
    return {"median": bd.quantile(noisy_row, bins, 0.5), "p90": bd.quantile(noisy_row, bins, 0.9),
            "median_interval": bd.quantile_interval(noisy_row, bins, 0.5, **noise),
            "p90_interval": bd.quantile_interval(noisy_row, bins, 0.9, **noise)}


def _main_path(edges: list[dict[str, Any]]) -> list[str]:
    """From ▶, follow the most frequent released edge to an activity not yet on the path, until ■."""
    out: dict[str, list[tuple[int, str]]] = {}
    for e in edges:
        out.setdefault(e["source"], []).append((e["count"], e["target"]))
    path, node = [], bd.START
    while True:
        options = sorted((c, t) for c, t in out.get(node, []) if t not in path)
        if not options:
            return path
        _, node = options[-1]
        if node == bd.END:
            return path
        path.append(node)


def build(c: Counts, options: PublishOptions, *, log_label: str, first_last: tuple[str, str]
          ) -> tuple[dict[str, Any], list[Release]]:
    """Draw the noise over exact bounded counts and derive everything the bundle shows from it."""
    eps = options.epsilon
    has_proc = options.processing and c.processing is not None
    shares = _shares(has_proc, len(options.public_attrs))
    b = options.bounds
    releases: list[Release] = []
    # δ goes to the releases that may use it: the key sets, and the many-cell vectors (Gaussian if better)
    n_keyed = 1 + len(options.public_attrs)
    delta_each = options.delta / (n_keyed + 2 + int(has_proc))

    vol, r = noisy_counts("volume", c.volume, sensitivity=1, epsilon=eps * shares["volume"])
    releases.append(r)
    volume = [{"month": m, "cases": v} for m, v in zip(c.months, _released(vol, r.suppress_below))]

    dfg, r_dfg = noisy_counts("dfg", c.dfg, sensitivity=b.max_edges, epsilon=eps * shares["dfg"], delta=delta_each)
    releases.append(r_dfg)

    lead, r_lead = noisy_counts("lead_time", c.lead, sensitivity=1, epsilon=eps * shares["lead_time"])
    releases.append(r_lead)
    closed, r_closed = noisy_counts("closed_cases", np.array([c.closed]), sensitivity=1,
                                    epsilon=eps * shares["closed_cases"])
    releases.append(r_closed)
    # Two independent unbiased estimates of the closed cases (the count itself, and the lead-time bins'
    # sum, whose noise adds up over its bins), combined by their inverse variances: post-processing.
    var_count, var_sum = r_closed.noise_sd ** 2, r_lead.noise_sd ** 2 * len(c.lead)
    weight = var_sum / (var_count + var_sum)
    closed_cases = max(weight * float(closed[0]) + (1 - weight) * float(lead.sum()), 1.0)
    closed_sd = math.sqrt(var_count * var_sum / (var_count + var_sum))

    edges = [{"source": s, "target": t, "count": int(n), "case_share": min(int(n) / closed_cases, 1.0)}
             for (s, t), n in zip(c.edges, dfg) if n >= r_dfg.suppress_below and not (s == bd.START and t == bd.END)]
    edges.sort(key=lambda e: (-e["count"], e["source"], e["target"]))

    wait, r_wait = noisy_counts("waiting", c.waiting, sensitivity=b.max_activities, epsilon=eps * shares["waiting"],
                                delta=delta_each)
    releases.append(r_wait)
    proc = r_proc = None
    if has_proc:
        proc, r_proc = noisy_counts("processing", c.processing, sensitivity=b.max_activities,
                                    epsilon=eps * shares["processing"], delta=delta_each)
        releases.append(r_proc)
    activity_stats = []
    for i, act in enumerate(c.activities):
        row: dict[str, Any] = {"activity": act, "cases_waiting": int(wait[i].sum())}
        q = _quantiles(wait[i], bd.WAIT_HOURS, r_wait)
        row.update({"median_wait_hours": q["median"], "median_wait_interval": q["median_interval"],
                    "p90_wait_hours": q["p90"]})
        if proc is not None:
            qp = _quantiles(proc[i], bd.PROCESSING_HOURS, r_proc)
            row.update({"median_processing_hours": qp["median"], "median_processing_interval": qp["median_interval"],
                        "p90_processing_hours": qp["p90"]})
        activity_stats.append(row)

    var, r_var = noisy_keyed_counts("variants", c.variants, epsilon=eps * shares["variants"], delta=delta_each)
    releases.append(r_var)
    variants = sorted(({"activities": json.loads(k), "cases": v, "case_share": min(v / closed_cases, 1.0)}
                       for k, v in var.items()), key=lambda v: (-v["cases"], v["activities"]))[:TOP_VARIANTS]

    case_types = {}
    for i, name in enumerate(options.public_attrs):
        frame = c.attributes[name]
        per_value = frame.groupby("value")["cases"].sum().to_dict() if len(frame) else {}
        share = eps * shares[f"attribute:{i}"]
        keys, r_keys = noisy_keyed_counts(f"attribute:{name}:values", {str(k): int(v) for k, v in per_value.items()},
                                          epsilon=share * 0.3, delta=delta_each)
        releases.append(r_keys)
        values = sorted(keys, key=lambda k: (-keys[k], k))
        grid = np.zeros((len(values), bd.LEAD_DAYS.count), dtype=np.int64)
        pos = {v: j for j, v in enumerate(values)}
        for v, bin_, n in frame.itertuples(index=False):
            if str(v) in pos:
                grid[pos[str(v)], int(bin_)] = int(n)
        hist, r_hist = noisy_counts(f"attribute:{name}:lead_time", grid, sensitivity=1, epsilon=share * 0.7)
        releases.append(r_hist)
        rows = []
        for j, v in enumerate(values):
            q = _quantiles(hist[j], bd.LEAD_DAYS, r_hist)
            rows.append({"value": v, "cases": keys[v], "lead_time_counts": _released(hist[j], r_hist.suppress_below),
                         "median_days": q["median"], "p90_days": q["p90"], "median_days_interval": q["median_interval"]})
        case_types[name] = rows

    lq = _quantiles(lead, bd.LEAD_DAYS, r_lead)
    spent_eps = sum(r.epsilon for r in releases)
    spent_delta = sum(r.delta for r in releases)
    data = {
        "schema": bd.SCHEMA, "schema_version": bd.SCHEMA_VERSION,
        "label": log_label,
        "created_month": datetime.now(timezone.utc).strftime("%Y-%m"),
        "period": {"first_month": first_last[0], "last_month": first_last[1]},
        "privacy": {
            "unit": "case", "neighbouring": "logs that differ by adding or removing one case",
            "epsilon": spent_eps, "delta": spent_delta,
            "max_edges_per_case": b.max_edges, "max_activities_per_case": b.max_activities,
            "releases": [r.as_dict() for r in releases],
            "library": "OpenDP " + _opendp_version(),
            "public_attrs": list(options.public_attrs),
            "end_activities": list(options.end_activities),
            "catalogue": "given by the publisher" if options.catalogue is not None else "the log's activity names",
            "not_noised": ["the activity catalogue (names of steps)", "the first and last month",
                           "the fixed bins", "the end activities (given by the publisher)",
                           "whether handling times are released (chosen by the publisher)"],
        },
        "activities": c.activities,
        "volume": volume,
        "cases": {"closed_estimate": closed_cases, "noise_sd": closed_sd,
                  "started_estimate": float(vol.sum()),
                  "started_noise_sd": releases[0].noise_sd * math.sqrt(max(len(c.volume), 1))},
        "dfg": edges,
        "lead_time": {"bins": bd.LEAD_DAYS.as_dict(), "counts": _released(lead, r_lead.suppress_below),
                      "median_days": lq["median"], "median_days_interval": lq["median_interval"],
                      "p90_days": lq["p90"], "p90_days_interval": lq["p90_interval"]},
        "waiting": {"bins": bd.WAIT_HOURS.as_dict(),
                    "counts": {a: _released(wait[i], r_wait.suppress_below) for i, a in enumerate(c.activities)}},
        "processing": None if proc is None else {
            "bins": bd.PROCESSING_HOURS.as_dict(),
            "counts": {a: _released(proc[i], r_proc.suppress_below) for i, a in enumerate(c.activities)}},
        "activity_stats": activity_stats,
        "variants": variants,
        "case_types": case_types,
        "main_path": _main_path(edges),
    }
    return data, releases


def _opendp_version() -> str:
    from importlib.metadata import version

    return version("opendp")


CSV_FILES = ("volume.csv", "dfg.csv", "lead_time.csv", "activities.csv", "variants.csv")


def _write_csv(path: Path, header: list[str], rows: list[list[Any]]) -> None:
    with path.open("w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(header)
        w.writerows(rows)


def write_bundle(data: dict[str, Any], out_dir: Path) -> list[Path]:
    """bundle.json, the CSVs and the open-data pages, written to a fresh folder and then moved into place."""
    from . import bundle_page

    out_dir = Path(out_dir)
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=".bundle-", dir=out_dir.parent))
    try:
        (tmp / "bundle.json").write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
        _write_csv(tmp / "volume.csv", ["month", "cases"], [[v["month"], v["cases"]] for v in data["volume"]])
        _write_csv(tmp / "dfg.csv", ["source", "target", "cases", "case_share"],
                   [[e["source"], e["target"], e["count"], f"{e['case_share']:.4f}"] for e in data["dfg"]])
        edges = data["lead_time"]["bins"]["lower_edges"]
        _write_csv(tmp / "lead_time.csv", ["from_days", "cases"],
                   [[f"{x:.4g}", n] for x, n in zip(edges, data["lead_time"]["counts"])])
        _write_csv(tmp / "activities.csv",
                   ["activity", "median_wait_hours", "p90_wait_hours", "median_processing_hours"],
                   [[a["activity"], _fmt(a["median_wait_hours"]), _fmt(a["p90_wait_hours"]),
                     _fmt(a.get("median_processing_hours"))] for a in data["activity_stats"]])
        _write_csv(tmp / "variants.csv", ["rank", "activities", "cases", "case_share"],
                   [[i + 1, " → ".join(v["activities"]), v["cases"], f"{v['case_share']:.4f}"]
                    for i, v in enumerate(data["variants"])])
        for lang, name in (("nb", "index.html"), ("en", "en.html")):
            (tmp / name).write_text(bundle_page.render(data, lang=lang), encoding="utf-8")
        if out_dir.exists():
            shutil.rmtree(out_dir)
        os.replace(tmp, out_dir)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return sorted(out_dir.iterdir())


def _fmt(x: float | None) -> str:
    return "" if x is None else f"{x:.3f}"


def publish(*, store_path: str | os.PathLike[str] | None, log_name: str, options: PublishOptions,
            out_dir: str | os.PathLike[str], progress: Progress | None = None) -> dict[str, Any]:
    """Release a log's bundle into `out_dir` and charge it to the log's budget; returns bundle.json's content
    plus a `local` entry (budget left, cases truncated) that is printed, never published."""
    report = progress or (lambda _label, _done, _total: None)
    validate(options)
    if not options.end_activities:
        raise InputError("publish needs the activities that close a case (--end-activities, or end_activities in "
                         "the config): taken from the data, one case could change which cases count as closed")
    out = Path(out_dir)
    if out.exists() and (not out.is_dir() or (any(out.iterdir()) and not (out / "bundle.json").is_file())):
        raise InputError(f"{out}: holds other files; a bundle is written to a folder of its own (an earlier "
                         f"bundle's folder is replaced)")
    target = store.store_path(store_path)
    if not target.exists():
        raise StoreError(f"{target}: no store here")
    with store.read(target) as con:
        known = {r[0] for r in con.execute("SELECT log FROM logs").fetchall()}
        if log_name not in known:
            raise StoreError(f"no log named '{log_name}' (logs: {', '.join(sorted(known)) or 'none'})")
        privacy_ledger.check(con, log_name, options.epsilon, options.budget)
    report("reading events and statistics", 0, 4)
    c, _facts = log_counts(target, log_name, bounds=options.bounds, end_activities=options.end_activities,
                           public_attrs=options.public_attrs, processing=options.processing,
                           catalogue=options.catalogue)
    report("noise", 2, 4)
    first_last = (c.months[0], c.months[-1]) if c.months else ("", "")
    data, releases = build(c, options, log_label=options.label or log_name, first_last=first_last)
    release_id = uuid.uuid4().hex[:12]
    data["release_id"] = release_id
    what = {"releases": [r.as_dict() for r in releases], "max_edges": options.bounds.max_edges,
            "max_activities": options.bounds.max_activities, "public_attrs": list(options.public_attrs)}
    with store.write(target) as con:   # charged before anything leaves: a failed write still spent the budget
        left = privacy_ledger.check(con, log_name, data["privacy"]["epsilon"], options.budget)
        privacy_ledger.record(con, log_name=log_name, release_id=release_id, epsilon=data["privacy"]["epsilon"],
                              delta=data["privacy"]["delta"], budget=options.budget, what=what,
                              out_dir=str(Path(out_dir).resolve()), label=options.label)
    report("writing the bundle", 3, 4)
    files = write_bundle(data, Path(out_dir))
    report("done", 4, 4)
    return {**data, "local": {"budget_left": left, "budget": options.budget, "files": [str(f) for f in files],
                              "cases_truncated_edges": c.truncated_edges,
                              "cases_truncated_activities": c.truncated_activities}}
