"""The simulation's views: simulation_validation.html and simulation.html (nb/en, differences first, no clear
difference when an interval covers 0, warnings on top) and the explorer's "Simulated effect" on the backlog page
in AppTest, from runs stored in a real store (hand-made results in the `saksflyt simulate` JSON contract)."""
from __future__ import annotations

import copy
import shutil
from pathlib import Path
from typing import Any

import pytest
from streamlit.testing.v1 import AppTest

from saksflyt.app.i18n import NBSP, Translator
from saksflyt.automation_scoring import results as scoring_results
from saksflyt.automation_scoring import simulation_report, simulation_results
from saksflyt.extractors import store
from page_checks import check_accessible, ok, open_explorer

NB, EN = Translator("nb"), Translator("en")


def m(value: float, low: float, high: float) -> dict[str, Any]:
    return {"value": value, "ci": [low, high]}


VALIDATION: dict[str, Any] = {
    "schema": "saksflyt-simulation-validation/1", "log": "byggesak", "created_at": "2026-12-06T12:00:00+00:00",
    "runs": 3, "seed": 1, "lang": "nb",
    "period": {"start": "2023-01-02T06:52:21", "end": "2024-03-31T23:59:59", "years": 1.25},
    "ngram_distance": 0.05, "cycle_time_emd_hours": 40.2, "arrival_emd_hours": 30.1, "completion_emd_hours": 35.0,
    "event_emd_hours": 33.0, "wip_distance": 25.0, "real_median_lead_days": 36.0, "real_mean_lead_days": 41.0,
    "simulated_median_lead_days": 37.1, "cycle_time_emd_share": 0.047,
    "per_run": [{"run": i, "ngram_distance": 0.05, "cycle_time_emd_hours": 40.0 + i, "arrival_emd_hours": 30.0,
                 "completion_emd_hours": 35.0, "event_emd_hours": 33.0, "wip_distance": 25.0} for i in range(3)],
    "thresholds": {"good": {"ngram_distance": 0.25, "cycle_time_emd_share": 0.10},
                   "fair": {"ngram_distance": 0.4, "cycle_time_emd_share": 0.25}},
    "verdict": "good", "verdict_text": "Simuleringen gjenskaper loggen godt nok til å sammenligne scenarioer.",
    "model": {"activities": 14, "queues": ["Faglig vurdering"], "batches": ["Vedtak fattet"],
              "external": ["Uttalelse fra Statens vegvesen"]},
}


def scenario(candidate_id: str) -> dict[str, Any]:
    base = {"cases": m(1990.0, 1950.0, 2030.0), "lead_time_median_days": m(36.2, 35.1, 37.0),
            "lead_time_p90_days": m(70.0, 66.0, 74.0), "share_within_deadline": m(0.9, 0.88, 0.92),
            "staff_hours_per_year": m(12000.0, 11800.0, 12200.0),
            "waiting_hours_per_year": {"Vedtak fattet": m(3000.0, 2900.0, 3100.0),
                                       "Faglig vurdering": m(5000.0, 4800.0, 5200.0)}}
    scen = {"cases": m(1990.0, 1950.0, 2030.0), "lead_time_median_days": m(33.0, 32.0, 34.0),
            "lead_time_p90_days": m(69.9, 65.0, 74.0), "share_within_deadline": m(0.931, 0.91, 0.95),
            "staff_hours_per_year": m(10766.0, 10600.0, 10900.0),
            "waiting_hours_per_year": {"Vedtak fattet": m(3010.0, 2900.0, 3120.0),
                                       "Faglig vurdering": m(4500.0, 4300.0, 4700.0)}}
    diff = {"cases": m(0.0, -5.0, 5.0), "lead_time_median_days": m(-3.2, -4.0, -2.5),
            "lead_time_p90_days": m(-0.1, -0.6, 0.4), "share_within_deadline": m(0.031, 0.02, 0.041),
            "staff_hours_per_year": m(-1234.0, -1300.0, -1100.0),
            "waiting_hours_per_year": {"Vedtak fattet": m(10.0, -30.0, 50.0),
                                       "Faglig vurdering": m(-500.0, -560.0, -440.0)}}
    return {"schema": "saksflyt-simulation/1", "log": "byggesak", "created_at": "2026-12-06T12:00:00+00:00",
            "runs": 3, "seed": 1, "lang": "nb", "period": VALIDATION["period"], "candidate_ids": [candidate_id],
            "changes": [{"kind": candidate_id.split("-")[0], "activity": "Faglig vurdering", "candidate_id": candidate_id,
                         "text": f"Kandidaten {candidate_id} tas i bruk"}],
            "target": {"days": 84.0, "basis": "deadline", "text": "Frist: 12 uker (fra konfigurasjonen)"},
            "baseline": base, "scenario": scen, "difference": diff, "validation": VALIDATION, "warnings": [],
            "assumptions": ["Like mange saksbehandlere som i loggen.", "Nye saker kommer som før."]}


@pytest.fixture(scope="module")
def simulated(demo_store: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """A copy of the demo store (byggesak mined and scored) with a validation run and a scenario run of the
    top-ranked candidate stored as `saksflyt simulate` stores them."""
    path = tmp_path_factory.mktemp("simulation-views") / "store.duckdb"
    shutil.copy(demo_store, path)
    with store.read(path) as con:
        cands = scoring_results.candidates(con, "byggesak")
    ids = [c["candidate_id"] for c in sorted(cands, key=lambda c: c["rank"])]
    assert len(ids) >= 2
    with store.write(path) as con:
        simulation_results.write_run(con, log_name="byggesak", run_id="sim-v", kind="validation", candidate_ids=[],
                                     verdict="good", result=VALIDATION)
        simulation_results.write_run(con, log_name="byggesak", run_id="sim-s", kind="scenario",
                                     candidate_ids=[ids[0]], verdict="good", result=scenario(ids[0]))
    return {"store": path, "simulated": ids[0], "other": ids[1]}


def stored(path: Path, candidate_id: str) -> dict[str, Any]:
    with store.read(path) as con:
        return simulation_results.latest_by_candidate(con, "byggesak")[candidate_id]


# --- the pages ---------------------------------------------------------------------------------


def test_validation_page_nb(simulated: dict[str, Any], tmp_path: Path) -> None:
    with store.read(simulated["store"]) as con:
        row = simulation_results.latest_validation(con, "byggesak")
    page = simulation_report.write_validation_page(row["result"], tmp_path)
    assert page == tmp_path / "simulation_validation.html"
    html = page.read_text(encoding="utf-8")
    assert html.startswith('<!DOCTYPE html><html lang="nb">')
    assert html.index("Hvor langt simuleringen kan stoles på") < html.index("<table")   # the verdict first
    assert "God</span> Simuleringen gjenskaper loggen godt nok" in html
    assert "0,050</td>" in html                                                         # n-gram distance
    assert f"40{NBSP}t (4,7{NBSP}% av virkelig gjennomsnitt)" in html
    assert "0 er likt, 1 er ingenting felles" in html
    assert f"<td class=\"n\">10{NBSP}%</td><td class=\"n\">25{NBSP}%</td>" in html       # thresholds
    assert f"36,0{NBSP}døgn" in html and f"37,1{NBSP}døgn" in html
    assert '<th scope="row" class="n">3</th><td class="n">0,050</td><td class="n">42,0</td>' in html  # per run
    assert "«Faglig vurdering»" in html and 'class="warn"' not in html
    check_accessible(html)


def test_scenario_page_nb_leads_with_the_differences(simulated: dict[str, Any], tmp_path: Path) -> None:
    row = stored(simulated["store"], simulated["simulated"])
    html = simulation_report.write_scenario_page(row["result"], tmp_path / "x" / "simulation.html").read_text(
        encoding="utf-8")
    assert html.startswith('<!DOCTYPE html><html lang="nb">')
    assert f"−3,2{NBSP}døgn (−4,0 til −2,5)" in html
    assert f"ingen sikker forskjell (−0,6 til +0,4{NBSP}døgn)" in html                # p90: the interval covers 0
    assert f"+3,1{NBSP}prosentpoeng (+2,0 til +4,1)" in html
    assert f"−1{NBSP}234{NBSP}timer (−1{NBSP}300 til −1{NBSP}100)" in html
    assert f"ingen sikker forskjell (−30 til +50{NBSP}timer)" in html
    # waiting per activity: largest absolute difference first
    assert html.index(f"−500{NBSP}timer") < html.index(f"(−30 til +50{NBSP}timer)")
    # differences first, simulated levels after, labelled as simulated
    assert html.index("Forskjell fra i dag") < html.index("Simulerte nivåer") < html.index("Forutsetninger")
    assert f"36,2{NBSP}døgn (35,1 til 37,0)" in html and "I dag (simulert)" in html
    assert f"90,0{NBSP}% (88,0 til 92,0)" in html
    assert f"Kandidaten {simulated['simulated']} tas i bruk" in html
    assert "<li>Like mange saksbehandlere som i loggen.</li>" in html
    assert 'class="warn"' not in html                                                    # good, no warnings
    assert "✔ bedre" in html and "uklar" in html                                         # not colour alone
    check_accessible(html)


def test_scenario_page_en_warns_on_a_poor_validation(simulated: dict[str, Any], tmp_path: Path) -> None:
    result = copy.deepcopy(stored(simulated["store"], simulated["simulated"])["result"])
    result["lang"] = "en"
    result["validation"] |= {"verdict": "poor", "verdict_text": "The simulation is far from the log.", "lang": "en"}
    html = simulation_report.write_scenario_page(result, tmp_path).read_text(encoding="utf-8")
    assert (tmp_path / "simulation.html").exists()
    assert html.startswith('<!DOCTYPE html><html lang="en">')
    assert "−3.2\u00a0days (−4.0 to −2.5)" in html
    assert "no clear difference (−0.6 to +0.4\u00a0days)" in html
    assert "−1,234\u00a0hours (−1,300 to −1,100)" in html
    warn = html.index('class="warn"')
    assert warn < html.index("<h2")                                                    # at the top
    assert "⚠ <b>Warning:</b> The validation is poor: the numbers are uncertain." in html
    check_accessible(html)

    # the run's own warnings are shown as they are; no validation at all is a warning too
    result["warnings"], result["validation"] = ["Few cases in the period."], None
    html = simulation_report.render_scenario(result)
    assert "<b>Warning:</b> Few cases in the period." in html
    assert "<b>Warning:</b> The simulation was not validated" in html
    assert "saksflyt simulate --log byggesak --validate" in html


def test_effects_sign_and_interval_edges() -> None:
    result = {"difference": {"lead_time_median_days": m(-0.04, -0.5, 0.0),
                             "share_within_deadline": m(-0.05, -0.08, -0.02),
                             "staff_hours_per_year": {"value": 12.0, "ci": None}}}
    median, p90, share, staff = simulation_report.effects(result)
    assert not median.clear and median.direction is None                  # an interval touching 0 covers it
    assert simulation_report.signed(NB, median.value, 1) == "0,0"          # never "−0,0"
    assert share.clear and share.direction == "worse" and round(share.value, 6) == -5.0   # points, higher is better
    assert p90.value is None and not staff.has_interval and staff.value == 12.0
    assert simulation_report.signed(EN, 1234.5, 1) == "+1,234.5"


# --- the explorer ------------------------------------------------------------------------------


def backlog(monkeypatch: pytest.MonkeyPatch, path: Path, *, lang: str = "nb") -> AppTest:
    return ok(open_explorer(monkeypatch, path, lang=lang, log="byggesak", page="app_pages/backlog.py"))


def texts(at: AppTest) -> str:
    return "\n".join(e.value for e in [*at.markdown, *at.caption, *at.info, *at.warning])


def test_backlog_shows_the_simulated_effect(simulated: dict[str, Any], monkeypatch: pytest.MonkeyPatch) -> None:
    at = backlog(monkeypatch, simulated["store"])
    assert "Simulert virkning" in [s.value for s in at.subheader]
    shown = texts(at)
    assert f"- Median saksbehandlingstid: −3,2{NBSP}døgn (−4,0 til −2,5) · bedre" in shown
    assert f"- Saksbehandlingstid, 90-persentil: ingen sikker forskjell (−0,6 til +0,4{NBSP}døgn)" in shown
    assert f"- Andel avsluttet innen målet (84{NBSP}døgn): +3,1{NBSP}prosentpoeng (+2,0 til +4,1) · bedre" in shown
    assert f"- Arbeidstimer i året: −1{NBSP}234{NBSP}timer (−1{NBSP}300 til −1{NBSP}100) · bedre" in shown
    assert "Validering: **god**. Simuleringen gjenskaper loggen godt nok" in shown
    row = stored(simulated["store"], simulated["simulated"])
    assert f"Simulert {NB.date(row['created_at'].to_pydatetime())} (3 kjøringer" in shown
    assert f"Endring: Kandidaten {simulated['simulated']} tas i bruk" in shown
    assert not at.warning                                                   # good validation, no warnings

    # another candidate: the command that would simulate it
    at.selectbox(key="bl_pick_byggesak").set_value(simulated["other"]).run()
    ok(at)
    hint = "\n".join(i.value for i in at.info)
    assert f"saksflyt simulate --log byggesak --candidate {simulated['other']} --out MAPPE" in hint
    assert "−3,2" not in texts(at)


def test_backlog_in_english_with_warnings(simulated: dict[str, Any], tmp_path: Path,
                                         monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "copy.duckdb"
    shutil.copy(simulated["store"], path)
    result = scenario(simulated["simulated"])
    result["validation"] = VALIDATION | {"verdict": "poor", "verdict_text": "Langt fra loggen."}
    result["warnings"] = ["Valideringen er svak: tallene er usikre."]
    with store.write(path) as con:
        simulation_results.write_run(con, log_name="byggesak", run_id="sim-s2", kind="scenario",
                                     candidate_ids=[simulated["simulated"]], verdict="poor", result=result)
    at = backlog(monkeypatch, path, lang="en")
    shown = texts(at)
    assert "- Median lead time: −3.2\u00a0days (−4.0 to −2.5) · better" in shown
    assert "- Lead time, 90th percentile: no clear difference (−0.6 to +0.4\u00a0days)" in shown
    assert "- Staff hours per year: −1,234\u00a0hours (−1,300 to −1,100) · better" in shown
    warnings = [w.value for w in at.warning]
    assert warnings == ["**Warning:** Valideringen er svak: tallene er usikre.",
                        "**Warning:** Validation: **poor**. Langt fra loggen."]
    assert all(w.icon == ":material/warning:" for w in at.warning)          # icon and word, not colour alone
