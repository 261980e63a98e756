"""Every text a user reads, in Norwegian bokmål: the explorer, report.html, monitor.html, simulation.html.

One entry per key; `{name}` marks a value filled in by `wording.tr`. Keys are grouped by where the text
appears; the same key in `wording_en` is its English. Bokmål is the default and the fallback, so every
key lives here.
"""
from __future__ import annotations

WORDS: dict[str, str] = {
    # the explorer: navigation and sidebar
    "app.title": "Saksflyt",
    "nav.overview": "Oversikt",
    "nav.map": "Prosesskart",
    "nav.variants": "Varianter",
    "nav.bottlenecks": "Flaskehalser og omarbeid",
    "nav.backlog": "Automatiseringskandidater",
    "nav.compare": "Sammenlign",
    "nav.open_cases": "Åpne saker",
    "nav.handovers": "Samhandling",
    "nav.accessibility": "Tilgjengelighetserklæring",
    "sidebar.lang": "Språk / Language",
    "sidebar.log": "Logg",
    "sidebar.refresh": "Oppdater",
    "sidebar.refresh_help": "Les databasen på nytt (ny innlasting eller analyse vises da).",
    "sidebar.run": "Analyse nr. {seq} · {when}",
    "sidebar.store": "Database: `{path}`",
    "sidebar.stale": "Databasen oppdateres akkurat nå. Viser sist leste data; trykk «Oppdater» om litt.",
    "sidebar.loaded_after_run": "Loggen er lastet inn på nytt etter siste analyse. Kjør `saksflyt mine --log {log}` "
                                "for å oppdatere tallene.",
    # date patterns: a chart axis (d3-time-format) and the period picker (st.date_input)
    "format.chart_date": "%d.%m.%y",
    "format.date_input": "DD.MM.YYYY",
    # filters
    "filters.title": "Filtre",
    "filters.period": "Periode (saker med aktivitet i perioden)",
    "filters.attributes": "Saksegenskaper",
    "filters.attribute_values": "{name}",
    "filters.variants": "Varianter",
    "filters.present": "Aktivitet finnes i saken",
    "filters.absent": "Aktivitet finnes ikke i saken",
    "filters.reset": "Nullstill filtre",
    "filters.active": "Filter i bruk: {cases} av {total} saker.",
    "filters.none_left": "Ingen saker passer filtrene. Endre eller nullstill filtrene i sidepanelet.",
    "filters.not_mined": "Filtrene blir tilgjengelige når loggen er analysert.",
    "filters.variant_option": "#{id} · {cases} saker · {acts}",
    "filters.person_note": "Egenskaper som navngir personer tilbys ikke som filter (personvern).",
    # bad states
    "state.no_store": "Fant ingen database på `{path}`. Last inn en logg først: `saksflyt ingest FIL --log NAVN`, "
                      "og analyser den: `saksflyt mine --log NAVN`. Start så utforskeren igjen.",
    "state.empty_store": "Databasen `{path}` har ingen logger ennå. Last inn en: `saksflyt ingest FIL --log NAVN`, "
                         "og trykk «Oppdater».",
    "state.not_mined": "Loggen «{log}» er ikke analysert ennå. Kjør `saksflyt mine --log {log}` og trykk «Oppdater».",
    "state.locked": "Databasen oppdateres akkurat nå (en innlasting eller analyse skriver). Vent litt og trykk "
                    "«Oppdater».",
    "state.store_error": "Kunne ikke lese databasen: {msg}",
    "state.read_error": "Noe gikk galt ved lesing av databasen ({msg}). Prøv «Oppdater», eller sjekk loggen med "
                        "`saksflyt logs --quality {log}`.",
    "state.no_insights": "Denne analysen har ingen flaskehalser eller omarbeid ennå. Kjør `saksflyt mine --log "
                         "{log}` på nytt med en versjon som beregner dem.",
    "state.no_candidates": "Ingen automatiseringskandidater for «{log}» ennå. Kjør `saksflyt mine --log {log}` "
                           "(eller `saksflyt candidates --log {log}`) og trykk «Oppdater».",
    "state.no_resources": "Loggen har ingen ressurser (hvem som utførte aktivitetene): ressursstatistikk vises ikke.",
    "state.no_start_times": "Loggen har ingen starttider: ventetid er tid mellom to fullføringer, og behandlingstid "
                            "kan ikke måles.",
    # common words
    "word.choose": "Velg …",
    "word.chart": "Diagram",
    "word.choose_many": "Velg en eller flere",
    "word.table": "Tabell",
    "word.start": "Start",
    "word.end": "Slutt",
    "word.yes": "ja",
    "word.no": "nei",
    "word.pseudonym": "pseudonym",
    "word.hidden_k": "færre enn {k}",
    "basis.measured": "målt ventetid (fra forrige fullføring til start)",
    "basis.between_completions": "tid mellom fullføringer",
    "kind.person": "personer",
    "kind.system": "systemer",
    "kind.external": "eksterne parter",
    "kind.unknown": "ukjent",
    # overview
    "overview.title": "Oversikt",
    "overview.cases": "Saker",
    "overview.open": "Åpne saker",
    "overview.closed": "Avsluttede saker",
    "overview.events": "Hendelser",
    "overview.median_lead": "Median saksbehandlingstid",
    "overview.median_lead_help": "Over avsluttede saker, fra første til siste hendelse.",
    "overview.target": "Mål for saksbehandlingstid (dager)",
    "overview.within": "Avsluttet innen målet",
    "overview.within_help": "{n} av {closed} avsluttede saker.",
    "overview.rule": "Avsluttet sak: siste aktivitet er en av {acts}.",
    "overview.monthly": "Saker startet og avsluttet per måned",
    "overview.monthly_alt": "Linjediagram: saker startet og avsluttet per måned (tallene står i fanen Tabell)",
    "overview.series": "Serie",
    "overview.month": "Måned",
    "overview.started": "Startet",
    "overview.finished": "Avsluttet",
    "overview.logs": "Logger i databasen",
    "overview.quality": "Datakvalitet",
    "overview.months_note": "Måneder i norsk tid (Europe/Oslo).",
    "col.log": "Logg",
    "col.source": "Kilde",
    "col.cases": "Saker",
    "col.events": "Hendelser",
    "col.activities": "Aktiviteter",
    "col.first": "Første hendelse",
    "col.last": "Siste hendelse",
    "col.measure": "Mål",
    "col.value": "Verdi",
    "quality.events_with_start_time": "Hendelser med starttid",
    "quality.missing_resource_events": "Hendelser uten ressurs",
    "quality.day_precision_events": "Hendelser med bare dato",
    "quality.events_in_timestamp_ties": "Hendelser med likt tidspunkt i saken",
    "quality.rows_rejected": "Avviste rader ved innlasting",
    "quality.future_dates": "Tidspunkt i fremtiden",
    "quality.suspicious_default_dates": "Mistenkelige standarddatoer (før 1971)",
    # process map
    "map.title": "Prosesskart",
    "map.mode": "Vis på kartet",
    "map.mode.frequency": "Frekvens",
    "map.mode.performance": "Tid",
    "map.activities": "Aktiviteter (%)",
    "map.activities_help": "Vis de hyppigste aktivitetene. Skjulte aktiviteter hoppes over i sakene.",
    "map.paths": "Stier (%)",
    "map.paths_help": "Vis de hyppigste overgangene (andel av alle overganger), pluss de som trengs for at kartet "
                      "henger sammen.",
    "map.shown": "Viser {acts} av {acts_total} aktiviteter og {edges} av {edges_total} overganger.",
    "map.legend": "Fargen på pilene viser median ventetid ({basis}); tykkelsen viser antall.",
    "map.legend_no_time": "ingen timetall (bare datoer)",
    "map.legend_start_end": "start/slutt",
    "map.alt": "Prosesskart for {log}: {acts} aktiviteter og {edges} overganger. Se tabellen for tallene.",
    "wait.0": "< 1 t",
    "wait.1": "1–24 t",
    "wait.2": "1–7 d",
    "wait.3": "> 7 d",
    "map.colour": "Farge",
    "map.wait_range": "Median ventetid",
    "map.choose": "Velg en aktivitet for å se statistikk",
    "map.downloads": "Last ned",
    "map.dl_dot": "Kart (DOT)",
    "map.dl_svg": "Kart (SVG)",
    "map.dl_bpmn": "Prosessmodell (model.bpmn)",
    "map.dl_report": "Rapport (report.html)",
    "map.no_svg": "SVG krever Graphviz (`make system-deps`).",
    "map.no_model": "Ingen modell eller rapport i denne analysen.",
    "col.from": "Fra",
    "col.to": "Til",
    "col.count": "Antall",
    "col.median_between": "Median tid mellom fullføringer",
    "col.median_wait": "Median ventetid",
    "col.activity": "Aktivitet",
    "col.median_processing": "Median behandlingstid",
    "col.share": "Andel",
    "col.kind": "Utført av",
    "col.resources": "Antall",
    "act.events": "Hendelser",
    "act.cases": "Saker",
    "act.share": "Andel av sakene",
    "act.processing": "Median behandlingstid",
    "act.processing_p90": "90-persentil behandlingstid",
    "act.wait": "Median ventetid før",
    "act.predecessors": "Kommer etter",
    "act.successors": "Følges av",
    "act.resources": "Hvem utfører aktiviteten",
    "act.per_person": "{n} personer; median {med} og 90-persentil {p90} hendelser per person.",
    "act.too_few": "Færre enn {k} personer utfører aktiviteten: statistikk per person vises ikke (personvern).",
    # variants
    "variants.title": "Varianter",
    "variants.summary": "{variants} varianter i {cases} saker. Viser de {shown} vanligste.",
    "variants.pick": "Velg en variant",
    "variants.filter": "Filtrer på denne varianten",
    "variants.filtered": "Filteret viser nå bare variant #{id}.",
    "variants.chart": "Saker i de ti vanligste variantene",
    "col.variant": "Variant",
    "col.length": "Steg",
    "col.median_duration": "Median varighet (avsluttede)",
    "col.sequence": "Aktiviteter",
    # bottlenecks and rework
    "bn.title": "Flaskehalser og omarbeid",
    "bn.bottlenecks": "Flaskehalser",
    "bn.note": "Rangert etter samlet ventetid i hele loggen (siste analyse). Fordelingene under gjelder sakene i "
               "filteret.",
    "bn.pick": "Velg en flaskehals",
    "bn.evidence": "Grunnlag",
    "bn.distribution": "Ventetid før «{act}»",
    "bn.weekdays": "Når «{act}» fullføres (ukedag)",
    "bn.no_pairs": "Ingen ventetider med klokkeslett i utvalget.",
    "bn.rework": "Omarbeid",
    "bn.needless": "Mulige unødvendige steg",
    "bn.unexplained": "Til gjennomgang: uforklarte steg",
    "bn.unexplained_note": "Verken saksdataene eller hvem som jobber med saken forutsier om disse stegene skjer: "
                           "stikkprøver eller skjønn. De foreslås ikke fjernet, og ingen timer regnes.",
    "bn.none": "Ingen funnet.",
    "col.rank": "Rang",
    "col.where": "Hvor",
    "col.occurrences": "Forekomster",
    "col.total_wait": "Samlet ventetid",
    "col.basis": "Grunnlag",
    "col.internal": "Intern",
    "col.rework_kind": "Type",
    "col.hours_added": "Tid lagt til",
    "col.case_share": "Andel saker",
    "col.verdict": "Vurdering",
    "col.pairs": "Overganger",
    "col.bin": "Ventetid",
    "col.weekday": "Ukedag",
    "bin.0": "< 1 t",
    "bin.1": "1–4 t",
    "bin.2": "4–8 t",
    "bin.3": "8–24 t",
    "bin.4": "1–3 d",
    "bin.5": "3–7 d",
    "bin.6": "1–2 uker",
    "bin.7": "2–4 uker",
    "bin.8": "> 4 uker",
    "weekday.1": "man",
    "weekday.2": "tir",
    "weekday.3": "ons",
    "weekday.4": "tor",
    "weekday.5": "fre",
    "weekday.6": "lør",
    "weekday.7": "søn",
    "rework.repeat": "gjentakelse",
    "rework.loop": "sløyfe",
    "rework.ping-pong": "ping-pong",
    # automation backlog
    "bl.title": "Automatiseringskandidater",
    "bl.totals": "Kandidatene regner med {claimed} av loggens {staff} arbeidstimer i året ({share}); hver "
                 "aktivitets timer telles av høyst én kandidat.",
    "bl.review": "Til gjennomgang (uforklart: verken saksdata eller vaner forutsier dem, ingen timer): {steps}.",
    "bl.no_hours": "Ingen timer (ingen person på hendelsene og ingen målt tid): {steps}.",
    "bl.note": "Rangert for hele loggen. «Saker i utvalget» teller sakene i filteret som har kandidatens "
               "aktiviteter.",
    "bl.pick": "Velg en kandidat",
    "bl.reasons": "Begrunnelse",
    "bl.rule": "Regel",
    "bl.no_rule": "Ingen lærbar regel (skjønn).",
    "bl.assumptions": "Forutsetninger",
    "bl.basis": "Grunnlag for behandlingstid: {basis}",
    "processing_basis.measured": "målt (start til slutt)",
    "processing_basis.norm": "standardtid",
    "processing_basis.estimated_availability": "anslått fra ledig tid hos den som utførte steget",
    "processing_basis.estimated": "anslått",
    "processing_basis.instant": "øyeblikkelig (automatisk steg)",
    "processing_basis.unknown": "ukjent",
    "bl.mark": "Din vurdering",
    "bl.decision": "Vurdering",
    "bl.comment": "Kommentar",
    "bl.save": "Lagre vurdering",
    "bl.saved": "Lagret: {decision} for «{cand}».",
    "bl.current": "Nåværende vurdering: {decision} ({when}).",
    "bl.marks": "Vurderinger",
    "bl.no_marks": "Ingen vurderinger ennå.",
    "bl.export_csv": "Eksporter vurderinger (CSV)",
    "bl.export_xlsx": "Eksporter vurderinger (Excel)",
    "bl.marks_stale": "Databasen oppdateres: vurderingene kan være litt gamle.",
    "bl.sim_title": "Simulert virkning",
    "bl.sim_run": "Simulert {when} ({runs} kjøringer av loggens periode). Forskjellen fra i dag med endringen, med "
                  "90 % intervall: simulerte tall, ikke en prognose.",
    "bl.sim_change": "Endring: {text}",
    "bl.sim.lead_time_median_days": "Median saksbehandlingstid",
    "bl.sim.lead_time_p90_days": "Saksbehandlingstid, 90-persentil",
    "bl.sim.share_within_deadline": "Andel avsluttet innen målet ({days} døgn)",
    "bl.sim.staff_hours_per_year": "Arbeidstimer i året",
    "bl.sim_unit.days": "døgn",
    "bl.sim_unit.points": "prosentpoeng",
    "bl.sim_unit.hours": "timer",
    "bl.sim_diff": "{value} {unit} ({low} til {high})",
    "bl.sim_unclear": "ingen sikker forskjell ({low} til {high} {unit})",
    "bl.sim_value_only": "{value} {unit}",
    "bl.sim_better": "bedre",
    "bl.sim_worse": "verre",
    "bl.sim_warning": "**Advarsel:** {text}",
    "bl.sim_verdict": "Validering: **{verdict}**. {text}",
    "bl.sim_verdict.good": "god",
    "bl.sim_verdict.fair": "middels",
    "bl.sim_verdict.poor": "svak",
    "bl.sim_not_validated": "Simuleringen er ikke validert mot loggen, så tallene er ikke kontrollert. Kjør "
                            "`saksflyt simulate --log {log} --validate`.",
    "bl.sim_none": "Kandidaten er ikke simulert ennå. Se den simulerte virkningen på saksbehandlingstid og timer: "
                   "`saksflyt simulate --log {log} --candidate {cid} --out MAPPE`.",
    "bl.stale_scores": "Kandidatene er beregnet fra en eldre kjøring av prosessutvinningen enn den siste. "
                       "Kjør `saksflyt candidates --log {log}` for å beregne dem på nytt.",
    "decision.accepted": "akseptert",
    "decision.rejected": "avvist",
    "decision.needs_review": "må vurderes",
    "decision.none": "–",
    "cand.eliminate": "fjerne",
    "cand.simplify": "forenkle",
    "cand.automate": "automatisere",
    "cand.unblock": "fjerne kø",
    "col.score": "Poeng",
    "col.hours_saved": "Timer spart/år",
    "col.nok_saved": "Kr spart/år",
    "col.quality_cases": "Saker med bedre kvalitet/år",
    "col.cases_selection": "Saker i utvalget",
    "col.decision": "Vurdering",
    "col.comment": "Kommentar",
    "col.marked_at": "Tidspunkt",
    "col.candidate": "Kandidat",
    # open cases (deadline monitor)
    "oc.title": "Åpne saker",
    "oc.no_run": "Loggen «{log}» har ingen fristovervåking ennå. Kjør `saksflyt monitor --log {log} --config FIL` "
                 "(TOML-filen med fristreglene, som for `saksflyt mine --config`) og trykk «Oppdater».",
    "oc.run": "Overvåking nr. {seq} · kjent til {as_of} · kjørt {when}",
    "oc.no_predictions": "Ingen prediksjoner i denne kjøringen: {msg}",
    "oc.open": "Åpne saker",
    "oc.at_risk": "I faresonen",
    "oc.at_risk_help": "Saker med minst {p} sannsynlighet for å gå over fristen.",
    "oc.expected_refund": "Forventet tilbakebetaling",
    "oc.expected_refund_help": "Summen for de åpne sakene: sannsynligheten for å gå over fristen × gebyret × "
                               "andelen som betales tilbake for de forventede ukene over.",
    "oc.in_time": "Avgjort i tide, siste 12 mnd.",
    "oc.in_time_help": "{n} saker avgjort {first} – {last}.",
    "oc.list": "Sakene, rangert etter forventet kostnad",
    "oc.filter_activity": "Nåværende aktivitet",
    "oc.filter_p": "Minste sannsynlighet for å gå over fristen",
    "oc.filter_p_off": "Kjøringen har ingen prediksjoner å filtrere på.",
    "oc.filter_past": "Bare saker der fristen er passert",
    "oc.shown": "Viser {n} av {total} åpne saker.",
    "oc.none_left": "Ingen saker passer filtrene.",
    "oc.pick": "Velg en sak",
    "oc.timeline": "Saken så langt",
    "oc.timeline_alt": "Tidslinje for sak {case}: hendelsene som punkter, klokkestart, frist og pauser markert.",
    "oc.reasons": "Begrunnelse",
    "oc.facts": "Klokken startet {start} · frist {deadline} · {paused} dager pause · {left} dager igjen",
    "oc.prediction": "{p} sjanse for å gå over fristen · trolig {days} dager igjen ({low}–{high}, 80 % intervall) · "
                     "neste trolig {next}",
    "oc.later_events": "{n} senere hendelser i databasen er ikke vist: kjøringen visste ikke om dem.",
    "oc.mark_event": "hendelse",
    "oc.mark_clock_start": "klokken starter",
    "oc.mark_pause_start": "pause starter",
    "oc.mark_pause_end": "pause slutter",
    "oc.mark_stop": "vedtak (klokken stopper)",
    "oc.mark_deadline": "frist (slutten av dagen)",
    "oc.mark_as_of": "kjøringen visste til her",
    "oc.mark_pause": "pause",
    "oc.mark_pause_open": "pause (fortsatt åpen)",
    "oc.history": "Andel avgjort innen fristen per måned",
    "oc.history_alt": "Stolpediagram: andel saker avgjort innen fristen per måned.",
    "oc.no_history": "Ingen avgjorte saker med frist ennå.",
    "oc.yearly": "Tilbakebetalinger per år",
    "oc.evaluation": "Hvor gode prediksjonene er",
    "oc.mae": "Feil i gjenstående tid (MAE)",
    "oc.mae_help": "Gjennomsnittlig avvik i dager. Endringen er mot beste enkle regel ({name}: {best} dager).",
    "oc.auc": "AUC, over fristen",
    "oc.auc_help": "0,5 er tilfeldig, 1 er perfekt. Brier {brier} mot {base} med grunnraten.",
    "oc.coverage": "Dekning, 80 % intervall",
    "oc.coverage_help": "Andel av testobservasjonene der faktisk gjenstående tid lå i intervallet (mål {target}).",
    "oc.split": "Testet på en tidsdeling ved {cut}: lært av {train} saker avgjort før, testet på {test} saker som "
                "var åpne da.",
    "oc.not_evaluated": "Modellen ble ikke evaluert i denne kjøringen.",
    "oc.download": "Last ned rapporten (monitor.html)",
    "oc.days": "{n} dager",
    "col.case": "Sak",
    "col.deadline": "Frist",
    "col.days_left": "Dager igjen",
    "col.p_miss": "P(over fristen)",
    "col.remaining": "Gjenstående dager (80 % intervall)",
    "col.expected_refund": "Forventet tilbakebetaling",
    "col.current_activity": "Nåværende aktivitet",
    "col.waiting_days": "Har ventet (dager)",
    "col.next_activity": "Neste trolig",
    "col.time": "Tidspunkt",
    "col.resource": "Utført av",
    "col.clock": "Klokken",
    "col.decided": "Avgjort",
    "col.in_time": "I tide",
    "col.share_in_time": "Andel i tide",
    "col.refunded": "Tilbakebetalt",
    "col.late": "Over fristen",
    "col.year": "År",
    "word.nok": "{n} kr",
    # handovers between units (mining.handovers)
    "ho.title": "Samhandling",
    "ho.intro": "Hvordan sakene går mellom enhetene: en overlevering er to påfølgende hendelser i en sak hos ulike "
                "enheter. Tallene gjelder hele loggen (siste analyse); filtrene brukes ikke her.",
    "ho.not_mined": "Denne analysen er laget før Saksflyt fant overleveringer mellom enheter. Kjør `saksflyt mine "
                    "--log {log}` på nytt og trykk «Oppdater».",
    "ho.no_actors": "Loggen har verken enheter eller ressurser: ingen overleveringer å vise.",
    "ho.resource_basis": "Loggen har ingen enhetskolonne, så overleveringene telles mellom saksbehandlerne og vises "
                         "bare samlet (egne ansatte, ukjent) – aldri mellom enkeltpersoner. Les inn loggen med en "
                         "enhetskolonne for å se enhetene.",
    "ho.small_units": "Enheter der færre enn {k} personer har arbeidet vises bare samlet som «{label}» (personvern).",
    "ho.hidden_units": "{n} små enheter har til sammen færre enn {k} personer og er utelatt.",
    "ho.flow": "Flyt mellom enhetene",
    "ho.cases_with_handover": "Saker med overlevering",
    "ho.cases_with_handover_help": "{share} av {cases} saker går mellom minst to enheter.",
    "ho.ping_pong": "Fram og tilbake (ping-pong)",
    "ho.ping_pong_help": "Andel saker som kommer tilbake til en enhet de har vært hos før ({n} saker).",
    "ho.median_units": "Median enheter per sak",
    "ho.median_units_help": "Blant sakene med minst én enhet; høyest {max}.",
    "ho.wait": "Median venting ved en overlevering",
    "ho.wait_help": "Tid fra en enhet er ferdig til neste begynner; {n} overleveringer, {total} i alt.",
    "ho.doors": "Én dør inn og én stemme ut",
    "ho.multi_voice": "Hørte fra flere enheter",
    "ho.multi_voice_help": "Andel saker der innbyggeren fikk brev fra mer enn én enhet ({n} saker).",
    "ho.repeat_door": "Tok kontakt flere ganger",
    "ho.repeat_door_help": "Andel saker der innbyggeren tok kontakt mer enn én gang ({n} saker).",
    "ho.letters_saved": "Brev spart med én stemme ut",
    "ho.letters_saved_help": "Om hver sak fikk ett samlet brev i stedet for ett per enhet.",
    "ho.contacts_config": "Kontaktene ({doors} inn, {voices} ut) er aktivitetene i `[logs.{log}.contacts]` i "
                          "konfigurasjonsfilen.",
    "ho.contacts_noark5": "Kontaktene ({doors} inn, {voices} ut) er journalposttypene i Noark 5-uttrekket: I "
                          "(inngående) og U (utgående).",
    "ho.contacts_none": "Ingen kontakter er satt opp for denne loggen. Skriv aktivitetene der innbyggeren tar "
                        "kontakt og der kommunen skriver til innbyggeren i konfigurasjonsfilen og kjør `saksflyt "
                        "mine --config FIL` på nytt:\n\n```text\n[logs.{log}.contacts]\nincoming = [\"Søknad "
                        "mottatt\"]\noutgoing = [\"Vedtak sendt\"]\n```",
    "ho.units": "Enheter (%)",
    "ho.units_help": "Vis enhetene med flest hendelser. Overleveringer til skjulte enheter vises ikke.",
    "ho.shown": "Viser {units} av {units_total} enheter og {edges} av {edges_total} overleveringer.",
    "ho.alt": "Overleveringer i {log}: {units} enheter og {edges} overleveringer. Se tabellen for tallene.",
    "ho.legend": "Fargen på pilene viser median venting ved overleveringen; tykkelsen viser antall. I tidsvisning "
                 "viser pilene ventetiden.",
    "ho.handovers": "Overleveringer",
    "ho.units_table": "Enheter",
    "ho.loops": "Sløyfer i prosessen",
    "ho.loops_note": "Deler av prosessen sakene kan gå rundt i (sterkt sammenhengende komponenter av overgangene "
                     "som minst 1 % av sakene gjør).",
    "ho.loop": "Sløyfe {n}: {acts} aktiviteter, {cases} saker gjentar en av dem",
    "col.unit": "Enhet",
    "col.returns": "Tilbake",
    "col.people": "Personer",
    "col.handovers_in": "Inn",
    "col.handovers_out": "Ut",
    "col.first_cases": "Saker som starter her",
    "col.last_cases": "Saker som slutter her",
    "col.voices": "Brev ut",
    "col.staff_hours": "Målte arbeidstimer",
    # report.html (mining/report.py): headings and labels
    "report.title": "Prosessanalyse",
    "report.generated": "Laget",
    "report.run": "kjøring",
    "report.kpis": "Nøkkeltall",
    "report.cases": "Saker",
    "report.closed": "Avsluttede saker",
    "report.events": "Hendelser",
    "report.activities": "Aktiviteter",
    "report.variants": "Varianter",
    "report.median_duration": "Median saksbehandlingstid",
    "report.period": "Periode",
    "report.map": "Prosesskart",
    "report.no_map": "Prosesskartet mangler: Graphviz (`dot`) er ikke installert.",
    "report.bottlenecks": "Flaskehalser",
    "report.bottlenecks_intro": "Hvor sakene venter, rangert etter samlet ventetid. «Intern» betyr at ventetiden "
                                "ender hos egne ansatte; ekstern venting (andre etater, søker, systemer) vises for "
                                "seg.",
    "report.worst_internal": "Verste interne kø",
    "report.rank": "Nr.",
    "report.where": "Steg eller overgang",
    "report.internal": "Intern",
    "report.yes": "ja",
    "report.no": "nei",
    "report.median_wait": "Median ventetid",
    "report.total_wait": "Samlet ventetid",
    "report.evidence": "Begrunnelse",
    "report.rework": "Omarbeid",
    "report.rework_intro": "Steg som gjøres om igjen: gjentakelser, sløyfer tilbake og saker som går fram og "
                           "tilbake.",
    "report.kind": "Type",
    "report.share": "Andel",
    "report.hours_added": "Tid lagt til",
    "report.needless": "Unødvendige steg?",
    "report.needless_intro": "Valgfrie steg sammenlignet i saker med og uten steget: utfall (kji-kvadrat/Fisher), "
                             "saksbehandlingstid (Mann–Whitney), justert for mange tester (Benjamini–Hochberg), og "
                             "hva som forutsier om steget skjer. Obligatoriske steg foreslås aldri fjernet.",
    "report.step": "Steg",
    "report.with_without": "Med / uten",
    "report.verdict": "Vurdering",
    "report.predicted_by": "Forutsies av",
    "report.variants_title": "Vanligste varianter",
    "report.sequence": "Rekkefølge",
    "report.model": "Modell og samsvar",
    "report.fitness": "Tilpasning (fitness)",
    "report.precision": "Presisjon",
    "report.deviations": "Aktiviteter som avviker mest",
    "report.log_moves": "Gjort, men ikke tillatt der",
    "report.model_moves": "Hoppet over",
    "report.plots": "Over tid",
    "report.monthly": "Saker startet og avsluttet per måned",
    "report.started": "startet",
    "report.finished": "avsluttet",
    "report.durations": "Saksbehandlingstid, avsluttede saker (døgn)",
    "report.quality": "Datakvalitet",
    "report.definitions": "Slik er tallene regnet",
    "report.none": "Ingen funnet.",
    # report.html: what a needless-step test concluded
    "report.verdict.needless": "kandidat for fjerning",
    "report.verdict.unexplained": "uforklart: til gjennomgang",
    "report.verdict.triggered": "utløst utenfra",
    "report.verdict.rule_driven": "regelstyrt",
    "report.verdict.changes_outcome": "endrer utfallet",
    "report.verdict.rework": "omarbeid",
    "report.verdict.mandatory": "obligatorisk",
    "report.verdict.too_few_cases": "for få saker",
    # report.html: what predicts a needless step
    "report.predictor.case_attributes": "saksattributter",
    "report.predictor.resource": "bare saksbehandler",
    "report.predictor.nothing": "ingenting",
    # report.html: kinds of rework
    "report.rework.repeat": "gjentakelse",
    "report.rework.loop": "sløyfe",
    "report.rework.ping-pong": "fram og tilbake",
    # who a wait ends with, in the evidence sentences (mining.report.Text.kind)
    "report.kind.person": "egne ansatte",
    "report.kind.system": "systemer",
    "report.kind.external": "eksterne parter",
    "report.kind.unknown": "uten ressurs",
    # weekdays in sentences, ISO numbering (1 = Monday): "gjøres på mandager" / "happens on Mondays"
    "weekdays.1": "mandager",
    "weekdays.2": "tirsdager",
    "weekdays.3": "onsdager",
    "weekdays.4": "torsdager",
    "weekdays.5": "fredager",
    "weekdays.6": "lørdager",
    "weekdays.7": "søndager",
    # monitor.html: what a deadline forecast is compared with
    "monitor.baseline.baseline_type_and_last_activity": "median for fristtype og siste aktivitet",
    "monitor.baseline.baseline_prefix_length": "median for antall steg så langt",
    # simulation.html: how well the simulation matches the log
    "simulation.verdict.good": "God",
    "simulation.verdict.fair": "Middels",
    "simulation.verdict.poor": "Svak",
    # the explorer's compare page
    "compare.title": "Sammenlign: gevinster realisert",
    "compare.mode": "Sammenlign",
    "compare.split": "før og etter en endring",
    "compare.other": "med en annen logg",
    "compare.before": "Side A: saker startet før",
    "compare.after": "Side B: saker startet fra",
    "compare.other_log": "Side B: logg",
    "compare.shared": "Bare felles aktiviteter",
    "compare.target": "Mål for ledetid (dager)",
    "compare.run": "Sammenlign",
    "compare.median": "Median ledetid (dager)",
    "compare.hours": "Timer spart per år",
    "compare.nok": "Kroner spart per år",
    "compare.rework": "Saker spart for omarbeid per år",
    "compare.removed": "Fjernede aktiviteter",
    "compare.added": "Nye aktiviteter",
    "compare.edges": "Endringer i prosesskartet",
    "compare.ci": "95 % KI",
    "compare.from": "Fra",
    "compare.to": "Til",
    "compare.change": "Endring",
    "compare.share": "andel saker",
    "compare.median_h": "median ventetid",
    "compare.faster": "Raskest i",
    "compare.no_changes": "Ingen sikre endringer.",
    "compare.together": "Samhandling og kontakt med innbyggeren",
    # compare.html (mining/compare_report.py)
    "compare_report.volume_changed_by_cases": "Volumet endret seg med {change} saker per år: gevinstene er regnet "
                                              "per sak og ganget med volumet etter.",
    "compare_report.the_case_mix_changed": "Sakssammensetningen endret seg ({attrs}): se «Like saker sammenlignet» "
                                           "og tabellen over sakssammensetning før du tilskriver forskjellen "
                                           "endringen.",
    "compare_report.cases_were_still_open": "{open_cases} saker var ikke avsluttet ved uttrekket. Ledetid er "
                                            "beregnet med Kaplan–Meier (åpne saker teller med til uttrekket); "
                                            "timer per sak gjelder avsluttede saker, som etter endringen oftere er "
                                            "de raske.",
    "compare_report.only_activities_occur_on": "Bare {shared} aktiviteter finnes på begge sider: bruk en "
                                               "koblingsfil (--mapping) for aktiviteter med ulike navn.",
    "compare_report.appeared": "ny",
    "compare_report.vanished": "borte",
    "compare_report.frequency_changed": "endret hyppighet",
    "compare_report.time_changed": "endret tid",
    "compare_report.frequency_and_time_changed": "endret hyppighet og tid",
    "compare_report.comparison": "Sammenligning",
    "compare_report.gains_realised": "Gevinster realisert",
    "compare_report.side": "Side",
    "compare_report.log": "Logg",
    "compare_report.cases": "Saker",
    "compare_report.closed": "Avsluttede",
    "compare_report.cases_per_year": "Saker per år",
    "compare_report.events": "Hendelser",
    "compare_report.variants": "Varianter",
    "compare_report.gains_per_year": "Gevinster per år",
    "compare_report.95_confidence_interval": "95 % konfidensintervall",
    "compare_report.hours_saved_processing": "Timer spart, saksbehandling",
    "compare_report.not_measured": "ikke målt",
    "compare_report.hours_saved_waiting": "Timer spart, venting",
    "compare_report.waiting": "ventetid",
    "compare_report.nok_saved": "Kroner spart",
    "compare_report.hours_nok": "timer × {hourly_cost} kr",
    "compare_report.cases_spared_rework": "Saker spart for omarbeid",
    "compare_report.gain": "Gevinst",
    "compare_report.per_year": "Per år",
    "compare_report.basis": "Grunnlag",
    "compare_report.hours_are_working_hours": "Timer er arbeidstimer. Gevinst = (før − etter) per avsluttet sak × "
                                              "saker per år etter.",
    "compare_report.lead_time_days": "Ledetid (dager)",
    "compare_report.median": "Median",
    "compare_report.share_within_days": "Andel innen {target_days} dager",
    "compare_report.difference": "Forskjell",
    "compare_report.activities_and_waiting": "Aktiviteter og ventetid",
    "compare_report.removed": "Fjernet",
    "compare_report.added": "Nye",
    "compare_report.no_clear_difference": "ingen sikker forskjell",
    "compare_report.activity": "Aktivitet",
    "compare_report.mean_wait_h": "snitt venting (t)",
    "compare_report.difference_95_ci": "Forskjell, 95 % KI",
    "compare_report.waits_less": "Venter kortest",
    "compare_report.changes_in_the_process": "Endringer i prosesskartet",
    "compare_report.from": "Fra",
    "compare_report.to": "Til",
    "compare_report.change": "Endring",
    "compare_report.case_share": "andel saker",
    "compare_report.median_h": "median (t)",
    "compare_report.no_significant_changes": "Ingen sikre endringer.",
    "compare_report.variants_in_in_shared": "{a_variants} varianter i {la}, {b_variants} i {lb}, {shared_variants} "
                                            "felles; {b_case_share_in_a_variants} av sakene i {lb} følger en "
                                            "variant fra {la}.",
    "compare_report.activities": "Aktiviteter",
    "compare_report.share": "Andel",
    "compare_report.case_mix": "Sakssammensetning",
    "compare_report.attribute": "Egenskap",
    "compare_report.value": "Verdi",
    "compare_report.share_word": "andel",
    "compare_report.median_lead_time": "median ledetid",
    "compare_report.like_with_like": "Like saker sammenlignet",
    "compare_report.weighted_to_the_case": "{la} vektet til sakssammensetningen i {lb} etter {attr} "
                                           "({b_cases_matched_share} av de avsluttede sakene i {lb} har en verdi "
                                           "som også finnes i {la}).",
    "compare_report.processing_per_case_h": "Behandlingstid per sak (t)",
    "compare_report.waiting_per_case_h": "Ventetid per sak (t)",
    "compare_report.mean_lead_time_days": "Snitt ledetid (dager)",
    "compare_report.share_with_rework": "Andel med omarbeid",
    "compare_report.adjusted": "(justert)",
    "compare_report.gain_at_the_same": "Gevinst ved lik sakssammensetning: {processing} behandlingstimer og "
                                       "{waiting} ventetimer per år.",
    "compare_report.cases_per_month": "Saker per måned",
    "compare_report.month": "Måned",
    "compare_report.handovers_per_case": "Overleveringer per sak",
    "compare_report.share_of_cases_returning": "Andel saker som går tilbake til en enhet",
    "compare_report.letters_out_per_case": "Brev ut per sak (stemmer)",
    "compare_report.share_of_cases_hearing": "Andel saker som hører fra flere enheter",
    "compare_report.share_of_cases_where": "Andel saker der innbyggeren tok kontakt flere ganger",
    "compare_report.p_two_proportions": "p (to andeler)",
    "compare_report.closed_cases_in_in": "Avsluttede saker: {cases_a} i {la}, {cases_b} i {lb}. Overleveringer er "
                                         "mellom enheter (eller, uten enheter, mellom personer); kontaktpunktene "
                                         "er de samme som loggens egen analyse brukte.",
    "compare_report.handovers_and_contact_with": "Samhandling: overleveringer og kontakt med innbyggeren",
    "compare_report.neither_log_has_units": "Ingen av loggene har enheter eller kontaktpunkter.",
    # the bundle comparison page (mining/bundle_compare_report.py)
    "bundle_compare_report.at_least": "minst {iv_low}",
    "bundle_compare_report.significant": "(sikker forskjell)",
    "bundle_compare_report.may_be_noise": "(kan være støy)",
    "bundle_compare_report.comparison_and_published_figures": "Sammenligning: {la} og {lb} (publiserte tall)",
    "bundle_compare_report.the_figures_of_carry": "Tallene for {lb} har fått støy for å verne innbyggerne. "
                                                  "Intervallene tar med støyen, og en forskjell kalles sikker bare "
                                                  "når verken støyen eller tilfeldig variasjon kan forklare den.",
    "bundle_compare_report.lead_time_and_volume": "Ledetid og volum",
    "bundle_compare_report.95_interval": "95 % intervall",
    "bundle_compare_report.difference": "Forskjell",
    "bundle_compare_report.median_lead_time_days": "Median ledetid (dager)",
    "bundle_compare_report.90th_percentile_days": "90-persentil (dager)",
    "bundle_compare_report.cases_per_year": "Saker per år",
    "bundle_compare_report.differences_in_the_process": "Endringer i prosesskartet",
    "bundle_compare_report.only_in_b": "bare i {lb}",
    "bundle_compare_report.only_in_a": "bare i {la}",
    "bundle_compare_report.frequency_differs": "ulik hyppighet",
    "bundle_compare_report.transitions_that_differ_signific": "Overganger med sikker forskjell",
    "bundle_compare_report.from_to": "Fra → til",
    "bundle_compare_report.case_share": "andel saker",
    "bundle_compare_report.no_significant_differences": "Ingen sikre forskjeller.",
    "bundle_compare_report.waiting_per_step": "Ventetid per steg",
    "bundle_compare_report.median_wait_before_the": "Median ventetid før steget",
    "bundle_compare_report.step": "Steg",
    "bundle_compare_report.variants": "Varianter",
    "bundle_compare_report.of_the_closed_cases": "{a_case_share_in_b_variants} av de avsluttede sakene i {la} "
                                                 "følger en av variantene {lb} har publisert.",
    "bundle_compare_report.variants_published_by": "Publiserte varianter i {lb}",
    "bundle_compare_report.steps": "Steg",
    # the published bundle page (mining/bundle_page.py)
    "bundle_page.days": "dager",
    "bundle_page.at_least": "minst {iv_low}",
    "bundle_page.between_and": "mellom {iv_low} og {iv_high}",
    "bundle_page.expected_case_handling_time": "Forventet saksbehandlingstid: {label}",
    "bundle_page.period_to": "Perioden {first_month} til {last_month}",
    "bundle_page.published": "publisert {created_month}",
    "bundle_page.other_language_link": "<a class=\"lang\" href=\"en.html\" hreflang=\"en\" lang=\"en\">English</a>",
    "bundle_page.how_long_does_a": "Hvor lang tid tar en sak?",
    "bundle_page.half_of_the_cases": "Halvparten av sakene var ferdige innen <strong>{median_days}</strong> "
                                     "({median_days_interval}). Ni av ti var ferdige innen "
                                     "<strong>{p90_days}</strong> ({p90_days_interval}).",
    "bundle_page.the_municipality_received_about": "Kommunen fikk om lag {per_month} saker i måneden i perioden, "
                                                   "og om lag {closed_estimate} saker ble avsluttet.",
    "bundle_page.case_handling_time_by": "Saksbehandlingstid etter {name}",
    "bundle_page.case_type": "Sakstype",
    "bundle_page.cases": "Saker",
    "bundle_page.half_within": "Halvparten innen",
    "bundle_page.nine_in_ten_within": "Ni av ti innen",
    "bundle_page.how_a_typical_case": "Slik går en vanlig sak",
    "bundle_page.the_steps_follow_the": "Stegene følger de hyppigste overgangene mellom stegene.",
    "bundle_page.waiting_and_handling_per": "Ventetid og behandlingstid per steg",
    "bundle_page.step": "Steg",
    "bundle_page.median_wait_before_the": "Median ventetid før steget",
    "bundle_page.median_handling_time": "Median behandlingstid",
    "bundle_page.steps_with_the_most": "Steg med flest saker først",
    "bundle_page.cases_per_month": "Saker per måned",
    "bundle_page.new_cases_per_month": "Nye saker per måned (med støy)",
    "bundle_page.month": "Måned",
    "bundle_page.too_few_to_show": "for få til å vises",
    "bundle_page.privacy": "Personvern",
    "bundle_page.the_numbers_on_this": "Tallene på denne siden har fått tilfeldig støy før de ble publisert "
                                       "(differensielt personvern, ε = {eps}). Det betyr at sannsynligheten for "
                                       "ethvert tall her endres med høyst en faktor {factor} om én enkelt sak er "
                                       "med i grunnlaget eller ikke. Ingen kan derfor lese ut om en bestemt "
                                       "innbygger har hatt en sak, eller noe om den. Siden viser ingen saksnumre, "
                                       "navn, saksbehandlere eller datoer finere enn måned. Små tall er skjult.",
    "bundle_page.the_intervals_show_how": "Intervallene viser hvor mye tallene kan variere på grunn av støyen og "
                                          "tilfeldig variasjon mellom saker.",
    # report.html's handovers section (mining/report_handovers.py)
    "collaboration.small_units": "Små enheter (under 5 personer)",
    "report_handovers.handovers_events_per_unit": "Overleveringer: antall hendelser per enhet; på pilene antall "
                                                  "overleveringer · median venting.",
    "report_handovers.contacts_config": "Kontaktene er aktivitetene i [logs.NAVN.contacts] i konfigurasjonsfilen.",
    "report_handovers.contacts_noark5": "Kontaktene er journalposttypene I (inngående) og U (utgående) i Noark "
                                        "5-uttrekket.",
    "report_handovers.contacts_none": "Ingen kontakter er satt opp: skriv dem i [logs.NAVN.contacts] (incoming, "
                                      "outgoing) i konfigurasjonsfilen.",
    "report_handovers.handovers": "Samhandling",
    "report_handovers.how_cases_pass_between": "Hvordan sakene går mellom enhetene. En overlevering er to "
                                               "påfølgende hendelser i en sak hos ulike enheter; en sak som kommer "
                                               "tilbake til en enhet den har vært hos, går fram og tilbake.",
    "report_handovers.the_log_has_no": "Loggen har ingen enhetskolonne: overleveringene vises mellom typer "
                                       "ressurser, aldri mellom personer.",
    "report_handovers.the_log_has_neither": "Loggen har verken enheter eller ressurser.",
    "report_handovers.small_units_merged": "Enheter der færre enn {min_people} personer har arbeidet, vises samlet "
                                           "som {small_units}.",
    "report_handovers.small_units_together_have": "{n} små enheter har til sammen færre enn {min_people} personer "
                                                  "og er utelatt.",
    "report_handovers.cases_with_a_handover": "saker med overlevering",
    "report_handovers.cases_going_back_and": "saker fram og tilbake",
    "report_handovers.median_units_per_case": "median enheter per sak",
    "report_handovers.median_wait_at_a": "median venting ved en overlevering",
    "report_handovers.heard_from_several_units": "hørte fra flere enheter",
    "report_handovers.got_in_touch_more": "tok kontakt flere ganger",
    "report_handovers.letters_saved_by_one": "brev spart med én stemme ut",
    "report_handovers.handovers_between_units": "Overleveringer mellom enhetene",
    "report_handovers.units_and_handovers_the": "{units} enheter og {edges} overleveringer; de vanligste står i "
                                                "tabellen under.",
    "report_handovers.from": "Fra",
    "report_handovers.to": "Til",
    "report_handovers.count": "Antall",
    "report_handovers.cases": "Saker",
    "report_handovers.median_wait": "Median venting",
    "report_handovers.returns": "Tilbake",
    "report_handovers.most_common_handovers": "Vanligste overleveringer",
    "report_handovers.loops_in_the_process": "Sløyfer i prosessen",
    "report_handovers.cases_repeat_one_of": "saker gjentar et av stegene",
    "report_handovers.none_found": "Ingen funnet.",
    # report.html (mining/report.py)
    "report.total_waiting_before_the": "Samlet ventetid foran stegene med mest venting",
    "report.process_map_of_steps": "Prosesskart med {n_acts} steg og {map_edges} overganger; de samme overgangene "
                                   "står i tabellen under kartet.",
    "report.the_process_map_as": "Prosesskartet som tabell",
    "report.from": "Fra",
    "report.to": "Til",
    "report.count": "Antall",
    "report.median_time": "Median tid",
    "report.the_model_was_discovered": "Modellen er funnet med",
    "report.activities_in_the_model": "aktiviteter i modellen",
    "report.the_given_model_model": "gitt modell (--model)",
    "report.the_discovered_model": "den funne modellen",
    "report.alignment_fitness": "Tilpasning, alignments",
    "report.measured_against": "Målt mot",
    "report.token_based_replay_per": "token-basert avspilling per variant, vektet med antall saker",
    "report.variants_word": "varianter",
    "report.alignments_on_the": "alignments på de",
    "report.most_frequent_variants": "vanligste variantene",
    "report.cases_word": "saker",
    "report.cases_are_not_closed": "{open_cases} saker ({open_share}) er ikke avsluttet og er holdt utenfor "
                                   "saksbehandlingstidene. Avsluttet = siste steg er {end_activities}.",
    "report.of_events_share_their": "{tie_share} av hendelsene har samme tidspunkt som en annen i saken "
                                    "(rekkefølgen tas da fra kilden).",
    "report.events_have_a_date": "{day_precision_events} hendelser har bare dato (ingen klokkeslett): de er holdt "
                                 "utenfor timetallene og regnet i døgn.",
    "report.of_events_have_no": "{missing_resource_share} av hendelsene mangler ressurs (hvem som gjorde det).",
    "report.the_log_has_no": "Loggen har ingen starttider: ventetid er tid mellom fullføringer, ikke målt "
                             "ventetid, og behandlingstid kan ikke måles.",
    "report.rows_were_rejected_at": "{rows_rejected} rader ble avvist ved innlesing.",
    "report.suspicious_dates_before_1971": "Mistenkelige datoer: {suspicious_default_dates} før 1971, "
                                           "{future_dates} i framtiden.",
    "report.events_in_a_case": "Rekkefølgen i en sak er etter sluttidspunkt, og ved likt tidspunkt etter "
                               "rekkefølgen i kilden.",
    "report.waiting_before_a_step": "Ventetid før et steg er fra forrige stegs slutt til stegets start der loggen "
                                    "har starttid, ellers tiden mellom de to fullføringene (merket slik). Timer er "
                                    "kalendertimer.",
    "report.people_are_pseudonymised_outside": "Personer er pseudonymisert; eksterne parter er merket ved "
                                               "innlesing eller med --external.",
    "report.mandatory_steps_never_proposed": "Obligatoriske steg (aldri foreslått fjernet): {mandatory}.",
    # the monitor's notes and reasons (mining/monitor.py)
    "monitor.decision_close": "vedtak/avslutning",
    "monitor.other": "annet",
    "monitor.risk": "(+{effect} risiko)",
    "monitor.queue_cases_wait_after": "kø: {v} saker står etter {last} (vanlig {typical}) {up}",
    "monitor.many_open_cases_usually": "mange åpne saker: {v} (vanlig {typical}) {up}",
    "monitor.days_without_activity_usually": "{v} dager uten aktivitet (vanlig {typical}) {up}",
    "monitor.paused_so_far_days": "pause så langt: {paused_days} dager {up}",
    "monitor.steps_repeated_times": "steg gjentatt {v} ganger {up}",
    "monitor.came_from": "kom fra {prev} {up}",
    "monitor.days_to_the_next": "{v} dager til neste møtedag {up}",
    "monitor.case_attribute": "saksopplysning {label} = {shown} {up}",
    "monitor.days_paused": ", {days_paused} dager pause",
    "monitor.deadline_days_left": "frist {d}: {left} dager igjen{pause}",
    "monitor.nok_to_repay_so": ", {refund} kr å tilbakebetale så langt",
    "monitor.deadline_passed_started_weeks": "fristen gikk ut {d}: {weeks_over} påbegynte uker over{owed}",
    "monitor.clock_stopped_waiting_for": "klokken står: venter på svar utenfra",
    "monitor.has_waited_days_after": "har ventet {wait} dager etter {act}",
    "monitor.next_probably": "; neste trolig {nxt}",
    "monitor.send_the_now_was": "send {name} nå (skulle vært sendt {due})",
    "monitor.send_the_by_the": "send {name} innen {due}: saken blir trolig ikke avgjort før",
    "monitor.prioritise_chance_of_missing": "prioriter: {p} sjanse for å gå over fristen, trolig {over} dager over",
    "monitor.follow_up_no_activity": "følg opp: ingen aktivitet på {wait} dager",
    # monitor.html (mining/monitor_report.py)
    "monitor_report.nok": "{amount}\u00a0kr",
    "monitor_report.deadline_monitor": "Fristovervåking",
    "monitor_report.generated": "Laget",
    "monitor_report.run": "kjøring",
    "monitor_report.what_the_run_knew": "Hva kjøringen visste",
    "monitor_report.later_events_were_not": "Senere hendelser var ikke kjent for denne kjøringen.",
    "monitor_report.events_completed_up_to": "Hendelser fullført til og med",
    "monitor_report.open_cases": "Åpne saker",
    "monitor_report.decided_cases": "Avgjorte saker",
    "monitor_report.at_risk_p": "I faresonen (P ≥ {at_risk})",
    "monitor_report.expected_refunds_open_cases": "Forventet tilbakebetaling, åpne saker",
    "monitor_report.decided_in_time_last": "Avgjort i tide, siste 12 måneder",
    "monitor_report.the_deadline_rules_as": "Fristreglene slik de ble lest",
    "monitor_report.history": "Historikk",
    "monitor_report.share_decided_in_time": "Andel avgjort innen fristen per måned",
    "monitor_report.bar_chart_to_lowest": "Stolpediagram, {first_month} til {last_month}: lavest {low_share} "
                                          "({low_month}), høyest {high_share} ({high_month}). Tallene står i "
                                          "tabellen under.",
    "monitor_report.decided_cases_per_month": "Avgjorte saker per måned",
    "monitor_report.month": "Måned",
    "monitor_report.decided": "Avgjort",
    "monitor_report.in_time": "I tide",
    "monitor_report.share_in_time": "Andel i tide",
    "monitor_report.refunded": "Tilbakebetalt",
    "monitor_report.no_decided_cases_with": "Ingen avgjorte saker med frist ennå.",
    "monitor_report.refunds_per_year": "Tilbakebetalinger per år",
    "monitor_report.decided_cases_late_cases": "Avgjorte saker, saker over fristen og tilbakebetalt gebyr per år",
    "monitor_report.year": "År",
    "monitor_report.late": "Over fristen",
    "monitor_report.share_late": "Andel over",
    "monitor_report.open_cases_at_risk": "Åpne saker i faresonen",
    "monitor_report.ranked_by_expected_refund": "Rangert etter forventet tilbakebetaling: sannsynligheten for å gå "
                                                "over fristen ganger gebyret ganger andelen som betales tilbake "
                                                "for de forventede ukene over. Intervallet for gjenstående tid er "
                                                "et 80 % prediksjonsintervall.",
    "monitor_report.at_risk": "i faresonen",
    "monitor_report.passed": "passert",
    "monitor_report.the_top_of_open": "De {shown} øverste av {oc} åpne saker",
    "monitor_report.rank": "Nr.",
    "monitor_report.case": "Sak",
    "monitor_report.deadline": "Frist",
    "monitor_report.days_left": "Dager igjen",
    "monitor_report.p_miss": "P(over fristen)",
    "monitor_report.remaining_days_80_interval": "Gjenstående dager (80 % intervall)",
    "monitor_report.expected_refund": "Forventet tilbakebetaling",
    "monitor_report.current_activity": "Nåværende aktivitet",
    "monitor_report.waiting_days": "Har ventet (dager)",
    "monitor_report.reasons": "Begrunnelse",
    "monitor_report.no_open_cases": "Ingen åpne saker.",
    "monitor_report.how_good_the_predictions": "Hvor gode prediksjonene er",
    "monitor_report.how_the_clock_is": "Slik telles klokken",
    "monitor_report.no_deadline_is_configured": "Ingen frist er satt opp for loggen: sakene følges til {stop}.",
    "monitor_report.the_case_s_first": "sakens første hendelse",
    "monitor_report.the_clock_starts_at": "Klokken starter ved {start} og stopper ved {stop}.",
    "monitor_report.deadline_days_weeks_unless": "Frist: {days} dager ({weeks} uker) når ingen regel under gjelder.",
    "monitor_report.and": " og ",
    "monitor_report.when_days": "Når {conds}: {days} dager.",
    "monitor_report.the_clock_stands_still": "Klokken står fra {a} til {b}.",
    "monitor_report.the_deadline_is_extended": "Fristen forlenges ved {activity} med dagene i {days_attribute}.",
    "monitor_report.the_case_attribute": "saksegenskapen {fee_attribute}",
    "monitor_report.unknown": "ukjent",
    "monitor_report.fee_is_repaid_per": "Gebyr: {fee}; {rate} betales tilbake per påbegynte uke over fristen.",
    "monitor_report.within_days_of": "{name}: {to} innen {days} dager etter {from_value}.",
    "monitor_report.the_model_was_not": "Modellen ble ikke evaluert i denne kjøringen.",
    "monitor_report.days": "dager",
    "monitor_report.mean_absolute_error_model": "Gjennomsnittlig feil (MAE), modell",
    "monitor_report.mae_best_simple_rule": "MAE, beste enkle regel",
    "monitor_report.coverage_interval": "Dekning, {target} intervall",
    "monitor_report.missing_the_deadline": "over fristen",
    "monitor_report.next_activity_right": "Neste aktivitet riktig",
    "monitor_report.the_remaining_time_is": "Gjenstående tid bommer i snitt med {model_mae} dager, mot {best_high} "
                                            "for den beste enkle regelen ({name}): {imp} bedre.",
    "monitor_report.the_model_days_is": "Modellen ({model_mae} dager) er ikke bedre enn den beste enkle regelen "
                                        "({name}, {best_high} dager): bruk prediksjonene med varsomhet.",
    "monitor_report.the_interval_held_the": "Intervallet på {target} inneholdt den faktiske gjenstående tiden i "
                                            "{coverage} av testobservasjonene (mål: {target}); median bredde "
                                            "{width} dager.",
    "monitor_report.miss_evaluated": "Sannsynligheten for å gå over fristen: AUC {auc} (0,5 er "
                                                 "tilfeldig, 1 er perfekt); Brier {brier} mot {brier_base_rate} om "
                                                 "alle fikk grunnraten {base_rate} (lavere er bedre).",
    "monitor_report.miss_not_evaluated": "Sannsynligheten for å gå over fristen kunne ikke evalueres "
                                                   "(bare ett utfall i testen).",
    "monitor_report.error_by_how_far": "Feil etter hvor langt saken har kommet",
    "monitor_report.mean_absolute_error_in": "Gjennomsnittlig feil i dager (MAE), modell mot enkle regler, etter "
                                             "antall steg så langt",
    "monitor_report.steps_so_far": "Steg så langt",
    "monitor_report.observations": "Observasjoner",
    "monitor_report.model": "Modell",
    "monitor_report.all": "Alle",
    "monitor_report.calibration": "Kalibrering",
    "monitor_report.predicted_probability_of_missing": "Forutsagt sannsynlighet for å gå over fristen mot faktisk "
                                                       "andel, testobservasjoner",
    "monitor_report.predicted": "Forutsagt",
    "monitor_report.mean_predicted": "Snitt forutsagt",
    "monitor_report.observed_share": "Faktisk andel",
    "monitor_report.how_the_model_was": "Slik ble modellen testet",
    "monitor_report.temporal_split_at_trained": "Tidsdeling ved {cut}: lært av {train_cases} saker avgjort før, "
                                                "testet på {test_cases} saker som var åpne da og er avgjort siden.",
    "monitor_report.random_split_cases_to": "Tilfeldig deling: {train_cases} saker til læring, {test_cases} til "
                                            "test.",
    "monitor_report.cases_open_at_the": "{censored_open_cases} saker åpne ved delingen er fortsatt åpne og er "
                                        "holdt utenfor testen (utfallet er ukjent).",
    "monitor_report.observations_to_train_one": "{train_observations} observasjoner til læring (én per hendelse i "
                                                "sakene), {observations} til test.",
    "monitor_report.features_used": "{features} kjennetegn brukt: {features_2}.",
    "monitor_report.case_attributes_left_out": "Saksegenskaper holdt utenfor modellen, og hvorfor",
    "monitor_report.attribute": "Egenskap",
    "monitor_report.why": "Hvorfor",
    "monitor_report.why_too_many_values": "for mange ulike verdier (en identifikator eller fritekst)",
    "monitor_report.the_clock_counts_calendar": "Klokken teller kalenderdager i {zone}: den starter på den lokale "
                                                "dagen for startaktiviteten, og en frist på D dager går ut ved "
                                                "slutten av den lokale dagen D dager senere. Helligdager stopper "
                                                "ikke klokken.",
    "monitor_report.pauses_the_case_waits": "Pauser (saken venter på søkeren) legges sammen, overlappende pauser "
                                            "teller én gang, og summen rundes opp til hele dager; fristen flyttes "
                                            "like mange dager.",
    "monitor_report.a_pause_still_open": "En pause som fortsatt er åpen teller til vedtaket, eller for en åpen sak "
                                         "til tidspunktet kjøringen visste om.",
    "monitor_report.weeks_over_started_weeks": "Uker over = påbegynte uker etter fristdagen (en dag for sent er én "
                                               "påbegynt uke).",
    "monitor_report.refund_rule": "Tilbakebetaling = gebyr × min(1; {shown} × uker over): {rate} av gebyret "
                                       "per påbegynte uke, høyst hele gebyret (SAK10 § 7-6).",
    "monitor_report.legal_basis_plan_og": "Lovgrunnlag: plan- og bygningsloven § 21-7 (saksbehandlingsfrister), "
                                          "byggesaksforskriften (SAK10) § 7-4 (når fristen løper og stanses) og § "
                                          "7-6 (gebyrreduksjon ved fristoverskridelse), forvaltningsloven § 11 a "
                                          "(foreløpig svar).",
    # bottleneck evidence (mining/bottlenecks.py)
    "bottlenecks.basis_measured": "målt fra forrige stegs slutt til start",
    "bottlenecks.basis_between_completions": "tid mellom to fullføringer, ikke målt ventetid: loggen har ingen "
                                             "starttid",
    "bottlenecks.waiting_before_median_in": "Ventetid før {what}: median {median}, til sammen {total} over "
                                            "{occurrences} hendelser ({basis_text}).",
    "bottlenecks.this_transition_accounts_for": "Denne overgangen står for {edge_share} av all ventetid før "
                                                "{edge_high}.",
    "bottlenecks.internal_queue_of_the": "Intern kø: {internal_share} av ventetiden ender hos egne ansatte.",
    "bottlenecks.waiting_on_others_than": "Venter på andre enn egne ansatte ({parts}).",
    "bottlenecks.batch_pattern_weekly": "Satsvis mønster: {share} av {activity} gjøres på {day} (forrige steg "
                                            "blir ferdig der bare {ready_share} av gangene), {hour_share} av dem "
                                            "mellom {hour_from}:00 og {hour_to}:00 – som et fast ukentlig møte; "
                                            "sakene venter på neste møte.",
    "bottlenecks.batch_pattern_daily": "Satsvis mønster: {hour_share} av {activity} gjøres mellom "
                                              "{hour_from}:00 og {hour_to}:00 (forrige steg blir ferdig da bare "
                                              "{ready_share} av gangene) – som en fast daglig kjøring.",
    # rework evidence (mining/rework.py)
    "rework.the_case_goes_back": "Saken går fram og tilbake mellom to personer (minst to ganger) i {cases} saker "
                                 "({share} av sakene), oftest ved {steps}; det legger til median {med} per sak, "
                                 "til sammen {added}.",
    "rework.it_adds_a_median": "det legger til median {med} per sak, til sammen {added}",
    "rework.cases_of_cases": "{cases} saker ({share} av sakene)",
    "rework.is_done_again_right": "{key_low} gjøres igjen rett etter seg selv i {n}; {cost}.",
    "rework.the_case_goes_back_3": "Saken går fram og tilbake mellom {key_low} og {key_high} i {n}; {cost}.",
    "rework.the_case_goes_back_2": "Saken går tilbake fra {key_low} til {key_high} i {n}; sløyfen er oftest "
                                   "{cycle}; {cost}.",
    "rework.a_median_of_after": "median {gap} etter første gang",
    "rework.of_the_repeats_are_2": "{other_share} av gjentakelsene gjøres av en annen person ({when}): det ser ut "
                                   "som en to-personskontroll (fire øyne), men kan også være dobbeltarbeid – sjekk "
                                   "om det er et krav.",
    "rework.of_the_repeats_are_3": "{same_share} av gjentakelsene gjøres av samme person kort tid etter ({when}): "
                                   "det ser ut som dobbeltregistrering eller retting.",
    "rework.of_the_repeats_are": "{other_share} av gjentakelsene gjøres av en annen person, {same_share} av samme "
                                 "({when}): blandet – både mulig dobbeltarbeid og mulig kontroll.",
    # the process map (mining/discovery.py)
    "discovery.process_map_events_per": "Prosesskart: antall hendelser per aktivitet; på pilene antall overganger "
                                        "· median tid mellom fullføringer. Vist {activities} aktiviteter; skjult "
                                        "{dropped_activities} aktiviteter og {dropped_edges} sjeldne overganger.",
    # gain estimates (automation_scoring/gains.py)
    "gains.nok_hours_saved_nok": "Kroner = timer spart × {hourly_cost} kr per time (--hourly-cost).",
    "gains.quality_cases_decided_differentl": "Kvalitet: saker som i dag avgjøres annerledes enn regelen, ville "
                                              "bli avgjort likt.",
    "gains.no_quality_gain_no_rule": "Ingen kvalitetsgevinst er regnet med: ingen regel avgjør steget.",
    "gains.automation_removes_of_the": "Automatisering fjerner {automate_factor} av stegets behandlingstid "
                                       "({processing_hours_per_year} arbeidstimer i året, grunnlag {basis}); "
                                       "resten går til unntakene.",
    "gains.removing_the_step_removes": "Å fjerne steget fjerner {eliminate_factor} av behandlingstiden "
                                       "({processing_hours_per_year} arbeidstimer i året, grunnlag {basis}).",
    "gains.no_quality_gain_no_outcome": "Ingen kvalitetsgevinst er regnet med: steget endrer ikke utfallet.",
    "gains.simplification_prevents_of_the": "Forenkling hindrer {simplify_factor} av omarbeidet: stegene som "
                                            "gjøres om igjen, tar {redone_hours_per_year} arbeidstimer i året "
                                            "(grunnlag {basis}).",
    "gains.quality_of_the_affected": "Kvalitet: {simplify_factor} av de berørte sakene slipper omarbeidet.",
    "gains.unblocking_saves_waiting_not": "Å fjerne køen sparer ventetid, ikke arbeidstid: timer og kroner er 0.",
    "gains.halving_the_queue_would": "Halvert kø ville spare {saved} arbeidstimer ventetid i året, {per_case} per "
                                     "berørt sak (grunnlag for ventetid: {wait_basis}).",
    "gains.no_quality_gain": "Ingen kvalitetsgevinst er regnet med.",
    "gains.fewer_returns_of_the": "Færre returer: {simplify_factor} av returene mellom enhetene unngås. Arbeidet "
                                  "som gjøres om igjen der saken kommer tilbake, tar {redone_hours_per_year} timer "
                                  "i året (personers behandlingstid målt fra start til slutt; 0 der loggen ikke "
                                  "har starttider).",
    "gains.the_waiting_at_the": "Ventetiden ved returene er {waiting_hours_per_year} kalendertimer i året; "
                                "{simplify_factor} av den spares i saksbehandlingstid, ikke i arbeidstid.",
    "gains.quality_of_the_cases": "Kvalitet: {simplify_factor} av sakene som går fram og tilbake, slipper det.",
    "gains.one_letter_from_the": "Ett brev fra kommunen i stedet for ett per enhet sparer {letters_saved_per_year} "
                                 "brev i året (enheter som skrev − 1, per sak).",
    "gains.no_staff_hours_are": "Ingen arbeidstimer regnes her: brevstegenes timer hører til deres egne kandidater.",
    "gains.quality_the_cases_that": "Kvalitet: sakene som i dag hører fra flere enheter, hører én stemme.",
    "gains.fewer_handovers_save_waiting": "Færre overleveringer sparer ventetid: halvparten av ventingen ved "
                                          "overleveringene i disse sakene er {saved} kalendertimer i året.",
    "gains.the_staff_time_a": "Arbeidstiden en overlevering koster (sette seg inn i saken på nytt), står ikke i "
                              "hendelsene: timer og kroner er 0.",
    # scoring notes (automation_scoring/run.py)
    "scoring_run.default_weights": "standardvekter",
    "scoring_run.model_trained_on": "modell trent på {labels} merkinger {created}",
    "scoring_run.model_trained_just_now": "modell trent på {labels} merkinger nå nettopp",
    # simulation.html and simulation_validation.html (automation_scoring/simulation_report.py)
    "simulation_report.days": "døgn",
    "simulation_report.percentage_points": "prosentpoeng",
    "simulation_report.hours": "timer",
    "simulation_report.to": "til",
    "simulation_report.no_clear_difference": "ingen sikker forskjell ({low} {to} {high}\u00a0{unit})",
    "simulation_report.generated": "Laget",
    "simulation_report.simulations": "{runs} simuleringer",
    "simulation_report.years": "{start} – {end} ({years} år)",
    "simulation_report.warning": "Advarsel",
    "simulation_report.warnings": "Advarsler",
    "simulation_report.of_the_real_mean": " ({share} av virkelig gjennomsnitt)",
    "simulation_report.n_gram_distance": "n-gram-avstand",
    "simulation_report.how_differently_the_steps": "Hvor ulikt stegene følger etter hverandre i simulerte og "
                                                   "virkelige saker: 0 er likt, 1 er ingenting felles.",
    "simulation_report.lead_time_emd": "Saksbehandlingstid (EMD)",
    "simulation_report.lead_time_help": "Hvor mange timer fordelingene av saksbehandlingstid ligger fra "
                                            "hverandre, og det som andel av virkelig gjennomsnittlig "
                                            "saksbehandlingstid ({mean} døgn).",
    "simulation_report.arrivals_emd": "Nye saker (EMD)",
    "simulation_report.arrivals_help": "Hvor mange timer tidspunktene da nye saker kommer inn ligger fra "
                                              "hverandre.",
    "simulation_report.completions_emd": "Avsluttede saker (EMD)",
    "simulation_report.completions_help": "Hvor mange timer tidspunktene da saker avsluttes ligger fra "
                                              "hverandre.",
    "simulation_report.all_events_emd": "Alle hendelser (EMD)",
    "simulation_report.all_events_help": "Hvor mange timer tidspunktene for alle hendelser ligger fra "
                                              "hverandre.",
    "simulation_report.work_in_progress": "Åpne saker over tid",
    "simulation_report.how_far_apart_the": "Hvor langt kurvene for antall åpne saker over tid ligger fra "
                                           "hverandre, i timer.",
    "simulation_report.how_far_the_simulation": "Hvor langt simuleringen kan stoles på",
    "simulation_report.the_simulation_re_created": "Simuleringen gjenskapte loggens egen periode, {period}, {runs} "
                                                   "ganger, og ble sammenlignet med de virkelige sakene. Tallene "
                                                   "under er snittet over kjøringene; lavere er bedre for alle.",
    "simulation_report.median_lead_time_real": "Median saksbehandlingstid, virkelig",
    "simulation_report.median_lead_time_simulated": "Median saksbehandlingstid, simulert",
    "simulation_report.the_measures": "Målene",
    "simulation_report.how_far_simulated_cases": "Hvor langt simulerte saker ligger fra de virkelige, med grensene "
                                                 "for dommen",
    "simulation_report.measure_column": "Mål",
    "simulation_report.value": "Verdi",
    "simulation_report.what_it_means": "Hva det betyr",
    "simulation_report.good_when_at_most": "God når høyst",
    "simulation_report.fair_when_at_most": "Middels når høyst",
    "simulation_report.the_verdict_is_good": "Dommen er «god» når både n-gram-avstanden og saksbehandlingstiden "
                                             "(som andel) er innenfor grensene for god, «middels» når begge er "
                                             "innenfor grensene for middels, og ellers «svak».",
    "simulation_report.the_model_learnt": "Modellen som ble lært",
    "simulation_report.activities": "{activities} aktiviteter.",
    "simulation_report.model_queues": "Med kø (venter på ledig saksbehandler)",
    "simulation_report.model_batches": "Samles opp og gjøres samlet",
    "simulation_report.model_external": "Venter på eksterne parter",
    "simulation_report.each_run": "Hver kjøring",
    "simulation_report.the_measures_for_each": "Målene for hver av de {per_run} kjøringene (EMD og åpne saker i "
                                               "{hours})",
    "simulation_report.run": "Kjøring",
    "simulation_report.lead_time": "Saksbehandlingstid",
    "simulation_report.arrivals": "Nye saker",
    "simulation_report.completions": "Avsluttede",
    "simulation_report.all_events": "Alle hendelser",
    "simulation_report.work_in_progress_column": "Åpne saker",
    "simulation_report.simulation_validation": "Validering av simuleringen",
    "simulation_report.the_simulation_does_not": "Simuleringen gjenskaper ikke loggen godt nok: bruk tallene fra "
                                                 "scenarioer med stor varsomhet.",
    "simulation_report.median_lead_time": "Median saksbehandlingstid",
    "simulation_report.lead_time_90th_percentile": "Saksbehandlingstid, 90. persentil",
    "simulation_report.share_completed_within_the": "Andel avsluttet innen målet ({days} døgn)",
    "simulation_report.staff_hours_per_year": "Arbeidstimer i året",
    "simulation_report.cases": "Saker",
    "simulation_report.unclear": "uklar",
    "simulation_report.better": "bedre",
    "simulation_report.worse": "verre",
    "simulation_report.the_simulation_was_not": "Simuleringen er ikke validert mot loggen: tallene er ikke "
                                                "kontrollert.",
    "simulation_report.the_validation_is_poor": "Valideringen er svak: tallene er usikre. {verdict_text}",
    "simulation_report.simulated_effect": "Simulert virkning",
    "simulation_report.what_changes": "Hva som endres",
    "simulation_report.the_log_s_period": "Loggens periode, {period}, er simulert {runs} ganger med og uten "
                                          "endringen. Tallene er forskjellen mellom de to (med endringen minus i "
                                          "dag), parvis for hver kjøring; intervallet dekker 90 % av kjøringene. "
                                          "Når intervallet omfatter 0, er det ingen sikker forskjell.",
    "simulation_report.the_target_the_share": "Målet andelen regnes mot",
    "simulation_report.difference_from_today": "Forskjell fra i dag",
    "simulation_report.simulated_difference_with_the": "Simulert forskjell med endringen (90 % intervall)",
    "simulation_report.measure": "Nøkkeltall",
    "simulation_report.difference_90_interval": "Forskjell (90 % intervall)",
    "simulation_report.effect": "Virkning",
    "simulation_report.waiting_per_activity": "Ventetid per aktivitet",
    "simulation_report.simulated_difference_in_waiting": "Simulert forskjell i ventetid før hver aktivitet, timer "
                                                         "i året, største forskjell først",
    "simulation_report.activity": "Aktivitet",
    "simulation_report.simulated_levels": "Simulerte nivåer",
    "simulation_report.the_levels_are_simulated": "Nivåene er simulerte, ikke prognoser: de er grunnlaget for "
                                                  "forskjellene over og er mer usikre enn dem.",
    "simulation_report.percent_sign": "\u00a0%",
    "simulation_report.today_simulated": "I dag (simulert)",
    "simulation_report.with_the_change_simulated": "Med endringen (simulert)",
    "simulation_report.simulated_levels_per_year": "Simulerte nivåer i snitt per år der ikke annet står, med 90 % "
                                                   "intervall",
    "simulation_report.simulated_waiting_before_each": "Simulert ventetid før hver aktivitet, timer i året",
    "simulation_report.assumptions": "Forutsetninger",
    "simulation_report.validation": "Validering",
    "simulation_report.no_validation_in_this": "Ingen validering i denne kjøringen. Kjør `saksflyt simulate --log "
                                               "{log} --validate` for å se hvor godt simuleringen gjenskaper "
                                               "loggen.",
    "simulation_report.each_run_and_the": "Hver kjøring og modellen står i {validation_page}.",
    # possibly needless steps' evidence (mining/needless.py)
    "needless.occurs_in_closed_cases": "{activity} finnes i {cases_with} avsluttede saker og mangler i "
                                       "{cases_without}.",
    "needless.given_as_mandatory": "Oppgitt som obligatorisk (--mandatory): foreslås aldri fjernet.",
    "needless.triggered_by_name": "Navnet sier at noe kom inn utenfra (mottatt, svar, betaling): steget utløses "
                                  "utenfra, og kommunen velger det ikke bort, selv om en ansatt registrerer det.",
    "needless.triggered_by_non_staff": "{share} av hendelsene gjøres av systemer eller eksterne parter: steget "
                                       "utløses utenfra (en betaling, et svar, en klage), og kommunen velger det ikke "
                                       "bort.",
    "needless.triggered_by_event": "Kommer etter {trigger} (en hendelse fra system eller ekstern part) i {follows} av "
                                   "sakene sine, og {covers} av sakene med {trigger} får steget: det utløses av "
                                   "hendelsen, og kommunen velger det ikke bort.",
    "needless.too_few_cases": "For få saker til å teste (minst {min_cases} med og {min_cases} uten).",
    "needless.outcome_differs": "Utfall: {outcome} i {share_with} av sakene med steget mot {share_without} uten "
                                "({test}-test p {p_outcome}, justert for mange tester q {q_outcome}; Cramérs V = "
                                "{cramers_v}).",
    "needless.all_closed_cases_end": "Alle avsluttede saker ender likt: utfallet kan ikke sammenlignes.",
    "needless.duration_differs": "Saksbehandlingstid: median {median_hours_with} med steget mot "
                                 "{median_hours_without} uten (Mann–Whitney p {p_duration}, q {q_duration}; "
                                 "rang-biserial r = {rank_biserial}).",
    "needless.most_often_followed_by": "Etterfølges oftest av {next_step} ({share}).",
    "needless.largest_other_difference_in": "Største forskjell ellers: {other_step} i {share_with} av sakene med "
                                            "steget mot {share_without} uten.",
    "needless.presence_predicted": "Treffsikkerhet (balansert, kryssvalidert) for om steget skjer: saksattributter "
                                   "{attribute_score}, {who} {resource_score}.",
    "needless.outcome_test.chi2": "kji-kvadrat",
    "needless.outcome_test.fisher": "Fisher",
    "needless.outcome_test.fisher_monte_carlo": "Fisher (Monte Carlo)",
    "needless.habit_basis.previous_step": "hvem som gjorde steget før",
    "needless.habit_basis.handler": "hvem som behandler saken",
    "needless.habit_basis.co_workers": "hvem som ellers jobbet med saken",
    "needless.verdict.rework": "Steget sender saken tilbake: se omarbeid (rework) i stedet.",
    "needless.verdict.changes_outcome": "Steget henger sammen med et annet utfall: ikke unødvendig.",
    "needless.verdict.rule_driven": "Saksattributtene avgjør om steget skjer: regelstyrt, ikke unødvendig (kandidat "
                                    "for automatisering heller).",
    "needless.verdict.needless": "Kandidat for å fjernes: endrer ikke utfallet, og {who} forutsier om det skjer bedre "
                                 "enn saksdataene gjør (en vane, ikke en regel).",
    "needless.verdict.unexplained": "Uforklart: verken saksdataene eller hvem som jobber med saken forutsier om "
                                    "steget skjer. Det kan være stikkprøver eller skjønn; til gjennomgang, ikke "
                                    "foreslått fjernet.",
    # automation candidates' reasons (automation_scoring/candidate_sources.py)
    "candidates.volume": "{activity} gjøres {events_per_year} ganger i året, i {case_share} av sakene; ",
    "candidates.starts_recorded_no_hours": "loggen har starttider for arbeidet, men ikke for dette steget: en "
                                           "statusendring eller en registrert mottakelse uten egen tid (grunnlag "
                                           "instant), så ingen timer regnes.",
    "candidates.no_time_measured": "ingen tid er målt og ingen person står på hendelsene (grunnlag unknown), så ingen "
                                   "timer regnes.",
    "candidates.processing_hours": "{processing_hours_per_year} arbeidstimer behandling i året av ansatte ({minutes} "
                                   "min per hendelse, grunnlag {basis}; {person_share} av hendelsene gjøres av "
                                   "personer).",
    "candidates.neighbours": "Kommer etter {top_predecessor} i {top_predecessor_share} av hendelsene og følges av "
                             "{top_successor} i {top_successor_share}; behandlingstiden varierer med "
                             "{duration_variability} (variasjonskoeffisient).",
    "candidates.one_rule_predicts": "Én regel på saksdataene forutsier hvilken vei: riktig i {accuracy} av "
                                    "{decisions} beslutninger (gruppert kryssvalidering; den vanligste veien alene "
                                    "gir {baseline}).",
    "candidates.branch_rule_decides": "En regel på saksdataene avgjør om saken går til {ruled_branches}: riktig i "
                                      "{accuracies} av {decisions} beslutninger (gruppert kryssvalidering). "
                                      "Rekkefølgen videre til {other_branches} følger ingen regel ({output_judgement} "
                                      "av forgreningen er uforklart), men er heller ikke overlatt til skjønn i steget.",
    "candidates.decision_branches": "Etter {decision_point} går saken videre til {branches}.",
    "candidates.decision_automatable": "Beslutningen som tas ved {decision_point} kan automatiseres. Timene er bare "
                                       "stegets egen behandlingstid; arbeidet i grenene regnes ikke med (de er "
                                       "kandidater bare på eget grunnlag).",
    "candidates.decision_rule_text": "{rule} [beslutningen etter {decision_point}; treffsikkerhet {accuracy}, "
                                     "{decisions} beslutninger i {cases} saker]",
    "candidates.standardised_step": "Et standardisert steg: behandlingstiden varierer lite ({duration_variability} "
                                    "variasjonskoeffisient, grense {standard_cv}), og det som kommer etter er ikke "
                                    "overlatt til skjønn ({output_judgement} uforklart forgrening).",
    "candidates.present_in_closed_cases": "Finnes i {cases_with} avsluttede saker og mangler i {cases_without}; "
                                          "saksattributtene forutsier om det skjer med {attribute_score}, hvem som "
                                          "behandler saken med {resource_score} (balansert treffsikkerhet): en vane, "
                                          "ikke en regel.",
    "candidates.it_adds_a_queue": "Det gir en kø på {waiting_hours_per_year} arbeidstimer venting i året foran seg "
                                  "({wait_basis}).",
    "candidates.rework_path": "{kind}: {path} i {cases} saker ({case_share} av sakene), {cases_per_year} i året.",
    "candidates.staff_steps_done_again": "Ansattes steg som gjøres om igjen (andre og senere gang i en sak): "
                                         "{staff_steps}, {redone} arbeidstimer i året. Sløyfen tar med seg stegene "
                                         "sine: ingen annen kandidat regner timene deres.",
    "candidates.the_rework_adds_calendar": "Omarbeidet legger i snitt {added_per_case} kalendertimer til hver berørt "
                                           "sak ({added_total} timer i alt).",
    "candidates.cases_wait_working_hours": "Sakene venter {waiting_hours_per_year} arbeidstimer i året foran "
                                           "{activity}, {per_event} per hendelse ({wait_basis}); flaskehals nummer "
                                           "{bottleneck_rank} etter samlet venting.",
    "candidates.the_queue_is_internal": "Køen er intern: ventingen slutter hos egne ansatte ({person_share} av "
                                        "hendelsene gjøres av personer).",
    "candidates.back_and_forth_between": "Fram og tilbake mellom enhetene {unit_a} og {unit_b}: {return_cases} saker "
                                         "({return_share} av sakene) kommer tilbake til en enhet de allerede har vært "
                                         "i, {returns} returer i alt, {cases_per_year} saker i året.",
    "candidates.the_return_most_often": "Returen går oftest fra {source_activity} i {unit_b} til {target_activity} i "
                                        "{unit_a}; median venting ved overleveringen {median_wait_hours}.",
    "candidates.work_done_again_where": "Arbeid som gjøres om igjen der saken kommer tilbake: {steps}, {redone} timer "
                                        "i året.",
    "candidates.cases_pass_many_units": "Sakene går gjennom mange enheter: {cases_many_units} saker "
                                        "({many_units_share}) innom 3 enheter eller flere, median {median_units} per "
                                        "sak; {handovers} overleveringer i alt.",
    "candidates.most_frequent_handovers": "Hyppigste overleveringer: {route}.",
    "candidates.several_voices_out": "Flere stemmer ut: {multi_voice_cases} saker ({multi_voice_share} av sakene) får "
                                     "brev fra mer enn én enhet; ett samlet brev ville spare {letters} brev "
                                     "({letters_per_year} i året).",
    "candidates.the_letters_in_these": "Brevene i disse sakene: {who}.",
    "candidates.repeat_contact": "{cases_repeat_door} saker ({repeat_door_share}) måtte ta kontakt mer enn én gang.",
    "candidates.wait_basis.measured": "measured",
    "candidates.wait_basis.between_completions": "between_completions",
    "candidates.rework_kind.repeat": "Gjentakelse",
    "candidates.rework_kind.loop": "Sløyfe",
    "candidates.rework_kind.ping-pong": "Fram og tilbake",
    # ranking notes (automation_scoring/ranking.py)
    "ranking.hours_counted_elsewhere": "Timene for arbeidet som gjøres om igjen, regnes under {candidate_id}: ikke "
                                       "her.",
    "ranking.also_covers": "Omfatter også (timene regnes bare her): {absorbed}.",
    "ranking.nothing_stands_out": "ingenting skiller seg ut",
    "ranking.score": "Poeng {score} ({model_note})",
    "ranking.strongest": "; sterkest: {strongest}.",
    "ranking.feature.hours_saved_per_year": "timer spart",
    "ranking.feature.quality_cases_per_year": "kvalitet",
    "ranking.feature.events_per_year": "volum",
    "ranking.feature.case_share": "andel saker",
    "ranking.feature.waiting_hours_per_year": "ventetid",
    "ranking.feature.rule_determinism": "regelstyrt",
    "ranking.feature.needless_evidence": "unødvendig",
    "ranking.feature.rework_share": "omarbeid",
    "ranking.feature.judgement": "skjønn",
    "ranking.feature.duration_variability": "variasjon",
    "ranking.feature.predecessor_variability": "variasjon før",
    "ranking.feature.successor_variability": "variasjon etter",
    "ranking.feature.handover_share": "overleveringer",
    "ranking.feature.person_share": "andel personer",
    "ranking.feature.kind_eliminate": "kind_eliminate",
    "ranking.feature.kind_simplify": "kind_simplify",
    "ranking.feature.kind_automate": "kind_automate",
    "ranking.feature.kind_unblock": "kind_unblock",
    # the simulation's sentences, kept in both languages with a run (automation_scoring/simulation.py)
    "simulation.target_days": "Mål: {days} dager saksbehandlingstid (--target-days)",
    "simulation.target_real_p80": "Mål: {days} dager, det 80 % av de avsluttede sakene i loggen klarte (ingen frist i "
                                  "konfigurasjonen)",
    "simulation.deadline_per_case": "Frist: som i konfigurasjonen, per sak etter de avsluttede sakene med samme steg "
                                    "(fra siste `saksflyt monitor`)",
    "simulation.deadline_every_case": "Frist: {days} dager for alle saker (reglene per sakstype krever en `saksflyt "
                                      "monitor`-kjøring)",
    "simulation.verdict_text.good": "Simuleringen gjenskaper loggen godt: stegrekkefølgen avviker lite (n-gram "
                                    "{ngram}) og saksbehandlingstidene bommer med {share} av gjennomsnittet. "
                                    "Forskjeller mellom scenarioer kan brukes.",
    "simulation.verdict_text.fair": "Simuleringen gjenskaper loggen delvis (n-gram {ngram}, saksbehandlingstid "
                                    "{share} av gjennomsnittet unna): bruk retningen på forskjellene, ikke størrelsen.",
    "simulation.verdict_text.poor": "Simuleringen gjenskaper ikke loggen (n-gram {ngram}, saksbehandlingstid {share} "
                                    "av gjennomsnittet unna): tallene fra scenarioer er ikke til å stole på.",
    "simulation.validation_fair": "Valideringen er middels: {verdict_text}",
    "simulation.validation_poor": "Valideringen er svak: {verdict_text}",
    "simulation.few_runs": "Bare {runs} kjøringer: intervallene er grove.",
    "simulation.assume_same_model": "Forskjellene er mellom to simuleringer av samme modell (med og uten endringen), "
                                    "på de samme tilfeldige tallene; nivåene er simulerte, ikke prognoser.",
    "simulation.assume_intervals": "Intervallene er spennet der {level} av de {runs} kjøringene havner (5.–95. "
                                   "persentil): det én periode kan vise.",
    "simulation.assume_intervals_bootstrap": "Intervallene er spennet der {level} av de {runs} kjøringene havner "
                                             "(5.–95. persentil): det én periode kan vise, hver kjøring med en modell "
                                             "lært fra et bootstrap-utvalg av sakene.",
    "simulation.assume_followed": "Alle saker som kommer inn i loggens periode, følges til de er ferdige; ansattes "
                                  "timer er målt eller anslått behandlingstid (grunnlaget står i modellen).",
    # what a scenario changes (automation_scoring/simulation_scenarios.py)
    "simulation_scenarios.handover_wait_halved": "Ventetiden foran «{activity}», der sakene kommer etter en "
                                                 "overlevering, halveres (kandidatens antakelse).",
    "simulation_scenarios.eliminate": "«{activity}» fjernes: steget forsvinner fra sakene.",
    "simulation_scenarios.automate": "«{activity}» automatiseres i {share} av tilfellene: ett minutt systemtid, ingen "
                                     "ansatte, ingen kø; resten er unntak som ansatte behandler som før (kandidatens "
                                     "antakelse).",
    "simulation_scenarios.simplify_loop": "Sløyfen forenkles: fra «{activity}» tilbake til «{back}» {share} sjeldnere "
                                          "(samme andel som kandidatens timer regner med).",
    "simulation_scenarios.simplify_step": "«{activity}» forenkles: behandlingstiden halveres.",
    "simulation_scenarios.extra_batch_day": "«{activity}» får en ekstra behandlingsdag hver uke (ukedag {weekdays}).",
    "simulation_scenarios.double_capacity": "Køen foran «{activity}» får dobbel kapasitet.",
    "simulation_scenarios.wait_halved": "Ventetiden foran «{activity}» halveres (loggen viser ingen kapasitetsbundet "
                                        "kø der: en antakelse, samme som kandidatens).",
    "simulation_scenarios.change.eliminate": "«{activity}» fjernes.",
    "simulation_scenarios.change.automate": "«{activity}» automatiseres ({share} av tilfellene).",
    "simulation_scenarios.change.branch": "Fra «{activity}» til «{target}» × {factor}.",
    "simulation_scenarios.change.capacity": "Kapasiteten foran «{activity}» × {factor}.",
    "simulation_scenarios.change.delay": "Ventetiden foran «{activity}» × {factor}.",
    "simulation_scenarios.change.processing": "Behandlingstiden i «{activity}» × {factor}.",
    "simulation_scenarios.change.batch": "«{activity}» også på ukedag {weekdays}.",
    # the audit trail (admin page, app/app_pages/audit.py)
    "nav.audit": "Revisjonslogg",
    "audit.title": "Revisjonslogg",
    "audit.intro": "Hvem som har sett på, eksportert, merket, lastet inn, analysert eller slettet hvilken logg, og når "
                   "(UTC). Hvem er en id (brukernavnet på maskinen eller innloggingens id), aldri et navn. Radene "
                   "slettes etter {days} dager.",
    "audit.filter_log": "Logg",
    "audit.filter_action": "Handling",
    "audit.filter_subject": "Hvem",
    "audit.since": "Fra og med dato",
    "audit.all_logs": "Alle logger",
    "audit.shown": "{shown} av {total} rader vises (de nyeste først).",
    "audit.empty": "Ingen rader i revisjonsloggen ennå.",
    "audit.col.at": "Når (UTC)",
    "audit.col.subject": "Hvem",
    "audit.col.action": "Handling",
    "audit.col.log": "Logg",
    "audit.col.what": "Hva",
    "audit.col.detail": "Detalj",
    "audit.action.view": "så siden",
    "audit.action.export": "eksporterte",
    "audit.action.mark": "merket kandidat",
    "audit.action.ingest": "lastet inn",
    "audit.action.mine": "analyserte",
    "audit.action.drop": "slettet loggen",
    "audit.action.refused": "ble nektet",
    # login and access (app/explore_login.py)
    "login.title": "Logg inn",
    "login.intro": "Saksflyt viser bare loggene du har tilgang til. Logg inn med kommunens innlogging for å se dem.",
    "login.button": "Logg inn",
    "login.as": "Innlogget som {who}",
    "login.role": "Rolle i «{log}»: {role}",
    "login.role.reader": "leser",
    "login.role.owner": "prosesseier",
    "login.role.admin": "administrator",
    "login.logout": "Logg ut",
    "login.no_access": "Du er logget inn, men har ikke tilgang til noen logg. Be den som administrerer Saksflyt om "
                       "tilgang (oppgi id-en {who}).",
    "access.log_refused": "Du har ikke tilgang til loggen «{log}», eller den finnes ikke. Forsøket er ført i "
                          "revisjonsloggen.",
    "access.page_refused": "Denne siden er bare for administratorer. Forsøket er ført i revisjonsloggen.",
    "access.read_only": "Du kan lese denne loggen, men ikke merke kandidater (det krever rollen prosesseier).",
}
