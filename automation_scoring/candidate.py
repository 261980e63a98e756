"""A candidate for change (what it claims, on what evidence), its stable id, and the mining results that
candidates are found in."""
from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Any


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
    claims: tuple[str, ...] = ()        # activities whose staff hours this candidate claims
    source: str = ""                    # which rule made it: simplify, decision, eliminate, automate, unblock

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
    collaboration: dict[str, Any] | None = None   # mining.collaboration_results.for_scoring, None before it
