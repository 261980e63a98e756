"""Candidates: which steps to eliminate, simplify, automate or unblock, with evidence, rule, gains and rank.

Every hour a candidate claims is work done by people (`features`: systems, outside parties and steps
with no resource and no measured time cost none), and each activity's hours are claimed by at most one
candidate (`allocate`), so the claimed total never exceeds the log's staff hours. A candidate that
would save less than `MIN_HOURS` a year or `MIN_HOURS_SHARE` of the staff hours is not proposed;
steps whose names say something arrived from outside (`mining.needless.is_inbound`) are never
automated, never a decision point and never an internal queue.

Sources of each kind:
- `automate`, a decision: at a decision point P (a staff step after which cases branch), one
  multi-class rule on the case data predicts the branch (`decisions.DecisionPoint`). The candidate is
  the decision at P: activities `[P]`, every branch named, hours P's own processing. A branch's own
  work is never credited to the rule.
- `automate`, a standardised step: a staff step on its own evidence: even durations (coefficient of
  variation ≤ `STANDARD_CV`), nothing after it left to judgement, not done in batches (a meeting
  decides together), and not triggered from outside or unexplained.
- `eliminate`: only steps mining's needless-step analysis calls `needless` (no effect on the outcome,
  presence predicted by a habit better than by the case data). `unexplained` steps are listed for
  review in the summary, with no hours; `triggered` steps (payments, replies, appeals and what always
  follows them) are never proposed.
- `simplify`: rework patterns (repeats, loops, ping-pong) that redo staff work, from `mining_rework`;
  a loop absorbs its steps: no other candidate claims their hours. A repetition in more than half of
  the cases (one "Dokument tilknyttet" per document in a Noark 5 export) is how the process handles
  several items, not rework, and is not proposed.
- `unblock`: the largest internal queues from `mining_bottlenecks`; they save waiting, not hours.

`candidate_id` is `kind-` plus a hash of the kind and the activities, so it is stable across runs and
does not depend on the rank; labels refer to it.
"""
from __future__ import annotations

from dataclasses import replace
from typing import Any

import numpy as np
import pandas as pd

from saksflyt.mining.report import Text

from .candidate import Candidate, Insights
from .candidate_sources import (
    automate_candidates, decision_candidates, eliminate_candidates, handover_candidates, needless_evidence,
    NO_HOURS, simplify_candidates, step_determinism, unblock_candidates, voice_candidates,
)
from .decisions import DecisionPoint, DecisionRule
from .estimator import FEATURES, CandidateScorer

MIN_HOURS = 1.0             # a candidate claiming less a year, or …
MIN_HOURS_SHARE = 0.002     # … less than this share of the log's staff hours, saves nothing worth a change
CLAIM_ORDER = ("simplify", "decision", "eliminate", "automate")   # who keeps an activity's hours
SOFT_CLAIMS = ("handovers",)   # sources that keep their waiting gain when their steps' hours belong to another


# --- no hour counted twice ------------------------------------------------------------------------


def allocate(candidates: list[Candidate], *, t: Text) -> list[Candidate]:
    """Give each activity's staff hours to at most one candidate.

    A loop absorbs its steps (they are redone because of it), a decision keeps its decision step, then
    needless steps, then standardised steps; within a rank, more hours first. A candidate that would
    claim an activity already claimed is dropped, and its absorber's reasons say so.
    """
    order = {s: i for i, s in enumerate(CLAIM_ORDER)}
    ranked = sorted(candidates, key=lambda c: (order.get(c.source, len(order)), -c.hours_saved_per_year,
                                               c.candidate_id))
    owner: dict[str, int] = {}
    kept: list[Candidate] = []
    absorbed: dict[int, list[str]] = {}
    for c in ranked:
        taken = [owner[a] for a in c.claims if a in owner]
        if taken and c.source in SOFT_CLAIMS:   # keeps its waiting gain; the hours stay with their owner
            note = t.tr("ranking.hours_counted_elsewhere", candidate_id=kept[taken[0]].candidate_id)
            kept.append(replace(c, hours_saved_per_year=0.0, nok_saved_per_year=0.0, claims=(),
                                features={**c.features, "hours_saved_per_year": 0.0}, reasons=c.reasons + (note,)))
            continue
        if taken:
            absorbed.setdefault(taken[0], []).append(f"{c.kind} {' → '.join(c.activities)}")
            continue
        for a in c.claims:
            owner[a] = len(kept)
        kept.append(c)
    out = []
    for i, c in enumerate(kept):
        if i in absorbed:
            note = t.tr("ranking.also_covers", absorbed="; ".join(absorbed[i]))
            c = replace(c, reasons=c.reasons + (note,))
        out.append(c)
    return out


def summary(feats: pd.DataFrame, candidates: list[Candidate], needless: list[dict[str, Any]], *,
            hourly_cost: float) -> dict[str, Any]:
    """candidates_summary.json: the staff hours of the log against the hours the candidates claim."""
    staff = float(feats["processing_hours_per_year"].sum())
    claimed = float(sum(c.hours_saved_per_year for c in candidates))
    by_kind: dict[str, dict[str, float]] = {}
    for c in candidates:
        k = by_kind.setdefault(c.kind, {"candidates": 0, "hours_per_year": 0.0, "nok_per_year": 0.0})
        k["candidates"] += 1
        k["hours_per_year"] += c.hours_saved_per_year
        k["nok_per_year"] += c.nok_saved_per_year
    by_basis = feats.groupby("basis")["processing_hours_per_year"].sum()
    unknown = feats[feats["basis"].isin(NO_HOURS)]
    return {
        "staff_hours_per_year": round(staff, 2),
        "claimed_hours_per_year": round(claimed, 2),
        "claimed_share": round(claimed / staff, 4) if staff > 0 else 0.0,
        "hourly_cost": hourly_cost,
        "by_kind": {k: {"candidates": int(v["candidates"]), "hours_per_year": round(v["hours_per_year"], 2),
                        "nok_per_year": round(v["nok_per_year"], 0)} for k, v in sorted(by_kind.items())},
        "staff_hours_by_basis": {str(k): round(float(v), 2) for k, v in by_basis.items()},
        "activities_without_hours": sorted(unknown["activity"].tolist()),
        "for_review": [{"activity": n["activity"], "verdict": n["verdict"], "cases_with": n.get("cases_with"),
                        "cases_without": n.get("cases_without")}
                       for n in needless if n.get("verdict") == "unexplained"],
    }


# --- scoring and ranking ------------------------------------------------------------------------


def feature_frame(candidates: list[Candidate]) -> pd.DataFrame:
    return pd.DataFrame([[c.features[f] for f in FEATURES] for c in candidates], columns=list(FEATURES),
                        dtype="float64")


def rank(candidates: list[Candidate], model: CandidateScorer | None, *, model_note: str, lang: str = "en") -> tuple[
        list[Candidate], CandidateScorer | None]:
    """Score with `model` (a trained one) or a default-weight scorer fitted here; rank by score."""
    if not candidates:
        return [], model
    t = Text(lang)
    X = feature_frame(candidates)
    scorer = model if model is not None else CandidateScorer().fit(X)
    scores = scorer.score_samples(X)
    explain: list[str] = []
    if not scorer.supervised_:
        contrib = np.where(scorer.weights_ > 0, scorer.contributions(X), 0.0)  # evidence for, not absent penalties
        for row in contrib:
            top = [j for j in np.argsort(-row, kind="stable")[:3] if row[j] > 0]
            words = [t.tr(f"ranking.feature.{FEATURES[j]}") for j in top]
            explain.append(", ".join(words) or t.tr("ranking.nothing_stands_out"))
    scored = []
    for i, c in enumerate(candidates):
        note = t.tr("ranking.score", score=t.num(scores[i], 2), model_note=model_note)
        if explain:
            note += t.tr("ranking.strongest", strongest=explain[i])
        else:
            note += "."
        scored.append(replace(c, score=float(scores[i]), reasons=c.reasons + (note,)))
    scored.sort(key=lambda c: (-c.score, c.candidate_id))
    return [replace(c, rank=i) for i, c in enumerate(scored, start=1)], scorer


def build(feats: pd.DataFrame, rules: list[DecisionRule], insights: Insights, *, years: float, cases: int,
          hourly_cost: float, points: list[DecisionPoint] | None = None, lang: str = "nb") -> tuple[
              list[Candidate], pd.DataFrame, dict[str, Any]]:
    """All candidates (unscored, no hour claimed twice), the per-activity determinism table, the summary."""
    t = Text(lang)
    det = step_determinism(feats, rules, points)
    ev = {n["activity"]: needless_evidence(n) for n in insights.needless}
    verdicts = {n["activity"]: n.get("verdict") for n in insights.needless}
    feats = feats.assign(needless_evidence=feats["activity"].map(ev).fillna(0.0))
    cands = (simplify_candidates(feats, insights.rework, years=years, cases=cases, hourly_cost=hourly_cost, t=t)
             + decision_candidates(feats, det, years=years, hourly_cost=hourly_cost, t=t)
             + eliminate_candidates(feats, det, insights.needless, hourly_cost=hourly_cost, t=t)
             + automate_candidates(feats, det, verdicts, hourly_cost=hourly_cost, t=t)
             + unblock_candidates(feats, det, insights.bottlenecks, verdicts, t=t)
             + handover_candidates(feats, insights.collaboration, years=years, cases=cases, hourly_cost=hourly_cost,
                                   t=t)
             + voice_candidates(feats, insights.collaboration, years=years, cases=cases, t=t))
    floor = max(MIN_HOURS, MIN_HOURS_SHARE * float(feats["processing_hours_per_year"].sum()))
    # candidates whose gain is waiting or letters, not staff hours, stand on that gain
    cands = [c for c in cands if c.kind == "unblock" or c.source in ("handovers", "units", "voices")
             or c.hours_saved_per_year >= floor]
    cands = allocate(cands, t=t)
    return cands, det, summary(feats, cands, insights.needless, hourly_cost=hourly_cost)
