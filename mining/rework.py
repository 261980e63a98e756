"""Rework: steps done again within a case — repeats, loops back, and ping-pong — with the time they add.

An event is a *return* when its activity already occurred earlier in the case; consecutive returns form
one rework instance (a loop body done again). Each instance is classified by how it was entered:
- `repeat`: the activity right after itself (A A). Done by another person it may be a duplicate, or a
  four-eyes check by design; the evidence says which it looks like (who, and how soon after).
- `ping-pong`: back to the activity before last (A B A): a case bouncing between two steps.
- `loop`: back to an earlier activity further away; keyed by the edge that goes back (e.g. "Retur til
  saksbehandler → Faglig vurdering"), shown with the cycle most cases run through.
Ping-pong between *people* is found separately: the case's own staff taking turns x → y → x → y.

The time an instance adds runs from the first completion of the activity it ends on to that
activity's last completion (so two rounds count twice), in calendar hours between second-precision
events. All of it is DuckDB SQL over `ins_ev`; Python only phrases the few resulting rows.
"""
from __future__ import annotations


import duckdb

from . import report as text
from .context import MiningContext
from .findings import Rework
from .insights_results import activity_names, by_lang_json, options_of, output, sentences_by_lang

US_PER_HOUR = 3_600_000_000
MIN_CASES = 3
MIN_CASE_SHARE = 0.005
MAX_PATTERNS = 50
DUPLICATE_GAP_HOURS = 1.0
MOSTLY = 0.8


def _instances(con: duckdb.DuckDBPyConnection) -> None:
    """`ins_rw`: one row per rework instance with its kind, key, cycle (activity ids) and added hours."""
    con.execute(f"""
        CREATE OR REPLACE TEMP TABLE ins_rw AS
        WITH again AS (  -- only cases with a repeated activity can hold rework
            SELECT cid FROM ins_ev GROUP BY cid HAVING count(*) > count(DISTINCT aid)
        ),
        r AS (
            SELECT cid, pos, aid, rid, end_us, is_day, prev_aid,
                   row_number() OVER s AS occ,
                   lag(pos) OVER s AS prev_same_pos,
                   first_value(end_us) OVER s AS first_same_end_us,
                   first_value(is_day) OVER s AS first_same_is_day,
                   lag(rid) OVER c AS prev_rid,
                   lag(end_us) OVER c AS prev_end_us
            FROM ins_ev SEMI JOIN again USING (cid)
            WINDOW s AS (PARTITION BY cid, aid ORDER BY pos),
                   c AS (PARTITION BY cid ORDER BY pos)
        ),
        g AS (SELECT *, sum(CAST(occ = 1 AS INTEGER)) OVER (PARTITION BY cid ORDER BY pos) AS grp FROM r),
        inst AS (
            SELECT cid, grp, min(pos) AS i, max(pos) AS j,
                   arg_min(prev_aid, pos) AS back_source, arg_min(aid, pos) AS back_target,
                   arg_min(prev_same_pos, pos) AS k_i,
                   arg_max(prev_same_pos, pos) AS k_j,
                   arg_min(rid, pos) AS rid_i, arg_min(prev_rid, pos) AS prev_rid_i,
                   arg_min(end_us - prev_end_us, pos) AS gap_us,
                   arg_max(end_us, pos) - arg_max(first_same_end_us, pos) AS added_us,
                   bool_or(is_day) OR arg_max(first_same_is_day, pos) AS any_day
            FROM g WHERE occ > 1 GROUP BY cid, grp
        ),
        k AS (
            SELECT *, CASE WHEN k_i = i - 1 THEN 'repeat' WHEN k_i = i - 2 THEN 'ping-pong' ELSE 'loop' END AS kind
            FROM inst
        ),
        cyc AS (  -- the cycle the instance closes: from the earlier occurrence of its last activity to it
            SELECT k.cid, k.grp, list(e.aid ORDER BY e.pos) AS cycle
            FROM k JOIN (SELECT cid, pos, aid FROM ins_ev SEMI JOIN again USING (cid)) e
                 ON e.cid = k.cid AND e.pos BETWEEN k.k_j AND k.j
            WHERE k.kind = 'loop'
            GROUP BY k.cid, k.grp
        )
        SELECT k.cid, k.kind,
               CASE k.kind WHEN 'repeat' THEN [k.back_target]
                           WHEN 'ping-pong' THEN list_sort([k.back_source, k.back_target])
                           ELSE [k.back_source, k.back_target] END AS pattern_key,
               CASE k.kind WHEN 'repeat' THEN [k.back_target, k.back_target]
                           WHEN 'ping-pong' THEN [k.back_target, k.back_source, k.back_target]
                           ELSE c.cycle END AS cycle,
               k.rid_i IS NOT NULL AND k.prev_rid_i IS NOT NULL AND k.rid_i <> k.prev_rid_i AS other_person,
               k.rid_i IS NOT NULL AND k.rid_i = k.prev_rid_i AS same_person,
               k.gap_us / {US_PER_HOUR} AS gap_hours,
               CASE WHEN NOT k.any_day THEN k.added_us / {US_PER_HOUR} END AS added_hours
        FROM k LEFT JOIN cyc c ON c.cid = k.cid AND c.grp = k.grp
    """)


def _person_ping_pong(con: duckdb.DuckDBPyConnection) -> None:
    """`ins_pp`: cases whose own staff take turns x → y → x → y (segments of one person's work)."""
    con.execute(f"""
        CREATE OR REPLACE TEMP TABLE ins_pp AS
        WITH p AS (
            SELECT e.cid, e.pos, e.aid, e.rid, e.end_us,
                   lag(e.end_us) OVER (PARTITION BY e.cid ORDER BY e.pos) AS prev_end_us
            FROM ins_ev e JOIN ins_rkind k USING (rid)
            WHERE k.kind = 'person'
        ),
        seg AS (  -- the first event of each run of one person's consecutive work
            SELECT * FROM (
                SELECT *, lag(rid) OVER (PARTITION BY cid ORDER BY pos) AS prev_rid FROM p
            ) WHERE prev_rid IS NULL OR prev_rid <> rid
        ),
        s AS (
            SELECT cid, pos, aid, rid, prev_end_us,
                   lag(rid, 1) OVER w AS r1, lag(rid, 2) OVER w AS r2, lag(rid, 3) OVER w AS r3,
                   lag(aid, 1) OVER w AS a1, lag(aid, 2) OVER w AS a2,
                   lag(prev_end_us, 2) OVER w AS prev_end_2
            FROM seg WINDOW w AS (PARTITION BY cid ORDER BY pos)
        )
        SELECT cid, [a2, a1, aid] AS cycle, [a2, a1] AS pattern_key,
               (prev_end_us - prev_end_2) / {US_PER_HOUR} AS added_hours
        FROM s WHERE r3 IS NOT NULL AND rid = r2 AND r1 = r3 AND rid <> r1
    """)


def _named(cycle: list[int] | None, names: dict[int, str]) -> tuple[str, ...]:
    return tuple(names[a] for a in cycle or ())


def find(con: duckdb.DuckDBPyConnection, *, lang: str = "nb") -> list[Rework]:
    """Rework patterns with their cases, share of all cases and added hours (needs `insights_results.prepare`)."""
    _instances(con)
    _person_ping_pong(con)
    names = activity_names(con)
    total_cases = con.execute("SELECT count(*) FROM ins_cases").fetchone()[0] or 1
    min_cases = max(MIN_CASES, int(MIN_CASE_SHARE * total_cases))
    rows = con.execute("""
        WITH per_case AS (
            SELECT kind, pattern_key, cid, sum(added_hours) AS added,
                   count(*) AS instances, count(*) FILTER (WHERE other_person) AS other,
                   count(*) FILTER (WHERE same_person) AS same, median(gap_hours) AS gap
            FROM ins_rw GROUP BY ALL
        ),
        modal AS (  -- the cycle most instances of the pattern run through
            SELECT kind, pattern_key, list(cycle ORDER BY n DESC, cycle)[1] AS cycle FROM (
                SELECT kind, pattern_key, cycle, count(*) AS n FROM ins_rw GROUP BY ALL
            ) GROUP BY ALL
        )
        SELECT p.kind, p.pattern_key, count(*) AS cases, sum(added) AS added, median(added) AS med_added,
               any_value(m.cycle) AS cycle, sum(instances) AS instances, sum(other) AS other, sum(same) AS same,
               median(gap) AS gap
        FROM per_case p JOIN modal m ON m.kind = p.kind AND m.pattern_key = p.pattern_key
        GROUP BY p.kind, p.pattern_key HAVING count(*) >= ?
        ORDER BY cases DESC, p.kind, p.pattern_key
    """, [min_cases]).fetchall()
    pp = con.execute("""
        WITH per_case AS (SELECT pattern_key, cid, sum(added_hours) AS added FROM ins_pp GROUP BY ALL),
        modal AS (
            SELECT pattern_key, list(cycle ORDER BY n DESC, cycle)[1] AS cycle FROM (
                SELECT pattern_key, cycle, count(*) AS n FROM ins_pp GROUP BY ALL
            ) GROUP BY ALL
        )
        SELECT p.pattern_key, count(*) AS cases, sum(added), median(added), any_value(m.cycle)
        FROM per_case p JOIN modal m USING (pattern_key)
        GROUP BY p.pattern_key HAVING count(*) >= ? ORDER BY 2 DESC, 1
    """, [min_cases]).fetchall()
    out: list[Rework] = []
    for kind, key, cases, added, med, cycle, instances, other, same, gap in rows:
        acts = _named(cycle, names)
        key = [names[a] for a in key]
        share = cases / total_cases

        def sentences(lg: str) -> list[str]:
            t = text.Text(lg)
            ev = [_sentence(t, kind, key, acts, cases, share, added, med)]
            if kind == "repeat":
                ev.append(_repeat_sentence(t, key[0], instances, other, same, gap))
            return ev

        by_lang = sentences_by_lang(sentences)
        out.append(Rework(activities=acts, kind=kind, cases=int(cases), case_share=share,
                          hours_added=None if added is None else float(added), evidence=by_lang[lang],
                          median_hours_added=None if med is None else float(med), key=tuple(key),
                          evidence_by_lang=by_lang))
    for _key, cases, added, med, cycle in pp:
        acts = _named(cycle, names)
        share = cases / total_cases
        by_lang = sentences_by_lang(lambda lg: [_people_sentence(text.Text(lg), acts, cases, share, added, med)])
        out.append(Rework(activities=acts, kind="ping-pong", cases=int(cases), case_share=share,
                          hours_added=None if added is None else float(added), evidence=by_lang[lang],
                          between="resources", median_hours_added=None if med is None else float(med),
                          evidence_by_lang=by_lang))
    out.sort(key=lambda r: (-r.cases, r.kind, r.activities))
    return out[:MAX_PATTERNS]


def _people_sentence(t: text.Text, acts: tuple[str, ...], cases: int, share: float, added: float | None,
                     med: float | None) -> str:
    steps = " → ".join(t.quote(a) for a in acts)
    return t.tr("rework.the_case_goes_back",
                cases=t.int(cases), share=t.pct(share, 1), steps=steps, med=t.hours(med, days=True),
                added=t.hours(added))


def _sentence(t: text.Text, kind: str, key: list[str], acts: tuple[str, ...], cases: int, share: float,
              added: float | None, med: float | None) -> str:
    q = t.quote
    cost = t.tr("rework.it_adds_a_median", med=t.hours(med, days=True), added=t.hours(added))
    n = t.tr("rework.cases_of_cases", cases=t.int(cases), share=t.pct(share, 1))
    if kind == "repeat":
        return t.tr("rework.is_done_again_right", key_low=q(key[0]), n=n, cost=cost)
    if kind == "ping-pong":
        return t.tr("rework.the_case_goes_back_3", key_low=q(key[0]), key_high=q(key[1]), n=n, cost=cost)
    cycle = " → ".join(q(a) for a in acts)
    return t.tr("rework.the_case_goes_back_2", key_low=q(key[0]), key_high=q(key[1]), n=n, cycle=cycle, cost=cost)


def _repeat_sentence(t: text.Text, activity: str, instances: int, other: int, same: int,
                     gap: float | None) -> str:
    """Duplicate or four-eyes check: say which it looks like, with the numbers behind it."""
    other_share = other / instances if instances else 0.0
    same_share = same / instances if instances else 0.0
    when = t.tr("rework.a_median_of_after", gap=t.hours(gap))
    if other_share >= MOSTLY:
        return t.tr("rework.of_the_repeats_are_2", other_share=t.pct(other_share), when=when)
    if same_share >= MOSTLY and gap is not None and gap <= DUPLICATE_GAP_HOURS:
        return t.tr("rework.of_the_repeats_are_3", same_share=t.pct(same_share), when=when)
    return t.tr("rework.of_the_repeats_are", other_share=t.pct(other_share), same_share=t.pct(same_share), when=when)


def sending_back(found: list[Rework], activity_cases: dict[str, int], *, share: float = 0.5) -> frozenset[str]:
    """Activities that send cases back: sources of loop edges in at least `share` of their own cases."""
    return frozenset(r.key[0] for r in found if r.kind == "loop" and r.between == "activities" and r.key
                     and r.cases >= share * activity_cases.get(r.key[0], 0) > 0)


def run_phase(ctx: MiningContext) -> None:
    """Phase `rework`: find rework patterns and store `mining_rework`."""
    options = options_of(ctx)
    found = find(ctx.con, lang=options.lang)
    ctx.facts.rework = found
    output(ctx, "mining_rework", [
        {"activities": list(r.activities), "kind": r.kind, "between": r.between, "cases": r.cases,
         "case_share": r.case_share, "hours_added": r.hours_added, "median_hours_added": r.median_hours_added,
         "evidence": list(r.evidence), "evidence_by_lang": by_lang_json(r.evidence_by_lang)} for r in found])
