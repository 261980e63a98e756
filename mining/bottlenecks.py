"""Bottlenecks: where cases wait, on whom (own staff or outsiders), and batch patterns behind the wait.

Waiting before an event is measured exactly as `mining.stats` does for `mining_activities`: from the
predecessor's completion to the event's start where the activity has start times (`measured`), else
the time between the two completions (`between_completions`); only pairs of second-precision events.
Entries are target activities (`edge` null) and, where an activity is reached from several places,
the incoming edges that carry a material part of its wait; all are ranked by total waiting hours.

*Internal* means most of the waiting hours end at an event done by the organisation's own people
(`resource_kind = 'person'` and not named with `--external`); waits ending at systems, outside parties
or events without a resource are not internal. A *batch pattern* is an activity done mostly on one
weekday (or in one two-hour window of the day) while its predecessors finish spread over the week:
cases queue for a meeting or a scheduled run.
"""
from __future__ import annotations

from typing import Any

import duckdb

from saksflyt.extractors.sql_text import literal

from . import report as text
from .context import MiningContext
from .findings import Bottleneck
from .insights_results import activity_names, by_lang_json, options_of, output, sentences_by_lang

US_PER_HOUR = 3_600_000_000
MIN_EVENTS_FOR_BATCH = 30
BATCH_WEEKDAY_SHARE = 0.6      # one weekday holds at least this share of the activity's events …
BATCH_WEEKDAY_LIFT = 2.0       # … and at least this many times the predecessors' share on that day
BATCH_WINDOW_SHARE = 0.8       # a two-hour window holding this share is a daily batch
EDGE_MIN_SHARE = 0.10          # an incoming edge is listed when it carries this share of the wait
INTERNAL_SHARE = 0.5


def _wait_table(con: duckdb.DuckDBPyConnection, zone: str) -> None:
    """`ins_wait`: one row per measured wait (event with a second-precision predecessor), with its kind."""
    z = literal(zone)
    con.execute(f"""
        CREATE OR REPLACE TEMP TABLE ins_wait AS
        WITH basis AS (SELECT aid, count(wait_us) > 0 AS measured FROM ins_ev GROUP BY aid),
        w AS (
            SELECT e.*, b.measured, CASE WHEN b.measured THEN e.wait_us ELSE e.gap_us END AS w_us
            FROM ins_ev e JOIN basis b USING (aid)
            WHERE e.pos > 1 AND NOT e.pair_day
        )
        SELECT w.cid, w.aid, w.prev_aid, w.rid, coalesce(k.kind, 'unknown') AS kind, w.measured,
               w.w_us / {US_PER_HOUR} AS wait_h,
               coalesce(w.start_us, w.end_us) // {US_PER_HOUR} AS at_hour,
               w.prev_end_us // {US_PER_HOUR} AS ready_hour
        FROM w LEFT JOIN ins_rkind k USING (rid)
        WHERE w.w_us IS NOT NULL
    """)
    # Local weekday and hour per UTC hour that occurs, not per event: ICU time-zone conversion is slow
    # and a whole-hour bucket maps to one local hour (zones with half-hour offsets shift by 30 minutes).
    con.execute(f"""
        CREATE OR REPLACE TEMP TABLE ins_hours AS
        WITH h AS (SELECT DISTINCT at_hour AS hr FROM ins_wait UNION SELECT DISTINCT ready_hour FROM ins_wait)
        SELECT hr, isodow(l) AS dow, hour(l) AS h
        FROM (SELECT hr, timezone({z}, make_timestamptz(hr * {US_PER_HOUR})) AS l FROM h)
    """)


def _batches(con: duckdb.DuckDBPyConnection) -> dict[str, dict[str, Any]]:
    """Per activity id: its busiest weekday and two-hour window, against when its predecessors finish."""
    rows = con.execute(f"""
        WITH d AS (
            SELECT w.aid, a.dow, a.h, r.dow AS ready_dow, r.h AS ready_h
            FROM ins_wait w JOIN ins_hours a ON a.hr = w.at_hour JOIN ins_hours r ON r.hr = w.ready_hour
        ),
        n AS (SELECT aid, count(*) AS n FROM d GROUP BY aid HAVING count(*) >= {MIN_EVENTS_FOR_BATCH}),
        dow AS (
            SELECT aid, dow, count(*) AS k FROM d GROUP BY aid, dow
        ),
        ready AS (SELECT aid, ready_dow AS dow, count(*) AS k FROM d GROUP BY aid, ready_dow),
        top_dow AS (
            SELECT aid, arg_max(dow, k * 8 - dow) AS dow, max(k) AS k FROM dow GROUP BY aid  -- ties: earliest day
        ),
        win AS (  -- two-hour windows [h, h+2) over all days, and within the busiest weekday
            SELECT d.aid, w.h0, count(*) AS k,
                   count(*) FILTER (WHERE d.dow = t.dow) AS k_on_day,
                   count(*) FILTER (WHERE d.ready_h IN (w.h0, w.h0 + 1)) AS k_ready
            FROM d JOIN top_dow t USING (aid)
            JOIN (SELECT unnest(range(0, 23)) AS h0) w ON d.h IN (w.h0, w.h0 + 1)
            GROUP BY d.aid, w.h0
        )
        SELECT n.aid, n.n, t.dow, t.k, coalesce(r.k, 0) AS ready_k,
               arg_max(w.h0, w.k * 24 - w.h0) AS h_all, max(w.k) AS k_all,
               arg_max(w.h0, w.k_on_day * 24 - w.h0) AS h_day, max(w.k_on_day) AS k_day,
               arg_max(w.k_ready, w.k * 24 - w.h0) AS ready_all
        FROM n JOIN top_dow t USING (aid)
        LEFT JOIN ready r ON r.aid = n.aid AND r.dow = t.dow
        JOIN win w ON w.aid = n.aid
        GROUP BY ALL
    """).fetchall()
    found: dict[str, dict[str, Any]] = {}
    for aid, n, dow, k, ready_k, h_all, k_all, h_day, k_day, ready_all in rows:
        share, ready_share = k / n, ready_k / n
        if share >= BATCH_WEEKDAY_SHARE and share >= BATCH_WEEKDAY_LIFT * max(ready_share, 1e-9):
            found[aid] = {"kind": "weekly", "weekday": int(dow), "share": share, "ready_share": ready_share,
                               "hour": int(h_day), "hour_share": k_day / k}
        elif k_all / n >= BATCH_WINDOW_SHARE and ready_all / n < BATCH_WINDOW_SHARE / 2:
            found[aid] = {"kind": "daily", "hour": int(h_all), "hour_share": k_all / n,
                               "ready_share": ready_all / n}
    return found


def _sentences(lang: str, *, activity: str, edge: tuple[str, str] | None, occurrences: int,
               median: float | None, total: float, basis: str, internal_share: float, kinds: dict[str, float],
               edge_share: float | None, batch: dict[str, Any] | None) -> tuple[str, ...]:
    t = text.Text(lang)
    q = t.quote
    out: list[str] = []
    what = f"{q(edge[0])} → {q(edge[1])}" if edge else q(activity)
    basis_text = t.tr({"measured": "bottlenecks.basis_measured",
                       "between_completions": "bottlenecks.basis_between_completions"}[basis])
    out.append(t.tr("bottlenecks.waiting_before_median_in",
                    what=what, median=t.hours(median, days=True), total=t.hours(total),
                    occurrences=t.int(occurrences), basis_text=basis_text))
    if edge is not None and edge_share is not None:
        out.append(t.tr("bottlenecks.this_transition_accounts_for",
                        edge_share=t.pct(edge_share), edge_high=q(edge[1])))
    if internal_share >= INTERNAL_SHARE:
        out.append(t.tr("bottlenecks.internal_queue_of_the", internal_share=t.pct(internal_share)))
    else:
        parts = ", ".join(f"{t.kind(k)} {t.pct(v)}" for k, v in sorted(kinds.items(), key=lambda kv: -kv[1])
                          if v > 0 and k != "person")
        out.append(t.tr("bottlenecks.waiting_on_others_than", parts=parts))
    if batch and batch["kind"] == "weekly":
        day = t.tr(f"weekdays.{batch['weekday']}")  # ISO weekday, 1 = Monday
        h = batch["hour"]
        out.append(t.tr("bottlenecks.batch_pattern_weekly",
                        share=t.pct(batch['share']), activity=q(activity), day=day,
                        ready_share=t.pct(batch['ready_share']), hour_share=t.pct(batch['hour_share']),
                        hour_from=f'{h:02d}', hour_to=f'{h + 2:02d}'))
    elif batch and batch["kind"] == "daily":
        h = batch["hour"]
        out.append(t.tr("bottlenecks.batch_pattern_daily",
                        hour_share=t.pct(batch['hour_share']), activity=q(activity), hour_from=f'{h:02d}',
                        hour_to=f'{h + 2:02d}', ready_share=t.pct(batch['ready_share'])))
    return tuple(out)


def find(con: duckdb.DuckDBPyConnection, *, zone: str = "Europe/Oslo", lang: str = "nb") -> list[Bottleneck]:
    """Rank activities and material incoming edges by total waiting (needs `insights_results.prepare`)."""
    _wait_table(con, zone)
    batches = _batches(con)
    names = activity_names(con)
    acts = con.execute("""
        SELECT aid, count(*) AS n, median(wait_h) AS med, sum(wait_h) AS tot, any_value(measured) AS measured,
               count(DISTINCT rid) AS res,
               coalesce(sum(wait_h) FILTER (WHERE kind = 'person') / nullif(sum(wait_h), 0),
                        count(*) FILTER (WHERE kind = 'person') / count(*)) AS internal_share
        FROM ins_wait GROUP BY aid
    """).fetchall()
    kinds: dict[int, dict[str, float]] = {}
    for aid, kind, share in con.execute("""
        SELECT aid, kind, sum(wait_h) / nullif(sum(sum(wait_h)) OVER (PARTITION BY aid), 0)
        FROM ins_wait GROUP BY aid, kind
    """).fetchall():
        kinds.setdefault(aid, {})[kind] = share or 0.0
    edges = con.execute("""
        WITH e AS (
            SELECT prev_aid AS source, aid AS target, count(*) AS n, median(wait_h) AS med,
                   sum(wait_h) AS tot, any_value(measured) AS measured, count(DISTINCT rid) AS res,
                   coalesce(sum(wait_h) FILTER (WHERE kind = 'person') / nullif(sum(wait_h), 0),
                            count(*) FILTER (WHERE kind = 'person') / count(*)) AS internal_share
            FROM ins_wait GROUP BY prev_aid, aid
        )
        SELECT *, tot / nullif(sum(tot) OVER (PARTITION BY target), 0) AS share,
               count(*) OVER (PARTITION BY target) AS incoming
        FROM e
    """).fetchall()
    rows: list[dict[str, Any]] = []
    for aid, n, med, tot, measured, res, ishare in acts:
        rows.append(dict(aid=aid, edge=None, n=n, med=med, tot=tot or 0.0, measured=measured, res=res,
                         ishare=ishare or 0.0, eshare=None))
    for src, tgt, n, med, tot, measured, res, ishare, share, incoming in edges:
        if incoming >= 2 and share is not None and share >= EDGE_MIN_SHARE and (tot or 0) > 0:
            rows.append(dict(aid=tgt, edge=(names[src], names[tgt]), n=n, med=med, tot=tot, measured=measured,
                             res=res, ishare=ishare or 0.0, eshare=share))
    rows.sort(key=lambda r: (-r["tot"], r["edge"] is not None, names[r["aid"]], r["edge"] or ()))
    out: list[Bottleneck] = []
    for rank, r in enumerate(rows, start=1):
        basis = "measured" if r["measured"] else "between_completions"
        activity = names[r["aid"]]
        by_lang = sentences_by_lang(lambda lg: _sentences(
            lg, activity=activity, edge=r["edge"], occurrences=r["n"], median=r["med"], total=r["tot"],
            basis=basis, internal_share=r["ishare"], kinds=kinds.get(r["aid"], {}), edge_share=r["eshare"],
            batch=batches.get(r["aid"]) if r["edge"] is None else None))
        ev = by_lang[lang]
        out.append(Bottleneck(rank=rank, activity=activity, edge=r["edge"], occurrences=int(r["n"]),
                              median_wait_hours=None if r["med"] is None else float(r["med"]),
                              total_wait_hours=float(r["tot"]), wait_basis=basis,
                              internal=r["ishare"] >= INTERNAL_SHARE, resources=int(r["res"]), evidence=ev,
                              internal_share=float(r["ishare"]), evidence_by_lang=by_lang))
    return out


def run_phase(ctx: MiningContext) -> None:
    """Phase `bottlenecks`: rank waiting and store `mining_bottlenecks`."""
    options = options_of(ctx)
    found = find(ctx.con, zone=ctx.options.calendar.zone, lang=options.lang)
    ctx.facts.bottlenecks = found
    output(ctx, "mining_bottlenecks", [
        {"rank": b.rank, "activity": b.activity, "edge_source": b.edge[0] if b.edge else None,
         "edge_target": b.edge[1] if b.edge else None, "occurrences": b.occurrences,
         "median_wait_hours": b.median_wait_hours, "total_wait_hours": b.total_wait_hours,
         "wait_basis": b.wait_basis, "internal": b.internal, "internal_share": b.internal_share,
         "resources": b.resources, "evidence": list(b.evidence),
         "evidence_by_lang": by_lang_json(b.evidence_by_lang)} for b in found])
