"""The byggesak process model: its steps, staff, office hours and the durations and probabilities planted in it."""
from __future__ import annotations

import numpy as np

TZ = "Europe/Oslo"
COLUMNS = ("saksnr", "aktivitet", "start", "slutt", "saksbehandler", "tiltakstype", "vedlegg_antall",
           "dispensasjon", "areal_m2", "soker_fnr", "soker_navn", "kommentar")
CASE_ATTRIBUTES = ("tiltakstype", "vedlegg_antall", "dispensasjon", "areal_m2", "soker_fnr", "soker_navn")

MOTTATT = "Søknad mottatt"
REGISTRERE = "Registrere søknad"
VURDERE = "Vurdere komplett søknad"
BE_OM = "Be om tilleggsdokumentasjon"
TD_MOTTATT = "Tilleggsdokumentasjon mottatt"
NABOVARSEL = "Nabovarsel og høring"
VEGVESEN = "Uttalelse fra Statens vegvesen"
EKSTRA = "Ekstra kontroll"
FAGLIG = "Faglig vurdering"
JURIDISK = "Juridisk kvalitetssikring"
UTARBEIDE = "Utarbeide vedtak"
RETUR = "Retur til saksbehandler"
FATTET = "Vedtak fattet"
SENDT = "Vedtak sendt"
TILLATELSE = "Tillatelse sendt"
AVSLAG = "Avslag sendt"
ACTIVITIES = (MOTTATT, REGISTRERE, VURDERE, BE_OM, TD_MOTTATT, NABOVARSEL, VEGVESEN, EKSTRA, FAGLIG,
              JURIDISK, UTARBEIDE, RETUR, FATTET, SENDT, TILLATELSE, AVSLAG)
# The deadlines variant's steps: the comment round's start, the preliminary reply, the agreed extension.
INNHENTE = "Innhente uttalelse"
FORELOPIG = "Foreløpig svar sendt"
FORLENGET = "Frist forlenget"
DEADLINE_ACTIVITIES = ACTIVITIES + (INNHENTE, FORELOPIG, FORLENGET)
DEADLINE_COLUMNS = COLUMNS[:-1] + ("gebyr", "avkjorsel", "forlenget_dager", "kommentar")
DEADLINE_CASE_ATTRIBUTES = CASE_ATTRIBUTES + ("gebyr", "avkjorsel")
_ACT = {a: i for i, a in enumerate(DEADLINE_ACTIVITIES)}

SYSTEM = "system"
VEGVESEN_BODY = "Statens vegvesen"
SAKSBEHANDLERE = ("Kari Nordmann", "Ola Hansen", "Ingrid Johansen", "Lars Olsen", "Marit Ødegård",
                  "Bjørn Østby", "Siri Larsen", "Håkon Berg", "Tone Haugen", "Espen Dahl", "Astrid Lie",
                  "Jørgen Bakke")
HABIT_CLERKS = ("Marit Ødegård", "Bjørn Østby")
ARKIV = ("Nina Strand", "Per Aasen", "Liv Solberg")
JURISTER = ("Anne Kristiansen", "Thomas Moen")
LEDERE = ("Eva Halvorsen", "Rune Sæther")
RESOURCES = SAKSBEHANDLERE + ARKIV + JURISTER + LEDERE + (SYSTEM, VEGVESEN_BODY)
_RES = {r: i for i, r in enumerate(RESOURCES)}

RESOURCE_KIND = {a: "person" for a in DEADLINE_ACTIVITIES} | {
    MOTTATT: "system", TD_MOTTATT: "system", TILLATELSE: "system", AVSLAG: "system", VEGVESEN: "external"}
# Planted mean processing minutes of person steps (lognormal, sigma PROCESSING_SIGMA, capped at one day).
NORM_MINUTES = {REGISTRERE: 15.0, VURDERE: 40.0, BE_OM: 20.0, NABOVARSEL: 50.0, EKSTRA: 45.0, FAGLIG: 210.0,
                JURIDISK: 90.0, UTARBEIDE: 75.0, RETUR: 15.0, FATTET: 8.0, SENDT: 10.0,
                INNHENTE: 20.0, FORELOPIG: 10.0, FORLENGET: 10.0}
PROCESSING_SIGMA = 0.5
# Planted median waits before internal steps, in office hours (lognormal, sigma WAIT_SIGMA).
WAIT_OFFICE_HOURS = {REGISTRERE: 4.0, VURDERE: 10.0, BE_OM: 0.5, NABOVARSEL: 6.0, EKSTRA: 14.0, FAGLIG: 12.0,
                     JURIDISK: 20.0, UTARBEIDE: 6.0, RETUR: 8.0, SENDT: 3.0,
                     INNHENTE: 2.0, FORELOPIG: 1.0, FORLENGET: 2.0}
WAIT_SIGMA = 0.8
# Waits for outsiders, in calendar days (median, sigma): the applicant's documents and Statens vegvesen.
TD_WAIT_DAYS = (9.0, 0.6)
VEGVESEN_WAIT_DAYS = (30.0, 0.35)
HOERING_DAYS = 14  # neighbours' objection period: nothing after the hearing starts before it ends

TILTAKSTYPER = ("enebolig", "tilbygg", "garasje", "naeringsbygg", "bruksendring")
TILTAK_P = (0.30, 0.30, 0.20, 0.10, 0.10)
AREAL_MEDIAN_M2 = (165.0, 32.0, 42.0, 850.0, 110.0)
VEDLEGG_MEAN = (4.5, 4.5, 4.5, 6.0, 4.5)
VEGVESEN_P = (0.6, 0.0, 0.25, 0.9, 0.0)
P_DISPENSASJON = 0.15
P_HABIT = 0.85
P_JURIDISK = 0.18
P_AVSLAG = 0.15
P_AVSLAG_JURIDISK = 0.60
P_LOOP = 0.15
P_FNR = 0.30
P_COMPANY_BRUKSENDRING = 0.3
OPEN_SHARE = 0.08
ARRIVAL_WEEKS = 65

# The deadlines variant (pbl. § 21-7, SAK10 § 7-6). Its draws come from a stream of their own.
DEADLINE_STREAM = 18  # np.random.default_rng([seed, DEADLINE_STREAM])
GEBYR_NOK = (26000, 12000, 8000, 60000, 15000)  # by TILTAKSTYPER, varied a little, in whole hundreds
GEBYR_SIGMA = 0.08
P_FORELOPIG = 0.7  # in cases with Statens vegvesen or a dispensation
P_FORLENGET = 0.03
FORLENGET_DAYS = (14, 21)
SIMPLE_TILTAK = ("garasje", "tilbygg")  # 3 weeks without dispensation and road access; all else 12
SIMPLE_WEEKS, DEFAULT_WEEKS = 3, 12
REFUND_PER_STARTED_WEEK = 0.25
PRELIMINARY_REPLY_DAYS = 30  # forvaltningsloven § 11a: a preliminary reply when a case takes a month
# The hidden cause of delay: a staff shortage in front of Faglig vurdering. The step's first pass is a
# first-come-first-served queue whose capacity (cases per calendar day, as a multiple of the mean daily
# arrivals at the step) falls in some months after the start month: a backlog builds, and drains after.
DELAY_ACTIVITY = FAGLIG
NORMAL_CAPACITY = 1.6
DELAY_MONTHS = {3: 0.6, 6: 0.6, 11: 0.6, 15: 0.6}  # months after the start month (Easter, summer, Christmas) → capacity

OPEN_S = 8 * 3600
CLOSE_S = 15 * 3600 + 45 * 60
OFFICE_DAY_S = CLOSE_S - OPEN_S
OVERTIME_CLOSE_S = 16 * 3600 + 30 * 60
OVERTIME_SHARE = 0.04
MAX_STEP_S = 7 * 3600
MEETING_START_S = 10 * 3600
MEETING_END_S = 12 * 3600
AGENDA_DEADLINE_S = 12 * 3600  # Monday 12:00: later cases wait for the next week's meeting
NO_MEETING_WEEKS = (28, 29, 30)  # fellesferie
_ORIGIN = np.datetime64("2000-01-03", "D")  # a Monday, a working day: origin of office-time counts
_DAY = 86400

_FIRST_NAMES = ("Anne", "Per", "Kari", "Ole", "Ingrid", "Jan", "Marte", "Lars", "Solveig", "Knut", "Hilde",
                "Terje", "Ragnhild", "Øystein", "Åse", "Sindre", "Guro", "Eirik", "Tuva", "Håvard", "Sigrid",
                "Trond", "Live", "Ståle", "Mette", "Arne", "Ida", "Jørn", "Randi", "Magnus")
_LAST_NAMES = ("Hansen", "Johansen", "Olsen", "Larsen", "Andersen", "Pedersen", "Nilsen", "Kristiansen",
               "Jensen", "Karlsen", "Johnsen", "Pettersen", "Eriksen", "Berg", "Haugen", "Hagen",
               "Johannessen", "Andreassen", "Jacobsen", "Dahl", "Jørgensen", "Halvorsen", "Henriksen",
               "Lund", "Sørensen", "Jakobsen", "Moen", "Gundersen", "Iversen", "Strand", "Solheim", "Bråten")
_COMPANY_SUFFIX = ("Eiendom AS", "Bygg AS", "Utvikling AS", "Næringseiendom AS", "Holding AS")

_COMMENTS: dict[str, tuple[str, ...]] = {
    MOTTATT: ("Automatisk kvittering sendt til søker.", "Mottatt via eByggesak med signert erklæring."),
    REGISTRERE: (
        "Søknaden er journalført og fordelt til saksbehandler.",
        "Registrert i sak- og arkivsystemet. Vedlegg skannet og kontrollert for lesbarhet, og ett vedlegg var "
        "rotert og ble rettet opp før journalføring.",
        "Mottatt via byggsøknadsportalen. Gebyrgrunnlag registrert etter kommunens gebyrregulativ, kapittel 5.",
    ),
    VURDERE: (
        "Søknaden er gjennomgått for komplett dokumentasjon etter SAK10 § 5-4.",
        "Situasjonsplan mangler målestokk og avstand til nabogrense, og må avklares med ansvarlig søker før "
        "videre behandling.",
        "Kontrollert mot reguleringsplan og kommuneplanens arealdel. Tiltaket ser ut til å være i samsvar "
        "med formål og utnyttelsesgrad, men høydebestemmelsen bør sjekkes nærmere.",
        'Søker viser til "Veileder for byggesaker" fra kommunen. Veilederen er ikke bindende.',
    ),
    BE_OM: (
        "Brev sendt til søker med frist på tre uker for å ettersende manglende dokumentasjon: tegninger av "
        "fasader, snitt og oppdatert situasjonskart.",
        "Ber om gjennomføringsplan og erklæring om ansvarsrett for prosjekterende.",
        "Etterspurt kvittering for nabovarsel. Søker er informert om at saksbehandlingsfristen ikke løper "
        "før søknaden er komplett.",
    ),
    TD_MOTTATT: ("Ettersendt dokumentasjon mottatt via portalen.",),
    NABOVARSEL: (
        "Nabovarsel sendt til berørte naboer og gjenboere, med frist for merknader er 14 dager.",
        "Søknad om dispensasjon fra reguleringsplanens byggegrense sendt på høring til regionale myndigheter.",
        "Høringsbrev sendt. Én nabo har varslet at de vil komme med merknad om innsyn og skyggevirkning.",
    ),
    VEGVESEN: (
        "Uttalelse mottatt: ingen merknader til avkjørselen, forutsatt frisikt 4 x 45 meter.",
        "Statens vegvesen fraråder ny avkjørsel fra riksvegen og viser til rammeplanen for avkjørsler og "
        "vegkategori, og ber om at eksisterende avkjørsel benyttes.",
    ),
    EKSTRA: (
        "Ekstra gjennomgang av alle vedlegg før faglig vurdering, for sikkerhets skyld.",
        "Dobbeltsjekket arealberegninger og avstander på nytt, ingen avvik funnet.",
        "Kontrollert saken en gang til mot sjekklisten. Alt var i orden fra før.",
    ),
    FAGLIG: (
        "Vurdert etter plan- og bygningsloven § 29-4 om plassering, høyde og avstand til nabogrense.",
        "Tiltaket er vurdert mot estetiske krav i pbl. § 29-2. Fasadeuttrykk og materialbruk vurderes å gi "
        "god visuell kvalitet sett i sammenheng med omgivelsene, og volumet er tilpasset eksisterende "
        "bebyggelse i området.",
        "Merknader fra nabo om innsyn er vurdert, men anses ikke å veie tyngre enn søkers behov.",
        "Befaring gjennomført. Terrenginngrep og høyde på støttemur stemmer ikke helt med tegningene.",
    ),
    JURIDISK: (
        "Juridisk vurdering av dispensasjonsvilkårene i pbl. § 19-2: fordelene må være klart større enn "
        "ulempene, og hensynene bak bestemmelsen må ikke bli vesentlig tilsidesatt.",
        "Kvalitetssikret hjemmelsgrunnlag og begrunnelse; vedtaksutkastet må omformuleres på flere punkter.",
    ),
    UTARBEIDE: (
        "Vedtaksutkast skrevet etter mal, med vilkår om ferdigattest og uavhengig kontroll tatt inn.",
        "Utkast til vedtak sendt til leder for godkjenning.",
    ),
    RETUR: (
        "Returnert: begrunnelsen for vektlegging av nabomerknader må utdypes før saken kan legges fram i "
        "vedtaksmøtet.",
        "Retur til saksbehandler: mangler vurdering av overvannshåndtering.",
    ),
    FATTET: ("Vedtatt i ukentlig vedtaksmøte etter delegert myndighet.",
             "Behandlet i vedtaksmøtet, og vedtaket fattes i samsvar med innstillingen."),
    SENDT: ("Vedtaket er sendt til søker og til naboer som har kommet med merknader, via SvarUt.",
            "Sendt digitalt med kopi til ansvarlig søker."),
    TILLATELSE: ("Forsendelse bekreftet av SvarUt.",),
    AVSLAG: ("Forsendelse bekreftet av SvarUt.",),
    INNHENTE: ("Søknaden er oversendt Statens vegvesen for uttalelse om avkjørsel fra riksveg.",
               "Bedt om uttalelse fra vegmyndigheten. Saksbehandlingsfristen løper ikke mens saken er på "
               "uttalelse, jf. pbl. § 21-7."),
    FORELOPIG: ("Foreløpig svar sendt etter forvaltningsloven § 11a, med opplysning om forventet "
                "saksbehandlingstid.",
                "Søker er orientert om at saken må på høring og at vedtak ventes innen fristen."),
    FORLENGET: ("Fristen er forlenget etter avtale med søker.",
                "Saken er særlig omfattende; søker har samtykket i lengre frist."),
}
COMMENT_P = {"person": 0.25, "external": 0.6, "system": 0.04}
P_FNR_IN_COMMENT = 0.04  # of the comments on person steps in cases with a fødselsnummer
