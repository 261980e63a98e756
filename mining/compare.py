"""Gains realised: compare two sides of a process — before/after a change in one log, or two municipalities.

Each side is a set of cases: a whole log, or the cases of a log that *started* (first event) before or
on/after a date. Both sides are copied into one in-memory database, each in its own schema with an
`events` table, and the statistics phases of `mining.stats` run on each schema in turn (`USE side`),
so the numbers are exactly the ones `saksflyt mine` computes. The comparison itself is DuckDB SQL over
the two sides' tables; numpy sees only per-case numbers (lead times, hours, rework flags) for the
bootstrap.

Definitions (compare.json documents the same in its `method` entry):
- Lead time: first event to last completion, in days. A later side has more cases still open at
  extraction, and leaving them out makes it look faster than it is; so lead-time medians, p90s and
  shares within a target come from a Kaplan–Meier estimate in which open cases count as censored at
  the log's last event. Confidence intervals: percentile bootstrap over cases (seeded).
- Per-case hours (processing, waiting) and rework are over closed cases, per case, so that a change in
  volume does not look like a gain; gains per year = (A − B) per case × B's cases per year.
- DFG difference (closed cases, so that unfinished cases do not lack their last edges): an edge's frequency is the share of cases that have it (two-proportion z-test); its
  time is the time between the two completions (Mann–Whitney U, normal approximation with tie and
  continuity correction, ranks in DuckDB); Benjamini–Hochberg across the edges of each test.
- Waiting per activity: as `mining.stats` (measured where the activity has start times, else the time
  between completions); the difference of means gets a Welch interval.
"""
from __future__ import annotations

import math
import os
from collections.abc import Sequence
from typing import Any

import duckdb
import numpy as np

from saksflyt.extractors import store
from saksflyt.extractors.errors import InputError, StoreError

from . import handovers, insights_results
from .compare_sides import CompareOptions, load_side, Progress, run_side, Side, US_PER_DAY
from .compare_stats import benjamini_hochberg, _estimate, _f, km_quantiles, _mw_p, _resamples, two_proportion_p, Z95
from .run import _attached

DAYS_PER_YEAR = 365.25
VOLUME_CHANGE = 0.10      # a change in cases per year above this is noted
MIX_TVD = 0.05            # total variation distance between attribute distributions worth a note
MAX_LEVELS = 20           # text attributes with more distinct values are not compared
MIN_EDGE_CASES = 5        # an edge "appears" or "vanishes" only when the other side has it in this many cases
TOP_VARIANTS = 10


# --- the comparison -------------------------------------------------------------------------------


def _rows(con: duckdb.DuckDBPyConnection, sql: str, params: Sequence[Any] = ()) -> list[dict[str, Any]]:
    cur = con.execute(sql, list(params))
    names = [d[0] for d in cur.description]
    return [dict(zip(names, r)) for r in cur.fetchall()]


def _cases(con: duckdb.DuckDBPyConnection, schema: str) -> dict[str, np.ndarray]:
    cols = con.execute(f"""
        SELECT closed, lead_days, rework, proc_hours, proc_working_hours, wait_hours, wait_working_hours, first_us
        FROM {schema}.case_out ORDER BY cid
    """).fetchnumpy()
    return {k: np.asarray(v) for k, v in cols.items()}


def _years(first_us: np.ndarray) -> float:
    span = (first_us.max() - first_us.min()) / US_PER_DAY if first_us.size else 0.0
    return max(span, 1.0) / DAYS_PER_YEAR


def _lead_time(a: dict, b: dict, options: CompareOptions, rng: np.random.Generator) -> dict[str, Any]:
    probs = (0.5, 0.9)
    out: dict[str, Any] = {}
    est, boots = {}, {}
    for key, c in (("a", a), ("b", b)):
        t, e = c["lead_days"].astype(float), c["closed"].astype(bool)
        est[key] = km_quantiles(t, e, probs, within=options.target_days)
        idx = _resamples(rng, t.size, options.bootstrap)
        boots[key] = km_quantiles(t[idx], e[idx], probs, within=options.target_days)
    for j, name in enumerate(("median_days", "p90_days")):
        out[name] = _estimate(est["a"][0][0, j], est["b"][0][0, j], boots["a"][0][:, j], boots["b"][0][:, j],
                              options.alpha)
    if options.target_days is not None:
        out["share_within_target"] = {"target_days": options.target_days, **_estimate(
            est["a"][1][0], est["b"][1][0], boots["a"][1], boots["b"][1], options.alpha)}
    out["closed_only_median_days"] = {"a": _f(np.median(a["lead_days"][a["closed"]])) if a["closed"].any() else None,
                                      "b": _f(np.median(b["lead_days"][b["closed"]])) if b["closed"].any() else None}
    return out


def _per_case(a: dict, b: dict, options: CompareOptions, rng: np.random.Generator) -> dict[str, Any]:
    """Per closed case means (A, B, B − A) of hours and the rework share, bootstrapped together."""
    keys = ("proc_hours", "proc_working_hours", "wait_hours", "wait_working_hours", "rework")
    est, boots = {}, {}
    for side, c in (("a", a), ("b", b)):
        closed = c["closed"].astype(bool)
        m = np.column_stack([c[k][closed].astype(float) for k in keys])
        if not len(m):
            raise InputError("a side has no closed cases to compare")
        est[side] = m.mean(axis=0)
        boots[side] = np.stack([m[_resamples(rng, len(m), 1)[0]].mean(axis=0) for _ in range(options.bootstrap)])
    return {k: _estimate(est["a"][i], est["b"][i], boots["a"][:, i], boots["b"][:, i], options.alpha)
            for i, k in enumerate(keys)}


def _gains(per_case: dict, cases_per_year_b: float, has_start: bool, options: CompareOptions) -> dict[str, Any]:
    """Gains per year at B's volume: (A − B) per case × B's cases per year; positive = gained."""

    def scaled(entry: dict, factor: float) -> dict[str, Any]:
        d, ci = entry["difference"], entry["difference_ci"]
        return {"value": None if d is None else -d * factor,
                "ci": [None, None] if ci[0] is None else [-ci[1] * factor, -ci[0] * factor],
                "significant": entry["significant"]}

    proc = scaled(per_case["proc_working_hours"], cases_per_year_b)
    wait = scaled(per_case["wait_working_hours"], cases_per_year_b)
    return {
        "cases_per_year": cases_per_year_b,
        "hours_per_year": {
            "processing": {**proc, "basis": "measured" if has_start else None,
                           "note": None if has_start else "no start times: processing time cannot be measured"},
            "waiting": {**wait, "basis": "measured or between_completions, as mining's waiting"},
            "unit": "working hours (calendar Europe/Oslo 08:00–15:45, public holidays closed)",
        },
        "nok_per_year": {**scaled(per_case["proc_working_hours"], cases_per_year_b * options.hourly_cost),
                         "hourly_cost": options.hourly_cost,
                         "basis": "processing hours saved × hourly cost; waiting is not staff time"},
        "rework_cases_per_year": scaled(per_case["rework"], cases_per_year_b),
    }


def _activities(con: duckdb.DuckDBPyConnection) -> dict[str, Any]:
    rows = _rows(con, """
        SELECT coalesce(a.activity, b.activity) AS activity,
               a.events AS a_events, b.events AS b_events, a.case_share AS a_case_share, b.case_share AS b_case_share,
               a.median_processing_hours AS a_median_processing_hours,
               b.median_processing_hours AS b_median_processing_hours,
               a.median_wait_hours AS a_median_wait_hours, b.median_wait_hours AS b_median_wait_hours,
               a.wait_basis AS a_wait_basis, b.wait_basis AS b_wait_basis,
               wa.mean_hours AS a_mean_wait_hours, wb.mean_hours AS b_mean_wait_hours,
               wa.sd_hours AS a_sd, wb.sd_hours AS b_sd, wa.n AS a_n, wb.n AS b_n,
               ra.repeated_cases / ra.cases AS a_repeat_share, rb.repeated_cases / rb.cases AS b_repeat_share
        FROM a.m_activities a FULL JOIN b.m_activities b ON a.activity = b.activity
        LEFT JOIN a.act_wait wa ON wa.activity = coalesce(a.activity, b.activity)
        LEFT JOIN b.act_wait wb ON wb.activity = coalesce(a.activity, b.activity)
        LEFT JOIN a.act_repeat ra ON ra.activity = coalesce(a.activity, b.activity)
        LEFT JOIN b.act_repeat rb ON rb.activity = coalesce(a.activity, b.activity)
        ORDER BY coalesce(a.events, 0) + coalesce(b.events, 0) DESC, activity
    """)
    out = []
    for r in rows:
        diff = ci = None
        if r["a_mean_wait_hours"] is not None and r["b_mean_wait_hours"] is not None:
            diff = r["b_mean_wait_hours"] - r["a_mean_wait_hours"]
            se = math.sqrt(((r["a_sd"] or 0) ** 2) / r["a_n"] + ((r["b_sd"] or 0) ** 2) / r["b_n"])
            ci = [diff - Z95 * se, diff + Z95 * se]
        mw_a, mw_b = r["a_median_wait_hours"], r["b_median_wait_hours"]
        faster = None
        if ci is not None and (ci[0] > 0 or ci[1] < 0):
            faster = "a" if diff > 0 else "b"
        out.append({
            "activity": r["activity"], "in": "both" if r["a_events"] and r["b_events"] else "a" if r["a_events"]
            else "b",
            **{k: _f(r[k]) for k in ("a_events", "b_events", "a_case_share", "b_case_share",
                                     "a_median_processing_hours", "b_median_processing_hours",
                                     "a_median_wait_hours", "b_median_wait_hours", "a_mean_wait_hours",
                                     "b_mean_wait_hours", "a_repeat_share", "b_repeat_share")},
            "wait_basis": r["a_wait_basis"] or r["b_wait_basis"],
            "mean_wait_difference_hours": _f(diff), "mean_wait_difference_ci": ci,
            "median_wait_ratio": (_f(mw_b / mw_a) if mw_a and mw_b is not None else None),
            "waits_less_in": faster,
        })
    return {"rows": out, "added": [r["activity"] for r in out if r["in"] == "b"],
            "removed": [r["activity"] for r in out if r["in"] == "a"],
            "shared": [r["activity"] for r in out if r["in"] == "both"]}


def _dfg(con: duckdb.DuckDBPyConnection, n_a: int, n_b: int, alpha: float) -> list[dict[str, Any]]:
    con.execute("""
        CREATE OR REPLACE TEMP TABLE both_pairs AS
        SELECT 'a' AS side, cid, source, target, hours FROM a.pairs WHERE cid IN (SELECT cid FROM a.case_out WHERE closed)
        UNION ALL
        SELECT 'b', cid, source, target, hours FROM b.pairs WHERE cid IN (SELECT cid FROM b.case_out WHERE closed)
    """)
    rows = _rows(con, """
        WITH f AS (
            SELECT source, target,
                   count(*) FILTER (WHERE side = 'a') AS a_count, count(*) FILTER (WHERE side = 'b') AS b_count,
                   count(DISTINCT cid) FILTER (WHERE side = 'a') AS a_cases,
                   count(DISTINCT cid) FILTER (WHERE side = 'b') AS b_cases,
                   median(hours) FILTER (WHERE side = 'a') AS a_median_hours,
                   median(hours) FILTER (WHERE side = 'b') AS b_median_hours
            FROM both_pairs GROUP BY source, target
        ),
        h AS (SELECT side, source, target, hours FROM both_pairs WHERE hours IS NOT NULL),
        r AS (  -- average ranks within each edge (ties share the mean of their ranks)
            SELECT side, source, target,
                   rank() OVER (PARTITION BY source, target ORDER BY hours)
                   + (count(*) OVER (PARTITION BY source, target, hours) - 1) / 2.0 AS rk
            FROM h
        ),
        u AS (
            SELECT source, target, count(*) FILTER (WHERE side = 'a') AS n1, count(*) FILTER (WHERE side = 'b') AS n2,
                   sum(rk) FILTER (WHERE side = 'a') AS r1
            FROM r GROUP BY source, target
        ),
        t AS (
            SELECT source, target, sum(k * k * k - k) AS ties
            FROM (SELECT source, target, hours, count(*)::DOUBLE AS k FROM h GROUP BY ALL) GROUP BY source, target
        )
        SELECT f.*, u.n1, u.n2, u.r1, t.ties
        FROM f LEFT JOIN u USING (source, target) LEFT JOIN t USING (source, target)
        ORDER BY f.a_count + f.b_count DESC, f.source, f.target
    """)
    p_freq = [two_proportion_p(r["a_cases"], n_a, r["b_cases"], n_b) for r in rows]
    p_time = [_mw_p(int(r["n1"] or 0), int(r["n2"] or 0), float(r["r1"] or 0), float(r["ties"] or 0))
              for r in rows]
    q_freq, q_time = benjamini_hochberg(p_freq), benjamini_hochberg(p_time)
    out = []
    for r, pf, qf, pt, qt in zip(rows, p_freq, q_freq, p_time, q_time):
        sa, sb = r["a_cases"] / n_a, r["b_cases"] / n_b
        if r["a_count"] == 0 and r["b_cases"] >= MIN_EDGE_CASES:
            status = "appeared"
        elif r["b_count"] == 0 and r["a_cases"] >= MIN_EDGE_CASES:
            status = "vanished"
        else:
            changed = []
            if qf is not None and qf < alpha:
                changed.append("frequency")
            if qt is not None and qt < alpha:
                changed.append("time")
            status = "changed_" + "_and_".join(changed) if changed else "same"
        ma, mb = _f(r["a_median_hours"]), _f(r["b_median_hours"])
        out.append({
            "source": r["source"], "target": r["target"], "status": status,
            "a_count": int(r["a_count"]), "b_count": int(r["b_count"]),
            "a_case_share": sa, "b_case_share": sb, "frequency_p": pf, "frequency_q": qf,
            "a_median_hours": ma, "b_median_hours": mb,
            "median_difference_hours": None if ma is None or mb is None else mb - ma,
            "time_p": pt, "time_q": qt,
            "faster_in": None if qt is None or qt >= alpha or ma is None or mb is None or ma == mb
            else ("b" if mb < ma else "a"),
        })
    return out


def _variants(con: duckdb.DuckDBPyConnection) -> dict[str, Any]:
    top = {s: _rows(con, f"""
        SELECT variant_id, activities, cases, case_share, median_duration_hours
        FROM {s}.m_variants ORDER BY variant_id LIMIT {TOP_VARIANTS}""") for s in ("a", "b")}
    (n_a, n_b, shared, b_in_a) = con.execute("""
        SELECT (SELECT count(*) FROM a.m_variants), (SELECT count(*) FROM b.m_variants),
               (SELECT count(*) FROM a.m_variants x SEMI JOIN b.m_variants y ON x.activities = y.activities),
               (SELECT coalesce(sum(case_share), 0) FROM b.m_variants y SEMI JOIN a.m_variants x
                ON x.activities = y.activities)
    """).fetchone()
    return {"a_variants": n_a, "b_variants": n_b, "shared_variants": shared,
            "b_case_share_in_a_variants": _f(b_in_a),
            "a_top": [{**v, "activities": list(v["activities"])} for v in top["a"]],
            "b_top": [{**v, "activities": list(v["activities"])} for v in top["b"]]}


def _monthly(con: duckdb.DuckDBPyConnection) -> list[dict[str, Any]]:
    return [{**r, "month": r["month"].isoformat()} for r in _rows(con, """
        SELECT coalesce(a.month, b.month) AS month, a.cases_started AS a_cases_started,
               b.cases_started AS b_cases_started, a.events AS a_events, b.events AS b_events
        FROM a.m_monthly a FULL JOIN b.m_monthly b ON a.month = b.month ORDER BY month""")]


def _case_mix(con: duckdb.DuckDBPyConnection, alpha: float) -> list[dict[str, Any]]:
    """Attribute distributions side by side: total variation distance and a chi-square p per attribute.

    Text and yes/no attributes with at most MAX_LEVELS values are compared as they are; numbers in the
    pooled quartiles. Also the closed cases' median lead time per value, to compare like with like.
    """
    from scipy.stats import chi2

    con.execute(f"""
        CREATE OR REPLACE TEMP TABLE mix AS
        WITH v AS (
            SELECT 'a' AS side, case_id, name, kind, value_number, coalesce(value_text, CAST(value_bool AS VARCHAR))
                   AS value FROM a.case_attrs
            UNION ALL
            SELECT 'b', case_id, name, kind, value_number, coalesce(value_text, CAST(value_bool AS VARCHAR))
            FROM b.case_attrs
        ),
        q AS (SELECT name, quantile_cont(value_number, [0.25, 0.5, 0.75]) AS cut FROM v
              WHERE kind = 'number' GROUP BY name),
        lv AS (
            SELECT v.side, v.case_id, v.name,
                   CASE WHEN v.kind = 'number' THEN
                        CASE WHEN v.value_number <= q.cut[1] THEN 'Q1' WHEN v.value_number <= q.cut[2] THEN 'Q2'
                             WHEN v.value_number <= q.cut[3] THEN 'Q3' ELSE 'Q4' END
                        ELSE v.value END AS level
            FROM v LEFT JOIN q USING (name)
        ),
        keep AS (SELECT name FROM lv GROUP BY name HAVING count(DISTINCT level) BETWEEN 2 AND {MAX_LEVELS})
        SELECT lv.*, coalesce(ca.lead_days, cb.lead_days) AS lead_days, coalesce(ca.closed, cb.closed) AS closed
        FROM lv SEMI JOIN keep USING (name)
        LEFT JOIN a.case_out ca ON lv.side = 'a' AND ca.case_id = lv.case_id
        LEFT JOIN b.case_out cb ON lv.side = 'b' AND cb.case_id = lv.case_id
    """)
    rows = _rows(con, """
        SELECT name, level, count(*) FILTER (WHERE side = 'a') AS a_cases, count(*) FILTER (WHERE side = 'b') AS b_cases,
               median(lead_days) FILTER (WHERE side = 'a' AND closed) AS a_median_days,
               median(lead_days) FILTER (WHERE side = 'b' AND closed) AS b_median_days
        FROM mix GROUP BY name, level ORDER BY name, level
    """)
    out = []
    for name in dict.fromkeys(r["name"] for r in rows):
        lv = [r for r in rows if r["name"] == name]
        a = np.array([r["a_cases"] for r in lv], dtype=float)
        b = np.array([r["b_cases"] for r in lv], dtype=float)
        if not a.sum() or not b.sum():
            continue
        tvd = 0.5 * np.abs(a / a.sum() - b / b.sum()).sum()
        exp_a = (a + b) * a.sum() / (a.sum() + b.sum())
        exp_b = (a + b) * b.sum() / (a.sum() + b.sum())
        stat = float((((a - exp_a) ** 2) / exp_a).sum() + (((b - exp_b) ** 2) / exp_b).sum())
        p = float(chi2.sf(stat, len(lv) - 1))
        out.append({"attribute": name, "total_variation": float(tvd), "chi2_p": p,
                    "changed": bool(tvd > MIX_TVD and p < alpha),
                    "levels": [{"level": r["level"], "a_share": r["a_cases"] / a.sum(),
                                "b_share": r["b_cases"] / b.sum(), "a_median_lead_days": _f(r["a_median_days"]),
                                "b_median_lead_days": _f(r["b_median_days"])} for r in lv]})
    out.sort(key=lambda r: -r["total_variation"])
    return out


LIKE_KEYS = ("proc_working_hours", "wait_working_hours", "rework", "lead_days")


def _levels(con: duckdb.DuckDBPyConnection, schema: str, attribute: str) -> np.ndarray:
    """Each case's level of `attribute` (as `_case_mix` bins it), in `_cases`' order; '(none)' if unset."""
    rows = con.execute(f"""
        SELECT coalesce(m.level, '(none)') FROM {schema}.case_out c
        LEFT JOIN mix m ON m.side = ? AND m.name = ? AND m.case_id = c.case_id ORDER BY c.cid
    """, [schema, attribute]).fetchall()
    return np.array([r[0] for r in rows], dtype=object)


def _standardised(m: np.ndarray, lv: np.ndarray, weights: dict[str, float]) -> np.ndarray:
    """Σ weight(level) × column means of `m` within the level: A's figures at B's case mix."""
    out = np.zeros(m.shape[1])
    for level, w in weights.items():
        out += w * m[lv == level].mean(axis=0)
    return out


def _like_for_like(con: duckdb.DuckDBPyConnection, a: dict, b: dict, mix: list[dict[str, Any]],
                   options: CompareOptions, rng: np.random.Generator) -> dict[str, Any] | None:
    """A's per-case figures reweighted to B's mix of the most shifted attribute (direct standardisation).

    When the mix changed (say more small garages after the change), a crude B − A mixes the process
    change with the change in what came in. Within each level of the attribute A's closed-case means
    are taken, weighted by B's share of closed cases in that level, and compared with B; the interval
    comes from resampling cases within each side. Levels B has but A lacks cannot be matched; the share
    of B's closed cases that was matched is reported.
    """
    changed = [m for m in mix if m["changed"]]
    if not changed:
        return None
    attribute = changed[0]["attribute"]  # `mix` is sorted by total variation, largest first
    sides = {}
    for side, c in (("a", a), ("b", b)):
        closed = c["closed"].astype(bool)
        m = np.column_stack([c[k][closed].astype(float) for k in LIKE_KEYS])
        sides[side] = (m, _levels(con, side, attribute)[closed])
    (ma, la), (mb, lb) = sides["a"], sides["b"]
    common = sorted(set(la) & set(lb))
    matched = np.isin(lb, common)
    if not common or not matched.any():
        return None
    mb, lb = mb[matched], lb[matched]
    weights = {level: float((lb == level).mean()) for level in common}
    est_a = _standardised(ma, la, weights)
    est_b = mb.mean(axis=0)
    boot_a, boot_b = np.empty((options.bootstrap, len(LIKE_KEYS))), np.empty((options.bootstrap, len(LIKE_KEYS)))
    idx_a = {level: np.flatnonzero(la == level) for level in common}
    for i in range(options.bootstrap):
        # resampled within levels on A's side (weights stay B's), whole cases on B's side
        boot_a[i] = sum(weights[level] * ma[rng.choice(ix, ix.size)].mean(axis=0) for level, ix in idx_a.items())
        boot_b[i] = mb[rng.integers(0, len(mb), len(mb))].mean(axis=0)
    figures = {k: _estimate(est_a[j], est_b[j], boot_a[:, j], boot_b[:, j], options.alpha)
               for j, k in enumerate(LIKE_KEYS)}
    return {"attribute": attribute, "levels": common, "b_cases_matched_share": float(matched.mean()),
            "weights": weights, **figures,
            "method": "A's closed-case means within each level of the attribute, weighted by B's shares "
                      "(direct standardisation); difference = B − A at B's case mix"}


def compare(*, store_path: str | os.PathLike[str] | None = None, a: Side, b: Side,
            options: CompareOptions = CompareOptions(), progress: Progress | None = None) -> dict[str, Any]:
    """Compare side `a` (before, or the first municipality) with side `b`; returns compare.json's content."""
    report = progress or (lambda _label, _done, _total: None)
    target = store.store_path(store_path)
    rng = np.random.default_rng(options.random_state)
    con = store.memory()
    try:
        con.execute("SET enable_progress_bar = false")
        con.execute("CREATE TABLE activity_map (name VARCHAR, common VARCHAR)")
        if options.mapping:
            con.executemany("INSERT INTO activity_map VALUES (?, ?)", [list(p) for p in options.mapping])
        report("reading events", 0, 5)
        with _attached(con, target):
            known = {r[0] for r in con.execute("SELECT log FROM src.logs").fetchall()}
            for side in (a, b):
                if side.log not in known:
                    raise StoreError(f"no log named '{side.log}' (logs: {', '.join(sorted(known)) or 'none'})")
            load_side(con, "a", a)
            load_side(con, "b", b)
            contacts = {side.log: _contacts(con, side.log, options.mapping) for side in (a, b)}
        if options.shared_only:
            con.execute("CREATE TEMP TABLE shared_acts AS "
                        "SELECT DISTINCT activity FROM a.events INTERSECT SELECT DISTINCT activity FROM b.events")
            for s in ("a", "b"):
                con.execute(f"DELETE FROM {s}.events WHERE activity NOT IN (SELECT activity FROM shared_acts)")
        report(f"statistics: {a.label}", 1, 5)
        fa = run_side(con, "a", a, options, options.end_activities)
        report(f"statistics: {b.label}", 2, 5)
        same_log = a.log == b.log
        fb = run_side(con, "b", b, options,
                       options.end_activities or (fa["rule"].end_activities if same_log else ()))
        report("comparing", 3, 5)
        ca, cb = _cases(con, "a"), _cases(con, "b")
        years_a, years_b = _years(ca["first_us"]), _years(cb["first_us"])
        per_year_a, per_year_b = len(ca["closed"]) / years_a, len(cb["closed"]) / years_b
        lead = _lead_time(ca, cb, options, rng)
        per_case = _per_case(ca, cb, options, rng)
        gains = _gains(per_case, per_year_b, fa["has_start"] and fb["has_start"], options)
        acts = _activities(con)
        dfg = _dfg(con, int(ca["closed"].sum()), int(cb["closed"].sum()), options.alpha)
        mix = _case_mix(con, options.alpha)
        together = _collaboration(con, (a, b), (fa, fb), contacts)
        like = _like_for_like(con, ca, cb, mix, options, rng)
        if like is not None:
            like["gains"] = _gains(like, per_year_b, fa["has_start"] and fb["has_start"], options)
        result = {
            "kind": "before_after" if same_log else "two_logs",
            "a": _side_summary(a, fa, per_year_a, years_a), "b": _side_summary(b, fb, per_year_b, years_b),
            "volume": {"a_cases_per_year": per_year_a, "b_cases_per_year": per_year_b,
                       "change": per_year_b / per_year_a - 1 if per_year_a else None},
            "monthly": _monthly(con),
            "lead_time": lead,
            "per_case": per_case,
            "rework": {"a_case_share": per_case["rework"]["a"], "b_case_share": per_case["rework"]["b"],
                       "difference_ci": per_case["rework"]["difference_ci"],
                       "by_activity": [{"activity": r["activity"], "a_repeat_share": r["a_repeat_share"],
                                        "b_repeat_share": r["b_repeat_share"]} for r in acts["rows"]
                                       if (r["a_repeat_share"] or 0) > 0 or (r["b_repeat_share"] or 0) > 0]},
            "activities": acts,
            "dfg": dfg,
            "variants": _variants(con),
            "collaboration": together,
            "case_mix": mix,
            "like_for_like": like,
            "gains": gains,
            "mapping": [list(p) for p in options.mapping],
            "shared_only": options.shared_only,
        }
        report("notes", 4, 5)
        result["notes"] = _notes(result, options)
        result["method"] = _method(options)
    finally:
        con.close()
    report("done", 5, 5)
    return result


def _contacts(con: duckdb.DuckDBPyConnection, log_name: str,
              mapping: tuple[tuple[str, str], ...]) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The contact lists (incoming, outgoing) the log's latest mining run used, in the mapped names, so both
    sides count doors and voices as the log's own report does; empty (Noark 5 journal post types) without."""
    has = con.execute("SELECT count(*) FROM duckdb_columns() WHERE database_name = 'src' "
                      "AND table_name = 'mining_collaboration' AND column_name = 'incoming'").fetchall()[0][0]
    if not has:
        return (), ()
    rows = con.execute("""
        SELECT c.incoming, c.outgoing FROM src.mining_collaboration c
        JOIN src.mining_runs r ON r.log = c.log AND r.run_id = c.run_id
        WHERE c.log = ? ORDER BY r.run_seq DESC LIMIT 1
    """, [log_name]).fetchall()
    if not rows:
        return (), ()
    common = dict(mapping)
    return tuple(common.get(x, x) for x in rows[0][0]), tuple(common.get(x, x) for x in rows[0][1])


def _collaboration(con: duckdb.DuckDBPyConnection, sides: tuple[Side, Side], facts: tuple[dict, dict],
                   contacts: dict[str, tuple[tuple[str, ...], tuple[str, ...]]]) -> dict[str, Any]:
    """Handovers between units and the citizen's doors and voices per closed case on each side
    (`mining.handovers`' definitions), with two-proportion tests of the shares."""
    out: dict[str, Any] = {}
    for schema, side, f in zip(("a", "b"), sides, facts):
        incoming, outgoing = contacts.get(side.log, ((), ()))
        con.execute(f"USE memory.{schema}")
        try:
            insights_results.build_inputs(con, "events", side.log,
                                          insights_results.InsightOptions(incoming=incoming, outgoing=outgoing))
            insights_results.prepare(con, end_activities=tuple(f["rule"].end_activities))
            out[schema] = handovers.side_figures(con)
        finally:
            con.execute("USE memory.main")
    a, b = out["a"], out["b"]
    for name, count in (("ping_pong", "ping_pong_cases"), ("multi_voice", "cases_multi_voice"),
                        ("repeat_door", "cases_repeat_door")):
        out[f"{name}_p"] = two_proportion_p(a[count], a["cases"], b[count], b["cases"])
    for key in ("handovers_per_case", "ping_pong_share", "voices_per_case", "multi_voice_share",
                "repeat_door_share", "letters_saved_per_case"):
        out[f"{key}_change"] = (b[key] - a[key]) if a[key] is not None and b[key] is not None else None
    return out


def _side_summary(side: Side, facts: dict, per_year: float, years: float) -> dict[str, Any]:
    s = facts["summary"]
    return {"label": side.label, "log": side.log,
            "started_from": side.started_from.isoformat() if side.started_from else None,
            "started_before": side.started_before.isoformat() if side.started_before else None,
            "cases": int(s["cases"]), "closed_cases": int(s["closed_cases"]), "events": int(s["events"]),
            "activities": int(s["activities"]), "variants": int(s["variants"]),
            "first_event_at": s["first_event_at"].isoformat() if s["first_event_at"] else None,
            "last_event_at": s["last_event_at"].isoformat() if s["last_event_at"] else None,
            "years": years, "cases_per_year": per_year, "end_activities": list(facts["rule"].end_activities),
            "has_start_times": facts["has_start"]}


def _notes(r: dict[str, Any], options: CompareOptions) -> list[dict[str, str]]:
    """Plain warnings a reader needs before trusting the gains (codes are stable; the app words them)."""
    notes = []
    change = r["volume"]["change"]
    if change is not None and abs(change) > VOLUME_CHANGE:
        notes.append({"code": "volume_changed", "value": change})
    mixed = [m["attribute"] for m in r["case_mix"] if m["changed"]]
    if mixed:
        notes.append({"code": "case_mix_changed", "attributes": mixed})
    if r["kind"] == "before_after" and r["b"]["cases"] > r["b"]["closed_cases"]:
        notes.append({"code": "open_cases_censored", "value": r["b"]["cases"] - r["b"]["closed_cases"]})
    if r["kind"] == "two_logs" and len(r["activities"]["shared"]) < len(r["activities"]["rows"]) / 2:
        notes.append({"code": "few_shared_activities", "value": len(r["activities"]["shared"])})
    return notes


def _method(options: CompareOptions) -> dict[str, Any]:
    return {
        "lead_time": "Kaplan–Meier over all cases, open cases censored at the log's last event; days",
        "per_case": "means over closed cases; gains per year = (A − B) per case × B's cases per year",
        "bootstrap": {"resamples": options.bootstrap, "random_state": options.random_state,
                      "interval": f"percentile, {1 - options.alpha:.0%}"},
        "dfg_frequency_test": "two-proportion z-test on the share of cases with the edge",
        "dfg_time_test": "Mann–Whitney U (normal approximation, tie and continuity correction)",
        "multiple_testing": "Benjamini–Hochberg per test across edges",
        "waiting_difference": "difference of mean waits with a Welch (normal) interval",
        "hours": "working hours by the Norwegian calendar unless a field says otherwise",
    }
