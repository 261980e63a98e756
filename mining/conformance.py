"""Conformance of the log to a model: token-based replay per variant, and alignments on a sample.

The log is first projected onto the model's activities (events of other activities are removed and
reported), so a model of the most frequent activities is judged on what it models. pm4py replays each
distinct variant once; the results are weighted by the variant's case count, which gives exactly the
log-level numbers pm4py computes case by case:
- fitness = ½ (1 − Σ missing / Σ consumed) + ½ (1 − Σ remaining / Σ produced), over cases;
- precision (ETC, token-based): every prefix of every case is replayed; where the model enables
  activities the log never does after that prefix, those are escaping edges;
  precision = 1 − Σ escaping / Σ enabled, weighted by how many cases share the prefix.
Both replay the most frequent variants first within a time budget (and precision within a number of
distinct prefixes); when the budget ends first, the value covers those variants and says so.
Alignments run on the most frequent variants with a time limit per trace and a total budget, and give
the activities that deviate most: moves on the log only (done but not allowed there) and moves on the
model only (required but skipped).
"""
from __future__ import annotations

import json
import logging
import time
import warnings
from collections import Counter
from pathlib import Path
from typing import Any

from saksflyt.extractors.errors import InputError, ModelError

from .context import MiningContext, MissingFact
from .discovery import frequent_activities, project
from .findings import Conformance, Deviation, Model, Projection  # noqa: F401  (public here too)
from .insights_results import options_of, output

log = logging.getLogger(__name__)

MAX_PREFIXES = 20_000
SKIP = ">>"


# --- reading a given model ---------------------------------------------------------------------


def read_model(path: str | Path) -> Model:
    """A BPMN or PNML file as a Petri net; any problem is a ModelError naming the file (exit 2)."""
    import pm4py

    p = Path(path)
    if not p.is_file():
        raise InputError("no such model file", file=str(p))
    suffix = p.suffix.lower()
    if suffix not in (".bpmn", ".pnml"):
        raise ModelError(f"{p}: a model must be a .bpmn or .pnml file")
    t0 = time.perf_counter()
    try:
        if suffix == ".bpmn":
            graph = pm4py.read_bpmn(str(p))
            net, im, fm = pm4py.convert_to_petri_net(graph)
        else:
            graph = None
            net, im, fm = pm4py.read_pnml(str(p))
    except ModelError:
        raise
    except Exception as exc:  # pm4py raises anything from lxml errors to KeyError on bad files
        raise ModelError(f"{p}: not a readable {suffix[1:].upper()} model ({type(exc).__name__}: {exc})") from exc
    labels = {t.label for t in net.transitions if t.label is not None}
    if not labels:
        raise ModelError(f"{p}: the model has no labelled activities")
    if not im or not fm:
        raise ModelError(f"{p}: the model has no {'initial' if not im else 'final'} marking")
    return Model(net=net, initial_marking=im, final_marking=fm, source="given", method=f"file ({suffix[1:]})",
                 reason=f"given with --model {p.name}", seconds=time.perf_counter() - t0, bpmn=graph,
                 settings={"file": p.name})


def check_labels(model: Model, log_activities: set[str], *, where: str) -> set[str]:
    """The model's activities that occur in the log; none at all is a ModelError."""
    shared = model.labels & log_activities
    if not shared:
        sample = ", ".join(sorted(model.labels)[:5])
        raise ModelError(f"{where}: none of the model's activities ({sample}, …) occur in this log")
    return shared


# --- token-based replay ------------------------------------------------------------------------


def _log(variants: list[tuple[str, ...]]):
    from pm4py.objects.log.obj import Event, EventLog, Trace
    return EventLog([Trace([Event({"concept:name": a}) for a in v]) for v in variants])


def _replay(model: Model, variants: list[tuple[str, ...]], **params: Any) -> list[dict[str, Any]]:
    from pm4py.algo.conformance.tokenreplay.variants import token_replay

    p = {token_replay.Parameters.SHOW_PROGRESS_BAR: False}
    p.update({getattr(token_replay.Parameters, k): v for k, v in params.items()})
    return token_replay.apply(_log(variants), model.net, model.initial_marking, model.final_marking, parameters=p)


def _chunks(variants: list[tuple[tuple[str, ...], int]], size: int = 50):
    for i in range(0, len(variants), size):
        yield variants[i:i + size]


def _basis(used: int, variants: list[tuple[tuple[str, ...], int]], why: str) -> str:
    if used == len(variants):
        return "all variants"
    share = sum(n for _, n in variants[:used]) / max(sum(n for _, n in variants), 1)
    return f"the {used} most frequent variants ({share:.0%} of cases): {why}"


def fitness(model: Model, variants: list[tuple[tuple[str, ...], int]], *,
            budget_seconds: float = float("inf")) -> tuple[float | None, str]:
    """Token-based replay fitness, one replay per variant weighted by its cases; and its basis.

    Variants are replayed most frequent first, in chunks, until all are done or the time budget is
    spent (the basis then says how many variants and what share of the cases the value covers).
    """
    if not variants:
        return None, "no variants"
    t0 = time.perf_counter()
    m = c = r = p = 0
    used = 0
    for chunk in _chunks(variants):
        for (_, n), x in zip(chunk, _replay(model, [v for v, _ in chunk])):
            m += n * x["missing_tokens"]
            c += n * x["consumed_tokens"]
            r += n * x["remaining_tokens"]
            p += n * x["produced_tokens"]
        used += len(chunk)
        if time.perf_counter() - t0 > budget_seconds:
            break
    if c == 0 or p == 0:
        return None, _basis(used, variants, "time limit")
    return 0.5 * (1 - m / c) + 0.5 * (1 - r / p), _basis(used, variants, "time limit")


def precision(model: Model, variants: list[tuple[tuple[str, ...], int]], *,
              budget_seconds: float = float("inf")) -> tuple[float | None, str]:
    """ETC precision (token-based) from the variants' prefixes weighted by cases; and its basis.

    Each distinct prefix is replayed once, most frequent variants first, until all are done, or the
    time budget or `MAX_PREFIXES` is reached; the formula then runs over the variants covered.
    """
    from pm4py.objects.petri_net.utils.align_utils import get_visible_transitions_eventually_enabled_by_marking

    if not variants:
        return None, "no variants"
    t0 = time.perf_counter()
    enabled_after: dict[tuple[str, ...], set[str] | None] = {}  # None: the prefix does not fit
    used = 0
    why = "time limit"
    for chunk in _chunks(variants):
        new = list(dict.fromkeys(v[:i] for v, _ in chunk for i in range(1, len(v)) if v[:i] not in enabled_after))
        if used and len(enabled_after) + len(new) > MAX_PREFIXES:
            why = "too many distinct prefixes"
            break
        res = _replay(model, new, CONSIDER_REMAINING_IN_FITNESS=False,
                      TRY_TO_REACH_FINAL_MARKING_THROUGH_HIDDEN=False, STOP_IMMEDIATELY_UNFIT=True,
                      WALK_THROUGH_HIDDEN_TRANS=True)
        for prefix, x in zip(new, res):
            enabled_after[prefix] = ({t.label for t in x["enabled_transitions_in_marking"] if t.label is not None}
                                     if x["trace_is_fit"] else None)
        used += len(chunk)
        if time.perf_counter() - t0 > budget_seconds:
            break
    covered = variants[:used]
    follows: dict[tuple[str, ...], set[str]] = {}
    weight: Counter[tuple[str, ...]] = Counter()
    for v, n in covered:
        for i in range(1, len(v)):
            follows.setdefault(v[:i], set()).add(v[i])
            weight[v[:i]] += n
    cases = sum(n for _, n in covered)
    # the empty prefix: what the model allows first, against how the cases start
    first = {v[0] for v, _ in covered if v}
    enabled0 = {t.label for t in get_visible_transitions_eventually_enabled_by_marking(model.net,
                                                                                      model.initial_marking)}
    enabled_sum = cases * len(enabled0)
    escaping_sum = cases * len(enabled0 - first)
    for prefix, nxt in follows.items():
        enabled = enabled_after.get(prefix)
        if enabled is None:
            continue
        enabled_sum += weight[prefix] * len(enabled)
        escaping_sum += weight[prefix] * len(enabled - nxt)
    basis = _basis(used, variants, why)
    if enabled_sum == 0:
        return 1.0, basis
    return 1 - escaping_sum / enabled_sum, basis


# --- alignments --------------------------------------------------------------------------------


def align(model: Model, variants: list[tuple[tuple[str, ...], int]], *, max_variants: int,
          seconds_per_trace: float, budget_seconds: float) -> tuple[dict[str, Any], list[Deviation]]:
    """Alignments of the most frequent variants, each within a time limit; deviations per activity."""
    from pm4py.algo.conformance.alignments.petri_net import algorithm as alignments
    from pm4py.algo.conformance.alignments.petri_net.variants import state_equation_a_star as astar
    from pm4py.objects.log.obj import Event, Trace

    sample = variants[:max_variants]
    params: dict[Any, Any] = {alignments.Parameters.PARAM_MAX_ALIGN_TIME_TRACE: seconds_per_trace,
                              alignments.Parameters.SHOW_PROGRESS_BAR: False}
    t0 = time.perf_counter()
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", PendingDeprecationWarning)
            bwc = astar.get_best_worst_cost(model.net, model.initial_marking, model.final_marking,
                                            parameters=dict(params))  # it adds keys to the dict it is given
    except Exception as exc:  # an unsound given model: no alignments, but replay results stand
        log.warning("alignments skipped: %s", exc)
        return {"aligned_variants": 0, "aligned_cases": 0, "alignment_fitness": None, "alignment_timeouts": 0,
                "alignment_error": str(exc)}, []
    params[alignments.Parameters.BEST_WORST_COST_INTERNAL] = bwc
    log_moves: Counter[str] = Counter()
    model_moves: Counter[str] = Counter()
    deviating: Counter[str] = Counter()
    aligned = aligned_cases = timeouts = 0
    fit_sum = 0.0
    for v, n in sample:
        if time.perf_counter() - t0 > budget_seconds:
            break
        trace = Trace([Event({"concept:name": a}) for a in v])
        with warnings.catch_warnings():  # pm4py's A* uses numpy.matrix and warns on every step
            warnings.simplefilter("ignore", PendingDeprecationWarning)
            ali = alignments.apply_trace(trace, model.net, model.initial_marking, model.final_marking,
                                         parameters=dict(params))
        if ali is None or ali.get("alignment") is None:
            timeouts += 1
            continue
        aligned += 1
        aligned_cases += n
        fit_sum += n * ali.get("fitness", 0.0)
        here: set[str] = set()
        for log_label, model_label in ali["alignment"]:
            if model_label == SKIP and log_label != SKIP:
                log_moves[log_label] += n
                here.add(log_label)
            elif log_label == SKIP and model_label not in (None, SKIP):
                model_moves[model_label] += n
                here.add(model_label)
        for a in here:
            deviating[a] += n
    devs = [Deviation(activity=a, log_moves=log_moves[a], model_moves=model_moves[a], cases_deviating=k,
                      share=k / aligned_cases if aligned_cases else 0.0)
            for a, k in sorted(deviating.items(), key=lambda kv: (-kv[1], kv[0]))]
    return {"aligned_variants": aligned, "aligned_cases": aligned_cases,
            "alignment_fitness": fit_sum / aligned_cases if aligned_cases else None,
            "alignment_timeouts": timeouts}, devs


def check(model: Model, projection: Projection, *, alignment_variants: int = 100,
          alignment_seconds: float = 1.0, alignment_budget_seconds: float = 5.0,
          replay_budget_seconds: float = 5.0) -> Conformance:
    """Fitness and precision over the variants of the projected log (time-boxed), alignments on a sample."""
    t0 = time.perf_counter()
    variants = list(projection.variants)
    fit, fit_basis = fitness(model, variants, budget_seconds=replay_budget_seconds)
    prec, basis = precision(model, variants, budget_seconds=replay_budget_seconds)
    ali, devs = align(model, variants, max_variants=alignment_variants, seconds_per_trace=alignment_seconds,
                      budget_seconds=alignment_budget_seconds)
    settings = {"activities": list(projection.activities), "activities_in_log": projection.activities_total,
                "fitness_basis": fit_basis, "replay_budget_seconds": replay_budget_seconds,
                "alignment_seconds_per_trace": alignment_seconds,
                "alignment_budget_seconds": alignment_budget_seconds, "projection":
                "events of activities outside the model are removed before replay"}
    settings.update({k: v for k, v in ali.items() if k == "alignment_error"})
    return Conformance(model_source=model.source, variants=len(variants), cases=sum(n for _, n in variants),
                       fitness=fit, precision=prec, precision_basis=basis,
                       aligned_variants=ali["aligned_variants"], aligned_cases=ali["aligned_cases"],
                       alignment_fitness=ali["alignment_fitness"], alignment_timeouts=ali["alignment_timeouts"],
                       seconds=time.perf_counter() - t0, deviations=tuple(devs), settings=settings)


def run_phase(ctx: MiningContext) -> None:
    """Phase `conformance`: replay the log on the given (--model) or the discovered model."""
    options = options_of(ctx)
    model = ctx.facts.given_model or ctx.facts.model
    projection = ctx.facts.projection
    if model is None or projection is None:
        raise MissingFact("model" if model is None else "projection")
    if model.source == "given":
        acts, total = frequent_activities(ctx.con, limit=1 << 30)
        shared = check_labels(model, set(acts), where=options.model or "--model")
        projection = project(ctx.con, [a for a in acts if a in shared], activities_total=total)
    result = check(model, projection, alignment_variants=options.alignment_variants,
                   alignment_seconds=options.alignment_seconds,
                   alignment_budget_seconds=options.alignment_budget_seconds,
                   replay_budget_seconds=options.replay_budget_seconds)
    ctx.facts.conformance = result
    settings = {**result.settings, "method": model.method, "model": model.settings.get("file")}
    output(ctx, "mining_conformance", [{
        "model_source": result.model_source, "variants": result.variants, "cases": result.cases,
        "fitness": result.fitness, "precision": result.precision, "precision_basis": result.precision_basis,
        "aligned_variants": result.aligned_variants, "aligned_cases": result.aligned_cases,
        "alignment_fitness": result.alignment_fitness, "alignment_timeouts": result.alignment_timeouts,
        "seconds": result.seconds, "settings": json.dumps(settings, ensure_ascii=False)}])
    output(ctx, "mining_deviations", [
        {"activity": d.activity, "log_moves": d.log_moves, "model_moves": d.model_moves,
         "cases_deviating": d.cases_deviating, "share": d.share} for d in result.deviations])
