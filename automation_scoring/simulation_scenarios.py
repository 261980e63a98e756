"""What a scenario changes: from stored candidates or a small TOML file to the engine's `Change`s.

Each candidate kind becomes the change it proposes, on the model learnt from the log:

- eliminate: the step disappears (cases still take the path they took; the step is skipped);
- automate: `AUTOMATE_FACTOR` (80 %) of the step's executions take a minute of system time, no staff and
  no queue; the rest are the exceptions staff still handle (the candidate's own assumption);
- simplify (a loop): the branch back into the loop is taken `SIMPLIFY_FACTOR` (half) as often, the
  same share the candidate's hours assume (`automation_scoring.gains`);
- unblock: at a batch step a second batch day each week (two days before the first, e.g. Tuesday as
  well as Thursday); at a capacity-bound step twice the capacity; else the wait before the step halved.

A TOML scenario names changes no candidate proposes::

    [[change]]
    kind = "capacity"              # eliminate | automate | branch | capacity | delay | processing | batch
                                   # (automate: factor = the share of executions automated, default 1)
    activity = "Faglig vurdering"  # or resource = "…" for capacity: the resource's share of each queue
    factor = 1.5
    # branch: to = "Retur til saksbehandler"   batch: weekdays = [2]

Every name is checked against the model, and a misspelt one is reported with its nearest matches.
"""
from __future__ import annotations

import math
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from saksflyt.extractors.errors import InputError
from saksflyt.mining.deadline_rules import nearest
from saksflyt.mining.simulation_engine import Change

from .gains import AUTOMATE_FACTOR, SIMPLIFY_FACTOR, UNBLOCK_QUEUE_FACTOR
from .simulation_results import Said

KINDS = ("eliminate", "automate", "branch", "capacity", "delay", "processing", "batch")
UNBLOCK_CAPACITY = 2.0
CHANGE_KEYS = {"kind", "activity", "resource", "factor", "to", "weekdays"}


@dataclass(frozen=True)
class Planned:
    """A change with its origin and a sentence for the user (in the run's language)."""

    change: Change
    candidate_id: str | None
    text: str


def check_name(name: str, known: list[str], what: str, *, file: str | None = None) -> str:
    """`name` if known; else exit 2 naming it and its nearest matches."""
    if name in known:
        return name
    raise InputError(f"{what} '{name}' is not in the model{nearest(name, known)}", file=file)


def from_candidates(ids: list[str], stored: list[dict[str, Any]], model: dict[str, Any], *,
                    lang: str) -> list[Planned]:
    """The changes the named candidates propose (ids as in candidates.json)."""
    by_id = {c["candidate_id"]: c for c in stored}
    planned: list[Planned] = []
    for cid in ids:
        check_name(cid, list(by_id), "candidate")
        planned += _candidate(by_id[cid], model, lang)
    return planned


def _candidate(c: dict[str, Any], model: dict[str, Any], lang: str) -> list[Planned]:
    acts = model["activities"]
    names = [check_name(a, list(acts), "activity") for a in c["activities"]]
    cid, kind = c["candidate_id"], c["kind"]
    first = names[0]
    source = c.get("source")
    if source == "voices":
        raise InputError(f"candidate {cid} merges letters to the citizen into one: the simulation models steps, "
                         "queues and staff, not letters, so there is nothing to simulate")
    if source == "units":   # fewer handovers: the wait where cases land after one is halved
        return [Planned(Change("delay", a, factor=UNBLOCK_QUEUE_FACTOR), cid,
                        Said(lang, "simulation_scenarios.handover_wait_halved", activity=a))
                for a in names]
    if kind == "eliminate":
        return [Planned(Change("eliminate", a), cid, Said(lang, "simulation_scenarios.eliminate", activity=a))
                for a in names]
    if kind == "automate":
        share = f"{AUTOMATE_FACTOR:.0%}"
        return [Planned(Change("automate", a, factor=AUTOMATE_FACTOR), cid,
                        Said(lang, "simulation_scenarios.automate", activity=a, share=share))
                for a in names]
    if kind == "simplify":
        if len(names) >= 2:
            back = names[1]
            return [Planned(Change("branch", first, factor=1 - SIMPLIFY_FACTOR, target=back), cid,
                            Said(lang, "simulation_scenarios.simplify_loop", activity=first, back=back,
                                 share=f"{SIMPLIFY_FACTOR:.0%}"))]
        return [Planned(Change("processing", first, factor=1 - SIMPLIFY_FACTOR), cid,
                        Said(lang, "simulation_scenarios.simplify_step", activity=first))]
    # unblock
    entry = acts[first]
    if entry.get("batch"):
        days = entry["batch"]["weekdays"]
        workdays = set(model["calendar"]["workdays"])
        extra = tuple(sorted({(d - 3) % 7 + 1 if (d - 3) % 7 + 1 in workdays else (d + 1) % 7 + 1
                              for d in days} - set(days)))
        return [Planned(Change("batch", first, weekdays=extra), cid,
                        Said(lang, "simulation_scenarios.extra_batch_day", activity=first,
                             weekdays=", ".join(map(str, extra))))]
    if entry.get("queue"):
        return [Planned(Change("capacity", first, factor=UNBLOCK_CAPACITY), cid,
                        Said(lang, "simulation_scenarios.double_capacity", activity=first))]
    return [Planned(Change("delay", first, factor=UNBLOCK_QUEUE_FACTOR), cid,
                    Said(lang, "simulation_scenarios.wait_halved", activity=first))]


def _number(value: Any, where: str, file: str) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value) or value < 0:
        raise InputError(f"{where} must be a number ≥ 0, got {value!r}", file=file)
    return float(value)


def from_toml(path: Path, model: dict[str, Any], *, lang: str) -> list[Planned]:
    """The `[[change]]` entries of a scenario file."""
    file = str(path)
    try:
        data = tomllib.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"cannot read the scenario: {exc}", file=file) from None
    except tomllib.TOMLDecodeError as exc:
        raise InputError(f"not valid TOML: {exc}", file=file) from None
    entries = data.get("change")
    if not isinstance(entries, list) or not entries:
        raise InputError("a scenario needs at least one [[change]] entry", file=file)
    acts = list(model["activities"])
    out: list[Planned] = []
    for i, e in enumerate(entries, start=1):
        where = f"change {i}"
        unknown = sorted(set(e) - CHANGE_KEYS)
        if unknown:
            raise InputError(f"{where}: unknown key(s) {', '.join(unknown)} (known: {', '.join(sorted(CHANGE_KEYS))})",
                             file=file)
        kind = e.get("kind")
        if kind not in KINDS:
            raise InputError(f"{where}: kind must be one of {', '.join(KINDS)}, got {kind!r}", file=file)
        factor = _number(e.get("factor", 1.0), f"{where}.factor", file)
        if kind == "automate" and factor > 1:
            raise InputError(f"{where}.factor is the share of executions automated: 0–1, got {factor:g}", file=file)
        if kind == "capacity" and "resource" in e:
            out += _resource_capacity(str(e["resource"]), factor, model, lang, file)
            continue
        if "activity" not in e:
            raise InputError(f"{where}: needs an activity", file=file)
        act = check_name(str(e["activity"]), acts, "activity", file=file)
        if kind == "branch":
            target = check_name(str(e.get("to", "")), acts, "activity", file=file)
            change = Change("branch", act, factor=factor, target=target)
        elif kind == "batch":
            days = e.get("weekdays")
            if not isinstance(days, list) or not all(isinstance(d, int) and 1 <= d <= 7 for d in days):
                raise InputError(f"{where}.weekdays must be ISO weekdays 1–7", file=file)
            if not model["activities"][act].get("batch"):
                raise InputError(f"{where}: '{act}' is not done in batches in this log", file=file)
            change = Change("batch", act, weekdays=tuple(days))
        elif kind == "capacity" and not model["activities"][act].get("queue"):
            raise InputError(f"{where}: the log shows no capacity-bound queue before '{act}' "
                             "(use kind = \"delay\" to change its wait)", file=file)
        else:
            change = Change(kind, act, factor=factor)
        out.append(Planned(change, None, describe(change, lang)))
    return out


def _resource_capacity(resource: str, factor: float, model: dict[str, Any], lang: str, file: str) -> list[Planned]:
    """A resource's capacity × factor: each queue it works in changes by its share of that step's events."""
    known = sorted({r for a in model["activities"].values() for r in (a.get("resources") or {})})
    check_name(resource, known, "resource", file=file)
    out = []
    for act, entry in model["activities"].items():
        share = (entry.get("resources") or {}).get(resource, 0.0)
        if entry.get("queue") and share > 0:
            change = Change("capacity", act, factor=1 + (factor - 1) * share)
            out.append(Planned(change, None, describe(change, lang)))
    if not out:
        raise InputError(f"resource '{resource}' works in no capacity-bound queue of this log", file=file)
    return out


def describe(c: Change, lang: str) -> str:
    """A TOML change in a sentence (`simulation_scenarios.change.<kind>`)."""
    return Said(lang, f"simulation_scenarios.change.{c.kind}", activity=c.activity, target=c.target,
                factor=f"{c.factor:g}", share=f"{c.factor:.0%}", weekdays=", ".join(map(str, c.weekdays)))
