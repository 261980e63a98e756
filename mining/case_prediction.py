"""Features of a case's prefix at an observation moment, in DuckDB SQL: what the monitor's models see.

An observation is (case, k, t): the case as it stood at moment t, after its k-th event since the clock
started. Open cases are observed at `as_of`, some time after their last event; so training observes
closed cases at a moment drawn inside each gap between events (deterministically), not at the events
themselves, or "time since the last event" would always be 0 in training and never at prediction.

Every feature is computed from events completed by t (window frames end at the current row; workload
counts are as-of joins on timelines of past events), which is what the leak tests hold it to. The
label columns (`remaining_days`, `miss`, `next_aid`) come from the case's future and are never features.
Case attributes that copy the outcome are found by `leaky_attributes` on the training cases and left out.

Inputs: `events_in`, `act_dict`, `case_attr` (see `monitor_load`), `dl_clock` and `dl_status` (see
`deadline_clock`).
"""
from __future__ import annotations

from dataclasses import dataclass

import duckdb
import numpy as np
import pandas as pd

from saksflyt.extractors.sql_text import literal

from .stats import US_PER_DAY

MAX_COUNTED_ACTIVITIES = 24
MAX_CATEGORIES = 30
LEAK_THRESHOLD = 0.9
LEAK_SHARE_OF_ERRORS = 0.8  # a value that removes 80 % of the errors of always guessing the common outcome


@dataclass(frozen=True)
class FeatureSpec:
    """Which columns the models get: fixed by the training data, reused for prediction."""

    counted_aids: tuple[int, ...]
    numeric_attrs: tuple[str, ...]
    category_attrs: tuple[str, ...]
    batch_weekdays: tuple[int, ...]  # ISO weekdays of batch meetings (0 = none found)
    into_aids: tuple[int, ...] = ()  # activities whose recent waits are features of every case
    left_out: tuple[tuple[str, str], ...] = ()  # (attribute, why) kept from the models

    def columns(self) -> list[str]:
        cols = ["prefix_len", "elapsed_days", "since_last_days", "paused_days", "in_pause", "days_left",
                "deadline_days", "last_aid", "prev_aid", "wip", "queue", "recent_step_days", "recent_remaining_days",
                "weekday", "hour", "last_weekday", "last_hour", "days_to_batch", "distinct_acts", "repeats"]
        cols += [f"n_{a}" for a in self.counted_aids]
        cols += [f"into_{a}" for a in self.into_aids]
        cols += [f"num_{i}" for i in range(len(self.numeric_attrs))]
        cols += [f"cat_{i}" for i in range(len(self.category_attrs))]
        return cols

    def readable(self, activities: dict[int, str]) -> dict[str, str]:
        """Column → what it means, for reports and reasons (`n_12` → "count: Faglig vurdering")."""
        out = {f"n_{a}": f"count: {activities.get(a, a)}" for a in self.counted_aids}
        out |= {f"into_{a}": f"recent wait into: {activities.get(a, a)}" for a in self.into_aids}
        out |= {f"num_{i}": name for i, name in enumerate(self.numeric_attrs)}
        out |= {f"cat_{i}": name for i, name in enumerate(self.category_attrs)}
        return {c: out.get(c, c) for c in self.columns()}

    def categorical(self) -> list[str]:
        return ["last_aid", "prev_aid", *(f"cat_{i}" for i in range(len(self.category_attrs)))]


def prefix_events(con: duckdb.DuckDBPyConnection) -> None:
    """`pf_ev`: each case's events from its clock start up to (not including) its decision, numbered."""
    con.execute("""
        CREATE OR REPLACE TABLE pf_ev AS
        WITH e AS (
            SELECT e.cid, e.aid, e.end_us, e.event_seq, c.start_us, c.stop_us
            FROM events_in e JOIN dl_clock c USING (cid)
            WHERE e.end_us >= c.start_us AND (c.stop_us IS NULL OR e.end_us < c.stop_us)
        )
        SELECT cid, aid, end_us AS t_us, start_us, stop_us,
               CAST(row_number() OVER (PARTITION BY cid ORDER BY end_us, event_seq) AS INTEGER) AS k,
               lead(end_us) OVER (PARTITION BY cid ORDER BY end_us, event_seq) AS next_us,
               lead(aid) OVER (PARTITION BY cid ORDER BY end_us, event_seq) AS next_aid
        FROM e
    """)


def gap_observations(con: duckdb.DuckDBPyConnection, *, table: str = "obs") -> None:
    """One observation inside each gap after an event of a decided case (the training and test rows)."""
    con.execute(f"""
        CREATE OR REPLACE TABLE {table} AS
        SELECT cid, k, aid AS last_aid, t_us AS last_us,
               t_us + CAST(((cid * 2654435761 + k * 40503) % 997) / 997.0
                           * (coalesce(next_us, stop_us) - t_us) AS BIGINT) AS t_obs
        FROM pf_ev WHERE stop_us IS NOT NULL
    """)


def snapshot_observations(con: duckdb.DuckDBPyConnection, moment_us: int, *, table: str = "obs_now") -> None:
    """Every case open at `moment_us` (clock started, not decided by then), observed at that moment."""
    con.execute(f"""
        CREATE OR REPLACE TABLE {table} AS
        SELECT cid, k, aid AS last_aid, t_us AS last_us, CAST(? AS BIGINT) AS t_obs
        FROM pf_ev
        WHERE t_us <= ? AND (stop_us IS NULL OR stop_us > ?)
        QUALIFY row_number() OVER (PARTITION BY cid ORDER BY k DESC) = 1
    """, [moment_us, moment_us, moment_us])


def batch_weekdays(con: duckdb.DuckDBPyConnection, zone: str) -> tuple[int, ...]:
    """ISO weekdays on which some activity happens almost only (≥ 80 % of ≥ 50 events): a weekly meeting."""
    rows = con.execute(f"""
        WITH d AS (SELECT aid, isodow(timezone({literal(zone)}, make_timestamp(end_us)::TIMESTAMPTZ)) AS dow FROM events_in),
        g AS (SELECT aid, dow, count(*) AS n FROM d GROUP BY aid, dow),
        c AS (SELECT aid, dow, n, sum(n) OVER (PARTITION BY aid) AS total FROM g)
        SELECT DISTINCT dow FROM c WHERE total >= 50 AND n >= 0.8 * total ORDER BY dow
    """).fetchall()
    return tuple(r[0] for r in rows)


def _attribute_table(con: duckdb.DuckDBPyConnection, spec: FeatureSpec) -> None:
    num = pd.DataFrame({"name": list(spec.numeric_attrs), "i": range(len(spec.numeric_attrs))})
    cat = pd.DataFrame({"name": list(spec.category_attrs), "i": range(len(spec.category_attrs))})
    con.register("_num_attrs", num)
    con.register("_cat_attrs", cat)
    cols = ", ".join([*(f"max(CASE WHEN n.i = {i} THEN a.value_number END) AS num_{i}"
                        for i in range(len(spec.numeric_attrs))),
                      *(f"max(CASE WHEN c.i = {i} THEN a.value END) AS cat_{i}"
                        for i in range(len(spec.category_attrs)))])
    con.execute(f"""
        CREATE OR REPLACE TABLE pf_attrs AS
        SELECT a.cid{', ' + cols if cols else ''}
        FROM case_attr a LEFT JOIN _num_attrs n ON n.name = a.name LEFT JOIN _cat_attrs c ON c.name = a.name
        GROUP BY a.cid
    """)
    con.unregister("_num_attrs")
    con.unregister("_cat_attrs")


def _timelines(con: duckdb.DuckDBPyConnection) -> None:
    """Open cases over time (`tl_wip`) and cases sitting after each activity (`tl_queue`), as running sums
    of +1/−1 steps: an as-of join reads the count at any moment from past events only."""
    con.execute("""
        CREATE OR REPLACE TABLE tl_wip AS
        WITH steps AS (
            SELECT start_us AS t, 1 AS d FROM dl_clock
            UNION ALL SELECT stop_us, -1 FROM dl_clock WHERE stop_us IS NOT NULL
        )
        SELECT t, sum(sum(d)) OVER (ORDER BY t ROWS UNBOUNDED PRECEDING) AS wip FROM steps GROUP BY t
    """)
    con.execute("""
        CREATE OR REPLACE TABLE tl_queue AS
        WITH steps AS (
            SELECT aid, t_us AS t, 1 AS d FROM pf_ev
            UNION ALL SELECT aid, coalesce(next_us, stop_us), -1 FROM pf_ev WHERE coalesce(next_us, stop_us) IS NOT NULL
        )
        SELECT aid, t, sum(sum(d)) OVER (PARTITION BY aid ORDER BY t ROWS UNBOUNDED PRECEDING) AS queue
        FROM steps GROUP BY aid, t
    """)


RECENT_STEP_DAYS = 14
RECENT_INTO_ACTIVITIES = 8  # the commonest activities: how long reaching each took lately (the process's state)
RECENT_REMAINING_DAYS = 28


def _recent(con: duckdb.DuckDBPyConnection) -> None:
    """How long moving on from an activity, and reaching the decision from it, took lately: rolling means
    per activity over the transitions (`tl_step`) and decisions (`tl_remaining`) of the days before.

    A queue that grows for a while (a staff shortage, a holiday backlog) shows here before any model
    trained on older cases can know it. Rows are keyed by UTC day; readers join on days strictly before
    the observation's, so nothing completed later the same day is seen.
    """
    day = US_PER_DAY
    con.execute(f"""
        CREATE OR REPLACE TABLE tl_step AS
        WITH t AS (
            SELECT aid, coalesce(next_us, stop_us) // {day} AS day, (coalesce(next_us, stop_us) - t_us) / {day}::DOUBLE AS gap
            FROM pf_ev WHERE coalesce(next_us, stop_us) IS NOT NULL
        ),
        d AS (SELECT aid, day, sum(gap) AS s, count(*) AS n FROM t GROUP BY aid, day)
        SELECT aid, day, sum(s) OVER w / sum(n) OVER w AS recent_step_days
        FROM d WINDOW w AS (PARTITION BY aid ORDER BY day RANGE BETWEEN {RECENT_STEP_DAYS - 1} PRECEDING AND CURRENT ROW)
    """)
    con.execute(f"""
        CREATE OR REPLACE TABLE tl_into AS
        WITH t AS (
            SELECT next_aid AS aid, next_us // {day} AS day, (next_us - t_us) / {day}::DOUBLE AS gap
            FROM pf_ev WHERE next_us IS NOT NULL
        ),
        d AS (SELECT aid, day, sum(gap) AS s, count(*) AS n FROM t GROUP BY aid, day)
        SELECT aid, day, sum(s) OVER w / sum(n) OVER w AS recent_into_days
        FROM d WINDOW w AS (PARTITION BY aid ORDER BY day RANGE BETWEEN {RECENT_STEP_DAYS - 1} PRECEDING AND CURRENT ROW)
    """)
    con.execute(f"""
        CREATE OR REPLACE TABLE tl_remaining AS
        WITH t AS (SELECT aid, stop_us // {day} AS day, (stop_us - t_us) / {day}::DOUBLE AS rest
                   FROM pf_ev WHERE stop_us IS NOT NULL),
        d AS (SELECT aid, day, sum(rest) AS s, count(*) AS n FROM t GROUP BY aid, day)
        SELECT aid, day, sum(s) OVER w / sum(n) OVER w AS recent_remaining_days
        FROM d WINDOW w AS (PARTITION BY aid ORDER BY day
                            RANGE BETWEEN {RECENT_REMAINING_DAYS - 1} PRECEDING AND CURRENT ROW)
    """)


def _pause_pairs_known(con: duckdb.DuckDBPyConnection) -> bool:
    return bool(con.execute("SELECT count(*) FROM dl_pairs WHERE pause_aid IS NOT NULL").fetchall()[0][0])


def features(con: duckdb.DuckDBPyConnection, spec: FeatureSpec, obs: str, *, zone: str,
             with_labels: bool) -> pd.DataFrame:
    """One row per observation of table `obs`: `spec.columns()` plus cid, k, t_obs and, with labels,
    remaining_days, miss and next_aid (-1 = the decision comes next)."""
    _attribute_table(con, spec)
    if not con.execute("SELECT count(*) FROM duckdb_tables() WHERE table_name = 'tl_wip'").fetchall()[0][0]:
        _timelines(con)
        _recent(con)
    counts = ", ".join(f"sum(CASE WHEN aid = {a} THEN 1 ELSE 0 END) OVER w AS n_{a}" for a in spec.counted_aids)
    con.execute(f"""
        CREATE OR REPLACE TABLE pf_cum AS
        SELECT cid, k, lag(aid) OVER (PARTITION BY cid ORDER BY k) AS prev_aid
               {', ' + counts if counts else ''}
        FROM pf_ev WINDOW w AS (PARTITION BY cid ORDER BY k ROWS UNBOUNDED PRECEDING)
    """)
    con.execute("""
        CREATE OR REPLACE TABLE pf_distinct AS
        WITH first_seen AS (SELECT cid, aid, min(k) AS k FROM pf_ev GROUP BY cid, aid)
        SELECT p.cid, p.k, count(*) AS distinct_acts
        FROM pf_ev p JOIN first_seen f ON f.cid = p.cid AND f.k <= p.k GROUP BY p.cid, p.k
    """)
    pauses = _pause_pairs_known(con)
    pause_sql = """
        SELECT o.cid, o.k, sum(greatest(0, least(coalesce(iv.b, o.t_obs), o.t_obs) - iv.a)) AS paused_us,
               bool_or(iv.a <= o.t_obs AND (iv.b IS NULL OR iv.b > o.t_obs)) AS in_pause
        FROM {obs} o JOIN pf_pause_iv iv ON iv.cid = o.cid AND iv.a <= o.t_obs GROUP BY o.cid, o.k
    """.format(obs=obs)
    if pauses:
        con.execute("""
            CREATE OR REPLACE TABLE pf_pause_iv AS
            WITH ps AS (SELECT e.cid, p.pair, e.end_us AS a FROM events_in e JOIN dl_pairs p ON e.aid = p.pause_aid),
                 rs AS (SELECT e.cid, p.pair, e.end_us AS b FROM events_in e JOIN dl_pairs p ON e.aid = p.resume_aid)
            SELECT ps.cid, ps.a, rs.b FROM ps ASOF LEFT JOIN rs ON ps.cid = rs.cid AND ps.pair = rs.pair AND rs.b >= ps.a
        """)
    extension_days = """(SELECT coalesce(sum(x.days), 0) FROM ext_ev x
                         WHERE x.cid = o.cid AND x.end_us BETWEEN s.start_us AND o.t_obs)"""
    labels = """,
        (s.decided_us - o.t_obs) / {day}::DOUBLE AS remaining_days,
        CASE WHEN s.in_time IS NOT NULL THEN NOT s.in_time END AS miss,
        coalesce(pe.next_aid, -1) AS next_aid""".format(day=US_PER_DAY) if with_labels else ""
    batch = list(spec.batch_weekdays) or [0]
    dow = f"isodow(timezone({literal(zone)}, make_timestamp(o.t_obs)::TIMESTAMPTZ))"
    to_batch = ("least(" + ", ".join(f"(({b} - {dow} + 7) % 7)" for b in batch) + ")") if spec.batch_weekdays \
        else "-1"
    frame = con.execute(f"""
        WITH p AS ({pause_sql if pauses else f"SELECT cid, k, 0 AS paused_us, false AS in_pause FROM {obs} WHERE false"})
        SELECT o.cid, o.k, o.t_obs,
               o.k AS prefix_len,
               (o.t_obs - s.start_us) / {US_PER_DAY}::DOUBLE AS elapsed_days,
               (o.t_obs - o.last_us) / {US_PER_DAY}::DOUBLE AS since_last_days,
               coalesce(p.paused_us, 0) / {US_PER_DAY}::DOUBLE AS paused_days,
               CAST(coalesce(p.in_pause, false) AS INTEGER) AS in_pause,
               CASE WHEN s.deadline_days IS NOT NULL THEN
                   (s.start_us + (s.deadline_days + {extension_days}) * {US_PER_DAY}::DOUBLE
                    + coalesce(p.paused_us, 0) - o.t_obs) / {US_PER_DAY}::DOUBLE END AS days_left,
               s.deadline_days,
               o.last_aid, coalesce(c.prev_aid, -1) AS prev_aid,
               w.wip, q.queue, rs.recent_step_days, rr.recent_remaining_days,
               {dow} AS weekday,
               hour(timezone({literal(zone)}, make_timestamp(o.t_obs)::TIMESTAMPTZ)) AS hour,
               isodow(timezone({literal(zone)}, make_timestamp(o.last_us)::TIMESTAMPTZ)) AS last_weekday,
               hour(timezone({literal(zone)}, make_timestamp(o.last_us)::TIMESTAMPTZ))
                 + minute(timezone({literal(zone)}, make_timestamp(o.last_us)::TIMESTAMPTZ)) / 60.0 AS last_hour,
               {to_batch} AS days_to_batch,
               d.distinct_acts, o.k - d.distinct_acts AS repeats
               {''.join(f', c.n_{a}' for a in spec.counted_aids)}
               {''.join(f', i{a}.recent_into_days AS into_{a}' for a in spec.into_aids)}
               {''.join(f', a.num_{i}' for i in range(len(spec.numeric_attrs)))}
               {''.join(f', a.cat_{i}' for i in range(len(spec.category_attrs)))}
               {labels}
        FROM {obs} o
        JOIN dl_status s ON s.cid = o.cid
        JOIN pf_cum c ON c.cid = o.cid AND c.k = o.k
        JOIN pf_distinct d ON d.cid = o.cid AND d.k = o.k
        JOIN pf_ev pe ON pe.cid = o.cid AND pe.k = o.k
        LEFT JOIN p ON p.cid = o.cid AND p.k = o.k
        LEFT JOIN pf_attrs a ON a.cid = o.cid
        ASOF LEFT JOIN tl_wip w ON o.t_obs >= w.t
        ASOF LEFT JOIN tl_queue q ON q.aid = o.last_aid AND o.t_obs >= q.t
        ASOF LEFT JOIN tl_step rs ON rs.aid = o.last_aid AND o.t_obs // {US_PER_DAY} > rs.day
        ASOF LEFT JOIN tl_remaining rr ON rr.aid = o.last_aid AND o.t_obs // {US_PER_DAY} > rr.day
        {' '.join(f"ASOF LEFT JOIN (SELECT day, recent_into_days FROM tl_into WHERE aid = {a}) i{a} "
                  f"ON o.t_obs // {US_PER_DAY} > i{a}.day" for a in spec.into_aids)}
        ORDER BY o.cid, o.k
    """).df()
    return frame


def choose_spec(con: duckdb.DuckDBPyConnection, *, train_cids: np.ndarray, zone: str,
                outcome_attrs: tuple[str, ...] = ()) -> FeatureSpec:
    """The feature columns, decided on the training cases only (activities by frequency, attributes
    that are not identifiers, timestamps or copies of the outcome)."""
    con.register("_train", pd.DataFrame({"cid": train_cids}))
    counted = tuple(r[0] for r in con.execute(f"""
        SELECT aid FROM pf_ev WHERE cid IN (SELECT cid FROM _train) GROUP BY aid ORDER BY count(*) DESC, aid
        LIMIT {MAX_COUNTED_ACTIVITIES}""").fetchall())
    attrs = con.execute("""
        SELECT name, any_value(kind) AS kind, count(DISTINCT value) AS values, count(DISTINCT cid) AS cases
        FROM case_attr WHERE cid IN (SELECT cid FROM _train) GROUP BY name ORDER BY name
    """).fetchall()
    n_train = max(len(train_cids), 1)
    left_out: list[tuple[str, str]] = []
    numeric, category = [], []
    for name, kind, values, cases in attrs:
        if name in outcome_attrs:
            left_out.append((name, "outcome attribute"))
        elif kind in ("time", "date"):
            left_out.append((name, "a moment, possibly after the prediction"))
        elif cases < 0.2 * n_train:
            left_out.append((name, "on too few cases"))
        elif kind == "number":
            numeric.append(name)
        elif values <= MAX_CATEGORIES:
            category.append(name)
        else:
            left_out.append((name, "too many distinct values (an identifier or free text)"))
    leaks = leaky_attributes(con, numeric + category)
    left_out += [(name, why) for name, why in leaks.items()]
    con.unregister("_train")
    return FeatureSpec(counted_aids=counted, into_aids=counted[:RECENT_INTO_ACTIVITIES],
                       numeric_attrs=tuple(n for n in numeric if n not in leaks),
                       category_attrs=tuple(c for c in category if c not in leaks),
                       batch_weekdays=batch_weekdays(con, zone), left_out=tuple(left_out))


def leaky_attributes(con: duckdb.DuckDBPyConnection, names: list[str]) -> dict[str, str]:
    """Attributes of the training cases (`_train`) that copy the outcome: a number whose rank correlation
    with the case's duration is ≥ 0.9 (or whose values explain ≥ 90 % of its variance), or values that
    tell missed from kept deadlines with 80 % fewer errors than always guessing the common outcome. A case attribute is stated at the start; one that knows the end was written later."""
    if not names:
        return {}
    con.register("_names", pd.DataFrame({"name": names}))
    rows = con.execute("""
        WITH c AS (
            SELECT s.cid, (s.decided_us - s.start_us) / 1e6 AS duration,
                   CASE WHEN s.in_time IS NOT NULL THEN NOT s.in_time END AS miss
            FROM dl_status s WHERE s.closed AND s.cid IN (SELECT cid FROM _train)
        ),
        v AS (SELECT a.name, a.value, a.value_number, c.duration, c.miss
              FROM case_attr a JOIN c USING (cid) WHERE a.name IN (SELECT name FROM _names)),
        ranks AS (SELECT name, rank() OVER (PARTITION BY name ORDER BY value_number) AS rx,
                         rank() OVER (PARTITION BY name ORDER BY duration) AS ry FROM v WHERE value_number IS NOT NULL),
        corr_num AS (SELECT name, abs(corr(rx, ry)) AS rho FROM ranks GROUP BY name),
        by_value AS (SELECT name, value, count(*) AS n, avg(miss::INTEGER) AS p, var_pop(duration) AS var_in,
                            avg(duration) AS mean_in
                     FROM v GROUP BY name, value),
        totals AS (SELECT name, var_pop(duration) AS var_all, avg(miss::INTEGER) AS p_all, count(*) AS n_all
                   FROM v GROUP BY name),
        split AS (
            SELECT b.name,
                   1 - sum(b.n * coalesce(b.var_in, 0)) / nullif(any_value(t.var_all) * any_value(t.n_all), 0) AS eta2,
                   sum(b.n * greatest(b.p, 1 - b.p)) / any_value(t.n_all) AS purity,
                   greatest(any_value(t.p_all), 1 - any_value(t.p_all)) AS base,
                   count(*) AS n_values
            FROM by_value b JOIN totals t USING (name) GROUP BY b.name
        )
        SELECT s.name, c.rho, s.eta2, s.purity, s.base, s.n_values FROM split s LEFT JOIN corr_num c USING (name)
    """).fetchall()
    con.unregister("_names")
    leaks: dict[str, str] = {}
    for name, rho, eta2, purity, base, n_values in rows:
        if rho is not None and rho >= LEAK_THRESHOLD:
            leaks[name] = f"copies the outcome (rank correlation with the lead time {rho:.2f})"
        elif n_values <= MAX_CATEGORIES and eta2 is not None and eta2 >= LEAK_THRESHOLD:
            leaks[name] = f"copies the outcome (explains {eta2:.0%} of the lead time's variance)"
        elif purity is not None and base is not None and base < 0.97 and \
                (purity - base) >= LEAK_SHARE_OF_ERRORS * (1 - base):
            leaks[name] = f"copies the outcome (tells missed from kept deadlines in {purity:.0%} of cases)"
    return leaks
