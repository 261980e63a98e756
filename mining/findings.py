"""What the mining phases find: the result types that phases, the report and `MiningContext.facts` share.

A leaf: it imports no phase, so `mining.context` can name these types and every phase module can import
the context without an import loop. Each phase module re-imports its own types (`discovery.Model`, …).
"""
from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any


# --- discovery --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Projection:
    """The log seen through a set of activities: variants with case counts, and its DFG."""

    activities: tuple[str, ...]
    variants: tuple[tuple[tuple[str, ...], int], ...]
    dfg: dict[tuple[str, str], int]
    start: dict[str, int]
    end: dict[str, int]
    cases: int
    activities_total: int


@dataclass
class Model:
    """A Petri net (from discovery or a file), with how it was obtained."""

    net: Any
    initial_marking: Any
    final_marking: Any
    source: str                    # 'discovered' | 'given'
    method: str
    reason: str
    seconds: float
    tree: Any = None
    bpmn: Any = None
    settings: dict[str, Any] = field(default_factory=dict)

    @property
    def labels(self) -> set[str]:
        return {t.label for t in self.net.transitions if t.label is not None}


@dataclass(frozen=True)
class ProcessMap:
    dot: str
    activities: tuple[str, ...]
    edges: tuple[tuple[str, str], ...]
    activities_total: int
    edges_total: int


# --- conformance ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Deviation:
    activity: str
    log_moves: int
    model_moves: int
    cases_deviating: int
    share: float


@dataclass(frozen=True)
class Conformance:
    model_source: str
    variants: int
    cases: int
    fitness: float | None
    precision: float | None
    precision_basis: str
    aligned_variants: int
    aligned_cases: int
    alignment_fitness: float | None
    alignment_timeouts: int
    seconds: float
    deviations: tuple[Deviation, ...]
    settings: dict[str, Any] = field(default_factory=dict)


# --- insights ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class InsightInputs:
    """What the insight phases read from the store besides the in-memory tables `load` builds."""

    external: tuple[str, ...] = ()              # stored resource values matched by --external
    quality: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Bottleneck:
    """One ranked entry of `bottlenecks.json` (the contract fields) plus the internal share."""

    rank: int
    activity: str
    edge: tuple[str, str] | None
    occurrences: int
    median_wait_hours: float | None
    total_wait_hours: float
    wait_basis: str
    internal: bool
    resources: int
    evidence: tuple[str, ...]
    internal_share: float
    evidence_by_lang: dict[str, tuple[str, ...]] = field(default_factory=dict, compare=False)

    def contract(self) -> dict[str, Any]:
        d = asdict(self)
        d.pop("internal_share")
        d.pop("evidence_by_lang")
        d["edge"] = list(self.edge) if self.edge else None
        d["evidence"] = list(self.evidence)
        return d


@dataclass(frozen=True)
class Rework:
    """One entry of rework.json; `between` and `median_hours_added` are kept in the store too."""

    activities: tuple[str, ...]
    kind: str
    cases: int
    case_share: float
    hours_added: float | None
    evidence: tuple[str, ...]
    between: str = "activities"
    median_hours_added: float | None = None
    key: tuple[str, ...] = ()          # repeat: (A,); ping-pong: (A, B); loop: the edge going back
    evidence_by_lang: dict[str, tuple[str, ...]] = field(default_factory=dict, compare=False)

    def contract(self) -> dict[str, Any]:
        return {"activities": list(self.activities), "kind": self.kind, "cases": self.cases,
                "case_share": self.case_share, "hours_added": self.hours_added, "evidence": list(self.evidence)}


@dataclass(frozen=True)
class NeedlessStep:
    activity: str
    cases_with: int
    cases_without: int
    outcome_test: str | None
    p_outcome: float | None
    q_outcome: float | None
    cramers_v: float | None
    p_duration: float | None
    q_duration: float | None
    rank_biserial: float | None
    median_hours_with: float | None
    median_hours_without: float | None
    hours_added: float | None
    attribute_score: float | None
    resource_score: float | None
    predicted_by: str
    verdict: str
    evidence: tuple[str, ...]
    habit_basis: str | None = None
    evidence_by_lang: dict[str, tuple[str, ...]] = field(default_factory=dict, compare=False)
