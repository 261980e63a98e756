"""The explorer's pages in Streamlit's AppTest, on the sample logs: the numbers shown, filters, bad states."""
from __future__ import annotations

import itertools
import re
import shutil
import subprocess
import sys
import textwrap
from datetime import date, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from saksflyt.app import explore_data as data
from saksflyt.app import explore_map as maps
from saksflyt.app import explore_queries as queries
from saksflyt.app import explore_store as stores
from saksflyt.app import i18n
from saksflyt.app import marks
from saksflyt.app.i18n import NBSP, Translator
from saksflyt.extractors import store
from saksflyt.mining import results
from saksflyt.mining.discovery import END, START
from helpers import SAMPLES, cli
from page_checks import metric, ok, open_explorer

NB, EN = Translator("nb"), Translator("en")


@pytest.fixture(scope="module")
def sample_store(demo_store: Path) -> Path:
    return demo_store


def table(at: AppTest, *columns: str, nth: int = 0) -> pd.DataFrame:
    """The `nth` table shown whose columns include `columns`."""
    found = [d.value for d in at.dataframe if set(columns) <= set(d.value.columns)]
    assert len(found) > nth, f"no table with {columns}: {[list(d.value.columns) for d in at.dataframe]}"
    return found[nth]


def captions(at: AppTest) -> str:
    return "\n".join(c.value for c in at.caption)


def infos(at: AppTest) -> str:
    return "\n".join(i.value for i in [*at.info, *at.warning])


def read(path: Path, fn, *args, **kwargs):
    with store.read(path) as con:
        return fn(con, *args, **kwargs)


# --- overview ----------------------------------------------------------------------------------


def map_svg(at: AppTest) -> str:
    """The process map as the page draws it (Graphviz's SVG inside its scroll box)."""
    return next(m.value for m in at.markdown if "<svg" in m.value)


def edge_labels(drawn: str) -> list[str]:
    return re.findall(r'class="edge">.*?(?:<text[^>]*>([^<]*)</text>|</g>)', drawn, re.S)


def test_overview_receipt_numbers(sample_store: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    at = ok(open_explorer(monkeypatch, sample_store, log="receipt"))
    summary = read(sample_store, results.summary, "receipt")
    assert metric(at, "Saker") == f"1{NBSP}434"
    assert metric(at, "Hendelser") == f"8{NBSP}577"
    assert metric(at, "Avsluttede saker") == NB.int(summary["closed_cases"]) == f"1{NBSP}228"
    assert metric(at, "Åpne saker") == NB.int(1434 - summary["closed_cases"])
    assert metric(at, "Median saksbehandlingstid") == NB.hours(summary["median_case_duration_hours"])

    # share of closed cases within the target, recomputed here from the stored cases
    cases = read(sample_store, results.cases, "receipt")
    closed = cases[cases["closed"]]
    for target in (30, 1):
        at.number_input(key="target_days").set_value(target).run()
        ok(at)
        within = (closed["duration_hours"] <= target * 24).sum()
        assert metric(at, "Avsluttet innen målet") == NB.pct(within / len(closed))

    # the monthly table is the store's month buckets (Europe/Oslo)
    monthly = read(sample_store, results.monthly, "receipt")
    months = table(at, "Måned", "Startet")
    assert months["Startet"].tolist() == monthly["cases_started"].tolist()
    assert months["Avsluttet"].tolist() == monthly["cases_finished"].tolist()
    assert months["Startet"].sum() == 1434


def test_overview_english_and_log_switch(sample_store: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    at = ok(open_explorer(monkeypatch, sample_store, log="receipt", lang="en"))
    assert metric(at, "Cases") == "1,434"
    assert metric(at, "Events") == "8,577"
    at.selectbox(key="log").set_value("byggesak").run()
    ok(at)
    assert metric(at, "Cases") == "3,000"
    assert metric(at, "Events") == "27,386"
    assert "Analysis no. 1" in captions(at)
    at.radio(key="lang").set_value("nb").run()
    assert metric(ok(at), "Saker") == f"3{NBSP}000"


@pytest.mark.parametrize("page, title", [("overview", "Overview"), ("process_map", "Process map"),
                                         ("variants", "Variants"), ("bottlenecks", "Bottlenecks and rework"),
                                         ("backlog", "Automation backlog")])
def test_every_page_in_english(sample_store: Path, monkeypatch: pytest.MonkeyPatch, page: str, title: str) -> None:
    at = open_explorer(monkeypatch, sample_store, log="byggesak", lang="en")
    at.switch_page(f"app_pages/{page}.py").run()
    ok(at)
    assert [t.value for t in at.title] == [title]
    texts = [e.value for e in [*at.markdown, *at.caption, *at.subheader, *at.header, *at.info]]
    texts += [m.label for m in at.metric] + [w.label for w in [*at.selectbox, *at.slider, *at.radio, *at.button]]
    untranslated = [t for t in texts if t in i18n.STRINGS]
    assert not untranslated
    # no bokmål left in the page's own words (evidence sentences come in the language they were mined in)
    assert not [t for t in texts if ("saker" in t or "Velg" in t) and not t.startswith("- ")]


# --- filters -----------------------------------------------------------------------------------


def test_filters_narrow_cases_and_recompute(sample_store: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    at = ok(open_explorer(monkeypatch, sample_store, log="byggesak"))
    cases = read(sample_store, results.cases, "byggesak")
    variants = read(sample_store, results.variants, "byggesak")

    at.multiselect(key="f_byggesak_variants").set_value([1]).run()
    ok(at)
    v1 = cases[cases["variant_id"] == 1]
    assert metric(at, "Saker") == NB.int(variants.loc[0, "cases"]) == NB.int(len(v1))
    assert metric(at, "Avsluttede saker") == NB.int(int(v1["closed"].sum()))
    assert f"{NB.int(len(v1))} av 3{NBSP}000 saker" in captions(at)
    at.button[[b.label for b in at.button].index("Nullstill filtre")].click().run()
    assert metric(ok(at), "Saker") == f"3{NBSP}000"

    # case attribute values
    at.multiselect(key="f_byggesak_attrs").set_value(["tiltakstype"]).run()
    at.multiselect(key="f_byggesak_attr_tiltakstype").set_value(["garasje"]).run()
    ok(at)
    with store.read(sample_store) as con:
        (garasje,) = con.execute("SELECT count(DISTINCT case_id) FROM case_attributes WHERE log = 'byggesak' "
                                 "AND name = 'tiltakstype' AND value_text = 'garasje'").fetchone()
        (with_extra,) = con.execute("SELECT count(DISTINCT case_id) FROM events WHERE log = 'byggesak' "
                                    "AND activity = 'Ekstra kontroll'").fetchone()
        (garasje_extra,) = con.execute("""
            SELECT count(DISTINCT e.case_id) FROM events e JOIN case_attributes a USING (log, case_id)
            WHERE log = 'byggesak' AND a.name = 'tiltakstype' AND a.value_text = 'garasje'
              AND e.activity = 'Ekstra kontroll'""").fetchone()
    assert 0 < garasje < 3000
    assert metric(at, "Saker") == NB.int(garasje)
    # … combined with an activity that must be absent, then present
    at.multiselect(key="f_byggesak_absent").set_value(["Ekstra kontroll"]).run()
    assert metric(ok(at), "Saker") == NB.int(garasje - garasje_extra)
    at.multiselect(key="f_byggesak_absent").set_value([]).run()
    at.multiselect(key="f_byggesak_present").set_value(["Ekstra kontroll"]).run()
    assert metric(ok(at), "Saker") == NB.int(garasje_extra)
    at.button[[b.label for b in at.button].index("Nullstill filtre")].click().run()
    at.multiselect(key="f_byggesak_absent").set_value(["Ekstra kontroll"]).run()
    assert metric(ok(at), "Saker") == NB.int(3000 - with_extra)
    at.button[[b.label for b in at.button].index("Nullstill filtre")].click().run()

    # a period: cases with any activity in it (local dates)
    start, end = date(2023, 6, 1), date(2023, 6, 30)
    at.date_input(key="f_byggesak_period").set_value((start, end)).run()
    ok(at)
    oslo = ZoneInfo("Europe/Oslo")
    lo = pd.Timestamp(start, tz=oslo)
    hi = pd.Timestamp(end + timedelta(days=1), tz=oslo)
    expected = ((cases["first_at"] < hi) & (cases["last_at"] >= lo)).sum()
    assert 0 < expected < 3000
    assert metric(at, "Saker") == NB.int(expected)
    # the period's months only: cases started per month add up to the cases that started in the period
    assert table(at, "Måned", "Startet")["Startet"].sum() == expected

    # filters that leave nothing say so instead of drawing empty charts
    at.multiselect(key="f_byggesak_variants").set_value([variants["variant_id"].iloc[-1]]).run()
    at.multiselect(key="f_byggesak_absent").set_value(list(variants["activities"].iloc[-1])[:1]).run()
    ok(at)
    assert "Ingen saker passer filtrene" in infos(at)


def test_person_attributes_are_not_offered_as_filters(sample_store: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    at = ok(open_explorer(monkeypatch, sample_store, log="receipt"))
    options = at.multiselect(key="f_receipt_attrs").options
    assert "channel" in options and "department" in options
    assert "responsible" not in options and "group" in options
    at.selectbox(key="log").set_value("byggesak").run()
    options = ok(at).multiselect(key="f_byggesak_attrs").options
    assert "tiltakstype" in options and "dispensasjon" in options
    assert not {"soker_navn", "soker_fnr"} & set(options)


# --- process map -------------------------------------------------------------------------------


def test_process_map_numbers_sliders_and_activity(sample_store: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    at = open_explorer(monkeypatch, sample_store, log="byggesak")
    at.switch_page("app_pages/process_map.py").run()
    ok(at)
    acts = read(sample_store, results.activities, "byggesak")
    dfg = read(sample_store, results.dfg, "byggesak")
    assert "Viser 16 av 16 aktiviteter" in captions(at)

    # every stored DFG edge, recomputed for the (unfiltered) cases, has the stored count
    snap = stores.snapshot(sample_store)
    md = data.map_data(snap, "byggesak", queries.Filters(), acts["activity"].tolist())
    inner = md.edges[(md.edges["source"] != START) & (md.edges["target"] != END)]
    got = {(r.source, r.target): int(r.count) for r in inner.itertuples()}
    assert got == {(r.source, r.target): int(r.count) for r in dfg.itertuples()}
    starts = md.edges[md.edges["source"] == START].set_index("target")["count"]
    assert starts.to_dict() == acts[acts["start_cases"] > 0].set_index("activity")["start_cases"].to_dict()

    # the drawn map and its table alternative
    drawn = map_svg(at)   # Graphviz's SVG, named by its <title> and <desc>
    assert '<title id="process-map-title">Prosesskart</title><desc id="process-map-desc">' in drawn
    for activity in acts["activity"]:
        events = NB.int(int(acts.set_index("activity").loc[activity, "events"]))
        assert f">{activity}</text>" in drawn and f">{events}</text>" in drawn, activity
    assert all(re.fullmatch(r"[\d\u00a0]+", x) for x in edge_labels(drawn))   # frequency: counts
    edges_table = table(at, "Fra", "Til")
    shown = len(edges_table)
    assert 0 < shown <= len(dfg) + len(acts) * 2
    top = dfg.iloc[0]
    row = edges_table[(edges_table["Fra"] == top["source"]) & (edges_table["Til"] == top["target"])]
    assert row["Antall"].tolist() == [int(top["count"])]

    # the activity slider keeps the most frequent half; the path slider at 100 % shows every path
    at.slider(key="map_acts_byggesak").set_value(50).run()
    assert "Viser 8 av 16 aktiviteter" in captions(ok(at))
    at.slider(key="map_paths_byggesak").set_value(100).run()
    ok(at)
    n_edges = len(table(at, "Fra", "Til"))
    at.slider(key="map_paths_byggesak").set_value(0).run()
    assert len(table(ok(at), "Fra", "Til")) < n_edges

    # performance mode labels edges with times instead of counts
    at.radio(key="map_mode").set_value("performance").run()
    labels = [x for x in edge_labels(map_svg(ok(at))) if x]
    assert labels and not any(re.fullmatch(r"[\d\u00a0]+", x) for x in labels)   # times, not counts

    # choosing an activity shows its statistics: the stored ones, for the whole log
    a = acts.set_index("activity").loc["Faglig vurdering"]
    at.selectbox(key="map_activity_byggesak").set_value("Faglig vurdering").run()
    ok(at)
    assert metric(at, "Hendelser") == NB.int(int(a["events"]))
    assert metric(at, "Saker") == NB.int(int(a["cases"]))
    assert metric(at, "Median behandlingstid") == NB.hours(a["median_processing_hours"])
    assert metric(at, "Median ventetid før") == NB.hours(a["median_wait_hours"])
    # the clerks: 19 people, so per-person figures are shown; systems/outside parties are groups
    res = table(at, "Utført av")
    assert set(res["Utført av"]) <= {"personer", "systemer", "eksterne parter", "ukjent"}
    assert [d.label for d in at.download_button][:1] == ["Kart (DOT)"]


def test_map_defaults_keep_a_400_activity_log_readable() -> None:
    counts = pd.DataFrame({"activity": [f"A{i:03d}" for i in range(400)], "events": range(400, 0, -1)})
    pct = maps.default_activity_pct(400)
    kept = maps.kept_activities(counts, pct)
    assert 2 <= len(kept) <= maps.MAP_READABLE_ACTIVITIES
    assert kept == counts["activity"].head(len(kept)).tolist()
    assert maps.default_activity_pct(16) == 100
    # a dense map of those activities: the default path slider leaves a readable number of arrows,
    # and every kept activity stays connected to start and end
    edges = [(a, b, 1000 // (1 + abs(i - j)))
             for (i, a), (j, b) in itertools.product(enumerate(kept), repeat=2) if a != b]
    e = pd.DataFrame(edges, columns=["source", "target", "count"])
    e = pd.concat([e, pd.DataFrame({"source": [START], "target": [kept[0]], "count": [5000]}),
                   pd.DataFrame({"source": [kept[-1]], "target": [END], "count": [5000]})])
    e["median_hours"] = 2.0
    e["median_wait_hours"] = 30.0
    nodes = pd.DataFrame({"activity": kept, "events": range(len(kept), 0, -1), "cases": 1,
                          "median_processing_hours": None, "median_wait_hours": None})
    paths = maps.default_paths_pct(e, len(kept))
    assert paths < maps.DEFAULT_PATHS
    view = maps.build_map(queries.MapData(nodes=nodes, edges=e), keep_paths_pct=paths, mode="frequency",
                          fmt_count=str, fmt_hours=str)
    assert len(view.edges) <= 3 * len(kept)
    reached = {START}
    for _ in kept:
        reached |= {t for s, t in zip(view.edges["source"], view.edges["target"]) if s in reached}
    assert set(kept) <= reached


def test_colours_are_colour_blind_safe_and_explained() -> None:
    okabe_ito = {"#E69F00", "#56B4E9", "#009E73", "#F0E442", "#0072B2", "#D55E00", "#CC79A7", "#000000"}
    assert {c for _, c in maps.WAIT_BINS} <= okabe_ito
    assert [maps.wait_bin(h) for h in (0.5, 5, 48, 500, None)] == [0, 1, 2, 3, None]


# --- variants ----------------------------------------------------------------------------------


def test_variants_table_and_filter_on_one(sample_store: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    at = open_explorer(monkeypatch, sample_store, log="receipt")
    at.switch_page("app_pages/variants.py").run()
    ok(at)
    variants = read(sample_store, results.variants, "receipt")
    shown = table(at, "Variant", "Aktiviteter")
    assert shown["Saker"].tolist() == variants["cases"].head(50).tolist()
    assert shown["Variant"].iloc[0] == "#1"
    assert shown["Median varighet (avsluttede)"].iloc[0] == NB.hours(variants.loc[0, "median_duration_hours"])
    assert f"116 varianter i 1{NBSP}434 saker" in captions(at)

    at.selectbox(key="variant_pick_receipt").set_value(2).run()
    at.button[[b.label for b in at.button].index("Filtrer på denne varianten")].click().run()
    ok(at)
    assert at.session_state["f_receipt_variants"] == [2]
    assert table(at, "Variant", "Aktiviteter")["Saker"].tolist() == [int(variants.loc[1, "cases"])]
    assert "Filteret viser nå bare variant #2." in captions(at)
    at.switch_page("app_pages/overview.py").run()
    assert metric(ok(at), "Saker") == NB.int(int(variants.loc[1, "cases"]))


# --- bottlenecks and rework --------------------------------------------------------------------


def test_bottlenecks_and_rework(sample_store: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    at = open_explorer(monkeypatch, sample_store, log="byggesak")
    at.switch_page("app_pages/bottlenecks.py").run()
    ok(at)
    snap = stores.snapshot(sample_store)
    ins = data.insights(snap, "byggesak")
    if not ins.available:
        assert "har ingen flaskehalser eller omarbeid ennå" in infos(at)
        pytest.skip("this mining run has no insights yet")
    ranked = table(at, "Rang", "Hvor")
    assert ranked["Rang"].tolist() == ins.bottlenecks["rank"].tolist()
    assert ranked["Forekomster"].tolist() == ins.bottlenecks["occurrences"].tolist()
    first = ins.bottlenecks.iloc[0]
    hist = table(at, "Ventetid", "Overganger")
    # the waiting-time distribution counts the waits before the first bottleneck (no filter: the whole log)
    assert hist["Overganger"].sum() > 0
    assert table(at, "Ukedag", "Hendelser")["Hendelser"].sum() == int(
        read(sample_store, results.activities, "byggesak").set_index("activity").loc[first["activity"], "events"])
    text = "\n".join(m.value for m in at.markdown)
    for sentence in first["evidence"][:2]:
        assert queries.mask_pseudonyms(sentence, "pseudonym") in text
    assert "ps_" not in text.replace("[pseudonym ps_", "")
    rework = table(at, "Type", "Andel saker")
    assert rework["Saker"].tolist() == ins.rework["cases"].tolist()


# --- automation backlog and marks -------------------------------------------------------------


def test_backlog_marks_and_export(sample_store: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "copy.duckdb"
    shutil.copy(sample_store, path)
    at = open_explorer(monkeypatch, path, log="byggesak")
    at.switch_page("app_pages/backlog.py").run()
    ok(at)
    cands = data.candidates(stores.snapshot(path), "byggesak")
    if cands is None or cands.empty:
        assert "Ingen automatiseringskandidater" in infos(at)
        pytest.skip("no scored candidates in this store yet")
    ranked = table(at, "Rang", "Poeng")
    assert ranked["Rang"].tolist() == cands["rank"].tolist()
    totals = data.candidate_summary(stores.snapshot(path), "byggesak")
    nb = Translator("nb")
    assert 0 < totals["claimed_hours_per_year"] <= totals["staff_hours_per_year"]
    assert (f"regner med {nb.num(totals['claimed_hours_per_year'], 0)} av loggens "
            f"{nb.num(totals['staff_hours_per_year'], 0)} arbeidstimer") in " ".join(c.value for c in at.caption)
    first = cands.iloc[0]
    at.radio(key=f"mark_decision_byggesak_{first['candidate_id']}").set_value("rejected")
    at.text_area(key=f"mark_comment_byggesak_{first['candidate_id']}").input("Krever skjønn")
    at.button[[b.label for b in at.button].index("Lagre vurdering")].click().run()
    ok(at)
    assert any("Lagret: avvist" in s.value for s in at.success)
    marks_table = table(at, "Kandidat", "Vurdering")
    assert marks_table["Vurdering"].tolist() == ["avvist"]
    assert marks_table["Kommentar"].tolist() == ["Krever skjønn"]
    stored = read(path, marks.read, "byggesak")
    assert stored[["candidate_id", "decision", "comment"]].values.tolist() == [
        [first["candidate_id"], "rejected", "Krever skjønn"]]
    assert [d.label for d in at.download_button] == ["Eksporter vurderinger (CSV)", "Eksporter vurderinger (Excel)"]


def test_marks_survive_and_export_in_the_labels_schema(tmp_path: Path) -> None:
    path = tmp_path / "m.duckdb"
    store.ensure_store(path)
    marks.save(path, log_name="l", candidate_id="automate:A", activities=["A"], kind="automate", decision="accepted")
    marks.save(path, log_name="l", candidate_id="automate:A", activities=["A"], kind="automate",
               decision="needs_review", comment="  se på regelen  ")
    marks.save(path, log_name="l", candidate_id="simplify:B,C", activities=["B, x", "C → y"], kind="simplify",
               decision="rejected")
    with pytest.raises(Exception, match="decision must be one of"):
        marks.save(path, log_name="l", candidate_id="x", activities=[], kind="automate", decision="maybe")
    df = read(path, marks.read, "l")
    assert sorted(df["decision"]) == ["needs_review", "rejected"]
    csv = pd.read_csv(pd.io.common.BytesIO(marks.to_csv(df)))
    assert tuple(csv.columns) == marks.LABEL_COLUMNS
    row = csv.set_index("candidate_id").loc["simplify:B,C"]
    assert row["activities"] == "B, x → C → y" and row["log"] == "l"
    assert csv.set_index("candidate_id").loc["automate:A", "comment"] == "se på regelen"
    xlsx = pd.read_excel(pd.io.common.BytesIO(marks.to_excel(df)), sheet_name="labels", engine="openpyxl")
    assert tuple(xlsx.columns) == marks.LABEL_COLUMNS and len(xlsx) == 2


def test_pseudonyms_are_labelled_never_shown_as_names() -> None:
    text = "Ping-pong mellom ps_62337e15f58fde7e og ps_44ee191ee5e5187e (søker fnr_0123456789abcdef)."
    masked = queries.mask_pseudonyms(text, "pseudonym")
    assert masked == ("Ping-pong mellom [pseudonym ps_62337e15] og [pseudonym ps_44ee191e] "
                      "(søker [pseudonym fnr_0123456]).")


# --- bad states --------------------------------------------------------------------------------


@pytest.mark.parametrize("page", ["overview", "process_map", "variants", "bottlenecks", "backlog"])
def test_missing_store_says_what_to_do(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, page: str) -> None:
    at = open_explorer(monkeypatch, tmp_path / "nowhere.duckdb")
    at.switch_page(f"app_pages/{page}.py").run()
    ok(at)
    assert "Fant ingen database" in infos(at) and "saksflyt ingest" in infos(at)


def test_empty_store_and_unmined_log(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "empty.duckdb"
    store.ensure_store(path)
    at = ok(open_explorer(monkeypatch, path))
    assert "har ingen logger ennå" in infos(at)
    at.switch_page("app_pages/process_map.py").run()
    assert "har ingen logger ennå" in infos(ok(at))

    monkeypatch.setenv("SAKSFLYT_PSEUDONYM_KEY", "testkey")
    cli("--store", str(path), "ingest", str(SAMPLES / "receipt.csv"), "--log", "receipt", "--quiet")
    at = ok(open_explorer(monkeypatch, path))
    assert "ikke analysert ennå" in infos(at) and "saksflyt mine --log receipt" in infos(at)
    assert metric(at, "Saker") == f"1{NBSP}434"  # the overview still counts what was loaded
    for page in ("process_map", "variants", "bottlenecks", "backlog"):
        at.switch_page(f"app_pages/{page}.py").run()
        assert "ikke analysert ennå" in infos(ok(at)), page


def test_log_without_resources_or_start_times(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    src = tmp_path / "bare.csv"
    rows = ["case,activity,time"]
    for c in range(40):
        t = f"2024-0{1 + c % 9}-1{c % 10}"
        rows += [f"c{c},Motta,{t} 08:00", f"c{c},Behandle,{t} 1{c % 6}:30"]
        if c % 4:
            rows.append(f"c{c},Avslutte,{t} 17:00")
    src.write_text("\n".join(rows) + "\n", encoding="utf-8")
    path = tmp_path / "bare.duckdb"
    monkeypatch.setenv("SAKSFLYT_PSEUDONYM_KEY", "testkey")
    cli("--store", str(path), "ingest", str(src), "--log", "bare", "--case", "case", "--activity", "activity",
        "--timestamp", "time", "--quiet")
    cli("--store", str(path), "mine", "--log", "bare", "--quiet")
    at = ok(open_explorer(monkeypatch, path))
    assert metric(at, "Saker") == "40"
    assert "ingen ressurser" in captions(at) and "ingen starttider" in captions(at)
    at.switch_page("app_pages/process_map.py").run()
    at.selectbox(key="map_activity_bare").set_value("Behandle").run()
    ok(at)
    assert metric(at, "Median behandlingstid") == "–"
    for page in ("variants", "bottlenecks", "backlog"):
        at.switch_page(f"app_pages/{page}.py").run()
        ok(at)


HOLD_LOCK = textwrap.dedent("""
    import sys, time, duckdb
    con = duckdb.connect(sys.argv[1])
    con.execute("BEGIN TRANSACTION")
    print("locked", flush=True)
    time.sleep(60)
""")


def test_locked_store_shows_last_data_with_an_updating_note(sample_store: Path, tmp_path: Path,
                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "locked.duckdb"
    shutil.copy(sample_store, path)
    monkeypatch.setattr(stores, "READ_RETRY_SECONDS", 0.5)
    at = ok(open_explorer(monkeypatch, path, log="receipt"))
    assert metric(at, "Saker") == f"1{NBSP}434"
    holder = subprocess.Popen([sys.executable, "-c", HOLD_LOCK, str(path)], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "locked"
        at.run()
        ok(at)
        assert metric(at, "Saker") == f"1{NBSP}434"  # the last data read …
        assert "oppdateres akkurat nå" in infos(at)   # … with an "updating" note
        at.switch_page("app_pages/variants.py").run()  # nothing cached for this page yet
        ok(at)
        assert "oppdateres akkurat nå" in infos(at)
    finally:
        holder.kill()
        holder.wait()
    at.run()
    ok(at)
    assert "oppdateres" not in infos(at)
    assert table(at, "Variant", "Aktiviteter")["Saker"].iloc[0] > 0


def test_compare_page_shows_the_compare_library_numbers(sample_store: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from saksflyt.mining import compare as cmp
    from saksflyt.mining import compare_sides as sides

    at = open_explorer(monkeypatch, sample_store, log="byggesak")
    at.switch_page("app_pages/compare.py").run(timeout=180)
    ok(at)
    a, b = sides.split_sides("byggesak", before=date(2023, 5, 1), after=date(2023, 9, 1))
    direct = cmp.compare(store_path=sample_store, a=a, b=b,
                         options=sides.CompareOptions(target_days=30.0, shared_only=False, bootstrap=1000))
    median_b = direct["lead_time"]["median_days"]["b"]
    assert metric(at, "Median ledetid (dager)") == NB.num(median_b, 1)
    assert metric(at, "Kroner spart per år") == NB.num(direct["gains"]["nok_per_year"]["value"], 0)
    # the unchanged sample log: nothing removed or added between the two sides
    assert any("Fjernede aktiviteter:** –" in m.value for m in at.markdown)
