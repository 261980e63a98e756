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
tree: from the case attributes (a rule: e.g. a hearing exactly when a dispensation is sought), or only
from which people worked on the case (other than on the step itself: one clerk's habit, the strongest
needless-step signal). Verdicts, in order: `mandatory` (named with --mandatory; never proposed),
`too_few_cases`, `rework` (the step sends the case back: see rework.json), `changes_outcome`,
`rule_driven`, `adds_no_time`, else `needless_candidate`.
"""
from __future__ import annotations

import logging
import math
from dataclasses import dataclass
from typing import Any

import duckdb
import numpy as np
import pandas as pd

from . import report as text
from .insights_results import activity_names, options_of, output

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
VERDICTS = ("mandatory", "too_few_cases", "rework", "changes_outcome", "rule_driven", "adds_no_time",
            "needless_candidate")


@dataclass(frozen=True)
class NeedlessStep:
    activity: str
    cases_with: int
    cases_without: int
    outcome_test: str | None
    p_outcome: float | None
    q_outcome: float | None
    cramers_v: float | None
    p_duration: float | None
    q_duration: float | None
    rank_biserial: float | None
    median_hours_with: float | None
    median_hours_without: float | None
    hours_added: float | None
    attribute_score: float | None
    resource_score: float | None
    predicted_by: str
    verdict: str
    evidence: tuple[str, ...]


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


def _bh(ps: list[float | None]) -> list[float | None]:
    idx = [i for i, p in enumerate(ps) if p is not None]
    out: list[float | None] = [None] * len(ps)
    if idx:
        q = _sps().false_discovery_control([ps[i] for i in idx], method="bh")
        for i, v in zip(idx, q):
            out[i] = float(v)
    return out


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
    testable = [a for a, k in optional
                if k >= MIN_CASES and n_closed - k >= MIN_CASES and names[a] not in mandatory]
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

    raw: list[dict[str, Any]] = []
    for aid, k in optional:
        row: dict[str, Any] = {"activity": names[aid], "cases_with": int(k), "cases_without": int(n_closed - k)}
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
        own = np.zeros_like(all_res)
        mine = r_aid == aid
        np.add.at(own, (r_rows[mine], r_cols[mine]), r_n[mine])
        row["resource_score"] = _score((all_res - own > 0).astype(np.float32), y, random_state)

    q_out = _bh([r.get("p_outcome") for r in raw])
    q_dur = _bh([r.get("p_duration") for r in raw])
    t = text.Text(lang)
    out: list[NeedlessStep] = []
    for r, qo, qd in zip(raw, q_out, q_dur):
        r["q_outcome"], r["q_duration"] = qo, qd
        predicted_by = _predicted_by(r.get("attribute_score"), r.get("resource_score"))
        verdict = _verdict(r, predicted_by, mandatory=mandatory, rework_activities=rework_activities)
        out.append(NeedlessStep(
            activity=r["activity"], cases_with=r["cases_with"], cases_without=r["cases_without"],
            outcome_test=r.get("outcome_test"), p_outcome=r.get("p_outcome"), q_outcome=qo,
            cramers_v=r.get("cramers_v"), p_duration=r.get("p_duration"), q_duration=qd,
            rank_biserial=r.get("rank_biserial"), median_hours_with=r.get("median_hours_with"),
            median_hours_without=r.get("median_hours_without"), hours_added=r.get("hours_added"),
            attribute_score=r.get("attribute_score"), resource_score=r.get("resource_score"),
            predicted_by=predicted_by, verdict=verdict, evidence=_evidence(t, r, predicted_by, verdict)))
    out.sort(key=lambda s: (s.verdict != "needless_candidate", s.predicted_by != "resource",
                            -(s.hours_added or 0.0), s.activity))
    return out


def _predicted_by(attribute: float | None, resource: float | None) -> str:
    if attribute is not None and attribute >= PREDICTS:
        return "case_attributes"
    if resource is not None and resource >= PREDICTS:
        return "resource"
    return "nothing"


def _verdict(r: dict[str, Any], predicted_by: str, *, mandatory: tuple[str, ...],
             rework_activities: frozenset[str]) -> str:
    if r["activity"] in mandatory:
        return "mandatory"
    if r.get("p_outcome") is None and r.get("p_duration") is None:
        return "too_few_cases"
    if r["activity"] in rework_activities:
        return "rework"
    if (r.get("q_outcome") or 1.0) < ALPHA and (r.get("cramers_v") or 0.0) >= MIN_CRAMERS_V:
        return "changes_outcome"
    if predicted_by == "case_attributes":
        return "rule_driven"
    if r.get("hours_added") is None or r["hours_added"] <= 0 or (r.get("q_duration") or 1.0) >= ALPHA:
        return "adds_no_time"
    return "needless_candidate"


def _evidence(t: text.Text, r: dict[str, Any], predicted_by: str, verdict: str) -> tuple[str, ...]:
    q = t.quote
    a = q(r["activity"])
    out = [t.pick(nb=f"{a} finnes i {t.int(r['cases_with'])} avsluttede saker og mangler i {t.int(r['cases_without'])}.",
                  en=f"{a} occurs in {t.int(r['cases_with'])} closed cases and is absent from {t.int(r['cases_without'])}.")]
    if verdict == "mandatory":
        out.append(t.pick(nb="Oppgitt som obligatorisk (--mandatory): foreslås aldri fjernet.",
                          en="Given as mandatory (--mandatory): never proposed for elimination."))
        return tuple(out)
    if verdict == "too_few_cases":
        out.append(t.pick(nb=f"For få saker til å teste (minst {MIN_CASES} med og {MIN_CASES} uten).",
                          en=f"Too few cases to test (at least {MIN_CASES} with and {MIN_CASES} without)."))
        return tuple(out)
    if r.get("p_outcome") is not None:
        shares = r["outcome_shares"]
        first = max(shares, key=lambda k: abs(shares[k][0] - shares[k][1]))
        test = {"chi2": "kji-kvadrat" if t.lang == "nb" else "chi-square", "fisher": "Fisher",
                "fisher_monte_carlo": "Fisher (Monte Carlo)"}[r["outcome_test"]]
        out.append(t.pick(
            nb=f"Utfall: {q(first)} i {t.pct(shares[first][0])} av sakene med steget mot {t.pct(shares[first][1])} "
               f"uten ({test}-test p {t.p(r['p_outcome'])}, justert for mange tester q {t.p(r['q_outcome'])}; "
               f"Cramérs V = {t.num(r['cramers_v'], 2)}).",
            en=f"Outcome: {q(first)} in {t.pct(shares[first][0])} of cases with the step against "
               f"{t.pct(shares[first][1])} without ({test} test p {t.p(r['p_outcome'])}, adjusted for many tests "
               f"q {t.p(r['q_outcome'])}; Cramér's V = {t.num(r['cramers_v'], 2)})."))
    else:
        out.append(t.pick(nb="Alle avsluttede saker ender likt: utfallet kan ikke sammenlignes.",
                          en="All closed cases end the same way: outcomes cannot be compared."))
    if r.get("p_duration") is not None:
        out.append(t.pick(
            nb=f"Saksbehandlingstid: median {t.hours(r['median_hours_with'], days=True)} med steget mot "
               f"{t.hours(r['median_hours_without'], days=True)} uten (Mann–Whitney p {t.p(r['p_duration'])}, "
               f"q {t.p(r['q_duration'])}; rang-biserial r = {t.num(r['rank_biserial'], 2)}).",
            en=f"Case duration: median {t.hours(r['median_hours_with'], days=True)} with the step against "
               f"{t.hours(r['median_hours_without'], days=True)} without (Mann–Whitney p {t.p(r['p_duration'])}, "
               f"q {t.p(r['q_duration'])}; rank-biserial r = {t.num(r['rank_biserial'], 2)})."))
    if r.get("next"):
        nxt, share = r["next"]
        out.append(t.pick(nb=f"Etterfølges oftest av {q(nxt)} ({t.pct(share)}).",
                          en=f"Most often followed by {q(nxt)} ({t.pct(share)})."))
    if r.get("co_step"):
        other, w, wo = r["co_step"]
        out.append(t.pick(nb=f"Største forskjell ellers: {q(other)} i {t.pct(w)} av sakene med steget mot {t.pct(wo)} uten.",
                          en=f"Largest other difference: {q(other)} in {t.pct(w)} of cases with the step against "
                             f"{t.pct(wo)} without."))
    attr, res = r.get("attribute_score"), r.get("resource_score")
    scores = t.pick(
        nb=f"Treffsikkerhet (balansert, kryssvalidert) for om steget skjer: saksattributter {t.pct(attr)}, "
           f"hvem som ellers jobbet med saken {t.pct(res)}.",
        en=f"How well its presence is predicted (balanced accuracy, cross-validated): case attributes "
           f"{t.pct(attr)}, who else worked on the case {t.pct(res)}.")
    out.append(scores)
    verdicts = {
        "rework": (f"Steget sender saken tilbake: se omarbeid (rework) i stedet.",
                   "The step sends the case back: see rework instead."),
        "changes_outcome": ("Steget henger sammen med et annet utfall: ikke unødvendig.",
                            "The step goes with a different outcome: not needless."),
        "rule_driven": ("Saksattributtene avgjør om steget skjer: regelstyrt, ikke unødvendig "
                        "(kandidat for automatisering heller).",
                        "The case attributes decide whether the step happens: rule-driven, not needless "
                        "(a candidate for automation instead)."),
        "adds_no_time": ("Steget gjør ikke sakene målbart lengre.", "The step does not make cases measurably longer."),
        "needless_candidate": (
            ("Kandidat for å fjernes: endrer ikke utfallet, gjør saken lengre, og bare hvem som behandler saken "
             "forutsier om det skjer (en vane, ikke en regel) – det sterkeste tegnet.")
            if predicted_by == "resource" else
            ("Kandidat for å fjernes: endrer ikke utfallet, gjør saken lengre og følger ingen regel vi finner "
             "i dataene."),
            ("Candidate for elimination: it changes no outcome, makes cases longer, and only who handles the case "
             "predicts it (a habit, not a rule) – the strongest signal.")
            if predicted_by == "resource" else
            "Candidate for elimination: it changes no outcome, makes cases longer and follows no rule we can find "
            "in the data."),
    }
    nb, en = verdicts[verdict]
    out.append(t.pick(nb=nb, en=en))
    return tuple(out)


def run_phase(ctx: Any) -> None:
    """Phase `needless`: test optional activities and store `mining_needless`."""
    from .rework import sending_back

    options = options_of(ctx)
    cases = dict(ctx.con.execute("""
        SELECT d.activity, count(DISTINCT e.cid) FROM ins_ev e JOIN ins_act d USING (aid) GROUP BY d.activity
    """).fetchall())
    back = sending_back(ctx.facts.get("rework", []), cases)
    found = find(ctx.con, end_activities=ctx.facts["completion_rule"].end_activities,
                 mandatory=options.mandatory, rework_activities=back, lang=options.lang,
                 random_state=options.random_state)
    ctx.facts["needless"] = found
    output(ctx, "mining_needless", [
        {**{k: getattr(s, k) for k in ("activity", "cases_with", "cases_without", "outcome_test", "p_outcome",
                                        "q_outcome", "cramers_v", "p_duration", "q_duration", "rank_biserial",
                                        "median_hours_with", "median_hours_without", "hours_added",
                                        "attribute_score", "resource_score", "predicted_by", "verdict")},
         "evidence": list(s.evidence)} for s in found])
