"""Synthetic Norwegian building-permit (byggesak) event log, with a ground truth of what was planted.

Mining and scoring tests check what they find against `truth`: the planted patterns (a rule-based
step, an attribute-decided step, a needless habit step, an expert step, an outcome-changing step,
a rework loop, an internal bottleneck and an external wait) plus numbers measured on the generated
events themselves. The simulation is vectorised: one numpy pass per process step over all cases,
in local wall-clock seconds (office hours are a wall-clock notion); Europe/Oslo offsets are applied
once at the end. Same `seed`, same log.

`deadlines=True` (`saksflyt generate --deadlines`) adds statutory deadlines (pbl. § 21-7: 12 weeks, 3 for
garasje and tilbygg without dispensation or road access; SAK10 § 7-6: the fee drops 25 % per started week
over): case attributes `gebyr` (NOK) and `avkjorsel` ("ja" exactly when Statens vegvesen comments), the
steps "Innhente uttalelse" (the comment round's start, so the wait for Statens vegvesen is a clock pause),
"Foreløpig svar sendt" and "Frist forlenget" (with `forlenget_dager` on its own row), and a hidden staff
shortage: "Faglig vurdering" is a first-come-first-served queue whose capacity falls in four months, so a
backlog builds there and drains after. `truth["deadline"]` holds the log's deadline table as TOML, the
planted delay, and per-case outcomes measured on the events (open cases: as they end in the simulation).
Its draws come from a stream of their own (`[seed, 18]`): without the option the log is byte-identical to
before, and with it the main stream's draws are the same. `queue_capacity` multiplies the queue's capacity;
`truth["queue_capacity"]` then holds its effect on lead times against the same seed at capacity 1.
"""
from __future__ import annotations

import json
import math
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from saksflyt.extractors.errors import InputError
from .byggesak_csv import _csv_chunk
from .byggesak_model import (
    _ACT, ACTIVITIES, CASE_ATTRIBUTES, COLUMNS, DEADLINE_ACTIVITIES, DEADLINE_CASE_ATTRIBUTES, DEADLINE_STREAM,
    DELAY_ACTIVITY, FORLENGET, MOTTATT, RESOURCES, TILTAKSTYPER, TZ,
)
from .byggesak_simulation import _comments, _names, _saksnr, _simulate
from .byggesak_truth import (
    _change_truth, _deadline_truth, _full_cases, _FULL_CASES_DEFINITION, _queue_capacity_truth, _truth,
    _with_without,
)


@dataclass(frozen=True)
class Generated:
    """A generated log and its ground truth.

    `events` has the columns of COLUMNS (DEADLINE_COLUMNS with deadlines), one row per event in case and
    time order: times tz-aware Europe/Oslo (`start` NaT for instantaneous events), repeated texts as
    categoricals, `kommentar` str.
    """

    events: pd.DataFrame
    truth: dict


def generate(*, cases: int, seed: int = 7, start: date = date(2023, 1, 2), change_at: date | None = None,
             deadlines: bool = False, queue_capacity: float = 1.0) -> Generated:
    """A byggesak log of `cases` cases starting on `start`, and the truth of what was planted in it.

    `change_at` plants a process change: cases arriving on or after that (local) day skip
    "Ekstra kontroll" and go to a decision meeting held twice a week (Tuesday and Thursday); the truth
    then has a `change` key with the realised numbers before and after. `deadlines` gives the statutory
    deadlines variant (see the module docstring); the truth then has a `deadline` key. `queue_capacity`
    (deadlines only) multiplies the capacity of the staff queue before Faglig vurdering in every month;
    other than 1, the truth gets a `queue_capacity` key with its effect against the same seed at 1.
    """
    if cases < 1:
        raise InputError(f"cases must be at least 1, got {cases}")
    if not (math.isfinite(queue_capacity) and queue_capacity > 0):
        raise InputError(f"queue capacity must be a finite number above 0, got {queue_capacity}")
    if queue_capacity != 1.0 and not deadlines:
        raise InputError("a queue capacity other than 1 needs the deadlines variant (the queue before "
                         f"{DELAY_ACTIVITY} is part of it)")
    rng = np.random.default_rng(seed)

    def deadline_stream() -> np.random.Generator | None:
        return np.random.default_rng([seed, DEADLINE_STREAM]) if deadlines else None

    parts, c, extracted, (spring, autumn) = _simulate(rng, cases, start, change_at, deadline_stream(),
                                                      queue_capacity)
    activities = DEADLINE_ACTIVITIES if deadlines else ACTIVITIES

    act = np.concatenate([np.full(p[1].size, p[0], dtype=np.int64) for p in parts])
    case = np.concatenate([p[1] for p in parts])
    end = np.concatenate([p[3] for p in parts])
    start_ = np.concatenate([p[2] if p[2] is not None else np.full(p[1].size, -1, dtype=np.int64) for p in parts])
    res = np.concatenate([p[4] for p in parts])
    keep = end <= extracted
    order = np.flatnonzero(keep)[np.argsort(case[keep], kind="stable")]  # parts are in process order
    act, case, end, start_, res = act[order], case[order], end[order], start_[order], res[order]
    has_start = start_ >= 0
    first = np.r_[True, case[1:] != case[:-1]]
    seq = np.arange(case.size) - np.maximum.accumulate(np.where(first, np.arange(case.size), 0))

    fold = np.where(act == _ACT[MOTTATT], c["first_fold"][case], True)
    end_ts = pd.DatetimeIndex(end.astype("datetime64[s]").astype("datetime64[us]")).tz_localize(
        TZ, ambiguous=fold, nonexistent="raise")
    st = np.where(has_start, start_, 0).astype("datetime64[s]").astype("datetime64[us]")
    st[~has_start] = np.datetime64("NaT")
    start_ts = pd.DatetimeIndex(st).tz_localize(TZ, ambiguous=np.ones(case.size, dtype=bool), nonexistent="raise")

    saksnr = _saksnr(c["arrival"])
    comments, fnr_in_text = _comments(rng, act, case, seq, saksnr, c)
    name_code, name_categories = _names(c)
    fnr_codes = np.full(cases, -1, dtype=np.int64)
    fnr_categories, fnr_inverse = np.unique(c["fnr"], return_inverse=True)
    fnr_codes[c["has_fnr"]] = fnr_inverse
    events = pd.DataFrame({
        "saksnr": pd.Categorical.from_codes(case, categories=pd.Index(saksnr.astype(object), dtype="str")),
        "aktivitet": pd.Categorical.from_codes(act, categories=activities),
        "start": start_ts,
        "slutt": end_ts,
        "saksbehandler": pd.Categorical.from_codes(res, categories=RESOURCES),
        "tiltakstype": pd.Categorical.from_codes(c["tiltak"][case], categories=TILTAKSTYPER),
        "vedlegg_antall": c["vedlegg"][case].astype(np.int64),
        "dispensasjon": pd.Categorical.from_codes(c["disp"][case].astype(np.int64), categories=["nei", "ja"]),
        "areal_m2": c["areal_tenths"][case] / 10.0,
        "soker_fnr": pd.Categorical.from_codes(fnr_codes[case],
                                               categories=pd.Index(fnr_categories.astype(object), dtype="str")),
        "soker_navn": pd.Categorical.from_codes(name_code[case], categories=name_categories),
        "kommentar": comments,
    })
    if deadlines:
        ext = act == _ACT[FORLENGET]
        events.insert(len(COLUMNS) - 1, "gebyr", c["gebyr"][case])
        events.insert(len(COLUMNS), "avkjorsel", pd.Categorical.from_codes(c["vegvesen"][case].astype(np.int64),
                                                                         categories=["nei", "ja"]))
        events.insert(len(COLUMNS) + 1, "forlenget_dager",  # on the extension's own row only
                      pd.arrays.IntegerArray(np.where(ext, c["forlenget_dager"][case], 0).astype(np.int64), ~ext))
    utc_end = end_ts.asi8 // 1_000_000
    utc_start = np.where(has_start, start_ts.asi8 // 1_000_000, -1)
    truth = _truth(seed=seed, start=start, c=c, act=act, case=case, has_start=has_start, utc_start=utc_start,
                   utc_end=utc_end, end_local=end, res=res, extracted=extracted, spring=spring, autumn=autumn,
                   fnr_in_text=fnr_in_text, activities=activities, columns=tuple(events.columns),
                   case_attributes=DEADLINE_CASE_ATTRIBUTES if deadlines else CASE_ATTRIBUTES)
    if deadlines:
        truth["deadline"] = _deadline_truth(c, saksnr, start, act=act, case=case, end_local=end, end_utc=utc_end,
                                            start_local=start_, full=parts, queue_capacity=queue_capacity)
    if change_at is not None:
        truth["change"] = _change_truth(change_at, c["changed"], act=act, case=case, has_start=has_start,
                                        utc_start=utc_start, utc_end=utc_end)
        # The same cases without the change (same seed, same draws): the change's own effect on them.
        unchanged, _, _, _ = _simulate(np.random.default_rng(seed), cases, start, None, deadline_stream(),
                                       queue_capacity)
        with_, without = _full_cases(parts, cases), _full_cases(unchanged, cases)
        after = c["changed"]
        truth["change"]["effect_on_changed_cases"] = {
            "cases": int(after.sum()),
            "median_lead_time_days": _with_without(np.median(with_[0][after]), np.median(without[0][after])),
            "mean_processing_hours_per_case": _with_without(with_[1][after].mean(), without[1][after].mean()),
            "definition": _FULL_CASES_DEFINITION,
        }
    if queue_capacity != 1.0:
        # The same seed at the normal capacity (the queue draws nothing): the capacity change's own effect.
        normal, _, _, _ = _simulate(np.random.default_rng(seed), cases, start, change_at, deadline_stream())
        truth["queue_capacity"] = _queue_capacity_truth(queue_capacity, start, cases, parts, normal)
    return Generated(events=events, truth=truth)


def cases_for_events(events: int, *, seed: int = 7, start: date = date(2023, 1, 2), deadlines: bool = False,
                     queue_capacity: float = 1.0) -> int:
    """The case count that gives about `events` events, measured on a pilot run."""
    if events < 1:
        raise InputError(f"events target must be at least 1, got {events}")
    pilot = generate(cases=4000, seed=seed, start=start, deadlines=deadlines,
                     queue_capacity=queue_capacity).truth["counts"]
    return max(1, round(events / (pilot["events"] / pilot["cases"])))


# --- writing -----------------------------------------------------------------------------------------


def truth_path(path: str | Path) -> Path:
    """`byggesak.csv` → `byggesak.truth.json`, next to it."""
    path = Path(path)
    return path.with_name(f"{path.stem}.truth.json")


def write(generated: Generated, path: str | Path, *, batch_rows: int = 500_000) -> Path:
    """Write the events as CSV (`;`, UTF-8, decimal commas) or Parquet by extension, and the truth beside.

    Returns the truth file's path.
    """
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in (".csv", ".parquet"):
        raise InputError("output must end in .csv or .parquet", file=str(path))
    path.parent.mkdir(parents=True, exist_ok=True)
    events = generated.events
    if suffix == ".parquet":
        # row groups of DuckDB's size, so a reader splits the file across cores (one group reads on one)
        pq.write_table(pa.Table.from_pandas(events, preserve_index=False), path, compression="zstd",
                       row_group_size=122_880)
    else:
        with path.open("wb") as fh:
            fh.write((";".join(events.columns) + "\n").encode("utf-8"))
            for lo in range(0, len(events), batch_rows):
                fh.write(_csv_chunk(events.iloc[lo:lo + batch_rows]))
    target = truth_path(path)
    target.write_text(json.dumps(generated.truth, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return target
