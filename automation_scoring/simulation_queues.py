"""Which capacity-bound queues a simulation model keeps: those that explain when the waits happen.

A long wait is not always a shortage of staff: at BPIC 2012's "W_Nabellen offertes" the weeks of long
waits are weeks of customers not answering, and a capacity-bound queue there makes simulated cases
three times too slow. Learning proposes a queue wherever weekly waits suggest one; this module tries
each on a simulated run and keeps it only where it earns its place.
"""
from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from saksflyt.mining import simulation_distance
from saksflyt.mining.simulation_engine import Compiled, run

from .simulation_log import Loaded, closed_lead_days, real_frame
from .simulation_model import learn

QUEUE_GAIN = 0.25  # a queue is kept when it brings the monthly waits before its step this much closer


def _wait_profile(act: str, ready: np.ndarray, start: np.ndarray, until: float) -> pd.Series:
    """Mean wait before `act` (hours) per calendar month of becoming ready, events completed by `until`."""
    keep = ~np.isnan(ready) & (start <= until)
    month = ready[keep].astype("datetime64[s]").astype("datetime64[M]")
    return pd.Series((start[keep] - ready[keep]) / 3600).groupby(month).agg(["size", "mean"])


def select_queues(loaded: Loaded, *, seed: int = 1) -> tuple[dict[str, Any], frozenset[str]]:
    """The model with only the queues that explain when the waits happen, and their names.

    Each queue the weekly waits suggest is tried, the largest first, on one simulated run: it is kept when it brings the wait before the step, month by month, at least
    `QUEUE_GAIN` closer to the log's than the model without it (whose wait is then learnt from every
    week, so the waits as such are reproduced either way), while the simulated cycle times stay good
    (EMD within 1.5× the model's without it, or within 10 % of the real mean lead time). The numbers
    stay in the model.
    """
    candidates = learn(loaded)
    proposed = sorted((a for a, e in candidates["activities"].items() if e.get("queue")),
                      key=lambda a: -candidates["activities"][a]["events"])
    if not proposed:
        return candidates, frozenset()
    real = real_frame(loaded)
    ev = loaded.events
    real_lead_h = float(np.mean(closed_lead_days(loaded.events, loaded.end_activities))) * 24

    def trial(queues: frozenset[str]) -> tuple[dict[str, Any], float, Any]:
        model = learn(loaded, queues=queues)
        compiled = Compiled(model)
        sim = run(compiled, seed=seed, run_no=0)
        return model, simulation_distance.cycle_time_emd_hours(real, sim.frame(compiled.period_end)), (sim, compiled)

    def profile_error(act: str, sim_run: Any) -> float:
        sim, compiled = sim_run
        mask = ev["activity"].to_numpy(object) == act
        real_p = _wait_profile(act, ev["prev_end"].to_numpy(float)[mask],
                               ev["start"].fillna(ev["end"]).to_numpy(float)[mask], np.inf)
        code = compiled.code[act]
        k = sim.act == code
        sim_p = _wait_profile(act, sim.ready[k], sim.start[k], compiled.period_end)
        months = real_p.index[real_p["size"] >= 5]
        diff = (sim_p["mean"].reindex(months) - real_p["mean"].reindex(months)).abs().fillna(real_p["mean"].reindex(months))
        weights = real_p["size"].reindex(months)
        return float((diff * weights).sum() / max(weights.sum(), 1))

    kept: frozenset[str] = frozenset()
    model, emd, sim_run = trial(kept)
    tried: dict[str, dict[str, float]] = {}
    for act in proposed:
        with_model, with_emd, with_run = trial(kept | {act})
        err_with, err_without = profile_error(act, with_run), profile_error(act, sim_run)
        tried[act] = {"monthly_wait_error_hours_with": round(err_with, 1),
                      "monthly_wait_error_hours_without": round(err_without, 1),
                      "cycle_time_emd_hours_with": round(with_emd, 1), "cycle_time_emd_hours_without": round(emd, 1)}
        if err_with < err_without * (1 - QUEUE_GAIN) and with_emd <= max(1.5 * emd, 0.10 * real_lead_h):
            kept, model, emd, sim_run = kept | {act}, with_model, with_emd, with_run
    for act, numbers in tried.items():
        entry = model["activities"][act]
        if act in kept:
            entry["queue"]["validated"] = numbers
        else:
            entry["queue_rejected"] = numbers
    return model, kept
