"""`saksflyt simulate`: validate a log's simulation model, and estimate what a change would do before it is made.

Both start from the model learnt from the log (`simulation_model`) or a model file a user edited.

- **Validation** simulates the log's own period `runs` times, cuts each simulated log where the real
  one was extracted, and measures how far it is from the real log (`mining.simulation_distance`). The
  verdict follows `THRESHOLDS`: *good* when the n-gram distance and the cycle-time EMD (as a share of
  the real mean lead time: the EMD is an average distance, and a log where most cases close the same
  day has a median near zero) are both within the good limits, *fair* within the fair ones, else *poor*.
- **A scenario** runs the same model with and without the changes, `runs` times each, on the same
  random streams (the same arrivals and per-case draws), and reports every measure as a difference
  against the simulated baseline with the range 90 % of the runs fall in: a change is compared with the
  model's own picture of today, never with the real log, so the model's error largely cancels.
  Absolute levels are reported as simulated, not as forecasts. A scenario always validates too (the
  baseline runs are the validation runs), and a poor validation puts a warning in every output.

Each run's model is learnt from a bootstrap sample of the log's cases (`resample`), so the intervals
carry what the log leaves uncertain about the model as well as the simulation's own randomness; a
user's edited model file is taken as given.
"""
from __future__ import annotations

import math
import os
import uuid
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from saksflyt.extractors import store
from saksflyt.extractors.errors import InputError
from saksflyt.mining import monitor_results, simulation_distance
from saksflyt.mining.deadline_rules import Deadline
from saksflyt.mining.simulation_clock import DAY
from saksflyt.mining.simulation_engine import Compiled, SimLog, run

from . import results as scoring_results
from . import simulation_log, simulation_model, simulation_queues, simulation_results, simulation_scenarios
from .simulation_results import Said
from .simulation_scenarios import Planned

Progress = Callable[[str, int, int], None]
SCHEMA = "saksflyt-simulation/1"
VALIDATION_SCHEMA = "saksflyt-simulation-validation/1"
THRESHOLDS = {"good": {"ngram_distance": 0.25, "cycle_time_emd_share": 0.10},
              "fair": {"ngram_distance": 0.40, "cycle_time_emd_share": 0.25}}
CI_LEVEL = 0.90
YEAR_DAYS = 365.25
MEASURES = ("cases", "lead_time_median_days", "lead_time_p90_days", "lead_time_mean_days",
            "share_within_deadline", "staff_hours_per_year")


@dataclass(frozen=True)
class SimulationOptions:
    runs: int = 10
    seed: int = 1
    lang: str = "nb"
    resample: bool = True
    deadline: Deadline | None = None
    target_days: float | None = None

    def check(self) -> None:
        if not 1 <= self.runs <= 1000:
            raise InputError(f"--runs must be between 1 and 1000, got {self.runs}")
        if self.target_days is not None and not (self.target_days > 0 and math.isfinite(self.target_days)):
            raise InputError(f"--target-days must be a number above 0, got {self.target_days}")


def _quiet(_label: str, _done: int, _total: int) -> None:
    return None


# --- the real log ----------------------------------------------------------------------------------


def _resampled(loaded: simulation_log.Loaded, rng: np.random.Generator) -> simulation_log.Loaded:
    """The log with its cases drawn with replacement (a drawn-twice case gets a second id)."""
    cases = loaded.events["case_id"].unique()
    drawn = rng.choice(cases.size, size=cases.size, replace=True)
    pick = pd.DataFrame({"case_id": cases[drawn], "_copy": np.arange(cases.size)})
    ev = pick.merge(loaded.events, on="case_id", how="left", sort=False)
    ev["case_id"] = ev["case_id"].astype(str) + "#" + ev["_copy"].astype(str)
    return replace(loaded, events=ev.drop(columns="_copy"))


# --- targets: the deadline or a lead-time target ---------------------------------------------------


@dataclass
class _Target:
    """How a simulated case is judged in time: its deadline days and how its clock runs."""

    days_by_set: dict[frozenset[str], np.ndarray]
    all_days: np.ndarray
    deadline: Deadline | None
    info: dict[str, Any]

    def days(self, sim: SimLog, rng: np.random.Generator) -> np.ndarray:
        u = rng.random(len(sim.path_key))
        names = sim.activities
        out = np.empty(len(sim.path_key))
        for i, key in enumerate(sim.path_key):
            pool = self.days_by_set.get(frozenset(names[k] for k in key), self.all_days)
            out[i] = pool[min(int(u[i] * pool.size), pool.size - 1)]
        return out

    def used_days(self, sim: SimLog) -> np.ndarray:
        """Days on the clock per case (NaN when it never stopped): lead time, or the deadline's clock."""
        n = sim.arrival.size
        if self.deadline is None:
            return (sim.done - sim.arrival) / DAY
        d = self.deadline
        names = np.asarray(sim.activities)
        frame = pd.DataFrame({"case": sim.case, "act": names[sim.act], "end": sim.end}).sort_values(
            ["case", "end"], kind="stable")

        def first_end(acts: tuple[str, ...]) -> np.ndarray:
            hit = frame[frame["act"].isin(acts)].groupby("case")["end"].min()
            out = np.full(n, np.nan)
            out[hit.index.to_numpy()] = hit.to_numpy()
            return out

        start = first_end((d.clock_start,)) if d.clock_start else sim.arrival
        start = np.where(np.isnan(start), sim.arrival, start)
        stop = first_end(d.stop) if d.stop else sim.done
        paused = np.zeros(n)
        for a, b in d.pauses:
            pa, pb = first_end((a,)), first_end((b,))
            pb = np.where(np.isnan(pb), stop, pb)
            paused += np.nan_to_num(np.clip(pb - pa, 0, None))
        used = np.floor(stop / DAY) - np.floor(start / DAY) - np.ceil(paused / DAY)
        return used


def _target(loaded: simulation_log.Loaded, options: SimulationOptions, store_path: Path) -> _Target:
    lang = options.lang
    if options.target_days is not None:
        days = np.array([options.target_days])
        return _Target({}, days, None, {"days": options.target_days, "basis": "target_days",
                                        "text": Said(lang, "simulation.target_days",
                                                     days=f"{options.target_days:g}")})
    d = options.deadline
    if d is None:
        p80 = float(np.quantile(simulation_log.closed_lead_days(loaded.events, loaded.end_activities), 0.8))
        return _Target({}, np.array([p80]), None, {
            "days": round(p80, 1), "basis": "real_p80",
            "text": Said(lang, "simulation.target_real_p80", days=f"{p80:.0f}")})
    per_case = _stored_deadline_days(store_path, loaded.log)
    if per_case is not None and len(per_case):
        acts = loaded.events.groupby("case_id", sort=False)["activity"].agg(frozenset)
        joined = per_case.join(acts.rename("acts"), on="case_id", how="inner")
        by_set = {k: g["deadline_days"].to_numpy(float) for k, g in joined.groupby("acts")}
        all_days = joined["deadline_days"].to_numpy(float)
        text = Said(lang, "simulation.deadline_per_case")
        return _Target(by_set, all_days, d, {"days": round(float(np.median(all_days)), 1), "basis": "deadline",
                                             "text": text})
    text = Said(lang, "simulation.deadline_every_case", days=f"{d.days}")
    return _Target({}, np.array([float(d.days)]), d, {"days": float(d.days), "basis": "deadline", "text": text})


def _stored_deadline_days(store_path: Path, log_name: str) -> pd.DataFrame | None:
    with store.read(store_path) as con:
        run_row = monitor_results.latest(con, log_name)
        if run_row is None:
            return None
        status = monitor_results.read(con, "deadline_status", log_name, run_row["run_id"])
    status = status[status["deadline_days"].notna()]
    return status[["case_id", "deadline_days"]]


# --- measures --------------------------------------------------------------------------------------


def _measures(sim: SimLog, compiled: Compiled, target: _Target, rng: np.random.Generator) -> dict[str, Any]:
    years = (compiled.period_end - compiled.period_start) / DAY / YEAR_DAYS
    finished = ~np.isnan(sim.done)
    lead = ((sim.done - sim.arrival) / DAY)[finished]
    used = target.used_days(sim)
    limit = target.days(sim, rng)
    within = np.where(np.isnan(used), False, used <= limit)
    waits = np.bincount(sim.act, weights=(sim.start - sim.ready) / 3600, minlength=len(sim.activities)) / years
    return {
        "cases": float(sim.arrival.size),
        "lead_time_median_days": float(np.median(lead)) if lead.size else math.nan,
        "lead_time_p90_days": float(np.quantile(lead, 0.9)) if lead.size else math.nan,
        "lead_time_mean_days": float(lead.mean()) if lead.size else math.nan,
        "share_within_deadline": float(within.mean()) if within.size else math.nan,
        "staff_hours_per_year": float(sim.staff_seconds.sum() / 3600 / years),
        "waiting_hours_per_year": {a: float(w) for a, w in zip(sim.activities, waits)},
    }


def _interval(values: list[float]) -> dict[str, Any]:
    """Mean over the runs, and the 5th–95th percentile of the runs: the range one period's outcome falls
    in (a single run has no interval).

    A change is made once, in one period, and a process owner asks what that period will look like;
    an interval for the mean effect would be narrower than what any one period shows (a quieter April
    in the real log than in the average simulated one moves the effect of more capacity by a day).
    """
    x = np.asarray([v for v in values if not math.isnan(v)], dtype=float)
    if x.size == 0:
        return {"value": None, "ci": None}
    mean = float(x.mean())
    if x.size < 2:
        return {"value": round(mean, 4), "ci": None}
    lo, hi = np.quantile(x, [(1 - CI_LEVEL) / 2, (1 + CI_LEVEL) / 2])
    return {"value": round(mean, 4), "ci": [round(float(lo), 4), round(float(hi), 4)]}


def _summarise(per_run: list[dict[str, Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {k: _interval([r[k] for r in per_run]) for k in MEASURES}
    acts = per_run[0]["waiting_hours_per_year"].keys()
    out["waiting_hours_per_year"] = {a: _interval([r["waiting_hours_per_year"][a] for r in per_run]) for a in acts}
    return out


def _difference(base: list[dict[str, Any]], scen: list[dict[str, Any]]) -> list[dict[str, Any]]:
    out = []
    for b, s in zip(base, scen):
        d = {k: s[k] - b[k] for k in MEASURES}
        d["waiting_hours_per_year"] = {a: s["waiting_hours_per_year"][a] - v
                                       for a, v in b["waiting_hours_per_year"].items()}
        out.append(d)
    return out


# --- validation ------------------------------------------------------------------------------------


def _verdict(ngram: float, share: float, lang: str) -> tuple[str, str]:
    for level in ("good", "fair"):
        t = THRESHOLDS[level]
        if ngram <= t["ngram_distance"] and share <= t["cycle_time_emd_share"]:
            break
    else:
        level = "poor"
    return level, Said(lang, f"simulation.verdict_text.{level}", ngram=f"{ngram:.2f}", share=f"{share:.0%}")


def _validation(loaded: simulation_log.Loaded, model: dict[str, Any], runs: list[tuple[SimLog, Compiled]],
                options: SimulationOptions) -> dict[str, Any]:
    real = simulation_log.real_frame(loaded)
    per_run = []
    sim_medians = []
    for i, (sim, compiled) in enumerate(runs):
        cut = sim.frame(compiled.period_end)
        per_run.append({"run": i, **{k: round(v, 4) for k, v in simulation_distance.compare(real, cut).items()}})
        sim_medians.append(float(np.median(simulation_log.closed_lead_days(cut, loaded.end_activities))))
    keys = [k for k in per_run[0] if k != "run"]
    mean = {k: round(float(np.mean([r[k] for r in per_run])), 4) for k in keys}
    real_leads = simulation_log.closed_lead_days(loaded.events, loaded.end_activities)
    real_median, real_mean = float(np.median(real_leads)), float(np.mean(real_leads))
    share = mean["cycle_time_emd_hours"] / (real_mean * 24) if real_mean > 0 else math.inf
    verdict, text = _verdict(mean["ngram_distance"], share, options.lang)
    acts = model["activities"]
    return {
        "schema": VALIDATION_SCHEMA, "log": loaded.log, "created_at": _now(), "runs": len(runs),
        "seed": options.seed, "lang": options.lang, "period": _period(runs[0][1]), **mean,
        "ngram_n": 3,
        "real_median_lead_days": round(real_median, 2), "real_mean_lead_days": round(real_mean, 2),
        "simulated_median_lead_days": round(float(np.nanmean(sim_medians)), 2),
        "cycle_time_emd_share": round(share, 4), "per_run": per_run, "thresholds": THRESHOLDS,
        "verdict": verdict, "verdict_text": text,
        "model": {"activities": len(acts), "queues": [a for a, e in acts.items() if e.get("queue")],
                  "batches": [a for a, e in acts.items() if e.get("batch")],
                  "external": [a for a, e in acts.items() if e["kind"] == "external"],
                  "resampled": options.resample},
    }


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def _period(compiled: Compiled) -> dict[str, Any]:
    m = compiled.model["period"]
    return {"start": m["start"], "end": m["end"],
            "years": round((compiled.period_end - compiled.period_start) / DAY / YEAR_DAYS, 4)}


# --- the entry points ------------------------------------------------------------------------------


@dataclass
class SimulationResult:
    model: dict[str, Any]
    validation: dict[str, Any]
    scenario: dict[str, Any] | None


def _models(loaded: simulation_log.Loaded, model_file: Path | None, options: SimulationOptions,
            progress: Progress) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """The model shown to the user, and one model per run (bootstrap samples unless a file is given)."""
    if model_file is not None:
        model = simulation_model.read(model_file)
        if model.get("log") != loaded.log:
            raise InputError(f"the model is of log '{model.get('log')}', not '{loaded.log}'", file=str(model_file))
        return model, [model] * options.runs
    progress("learning the model (testing its queues)", 0, options.runs)
    model, queues = simulation_queues.select_queues(loaded, seed=options.seed)
    if not options.resample:
        return model, [model] * options.runs
    out = []
    for i in range(options.runs):
        progress("learning the model (bootstrap samples)", i, options.runs)
        sample = _resampled(loaded, np.random.default_rng([options.seed, i, 1]))
        out.append(simulation_model.learn(sample, queues=queues))
    return model, out


def _compile(model: dict[str, Any], changes: tuple = ()) -> Compiled:
    try:
        return Compiled(model, changes)
    except (KeyError, TypeError, ValueError) as exc:
        raise InputError(f"the simulation model is malformed: {type(exc).__name__}: {exc}") from None


def simulate(*, store_path: str | os.PathLike[str], log_name: str, candidate_ids: tuple[str, ...] = (),
             scenario_file: Path | None = None, model_file: Path | None = None,
             options: SimulationOptions = SimulationOptions(), progress: Progress | None = None) -> SimulationResult:
    """Validate the log's model and, when changes are named, run the scenario; store the run(s)."""
    options.check()
    report = progress or _quiet
    path = Path(store_path)
    report("loading the log", 0, 1)
    loaded = simulation_log.load(path, log_name)
    model, models = _models(loaded, model_file, options, report)
    planned: list[Planned] = []
    if candidate_ids:
        with store.read(path) as con:
            stored = scoring_results.candidates(con, log_name, source=True)
        planned += simulation_scenarios.from_candidates(list(candidate_ids), stored, model, lang=options.lang)
    if scenario_file is not None:
        planned += simulation_scenarios.from_toml(scenario_file, model, lang=options.lang)
    changes = tuple(p.change for p in planned)
    target = _target(loaded, options, path)
    base_runs: list[tuple[SimLog, Compiled]] = []
    base_m, scen_m = [], []
    for i, m in enumerate(models):
        report("simulating", i, options.runs)
        compiled = _compile(m)
        sim = run(compiled, seed=options.seed, run_no=i)
        base_runs.append((sim, compiled))
        base_m.append(_measures(sim, compiled, target, np.random.default_rng([options.seed, i, 2])))
        if planned:
            changed = _compile(m, changes)
            scen = run(changed, seed=options.seed, run_no=i)
            scen_m.append(_measures(scen, changed, target, np.random.default_rng([options.seed, i, 2])))
    report("comparing with the real log", options.runs, options.runs)
    validation = _validation(loaded, model, base_runs, options)
    scenario = None
    if planned:
        scenario = _scenario_result(loaded, options, planned, target, base_m, scen_m, validation, base_runs[0][1])
    _store(path, log_name, validation, scenario)
    return SimulationResult(model=model, validation=validation, scenario=scenario)


def _scenario_result(loaded, options: SimulationOptions, planned: list[Planned], target: _Target,
                     base_m: list[dict[str, Any]], scen_m: list[dict[str, Any]], validation: dict[str, Any],
                     compiled: Compiled) -> dict[str, Any]:
    lang = options.lang
    warnings, codes = [], []
    if validation["verdict"] != "good":
        codes.append(f"validation_{validation['verdict']}")
        # a Said from this run (quoted in each language), or a plain string from a stored validation
        warnings.append(Said(lang, f"simulation.validation_{'poor' if validation['verdict'] == 'poor' else 'fair'}",
                             verdict_text=validation["verdict_text"]))
    if options.runs < 5:
        codes.append("few_runs")
        warnings.append(Said(lang, "simulation.few_runs", runs=f"{options.runs}"))
    assumptions = [
        Said(lang, "simulation.assume_same_model"),
        Said(lang, "simulation.assume_intervals_bootstrap" if options.resample else "simulation.assume_intervals",
             level=f"{CI_LEVEL:.0%}", runs=f"{options.runs}"),
        Said(lang, "simulation.assume_followed"),
        target.info["text"],
    ]
    return {
        "schema": SCHEMA, "log": loaded.log, "created_at": _now(), "runs": options.runs, "seed": options.seed,
        "lang": lang, "period": _period(compiled),
        "candidate_ids": list(dict.fromkeys(p.candidate_id for p in planned if p.candidate_id)),
        "changes": [{"kind": p.change.kind, "activity": p.change.activity, "candidate_id": p.candidate_id,
                     "factor": p.change.factor, "target": p.change.target, "weekdays": list(p.change.weekdays),
                     "text": p.text} for p in planned],
        "target": target.info,
        "baseline": _summarise(base_m), "scenario": _summarise(scen_m),
        "difference": _summarise(_difference(base_m, scen_m)),
        "validation": validation, "warnings": warnings, "warning_codes": codes, "assumptions": assumptions,
    }


def _store(path: Path, log_name: str, validation: dict[str, Any], scenario: dict[str, Any] | None) -> None:
    with store.write(path) as con:
        simulation_results.write_run(con, log_name=log_name, run_id=uuid.uuid4().hex[:12], kind="validation",
                                     candidate_ids=[], verdict=validation["verdict"], result=validation)
        if scenario is not None:
            simulation_results.write_run(con, log_name=log_name, run_id=uuid.uuid4().hex[:12], kind="scenario",
                                         candidate_ids=scenario["candidate_ids"], verdict=validation["verdict"],
                                         result=scenario)
