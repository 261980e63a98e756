"""Which resources of a stored log are people, judged by how they work and not only by their names.

Hours saved by automation must come from work done by people, but names alone miss the e-service that
files every application at any hour and the batch job that sends letters at night. After each load,
inside the same write transaction, every resource of the whole stored log gets its evidence, computed in
DuckDB SQL over the log's events (shares of the resource's events; "timed": with a time of day, i.e.
`ts_precision = 'second'`; local time in the log's zone, Europe/Oslo by default):

- `instant_share`: no start, or start = end. Only said where the log has durations (start < end) on at
  least 10 % of its events: in a completion-only log everything looks instantaneous.
- `measured_share`: start < end. A resource with durations on half its events is a person, whatever else.
- `off_hours_share` / `weekend_share` / `night_share`: of its timed events, those outside Monday–Friday
  07:00–18:00 (weekends included) / on Saturday or Sunday / between 00:00 and 06:00.
- `burst_share`: of its timed events, those completed at most 60 s after its own previous completion
  in another case.
- `boundary_share`: the first or the last event of their case (case order: ts_end, event_seq).
- `median_wait_hours`: from the case's previous event to this one.

Signals: instant (≥ 90 %), off hours (≥ 15 %, with some night work: ≥ 1 %), burst (≥ 50 %), boundary
(≥ 95 %). A resource that neither its name nor a --system/--external flag classifies is a person unless
it has two signals, durations on less than half its events and at least 20 events. Three choices keep
people people, each from what real logs showed:

- Staff work evenings and Saturdays (BPIC 2012's loan office worked until 21:00, up to 83 % off hours)
  but not at night; an e-service or a night job does. So off hours is a signal only with night work.
- In a log with durations, a leader's decisions and a clerk's registrations are instants too, so being
  instantaneous counts only together with off hours: a weekly decision meeting (instants in bursts) and
  the clerk who registers every case (instants that open cases) stay people.
- Fewer than 20 events show a day, not a habit (receipt's Resource35: 5 of its 8 events in one
  Saturday session).

A non-person whose median wait is a day or more ends a wait on an outside party (a citizen's payment,
reply or appeal): `external`; else `system`. Kinds given by names and flags never change.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Literal

import duckdb

log = logging.getLogger(__name__)

DecidedBy = Literal["name", "flag", "behaviour", "default"]  # schema.RESOURCE_DECIDED_BY

# Thresholds of the signals (shares of a resource's events) and of the rule.
LOG_MEASURED_FOR_INSTANT = 0.10
INSTANT = 0.9
OFF_HOURS = 0.15  # staff work late now and then (byggesak: 4 % overtime, none of it after 18:00)
NIGHT = 0.01
NIGHT_HOURS = (0, 6)  # local [start, end), every day
BURST = 0.5
BURST_SECONDS = 60
BOUNDARY = 0.95
PERSON_MEASURED = 0.5
SIGNALS_FOR_NON_PERSON = 2
EXTERNAL_WAIT_HOURS = 24.0
MIN_EVENTS = 20
OFFICE_HOURS = (7, 18)  # local [start, end) on Monday–Friday

# The load's own rule (a resource whose timed events all take no time is a machine) is decided before
# names are hashed, so the name stays readable; it is kept like a name's decision and known by this reason.
AT_LOAD_REASON = "behaviour: every timed event takes no time (at load)"
EARLIER_REASON = "decided at an earlier load (name or flag)"
_RANK = {"flag": 3, "name": 2, "behaviour": 1, "default": 0}


@dataclass(frozen=True)
class Decision:
    """A resource's kind, what decided it and why, in a few words."""

    kind: str
    decided_by: DecidedBy
    reason: str


def given(kind: str, decided_by: DecidedBy) -> Decision:
    """The decision a load made from a raw name: a flag, a name pattern, its own instant rule, or none."""
    reason = {"flag": f"--{kind} flag", "name": "name", "behaviour": AT_LOAD_REASON, "default": ""}[decided_by]
    return Decision(kind, decided_by, reason)


def stronger(a: Decision | None, b: Decision) -> Decision:
    """A flag beats a name, a name the load's instant rule, and that the default; `b` wins ties."""
    return b if a is None or _RANK[b.decided_by] >= _RANK[a.decided_by] else a


@dataclass(frozen=True)
class Evidence:
    """What a resource's events say about it (shares of its events; None where they cannot say)."""

    resource: str
    events: int
    instant_share: float | None
    measured_share: float
    off_hours_share: float | None
    weekend_share: float | None
    night_share: float | None
    burst_share: float | None
    boundary_share: float
    median_wait_hours: float | None
    stored_kind: str | None

    def signals(self) -> list[str]:
        """The signals that count towards non-person: instantaneous counts only with off hours."""
        found = []
        off = (self.off_hours_share is not None and self.off_hours_share >= OFF_HOURS
               and self.night_share is not None and self.night_share >= NIGHT)
        if off and self.instant_share is not None and self.instant_share >= INSTANT:
            found.append("instant")
        if off:
            found.append("off_hours")
        if self.burst_share is not None and self.burst_share >= BURST:
            found.append("burst")
        if self.boundary_share >= BOUNDARY:
            found.append("boundary")
        return found


def _pct(x: float) -> str:
    return f"{round(100 * x)} %"


def _phrase(signal: str, ev: Evidence) -> str:
    return {"instant": "instantaneous",
            "off_hours": f"off hours {_pct(ev.off_hours_share or 0)} (night {_pct(ev.night_share or 0)})",
            "burst": f"{_pct(ev.burst_share or 0)} within {BURST_SECONDS} s of its previous event",
            "boundary": "always opens or closes a case"}[signal]


def decide(ev: Evidence, base: Decision) -> Decision:
    """A resource's kind from its evidence; only a resource nothing else has decided is judged."""
    if base.decided_by != "default":
        return base
    found = ev.signals()
    if (len(found) >= SIGNALS_FOR_NON_PERSON and ev.measured_share < PERSON_MEASURED
            and ev.events >= MIN_EVENTS):
        words = [_phrase(s, ev) for s in found]
        wait = ev.median_wait_hours
        if wait is not None and wait >= EXTERNAL_WAIT_HOURS:
            words.append(f"median {wait / 24:.1f} days after the case's previous event")
            return Decision("external", "behaviour", "behaviour: " + ", ".join(words))
        return Decision("system", "behaviour", "behaviour: " + ", ".join(words))
    words = [] if ev.off_hours_share is None else [f"{_pct(ev.off_hours_share)} off hours"]
    if ev.measured_share >= PERSON_MEASURED:
        words.append("measured durations")
    elif ev.events < MIN_EVENTS:
        words.append(f"too few events to judge ({ev.events} < {MIN_EVENTS})")
    elif len(found) == 1:
        words.append(f"one signal only ({_phrase(found[0], ev)})")
    else:
        words.append("no machine-like behaviour")
    return Decision("person", "default", "person: " + ", ".join(words))


def evidence(con: duckdb.DuckDBPyConnection, *, events: str, log_name: str, tz: str) -> list[Evidence]:
    """Each resource's evidence over one log's events in `events` (a table name, qualified if needed).

    Three aggregates over the log (one plain scan, one window per case, one per resource), joined on
    the resource; the log-wide share of measured events decides whether instants say anything."""
    lo, hi = OFFICE_HOURS
    night_lo, night_hi = NIGHT_HOURS
    rows = con.execute(f"""
        WITH s AS (
            SELECT resource, count(*) AS events,
                   count(*) FILTER (WHERE ts_start IS NULL OR ts_start = ts_end) AS instant,
                   count(*) FILTER (WHERE ts_start < ts_end) AS measured,
                   count(local_end) AS timed,
                   count(*) FILTER (WHERE isodow(local_end) > 5 OR hour(local_end) < {lo}
                                          OR hour(local_end) >= {hi}) AS off_hours,
                   count(*) FILTER (WHERE isodow(local_end) > 5) AS weekend,
                   count(*) FILTER (WHERE hour(local_end) >= {night_lo} AND hour(local_end) < {night_hi}) AS night,
                   any_value(resource_kind) AS stored_kind
            FROM (SELECT resource, ts_start, ts_end, resource_kind,
                         CASE WHEN ts_precision = 'second' THEN timezone($tz, ts_end) END AS local_end
                  FROM {events} WHERE log = $log)
            GROUP BY resource
        ), c AS (
            -- waits in microseconds: integer arithmetic, where an INTERVAL would be normalised per row
            SELECT resource, count(*) FILTER (WHERE wait_us IS NULL OR last) AS boundary,
                   median(wait_us) / 3600e6 AS median_wait_hours
            FROM (SELECT resource, epoch_us(ts_end) - lag(epoch_us(ts_end)) OVER w AS wait_us,
                         lead(event_seq) OVER w IS NULL AS last
                  FROM {events} WHERE log = $log
                  WINDOW w AS (PARTITION BY case_id ORDER BY ts_end, event_seq))
            WHERE resource IS NOT NULL GROUP BY resource
        ), b AS (
            -- only completions in another case than the previous one: a person clicking through one
            -- case's steps is not a machine working through a pile
            SELECT resource, count(*) FILTER (WHERE gap_us <= {BURST_SECONDS * 1_000_000} AND other_case) AS bursts
            FROM (SELECT resource, epoch_us(ts_end) - lag(epoch_us(ts_end)) OVER w AS gap_us,
                         case_id IS DISTINCT FROM lag(case_id) OVER w AS other_case
                  FROM {events} WHERE log = $log AND resource IS NOT NULL AND ts_precision = 'second'
                  WINDOW w AS (PARTITION BY resource ORDER BY ts_end, case_id, event_seq))
            GROUP BY resource
        ), r AS (
            SELECT s.*, c.boundary, c.median_wait_hours, coalesce(b.bursts, 0) AS bursts,
                   sum(s.measured) OVER () / sum(s.events) OVER () AS log_measured
            FROM s LEFT JOIN c USING (resource) LEFT JOIN b USING (resource)
        )
        SELECT resource, events,
               CASE WHEN log_measured >= {LOG_MEASURED_FOR_INSTANT} THEN instant / events END,
               measured / events, off_hours / nullif(timed, 0), weekend / nullif(timed, 0),
               night / nullif(timed, 0), bursts / nullif(timed, 0), boundary / events, median_wait_hours, stored_kind
        FROM r WHERE resource IS NOT NULL ORDER BY events DESC, resource
    """, {"log": log_name, "tz": tz}).fetchall()
    return [Evidence(*r) for r in rows]


def classify_stored(con: duckdb.DuckDBPyConnection, *, store: str, log_name: str, tz: str,
                    decided: dict[str, Decision], keep_earlier: bool) -> int:
    """Decide the kind of every resource of a stored log, replace the log's rows in `resource_kinds` and
    set `events.resource_kind` where it changed; returns how many resources behaviour made non-person.

    `store`: the alias of the store database, inside the caller's write transaction. `decided`: this
    load's decisions per stored resource (from names and flags); `keep_earlier` (an append): earlier
    loads' name and flag decisions count too, for resources this load does not name again."""
    base: dict[str, Decision] = {}
    if keep_earlier:
        for resource, kind, by, reason in con.execute(
                f"SELECT resource, kind, decided_by, reason FROM {store}.resource_kinds WHERE log = ?",
                [log_name]).fetchall():
            earlier = (Decision(kind, by, reason) if by in ("flag", "name") or reason == AT_LOAD_REASON
                       else given("person", "default"))
            base[resource] = earlier
    for resource, decision in decided.items():
        base[resource] = stronger(base.get(resource), decision)
    rows: list[tuple[Evidence, Decision]] = []
    for ev in evidence(con, events=f"{store}.events", log_name=log_name, tz=tz):
        start = base.get(ev.resource)
        if start is None:  # stored before this table existed: what the earlier load decided stands
            start = (given("person", "default") if ev.stored_kind in (None, "person")
                     else Decision(ev.stored_kind, "name", EARLIER_REASON))
        rows.append((ev, decide(ev, start)))
    con.execute(f"DELETE FROM {store}.resource_kinds WHERE log = ?", [log_name])
    if rows:
        columns = {
            "resource": [e.resource for e, _ in rows], "kind": [d.kind for _, d in rows],
            "decided_by": [d.decided_by for _, d in rows], "events": [e.events for e, _ in rows],
            "instant_share": [e.instant_share for e, _ in rows], "measured_share": [e.measured_share for e, _ in rows],
            "off_hours_share": [e.off_hours_share for e, _ in rows], "weekend_share": [e.weekend_share for e, _ in rows],
            "night_share": [e.night_share for e, _ in rows],
            "burst_share": [e.burst_share for e, _ in rows], "boundary_share": [e.boundary_share for e, _ in rows],
            "median_wait_hours": [e.median_wait_hours for e, _ in rows], "reason": [d.reason for _, d in rows],
        }
        types = {"events": "BIGINT", "resource": "VARCHAR", "kind": "VARCHAR", "decided_by": "VARCHAR",
                 "reason": "VARCHAR"}
        # one statement with list parameters: executemany is a round trip per row
        select = ", ".join(f"unnest(${c}::{types.get(c, 'DOUBLE')}[])" for c in columns)
        con.execute(f"INSERT INTO {store}.resource_kinds (log, {', '.join(columns)}) SELECT $log, {select}",
                    {"log": log_name, **columns})
        con.execute(f"""
            UPDATE {store}.events AS e SET resource_kind = k.kind FROM {store}.resource_kinds AS k
            WHERE e.log = $log AND k.log = $log AND e.resource = k.resource
              AND e.resource_kind IS DISTINCT FROM k.kind""", {"log": log_name})
    reclassified = sum(1 for _, d in rows if d.decided_by == "behaviour" and d.reason != AT_LOAD_REASON)
    if reclassified:
        log.info("%s: %d resource(s) classified by behaviour as not a person", log_name, reclassified)
    return reclassified
