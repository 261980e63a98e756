"""Needless steps: optional activities whose presence changes no outcome, adds time, and follows no rule.

For each optional activity (present in some closed cases, absent in others, at least `MIN_CASES` on each
side) the closed cases with and without it are compared:
- outcome (the case's end activity): chi-square test of independence, or Fisher's exact test when an
  expected count is below 5 (exact for 2×2, Monte Carlo otherwise); effect size Cramér's V;
- case duration in calendar hours: Mann–Whitney U; effect size the rank-biserial correlation
  (positive: cases with the step take longer); `hours_added` = median with − median without;
- what follows: the step most often next, and the other step whose presence differs most.
p-values are corrected across activities with Benjamini–Hochberg, separately per test.

Then what *predicts* the step's presence, by the cross-validated balanced accuracy of a shallow decision
tree: from the case attributes (a rule: e.g. a hearing exactly when a dispensation is sought), or from
people (a habit): who did the step before it, or who handles the case (the person with most of its
other events) — the better of the two counts. Not "everyone else on the case": the people a step
brings in (the lawyers of a referral) would predict it perfectly and make a routing look like a habit.

Verdicts, in order: `mandatory` (named with --mandatory; never proposed), `triggered` (the step is done
by a system or an outside party, or its name says something arrived from outside — a payment, a reply,
an appeal received — or it follows such an event in nearly every case and nearly every such event is
followed by it: the organisation does not choose it), `too_few_cases`, `rework` (the step sends the
case back: see rework.json), `changes_outcome`,
`rule_driven` (case attributes predict it), `needless` (a habit predicts it better than the case data,
and it changes no outcome: the only verdict that makes an `eliminate` candidate), else `unexplained`
(nothing predicts it: listed for review, never proposed for elimination — a random spot check and a
clerk's habit must not look alike).
"""
from __future__ import annotations

import logging
import math
import re
from typing import Any

import duckdb
import numpy as np
import pandas as pd

from . import report as text
from .compare_stats import benjamini_hochberg
from .context import MiningContext
from .findings import NeedlessStep
from .insights_results import activity_names, by_lang_json, options_of, output, sentences_by_lang

log = logging.getLogger(__name__)

MIN_CASES = 30
ALPHA = 0.05
MIN_CRAMERS_V = 0.1         # a smaller outcome difference is not a changed outcome, whatever its p
PREDICTS = 0.75             # balanced accuracy from which a feature set "predicts" presence
MAX_FIT_CASES = 20_000
MAX_OUTCOMES = 10
MAX_RESOURCES = 100
MAX_TEXT_LEVELS = 30
MONTE_CARLO_RESAMPLES = 2000
CV_FOLDS = 3
VERDICTS = ("mandatory", "triggered", "too_few_cases", "rework", "changes_outcome", "rule_driven", "needless",
            "unexplained")
HABIT_BASES = ("previous_step", "handler", "co_workers")   # what the habit model predicts a step from
# Names of inbound events: something arrived from outside (a receipt, a reply, a payment), however a clerk
# may have registered it. The words end ("Klage mottatt", "request received") or start ("receive
# additional information", "Motta søknad", "Payment") the name, so "Registrere mottatt søknad" (a
# clerk's registration) and "send confirmation receipt" (outbound) are not inbound.
INBOUND_END = re.compile(r"(?i)\b(mottatt|mottatte|innkommet|innkomne|received|arrived|ontvangen|returned)\s*$")
INBOUND_START = re.compile(r"(?i)^\s*(motta|mottak av|receive|receiving|ontvang\w*|payment|betaling|innbetaling"
                           r"|svar fra|reply from|response from|answer from)\b")
NON_STAFF_SHARE = 0.5       # an activity mostly done by systems or outside parties is triggered
TRIGGER_FOLLOWS = 0.95      # share of the step's cases where a non-staff event comes first …
TRIGGER_COVERS = 0.8        # … and share of that event's cases that then get the step
STEADY_SHARE = 0.95         # steps this share of closed cases have say who handles a case


# --- data --------------------------------------------------------------------------------------


def _closed_cases(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    return con.sql("SELECT cid, end_aid, duration_hours FROM ins_cases WHERE closed ORDER BY cid").df() \
        .set_index("cid")


def _presence(con: duckdb.DuckDBPyConnection, aids: list[int]) -> pd.DataFrame:
    """Closed cases × candidate activity ids, True where the case has the activity (aggregated in SQL)."""
    long = con.execute("""
        SELECT DISTINCT e.cid, e.aid FROM ins_ev e JOIN ins_cases c USING (cid)
        WHERE c.closed AND list_contains(?, e.aid)
    """, [aids]).df()
    long["v"] = True
    return long.pivot(index="cid", columns="aid", values="v").fillna(False).astype(bool)


def _next_steps(con: duckdb.DuckDBPyConnection, aids: list[int]) -> dict[int, tuple[int, float]]:
    rows = con.execute("""
        WITH nx AS (
            SELECT aid, lead(aid) OVER (PARTITION BY cid ORDER BY pos) AS nxt FROM ins_ev
        )
        SELECT aid, arg_max(nxt, k), max(k) / sum(k) FROM (
            SELECT aid, nxt, count(*) AS k FROM nx WHERE list_contains(?, aid) AND nxt IS NOT NULL
            GROUP BY ALL
        ) GROUP BY aid
    """, [aids]).fetchall()
    return {a: (n, s) for a, n, s in rows}


def _attribute_features(con: duckdb.DuckDBPyConnection, index: pd.Index) -> pd.DataFrame:
    """Case attributes as model features: numbers and booleans as they are, low-cardinality text one-hot."""
    long = con.sql("SELECT * FROM ins_attr").df()
    long = long[long["cid"].isin(index)]
    cols: dict[str, pd.Series] = {}
    for (name, kind), part in long.groupby(["name", "kind"], sort=True):
        part = part.drop_duplicates("cid").set_index("cid")
        if kind == "number":
            cols[name] = part["value_number"].astype(float)
        elif kind == "bool":
            cols[name] = part["value_bool"].astype(float)
        elif kind == "text":
            values = part["value_text"]
            levels = values.nunique()
            if levels < 2 or levels > MAX_TEXT_LEVELS or levels > 0.5 * len(values):
                continue  # names, pseudonyms and ids say nothing general
            for level in sorted(values.dropna().unique()):
                cols[f"{name}={level}"] = (values == level).astype(float)
    if not cols:
        return pd.DataFrame(index=index)
    return pd.DataFrame(cols).reindex(index)


def _resource_counts(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Per closed case, activity and person: events; only the organisation's own people."""
    return con.execute("""
        WITH top AS (
            SELECT rid FROM ins_ev JOIN ins_rkind k USING (rid) WHERE k.kind = 'person'
            GROUP BY rid ORDER BY count(DISTINCT cid) DESC, rid LIMIT ?
        )
        SELECT e.cid, e.aid, e.rid, count(*) AS n
        FROM ins_ev e JOIN top USING (rid) JOIN ins_cases c USING (cid)
        WHERE c.closed GROUP BY ALL
    """, [MAX_RESOURCES]).df()


def is_inbound(activity: str) -> bool:
    """Whether the activity's name says something arrived from outside (see `INBOUND_END`)."""
    return bool(INBOUND_END.search(activity) or INBOUND_START.search(activity))


def _non_staff_shares(con: duckdb.DuckDBPyConnection) -> dict[int, float]:
    """Per activity: the share of its events done by systems or outside parties."""
    return dict(con.execute("""
        SELECT e.aid, avg(CASE WHEN k.kind IN ('system', 'external') THEN 1.0 ELSE 0.0 END)
        FROM ins_ev e LEFT JOIN ins_rkind k USING (rid) GROUP BY e.aid
    """).fetchall())


def _triggers(con: duckdb.DuckDBPyConnection, aids: list[int], sources: list[int]) -> dict[int, tuple[int, float, float]]:
    """Per activity in `aids`: the non-staff activity (from `sources`) that best explains it, with (the share
    of the step's cases where that activity came first, the share of that activity's cases that then
    have the step); best is the highest product of the two."""
    if not aids or not sources:
        return {}
    rows = con.execute("""
        WITH f AS (SELECT cid, aid, min(pos) AS p FROM ins_ev GROUP BY cid, aid),
        a AS (SELECT * FROM f WHERE list_contains($aids, aid)),
        s AS (SELECT * FROM f WHERE list_contains($sources, aid)),
        n_a AS (SELECT aid, count(*) AS n FROM a GROUP BY aid),
        n_s AS (SELECT aid, count(*) AS n FROM s GROUP BY aid),
        pairs AS (
            SELECT a.aid, s.aid AS src, count(*) AS k
            FROM a JOIN s ON a.cid = s.cid AND s.p < a.p AND s.aid <> a.aid GROUP BY ALL
        )
        SELECT aid, arg_max(src, follows * covers), arg_max(follows, follows * covers),
               arg_max(covers, follows * covers)
        FROM (SELECT p.aid, p.src, p.k / na.n AS follows, p.k / ns.n AS covers
              FROM pairs p JOIN n_a na ON na.aid = p.aid JOIN n_s ns ON ns.aid = p.src)
        GROUP BY aid
    """, {"aids": aids, "sources": sources}).fetchall()
    return {a: (src, float(follows), float(covers)) for a, src, follows, covers in rows}


def _last_resource(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Per closed case and activity: the person who did its last occurrence (rid), for the previous-step habit."""
    return con.execute("""
        SELECT e.cid, e.aid, arg_max(e.rid, e.pos) AS rid
        FROM ins_ev e JOIN ins_rkind k USING (rid) JOIN ins_cases c USING (cid)
        WHERE c.closed AND k.kind = 'person' GROUP BY e.cid, e.aid
    """).df()


def _top_predecessors(con: duckdb.DuckDBPyConnection, aids: list[int]) -> dict[int, int]:
    rows = con.execute("""
        SELECT aid, arg_max(prev_aid, k) FROM (
            SELECT aid, prev_aid, count(*) AS k FROM ins_ev
            WHERE list_contains(?, aid) AND prev_aid IS NOT NULL AND prev_aid <> aid GROUP BY ALL
        ) GROUP BY aid
    """, [aids]).fetchall()
    return {a: p for a, p in rows}


def _one_hot(codes: np.ndarray) -> np.ndarray:
    """Rows of 0/1 per distinct non-negative code (−1: none of them)."""
    levels = np.unique(codes[codes >= 0])
    if levels.size == 0:
        return np.zeros((len(codes), 0), dtype=np.float32)
    return (codes[:, None] == levels[None, :]).astype(np.float32)


# --- tests -------------------------------------------------------------------------------------


def _sps() -> Any:
    """scipy.stats, imported when a test runs: ~60 MB that `mine`'s statistics alone never need."""
    from scipy import stats

    return stats


def _outcome_test(table: np.ndarray, rng: np.random.Generator) -> tuple[str | None, float | None, float | None]:
    """Presence (rows) × outcome (columns): which test, p-value and Cramér's V."""
    sps = _sps()
    table = table[:, table.sum(axis=0) > 0]
    if table.shape[1] < 2:
        return None, None, None
    n = table.sum()
    chi2, p, _, expected = sps.chi2_contingency(table, correction=False)
    v = math.sqrt(chi2 / (n * (min(table.shape) - 1)))
    if (expected >= 5).all():
        return "chi2", float(p), v
    if table.shape == (2, 2):
        return "fisher", float(sps.fisher_exact(table).pvalue), v
    res = sps.fisher_exact(table, method=sps.MonteCarloMethod(n_resamples=MONTE_CARLO_RESAMPLES, rng=rng))
    return "fisher_monte_carlo", float(res.pvalue), v


def _duration_test(with_h: np.ndarray, without_h: np.ndarray) -> tuple[float | None, float | None]:
    if len(with_h) < MIN_CASES or len(without_h) < MIN_CASES:
        return None, None
    res = _sps().mannwhitneyu(with_h, without_h, alternative="two-sided")
    rbc = 2 * res.statistic / (len(with_h) * len(without_h)) - 1
    return float(res.pvalue), float(rbc)


def _score(x: np.ndarray, y: np.ndarray, random_state: int) -> float | None:
    """Cross-validated balanced accuracy of a shallow tree predicting presence from features `x`.

    A hand-rolled stratified k-fold around `DecisionTreeClassifier` with balanced sample weights: with
    a hundred activities to test, `cross_val_score`'s per-call checks cost more than the trees.
    """
    from sklearn.tree import DecisionTreeClassifier

    positives = int(y.sum())
    if x.shape[1] == 0 or min(positives, len(y) - positives) < CV_FOLDS:
        return None
    features = np.ascontiguousarray(np.nan_to_num(x, nan=-1e30), dtype=np.float32)  # missing: own side
    target = y.astype(np.float64)
    weight = np.where(y, 0.5 / positives, 0.5 / (len(y) - positives)) * len(y)
    rng = np.random.default_rng(random_state)
    fold = np.empty(len(y), dtype=np.int64)
    for cls in (True, False):  # stratified: each class spread evenly over the folds
        idx = np.flatnonzero(y == cls)
        fold[rng.permutation(idx)] = np.arange(len(idx)) % CV_FOLDS
    predicted = np.empty(len(y), dtype=bool)
    leaf = max(5, len(y) // 200)
    for k in range(CV_FOLDS):
        test = fold == k
        tree = DecisionTreeClassifier(max_depth=4, min_samples_leaf=leaf, random_state=random_state)
        tree.fit(features[~test], target[~test], sample_weight=weight[~test], check_input=False)
        predicted[test] = tree.predict(features[test], check_input=False) > 0.5
    tpr = predicted[y].mean()
    tnr = (~predicted[~y]).mean()
    return float((tpr + tnr) / 2)


# --- the analysis ------------------------------------------------------------------------------


def find(con: duckdb.DuckDBPyConnection, *, end_activities: tuple[str, ...],
         mandatory: tuple[str, ...] = (), rework_activities: frozenset[str] = frozenset(),
         lang: str = "nb", random_state: int = 0) -> list[NeedlessStep]:
    """Test every optional activity of the closed cases (needs `insights_results.prepare`)."""
    names = activity_names(con)
    cases = _closed_cases(con)
    n_closed = len(cases)
    counts = con.execute("""
        SELECT e.aid, count(DISTINCT e.cid) FROM ins_ev e JOIN ins_cases c USING (cid)
        WHERE c.closed GROUP BY e.aid
    """).fetchall()
    optional = sorted(((a, k) for a, k in counts if 0 < k < n_closed and names[a] not in end_activities),
                      key=lambda ak: names[ak[0]])
    if not optional:
        return []
    non_staff = _non_staff_shares(con)
    inbound = {a for a in names if is_inbound(names[a])}
    sources = [a for a, share in non_staff.items() if share >= NON_STAFF_SHARE or a in inbound]
    trigger = _triggers(con, [a for a, _ in optional], sources)
    own = {a for a, _ in optional if non_staff.get(a, 0.0) >= NON_STAFF_SHARE or a in inbound}
    triggered = {a: (None if a in own else names[trigger[a][0]]) for a, _ in optional
                 if a in own or (a in trigger and trigger[a][1] >= TRIGGER_FOLLOWS and trigger[a][2] >= TRIGGER_COVERS)}
    testable = [a for a, k in optional
                if k >= MIN_CASES and n_closed - k >= MIN_CASES and names[a] not in mandatory
                and a not in triggered]
    rng = np.random.default_rng(random_state)

    # Outcomes: the most common end activities, the rest pooled as one.
    top = cases["end_aid"].value_counts().index[:MAX_OUTCOMES]
    outcome = cases["end_aid"].map(names).where(cases["end_aid"].isin(top), "\u2026")
    outcome_codes, outcome_levels = pd.factorize(outcome, sort=True)
    hours = cases["duration_hours"].to_numpy(dtype=float)

    fit_idx = cases.index
    if n_closed > MAX_FIT_CASES:
        fit_idx = pd.Index(rng.choice(cases.index.to_numpy(), MAX_FIT_CASES, replace=False)).sort_values()
    if testable:
        frame = _presence(con, testable).reindex(index=cases.index, columns=testable, fill_value=False)
        presence = frame.to_numpy(dtype=bool)            # closed cases × testable activities
        column = {aid: j for j, aid in enumerate(testable)}
        fit_rows = cases.index.get_indexer(fit_idx)
        nxt = _next_steps(con, testable)
        attr_x = _attribute_features(con, fit_idx).to_numpy(dtype=np.float32)
        # who worked on each case, per activity: counts in a (fit case × person) grid per activity
        res_counts = _resource_counts(con)
        res_counts = res_counts[res_counts["cid"].isin(fit_idx)]
        row_of = pd.Series(np.arange(len(fit_idx)), index=fit_idx)
        rids = np.sort(res_counts["rid"].unique())
        r_rows = row_of.loc[res_counts["cid"]].to_numpy()
        r_cols = np.searchsorted(rids, res_counts["rid"].to_numpy())
        r_n = res_counts["n"].to_numpy()
        r_aid = res_counts["aid"].to_numpy()
        all_res = np.zeros((len(fit_idx), len(rids)), dtype=np.int64)
        np.add.at(all_res, (r_rows, r_cols), r_n)
        # the case's handler: the person with most events on the steps (nearly) every case has, so that
        # what a step brings with it (a referral's lawyers) cannot stand in for its presence
        steady = {a for a, k in counts if k >= STEADY_SHARE * n_closed}
        base = np.zeros_like(all_res)
        sel = np.isin(r_aid, list(steady))
        np.add.at(base, (r_rows[sel], r_cols[sel]), r_n[sel])
        handler = (np.where(base.sum(axis=1) > 0, base.argmax(axis=1), -1) if base.shape[1]
                   else np.full(len(fit_idx), -1))
        handler_x = _one_hot(handler)
        # who did the step before it: per activity, the person of its last occurrence in each fit case
        last = _last_resource(con)
        last = last[last["cid"].isin(fit_idx)]
        last_by_aid = {a: part.set_index("cid")["rid"] for a, part in last.groupby("aid")}
        top_pred = _top_predecessors(con, testable)

    raw: list[dict[str, Any]] = []
    for aid, k in optional:
        row: dict[str, Any] = {"aid": aid, "activity": names[aid], "cases_with": int(k),
                               "cases_without": int(n_closed - k)}
        raw.append(row)
        if aid not in testable:
            continue
        has = presence[:, column[aid]]
        table = np.zeros((2, len(outcome_levels)), dtype=np.int64)
        np.add.at(table, (has.astype(int), outcome_codes), 1)
        row["outcome_test"], row["p_outcome"], row["cramers_v"] = _outcome_test(table[::-1], rng)
        row["outcome_shares"] = {str(level): (table[1, i] / max(table[1].sum(), 1),
                                              table[0, i] / max(table[0].sum(), 1))
                                 for i, level in enumerate(outcome_levels)}
        w, wo = hours[has], hours[~has]
        w, wo = w[~np.isnan(w)], wo[~np.isnan(wo)]
        row["p_duration"], row["rank_biserial"] = _duration_test(w, wo)
        row["median_hours_with"] = float(np.median(w)) if len(w) else None
        row["median_hours_without"] = float(np.median(wo)) if len(wo) else None
        if len(w) and len(wo):
            row["hours_added"] = row["median_hours_with"] - row["median_hours_without"]
        if len(testable) > 1:
            w_share, wo_share = presence[has].mean(axis=0), presence[~has].mean(axis=0)
            diff = np.abs(w_share - wo_share)
            diff[column[aid]] = -1.0
            j = int(np.argmax(diff))
            row["co_step"] = (names[testable[j]], float(w_share[j]), float(wo_share[j]))
        if aid in nxt:
            row["next"] = (names[nxt[aid][0]], nxt[aid][1])
        y = presence[fit_rows, column[aid]]
        row["attribute_score"] = _score(attr_x, y, random_state)
        # Habit: who did the step before it (among the cases that have that step), or who handles the case.
        # Not "anyone else on the case": the people a step brings in (the lawyers of a referral) would
        # predict it perfectly and make a routing look like a habit.
        habit: dict[str, float | None] = {"handler": _score(handler_x, y, random_state)} if handler_x.shape[1] else {}
        before = top_pred.get(aid)
        if before is not None and before in last_by_aid:
            codes = last_by_aid[before].reindex(fit_idx).fillna(-1).to_numpy(dtype=np.int64)
            had = codes >= 0
            habit["previous_step"] = _score(_one_hot(codes[had]), y[had], random_state)
        scored = {k: v for k, v in habit.items() if v is not None}
        row["habit_basis"] = max(scored, key=lambda k: (scored[k], k == "previous_step"), default=None)
        row["resource_score"] = scored.get(row["habit_basis"]) if row["habit_basis"] else None

    q_out = benjamini_hochberg([r.get("p_outcome") for r in raw])
    q_dur = benjamini_hochberg([r.get("p_duration") for r in raw])
    out: list[NeedlessStep] = []
    for r, qo, qd in zip(raw, q_out, q_dur):
        r["q_outcome"], r["q_duration"] = qo, qd
        predicted_by = _predicted_by(r.get("attribute_score"), r.get("resource_score"))
        aid = r["aid"]
        if aid in triggered:
            r["triggered_by"] = triggered[aid]
            r["non_staff_share"] = non_staff.get(aid, 0.0)
            if aid in trigger:
                r["trigger_shares"] = trigger[aid][1:]
        verdict = _verdict(r, predicted_by, mandatory=mandatory, rework_activities=rework_activities,
                           triggered=aid in triggered)
        by_lang = sentences_by_lang(lambda lg: _evidence(text.Text(lg), r, verdict))  # noqa: B023
        out.append(NeedlessStep(
            activity=r["activity"], cases_with=r["cases_with"], cases_without=r["cases_without"],
            outcome_test=r.get("outcome_test"), p_outcome=r.get("p_outcome"), q_outcome=qo,
            cramers_v=r.get("cramers_v"), p_duration=r.get("p_duration"), q_duration=qd,
            rank_biserial=r.get("rank_biserial"), median_hours_with=r.get("median_hours_with"),
            median_hours_without=r.get("median_hours_without"), hours_added=r.get("hours_added"),
            attribute_score=r.get("attribute_score"), resource_score=r.get("resource_score"),
            predicted_by=predicted_by, verdict=verdict, evidence=by_lang[lang],
            habit_basis=r.get("habit_basis"), evidence_by_lang=by_lang))
    out.sort(key=lambda s: (s.verdict != "needless", s.predicted_by != "resource",
                            -(s.hours_added or 0.0), s.activity))
    return out


def _predicted_by(attribute: float | None, resource: float | None) -> str:
    """Case data wins a tie with people: a rule is the weaker claim to remove a step."""
    attribute_ok = attribute is not None and attribute >= PREDICTS
    resource_ok = resource is not None and resource >= PREDICTS
    if attribute_ok and (not resource_ok or attribute >= resource):  # type: ignore[operator]
        return "case_attributes"
    if resource_ok:
        return "resource"
    return "nothing"


def _verdict(r: dict[str, Any], predicted_by: str, *, mandatory: tuple[str, ...],
             rework_activities: frozenset[str], triggered: bool = False) -> str:
    if r["activity"] in mandatory:
        return "mandatory"
    if triggered:
        return "triggered"
    if r.get("p_outcome") is None and r.get("p_duration") is None:
        return "too_few_cases"
    if r["activity"] in rework_activities:
        return "rework"
    if (r.get("q_outcome") or 1.0) < ALPHA and (r.get("cramers_v") or 0.0) >= MIN_CRAMERS_V:
        return "changes_outcome"
    if predicted_by == "case_attributes":
        return "rule_driven"
    if predicted_by == "resource":
        return "needless"
    return "unexplained"


def _evidence(t: text.Text, r: dict[str, Any], verdict: str) -> tuple[str, ...]:
    q = t.quote
    a = q(r["activity"])
    out = [t.tr("needless.occurs_in_closed_cases", activity=a, cases_with=t.int(r["cases_with"]),
                cases_without=t.int(r["cases_without"]))]
    if verdict == "mandatory":
        out.append(t.tr("needless.given_as_mandatory"))
        return tuple(out)
    if verdict == "triggered":
        by = r.get("triggered_by")
        share = r.get("non_staff_share") or 0.0
        if by is None and share < NON_STAFF_SHARE:
            out.append(t.tr("needless.triggered_by_name"))
        elif by is None:
            out.append(t.tr("needless.triggered_by_non_staff", share=t.pct(share)))
        else:
            follows, covers = r.get("trigger_shares", (None, None))
            out.append(t.tr("needless.triggered_by_event", trigger=q(by), follows=t.pct(follows), covers=t.pct(covers)))
        return tuple(out)
    if verdict == "too_few_cases":
        out.append(t.tr("needless.too_few_cases", min_cases=MIN_CASES))
        return tuple(out)
    if r.get("p_outcome") is not None:
        shares = r["outcome_shares"]
        first = max(shares, key=lambda k: abs(shares[k][0] - shares[k][1]))
        test = t.tr(f"needless.outcome_test.{r['outcome_test']}")
        out.append(t.tr("needless.outcome_differs", outcome=q(first), share_with=t.pct(shares[first][0]),
                        share_without=t.pct(shares[first][1]), test=test, p_outcome=t.p(r["p_outcome"]),
                        q_outcome=t.p(r["q_outcome"]), cramers_v=t.num(r["cramers_v"], 2)))
    else:
        out.append(t.tr("needless.all_closed_cases_end"))
    if r.get("p_duration") is not None:
        out.append(t.tr("needless.duration_differs",
                        median_hours_with=t.hours(r["median_hours_with"], days=True),
                        median_hours_without=t.hours(r["median_hours_without"], days=True),
                        p_duration=t.p(r["p_duration"]), q_duration=t.p(r["q_duration"]),
                        rank_biserial=t.num(r["rank_biserial"], 2)))
    if r.get("next"):
        nxt, share = r["next"]
        out.append(t.tr("needless.most_often_followed_by", next_step=q(nxt), share=t.pct(share)))
    if r.get("co_step"):
        other, w, wo = r["co_step"]
        out.append(t.tr("needless.largest_other_difference_in", other_step=q(other), share_with=t.pct(w),
                        share_without=t.pct(wo)))
    attr, res = r.get("attribute_score"), r.get("resource_score")
    habit = r.get("habit_basis") or "co_workers"
    who = t.tr(f"needless.habit_basis.{habit if habit in HABIT_BASES else 'co_workers'}")
    scores = t.tr("needless.presence_predicted", attribute_score=t.pct(attr), who=who, resource_score=t.pct(res))
    out.append(scores)
    out.append(t.tr(f"needless.verdict.{verdict}", who=who))
    return tuple(out)


def run_phase(ctx: MiningContext) -> None:
    """Phase `needless`: test optional activities and store `mining_needless`."""
    from .rework import sending_back

    options = options_of(ctx)
    cases = dict(ctx.con.execute("""
        SELECT d.activity, count(DISTINCT e.cid) FROM ins_ev e JOIN ins_act d USING (aid) GROUP BY d.activity
    """).fetchall())
    back = sending_back(ctx.facts.rework or [], cases)
    found = find(ctx.con, end_activities=ctx.facts.rule.end_activities,
                 mandatory=options.mandatory, rework_activities=back, lang=options.lang,
                 random_state=options.random_state)
    ctx.facts.needless = found
    output(ctx, "mining_needless", [
        {**{k: getattr(s, k) for k in ("activity", "cases_with", "cases_without", "outcome_test", "p_outcome",
                                        "q_outcome", "cramers_v", "p_duration", "q_duration", "rank_biserial",
                                        "median_hours_with", "median_hours_without", "hours_added",
                                        "attribute_score", "resource_score", "predicted_by", "verdict")},
         "evidence": list(s.evidence), "evidence_by_lang": by_lang_json(s.evidence_by_lang)} for s in found])
