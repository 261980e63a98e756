"""Where candidates come from: one function per source (decision points, standardised steps, needless steps,
rework, queues, handovers, citizens' voices), each turning mining's findings into candidates with evidence,
rule and gain (the rules are in `ranking`'s docstring)."""
from __future__ import annotations

from typing import Any

import pandas as pd

from saksflyt.mining import wording
from saksflyt.mining.collaboration_results import unit_name
from saksflyt.mining.insights_results import float_or_none
from saksflyt.mining.needless import is_inbound
from saksflyt.mining.report import Text

from . import gains
from .candidate import Candidate, candidate_id
from .decisions import DecisionPoint, DecisionRule
from .estimator import FEATURES, KINDS

JUDGEMENT_LIMIT = 0.5
STAFF_SHARE = 0.5
DOMINANT_SUCCESSOR = 0.95
STANDARD_CV = 0.35          # processing-time variation up to which a step counts as standardised
BATCH_SHARE = 0.5           # a step done mostly in batches is a meeting's collective decision
BRANCH_STAFF_SHARE = 0.5    # decisions going to outside parties' events are not the organisation's
MAX_LOOP_STEPS = 8          # a "loop" through more distinct steps is a restart of the case, not rework to simplify
MAX_REWORK_SHARE = 0.5      # a repetition most cases go through is how the process handles several items
                            # (documents, letters, payments), not an exception to simplify
NO_HOURS = ("unknown", "instant")
UNBLOCK_MAX = 3
UNBLOCK_MIN_SHARE = 0.1   # of the largest internal queue's waiting
NEEDLESS = ("needless", "needless_candidate")                      # the latter from runs before the rename
NOT_AUTOMATABLE = ("triggered", "unexplained")
MIN_SHARE_UNITS = 0.01         # handover and voice candidates need this share of cases (and MIN_UNIT_CASES)
MIN_UNIT_CASES = 3
MANY_UNITS_SHARE = 0.1         # "cases pass many units" needs this share of cases passing 3 units or more
BOUNCE_MAX = 3                 # the pairs of units with the most cases bouncing between them


# --- determinism per step -----------------------------------------------------------------------


def step_determinism(feats: pd.DataFrame, rules: list[DecisionRule],
                     points: list[DecisionPoint] | None = None) -> pd.DataFrame:
    """Per activity: how far rules decide that it happens and what follows it, and the decision taken at it.

    presence_judgement: for optional steps, the part of the decisions leading to it that no rule
    explains (weighted by how many cases enter from each decision point); output_judgement: the part
    of the decision after it that no rule explains (0 when one successor takes ≥ 95 %); judgement is
    the output part: what a person decides at the step. The decision at a step is rule-decided when
    one multi-class rule predicts its whole branching, or when a rule predicts one of its branches
    (say, "request more documents") and most of the rest is not left to judgement — and the rule names
    a case attribute: a rule on which steps happened already only says in which order parallel work
    is done, not what anyone decides. rule_determinism,
    `rule` and `branch_rules` belong to the step the decision is taken at, never to a branch.
    """
    mandatory = dict(zip(feats["activity"], feats["mandatory"]))
    top_succ = dict(zip(feats["activity"], feats["top_successor_share"]))
    at = {p.decision_point: p for p in points or []}
    rows = []
    for activity in feats["activity"]:
        into = [r for r in rules if r.next_activity == activity]
        k_in = sum(r.target_decisions for r in into)
        presence = (sum(r.target_decisions * r.unexplained for r in into) / k_in
                    if k_in and not mandatory.get(activity, False) else 0.0)
        point = at.get(activity)
        output = (point.unexplained
                  if point is not None and top_succ.get(activity, 1.0) < DOMINANT_SUCCESSOR else 0.0)
        branch_rules = [r for r in rules if r.decision_point == activity and r.rule_based and r.on_case_data]
        decided = point is not None and ((point.rule_based and point.on_case_data)
                                         or (bool(branch_rules) and output < JUDGEMENT_LIMIT))
        rows.append({"activity": activity, "presence_judgement": presence, "output_judgement": output,
                     "judgement": output, "rule_determinism": (1.0 - output) if decided else 0.0,
                     "rule": point if decided else None,
                     "branch_rules": branch_rules if decided else []})
    return pd.DataFrame(rows)


# --- sentences --------------------------------------------------------------------------------


def _f(x: Any) -> float:
    return float_or_none(x) or 0.0


def _volume(t: Text, r: pd.Series) -> str:
    done = t.tr("candidates.volume", activity=t.quote(r["activity"]), events_per_year=t.int(r["events_per_year"]),
                case_share=t.pct(r["case_share"]))
    if r["basis"] == "instant":
        return done + t.tr("candidates.starts_recorded_no_hours")
    if r["basis"] == "unknown":
        return done + t.tr("candidates.no_time_measured")
    minutes = r["mean_processing_hours"] * 60
    return done + t.tr("candidates.processing_hours",
                       processing_hours_per_year=t.int(r["processing_hours_per_year"]), minutes=t.num(minutes, 1),
                       basis=r["basis"], person_share=t.pct(r["person_share"]))


def _shape(t: Text, r: pd.Series) -> str:
    return t.tr("candidates.neighbours", top_predecessor=t.quote(r["top_predecessor"]),
                top_predecessor_share=t.pct(r["top_predecessor_share"]), top_successor=t.quote(r["top_successor"]),
                top_successor_share=t.pct(r["top_successor_share"]),
                duration_variability=t.pct(r["duration_variability"]))


def _wait_basis(t: Text, basis: str) -> str:
    """How a wait was measured, in the reader's words (the stored value where there are none)."""
    key = f"candidates.wait_basis.{basis}"
    return t.tr(key) if wording.known(key) else basis


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
    x = {
        "events_per_year": _f(r["events_per_year"]), "case_share": _f(r["case_share"]),
        "waiting_hours_per_year": _f(r["waiting_hours_per_year"]),
        "rule_determinism": _f(det["rule_determinism"]) if det is not None else 0.0,
        "needless_evidence": _f(r.get("needless_evidence", 0.0)), "rework_share": _f(r["rework_share"]),
        "judgement": _f(det["judgement"]) if det is not None else 0.0,
        "duration_variability": _f(r["duration_variability"]),
        "predecessor_variability": _f(r["predecessor_variability"]),
        "successor_variability": _f(r["successor_variability"]),
        "handover_share": _f(r["handover_share"]), "person_share": _f(r["person_share"]),
    }
    return applicable(x, kind)


def applicable(x: dict[str, float], kind: str) -> dict[str, float]:
    """Zero the kind-specific features that do not apply to `kind` (see `APPLIES`)."""
    return {k: (v if k not in KIND_SPECIFIC or k in APPLIES[kind] else 0.0) for k, v in x.items()}


def _with_gain(kind: str, activities: tuple[str, ...], feats: dict[str, float], gain: gains.Gain,
               reasons: list[str], rule: str | None, basis: str, *, claims: tuple[str, ...] | None = None,
               source: str = "") -> Candidate:
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
                     features={k: float(x.get(k, 0.0)) for k in FEATURES},
                     claims=activities if claims is None else claims,
                     source=source or kind)


def is_staff_step(r: pd.Series) -> bool:
    """Done by people (a person on most events, or measured time with no resource) and with hours to save."""
    staff = _f(r["person_share"]) + (_f(r["unknown_share"]) if r["basis"] in ("measured", "norm") else 0.0)
    return staff >= STAFF_SHARE and r["basis"] not in NO_HOURS and _f(r["processing_hours_per_year"]) > 0


def decision_candidates(feats: pd.DataFrame, det: pd.DataFrame, *, years: float, hourly_cost: float,
                        t: Text) -> list[Candidate]:
    """One `automate` candidate per decision point a rule on the case data decides (`step_determinism`)."""
    by_act = feats.set_index("activity")
    out: list[Candidate] = []
    for _, s in det.iterrows():
        p: DecisionPoint | None = s["rule"]
        if p is None or p.decision_point not in by_act.index:
            continue
        r = by_act.loc[p.decision_point].copy()
        r["activity"] = p.decision_point
        if not is_staff_step(r) or is_inbound(p.decision_point):
            continue  # a receipt is not where the organisation decides
        external = {b for b, _ in p.branches if b in by_act.index and by_act.loc[b, "external_share"] >= 0.5}
        if sum(k for b, k in p.branches if b not in external) < BRANCH_STAFF_SHARE * p.decisions:
            continue  # what follows is an outside party's move (a payment, a reply), not a decision taken here
        at = t.quote(p.decision_point)
        branches = ", ".join(f"{t.quote(b)} ({t.pct(k / p.decisions)})" for b, k in p.branches)
        if p.rule_based:
            accuracy, deviating, rule = p.accuracy, (1.0 - (p.accuracy or 0.0)) * p.decisions / years, p.rule
            how = t.tr("candidates.one_rule_predicts", accuracy=t.pct(p.accuracy, 1), decisions=t.int(p.decisions),
                       baseline=t.pct(p.baseline, 1))
        else:
            ruled: list[DecisionRule] = list(s["branch_rules"])
            accuracy = min(x.accuracy or 0.0 for x in ruled)
            deviating = sum((1.0 - (x.accuracy or 0.0)) * x.decisions for x in ruled) / years
            rule = "; ".join(x.rule for x in ruled if x.rule) or None
            named = ", ".join(t.quote(x.next_activity) for x in ruled)
            others = ", ".join(t.quote(b) for b, _ in p.branches if b not in {x.next_activity for x in ruled})
            how = t.tr("candidates.branch_rule_decides", ruled_branches=named,
                       accuracies=" / ".join(t.pct(x.accuracy, 1) for x in ruled), decisions=t.int(p.decisions),
                       other_branches=others, output_judgement=t.pct(s["output_judgement"]))
        reasons = [
            _volume(t, r),
            t.tr("candidates.decision_branches", decision_point=at, branches=branches),
            how,
            t.tr("candidates.decision_automatable", decision_point=at),
        ]
        gain = gains.automate(processing_hours_per_year=r["processing_hours_per_year"],
                              cases_per_year=r["cases_per_year"], deviating_per_year=deviating,
                              hourly_cost=hourly_cost, basis=r["basis"], t=t)
        text = t.tr("candidates.decision_rule_text", rule=rule, decision_point=p.decision_point,
                    accuracy=t.pct(accuracy, 1), decisions=t.int(p.decisions), cases=t.int(p.cases)) if rule else None
        out.append(_with_gain("automate", (p.decision_point,), _row_features(r, s, "automate"), gain, reasons, text,
                              r["basis"], source="decision"))
    return out


def automate_candidates(feats: pd.DataFrame, det: pd.DataFrame, verdicts: dict[str, str], *, hourly_cost: float,
                        t: Text) -> list[Candidate]:
    """Standardised staff steps, each on its own evidence (see the module doc)."""
    out: list[Candidate] = []
    d = det.set_index("activity")
    for _, r in feats.iterrows():
        s = d.loc[r["activity"]]
        if not is_staff_step(r) or verdicts.get(r["activity"]) in NOT_AUTOMATABLE or is_inbound(r["activity"]):
            continue
        if s["rule"] is not None:
            continue  # the decision taken at it is the candidate
        if s["output_judgement"] >= JUDGEMENT_LIMIT or r["batch_share"] >= BATCH_SHARE:
            continue
        if _f(r["duration_variability"]) > STANDARD_CV or _f(r["duration_variability"]) == 0.0:
            continue
        reasons = [
            _volume(t, r),
            t.tr("candidates.standardised_step", duration_variability=t.pct(r["duration_variability"]),
                 standard_cv=t.pct(STANDARD_CV), output_judgement=t.pct(s["output_judgement"])),
            _shape(t, r),
        ]
        gain = gains.automate(processing_hours_per_year=r["processing_hours_per_year"],
                              cases_per_year=r["cases_per_year"], deviating_per_year=None,
                              hourly_cost=hourly_cost, basis=r["basis"], t=t)
        out.append(_with_gain("automate", (r["activity"],), _row_features(r, s, "automate"), gain, reasons,
                              None, r["basis"]))
    return out


def _needless_sentences(t: Text, n: dict[str, Any]) -> list[str]:
    """The needless-step evidence as mining wrote it (in the language mining was run in), else a summary."""
    if n.get("evidence"):
        return [str(e) for e in n["evidence"]]
    scores = n.get("presence_scores") or {}
    return [t.tr("candidates.present_in_closed_cases", cases_with=t.int(n["cases_with"]),
                 cases_without=t.int(n["cases_without"]), attribute_score=t.pct(scores.get("case_attributes")),
                 resource_score=t.pct(scores.get("resource")))]


def needless_evidence(n: dict[str, Any]) -> float:
    """1 for a needless step a person's habit predicts, else 0."""
    return 1.0 if n.get("verdict") in NEEDLESS and n.get("predicted_by") == "resource" else 0.0


def eliminate_candidates(feats: pd.DataFrame, det: pd.DataFrame, needless: list[dict[str, Any]], *,
                         hourly_cost: float, t: Text) -> list[Candidate]:
    out: list[Candidate] = []
    by_act = feats.set_index("activity")
    d = det.set_index("activity")
    for n in needless:
        if not needless_evidence(n) or n["activity"] not in by_act.index:
            continue
        r = by_act.loc[n["activity"]].copy()
        r["activity"] = n["activity"]
        r["needless_evidence"] = needless_evidence(n)
        reasons = [_volume(t, r), *_needless_sentences(t, n),
                   t.tr("candidates.it_adds_a_queue", waiting_hours_per_year=t.int(r["waiting_hours_per_year"]),
                        wait_basis=_wait_basis(t, r["wait_basis"]))]
        gain = gains.eliminate(processing_hours_per_year=r["processing_hours_per_year"],
                               cases_per_year=r["cases_per_year"], hourly_cost=hourly_cost, basis=r["basis"], t=t)
        out.append(_with_gain("eliminate", (n["activity"],), _row_features(r, d.loc[n["activity"]], "eliminate"), gain,
                              reasons, None, r["basis"]))
    return out


def simplify_candidates(feats: pd.DataFrame, rework: list[dict[str, Any]], *, years: float, cases: int,
                        hourly_cost: float, t: Text) -> list[Candidate]:
    """Rework that redoes staff work: a loop whose steps are all systems' or outside parties' (a second
    payment, a reminder) is no work of the organisation's and is not proposed."""
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
        steps = list(dict.fromkeys(acts))
        if len(steps) > MAX_LOOP_STEPS or rw["case_share"] > MAX_REWORK_SHARE:
            continue
        # a step most cases repeat anyway (a document attached per document) is not redone by this loop;
        # the others' repeats are shared among the loops that repeat them, by cases
        repeat_cases = {a: _f(by_act.loc[a, "rework_share"]) * _f(by_act.loc[a, "cases"]) for a in steps}
        staff = [a for a in steps if is_staff_step(by_act.loc[a]) and repeat_cases[a] > 0
                 and repeat_cases[a] <= MAX_REWORK_SHARE * max(cases, 1)]
        if not staff:
            continue
        redone = float(sum(_f(by_act.loc[a, "redone_hours_per_year"]) * min(1.0, rw["cases"] / repeat_cases[a])
                           for a in staff))
        if redone <= 0:
            continue
        rows = by_act.loc[staff]
        cases_per_year = rw["cases"] / years
        added = rw.get("hours_added")
        kind_key = f"candidates.rework_kind.{rw['kind']}"
        kind = t.tr(kind_key) if wording.known(kind_key) else rw["kind"]
        path = " → ".join(t.quote(a) for a in acts)
        reasons = [
            t.tr("candidates.rework_path", kind=kind, path=path, cases=t.int(rw["cases"]),
                 case_share=t.pct(rw["case_share"], 1), cases_per_year=t.int(cases_per_year)),
            t.tr("candidates.staff_steps_done_again", staff_steps=", ".join(t.quote(a) for a in staff),
                 redone=t.num(redone, 1)),
        ]
        if added is not None:
            reasons.append(t.tr("candidates.the_rework_adds_calendar",
                                added_per_case=t.int(added / max(rw["cases"], 1)), added_total=t.int(added)))
        reasons.extend(str(e) for e in rw.get("evidence", [])[1:2])
        gain = gains.simplify(redone_hours_per_year=redone, cases_per_year=cases_per_year,
                              hourly_cost=hourly_cost, basis=_basis(list(rows["basis"])), t=t)
        feats_x = applicable({
            "events_per_year": cases_per_year * (len(acts) - 1), "case_share": rw["case_share"],
            "waiting_hours_per_year": (added or 0.0) / years, "rule_determinism": 0.0, "needless_evidence": 0.0,
            "rework_share": rw["case_share"], "judgement": 0.0,
            "duration_variability": float(rows["duration_variability"].mean()),
            "predecessor_variability": float(rows["predecessor_variability"].mean()),
            "successor_variability": float(rows["successor_variability"].mean()),
            "handover_share": float(rows["handover_share"].mean()), "person_share": float(rows["person_share"].mean()),
        }, "simplify")
        out.append(_with_gain("simplify", acts, feats_x, gain, reasons, None, _basis(list(rows["basis"])),
                              claims=tuple(steps)))
    return out


def unblock_candidates(feats: pd.DataFrame, det: pd.DataFrame, bottlenecks: list[dict[str, Any]],
                       verdicts: dict[str, str], *, t: Text) -> list[Candidate]:
    internal = [b for b in bottlenecks if b.get("edge") is None and b.get("internal")
                and verdicts.get(b.get("activity")) != "triggered" and not is_inbound(str(b.get("activity")))]
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
        if not is_staff_step(r):  # a queue that ends with a system's, an outside party's or an instant event
            continue             # (an offer sent back, a status change) waits for something else than staff
        r["activity"] = b["activity"]
        per_event = r["waiting_hours"] / r["events"] if r["events"] else 0.0
        a = t.quote(b["activity"])
        reasons = [
            t.tr("candidates.cases_wait_working_hours", waiting_hours_per_year=t.int(r["waiting_hours_per_year"]),
                 activity=a, per_event=t.num(per_event, 1), wait_basis=_wait_basis(t, r["wait_basis"]),
                 bottleneck_rank=b.get("rank", "?")),
            t.tr("candidates.the_queue_is_internal", person_share=t.pct(r["person_share"])),
        ]
        reasons.extend(str(e) for e in b.get("evidence", [])
                       if any(w in str(e) for w in ("Batch", "Satsvis")))  # in the language mining was run in
        gain = gains.unblock(waiting_hours_per_year=r["waiting_hours_per_year"], cases_per_year=r["cases_per_year"],
                             wait_basis=r["wait_basis"], t=t)
        out.append(_with_gain("unblock", (b["activity"],), _row_features(r, d.loc[b["activity"]], "unblock"), gain,
                              reasons, None, r["basis"], claims=()))
    return out


def _units_floor(cases: int) -> float:
    return max(MIN_UNIT_CASES, MIN_SHARE_UNITS * cases)


def _pair_features(feats: pd.DataFrame, acts: tuple[str, ...], x: dict[str, float]) -> dict[str, float]:
    rows = feats[feats["activity"].isin(acts)]
    for col in ("duration_variability", "predecessor_variability", "successor_variability", "handover_share",
                "person_share"):
        x[col] = float(rows[col].mean()) if len(rows) else 0.0
    return applicable(x, "simplify")


def handover_candidates(feats: pd.DataFrame, collaboration: dict[str, Any] | None, *, years: float, cases: int,
                        hourly_cost: float, t: Text) -> list[Candidate]:
    """Cases bouncing between two units (returns), and cases passing many units (`mining.handovers`).

    The pair's gain is the work done again where a case comes back and the waiting at the returns; the
    "many units" candidate saves waiting only. On a log without units nothing is proposed: handovers
    between people are not a unit's process to change.
    """
    if not collaboration or collaboration["summary"].get("basis") != "unit":
        return []
    s = collaboration["summary"]
    edges = collaboration["handovers"]
    floor = _units_floor(cases)
    known = set(feats["activity"])
    out: list[Candidate] = []
    pairs: dict[frozenset, list[dict[str, Any]]] = {}
    for e in edges:
        if e["source_unit"] != e["target_unit"]:
            pairs.setdefault(frozenset((e["source_unit"], e["target_unit"])), []).append(e)
    bouncing = sorted(pairs.items(), key=lambda kv: (-max((e["return_cases"] for e in kv[1]), default=0),
                                                     sorted(str(u) for u in kv[0])))
    proposed = 0
    for key, pair in bouncing:
        if proposed == BOUNCE_MAX:
            break
        returning = [e for e in pair if e["returns"]]
        return_cases = max((e["return_cases"] for e in returning), default=0)
        # a bounce most cases make is how the process is built (as for rework); merged small units
        # cannot be named, so there is no pair of units to propose a change to
        if return_cases < floor or return_cases > MAX_REWORK_SHARE * cases or None in key:
            continue
        main = max(returning, key=lambda e: (e["returns"], e["source_unit"] or "", e["target_unit"] or ""))
        acts = tuple(dict.fromkeys(a for a in (main["source_activity"], main["target_activity"]) if a))
        if len(acts) < 2 or any(a not in known for a in acts):
            continue
        redone = sum(e["return_staff_hours"] or 0.0 for e in returning) / years
        waiting = sum(e["return_wait_hours"] or 0.0 for e in returning) / years
        returns = sum(e["returns"] for e in returning)
        a, b = main["target_unit"], main["source_unit"]
        claims = tuple(sorted({x for e in returning for x in e["return_activities"]}))
        cases_per_year = return_cases / years
        reasons = [
            t.tr("candidates.back_and_forth_between", unit_a=t.quote(a), unit_b=t.quote(b),
                 return_cases=t.int(return_cases), return_share=t.pct(return_cases / max(cases, 1), 1),
                 returns=t.int(returns), cases_per_year=t.int(cases_per_year)),
            t.tr("candidates.the_return_most_often", source_activity=t.quote(main["source_activity"]),
                 unit_b=t.quote(b), target_activity=t.quote(main["target_activity"]), unit_a=t.quote(a),
                 median_wait_hours=t.hours(main["median_wait_hours"])),
        ]
        if claims:
            reasons.append(t.tr("candidates.work_done_again_where", steps=", ".join(t.quote(x) for x in claims),
                                redone=t.num(redone, 1)))
        gain = gains.handovers(redone_hours_per_year=redone, waiting_hours_per_year=waiting,
                               cases_per_year=cases_per_year, hourly_cost=hourly_cost, t=t)
        x = _pair_features(feats, acts, {
            "events_per_year": returns / years, "case_share": return_cases / max(cases, 1),
            "waiting_hours_per_year": waiting, "rework_share": return_cases / max(cases, 1)})
        basis = "measured" if redone > 0 else _basis(list(feats.loc[feats["activity"].isin(acts), "basis"]))
        out.append(_with_gain("simplify", acts, x, gain, reasons, None, basis, claims=claims, source="handovers"))
        proposed += 1
    many = s.get("cases_many_units") or 0
    if many >= max(floor, MANY_UNITS_SHARE * cases):
        top = [e for e in edges if e["target_activity"] in known
               and None not in (e["source_unit"], e["target_unit"]) and e["source_unit"] != e["target_unit"]][:3]
        acts = tuple(dict.fromkeys(e["target_activity"] for e in top))
        if acts:
            waiting = (s.get("many_units_wait_hours") or 0.0) / years
            route = "; ".join(f"{t.quote(str(e['source_unit']))} → {t.quote(str(e['target_unit']))} {t.int(e['count'])}"
                              for e in top)
            reasons = [
                t.tr("candidates.cases_pass_many_units", cases_many_units=t.int(many),
                     many_units_share=t.pct(many / max(cases, 1), 1),
                     median_units=t.num(s.get("median_units_per_case") or 0, 0), handovers=t.int(s["handovers"])),
                t.tr("candidates.most_frequent_handovers", route=route),
            ]
            gain = gains.many_units(waiting_hours_per_year=waiting, cases_per_year=many / years, t=t)
            x = _pair_features(feats, acts, {"events_per_year": s["handovers"] / years,
                                             "case_share": many / max(cases, 1), "waiting_hours_per_year": waiting})
            out.append(_with_gain("simplify", acts, x, gain, reasons, None,
                                  _basis(list(feats.loc[feats["activity"].isin(acts), "basis"])), claims=(),
                                  source="units"))
    return out


def voice_candidates(feats: pd.DataFrame, collaboration: dict[str, Any] | None, *, years: float, cases: int,
                     t: Text) -> list[Candidate]:
    """Several voices out: letters from different units to the same citizen in one case, merged into one."""
    if not collaboration:
        return []
    s = collaboration["summary"]
    multi = s.get("cases_multi_voice") or 0
    if multi < _units_floor(cases):
        return []
    known = set(feats["activity"])
    by_unit = [v for v in s.get("voices_by_unit") or [] if v["activity"] in known]
    acts = tuple(dict.fromkeys(v["activity"] for v in by_unit))[:3]
    if not acts:
        return []
    letters = s.get("letters_saved") or 0
    who = "; ".join(f"{t.quote(v['activity'])} ({t.quote(unit_name(v['unit'], t.lang))}) {t.int(v['letters'])}"
                    for v in by_unit[:4])
    reasons = [
        t.tr("candidates.several_voices_out", multi_voice_cases=t.int(multi),
             multi_voice_share=t.pct(s.get("multi_voice_share") or 0, 1), letters=t.int(letters),
             letters_per_year=t.int(letters / years)),
        t.tr("candidates.the_letters_in_these", who=who),
    ]
    if (s.get("cases_repeat_door") or 0) > 0:
        reasons.append(t.tr("candidates.repeat_contact", cases_repeat_door=t.int(s["cases_repeat_door"]),
                            repeat_door_share=t.pct(s.get("repeat_door_share") or 0, 1)))
    gain = gains.voices(letters_saved_per_year=letters / years, cases_per_year=multi / years, t=t)
    x = _pair_features(feats, acts, {"events_per_year": letters / years, "case_share": multi / max(cases, 1)})
    return [_with_gain("simplify", acts, x, gain, reasons, None,
                       _basis(list(feats.loc[feats["activity"].isin(acts), "basis"])), claims=(), source="voices")]
