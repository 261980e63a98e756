"""The legal clock of every case, closed and open, in DuckDB SQL over the in-memory event tables.

Counting rules (the README's "Frister" section says the same to users):
- Calendar days in the log's zone (Europe/Oslo by default). The clock starts on the local day of the
  clock-start event; a deadline of D days ends at the end of the local day D days later, plus the case's
  paused days and extension days. Local dates make the DST switch irrelevant: a 23- or 25-hour day is
  one day. Holidays do not stop the clock and a deadline on a holiday is not moved (pbl § 21-7 counts
  weeks; SAK10 § 7-4 names the pauses, nothing else).
- Paused time is the union of the intervals from a pause-start event to the first later pause-end event
  of its pair (overlapping pauses count once), clipped to the clock's run; its total is rounded up to
  whole days. A pause still open counts until the decision, or for an open case until `as_of`: its
  deadline moves day by day while it waits for the applicant.
- A case is decided in time when its first stop event (at or after the clock start) falls on or before
  the deadline day; `weeks_over` counts started weeks past the deadline day (0 when in time), so a
  decision one day late is one started week. For an open case the same counts run to `as_of`.
- Refund = fee × min(1, refund_per_started_week × weeks_over) (SAK10 § 7-6).

Inputs (from `monitor.load`): `events_in` (cid, aid, end_us, start_us, …), `act_dict`, `case_dict`,
`case_attr` (cid, name, value: normalised text), `case_num` (cid, name, value DOUBLE), `ext_ev` (cid,
end_us, days). Output: `dl_status`, one row per case whose clock started; `dl_within`, one row per case
and within-rule.
"""
from __future__ import annotations

import duckdb
import pandas as pd

from saksflyt.extractors.sql_text import literal

from .deadline_rules import Deadline, Within
from .stats import US_PER_DAY



def _aids(con: duckdb.DuckDBPyConnection, names: tuple[str, ...]) -> list[int]:
    if not names:
        return []
    frame = pd.DataFrame({"activity": list(names)})  # noqa: F841  (read by the query below)
    return [r[0] for r in con.execute(
        "SELECT a.aid FROM act_dict a JOIN frame f ON a.activity = f.activity").fetchall()]


def _small_tables(con: duckdb.DuckDBPyConnection, deadline: Deadline | None, stop: tuple[str, ...]) -> None:
    acts = dict(con.execute("SELECT activity, aid FROM act_dict").fetchall())
    pauses = deadline.pauses if deadline else ()
    pairs = pd.DataFrame([(i, acts.get(a), acts.get(b)) for i, (a, b) in enumerate(pauses)],
                         columns=["pair", "pause_aid", "resume_aid"]).astype("Int64")
    stops = pd.DataFrame({"aid": [acts[a] for a in stop if a in acts]}, dtype="Int64")
    rules = deadline.rules if deadline else ()
    conds = pd.DataFrame([(i, name, v) for i, r in enumerate(rules) for name, values in r.when for v in values],
                         columns=["rule_no", "name", "value"])
    heads = pd.DataFrame([(i, r.days, len(r.when)) for i, r in enumerate(rules)],
                         columns=["rule_no", "days", "n_conds"])
    for name, frame in (("dl_pairs", pairs), ("dl_stop", stops), ("dl_rule_cond", conds), ("dl_rules", heads)):
        con.register(f"_{name}", frame)
        con.execute(f"CREATE OR REPLACE TABLE {name} AS SELECT * FROM _{name}")
        con.unregister(f"_{name}")
    con.execute("ALTER TABLE dl_rule_cond ALTER rule_no TYPE BIGINT")


def status_table(con: duckdb.DuckDBPyConnection, *, deadline: Deadline | None, stop: tuple[str, ...],
                 zone: str, as_of_us: int) -> None:
    """Create `dl_status`: the clock of every case with a clock start, as known at `as_of_us`."""
    _small_tables(con, deadline, stop)
    start = _aids(con, (deadline.clock_start,)) if deadline and deadline.clock_start else []
    start_filter = f"WHERE aid = {start[0]}" if start else ""
    start_time = "end_us" if start else "coalesce(start_us, end_us)"
    local = f"CAST(timezone({literal(zone)}, make_timestamp({{}})::TIMESTAMPTZ) AS DATE)"
    default_days = deadline.days if deadline else None
    rate = deadline.refund_per_started_week if deadline else 0.0
    fee_attr = deadline.fee_attribute if deadline else None
    fee_const = deadline.fee if deadline else None
    con.execute(f"""
        CREATE OR REPLACE TABLE dl_clock AS
        WITH s AS (SELECT cid, min({start_time}) AS start_us FROM events_in {start_filter} GROUP BY cid),
        d AS (
            SELECT s.cid, min(e.end_us) AS stop_us FROM s JOIN events_in e ON e.cid = s.cid AND e.end_us >= s.start_us
            WHERE e.aid IN (SELECT aid FROM dl_stop) GROUP BY s.cid
        )
        SELECT s.cid, s.start_us, d.stop_us, coalesce(d.stop_us, {int(as_of_us)}) AS limit_us
        FROM s LEFT JOIN d USING (cid)
    """)
    con.execute("""
        CREATE OR REPLACE TABLE dl_pauses AS
        WITH ps AS (
            SELECT e.cid, p.pair, e.end_us AS p_us FROM events_in e JOIN dl_pairs p ON e.aid = p.pause_aid
        ),
        rs AS (SELECT e.cid, p.pair, e.end_us AS r_us FROM events_in e JOIN dl_pairs p ON e.aid = p.resume_aid),
        iv AS (
            SELECT ps.cid, greatest(ps.p_us, c.start_us) AS a, least(coalesce(rs.r_us, c.limit_us), c.limit_us) AS b,
                   rs.r_us IS NULL AS still_open
            FROM ps ASOF LEFT JOIN rs ON ps.cid = rs.cid AND ps.pair = rs.pair AND rs.r_us >= ps.p_us
            JOIN dl_clock c ON c.cid = ps.cid
            WHERE ps.p_us < c.limit_us AND coalesce(rs.r_us, c.limit_us) > c.start_us
        ),
        ordered AS (
            SELECT *, max(b) OVER (PARTITION BY cid ORDER BY a, b ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING)
                      AS before_max
            FROM iv
        ),
        grouped AS (
            SELECT *, sum(CASE WHEN before_max IS NULL OR a > before_max THEN 1 ELSE 0 END)
                      OVER (PARTITION BY cid ORDER BY a, b ROWS UNBOUNDED PRECEDING) AS island
            FROM ordered
        ),
        islands AS (SELECT cid, island, max(b) - min(a) AS us, bool_or(still_open) AS still_open
                    FROM grouped GROUP BY cid, island)
        SELECT cid, sum(us) AS paused_us, bool_or(still_open) AS pause_open FROM islands GROUP BY cid
    """)
    con.execute("""
        CREATE OR REPLACE TABLE dl_ext AS
        SELECT x.cid, sum(x.days) AS days FROM ext_ev x JOIN dl_clock c ON c.cid = x.cid
        WHERE x.end_us BETWEEN c.start_us AND c.limit_us GROUP BY x.cid
    """)
    con.execute("""
        CREATE OR REPLACE TABLE dl_rule_of AS
        WITH m AS (
            SELECT ca.cid, rc.rule_no, count(DISTINCT rc.name) AS n
            FROM case_attr ca JOIN dl_rule_cond rc ON ca.name = rc.name AND ca.value = rc.value GROUP BY ALL
        )
        SELECT m.cid, min(m.rule_no) AS rule_no FROM m JOIN dl_rules r ON r.rule_no = m.rule_no AND m.n = r.n_conds
        GROUP BY m.cid
    """)
    fee_sql = ("(SELECT value FROM case_num n WHERE n.cid = c.cid AND n.name = ? LIMIT 1)" if fee_attr
               else "CAST(? AS DOUBLE)")
    con.execute(f"""
        CREATE OR REPLACE TABLE dl_status AS
        WITH base AS (
            SELECT c.cid, c.start_us, c.stop_us, c.stop_us IS NOT NULL AS closed,
                   {local.format('c.start_us')} AS clock_start,
                   CASE WHEN c.stop_us IS NOT NULL THEN {local.format('c.stop_us')} END AS decided_date,
                   {local.format(str(int(as_of_us)))} AS as_of_date,
                   CAST(ceil(coalesce(p.paused_us, 0) / {US_PER_DAY}) AS INTEGER) AS days_paused,
                   coalesce(p.pause_open, false) AND c.stop_us IS NULL AS pause_open,
                   CAST(coalesce(x.days, 0) AS INTEGER) AS extension_days,
                   r.rule_no,
                   CAST(coalesce(h.days, ?) AS INTEGER) AS deadline_days,
                   {fee_sql} AS fee_nok
            FROM dl_clock c LEFT JOIN dl_pauses p USING (cid) LEFT JOIN dl_ext x USING (cid)
            LEFT JOIN dl_rule_of r USING (cid) LEFT JOIN dl_rules h ON h.rule_no = r.rule_no
        ),
        dated AS (
            SELECT *, clock_start + deadline_days + days_paused + extension_days AS deadline_date,
                   coalesce(decided_date, as_of_date) AS reached_date
            FROM base
        ),
        counted AS (
            SELECT *, CAST(reached_date - clock_start - days_paused AS INTEGER) AS days_used,
                   CAST(greatest(0, ceil((reached_date - deadline_date) / 7)) AS INTEGER) AS weeks_over
            FROM dated
        )
        SELECT k.case_id, c.cid, c.closed, c.clock_start, c.start_us, c.deadline_days, c.rule_no,
               c.deadline_date, c.stop_us AS decided_us, c.decided_date, c.days_used, c.days_paused, c.pause_open,
               c.extension_days,
               CASE WHEN NOT c.closed THEN CAST(c.deadline_date - c.as_of_date AS INTEGER) END AS days_left,
               CASE WHEN c.closed AND c.deadline_date IS NOT NULL THEN c.decided_date <= c.deadline_date END
                   AS in_time,
               c.weeks_over, c.fee_nok,
               c.fee_nok * least(1.0, ? * c.weeks_over) AS refund_nok
        FROM counted c JOIN case_dict k USING (cid)
    """, [default_days, fee_attr if fee_attr else fee_const, rate])
    if deadline is None:  # no legal clock configured: the case's run only, no deadline to hold it against
        con.execute("""UPDATE dl_status SET deadline_date = NULL, weeks_over = NULL, refund_nok = NULL,
                       days_left = NULL, deadline_days = NULL""")


def within_table(con: duckdb.DuckDBPyConnection, rules: tuple[Within, ...], *, zone: str, as_of_us: int) -> None:
    """Create `dl_within`: per case and rule, the due day and whether the step came by then.

    status: `met`, `missed` (came late), `overdue` (not come, past due) or `pending` (not come, not due).
    A case whose clock has stopped before the rule's step counts as met when a `to` activity is the stop.
    """
    acts = dict(con.execute("SELECT activity, aid FROM act_dict").fetchall())
    rows = [(i, w.name, acts.get(w.start), acts.get(t), w.days) for i, w in enumerate(rules) for t in w.to]
    frame = pd.DataFrame(rows, columns=["rule_no", "name", "from_aid", "to_aid", "days"]).astype(
        {"rule_no": "int64", "from_aid": "Int64", "to_aid": "Int64", "days": "int64"})
    con.register("_dl_within_rules", frame)
    con.execute("CREATE OR REPLACE TABLE dl_within_rules AS SELECT * FROM _dl_within_rules")
    con.unregister("_dl_within_rules")
    local = f"CAST(timezone({literal(zone)}, make_timestamp({{}})::TIMESTAMPTZ) AS DATE)"
    con.execute(f"""
        CREATE OR REPLACE TABLE dl_within AS
        WITH f AS (
            SELECT DISTINCT r.rule_no, r.name, r.days, e.cid, min(e.end_us) OVER (PARTITION BY r.rule_no, e.cid) AS from_us
            FROM dl_within_rules r JOIN events_in e ON e.aid = r.from_aid
        ),
        t AS (
            SELECT f.rule_no, f.cid, min(e.end_us) AS done_us
            FROM f JOIN dl_within_rules r ON r.rule_no = f.rule_no
            JOIN events_in e ON e.cid = f.cid AND e.aid = r.to_aid AND e.end_us >= f.from_us
            GROUP BY f.rule_no, f.cid
        ),
        dated AS (
            SELECT f.*, t.done_us, {local.format('f.from_us')} + CAST(f.days AS INTEGER) AS due_date,
                   CASE WHEN t.done_us IS NOT NULL THEN {local.format('t.done_us')} END AS done_date,
                   {local.format(str(int(as_of_us)))} AS as_of_date
            FROM f LEFT JOIN t USING (rule_no, cid)
        )
        SELECT k.case_id, d.cid, d.rule_no, d.name, d.due_date, d.done_us, d.done_date,
               CASE WHEN d.done_date IS NOT NULL AND d.done_date <= d.due_date THEN 'met'
                    WHEN d.done_date IS NOT NULL THEN 'missed'
                    WHEN d.as_of_date > d.due_date THEN 'overdue' ELSE 'pending' END AS status,
               CAST(d.due_date - d.as_of_date AS INTEGER) AS days_left
        FROM dated d JOIN case_dict k USING (cid)
    """)


def history(con: duckdb.DuckDBPyConnection) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Closed cases' compliance per decision month and refunds per decision year."""
    monthly = con.execute("""
        SELECT strftime(decided_date, '%Y-%m') AS month, count(*) AS decided,
               count(*) FILTER (WHERE in_time) AS in_time, avg(CASE WHEN in_time THEN 1.0 ELSE 0.0 END) AS share_in_time,
               coalesce(sum(refund_nok), 0) AS refund_nok
        FROM dl_status WHERE closed AND in_time IS NOT NULL GROUP BY month ORDER BY month
    """).df()
    yearly = con.execute("""
        SELECT year(decided_date) AS year, count(*) AS decided, count(*) FILTER (WHERE NOT in_time) AS late,
               coalesce(sum(refund_nok), 0) AS refund_nok
        FROM dl_status WHERE closed AND in_time IS NOT NULL GROUP BY year ORDER BY year
    """).df()
    return monthly, yearly
