"""Candidates: which steps to eliminate, simplify, automate or unblock, with evidence, rule, gains and rank.

Sources of each kind:
- `eliminate`: needless steps from mining's needless-step analysis (`mining_needless`, verdict
  `needless_candidate`), or, when the log's mining run has none stored, `evidence.needless_steps`.
- `simplify`: rework patterns (repeats, loops, ping-pong between activities) from `mining_rework`,
  or `evidence.rework_patterns`.
- `automate`: steps done by people whose presence a rule on case data decides (decision mining), or
  that no unpredictable branching surrounds (`judgement` < 0.5). A step after which the case branches
  in a way no rule predicts is a judgement step (e.g. an expert assessment) and is not proposed,
  however long and frequent.
- `unblock`: the largest internal queues from `mining_bottlenecks`, or `evidence.queues`.

`candidate_id` is `kind-` plus a hash of the kind and the activities, so it is stable across runs and
does not depend on the rank; labels refer to it.
"""
from __future__ import annotations

import hashlib
import math
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np
import pandas as pd

from . import gains
from .decisions import DecisionRule
from .estimator import FEATURES, KINDS, CandidateScorer

JUDGEMENT_LIMIT = 0.5
STAFF_SHARE = 0.5
DOMINANT_SUCCESSOR = 0.95
UNBLOCK_MAX = 3
UNBLOCK_MIN_SHARE = 0.1   # of the largest internal queue's waiting


@dataclass(frozen=True)
class Candidate:
    candidate_id: str
    kind: str
    activities: tuple[str, ...]
    reasons: tuple[str, ...]
    rule: str | None
    basis: str
    hours_saved_per_year: float
    nok_saved_per_year: float
    quality_cases_per_year: float
    cases_affected_per_year: float
    assumptions: tuple[str, ...]
    features: dict[str, float] = field(default_factory=dict)
    score: float = 0.0
    rank: int = 0

    def contract(self) -> dict[str, Any]:
        """The candidates.json entry (field names and order are the contract)."""
        return {"candidate_id": self.candidate_id, "rank": self.rank, "kind": self.kind,
                "activities": list(self.activities), "score": round(self.score, 6), "reasons": list(self.reasons),
                "rule": self.rule, "basis": self.basis,
                "hours_saved_per_year": round(self.hours_saved_per_year, 2),
                "nok_saved_per_year": round(self.nok_saved_per_year, 0),
                "quality_cases_per_year": round(self.quality_cases_per_year, 2),
                "cases_affected_per_year": round(self.cases_affected_per_year, 2),
                "assumptions": list(self.assumptions)}


def candidate_id(kind: str, activities: tuple[str, ...] | list[str]) -> str:
    """Stable id from what the candidate is (kind and activities), never from its rank or score."""
    digest = hashlib.sha256("\x1f".join([kind, *activities]).encode("utf-8")).hexdigest()
    return f"{kind}-{digest[:12]}"


@dataclass(frozen=True)
class Insights:
    """Mining insights the candidates build on, as their readers return them, and where they came from."""

    needless: list[dict[str, Any]]
    rework: list[dict[str, Any]]
    bottlenecks: list[dict[str, Any]]
    sources: dict[str, str]


# --- determinism per step -----------------------------------------------------------------------


def step_determinism(feats: pd.DataFrame, rules: list[DecisionRule]) -> pd.DataFrame:
    """Per activity: how far rules decide that it happens, what follows it, and its best rule.

    presence_judgement: for optional steps, the part of the decisions leading to it that no rule
    explains (weighted by how many cases enter from each decision point); output_judgement: the part
    of the branching after it that no rule explains (0 when one successor takes ≥ 95 %).
    """
    mandatory = dict(zip(feats["activity"], feats["mandatory"]))
    top_succ = dict(zip(feats["activity"], feats["top_successor_share"]))
    rows = []
    for activity in feats["activity"]:
        into = [r for r in rules if r.next_activity == activity]
        out = [r for r in rules if r.decision_point == activity]
        k_in = sum(r.target_decisions for r in into)
        presence = (sum(r.target_decisions * r.unexplained for r in into) / k_in
                    if k_in and not mandatory.get(activity, False) else 0.0)
        k_out = sum(r.target_decisions for r in out)
        output = (sum(r.target_decisions * r.unexplained for r in out) / k_out
                  if k_out and top_succ.get(activity, 1.0) < DOMINANT_SUCCESSOR else 0.0)
        based = [r for r in into if r.rule_based]
        best = max(based, key=lambda r: (r.target_decisions, r.accuracy or 0.0), default=None)
        rows.append({"activity": activity, "presence_judgement": presence, "output_judgement": output,
                     "judgement": max(presence, output),
                     "rule_determinism": (1.0 - presence) if best is not None else 0.0, "rule": best})
    return pd.DataFrame(rows)


# --- sentences --------------------------------------------------------------------------------


def _q(a: str) -> str:
    return f"\u201c{a}\u201d"


def _n(x: float, digits: int = 0) -> str:
    return f"{x:,.{digits}f}"


def _pct(x: float | None, digits: int = 0) -> str:
    return "n/a" if x is None or (isinstance(x, float) and math.isnan(x)) else f"{x:.{digits}%}"


def _volume(r: pd.Series) -> str:
    minutes = r["mean_processing_hours"] * 60
    return (f"{_q(r['activity'])} is done {_n(r['events_per_year'])} times a year, in {_pct(r['case_share'])} of "
            f"cases; {_n(r['processing_hours_per_year'])} working hours of processing a year "
            f"({_n(minutes, 1)} min per event, basis {r['basis']}).")


def _shape(r: pd.Series) -> str:
    return (f"It follows {_q(r['top_predecessor'])} in {_pct(r['top_predecessor_share'])} of its events and is "
            f"followed by {_q(r['top_successor'])} in {_pct(r['top_successor_share'])}; its processing time varies "
            f"by {_pct(r['duration_variability'])} (coefficient of variation); {_pct(r['person_share'])} of its "
            f"events are done by people.")


def _basis(values: list[str]) -> str:
    kinds = sorted(set(values))
    return kinds[0] if len(kinds) == 1 else "+".join(kinds)


# --- building the candidates --------------------------------------------------------------------


# Which features speak for or against each kind; the others are 0 for it (no credit, no penalty).
APPLIES: dict[str, frozenset[str]] = {
    "automate": frozenset({"rule_determinism", "judgement", "duration_variability", "predecessor_variability",
                           "successor_variability"}),
    "eliminate": frozenset({"needless_evidence", "waiting_hours_per_year"}),
    "simplify": frozenset({"rework_share", "waiting_hours_per_year"}),
    "unblock": frozenset({"waiting_hours_per_year"}),
}
KIND_SPECIFIC = frozenset().union(*APPLIES.values())


def _row_features(r: pd.Series, det: pd.Series | None, kind: str) -> dict[str, float]:
    def f(x: Any) -> float:
        return 0.0 if x is None or (isinstance(x, float) and math.isnan(x)) else float(x)
    x = {
        "events_per_year": f(r["events_per_year"]), "case_share": f(r["case_share"]),
        "waiting_hours_per_year": f(r["waiting_hours_per_year"]),
        "rule_determinism": f(det["rule_determinism"]) if det is not None else 0.0,
        "needless_evidence": f(r.get("needless_evidence", 0.0)), "rework_share": f(r["rework_share"]),
        "judgement": f(det["judgement"]) if det is not None else 0.0,
        "duration_variability": f(r["duration_variability"]),
        "predecessor_variability": f(r["predecessor_variability"]),
        "successor_variability": f(r["successor_variability"]),
        "handover_share": f(r["handover_share"]), "person_share": f(r["person_share"]),
    }
    return applicable(x, kind)


def applicable(x: dict[str, float], kind: str) -> dict[str, float]:
    """Zero the kind-specific features that do not apply to `kind` (see `APPLIES`)."""
    return {k: (v if k not in KIND_SPECIFIC or k in APPLIES[kind] else 0.0) for k, v in x.items()}


def _with_gain(kind: str, activities: tuple[str, ...], feats: dict[str, float], gain: gains.Gain,
               reasons: list[str], rule: str | None, basis: str) -> Candidate:
    x = dict(feats)
    x["hours_saved_per_year"] = gain.hours_saved_per_year
    x["quality_cases_per_year"] = gain.quality_cases_per_year
    for k in KINDS:
        x[f"kind_{k}"] = 1.0 if k == kind else 0.0
    return Candidate(candidate_id=candidate_id(kind, activities), kind=kind, activities=activities,
                     reasons=tuple(reasons), rule=rule, basis=basis,
                     hours_saved_per_year=gain.hours_saved_per_year, nok_saved_per_year=gain.nok_saved_per_year,
                     quality_cases_per_year=gain.quality_cases_per_year,
                     cases_affected_per_year=gain.cases_affected_per_year, assumptions=gain.assumptions,
                     features={k: float(x.get(k, 0.0)) for k in FEATURES})


def automate_candidates(feats: pd.DataFrame, det: pd.DataFrame, *, years: float,
                        hourly_cost: float) -> list[Candidate]:
    out: list[Candidate] = []
    d = det.set_index("activity")
    for _, r in feats.iterrows():
        s = d.loc[r["activity"]]
        staff = 1.0 - r["system_share"] - r["external_share"]
        rule: DecisionRule | None = s["rule"]
        if staff < STAFF_SHARE or r["processing_hours_per_year"] <= 0:
            continue
        if rule is None and s["judgement"] >= JUDGEMENT_LIMIT:
            continue
        deviating = None
        reasons = [_volume(r)]
        if rule is not None:
            deviating = (1.0 - (rule.accuracy or 0.0)) * rule.decisions / years
            reasons.append(
                f"A rule on the case data decides it: {rule.rule}. The rule is right in {_pct(rule.accuracy, 1)} of "
                f"{_n(rule.decisions)} decisions after {_q(rule.decision_point)} (grouped cross-validation; "
                f"majority baseline {_pct(rule.baseline, 1)}), so it qualifies as rule-based.")
        else:
            reasons.append(f"No rule on the case data decides it; it is proposed as a standardised step: less than "
                           f"half of the branching around it ({_pct(s['judgement'])}) is left to judgement.")
        reasons.append(_shape(r))
        if s["judgement"] > 0 and rule is not None:
            reasons.append(f"{_pct(s['judgement'])} of the branching into or out of it is predicted by no rule "
                           f"(a sign of judgement), which lowers its score.")
        gain = gains.automate(processing_hours_per_year=r["processing_hours_per_year"],
                              cases_per_year=r["cases_per_year"], deviating_per_year=deviating,
                              hourly_cost=hourly_cost, basis=r["basis"])
        out.append(_with_gain("automate", (r["activity"],), _row_features(r, s, "automate"), gain, reasons,
                              rule.describe() if rule is not None else None, r["basis"]))
    return out


def _needless_sentences(n: dict[str, Any]) -> list[str]:
    out = [f"Present in {_n(n['cases_with'])} closed cases and absent from {_n(n['cases_without'])}."]
    q = (n.get("p_values_bh") or {}).get("outcome")
    v = (n.get("effect_sizes") or {}).get("outcome_cramers_v")
    if q is not None:
        out.append(f"It does not change the outcome: end-activity test q = {q:.3g} after correction for testing "
                   f"many steps, Cramér's V = {0.0 if v is None else v:.2f}.")
    w, wo = n.get("median_hours_with"), n.get("median_hours_without")
    qd = (n.get("p_values_bh") or {}).get("duration")
    if w is not None and wo is not None:
        out.append(f"Cases with it take a median {_n(w, 0)} hours against {_n(wo, 0)} without "
                   f"(Mann–Whitney q = {qd if qd is None else f'{qd:.3g}'}).")
    scores = n.get("presence_scores") or {}
    out.append(f"Whether it happens is predicted by the case attributes with balanced accuracy "
               f"{_pct(scores.get('case_attributes'))} and by who handles the case with "
               f"{_pct(scores.get('resource'))}" + (": a habit, not a rule." if n.get("predicted_by") == "resource"
                                                    else "."))
    return out


def needless_evidence(n: dict[str, Any]) -> float:
    """1 for a needless step only a person's habit predicts, 0.8 for one nothing predicts, else 0."""
    if n.get("verdict") != "needless_candidate":
        return 0.0
    return 1.0 if n.get("predicted_by") == "resource" else 0.8


def eliminate_candidates(feats: pd.DataFrame, det: pd.DataFrame, needless: list[dict[str, Any]], *,
                         hourly_cost: float) -> list[Candidate]:
    out: list[Candidate] = []
    by_act = feats.set_index("activity")
    d = det.set_index("activity")
    for n in needless:
        if n.get("verdict") != "needless_candidate" or n["activity"] not in by_act.index:
            continue
        r = by_act.loc[n["activity"]].copy()
        r["activity"] = n["activity"]
        r["needless_evidence"] = needless_evidence(n)
        reasons = [_volume(r), *_needless_sentences(n),
                   f"It adds a queue of {_n(r['waiting_hours_per_year'])} working hours of waiting a year in front "
                   f"of it ({r['wait_basis'].replace('_', ' ')})."]
        gain = gains.eliminate(processing_hours_per_year=r["processing_hours_per_year"],
                               cases_per_year=r["cases_per_year"], hourly_cost=hourly_cost, basis=r["basis"])
        out.append(_with_gain("eliminate", (n["activity"],), _row_features(r, d.loc[n["activity"]], "eliminate"), gain,
                              reasons, None, r["basis"]))
    return out


def simplify_candidates(feats: pd.DataFrame, rework: list[dict[str, Any]], *, years: float, cases: int,
                        hourly_cost: float) -> list[Candidate]:
    out: list[Candidate] = []
    by_act = feats.set_index("activity")
    seen: set[str] = set()
    for rw in rework:
        if rw.get("between", "activities") != "activities":
            continue
        acts = tuple(rw["activities"])
        if len(acts) < 2 or any(a not in by_act.index for a in acts):
            continue
        cid = candidate_id("simplify", acts)
        if cid in seen:
            continue
        seen.add(cid)
        redone = acts[1:]
        rows = by_act.loc[list(dict.fromkeys(acts))]
        per_case = float(sum(by_act.loc[a, "mean_processing_hours"] * (1.0 - by_act.loc[a, "system_share"]
                                                                       - by_act.loc[a, "external_share"])
                             for a in redone))
        cases_per_year = rw["cases"] / years
        added = rw.get("hours_added")
        reasons = [
            f"{rw['kind'].capitalize()}: {' → '.join(_q(a) for a in acts)} in {_n(rw['cases'])} cases "
            f"({_pct(rw['case_share'], 1)} of cases), {_n(cases_per_year)} a year.",
            f"Each time, {' + '.join(_q(a) for a in redone)} are done again: {_n(per_case, 2)} working hours of "
            f"processing per affected case.",
        ]
        if added is not None:
            reasons.append(f"The rework adds {_n(added / max(rw['cases'], 1), 0)} calendar hours to each affected "
                           f"case's lead time on average ({_n(added)} hours in all).")
        reasons.extend(str(e) for e in rw.get("evidence", [])[1:2])
        gain = gains.simplify(redone_hours_per_case=per_case, cases_per_year=cases_per_year,
                              hourly_cost=hourly_cost, basis=_basis(list(rows["basis"])))
        feats_x = applicable({
            "events_per_year": cases_per_year * len(redone), "case_share": rw["case_share"],
            "waiting_hours_per_year": (added or 0.0) / years, "rule_determinism": 0.0, "needless_evidence": 0.0,
            "rework_share": rw["case_share"], "judgement": 0.0,
            "duration_variability": float(rows["duration_variability"].mean()),
            "predecessor_variability": float(rows["predecessor_variability"].mean()),
            "successor_variability": float(rows["successor_variability"].mean()),
            "handover_share": float(rows["handover_share"].mean()), "person_share": float(rows["person_share"].mean()),
        }, "simplify")
        out.append(_with_gain("simplify", acts, feats_x, gain, reasons, None, _basis(list(rows["basis"]))))
    return out


def unblock_candidates(feats: pd.DataFrame, det: pd.DataFrame, bottlenecks: list[dict[str, Any]]) -> list[Candidate]:
    internal = [b for b in bottlenecks if b.get("edge") is None and b.get("internal")]
    if not internal:
        return []
    top = max(b["total_wait_hours"] for b in internal)
    chosen = [b for b in sorted(internal, key=lambda b: -b["total_wait_hours"])
              if b["total_wait_hours"] >= UNBLOCK_MIN_SHARE * top][:UNBLOCK_MAX]
    by_act = feats.set_index("activity")
    d = det.set_index("activity")
    out: list[Candidate] = []
    for b in chosen:
        if b["activity"] not in by_act.index:
            continue
        r = by_act.loc[b["activity"]].copy()
        if 1.0 - r["system_share"] - r["external_share"] < STAFF_SHARE:  # e.g. an outside party named with --external
            continue
        r["activity"] = b["activity"]
        per_event = r["waiting_hours"] / r["events"] if r["events"] else 0.0
        reasons = [
            f"Cases wait {_n(r['waiting_hours_per_year'])} working hours a year in front of {_q(b['activity'])}, "
            f"{_n(per_event, 1)} per event ({r['wait_basis'].replace('_', ' ')}); bottleneck rank "
            f"{b.get('rank', '?')} by total waiting.",
            f"The queue is internal: the waiting ends with the organisation's own staff "
            f"({_pct(r['person_share'])} of its events are done by people).",
        ]
        reasons.extend(f"From mining's bottleneck analysis: {e}" for e in b.get("evidence", [])
                       if any(w in str(e) for w in ("Batch", "Satsvis")))  # in the language mining was run in
        gain = gains.unblock(waiting_hours_per_year=r["waiting_hours_per_year"], cases_per_year=r["cases_per_year"],
                             wait_basis=r["wait_basis"])
        out.append(_with_gain("unblock", (b["activity"],), _row_features(r, d.loc[b["activity"]], "unblock"), gain,
                              reasons, None, r["basis"]))
    return out


# --- scoring and ranking ------------------------------------------------------------------------


def feature_frame(candidates: list[Candidate]) -> pd.DataFrame:
    return pd.DataFrame([[c.features[f] for f in FEATURES] for c in candidates], columns=list(FEATURES),
                        dtype="float64")


def rank(candidates: list[Candidate], model: CandidateScorer | None, *, model_note: str) -> tuple[
        list[Candidate], CandidateScorer | None]:
    """Score with `model` (a trained one) or a default-weight scorer fitted here; rank by score."""
    if not candidates:
        return [], model
    X = feature_frame(candidates)
    scorer = model if model is not None else CandidateScorer().fit(X)
    scores = scorer.score_samples(X)
    explain: list[str] = []
    if not scorer.supervised_:
        contrib = np.where(scorer.weights_ > 0, scorer.contributions(X), 0.0)  # evidence for, not absent penalties
        for row in contrib:
            top = [j for j in np.argsort(-row, kind="stable")[:3] if row[j] > 0]
            explain.append(", ".join(FEATURES[j].replace("_", " ") for j in top) or "nothing stands out")
    scored = []
    for i, c in enumerate(candidates):
        note = (f"Score {scores[i]:.2f} ({model_note}); strongest: {explain[i]}." if explain
                else f"Score {scores[i]:.2f} ({model_note}).")
        scored.append(replace(c, score=float(scores[i]), reasons=c.reasons + (note,)))
    scored.sort(key=lambda c: (-c.score, c.candidate_id))
    return [replace(c, rank=i) for i, c in enumerate(scored, start=1)], scorer


def build(feats: pd.DataFrame, rules: list[DecisionRule], insights: Insights, *, years: float, cases: int,
          hourly_cost: float) -> tuple[list[Candidate], pd.DataFrame]:
    """All candidates (unscored) and the per-activity determinism table."""
    det = step_determinism(feats, rules)
    ev = {n["activity"]: needless_evidence(n) for n in insights.needless}
    feats = feats.assign(needless_evidence=feats["activity"].map(ev).fillna(0.0))
    cands = (eliminate_candidates(feats, det, insights.needless, hourly_cost=hourly_cost)
             + simplify_candidates(feats, insights.rework, years=years, cases=cases, hourly_cost=hourly_cost)
             + automate_candidates(feats, det, years=years, hourly_cost=hourly_cost)
             + unblock_candidates(feats, det, insights.bottlenecks))
    eliminated = {c.activities[0] for c in cands if c.kind == "eliminate"}
    cands = [c for c in cands if not (c.kind == "automate" and c.activities[0] in eliminated)]
    return cands, det
