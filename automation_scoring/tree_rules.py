"""A fitted decision tree's paths to one class as a short readable rule: DNF terms, simplified on the data."""
from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from .decision_data import _Col


# --- rules from a fitted tree -------------------------------------------------------------------


@dataclass
class _Term:
    """One path: per column, bounds (lo < x ≤ hi) and whether missing values go this way."""

    bounds: dict[int, list[float]]
    missing_ok: dict[int, bool]

    def mask(self, X: np.ndarray) -> np.ndarray:
        m = np.ones(X.shape[0], dtype=bool)
        for j, (lo, hi) in self.bounds.items():
            x = X[:, j]
            ok = (x > lo) & (x <= hi)
            if self.missing_ok.get(j, False):
                ok |= np.isnan(x)
            m &= ok
        return m


def _paths(tree, target_index: int, *, plurality: bool = False) -> list[_Term]:
    """Paths to leaves predicting the target: by majority (> half), or by plurality in a multi-class tree."""
    t = tree.tree_
    out: list[_Term] = []
    missing_left = getattr(t, "missing_go_to_left", None)

    def walk(node: int, bounds: dict[int, list[float]], miss: dict[int, bool]) -> None:
        left, right = t.children_left[node], t.children_right[node]
        if left == right:  # a leaf
            value = t.value[node][0]
            wins = (int(value.argmax()) == target_index) if plurality else value[target_index] / value.sum() > 0.5
            if value.sum() > 0 and wins:
                out.append(_Term({k: list(v) for k, v in bounds.items()}, dict(miss)))
            return
        j, thr = int(t.feature[node]), float(t.threshold[node])
        go_left = bool(missing_left[node]) if missing_left is not None else True
        lo, hi = bounds.get(j, [-math.inf, math.inf])
        lb = dict(bounds)
        lb[j] = [lo, min(hi, thr)]
        lm = dict(miss)
        lm[j] = miss.get(j, True) and go_left
        walk(left, lb, lm)
        rb = dict(bounds)
        rb[j] = [max(lo, thr), hi]
        rm = dict(miss)
        rm[j] = miss.get(j, True) and not go_left
        walk(right, rb, rm)

    walk(0, {}, {})
    return out


def _dnf(terms: list[_Term], X: np.ndarray) -> np.ndarray:
    m = np.zeros(X.shape[0], dtype=bool)
    for term in terms:
        m |= term.mask(X)
    return m


def _simplify(terms: list[_Term], X: np.ndarray) -> list[_Term]:
    """Drop each bound, then each path, whose removal selects exactly the same decisions."""
    target = _dnf(terms, X)
    terms = [_Term({k: list(v) for k, v in t.bounds.items()}, dict(t.missing_ok)) for t in terms]
    for term in terms:
        for j in sorted(term.bounds):
            for side in (0, 1):
                old = term.bounds[j][side]
                if math.isinf(old):
                    continue
                term.bounds[j][side] = -math.inf if side == 0 else math.inf
                if not np.array_equal(_dnf(terms, X), target):
                    term.bounds[j][side] = old
            if all(math.isinf(b) for b in term.bounds[j]):
                del term.bounds[j]
                term.missing_ok.pop(j, None)
    kept = list(terms)
    for term in sorted(terms, key=lambda t: int(t.mask(X).sum())):
        rest = [t for t in kept if t is not term]
        if rest and np.array_equal(_dnf(rest, X), target):
            kept = rest
    return kept


def _fmt(x: float) -> str:
    return f"{x:,.4g}".replace(",", " ") if abs(x) >= 1000 else f"{x:.4g}"


def _condition_texts(term: _Term, spec: list[_Col]) -> list[tuple[int, str, str]]:
    """(order, name, text) per merged condition of one path."""
    out: list[tuple[int, str, str]] = []
    cats: dict[str, tuple[list[str], list[str], tuple[str, ...]]] = {}
    for j, (lo, hi) in term.bounds.items():
        col = spec[j]
        if col.kind == "cat":
            eq, ne, _ = cats.setdefault(col.name, ([], [], tuple(sorted((col.level or "",) + col.others))))
            (eq if lo >= 0.5 else ne).append(col.level or "")
            continue
        if col.kind == "hist":
            q = f"\u201c{col.name}\u201d"
            lo_n = -1 if math.isinf(lo) else math.floor(lo)
            hi_n = None if math.isinf(hi) else math.floor(hi)
            if hi_n is not None and hi_n <= 0:
                out.append((3, col.name, f"{q} not done yet"))
            elif hi_n is None and lo_n <= 0:
                out.append((3, col.name, f"{q} done"))
            elif hi_n is None:
                out.append((3, col.name, f"{q} done more than {lo_n} times"))
            elif lo_n <= 0:
                out.append((3, col.name, f"{q} done at most {hi_n} times"))
            else:
                out.append((3, col.name, f"{q} done {lo_n + 1} to {hi_n} times"))
            continue
        miss = " (or unknown)" if term.missing_ok.get(j, False) else ""
        if col.integer:
            lo_t = None if math.isinf(lo) else math.floor(lo) + 1   # x > lo ⇔ x ≥ floor(lo) + 1
            hi_t = None if math.isinf(hi) else math.floor(hi) + 1   # x ≤ hi ⇔ x < floor(hi) + 1
            if lo_t is not None and hi_t is not None:
                text = f"{lo_t} ≤ {col.name} < {hi_t}"
            elif hi_t is not None:
                text = f"{col.name} < {hi_t}"
            else:
                text = f"{col.name} ≥ {lo_t}"
        else:
            if not math.isinf(lo) and not math.isinf(hi):
                text = f"{_fmt(lo)} < {col.name} ≤ {_fmt(hi)}"
            elif not math.isinf(hi):
                text = f"{col.name} ≤ {_fmt(hi)}"
            else:
                text = f"{col.name} > {_fmt(lo)}"
        out.append((2, col.name, text + miss))
    for name, (eq, ne, levels) in cats.items():
        rest = [v for v in levels if v not in ne]
        if not eq and len(levels) > 1 and len(rest) == 1:
            eq = rest  # "≠ nei" of a yes/no attribute reads better as "= ja"
        if eq:
            out.append((0, name, f"{name} = {eq[0]}"))
        elif len(ne) == 1:
            out.append((1, name, f"{name} ≠ {ne[0]}"))
        else:
            out.append((1, name, f"{name} not in {{{', '.join(sorted(ne))}}}"))
    return sorted(out)


def rule_text(terms: list[_Term], spec: list[_Col], X: np.ndarray, target: str) -> tuple[str | None, tuple[str, ...]]:
    """Plain words for a set of paths: `a < 3, or b = x and a < 5 → target`, busiest path first."""
    if not terms:
        return None, ()
    ordered = sorted(terms, key=lambda t: -int(t.mask(X).sum()))
    parts: list[str] = []
    uses: list[str] = []
    for term in ordered:
        conds = _condition_texts(term, spec)
        if not conds:
            return f"always → {target}", ()
        parts.append(" and ".join(c[2] for c in conds))
        uses.extend(c[1] for c in conds)
    return ", or ".join(parts) + f" → {target}", tuple(dict.fromkeys(uses))
