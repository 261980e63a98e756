"""The explorer's words and numbers in Norwegian bokmål (default) and English.

`Translator(lang)` gives `tr(key, **values)` for text and `tr.int`, `tr.num`, `tr.hours`, `tr.pct`,
`tr.date` for numbers as each language writes them: bokmål `1 434` (no-break space), `12,5 %`;
English `1,434`, `12.5%`. A key missing in English falls back to bokmål, a key missing in both shows
the key itself, so a missing string is visible but never breaks a page.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

LANGS = ("nb", "en")
LANG_NAMES = {"nb": "Norsk bokmål", "en": "English"}
NBSP = "\u00a0"

# Vega-Lite's `config.locale` (d3-format and d3-time-format locales): chart axes, numbers and dates in the
# page's language. Without it Vega draws "March" and "1,000" on a bokmål page.
VEGA_LOCALE = {
    "nb": {
        "number": {"decimal": ",", "thousands": NBSP, "grouping": [3], "currency": ["", f"{NBSP}kr"]},
        "time": {"dateTime": "%A %e. %B %Y kl. %X", "date": "%d.%m.%Y", "time": "%H:%M:%S", "periods": ["", ""],
                 "days": ["søndag", "mandag", "tirsdag", "onsdag", "torsdag", "fredag", "lørdag"],
                 "shortDays": ["søn", "man", "tir", "ons", "tor", "fre", "lør"],
                 "months": ["januar", "februar", "mars", "april", "mai", "juni", "juli", "august", "september",
                            "oktober", "november", "desember"],
                 "shortMonths": ["jan", "feb", "mar", "apr", "mai", "jun", "jul", "aug", "sep", "okt", "nov",
                                 "des"]},
    },
    "en": {
        "number": {"decimal": ".", "thousands": ",", "grouping": [3], "currency": ["NOK ", ""]},
        "time": {"dateTime": "%a %e %b %X %Y", "date": "%Y-%m-%d", "time": "%H:%M:%S", "periods": ["AM", "PM"],
                 "days": ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"],
                 "shortDays": ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"],
                 "months": ["January", "February", "March", "April", "May", "June", "July", "August", "September",
                            "October", "November", "December"],
                 "shortMonths": ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov",
                                 "Dec"]},
    },
}

STRINGS: dict[str, dict[str, str]] = {
    # navigation and sidebar
    "app.title": {"nb": "Saksflyt", "en": "Saksflyt"},
    "nav.overview": {"nb": "Oversikt", "en": "Overview"},
    "nav.map": {"nb": "Prosesskart", "en": "Process map"},
    "nav.variants": {"nb": "Varianter", "en": "Variants"},
    "nav.bottlenecks": {"nb": "Flaskehalser og omarbeid", "en": "Bottlenecks and rework"},
    "nav.backlog": {"nb": "Automatiseringskandidater", "en": "Automation backlog"},
    "nav.compare": {"nb": "Sammenlign", "en": "Compare"},
    "nav.open_cases": {"nb": "Åpne saker", "en": "Open cases"},
    "nav.handovers": {"nb": "Samhandling", "en": "Handovers"},
    "nav.accessibility": {"nb": "Tilgjengelighetserklæring", "en": "Accessibility statement"},
    "sidebar.lang": {"nb": "Språk / Language", "en": "Language / Språk"},
    "sidebar.log": {"nb": "Logg", "en": "Log"},
    "sidebar.refresh": {"nb": "Oppdater", "en": "Refresh"},
    "sidebar.refresh_help": {"nb": "Les databasen på nytt (ny innlasting eller analyse vises da).",
                             "en": "Read the store again (a new load or analysis then shows)."},
    "sidebar.run": {"nb": "Analyse nr. {seq} · {when}", "en": "Analysis no. {seq} · {when}"},
    "sidebar.store": {"nb": "Database: `{path}`", "en": "Store: `{path}`"},
    "sidebar.stale": {"nb": "Databasen oppdateres akkurat nå. Viser sist leste data; trykk «Oppdater» om litt.",
                      "en": "The store is being updated right now. Showing the last data read; press "
                            "“Refresh” in a moment."},
    "sidebar.loaded_after_run": {
        "nb": "Loggen er lastet inn på nytt etter siste analyse. Kjør `saksflyt mine --log {log}` for å "
              "oppdatere tallene.",
        "en": "The log was loaded again after the last analysis. Run `saksflyt mine --log {log}` to update "
              "the numbers."},
    # filters
    "filters.title": {"nb": "Filtre", "en": "Filters"},
    "filters.period": {"nb": "Periode (saker med aktivitet i perioden)",
                       "en": "Period (cases with activity in the period)"},
    "filters.attributes": {"nb": "Saksegenskaper", "en": "Case attributes"},
    "filters.attribute_values": {"nb": "{name}", "en": "{name}"},
    "filters.variants": {"nb": "Varianter", "en": "Variants"},
    "filters.present": {"nb": "Aktivitet finnes i saken", "en": "Activity present in the case"},
    "filters.absent": {"nb": "Aktivitet finnes ikke i saken", "en": "Activity absent from the case"},
    "filters.reset": {"nb": "Nullstill filtre", "en": "Clear filters"},
    "filters.active": {"nb": "Filter i bruk: {cases} av {total} saker.",
                       "en": "Filters in use: {cases} of {total} cases."},
    "filters.none_left": {"nb": "Ingen saker passer filtrene. Endre eller nullstill filtrene i sidepanelet.",
                          "en": "No case passes the filters. Change or clear the filters in the sidebar."},
    "filters.not_mined": {"nb": "Filtrene blir tilgjengelige når loggen er analysert.",
                          "en": "Filters become available once the log is analysed."},
    "filters.variant_option": {"nb": "#{id} · {cases} saker · {acts}", "en": "#{id} · {cases} cases · {acts}"},
    "filters.person_note": {
        "nb": "Egenskaper som navngir personer tilbys ikke som filter (personvern).",
        "en": "Attributes that name people are not offered as filters (privacy)."},
    # bad states
    "state.no_store": {
        "nb": "Fant ingen database på `{path}`. Last inn en logg først: `saksflyt ingest FIL --log NAVN`, "
              "og analyser den: `saksflyt mine --log NAVN`. Start så utforskeren igjen.",
        "en": "No store found at `{path}`. Load a log first: `saksflyt ingest FILE --log NAME`, then analyse "
              "it: `saksflyt mine --log NAME`, and start the explorer again."},
    "state.empty_store": {
        "nb": "Databasen `{path}` har ingen logger ennå. Last inn en: `saksflyt ingest FIL --log NAVN`, og "
              "trykk «Oppdater».",
        "en": "The store `{path}` has no logs yet. Load one: `saksflyt ingest FILE --log NAME`, then press "
              "“Refresh”."},
    "state.not_mined": {
        "nb": "Loggen «{log}» er ikke analysert ennå. Kjør `saksflyt mine --log {log}` og trykk «Oppdater».",
        "en": "The log “{log}” has not been analysed yet. Run `saksflyt mine --log {log}` and press "
              "“Refresh”."},
    "state.locked": {
        "nb": "Databasen oppdateres akkurat nå (en innlasting eller analyse skriver). Vent litt og trykk "
              "«Oppdater».",
        "en": "The store is being updated right now (a load or analysis is writing). Wait a moment and press "
              "“Refresh”."},
    "state.store_error": {"nb": "Kunne ikke lese databasen: {msg}", "en": "Could not read the store: {msg}"},
    "state.read_error": {
        "nb": "Noe gikk galt ved lesing av databasen ({msg}). Prøv «Oppdater», eller sjekk loggen med "
              "`saksflyt logs --quality {log}`.",
        "en": "Something went wrong reading the store ({msg}). Try “Refresh”, or check the log with "
              "`saksflyt logs --quality {log}`."},
    "state.no_insights": {
        "nb": "Denne analysen har ingen flaskehalser eller omarbeid ennå. Kjør `saksflyt mine --log {log}` på "
              "nytt med en versjon som beregner dem.",
        "en": "This analysis has no bottlenecks or rework yet. Run `saksflyt mine --log {log}` again with a "
              "version that computes them."},
    "state.no_candidates": {
        "nb": "Ingen automatiseringskandidater for «{log}» ennå. Kjør `saksflyt mine --log {log}` (eller "
              "`saksflyt candidates --log {log}`) og trykk «Oppdater».",
        "en": "No automation candidates for “{log}” yet. Run `saksflyt mine --log {log}` (or "
              "`saksflyt candidates --log {log}`) and press “Refresh”."},
    "state.no_resources": {
        "nb": "Loggen har ingen ressurser (hvem som utførte aktivitetene): ressursstatistikk vises ikke.",
        "en": "The log has no resources (who did the activities): resource statistics are not shown."},
    "state.no_start_times": {
        "nb": "Loggen har ingen starttider: ventetid er tid mellom to fullføringer, og behandlingstid kan "
              "ikke måles.",
        "en": "The log has no start times: waiting is the time between two completions, and processing time "
              "cannot be measured."},
    # common words
    "word.choose": {"nb": "Velg …", "en": "Choose …"},
    "word.chart": {"nb": "Diagram", "en": "Chart"},
    "word.choose_many": {"nb": "Velg en eller flere", "en": "Choose one or more"},
    "word.table": {"nb": "Tabell", "en": "Table"},
    "word.start": {"nb": "Start", "en": "Start"},
    "word.end": {"nb": "Slutt", "en": "End"},
    "word.yes": {"nb": "ja", "en": "yes"},
    "word.no": {"nb": "nei", "en": "no"},
    "word.pseudonym": {"nb": "pseudonym", "en": "pseudonym"},
    "word.hidden_k": {"nb": "færre enn {k}", "en": "fewer than {k}"},
    "basis.measured": {"nb": "målt ventetid (fra forrige fullføring til start)",
                       "en": "measured waiting (previous completion to start)"},
    "basis.between_completions": {"nb": "tid mellom fullføringer", "en": "time between completions"},
    "kind.person": {"nb": "personer", "en": "people"},
    "kind.system": {"nb": "systemer", "en": "systems"},
    "kind.external": {"nb": "eksterne parter", "en": "outside parties"},
    "kind.unknown": {"nb": "ukjent", "en": "unknown"},
    # overview
    "overview.title": {"nb": "Oversikt", "en": "Overview"},
    "overview.cases": {"nb": "Saker", "en": "Cases"},
    "overview.open": {"nb": "Åpne saker", "en": "Open cases"},
    "overview.closed": {"nb": "Avsluttede saker", "en": "Closed cases"},
    "overview.events": {"nb": "Hendelser", "en": "Events"},
    "overview.median_lead": {"nb": "Median saksbehandlingstid", "en": "Median lead time"},
    "overview.median_lead_help": {"nb": "Over avsluttede saker, fra første til siste hendelse.",
                                  "en": "Over closed cases, from first to last event."},
    "overview.target": {"nb": "Mål for saksbehandlingstid (dager)", "en": "Target lead time (days)"},
    "overview.within": {"nb": "Avsluttet innen målet", "en": "Closed within target"},
    "overview.within_help": {"nb": "{n} av {closed} avsluttede saker.", "en": "{n} of {closed} closed cases."},
    "overview.rule": {"nb": "Avsluttet sak: siste aktivitet er en av {acts}.",
                      "en": "Closed case: the last activity is one of {acts}."},
    "overview.monthly": {"nb": "Saker startet og avsluttet per måned", "en": "Cases started and finished per month"},
    "overview.monthly_alt": {"nb": "Linjediagram: saker startet og avsluttet per måned (tallene står i fanen Tabell)",
                             "en": "Line chart: cases started and finished per month (the numbers are in the Table tab)"},
    "overview.series": {"nb": "Serie", "en": "Series"},
    "overview.month": {"nb": "Måned", "en": "Month"},
    "overview.started": {"nb": "Startet", "en": "Started"},
    "overview.finished": {"nb": "Avsluttet", "en": "Finished"},
    "overview.logs": {"nb": "Logger i databasen", "en": "Logs in the store"},
    "overview.quality": {"nb": "Datakvalitet", "en": "Data quality"},
    "overview.months_note": {"nb": "Måneder i norsk tid (Europe/Oslo).",
                             "en": "Months in Norwegian time (Europe/Oslo)."},
    "col.log": {"nb": "Logg", "en": "Log"},
    "col.source": {"nb": "Kilde", "en": "Source"},
    "col.cases": {"nb": "Saker", "en": "Cases"},
    "col.events": {"nb": "Hendelser", "en": "Events"},
    "col.activities": {"nb": "Aktiviteter", "en": "Activities"},
    "col.first": {"nb": "Første hendelse", "en": "First event"},
    "col.last": {"nb": "Siste hendelse", "en": "Last event"},
    "col.measure": {"nb": "Mål", "en": "Measure"},
    "col.value": {"nb": "Verdi", "en": "Value"},
    "quality.events_with_start_time": {"nb": "Hendelser med starttid", "en": "Events with a start time"},
    "quality.missing_resource_events": {"nb": "Hendelser uten ressurs", "en": "Events without a resource"},
    "quality.day_precision_events": {"nb": "Hendelser med bare dato", "en": "Events with a date only"},
    "quality.events_in_timestamp_ties": {"nb": "Hendelser med likt tidspunkt i saken",
                                         "en": "Events sharing a timestamp in their case"},
    "quality.rows_rejected": {"nb": "Avviste rader ved innlasting", "en": "Rows rejected at load"},
    "quality.future_dates": {"nb": "Tidspunkt i fremtiden", "en": "Times in the future"},
    "quality.suspicious_default_dates": {"nb": "Mistenkelige standarddatoer (før 1971)",
                                         "en": "Suspicious default dates (before 1971)"},
    # process map
    "map.title": {"nb": "Prosesskart", "en": "Process map"},
    "map.mode": {"nb": "Vis på kartet", "en": "Show on the map"},
    "map.mode.frequency": {"nb": "Frekvens", "en": "Frequency"},
    "map.mode.performance": {"nb": "Tid", "en": "Performance"},
    "map.activities": {"nb": "Aktiviteter (%)", "en": "Activities (%)"},
    "map.activities_help": {"nb": "Vis de hyppigste aktivitetene. Skjulte aktiviteter hoppes over i sakene.",
                            "en": "Show the most frequent activities. Hidden activities are skipped in the cases."},
    "map.paths": {"nb": "Stier (%)", "en": "Paths (%)"},
    "map.paths_help": {"nb": "Vis de hyppigste overgangene (andel av alle overganger), pluss de som trengs for "
                             "at kartet henger sammen.",
                       "en": "Show the most frequent transitions (share of all transitions), plus those needed "
                             "to keep the map connected."},
    "map.shown": {"nb": "Viser {acts} av {acts_total} aktiviteter og {edges} av {edges_total} overganger.",
                  "en": "Showing {acts} of {acts_total} activities and {edges} of {edges_total} transitions."},
    "map.legend": {"nb": "Fargen på pilene viser median ventetid ({basis}); tykkelsen viser antall.",
                   "en": "Arrow colour shows the median waiting time ({basis}); thickness shows the count."},
    "map.legend_no_time": {"nb": "ingen timetall (bare datoer)", "en": "no hours (dates only)"},
    "map.legend_start_end": {"nb": "start/slutt", "en": "start/end"},
    "map.alt": {"nb": "Prosesskart for {log}: {acts} aktiviteter og {edges} overganger. Se tabellen for tallene.",
                "en": "Process map of {log}: {acts} activities and {edges} transitions. "
                      "See the table for the numbers."},
    "wait.0": {"nb": "< 1 t", "en": "< 1 h"},
    "wait.1": {"nb": "1–24 t", "en": "1–24 h"},
    "wait.2": {"nb": "1–7 d", "en": "1–7 d"},
    "wait.3": {"nb": "> 7 d", "en": "> 7 d"},
    "map.colour": {"nb": "Farge", "en": "Colour"},
    "map.wait_range": {"nb": "Median ventetid", "en": "Median waiting"},
    "map.choose": {"nb": "Velg en aktivitet for å se statistikk", "en": "Choose an activity to see its statistics"},
    "map.downloads": {"nb": "Last ned", "en": "Download"},
    "map.dl_dot": {"nb": "Kart (DOT)", "en": "Map (DOT)"},
    "map.dl_svg": {"nb": "Kart (SVG)", "en": "Map (SVG)"},
    "map.dl_bpmn": {"nb": "Prosessmodell (model.bpmn)", "en": "Process model (model.bpmn)"},
    "map.dl_report": {"nb": "Rapport (report.html)", "en": "Report (report.html)"},
    "map.no_svg": {"nb": "SVG krever Graphviz (`make system-deps`).", "en": "SVG needs Graphviz (`make system-deps`)."},
    "map.no_model": {"nb": "Ingen modell eller rapport i denne analysen.",
                     "en": "No model or report in this analysis."},
    "col.from": {"nb": "Fra", "en": "From"},
    "col.to": {"nb": "Til", "en": "To"},
    "col.count": {"nb": "Antall", "en": "Count"},
    "col.median_between": {"nb": "Median tid mellom fullføringer", "en": "Median time between completions"},
    "col.median_wait": {"nb": "Median ventetid", "en": "Median waiting"},
    "col.activity": {"nb": "Aktivitet", "en": "Activity"},
    "col.median_processing": {"nb": "Median behandlingstid", "en": "Median processing time"},
    "col.share": {"nb": "Andel", "en": "Share"},
    "col.kind": {"nb": "Utført av", "en": "Done by"},
    "col.resources": {"nb": "Antall", "en": "Number"},
    "act.events": {"nb": "Hendelser", "en": "Events"},
    "act.cases": {"nb": "Saker", "en": "Cases"},
    "act.share": {"nb": "Andel av sakene", "en": "Share of cases"},
    "act.processing": {"nb": "Median behandlingstid", "en": "Median processing time"},
    "act.processing_p90": {"nb": "90-persentil behandlingstid", "en": "90th percentile processing"},
    "act.wait": {"nb": "Median ventetid før", "en": "Median waiting before"},
    "act.predecessors": {"nb": "Kommer etter", "en": "Comes after"},
    "act.successors": {"nb": "Følges av", "en": "Followed by"},
    "act.resources": {"nb": "Hvem utfører aktiviteten", "en": "Who does the activity"},
    "act.per_person": {"nb": "{n} personer; median {med} og 90-persentil {p90} hendelser per person.",
                       "en": "{n} people; median {med} and 90th percentile {p90} events per person."},
    "act.too_few": {"nb": "Færre enn {k} personer utfører aktiviteten: statistikk per person vises ikke (personvern).",
                    "en": "Fewer than {k} people do the activity: per-person statistics are not shown (privacy)."},
    # variants
    "variants.title": {"nb": "Varianter", "en": "Variants"},
    "variants.summary": {"nb": "{variants} varianter i {cases} saker. Viser de {shown} vanligste.",
                         "en": "{variants} variants in {cases} cases. Showing the {shown} most common."},
    "variants.pick": {"nb": "Velg en variant", "en": "Choose a variant"},
    "variants.filter": {"nb": "Filtrer på denne varianten", "en": "Filter on this variant"},
    "variants.filtered": {"nb": "Filteret viser nå bare variant #{id}.",
                          "en": "The filter now shows variant #{id} only."},
    "variants.chart": {"nb": "Saker i de ti vanligste variantene", "en": "Cases in the ten most common variants"},
    "col.variant": {"nb": "Variant", "en": "Variant"},
    "col.length": {"nb": "Steg", "en": "Steps"},
    "col.median_duration": {"nb": "Median varighet (avsluttede)", "en": "Median duration (closed)"},
    "col.sequence": {"nb": "Aktiviteter", "en": "Activities"},
    # bottlenecks and rework
    "bn.title": {"nb": "Flaskehalser og omarbeid", "en": "Bottlenecks and rework"},
    "bn.bottlenecks": {"nb": "Flaskehalser", "en": "Bottlenecks"},
    "bn.note": {"nb": "Rangert etter samlet ventetid i hele loggen (siste analyse). Fordelingene under gjelder "
                      "sakene i filteret.",
                "en": "Ranked by total waiting in the whole log (latest analysis). The distributions below are "
                      "for the filtered cases."},
    "bn.pick": {"nb": "Velg en flaskehals", "en": "Choose a bottleneck"},
    "bn.evidence": {"nb": "Grunnlag", "en": "Evidence"},
    "bn.distribution": {"nb": "Ventetid før «{act}»", "en": "Waiting before “{act}”"},
    "bn.weekdays": {"nb": "Når «{act}» fullføres (ukedag)", "en": "When “{act}” is completed (weekday)"},
    "bn.no_pairs": {"nb": "Ingen ventetider med klokkeslett i utvalget.",
                    "en": "No waiting times with hours in the selection."},
    "bn.rework": {"nb": "Omarbeid", "en": "Rework"},
    "bn.needless": {"nb": "Mulige unødvendige steg", "en": "Possibly needless steps"},
    "bn.unexplained": {"nb": "Til gjennomgang: uforklarte steg", "en": "For review: unexplained steps"},
    "bn.unexplained_note": {"nb": "Verken saksdataene eller hvem som jobber med saken forutsier om disse stegene "
                                  "skjer: stikkprøver eller skjønn. De foreslås ikke fjernet, og ingen timer regnes.",
                            "en": "Neither the case data nor the people on the case predict whether these steps "
                                  "happen: spot checks or judgement. They are not proposed for elimination and no "
                                  "hours are counted."},
    "bn.none": {"nb": "Ingen funnet.", "en": "None found."},
    "col.rank": {"nb": "Rang", "en": "Rank"},
    "col.where": {"nb": "Hvor", "en": "Where"},
    "col.occurrences": {"nb": "Forekomster", "en": "Occurrences"},
    "col.total_wait": {"nb": "Samlet ventetid", "en": "Total waiting"},
    "col.basis": {"nb": "Grunnlag", "en": "Basis"},
    "col.internal": {"nb": "Intern", "en": "Internal"},
    "col.rework_kind": {"nb": "Type", "en": "Kind"},
    "col.hours_added": {"nb": "Tid lagt til", "en": "Time added"},
    "col.case_share": {"nb": "Andel saker", "en": "Share of cases"},
    "col.verdict": {"nb": "Vurdering", "en": "Verdict"},
    "col.pairs": {"nb": "Overganger", "en": "Transitions"},
    "col.bin": {"nb": "Ventetid", "en": "Waiting"},
    "col.weekday": {"nb": "Ukedag", "en": "Weekday"},
    "bin.0": {"nb": "< 1 t", "en": "< 1 h"},
    "bin.1": {"nb": "1–4 t", "en": "1–4 h"},
    "bin.2": {"nb": "4–8 t", "en": "4–8 h"},
    "bin.3": {"nb": "8–24 t", "en": "8–24 h"},
    "bin.4": {"nb": "1–3 d", "en": "1–3 d"},
    "bin.5": {"nb": "3–7 d", "en": "3–7 d"},
    "bin.6": {"nb": "1–2 uker", "en": "1–2 wk"},
    "bin.7": {"nb": "2–4 uker", "en": "2–4 wk"},
    "bin.8": {"nb": "> 4 uker", "en": "> 4 wk"},
    "weekday.1": {"nb": "man", "en": "Mon"}, "weekday.2": {"nb": "tir", "en": "Tue"},
    "weekday.3": {"nb": "ons", "en": "Wed"}, "weekday.4": {"nb": "tor", "en": "Thu"},
    "weekday.5": {"nb": "fre", "en": "Fri"}, "weekday.6": {"nb": "lør", "en": "Sat"},
    "weekday.7": {"nb": "søn", "en": "Sun"},
    "rework.repeat": {"nb": "gjentakelse", "en": "repeat"},
    "rework.loop": {"nb": "sløyfe", "en": "loop"},
    "rework.ping-pong": {"nb": "ping-pong", "en": "ping-pong"},
    # automation backlog
    "bl.title": {"nb": "Automatiseringskandidater", "en": "Automation backlog"},
    "bl.totals": {"nb": "Kandidatene regner med {claimed} av loggens {staff} arbeidstimer i året ({share}); hver "
                        "aktivitets timer telles av høyst én kandidat.",
                  "en": "The candidates claim {claimed} of the log's {staff} staff hours a year ({share}); each "
                        "activity's hours are counted by at most one candidate."},
    "bl.review": {"nb": "Til gjennomgang (uforklart: verken saksdata eller vaner forutsier dem, ingen timer): {steps}.",
                  "en": "For review (unexplained: neither case data nor habits predict them, no hours): {steps}."},
    "bl.no_hours": {"nb": "Ingen timer (ingen person på hendelsene og ingen målt tid): {steps}.",
                    "en": "No hours (no person on the events and no measured time): {steps}."},
    "bl.note": {"nb": "Rangert for hele loggen. «Saker i utvalget» teller sakene i filteret som har kandidatens "
                      "aktiviteter.",
                "en": "Ranked for the whole log. “Cases in selection” counts the filtered cases that have the "
                      "candidate's activities."},
    "bl.pick": {"nb": "Velg en kandidat", "en": "Choose a candidate"},
    "bl.reasons": {"nb": "Begrunnelse", "en": "Reasons"},
    "bl.rule": {"nb": "Regel", "en": "Rule"},
    "bl.no_rule": {"nb": "Ingen lærbar regel (skjønn).", "en": "No learnable rule (judgement)."},
    "bl.assumptions": {"nb": "Forutsetninger", "en": "Assumptions"},
    "bl.basis": {"nb": "Grunnlag for behandlingstid: {basis}", "en": "Processing-time basis: {basis}"},
    "processing_basis.measured": {"nb": "målt (start til slutt)", "en": "measured (start to end)"},
    "processing_basis.norm": {"nb": "standardtid", "en": "standard time"},
    "processing_basis.estimated_availability": {"nb": "anslått fra ledig tid hos den som utførte steget",
                                                "en": "estimated from the performer's available time"},
    "processing_basis.estimated": {"nb": "anslått", "en": "estimated"},
    "processing_basis.instant": {"nb": "øyeblikkelig (automatisk steg)", "en": "instant (automatic step)"},
    "processing_basis.unknown": {"nb": "ukjent", "en": "unknown"},
    "bl.mark": {"nb": "Din vurdering", "en": "Your decision"},
    "bl.decision": {"nb": "Vurdering", "en": "Decision"},
    "bl.comment": {"nb": "Kommentar", "en": "Comment"},
    "bl.save": {"nb": "Lagre vurdering", "en": "Save decision"},
    "bl.saved": {"nb": "Lagret: {decision} for «{cand}».", "en": "Saved: {decision} for “{cand}”."},
    "bl.current": {"nb": "Nåværende vurdering: {decision} ({when}).", "en": "Current decision: {decision} ({when})."},
    "bl.marks": {"nb": "Vurderinger", "en": "Decisions"},
    "bl.no_marks": {"nb": "Ingen vurderinger ennå.", "en": "No decisions yet."},
    "bl.export_csv": {"nb": "Eksporter vurderinger (CSV)", "en": "Export decisions (CSV)"},
    "bl.export_xlsx": {"nb": "Eksporter vurderinger (Excel)", "en": "Export decisions (Excel)"},
    "bl.marks_stale": {"nb": "Databasen oppdateres: vurderingene kan være litt gamle.",
                       "en": "The store is being updated: the decisions may be slightly old."},
    "bl.sim_title": {"nb": "Simulert virkning", "en": "Simulated effect"},
    "bl.sim_run": {"nb": "Simulert {when} ({runs} kjøringer av loggens periode). Forskjellen fra i dag med endringen, "
                         "med 90 % intervall: simulerte tall, ikke en prognose.",
                   "en": "Simulated {when} ({runs} runs of the log's period). The difference from today with the "
                         "change, with 90% interval: simulated numbers, not a forecast."},
    "bl.sim_change": {"nb": "Endring: {text}", "en": "Change: {text}"},
    "bl.sim.lead_time_median_days": {"nb": "Median saksbehandlingstid", "en": "Median lead time"},
    "bl.sim.lead_time_p90_days": {"nb": "Saksbehandlingstid, 90-persentil", "en": "Lead time, 90th percentile"},
    "bl.sim.share_within_deadline": {"nb": "Andel avsluttet innen målet ({days}\u00a0døgn)",
                                     "en": "Share completed within the target ({days}\u00a0days)"},
    "bl.sim.staff_hours_per_year": {"nb": "Arbeidstimer i året", "en": "Staff hours per year"},
    "bl.sim_unit.days": {"nb": "døgn", "en": "days"},
    "bl.sim_unit.points": {"nb": "prosentpoeng", "en": "percentage points"},
    "bl.sim_unit.hours": {"nb": "timer", "en": "hours"},
    "bl.sim_diff": {"nb": "{value}\u00a0{unit} ({low} til {high})", "en": "{value}\u00a0{unit} ({low} to {high})"},
    "bl.sim_unclear": {"nb": "ingen sikker forskjell ({low} til {high}\u00a0{unit})",
                       "en": "no clear difference ({low} to {high}\u00a0{unit})"},
    "bl.sim_value_only": {"nb": "{value}\u00a0{unit}", "en": "{value}\u00a0{unit}"},
    "bl.sim_better": {"nb": "bedre", "en": "better"},
    "bl.sim_worse": {"nb": "verre", "en": "worse"},
    "bl.sim_warning": {"nb": "**Advarsel:** {text}", "en": "**Warning:** {text}"},
    "bl.sim_verdict": {"nb": "Validering: **{verdict}**. {text}", "en": "Validation: **{verdict}**. {text}"},
    "bl.sim_verdict.good": {"nb": "god", "en": "good"},
    "bl.sim_verdict.fair": {"nb": "middels", "en": "fair"},
    "bl.sim_verdict.poor": {"nb": "svak", "en": "poor"},
    "bl.sim_not_validated": {
        "nb": "Simuleringen er ikke validert mot loggen, så tallene er ikke kontrollert. Kjør "
              "`saksflyt simulate --log {log} --validate`.",
        "en": "The simulation was not validated against the log, so the numbers are unchecked. Run "
              "`saksflyt simulate --log {log} --validate`."},
    "bl.sim_none": {
        "nb": "Kandidaten er ikke simulert ennå. Se den simulerte virkningen på saksbehandlingstid og timer: "
              "`saksflyt simulate --log {log} --candidate {cid} --out MAPPE`.",
        "en": "The candidate has not been simulated yet. See its simulated effect on lead time and hours: "
              "`saksflyt simulate --log {log} --candidate {cid} --out DIR`."},
    "decision.accepted": {"nb": "akseptert", "en": "accepted"},
    "decision.rejected": {"nb": "avvist", "en": "rejected"},
    "decision.needs_review": {"nb": "må vurderes", "en": "needs review"},
    "decision.none": {"nb": "–", "en": "–"},
    "cand.eliminate": {"nb": "fjerne", "en": "eliminate"},
    "cand.simplify": {"nb": "forenkle", "en": "simplify"},
    "cand.automate": {"nb": "automatisere", "en": "automate"},
    "cand.unblock": {"nb": "fjerne kø", "en": "unblock"},
    "col.score": {"nb": "Poeng", "en": "Score"},
    "col.hours_saved": {"nb": "Timer spart/år", "en": "Hours saved/year"},
    "col.nok_saved": {"nb": "Kr spart/år", "en": "NOK saved/year"},
    "col.quality_cases": {"nb": "Saker med bedre kvalitet/år", "en": "Cases of higher quality/year"},
    "col.cases_selection": {"nb": "Saker i utvalget", "en": "Cases in selection"},
    "col.decision": {"nb": "Vurdering", "en": "Decision"},
    "col.comment": {"nb": "Kommentar", "en": "Comment"},
    "col.marked_at": {"nb": "Tidspunkt", "en": "When"},
    "col.candidate": {"nb": "Kandidat", "en": "Candidate"},
    # open cases (deadline monitor)
    "oc.title": {"nb": "Åpne saker", "en": "Open cases"},
    "oc.no_run": {
        "nb": "Loggen «{log}» har ingen fristovervåking ennå. Kjør `saksflyt monitor --log {log} --config FIL` "
              "(TOML-filen med fristreglene, som for `saksflyt mine --config`) og trykk «Oppdater».",
        "en": "The log “{log}” has no deadline monitoring yet. Run `saksflyt monitor --log {log} --config FILE` "
              "(the TOML file with the deadline rules, as for `saksflyt mine --config`) and press “Refresh”."},
    "oc.run": {"nb": "Overvåking nr. {seq} · kjent til {as_of} · kjørt {when}",
               "en": "Monitoring no. {seq} · known up to {as_of} · run {when}"},
    "oc.no_predictions": {"nb": "Ingen prediksjoner i denne kjøringen: {msg}",
                          "en": "No predictions in this run: {msg}"},
    "oc.open": {"nb": "Åpne saker", "en": "Open cases"},
    "oc.at_risk": {"nb": "I faresonen", "en": "At risk"},
    "oc.at_risk_help": {"nb": "Saker med minst {p} sannsynlighet for å gå over fristen.",
                        "en": "Cases with at least a {p} probability of missing the deadline."},
    "oc.expected_refund": {"nb": "Forventet tilbakebetaling", "en": "Expected refunds"},
    "oc.expected_refund_help": {
        "nb": "Summen for de åpne sakene: sannsynligheten for å gå over fristen × gebyret × andelen som betales "
              "tilbake for de forventede ukene over.",
        "en": "Summed over the open cases: the probability of missing the deadline × the fee × the share repaid "
              "for the expected weeks over."},
    "oc.in_time": {"nb": "Avgjort i tide, siste 12 mnd.", "en": "Decided in time, last 12 months"},
    "oc.in_time_help": {"nb": "{n} saker avgjort {first} – {last}.", "en": "{n} cases decided {first} – {last}."},
    "oc.list": {"nb": "Sakene, rangert etter forventet kostnad", "en": "The cases, ranked by expected cost"},
    "oc.filter_activity": {"nb": "Nåværende aktivitet", "en": "Current activity"},
    "oc.filter_p": {"nb": "Minste sannsynlighet for å gå over fristen", "en": "Minimum probability of missing the deadline"},
    "oc.filter_p_off": {"nb": "Kjøringen har ingen prediksjoner å filtrere på.",
                        "en": "The run has no predictions to filter on."},
    "oc.filter_past": {"nb": "Bare saker der fristen er passert", "en": "Only cases past their deadline"},
    "oc.shown": {"nb": "Viser {n} av {total} åpne saker.", "en": "Showing {n} of {total} open cases."},
    "oc.none_left": {"nb": "Ingen saker passer filtrene.", "en": "No case passes the filters."},
    "oc.pick": {"nb": "Velg en sak", "en": "Choose a case"},
    "oc.timeline": {"nb": "Saken så langt", "en": "The case so far"},
    "oc.timeline_alt": {
        "nb": "Tidslinje for sak {case}: hendelsene som punkter, klokkestart, frist og pauser markert.",
        "en": "Timeline of case {case}: the events as points, the clock start, the deadline and pauses marked."},
    "oc.reasons": {"nb": "Begrunnelse", "en": "Reasons"},
    "oc.facts": {
        "nb": "Klokken startet {start} · frist {deadline} · {paused} dager pause · {left} dager igjen",
        "en": "Clock started {start} · deadline {deadline} · {paused} days paused · {left} days left"},
    "oc.prediction": {
        "nb": "{p} sjanse for å gå over fristen · trolig {days} dager igjen ({low}–{high}, 80 % intervall) · "
              "neste trolig {next}",
        "en": "{p} chance of missing the deadline · probably {days} days to go ({low}–{high}, 80% interval) · "
              "next probably {next}"},
    "oc.later_events": {"nb": "{n} senere hendelser i databasen er ikke vist: kjøringen visste ikke om dem.",
                        "en": "{n} later events in the store are not shown: the run did not know of them."},
    "oc.mark_event": {"nb": "hendelse", "en": "event"},
    "oc.mark_clock_start": {"nb": "klokken starter", "en": "clock starts"},
    "oc.mark_pause_start": {"nb": "pause starter", "en": "pause starts"},
    "oc.mark_pause_end": {"nb": "pause slutter", "en": "pause ends"},
    "oc.mark_stop": {"nb": "vedtak (klokken stopper)", "en": "decision (clock stops)"},
    "oc.mark_deadline": {"nb": "frist (slutten av dagen)", "en": "deadline (end of day)"},
    "oc.mark_as_of": {"nb": "kjøringen visste til her", "en": "the run knew up to here"},
    "oc.mark_pause": {"nb": "pause", "en": "pause"},
    "oc.mark_pause_open": {"nb": "pause (fortsatt åpen)", "en": "pause (still open)"},
    "oc.history": {"nb": "Andel avgjort innen fristen per måned", "en": "Share decided in time per month"},
    "oc.history_alt": {"nb": "Stolpediagram: andel saker avgjort innen fristen per måned.",
                       "en": "Bar chart: share of cases decided in time per month."},
    "oc.no_history": {"nb": "Ingen avgjorte saker med frist ennå.", "en": "No decided cases with a deadline yet."},
    "oc.yearly": {"nb": "Tilbakebetalinger per år", "en": "Refunds per year"},
    "oc.evaluation": {"nb": "Hvor gode prediksjonene er", "en": "How good the predictions are"},
    "oc.mae": {"nb": "Feil i gjenstående tid (MAE)", "en": "Error in remaining time (MAE)"},
    "oc.mae_help": {"nb": "Gjennomsnittlig avvik i dager. Endringen er mot beste enkle regel ({name}: {best} dager).",
                    "en": "Mean absolute error in days. The change is against the best simple rule ({name}: {best} days)."},
    "oc.auc": {"nb": "AUC, over fristen", "en": "AUC, missing the deadline"},
    "oc.auc_help": {"nb": "0,5 er tilfeldig, 1 er perfekt. Brier {brier} mot {base} med grunnraten.",
                    "en": "0.5 is chance, 1 is perfect. Brier {brier} against {base} with the base rate."},
    "oc.coverage": {"nb": "Dekning, 80 % intervall", "en": "Coverage, 80% interval"},
    "oc.coverage_help": {"nb": "Andel av testobservasjonene der faktisk gjenstående tid lå i intervallet (mål {target}).",
                         "en": "Share of test observations whose actual remaining time fell in the interval (target {target})."},
    "oc.split": {
        "nb": "Testet på en tidsdeling ved {cut}: lært av {train} saker avgjort før, testet på {test} saker som var "
              "åpne da.",
        "en": "Tested on a temporal split at {cut}: trained on {train} cases decided before, tested on {test} "
              "cases open then."},
    "oc.not_evaluated": {"nb": "Modellen ble ikke evaluert i denne kjøringen.",
                         "en": "The model was not evaluated in this run."},
    "oc.download": {"nb": "Last ned rapporten (monitor.html)", "en": "Download the report (monitor.html)"},
    "oc.days": {"nb": "{n} dager", "en": "{n} days"},
    "col.case": {"nb": "Sak", "en": "Case"},
    "col.deadline": {"nb": "Frist", "en": "Deadline"},
    "col.days_left": {"nb": "Dager igjen", "en": "Days left"},
    "col.p_miss": {"nb": "P(over fristen)", "en": "P(miss)"},
    "col.remaining": {"nb": "Gjenstående dager (80 % intervall)", "en": "Remaining days (80% interval)"},
    "col.expected_refund": {"nb": "Forventet tilbakebetaling", "en": "Expected refund"},
    "col.current_activity": {"nb": "Nåværende aktivitet", "en": "Current activity"},
    "col.waiting_days": {"nb": "Har ventet (dager)", "en": "Waiting (days)"},
    "col.next_activity": {"nb": "Neste trolig", "en": "Next probably"},
    "col.time": {"nb": "Tidspunkt", "en": "Time"},
    "col.resource": {"nb": "Utført av", "en": "Done by"},
    "col.clock": {"nb": "Klokken", "en": "Clock"},
    "col.decided": {"nb": "Avgjort", "en": "Decided"},
    "col.in_time": {"nb": "I tide", "en": "In time"},
    "col.share_in_time": {"nb": "Andel i tide", "en": "Share in time"},
    "col.refunded": {"nb": "Tilbakebetalt", "en": "Refunded"},
    "col.late": {"nb": "Over fristen", "en": "Late"},
    "col.year": {"nb": "År", "en": "Year"},
    "word.nok": {"nb": "{n} kr", "en": "NOK {n}"},
    # handovers between units (mining.handovers)
    "ho.title": {"nb": "Samhandling", "en": "Handovers"},
    "ho.intro": {"nb": "Hvordan sakene går mellom enhetene: en overlevering er to påfølgende hendelser i en sak "
                       "hos ulike enheter. Tallene gjelder hele loggen (siste analyse); filtrene brukes ikke her.",
                 "en": "How cases pass between units: a handover is two consecutive events of a case in different "
                       "units. The figures are for the whole log (latest analysis); the filters do not apply here."},
    "ho.not_mined": {
        "nb": "Denne analysen er laget før Saksflyt fant overleveringer mellom enheter. Kjør "
              "`saksflyt mine --log {log}` på nytt og trykk «Oppdater».",
        "en": "This analysis was made before Saksflyt found handovers between units. Run "
              "`saksflyt mine --log {log}` again and press “Refresh”."},
    "ho.no_actors": {"nb": "Loggen har verken enheter eller ressurser: ingen overleveringer å vise.",
                     "en": "The log has neither units nor resources: there are no handovers to show."},
    "ho.resource_basis": {
        "nb": "Loggen har ingen enhetskolonne, så overleveringene telles mellom saksbehandlerne og vises bare "
              "samlet (egne ansatte, ukjent) – aldri mellom enkeltpersoner. Les inn loggen med en enhetskolonne "
              "for å se enhetene.",
        "en": "The log has no unit column, so handovers are counted between the caseworkers and shown only "
              "together (own staff, unknown) – never between individual people. Load the log with a unit column "
              "to see the units."},
    "ho.small_units": {
        "nb": "Enheter der færre enn {k} personer har arbeidet vises bare samlet som «{label}» (personvern).",
        "en": "Units where fewer than {k} people worked are shown only merged as “{label}” (privacy)."},
    "ho.hidden_units": {
        "nb": "{n} små enheter har til sammen færre enn {k} personer og er utelatt.",
        "en": "{n} small units together have fewer than {k} people and are left out."},
    "ho.flow": {"nb": "Flyt mellom enhetene", "en": "Flow between units"},
    "ho.cases_with_handover": {"nb": "Saker med overlevering", "en": "Cases with a handover"},
    "ho.cases_with_handover_help": {"nb": "{share} av {cases} saker går mellom minst to enheter.",
                                    "en": "{share} of {cases} cases pass between at least two units."},
    "ho.ping_pong": {"nb": "Fram og tilbake (ping-pong)", "en": "Ping-pong"},
    "ho.ping_pong_help": {"nb": "Andel saker som kommer tilbake til en enhet de har vært hos før ({n} saker).",
                          "en": "Share of cases that return to a unit they have been in before ({n} cases)."},
    "ho.median_units": {"nb": "Median enheter per sak", "en": "Median units per case"},
    "ho.median_units_help": {"nb": "Blant sakene med minst én enhet; høyest {max}.",
                             "en": "Among cases with at least one unit; at most {max}."},
    "ho.wait": {"nb": "Median venting ved en overlevering", "en": "Median wait at a handover"},
    "ho.wait_help": {"nb": "Tid fra en enhet er ferdig til neste begynner; {n} overleveringer, {total} i alt.",
                     "en": "Time from one unit finishing to the next starting; {n} handovers, {total} in all."},
    "ho.doors": {"nb": "Én dør inn og én stemme ut", "en": "One door in, one voice out"},
    "ho.multi_voice": {"nb": "Hørte fra flere enheter", "en": "Heard from several units"},
    "ho.multi_voice_help": {"nb": "Andel saker der innbyggeren fikk brev fra mer enn én enhet ({n} saker).",
                            "en": "Share of cases where the citizen got letters from more than one unit ({n} cases)."},
    "ho.repeat_door": {"nb": "Tok kontakt flere ganger", "en": "Got in touch more than once"},
    "ho.repeat_door_help": {"nb": "Andel saker der innbyggeren tok kontakt mer enn én gang ({n} saker).",
                            "en": "Share of cases where the citizen got in touch more than once ({n} cases)."},
    "ho.letters_saved": {"nb": "Brev spart med én stemme ut", "en": "Letters saved by one voice out"},
    "ho.letters_saved_help": {"nb": "Om hver sak fikk ett samlet brev i stedet for ett per enhet.",
                              "en": "If each case got one joint letter instead of one per unit."},
    "ho.contacts_config": {"nb": "Kontaktene ({doors} inn, {voices} ut) er aktivitetene i `[logs.{log}.contacts]` "
                                 "i konfigurasjonsfilen.",
                           "en": "The contacts ({doors} in, {voices} out) are the activities in "
                                 "`[logs.{log}.contacts]` of the config file."},
    "ho.contacts_noark5": {"nb": "Kontaktene ({doors} inn, {voices} ut) er journalposttypene i Noark 5-uttrekket: "
                                 "I (inngående) og U (utgående).",
                           "en": "The contacts ({doors} in, {voices} out) are the Noark 5 journal post types: "
                                 "I (incoming) and U (outgoing)."},
    "ho.contacts_none": {
        "nb": "Ingen kontakter er satt opp for denne loggen. Skriv aktivitetene der innbyggeren tar kontakt og "
              "der kommunen skriver til innbyggeren i konfigurasjonsfilen og kjør `saksflyt mine --config FIL` "
              "på nytt:\n\n```text\n[logs.{log}.contacts]\nincoming = [\"Søknad mottatt\"]\n"
              "outgoing = [\"Vedtak sendt\"]\n```",
        "en": "No contacts are configured for this log. List the activities where the citizen gets in touch and "
              "where the municipality writes to the citizen in the config file and run "
              "`saksflyt mine --config FILE` again:\n\n```text\n[logs.{log}.contacts]\n"
              "incoming = [\"Søknad mottatt\"]\noutgoing = [\"Vedtak sendt\"]\n```"},
    "ho.units": {"nb": "Enheter (%)", "en": "Units (%)"},
    "ho.units_help": {"nb": "Vis enhetene med flest hendelser. Overleveringer til skjulte enheter vises ikke.",
                      "en": "Show the units with the most events. Handovers to hidden units are not shown."},
    "ho.shown": {"nb": "Viser {units} av {units_total} enheter og {edges} av {edges_total} overleveringer.",
                 "en": "Showing {units} of {units_total} units and {edges} of {edges_total} handovers."},
    "ho.alt": {"nb": "Overleveringer i {log}: {units} enheter og {edges} overleveringer. Se tabellen for tallene.",
               "en": "Handovers in {log}: {units} units and {edges} handovers. See the table for the numbers."},
    "ho.legend": {"nb": "Fargen på pilene viser median venting ved overleveringen; tykkelsen viser antall. I "
                        "tidsvisning viser pilene ventetiden.",
                  "en": "Arrow colour shows the median waiting at the handover; thickness shows the count. In "
                        "performance mode the arrows show the waiting."},
    "ho.handovers": {"nb": "Overleveringer", "en": "Handovers"},
    "ho.units_table": {"nb": "Enheter", "en": "Units"},
    "ho.loops": {"nb": "Sløyfer i prosessen", "en": "Loops in the process"},
    "ho.loops_note": {"nb": "Deler av prosessen sakene kan gå rundt i (sterkt sammenhengende komponenter av "
                            "overgangene som minst 1 % av sakene gjør).",
                      "en": "Parts of the process cases can go round (strongly connected components of the "
                            "transitions at least 1% of cases make)."},
    "ho.loop": {"nb": "Sløyfe {n}: {acts} aktiviteter, {cases} saker gjentar en av dem",
                "en": "Loop {n}: {acts} activities, {cases} cases repeat one of them"},
    "col.unit": {"nb": "Enhet", "en": "Unit"},
    "col.returns": {"nb": "Tilbake", "en": "Returns"},
    "col.people": {"nb": "Personer", "en": "People"},
    "col.handovers_in": {"nb": "Inn", "en": "In"},
    "col.handovers_out": {"nb": "Ut", "en": "Out"},
    "col.first_cases": {"nb": "Saker som starter her", "en": "Cases starting here"},
    "col.last_cases": {"nb": "Saker som slutter her", "en": "Cases ending here"},
    "col.voices": {"nb": "Brev ut", "en": "Letters out"},
    "col.staff_hours": {"nb": "Målte arbeidstimer", "en": "Measured staff hours"},
    "bl.stale_scores": {"nb": "Kandidatene er beregnet fra en eldre kjøring av prosessutvinningen enn den siste. "
                              "Kjør `saksflyt candidates --log {log}` for å beregne dem på nytt.",
                        "en": "These candidates were scored on an older mining run than the latest one. "
                              "Run `saksflyt candidates --log {log}` to score them again."},
}


@dataclass(frozen=True)
class Translator:
    """Text and numbers in one language."""

    lang: str = "nb"

    def __call__(self, key: str, **values: object) -> str:
        entry = STRINGS.get(key)
        if entry is None:
            return key
        text = entry.get(self.lang) or entry["nb"]
        return text.format(**values) if values else text

    def num(self, x: float | int | None, digits: int = 0) -> str:
        if x is None or (isinstance(x, float) and not math.isfinite(x)):
            return "–"
        s = f"{x:,.{digits}f}"
        if self.lang == "nb":
            s = s.replace(",", NBSP).replace(".", ",")
        return s.replace("-", "−")

    def int(self, x: float | int | None) -> str:
        return self.num(x, 0)

    def pct(self, share: float | None, digits: int = 1) -> str:
        if share is None or (isinstance(share, float) and not math.isfinite(share)):
            return "–"
        return self.num(100 * share, digits) + (f"{NBSP}%" if self.lang == "nb" else "%")

    def hours(self, h: float | None) -> str:
        """A duration: minutes below an hour, hours below three days, then days."""
        if h is None or (isinstance(h, float) and not math.isfinite(h)):
            return "–"
        if h < 1:
            return f"{self.num(h * 60, 0)}{NBSP}min"
        if h < 72:
            return f"{self.num(h, 1)}{NBSP}" + ("t" if self.lang == "nb" else "h")
        return f"{self.num(h / 24, 1)}{NBSP}" + ("d" if self.lang == "nb" else "d")

    def days(self, d: float | None) -> str:
        if d is None or (isinstance(d, float) and not math.isfinite(d)):
            return "–"
        return f"{self.num(d, 1)}{NBSP}" + ("dager" if self.lang == "nb" else "days")

    def date(self, d: date | datetime | None) -> str:
        if d is None:
            return "–"
        if isinstance(d, datetime):
            local = d.astimezone(ZoneInfo("Europe/Oslo"))
            return local.strftime("%d.%m.%Y %H:%M") if self.lang == "nb" else local.strftime("%Y-%m-%d %H:%M")
        return d.strftime("%d.%m.%Y") if self.lang == "nb" else d.isoformat()

    def month(self, d: date) -> str:
        return d.strftime("%m.%Y") if self.lang == "nb" else d.strftime("%Y-%m")

    def quote(self, s: str) -> str:
        return f"«{s}»" if self.lang == "nb" else f"“{s}”"

    def join(self, items: list[str]) -> str:
        return ", ".join(self.quote(i) for i in items)
