"""The deadline monitor's views on the sample byggesak log: monitor.html (nb/en, accessible, self-contained)
and the explorer's "Open cases" page in AppTest (the numbers shown against the store)."""
from __future__ import annotations

import json
import re
import shutil
from datetime import UTC, datetime
from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from saksflyt.app import explore_monitor as monitoring
from saksflyt.app import i18n
from saksflyt.app.i18n import Translator
from saksflyt.extractors import store
from saksflyt.mining import monitor_report, monitor_results
from saksflyt.mining.report import Text
from helpers import SAMPLES, cli
from page_checks import check_accessible, metric, ok, open_explorer

CONFIG = SAMPLES / "saksflyt.toml"
NB, EN = Translator("nb"), Translator("en")


@pytest.fixture(scope="module")
def monitored(tmp_path_factory: pytest.TempPathFactory, key: None) -> dict[str, Path]:
    """byggesak ingested (a copy kept before monitoring) and monitored once with its deadline config, then
    exported as `saksflyt monitor --out` does. The library with fewer boosting rounds than the CLI's
    default: these tests read what the views show, not how good the model is, and stay quick."""
    from saksflyt.app import mine_config
    from saksflyt.mining import monitor

    base = tmp_path_factory.mktemp("monitor-views")
    path, out = base / "store.duckdb", base / "out"
    cli("--store", str(path), "ingest", str(SAMPLES / "byggesak.csv"), "--log", "byggesak", "--quiet")
    shutil.copy(path, base / "unmonitored.duckdb")
    cfg = mine_config.read(CONFIG, "byggesak")
    options = monitor.MonitorOptions(config=cfg.deadlines, calendar=cfg.calendar, outcome_attrs=cfg.outcome_attrs,
                                     max_iter=40)
    result = monitor.monitor(store_path=path, log_name="byggesak", options=options)
    monitor_results.export(out, status=result.status, open_cases=result.open_cases, evaluation=result.evaluation)
    monitor_report.write(out / "monitor.html", result, lang="nb")
    return {"store": path, "out": out, "unmonitored": base / "unmonitored.duckdb"}


def latest(path: Path) -> tuple[monitoring.MonitorRun, pd.DataFrame]:
    with store.read(path) as con:
        run = monitoring.monitor_row(con, "byggesak")
        return run, monitor_results.read(con, "open_cases", "byggesak", run.run_id)


# --- monitor.html -------------------------------------------------------------------------------


def test_report_nb(monitored: dict[str, Path]) -> None:
    out = monitored["out"]
    html = (out / "monitor.html").read_text(encoding="utf-8")
    assert html.startswith('<!DOCTYPE html><html lang="nb">')
    top = pd.read_csv(out / "open_cases.csv", dtype={"case_id": str})["case_id"].iloc[0]
    assert f'<th scope="row">{top}</th>' in html          # the top of the ranked list
    evaluation = json.loads((out / "monitor_evaluation.json").read_text(encoding="utf-8"))
    mae = Text("nb").num(evaluation["mae_days"]["model"], 1)
    assert f"{mae} dager" in html
    assert "Slik telles klokken" in html and "§ 21-7" in html and "§ 7-4" in html and "§ 7-6" in html
    assert "forvaltningsloven § 11 a" in html and "Europe/Oslo" in html
    assert "«Be om tilleggsdokumentasjon»" in html   # the pause pair, as read from the settings
    check_accessible(html)


def test_report_en_from_the_stored_run(monitored: dict[str, Path], tmp_path: Path) -> None:
    with store.read(monitored["store"]) as con:
        run = monitoring.monitor_row(con, "byggesak")
        result = monitoring.stored_monitor_result(con, run)
    page = monitor_report.write(tmp_path / "monitor.html", result, lang="en")
    html = page.read_text(encoding="utf-8")
    assert html.startswith('<!DOCTYPE html><html lang="en">')
    assert result.open_cases["case_id"].iloc[0] in html
    assert f"{Text('en').num(run.evaluation['mae_days']['model'], 1)} days" in html
    assert "How the clock is counted" in html and "Share decided in time per month" in html
    check_accessible(html)


def test_report_without_predictions_shows_why(monitored: dict[str, Path], tmp_path: Path) -> None:
    from saksflyt.app import mine_config
    from saksflyt.mining import monitor

    cfg = mine_config.read(CONFIG, "byggesak")
    result = monitor.compute(store_path=monitored["store"], log_name="byggesak", options=monitor.MonitorOptions(
        config=cfg.deadlines, calendar=cfg.calendar, as_of=datetime(2023, 2, 20, tzinfo=UTC)))
    assert result.message and result.evaluation is None
    html = monitor_report.render(result, lang="nb")
    assert "For få saker på hver side av tidsdelingen" in html
    assert 'class="badge risk"' not in html               # no P(miss), so nobody marked at risk
    check_accessible(html)


def test_headline_counts_twelve_local_months() -> None:
    history = {"monthly": [{"month": m, "decided": 10, "in_time": i} for m, i in
                           (("2022-12", 0), ("2023-01", 5), ("2023-12", 10))]}
    cases = pd.DataFrame({"p_miss": [0.5, 0.49, None], "expected_refund_nok": [100.0, None, 50.0]})
    # 2023-12-31 23:30 UTC is already January 2024 in Oslo: the window is 2023-02 … 2024-01
    h = monitor_report.headline(cases, history, as_of=datetime(2023, 12, 31, 23, 30, tzinfo=UTC))
    assert (h.open_cases, h.at_risk, h.expected_refund_nok) == (3, 1, 150.0)
    assert (h.share_in_time_12m, h.decided_12m, h.first_month, h.last_month) == (1.0, 10, "2023-02", "2024-01")


def test_pause_spans_open_until_as_of() -> None:
    t = pd.Timestamp
    events = pd.DataFrame({"activity": ["Be om", "Mottatt", "Be om"],
                           "at": [t("2024-01-01 10:00"), t("2024-01-03 10:00"), t("2024-01-10 12:00")]})
    spans = monitoring.pause_spans(events, [("Be om", "Mottatt")], until=t("2024-01-11 00:00"))
    assert spans["open"].tolist() == [False, True]
    assert spans["days"].round(2).tolist() == [2.0, 0.5]


# --- the explorer page --------------------------------------------------------------------------


def open_page(monkeypatch: pytest.MonkeyPatch, path: Path, *, lang: str = "nb") -> AppTest:
    return ok(open_explorer(monkeypatch, path, lang=lang, log="byggesak", page="app_pages/open_cases.py", key=None))


def table(at: AppTest, *columns: str) -> pd.DataFrame:
    found = [d.value for d in at.dataframe if set(columns) <= set(d.value.columns)]
    assert found, f"no table with {columns}: {[list(d.value.columns) for d in at.dataframe]}"
    return found[0]


def captions(at: AppTest) -> str:
    return "\n".join(c.value for c in at.caption)


def test_page_numbers_match_the_store(monitored: dict[str, Path], monkeypatch: pytest.MonkeyPatch) -> None:
    run, cases = latest(monitored["store"])
    at = open_page(monkeypatch, monitored["store"])
    assert [t.value for t in at.title] == ["Åpne saker"]
    assert metric(at, "Åpne saker") == NB.int(len(cases)) == NB.int(run.open_cases)
    assert metric(at, "I faresonen") == NB.int(int((cases["p_miss"] >= 0.5).sum()))
    assert metric(at, "Forventet tilbakebetaling") == f"{NB.num(cases['expected_refund_nok'].sum(), 0)} kr"
    listed = table(at, "Rang", "Sak")
    assert len(listed) == len(cases) and listed["Sak"].tolist() == cases["case_id"].tolist()
    assert metric(at, "Feil i gjenstående tid (MAE)") == f"{NB.num(run.evaluation['mae_days']['model'], 1)} dager"

    # the filters narrow the list to what the store says
    at.checkbox(key="oc_past_byggesak").check().run()
    past = cases[cases["days_left"] < 0]
    assert f"Viser {NB.int(len(past))} av {NB.int(len(cases))}" in captions(ok(at))
    at.slider(key="oc_min_p_byggesak").set_value(90).run()
    both = past[past["p_miss"] >= 0.9]
    assert len(table(ok(at), "Rang", "Sak")) == len(both)


def test_page_in_english_shows_a_cases_clock(monitored: dict[str, Path], monkeypatch: pytest.MonkeyPatch) -> None:
    _, cases = latest(monitored["store"])
    paused = cases[cases["days_paused"] > 0].iloc[0]
    at = open_page(monkeypatch, monitored["store"], lang="en")
    assert metric(at, "Open cases") == EN.int(len(cases))
    at.selectbox(key="oc_pick_byggesak").set_value(paused["case_id"]).run()
    ok(at)
    timeline = table(at, "Clock", "Done by")
    marks = timeline["Clock"].tolist()
    assert {"clock starts", "pause starts", "deadline (end of day)", "the run knew up to here"} <= set(marks)
    assert any(m.startswith("pause") and m.endswith(" d") for m in marks)
    assert not any(str(r).startswith("ps_") for r in timeline["Done by"])   # pseudonyms labelled as such
    assert f"{EN.int(paused['days_paused'])} days paused" in captions(at)
    assert [h.value for h in at.subheader][-2:] == ["Share decided in time per month", "How good the predictions are"]
    texts = [e.value for e in [*at.markdown, *at.caption, *at.subheader, *at.info]] + [m.label for m in at.metric]
    texts += [w.label for w in [*at.selectbox, *at.slider, *at.checkbox, *at.multiselect]]
    assert not [t for t in texts if t in i18n.STRINGS]                     # no key shown for want of a string
    # no bokmål in the page's own words (the reasons come in the language the monitor ran in)
    assert not [t for t in texts if re.search(r"\b(saker|dager|Velg|frist)\b", t) and not t.startswith("- ")]


def test_page_without_a_monitor_run_says_how(monitored: dict[str, Path], monkeypatch: pytest.MonkeyPatch) -> None:
    at = open_page(monkeypatch, monitored["unmonitored"])
    text = "\n".join(i.value for i in at.info)
    assert "saksflyt monitor --log byggesak --config" in text
