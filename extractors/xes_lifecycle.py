"""XES lifecycle: FIFO pairing of start/complete and folding of schedule & co., vectorised in numpy."""
from __future__ import annotations

from dataclasses import dataclass

import duckdb
import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from .staging import _clean
from .xes_scan import _codes, _numpy, _untrimmed
from .xes_structure import _Parsed

FOLDED = ("schedule", "assign", "reassign", "suspend", "resume")


@dataclass
class _Life:
    events: pa.Table            # what is staged: without paired starts and folded rows, with `__start:` columns
    folds: pa.Table | None      # target, lc, ts_raw of folded transitions
    fold_names: list[str]
    stats: dict[str, int]


def _group_cumsum(x: np.ndarray, first: np.ndarray) -> np.ndarray:
    """Cumulative sum of `x` restarting where `first` is true."""
    cs = np.cumsum(x)
    starts = np.flatnonzero(first)
    return cs - np.repeat(cs[starts] - x[starts], np.diff(np.r_[starts, len(x)]))


def _lifecycle(con: duckdb.DuckDBPyConnection, parsed: _Parsed, parts: list[str]) -> _Life | None:
    """FIFO pairs of start/complete per (case, activity), and the folding of schedule & co., in numpy.

    Only events that will not be rejected take part. None when the log has no start and nothing to fold.
    """
    ev = parsed.events
    if "lifecycle:transition" not in ev.column_names:
        return None
    lc_codes, lc_names = _codes(pc.utf8_lower(pc.utf8_trim_whitespace(ev.column("lifecycle:transition"))))
    code = {name: i for i, name in enumerate(lc_names)}
    start_c, complete_c = code.get("start", -2), code.get("complete", -2)
    fold_c = {code[f]: f for f in FOLDED if f in code}
    if start_c < 0 and not fold_c:
        return None
    n = parsed.n_events
    # who takes part: a trace with an id, an activity, a timestamp that parses
    trace = _numpy(ev.column("__trace"))
    ok = np.ones(n, dtype=bool)
    if "concept:name" in parsed.traces.column_names:
        tid = parsed.traces.column("concept:name")
        lengths = pc.utf8_length(pc.utf8_trim_whitespace(tid))
        ok &= ((_numpy(lengths) > 0) & _numpy(lengths.is_valid()))[trace]
    else:
        ok[:] = False
    act = np.zeros(n, dtype=np.int64)
    for i, part in enumerate(parts):
        col = pc.utf8_trim_whitespace(ev.column(part)) if part in ev.column_names else pa.nulls(n, pa.string())
        codes, names = _codes(col)
        if "" in names:  # an empty value is a missing one
            codes[codes == names.index("")] = -1
        if i == 0:
            ok &= codes >= 0
        act = act * (len(names) + 1) + (codes + 1)
    ts = None
    if "time:timestamp" in ev.column_names:
        # parsed once here, and used again when staging (the column `__ts`)
        raw = ev.column("time:timestamp")
        text = _clean("t", not _untrimmed(raw))  # trimming copies every string
        con.register("__xes_ts", pa.table({"t": raw}))
        ts = con.sql(f"SELECT TRY_CAST({text} AS TIMESTAMPTZ) AS ts FROM __xes_ts").to_arrow_table()
        con.unregister("__xes_ts")
        ts = ts.column(0).combine_chunks()
        ok &= _numpy(ts.is_valid())
    else:
        ok[:] = False
    is_start, is_complete = lc_codes == start_c, lc_codes == complete_c
    is_fold = np.isin(lc_codes, list(fold_c)) if fold_c else np.zeros(n, dtype=bool)
    cand = np.flatnonzero(ok & (is_start | is_complete | is_fold))
    # rows of one (case, activity) together, in file order: traces already come in order, so a stable
    # sort on (trace, activity) meets long sorted runs
    order = np.argsort(trace[cand].astype(np.int64) * (int(act.max()) + 1) + act[cand], kind="stable")
    sc = cand[order]
    g_new = np.r_[True, (trace[sc][1:] != trace[sc][:-1]) | (act[sc][1:] != act[sc][:-1])]
    gid = np.cumsum(g_new) - 1
    pairable = is_start[sc] | is_complete[sc]

    # FIFO: the k-th complete that finds an open start takes the oldest; u counts the completes that
    # found none so far (the running maximum of completes − starts, floored at 0)
    P = np.flatnonzero(pairable)
    pg = gid[P]
    first = np.r_[True, pg[1:] != pg[:-1]] if len(P) else np.zeros(0, dtype=bool)
    ps, pcm = is_start[sc[P]], is_complete[sc[P]]
    s_cum = _group_cumsum(ps.astype(np.int64), first)
    c_cum = _group_cumsum(pcm.astype(np.int64), first)
    grp = np.cumsum(first) - 1
    span = 2 * (len(P) + 1)
    u = np.maximum(np.maximum.accumulate(c_cum - s_cum + grp * span) - grp * span, 0) if len(P) else s_cum
    u_prev = np.r_[0, u[:-1]] if len(P) else u
    u_prev[first] = 0
    matched = pcm & (u == u_prev)
    s_pos = np.flatnonzero(ps)
    first_start = np.searchsorted(grp[s_pos], np.arange(grp.max() + 1 if len(P) else 0))
    mc = np.flatnonzero(matched)
    k = (c_cum - u)[mc]
    start_seq = sc[P[s_pos[first_start[grp[mc]] + k - 1]]]
    complete_seq = sc[P[mc]]
    acts_with_start = np.unique(act[sc[P[s_pos]]])
    unmatched_c = pcm & (u != u_prev) & np.isin(act[sc[P]], acts_with_start)
    partner = np.full(n, -1, dtype=np.int64)
    partner[start_seq] = complete_seq

    # folding: the next start/complete of the group, else the previous, a paired start standing for its pair
    F = np.flatnonzero(~pairable)
    fold_seq = target = np.zeros(0, dtype=np.int64)
    fold_names: list[str] = []
    folds = None
    if len(F):
        pos = np.arange(len(sc))
        nxt = np.minimum.accumulate(np.where(pairable, pos, len(sc))[::-1])[::-1]
        prv = np.maximum.accumulate(np.where(pairable, pos, -1))
        nf, pf = nxt[F], prv[F]
        ok_n = (nf < len(sc)) & (gid[np.minimum(nf, len(sc) - 1)] == gid[F])
        ok_p = (pf >= 0) & (gid[np.maximum(pf, 0)] == gid[F])
        at = np.where(ok_n, nf, np.where(ok_p, pf, -1))
        has = at >= 0
        fold_seq = sc[F[has]]
        t = sc[at[has]]
        target = np.where(partner[t] >= 0, partner[t], t)
        lc_of = np.array([fold_c.get(i, "") for i in range(len(lc_names))] + [""], dtype=object)
        fold_lc = lc_of[lc_codes[fold_seq]]
        fold_names = sorted(set(fold_lc.tolist()))
        folds = pa.table({"target": pa.array(target), "lc": pa.array(fold_lc.tolist(), pa.string()),
                          "ts_raw": ev.column("time:timestamp").take(pa.array(fold_seq))})
    unfolded = len(F) - len(fold_seq)

    # the staged events: starts of pairs and folded rows go; a complete gets its start's values
    drop = np.zeros(n, dtype=bool)
    drop[start_seq] = True
    drop[fold_seq] = True
    start_of = np.full(n, -1, dtype=np.int64)
    start_of[complete_seq] = start_seq
    # the dropped rows are filtered in SQL: no copy of the whole table here
    events = ev.append_column("__drop", pa.array(drop))
    if ts is not None:
        events = events.append_column("__ts", ts)
    if len(start_seq):
        idx = pa.array(start_of, mask=start_of < 0)
        for name in ev.column_names:
            # the start's time is taken parsed (`__start:__ts`), not parsed again from its text
            if name not in ("__seq", "__trace", "lifecycle:transition", "time:timestamp", *parts):
                events = events.append_column(f"__start:{name}", ev.column(name).take(idx))
        if ts is not None:
            events = events.append_column("__start:__ts", ts.take(idx))
    stats = {"paired_starts": len(start_seq), "folded_transitions": len(fold_seq), "unfolded_transitions": unfolded,
             "unmatched_starts": int(ps.sum()) - len(start_seq), "unmatched_completes": int(unmatched_c.sum())}
    return _Life(events=events, folds=folds, fold_names=fold_names, stats=stats)
