"""XES rows → nesting (which trace each event belongs to) and attributes pivoted into one column per key."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa

from .errors import InputError
from .xes_scan import (
    ATTRIBUTE_TAGS, _CLOSE, _codes, _decoded, _diagnose, _EMPTY, _line_of, _ODD, _OPEN, _Rows, _take_ordered, _take_sorted,
    _unescape,
)


# --- structure ----------------------------------------------------------------------------------


@dataclass
class _Parsed:
    events: pa.Table        # __seq, __trace, then one text column per event attribute key
    traces: pa.Table        # __trace, then one text column per trace attribute key
    event_types: dict[str, str]
    trace_types: dict[str, str]
    globals: dict[str, dict[str, tuple[str, str | None]]]   # scope → key → (type, value)
    n_events: int
    n_traces: int


def _structure(rows: _Rows, path: Path) -> _Parsed:
    """Check the nesting and find traces, events and their attributes; pivot attributes to columns."""
    kind, tag, tags = rows.kind, rows.tag, rows.tags
    source = str(path)
    if (kind == _ODD).any():
        raise _diagnose(path, "markup that XES does not use (text content, CDATA or a DOCTYPE)")
    is_open = kind == _OPEN
    is_close = kind == _CLOSE
    delta = is_open.astype(np.int8) - is_close.astype(np.int8)
    after = np.cumsum(delta, dtype=np.int32)
    depth = after - delta
    del delta
    if len(after) == 0 or after.min() < 0 or after[-1] != 0:
        raise _diagnose(path, "unbalanced elements (the file may be truncated)")
    # every close tag closes the last open tag of its level, with the same name
    oc = np.flatnonzero(is_open | is_close)
    level = np.where(is_open[oc], depth[oc], depth[oc] - 1)
    for lv in np.unique(level):
        sel = oc[level == lv]
        opens, closes = sel[0::2], sel[1::2]
        if (len(sel) % 2 or not is_open[opens].all() or not is_close[closes].all()
                or (tag[opens] != tag[closes]).any()):
            raise _diagnose(path, "mismatched elements")
    tid = {name: i for i, name in enumerate(tags)}
    top = np.flatnonzero((is_open | (kind == _EMPTY)) & (depth == 0))
    if len(top) != 1:
        raise _diagnose(path, "more than one root element")
    if tags[tag[top[0]]] != "log":
        raise InputError(f"not an XES file: the root element is <{tags[tag[top[0]]]}>, not <log>", file=source)
    trace_t, event_t, global_t = (tid.get(n, -1) for n in ("trace", "event", "global"))
    attr_tag = np.zeros(len(tags), dtype=bool)
    attr_tag[[tid[n] for n in ATTRIBUTE_TAGS if n in tid]] = True
    # the enclosing level-1 element (trace, global …) and level-2 element (event …) of every row;
    # arrays go as soon as they are used: a million events are six million rows
    ar = np.arange(len(kind), dtype=np.int32 if len(kind) < 2**31 else np.int64)
    last1 = np.maximum.accumulate(np.where(is_open & (depth == 1), ar, 0))
    in_trace = tag[last1] == trace_t
    in_global = tag[last1] == global_t
    in_event = tag[np.maximum.accumulate(np.where(is_open & (depth == 2), ar, 0))] == event_t
    del ar
    element = is_open | (kind == _EMPTY)
    del is_open, is_close
    is_attr = element & attr_tag[tag] & rows.has_key
    at1, at2, at3 = depth == 1, depth == 2, depth == 3
    del depth, after
    trace_rows = element & at1 & (tag == trace_t)
    n_traces = int(trace_rows.sum())
    if n_traces == 0:
        raise InputError("the log has no traces", file=source)
    index_type = np.int32 if len(kind) < 2**31 else np.int64
    trace_of = np.cumsum(trace_rows, dtype=index_type) - 1
    event_rows = element & at2 & (tag == event_t) & in_trace
    n_events = int(event_rows.sum())
    event_of = np.cumsum(event_rows, dtype=index_type) - 1
    per_trace = np.bincount(trace_of[event_rows], minlength=n_traces)
    empty = np.flatnonzero(per_trace == 0)
    if len(empty):
        k = int(empty[0])
        line = _line_of(path, "trace", k)
        raise InputError(f"a trace without events ({len(empty):,} such traces)", file=source,
                         where=f"trace {k + 1}" + (f", line {line}" if line else ""))
    ev_attr = np.flatnonzero(is_attr & at3 & in_event & in_trace)
    tr_attr = np.flatnonzero(is_attr & at2 & in_trace)
    gl_attr = np.flatnonzero(is_attr & at2 & in_global)
    del element, is_attr, at1, at2, at3, in_trace, in_global, in_event

    globals_: dict[str, dict[str, tuple[str, str | None]]] = {}
    if len(gl_attr):
        scopes = _take_sorted(rows.key, last1[gl_attr]).to_pylist()
        keys = [_unescape(k) for k in _take_sorted(rows.key, gl_attr).to_pylist()]
        vals = [_unescape(v) for v in _take_sorted(rows.value, gl_attr).to_pylist()]
        for scope, k, v, t in zip(scopes, keys, vals, tag[gl_attr].tolist()):
            if k is not None:
                globals_.setdefault((scope or "event").strip().lower(), {})[k] = (tags[t], v)

    key_codes, key_names = _codes(rows.key)  # every row's first quoted text, coded once
    key_names = [_unescape(k) for k in key_names]
    if any("\x00" in k for k in key_names if k):
        # XML allows no NUL character at all (nor as &#0;), and no column can be named with one
        raise _diagnose(path, "a NUL character in an attribute key")
    rows.key = pa.chunked_array([], pa.string())  # the keys are codes now: their text goes

    def pivot(sel: np.ndarray, owner: np.ndarray, n_owners: int, id_name: str) -> tuple[pa.Table, dict[str, str]]:
        """One text column per key: the value of the attribute row `sel` of each owner (event or trace)."""
        cols: dict[str, Any] = {id_name: pa.array(np.arange(n_owners, dtype=np.int64))}
        types: dict[str, str] = {}
        if len(sel) == 0:
            return pa.table(cols), types
        kcodes = key_codes[sel]
        own = owner[sel]
        # small codes sort by radix; bincount finds the keys present
        order = np.argsort(kcodes.astype(np.int16) if len(key_names) < 2**15 - 1 else kcodes, kind="stable")
        counts = np.bincount(kcodes + 1, minlength=len(key_names) + 1)[1:]
        bounds = np.r_[0, np.cumsum(counts)] + int((kcodes < 0).sum())
        for code in np.flatnonzero(counts).tolist():
            name = key_names[code]
            if not name:  # key="": no name to store it under (and none SQL can quote)
                continue
            if name.startswith("__") and (id_name == "__seq" or name == id_name):
                name = f"{name} (xes)"  # the reader's own columns (__seq, __trace, __ts …) keep their names
            idx = order[bounds[code]:bounds[code + 1]]
            pos = np.full(n_owners, -1, dtype=np.int64)
            pos[own[idx]] = sel[idx]
            missing = pos < 0
            missing[~missing] = ~rows.has_value[pos[~missing]]
            ttags = tag[sel[idx]]
            xes_type = tags[ttags[0]] if ttags.min() == ttags.max() else "string"
            column = _take_ordered(rows.value, pos, missing)
            # entities can only be in text: dates and numbers need no look
            cols[name] = _decoded(column) if xes_type in ("string", "id") else column
            types[name] = xes_type
        return pa.table(cols), types

    events, event_types = pivot(ev_attr, event_of, n_events, "__seq")
    events = events.append_column("__trace", pa.array(trace_of[event_rows].astype(np.int64)))
    traces, trace_types = pivot(tr_attr, trace_of, n_traces, "__trace")
    return _Parsed(events=events, traces=traces, event_types=event_types, trace_types=trace_types,
                   globals=globals_, n_events=n_events, n_traces=n_traces)
