"""Handovers between organisational units, the citizen's doors and voices, and the DFG's loops.

"Én dør inn og én stemme ut": a case passed from the building office to the legal unit and back
costs waiting at every handover, and a citizen who hears from three units hears three voices. This
phase reads the events' `unit` (the store's `events.unit`) in case order (ts_end, event_seq), as every
other phase does:

- A *handover* is two consecutive events of a case, both with a unit, whose units differ. Events
  without a unit are skipped, not treated as a unit of their own. The *wait* at a handover runs from
  the sending event's completion to the receiving event's start where it has one (floored at 0), else
  to its completion; pairs with a date-only end have no wait in hours.
- A *return* is a handover into a unit the case has already visited: the case bounces (ping-pong
  between units). A case with at least one return is a ping-pong case.
- Only staff steps count: events by people, or with no resource at all. A system's or an outside
  party's event is not a unit handing the case on, whatever unit the source wrote on it (a log may
  file the self-service portal or the applicant under `enhet`).
- Where the log has no units, the actors are the people. Individual people are never shown: the
  graph is aggregated by resource kind, while the per-case figures count the distinct actors.
- A unit with 1–4 people (distinct person resources) is shown only merged with the other small units,
  as resources are shown only in groups of at least 5 (`MIN_PEOPLE`); if the merged group still has
  fewer than 5 people its rows are left out, and `hidden_units` says how many units that hid. A unit
  no person worked in (systems only, or a log without resources) is shown: it reveals nobody.
- *Doors* are events where the citizen gets in touch and *voices* events where the municipality
  speaks to the citizen (`contact` in `ins_ev`: the config's lists, else Noark 5 journal post types I
  and U). Per case: doors, voices, and the distinct units the voices came from (`voice_units`).
  Merging one letter per unit into a single letter would save `voice_units − 1` letters per case.
- *Loops and blocks*: the strongly connected components (networkx) of the directly-follows graph kept
  to transitions that at least 1 % of cases (and 3) make. A component of two or more activities is a
  part of the process cases can go round; it is stored (`loops`) for the report and the explorer.
  The candidates do not merge a component's rework candidates into one yet: `allocate` already keeps
  each step's hours with one of them.

All counting is DuckDB SQL over `ins_ev`; networkx sees only the few aggregated edges.
"""
from __future__ import annotations

import json
from typing import Any

import duckdb
import networkx as nx

from saksflyt.extractors import store
from saksflyt.extractors.sql_text import literal

from .context import MiningContext
from .insights_results import activity_names, options_of

US_PER_HOUR = 3_600_000_000
MIN_PEOPLE = 5              # a unit's figures are shown alone only when at least this many people worked there
LOOP_MIN_CASES = 3
LOOP_MIN_CASE_SHARE = 0.01
MANY_UNITS = 3              # a case passing this many units or more "passes many units"

_V1 = """
CREATE TABLE mining_handovers (
    log VARCHAR NOT NULL, run_id VARCHAR NOT NULL,
    basis VARCHAR NOT NULL CHECK (basis IN ('unit', 'resource')),
    source_unit VARCHAR, target_unit VARCHAR,
    count BIGINT NOT NULL, cases BIGINT NOT NULL, median_wait_hours DOUBLE, total_wait_hours DOUBLE,
    returns BIGINT NOT NULL, return_cases BIGINT NOT NULL, return_wait_hours DOUBLE,
    return_staff_hours DOUBLE, return_activities VARCHAR[] NOT NULL,
    source_activity VARCHAR, target_activity VARCHAR
);
CREATE TABLE mining_units (
    log VARCHAR NOT NULL, run_id VARCHAR NOT NULL,
    basis VARCHAR NOT NULL CHECK (basis IN ('unit', 'resource')),
    unit VARCHAR, units_merged INTEGER NOT NULL, people BIGINT NOT NULL,
    cases BIGINT NOT NULL, events BIGINT NOT NULL, staff_hours DOUBLE,
    median_wait_hours DOUBLE, total_wait_hours DOUBLE,
    handovers_in BIGINT NOT NULL, handovers_out BIGINT NOT NULL, returns_in BIGINT NOT NULL,
    first_cases BIGINT NOT NULL, last_cases BIGINT NOT NULL, voices BIGINT NOT NULL
);
CREATE TABLE mining_case_units (
    log VARCHAR NOT NULL, run_id VARCHAR NOT NULL,
    case_id VARCHAR NOT NULL, units INTEGER NOT NULL, handovers INTEGER NOT NULL, returns INTEGER NOT NULL,
    handover_wait_hours DOUBLE, doors INTEGER NOT NULL, voices INTEGER NOT NULL, voice_units INTEGER NOT NULL
);
CREATE TABLE mining_collaboration (
    log VARCHAR NOT NULL, run_id VARCHAR NOT NULL,
    basis VARCHAR NOT NULL CHECK (basis IN ('unit', 'resource', 'none')),
    cases BIGINT NOT NULL, cases_with_unit BIGINT NOT NULL, units BIGINT NOT NULL, hidden_units BIGINT NOT NULL,
    handovers BIGINT NOT NULL, cases_with_handover BIGINT NOT NULL, returns BIGINT NOT NULL,
    ping_pong_cases BIGINT NOT NULL, ping_pong_share DOUBLE,
    median_units_per_case DOUBLE, max_units_per_case INTEGER, handover_wait_hours DOUBLE,
    median_handover_wait_hours DOUBLE,
    contacts_source VARCHAR NOT NULL CHECK (contacts_source IN ('config', 'noark5', 'none')),
    doors BIGINT NOT NULL, voices BIGINT NOT NULL,
    cases_multi_voice BIGINT NOT NULL, multi_voice_share DOUBLE,
    cases_repeat_door BIGINT NOT NULL, repeat_door_share DOUBLE,
    letters_saved BIGINT NOT NULL, cases_many_units BIGINT NOT NULL, many_units_wait_hours DOUBLE,
    voices_by_unit JSON NOT NULL, loops JSON NOT NULL, incoming VARCHAR[] NOT NULL, outgoing VARCHAR[] NOT NULL
);
"""
store.register("mining_collaboration", 1,
               "handovers between units, units, per-case units and contacts, and the DFG's loops", _V1)

TABLES = ("mining_handovers", "mining_units", "mining_case_units", "mining_collaboration")


# Whose steps count as a unit's work: people's, and steps with no resource kind known. A system's or an
# outside party's event is not the unit passing the case on, whatever unit the source wrote on it (a
# log may file the citizen and the self-service portal under `enhet` too).
STAFF = "coalesce(k.kind, 'unknown') IN ('person', 'unknown')"


def _basis(con: duckdb.DuckDBPyConnection) -> str:
    """'unit' where any staff event has a unit, else 'resource' where any staff resource acts, else 'none'."""
    units, people = con.execute(f"""
        SELECT count(CASE WHEN {STAFF} THEN e.uid END), count(CASE WHEN {STAFF} THEN e.rid END)
        FROM ins_ev e LEFT JOIN ins_rkind k ON k.rid = e.rid
    """).fetchall()[0]
    return "unit" if units else ("resource" if people else "none")


def actor_events(con: duckdb.DuckDBPyConnection, basis: str) -> None:
    """`ho_ev`: the staff events with an actor (their unit, or their resource), in case order, with the
    handover and return flags and the wait at each handover (see the module's definitions)."""
    actor = f"CASE WHEN {STAFF} THEN {'e.uid' if basis == 'unit' else 'e.rid'} END"
    con.execute(f"""
        CREATE OR REPLACE TABLE ho_ev AS
        WITH a AS (
            SELECT e.cid, e.pos, e.aid, e.rid, coalesce(k.kind, 'unknown') AS kind, {actor} AS actor,
                   e.end_us, e.start_us, e.is_day
            FROM ins_ev e LEFT JOIN ins_rkind k ON k.rid = e.rid
        ),
        w AS (
            SELECT *, lag(actor) OVER o AS prev_actor, lag(kind) OVER o AS prev_kind, lag(aid) OVER o AS prev_aid,
                   lag(end_us) OVER o AS prev_end_us, lag(is_day) OVER o AS prev_is_day,
                   min(pos) OVER (PARTITION BY cid, actor) AS first_pos,
                   row_number() OVER (PARTITION BY cid, aid ORDER BY pos) > 1 AS is_repeat,
                   row_number() OVER o AS apos, count(*) OVER (PARTITION BY cid) AS n
            FROM a WHERE actor IS NOT NULL
            WINDOW o AS (PARTITION BY cid ORDER BY pos)
        ),
        f AS (
            SELECT cid, pos, aid, prev_aid, rid, kind, actor, prev_actor, prev_kind, end_us, start_us, is_day, is_repeat,
                   apos = 1 AS is_first, apos = n AS is_last,
                   prev_actor IS NOT NULL AND actor <> prev_actor AS handover,
                   prev_actor IS NOT NULL AND actor <> prev_actor AND first_pos < pos AS is_return,
                   CASE WHEN prev_actor IS NOT NULL AND actor <> prev_actor AND NOT is_day AND NOT prev_is_day
                        THEN greatest(coalesce(start_us, end_us) - prev_end_us, 0) / {US_PER_HOUR} END AS wait_hours,
                   CASE WHEN kind = 'person' AND start_us IS NOT NULL AND NOT is_day
                        THEN (end_us - start_us) / {US_PER_HOUR} END AS staff_hours
            FROM w
        ),
        v AS (  -- a visit: the run of a case's events in one unit, numbered by the handovers before it
            SELECT *, sum(CAST(handover AS INTEGER)) OVER (PARTITION BY cid ORDER BY pos
                                                          ROWS UNBOUNDED PRECEDING) AS visit
            FROM f
        )
        SELECT *, bool_or(is_return) OVER (PARTITION BY cid, visit) AS in_return_visit,
               first_value(prev_actor) OVER (PARTITION BY cid, visit ORDER BY pos) AS visit_from
        FROM v
    """)


def _display_units(con: duckdb.DuckDBPyConnection) -> tuple[int, int]:
    """`ho_names` (actor, name, people, merged, hidden): each unit's shown name and its distinct person
    resources; units with 1–4 people share the NULL name (small units, merged) and are `hidden` when
    together they still have fewer than 5. Returns (merged units, hidden units)."""
    con.execute(f"""
        CREATE OR REPLACE TABLE ho_names AS
        WITH p AS (
            SELECT e.uid, count(DISTINCT e.rid) AS people FROM ins_ev e JOIN ins_rkind k ON k.rid = e.rid
            WHERE e.uid IS NOT NULL AND k.kind = 'person' GROUP BY e.uid
        ),
        u AS (
            SELECT u.uid AS actor, u.unit, coalesce(p.people, 0) AS people,
                   coalesce(p.people, 0) BETWEEN 1 AND {MIN_PEOPLE - 1} AS small
            FROM ins_unit u LEFT JOIN p ON p.uid = u.uid
        ),
        s AS (  -- the people of the small units together (one person may work in several)
            SELECT count(DISTINCT e.rid) AS people FROM ins_ev e JOIN ins_rkind k ON k.rid = e.rid
            WHERE k.kind = 'person' AND e.uid IN (SELECT actor FROM u WHERE small)
        )
        SELECT u.actor, CASE WHEN u.small THEN NULL ELSE u.unit END AS name,
               CASE WHEN u.small THEN s.people ELSE u.people END AS people,
               u.small AS merged, u.small AND s.people < {MIN_PEOPLE} AS hidden
        FROM u CROSS JOIN s
    """)
    merged, hidden = con.execute("SELECT count(*) FILTER (WHERE merged), count(*) FILTER (WHERE hidden) "
                                 "FROM ho_names").fetchall()[0]
    return int(merged), int(hidden)


def _kind_names(con: duckdb.DuckDBPyConnection) -> None:
    """`ho_names` for the resource basis: every actor shown as its resource kind (no person by name)."""
    con.execute("""
        CREATE OR REPLACE TABLE ho_names AS
        SELECT e.actor, e.kind AS name, count(DISTINCT e.actor) OVER (PARTITION BY e.kind) AS people,
               false AS merged, false AS hidden
        FROM (SELECT DISTINCT actor, kind FROM ho_ev) e
    """)


def graph_tables(con: duckdb.DuckDBPyConnection, basis: str) -> None:
    """`ho_handovers` and `ho_units`: the handover graph and per-unit figures, under the shown names."""
    con.execute(f"""
        CREATE OR REPLACE TABLE ho_handovers AS
        WITH e AS (
            SELECT s.name AS source_unit, t.name AS target_unit, count(*) AS count,
                   count(DISTINCT h.cid) AS cases, median(h.wait_hours) AS median_wait_hours,
                   sum(h.wait_hours) AS total_wait_hours, count(CASE WHEN h.is_return THEN 1 END) AS returns,
                   count(DISTINCT CASE WHEN h.is_return THEN h.cid END) AS return_cases,
                   sum(CASE WHEN h.is_return THEN h.wait_hours END) AS return_wait_hours,
                   mode(h.prev_aid) AS source_aid, mode(h.aid) AS target_aid
            FROM ho_ev h JOIN ho_names s ON s.actor = h.prev_actor JOIN ho_names t ON t.actor = h.actor
            WHERE h.handover AND NOT s.hidden AND NOT t.hidden
            GROUP BY s.name, t.name
        ),
        -- the work done again in the unit a case came back to, until it leaves again: steps the case has had before
        r AS (
            SELECT s.name AS source_unit, t.name AS target_unit, sum(h.staff_hours) AS return_staff_hours,
                   list_sort(list_distinct(list(a.activity) FILTER (WHERE h.staff_hours IS NOT NULL))) AS return_activities
            FROM ho_ev h JOIN ho_names s ON s.actor = h.visit_from JOIN ho_names t ON t.actor = h.actor
                 JOIN ins_act a ON a.aid = h.aid
            WHERE h.in_return_visit AND h.is_repeat AND NOT s.hidden AND NOT t.hidden
            GROUP BY s.name, t.name
        )
        SELECT {literal(basis)} AS basis, e.source_unit, e.target_unit, e.count, e.cases, e.median_wait_hours,
               e.total_wait_hours, e.returns, e.return_cases, e.return_wait_hours,
               r.return_staff_hours, coalesce(r.return_activities, []::VARCHAR[]) AS return_activities,
               sa.activity AS source_activity, ta.activity AS target_activity
        FROM e LEFT JOIN r ON r.source_unit IS NOT DISTINCT FROM e.source_unit
                          AND r.target_unit IS NOT DISTINCT FROM e.target_unit
               LEFT JOIN ins_act sa ON sa.aid = e.source_aid LEFT JOIN ins_act ta ON ta.aid = e.target_aid
    """)
    # staff hours: measured processing time of people's events (`staff_hours` of `ho_ev`)
    voices = ("(SELECT n.name, count(*) AS voices FROM ins_ev e JOIN ho_names n ON n.actor = e.uid "
              "WHERE e.contact = 2 AND NOT n.hidden GROUP BY n.name)" if basis == "unit"
              else "(SELECT NULL::VARCHAR AS name, 0 AS voices WHERE false)")
    con.execute(f"""
        CREATE OR REPLACE TABLE ho_units AS
        WITH named AS (
            SELECT h.*, n.name FROM ho_ev h JOIN ho_names n ON n.actor = h.actor WHERE NOT n.hidden
        ),
        outs AS (
            SELECT n.name, count(*) AS handovers_out
            FROM ho_ev h JOIN ho_names n ON n.actor = h.prev_actor WHERE h.handover AND NOT n.hidden GROUP BY n.name
        ),
        groups AS (
            SELECT name, count(*) AS units_merged, any_value(people) AS people FROM ho_names WHERE NOT hidden
            GROUP BY name
        ),
        per AS (
            SELECT name, count(DISTINCT cid) AS cases, count(*) AS events, sum(staff_hours) AS staff_hours,
                   median(wait_hours) FILTER (WHERE handover) AS median_wait_hours,
                   sum(wait_hours) FILTER (WHERE handover) AS total_wait_hours,
                   count(CASE WHEN handover THEN 1 END) AS handovers_in,
                   count(CASE WHEN is_return THEN 1 END) AS returns_in,
                   count(CASE WHEN is_first THEN 1 END) AS first_cases,
                   count(CASE WHEN is_last THEN 1 END) AS last_cases
            FROM named GROUP BY name
        )
        SELECT {literal(basis)} AS basis, p.name AS unit, CAST(g.units_merged AS INTEGER) AS units_merged, g.people,
               p.cases, p.events, p.staff_hours, p.median_wait_hours, p.total_wait_hours, p.handovers_in,
               coalesce(o.handovers_out, 0) AS handovers_out, p.returns_in, p.first_cases, p.last_cases,
               coalesce(v.voices, 0) AS voices
        FROM per p JOIN groups g ON g.name IS NOT DISTINCT FROM p.name
             LEFT JOIN outs o ON o.name IS NOT DISTINCT FROM p.name
             LEFT JOIN {voices} v ON v.name IS NOT DISTINCT FROM p.name
    """)


def case_table(con: duckdb.DuckDBPyConnection, basis: str) -> None:
    """`ho_cases`: per case the actors, handovers, returns, wait at handovers, doors, voices and the
    distinct units the voices came from (every case, zeros where it has none)."""
    actors = "ho_ev" if basis != "none" else "(SELECT NULL::INTEGER AS cid, NULL AS actor, false AS handover, " \
                                              "false AS is_return, NULL::DOUBLE AS wait_hours WHERE false)"
    con.execute(f"""
        CREATE OR REPLACE TABLE ho_cases AS
        WITH h AS (
            SELECT cid, count(DISTINCT actor) AS units, count(CASE WHEN handover THEN 1 END) AS handovers,
                   count(CASE WHEN is_return THEN 1 END) AS returns, sum(wait_hours) AS handover_wait_hours
            FROM {actors} GROUP BY cid
        ),
        c AS (
            SELECT cid, count(CASE WHEN contact = 1 THEN 1 END) AS doors, count(CASE WHEN contact = 2 THEN 1 END) AS voices,
                   count(DISTINCT CASE WHEN contact = 2 THEN uid END) AS voice_units
            FROM ins_ev GROUP BY cid
        )
        SELECT k.case_id, k.cid, CAST(coalesce(h.units, 0) AS INTEGER) AS units,
               CAST(coalesce(h.handovers, 0) AS INTEGER) AS handovers, CAST(coalesce(h.returns, 0) AS INTEGER) AS returns,
               h.handover_wait_hours, CAST(c.doors AS INTEGER) AS doors, CAST(c.voices AS INTEGER) AS voices,
               CAST(c.voice_units AS INTEGER) AS voice_units
        FROM ins_case k JOIN c ON c.cid = k.cid LEFT JOIN h ON h.cid = k.cid
    """)


def loops(con: duckdb.DuckDBPyConnection) -> list[dict[str, Any]]:
    """The DFG's strongly connected components of 2+ activities over transitions made by at least 1 %
    of cases (and 3): their activities, the cases that repeat one of them, and the edges inside."""
    names = activity_names(con)
    n_cases = con.execute("SELECT count(*) FROM ins_case").fetchall()[0][0]
    floor = max(LOOP_MIN_CASES, LOOP_MIN_CASE_SHARE * n_cases)
    edges = con.execute("""
        SELECT prev_aid, aid, count(DISTINCT cid) AS cases FROM ins_ev
        WHERE prev_aid IS NOT NULL AND prev_aid <> aid GROUP BY ALL HAVING count(DISTINCT cid) >= ?
    """, [floor]).fetchall()
    g = nx.DiGraph()
    g.add_weighted_edges_from(edges, weight="cases")
    found = []
    for comp in nx.strongly_connected_components(g):
        if len(comp) < 2:
            continue
        ids = sorted(comp)
        cases = con.execute("""
            SELECT count(DISTINCT cid) FROM (SELECT cid FROM ins_ev WHERE list_contains(?, aid)
                                             GROUP BY cid, aid HAVING count(*) > 1)
        """, [ids]).fetchall()[0][0]
        inner = g.subgraph(comp)
        found.append({"activities": sorted(names[a] for a in ids), "cases_repeating": int(cases),
                      "edges": sorted([[names[a], names[b], int(d["cases"])] for a, b, d in inner.edges(data=True)],
                                      key=lambda e: (-e[2], e[0], e[1]))})
    found.sort(key=lambda x: (-x["cases_repeating"], x["activities"]))
    return found


def summary_row(con: duckdb.DuckDBPyConnection, basis: str, *, hidden: int, contacts_source: str,
                found_loops: list[dict[str, Any]], incoming: tuple[str, ...] = (),
                outgoing: tuple[str, ...] = ()) -> None:
    """`ho_summary`: the log's figures (one row), with the contact lists the run was given (so a
    comparison counts doors and voices the same way)."""
    median_wait = con.execute("SELECT median(wait_hours) FROM ho_ev WHERE handover").fetchall()[0][0] \
        if basis != "none" else None
    units = con.execute("SELECT count(*) FROM ins_unit").fetchall()[0][0] if basis == "unit" else (
        con.execute("SELECT count(DISTINCT actor) FROM ho_ev").fetchall()[0][0] if basis == "resource" else 0)
    con.execute(f"""
        CREATE OR REPLACE TABLE ho_summary AS
        SELECT ? AS basis, count(*) AS cases, count(CASE WHEN units > 0 THEN 1 END) AS cases_with_unit,
               ? AS units, ? AS hidden_units,
               coalesce(sum(handovers), 0) AS handovers, count(CASE WHEN handovers > 0 THEN 1 END) AS cases_with_handover,
               coalesce(sum(returns), 0) AS returns, count(CASE WHEN returns > 0 THEN 1 END) AS ping_pong_cases,
               count(CASE WHEN returns > 0 THEN 1 END) / nullif(count(*), 0) AS ping_pong_share,
               median(units) FILTER (WHERE units > 0) AS median_units_per_case,
               max(units) AS max_units_per_case, sum(handover_wait_hours) AS handover_wait_hours,
               ?::DOUBLE AS median_handover_wait_hours,
               ? AS contacts_source, coalesce(sum(doors), 0) AS doors, coalesce(sum(voices), 0) AS voices,
               count(CASE WHEN voice_units > 1 THEN 1 END) AS cases_multi_voice,
               count(CASE WHEN voice_units > 1 THEN 1 END) / nullif(count(*), 0) AS multi_voice_share,
               count(CASE WHEN doors > 1 THEN 1 END) AS cases_repeat_door,
               count(CASE WHEN doors > 1 THEN 1 END) / nullif(count(*), 0) AS repeat_door_share,
               coalesce(sum(CASE WHEN voice_units > 1 THEN voice_units - 1 ELSE 0 END), 0) AS letters_saved,
               count(CASE WHEN units >= {MANY_UNITS} THEN 1 END) AS cases_many_units,
               sum(handover_wait_hours) FILTER (WHERE units >= {MANY_UNITS}) AS many_units_wait_hours,
               ?::JSON AS voices_by_unit, ?::JSON AS loops, ?::VARCHAR[] AS incoming, ?::VARCHAR[] AS outgoing
        FROM ho_cases
    """, [basis, units, hidden, median_wait, contacts_source, json.dumps(_voices_by_unit(con, basis), ensure_ascii=False),
          json.dumps(found_loops, ensure_ascii=False), list(incoming), list(outgoing)])


def _voices_by_unit(con: duckdb.DuckDBPyConnection, basis: str) -> list[dict[str, Any]]:
    """In the cases that heard from more than one unit: each (unit, outgoing activity) with its letters and
    cases, most letters first (units under their shown name; hidden small units left out)."""
    if basis != "unit":
        return []
    rows = con.execute("""
        SELECT n.name, a.activity, count(*) AS letters, count(DISTINCT e.cid) AS cases
        FROM ins_ev e JOIN ho_cases c ON c.cid = e.cid AND c.voice_units > 1
             JOIN ho_names n ON n.actor = e.uid JOIN ins_act a ON a.aid = e.aid
        WHERE e.contact = 2 AND NOT n.hidden
        GROUP BY ALL ORDER BY letters DESC, n.name NULLS LAST, a.activity
    """).fetchall()
    return [{"unit": u, "activity": a, "letters": int(n), "cases": int(c)} for u, a, n, c in rows]


def _contacts_source(con: duckdb.DuckDBPyConnection, options: Any) -> str:
    if options.incoming or options.outgoing:
        return "config"
    has = con.execute("SELECT count(contact) FROM ins_ev").fetchall()[0][0]
    return "noark5" if has else "none"


def run_phase(ctx: MiningContext) -> None:
    """Phase `handovers`: units, handovers, contacts and loops; stores the four `mining_collaboration` tables."""
    con = ctx.con
    options = options_of(ctx)
    basis = _basis(con)
    hidden = 0
    if basis != "none":
        actor_events(con, basis)
        if basis == "unit":
            _, hidden = _display_units(con)
        else:
            _kind_names(con)
        graph_tables(con, basis)
        ctx.output("mining_handovers", "ho_handovers")
        ctx.output("mining_units", "ho_units")
    case_table(con, basis)
    found = loops(con)
    if basis == "none":
        con.execute("CREATE OR REPLACE TABLE ho_names (actor INTEGER, name VARCHAR, people BIGINT, merged BOOLEAN, "
                    "hidden BOOLEAN)")
    summary_row(con, basis, hidden=hidden, contacts_source=_contacts_source(con, options), found_loops=found,
                incoming=options.incoming, outgoing=options.outgoing)
    con.execute("CREATE OR REPLACE TABLE ho_case_out AS SELECT * EXCLUDE (cid) FROM ho_cases")
    ctx.output("mining_case_units", "ho_case_out")
    ctx.output("mining_collaboration", "ho_summary")
    ctx.facts.loops = found


def side_figures(con: duckdb.DuckDBPyConnection, *, closed_only: bool = True) -> dict[str, Any]:
    """The per-case handover and contact figures of the `ins_*` tables in the current schema (a
    comparison side), over closed cases (`ins_cases.closed`) unless `closed_only` is False: open cases
    have not finished bouncing or writing. Means per case and shares of cases, with their counts."""
    basis = _basis(con)
    if basis != "none":
        actor_events(con, basis)
    case_table(con, basis)
    where = "JOIN ins_cases k ON k.cid = c.cid AND k.closed" if closed_only else ""
    row = con.execute(f"""
        SELECT count(*), sum(handovers), count(CASE WHEN returns > 0 THEN 1 END), sum(voices),
               count(CASE WHEN voice_units > 1 THEN 1 END), count(CASE WHEN doors > 1 THEN 1 END),
               sum(CASE WHEN voice_units > 1 THEN voice_units - 1 ELSE 0 END), median(units) FILTER (WHERE units > 0),
               sum(doors)
        FROM ho_cases c {where}
    """).fetchall()[0]
    n, handovers, ping, voices, multi, repeat, letters, med_units, doors = (x or 0 for x in row)
    per = (lambda x: x / n if n else None)
    return {"basis": basis, "cases": int(n), "handovers_per_case": per(handovers), "ping_pong_cases": int(ping),
            "ping_pong_share": per(ping), "median_units_per_case": float(med_units) if med_units else None,
            "doors_per_case": per(doors), "voices_per_case": per(voices), "cases_multi_voice": int(multi),
            "multi_voice_share": per(multi), "cases_repeat_door": int(repeat), "repeat_door_share": per(repeat),
            "letters_saved_per_case": per(letters)}

