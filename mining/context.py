"""The state of one mining run that its phases share: options, the in-memory database, and typed facts.

A leaf: it imports the statistics' types and `mining.findings`, never a phase, so every phase module can
take a `MiningContext` (and `mining.run` can name the phases) without an import loop.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb

from saksflyt.extractors.errors import InputError

from .calendar import NORWEGIAN, WorkCalendar
from .findings import Bottleneck, Conformance, InsightInputs, Model, NeedlessStep, ProcessMap, Projection, Rework
from .stats import DEFAULT_END_COVERAGE, CompletionRule, Prepared

LANGS = ("nb", "en")

# progress(label, done, total): called before each step and once more at the end (done == total).
Progress = Callable[[str, int, int], None]


@dataclass(frozen=True)
class InsightOptions:
    """What the insight phases may be told (`saksflyt mine` flags)."""

    external: tuple[str, ...] = ()    # resources that are outside parties, named as the user knows them
    mandatory: tuple[str, ...] = ()   # activities never proposed for elimination
    outcome_attrs: tuple[str, ...] = ()  # case attributes recording how a case ended (caseStatus, last_phase):
                                         # never used to explain whether a step happens
    model: str | None = None          # a BPMN or PNML file to check conformance against
    lang: str = "nb"
    keep_activities: float = 1.0      # Disco-style map: share of the activities to show (most frequent first,
                                      # at most 30) …
    keep_paths: float = 0.8           # … and the most frequent paths covering this share of transitions
    max_model_activities: int = 25    # discovery uses at most this many activities
    alignment_variants: int = 100     # variants aligned (the most frequent ones)
    alignment_seconds: float = 1.0    # time limit per aligned trace
    alignment_budget_seconds: float = 5.0
    replay_budget_seconds: float = 5.0  # each for fitness and precision: the most frequent variants first
    random_state: int = 0
    incoming: tuple[str, ...] = ()    # activities where the citizen gets in touch ("doors"), from the config
    outgoing: tuple[str, ...] = ()    # activities where the municipality speaks to the citizen ("voices")

    def __post_init__(self) -> None:
        if self.lang not in LANGS:
            raise InputError(f"--lang must be one of {', '.join(LANGS)}, got '{self.lang}'")
        for name in ("keep_activities", "keep_paths"):
            value = getattr(self, name)
            if not 0 < value <= 1:
                raise InputError(f"{name} must be in (0, 1], got {value}")


@dataclass(frozen=True)
class MineOptions:
    """What a mining run may be told: the completion rule and the working-time calendar."""

    end_activities: tuple[str, ...] = ()
    end_coverage: float = DEFAULT_END_COVERAGE
    calendar: WorkCalendar = NORWEGIAN
    threads: int | None = None
    memory_limit: str | None = None
    insights: InsightOptions = InsightOptions()  # --external, --mandatory, …


class MissingFact(KeyError):
    """A phase read a fact that no earlier phase set: the phases are in the wrong order (a bug, not input)."""


@dataclass
class Facts:
    """What earlier phases of a run learnt, for the phases after them (mutable: each phase adds its own).

    Set by the statistics: `events` (count), `prepared`, `completion_rule`, `summary`; by the insight
    phases: `insight_inputs`, `given_model` (--model), `bottlenecks`, `rework`, `needless`, `loops`,
    `model`, `projection`, `process_map`, `conformance`.
    """

    events: int | None = None
    prepared: Prepared | None = None
    completion_rule: CompletionRule | None = None
    summary: dict[str, Any] | None = None
    insight_inputs: InsightInputs | None = None
    given_model: Model | None = None
    bottlenecks: list[Bottleneck] | None = None
    rework: list[Rework] | None = None
    needless: list[NeedlessStep] | None = None
    loops: list[dict[str, Any]] | None = None
    model: Model | None = None
    projection: Projection | None = None
    process_map: ProcessMap | None = None
    conformance: Conformance | None = None

    @property
    def rule(self) -> CompletionRule:
        """The completion rule, which every phase after `cases` may rely on."""
        if self.completion_rule is None:
            raise MissingFact("completion_rule")
        return self.completion_rule

    @property
    def prepared_events(self) -> Prepared:
        """What `prepare` learnt, which every phase after it may rely on."""
        if self.prepared is None:
            raise MissingFact("prepared")
        return self.prepared


@dataclass
class MiningContext:
    """State shared by the phases of one run (mutable on purpose: phases add to it in order).

    `con` is the in-memory database (the store is not attached while phases run; a phase that needs
    more from the store opens its own short `extractors.store.read(ctx.store_path)`). `facts` holds
    what earlier phases learnt (see `Facts`). In-memory tables left by the built-in phases:
    act_dict (aid, activity), res_dict, case_dict (cid, case_id), ev (see `stats.order_events`),
    case_facts, variant_ids and the m_* result tables. A `beside` phase sees a copy of the context whose
    `con` is its own cursor on the same database, sharing `facts` and `outputs`.
    """

    con: duckdb.DuckDBPyConnection
    log: str
    run_id: str
    options: MineOptions
    store_path: Path
    facts: Facts = field(default_factory=Facts)
    outputs: dict[str, str] = field(default_factory=dict)

    def output(self, store_table: str, memory_table: str) -> None:
        """Store in-memory table `memory_table` as this run's rows of `store_table`."""
        self.outputs[store_table] = memory_table


@dataclass(frozen=True)
class Phase:
    name: str
    label: str
    run: Callable[[MiningContext], None]
    # True: `mine` may run the phase on a second connection beside the phases after it; it only adds
    # tables, and a later phase that reads them names it in `needs` (all are joined before the write).
    # Worth it where statements run on one thread: DuckDB splits work by row group (122,880 rows), so
    # the tables of ~100k cases are built on one core while the other is free.
    beside: bool = False
    needs: tuple[str, ...] = ()
