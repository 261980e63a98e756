"""Synthetic Norwegian building-permit (byggesak) event log, with a ground truth of what was planted.

Mining and scoring tests check what they find against `truth`: the planted patterns (a rule-based
step, an attribute-decided step, a needless habit step, an expert step, an outcome-changing step,
a rework loop, an internal bottleneck and an external wait) plus numbers measured on the generated
events themselves. The simulation is vectorised: one numpy pass per process step over all cases,
in local wall-clock seconds (office hours are a wall-clock notion); Europe/Oslo offsets are applied
once at the end. Same `seed`, same log.

`deadlines=True` (`saksflyt generate --deadlines`) adds statutory deadlines (pbl. § 21-7: 12 weeks, 3 for
garasje and tilbygg without dispensation or road access; SAK10 § 7-6: the fee drops 25 % per started week
over): case attributes `gebyr` (NOK) and `avkjorsel` ("ja" exactly when Statens vegvesen comments), the
steps "Innhente uttalelse" (the comment round's start, so the wait for Statens vegvesen is a clock pause),
"Foreløpig svar sendt" and "Frist forlenget" (with `forlenget_dager` on its own row), and a hidden staff
shortage: "Faglig vurdering" is a first-come-first-served queue whose capacity falls in four months, so a
backlog builds there and drains after. `truth["deadline"]` holds the log's deadline table as TOML, the
planted delay, and per-case outcomes measured on the events (open cases: as they end in the simulation).
Its draws come from a stream of their own (`[seed, 18]`): without the option the log is byte-identical to
before, and with it the main stream's draws are the same. `queue_capacity` multiplies the queue's capacity;
`truth["queue_capacity"]` then holds its effect on lead times against the same seed at capacity 1.
"""
from __future__ import annotations

import json
import math
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import holidays
import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from saksflyt.extractors.errors import InputError

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


@dataclass(frozen=True)
class Generated:
    """A generated log and its ground truth.

    `events` has the columns of COLUMNS (DEADLINE_COLUMNS with deadlines), one row per event in case and
    time order: times tz-aware Europe/Oslo (`start` NaT for instantaneous events), repeated texts as
    categoricals, `kommentar` str.
    """

    events: pd.DataFrame
    truth: dict


# --- office-time arithmetic on local wall-clock seconds since 1970 -------------------------------------


def _office_index(t: np.ndarray, hol: np.ndarray) -> np.ndarray:
    """Office seconds from the origin to local time t; times outside office hours count as the next opening."""
    day = (t // _DAY).astype("datetime64[D]")
    before = np.busday_count(_ORIGIN, day, holidays=hol).astype(np.int64)
    inside = np.clip(t % _DAY - OPEN_S, 0, OFFICE_DAY_S) * np.is_busday(day, holidays=hol)
    return before * OFFICE_DAY_S + inside


def _from_office_index(b: np.ndarray, hol: np.ndarray) -> np.ndarray:
    day = np.busday_offset(_ORIGIN, b // OFFICE_DAY_S, roll="forward", holidays=hol).astype(np.int64)
    return day * _DAY + OPEN_S + b % OFFICE_DAY_S


def _next_busday(day: np.ndarray, hol: np.ndarray, offset: int = 1) -> np.ndarray:
    return np.busday_offset(day.astype("datetime64[D]"), offset, roll="forward", holidays=hol).astype(np.int64)


def _place(ready: np.ndarray, dur: np.ndarray, rng: np.random.Generator, hol: np.ndarray):
    """Start at the first office moment at or after `ready` where the whole step fits in the day.

    Steps never run overnight, so end − start is the real processing time; a few run into overtime.
    """
    t = _from_office_index(_office_index(ready, hol), hol)
    moved = t != ready
    t = np.where(moved, t + rng.integers(0, 25 * 60, t.size), t)  # picked up a little after opening
    close = np.where(rng.random(t.size) < OVERTIME_SHARE, OVERTIME_CLOSE_S, CLOSE_S)
    fits = t % _DAY + dur <= close
    later = _next_busday(t // _DAY, hol) * _DAY + OPEN_S + rng.integers(0, 25 * 60, t.size)
    start = np.where(fits, t, later)
    return start, start + dur


def _lognormal(rng: np.random.Generator, *, median: float, sigma: float, size: int) -> np.ndarray:
    return rng.lognormal(np.log(median), sigma, size)


def _holidays(first_year: int, last_year: int) -> np.ndarray:
    days = holidays.Norway(years=range(first_year, last_year + 1))
    return np.array(sorted(days), dtype="datetime64[D]")


def _dst_days(first_day: int, last_day: int) -> tuple[np.ndarray, np.ndarray]:
    """Local day numbers of spring-forward and fall-back days between two day numbers (inclusive)."""
    days = np.arange(first_day, last_day + 2)
    naive = pd.DatetimeIndex((days * _DAY).astype("datetime64[s]"))
    offset = (naive - naive.tz_localize(TZ).tz_convert(None)).total_seconds().to_numpy()
    change = np.diff(offset)
    return days[:-1][change > 0], days[:-1][change < 0]


def _in_spring_gap(t: np.ndarray, spring: np.ndarray) -> np.ndarray:
    tod = t % _DAY
    return np.isin(t // _DAY, spring) & (tod >= 2 * 3600) & (tod < 3 * 3600)


# --- case attributes ---------------------------------------------------------------------------------


def _fodselsnummer(rng: np.random.Generator, n: int) -> np.ndarray:
    """n valid fødselsnumre (born 1940–1999): date digits, individnummer 000–499, both mod-11 checks."""
    born = np.datetime64("1940-01-01") + rng.integers(0, 60 * 365, n).astype("timedelta64[D]")
    y = born.astype("datetime64[Y]").astype(np.int64) + 1970
    m = born.astype("datetime64[M]").astype(np.int64) % 12 + 1
    d = (born - born.astype("datetime64[M]")).astype(np.int64) + 1
    digits = np.zeros((n, 11), dtype=np.int64)
    digits[:, 0], digits[:, 1] = d // 10, d % 10
    digits[:, 2], digits[:, 3] = m // 10, m % 10
    digits[:, 4], digits[:, 5] = (y % 100) // 10, y % 10
    todo = np.ones(n, dtype=bool)
    w1 = np.array([3, 7, 6, 1, 8, 9, 4, 5, 2])
    w2 = np.array([5, 4, 3, 2, 7, 6, 5, 4, 3, 2])
    while todo.any():  # about a sixth of individnumre give a check digit of 10: draw those again
        idx = np.flatnonzero(todo)
        ind = rng.integers(0, 500, idx.size)
        digits[idx, 6], digits[idx, 7], digits[idx, 8] = ind // 100, ind // 10 % 10, ind % 10
        k1 = (11 - digits[idx, :9] @ w1 % 11) % 11
        digits[idx, 9] = k1
        k2 = (11 - digits[idx, :10] @ w2 % 11) % 11
        digits[idx, 10] = k2
        todo[idx] = (k1 == 10) | (k2 == 10)
    value = digits @ (10 ** np.arange(10, -1, -1, dtype=np.int64))
    return np.strings.zfill(value.astype(str), 11)


def _saksnr(arrival: np.ndarray) -> np.ndarray:
    """`2024/00123`: arrival year and running number within the year (arrivals are sorted)."""
    year = (arrival.astype("datetime64[s]").astype("datetime64[Y]").astype(np.int64) + 1970)
    first = np.searchsorted(year, year, side="left")
    seq = np.arange(year.size) - first + 1
    return np.strings.add(np.strings.add(year.astype(str), "/"), np.strings.zfill(seq.astype(str), 5))


# --- the simulation ----------------------------------------------------------------------------------


class _Run:
    """One simulation: per-case state (time reached, earliest next start) and the events emitted so far."""

    def __init__(self, rng: np.random.Generator, hol: np.ndarray, arrival: np.ndarray) -> None:
        self.rng = rng
        self.hol = hol
        self.cur = arrival.copy()
        self.not_before = np.zeros(arrival.size, dtype=np.int64)
        self.parts: list[tuple[int, np.ndarray, np.ndarray | None, np.ndarray, np.ndarray]] = []

    def emit(self, act: str, idx: np.ndarray, start: np.ndarray | None, end: np.ndarray, res) -> None:
        res = np.broadcast_to(np.asarray(res, dtype=np.int64), idx.shape)
        self.parts.append((_ACT[act], idx, start, end, res))
        self.cur[idx] = end

    def person(self, act: str, mask: np.ndarray, res, *, rng: np.random.Generator | None = None,
               hold: bool = True, queue: Callable[[np.ndarray], np.ndarray] | None = None) -> None:
        """A staff step after a lognormal office-hours wait; `rng` another stream for its draws.

        `hold=False` ignores the earliest-next-start (the hearing); `queue` maps the times the cases are
        ready to the times their turn comes.
        """
        rng = self.rng if rng is None else rng
        idx = np.flatnonzero(mask)
        res = res[idx] if isinstance(res, np.ndarray) else res
        wait = _lognormal(rng, median=WAIT_OFFICE_HOURS[act] * 3600, sigma=WAIT_SIGMA, size=idx.size)
        ready = _from_office_index(_office_index(self.cur[idx], self.hol) + wait.astype(np.int64), self.hol)
        if hold:
            ready = np.maximum(ready, self.not_before[idx])
        if queue is not None:
            ready = queue(ready)
        start, end = _place(ready, self.durations(act, idx.size, MAX_STEP_S, rng), rng, self.hol)
        self.emit(act, idx, start, end, res)

    def meeting(self, mask: np.ndarray, res: np.ndarray, thursdays: np.ndarray,
                twice: tuple[np.ndarray, np.ndarray] | None = None) -> None:
        """Vedtak fattet: only in the Thursday meeting; cases ready after Monday 12:00 wait a week more.

        `twice` = (changed cases, Tuesday-and-Thursday meeting days): after a planted change those cases
        go to the first of two weekly meetings whose agenda closes three days before, at 12:00 (for the
        Thursday meeting that is the same Monday deadline). The random draws are the same either way.
        """
        idx = np.flatnonzero(mask)
        ready = self.cur[idx]
        day = ready // _DAY
        monday = day - (day + 3) % 7  # day 0 (1970-01-01) was a Thursday
        wanted = np.where(ready <= monday * _DAY + AGENDA_DEADLINE_S, monday + 3, monday + 10)
        meet = thursdays[np.searchsorted(thursdays, wanted)]
        if twice is not None:
            changed, days = twice[0][idx], twice[1]
            earliest = -((AGENDA_DEADLINE_S - ready) // _DAY) + 3  # ceil((ready − 12:00) / day) + 3
            meet = np.where(changed, days[np.searchsorted(days, earliest)], meet)
        start = meet * _DAY + MEETING_START_S + self.rng.integers(0, 100 * 60, idx.size)
        dur = self.durations(FATTET, idx.size, meet * _DAY + MEETING_END_S - start)
        self.emit(FATTET, idx, start, start + dur, res[idx])

    def durations(self, act: str, size: int, longest, rng: np.random.Generator | None = None) -> np.ndarray:
        """Processing seconds: lognormal with the planted mean, at least a minute, at most `longest`."""
        mean = NORM_MINUTES[act] * 60
        rng = self.rng if rng is None else rng
        dur = rng.lognormal(np.log(mean) - PROCESSING_SIGMA**2 / 2, PROCESSING_SIGMA, size)
        return np.rint(np.clip(dur, 60, longest)).astype(np.int64)


def _simulate(rng: np.random.Generator, n: int, start: date, change_at: date | None = None,
              dl: np.random.Generator | None = None, queue_capacity: float = 1.0):
    """`dl`: the deadlines variant, drawing its own randomness from this stream (the main one is unchanged);
    `queue_capacity` multiplies its staff queue's capacity (the queue draws nothing, so the draws are the same)."""
    first_day = int(np.datetime64(start, "D").astype(np.int64))
    span = ARRIVAL_WEEKS * 7
    hol = _holidays(start.year - 1, start.year + 6)
    spring, autumn = _dst_days(first_day, first_day + span - 1)

    # Arrivals: mostly working days and daytime (the portal is open around the clock).
    days = first_day + np.arange(span)
    weight = np.where(np.is_busday(days.astype("datetime64[D]"), holidays=hol), 1.0, 0.2)
    day = rng.choice(days, size=n, p=weight / weight.sum())
    daytime = rng.random(n) < 0.8
    tod = np.where(daytime, rng.normal(12.5 * 3600, 2.5 * 3600, n), rng.uniform(0, _DAY, n))
    arrival = day * _DAY + np.clip(tod, 0, _DAY - 1).astype(np.int64)
    arrival = np.where(_in_spring_gap(arrival, spring), arrival + 3600, arrival)
    first_fold = np.ones(n, dtype=bool)  # in the fall-back hour: the first (summer-time) occurrence
    # A few submissions on the switch nights themselves, both occurrences of the repeated hour included.
    planted = [(d, s, True) for d in spring for s in (1 * 3600 + 40 * 60, 3 * 3600 + 5 * 60, 10 * 3600 + 5 * 60)]
    planted += [(d, s, f) for d in autumn for s, f in ((1 * 3600 + 50 * 60, True), (2 * 3600 + 15 * 60, True),
                                                        (2 * 3600 + 40 * 60, False), (3 * 3600 + 10 * 60, True))]
    if planted and n >= 20 * len(planted):
        who = rng.choice(n, size=len(planted), replace=False)
        arrival[who] = [d * _DAY + s for d, s, _ in planted]
        first_fold[who] = [f for _, _, f in planted]
    order = np.argsort(arrival + np.where(first_fold, 0, 3600), kind="stable")
    arrival, first_fold = arrival[order], first_fold[order]

    # Case attributes.
    tiltak = rng.choice(len(TILTAKSTYPER), size=n, p=TILTAK_P)
    vedlegg = rng.poisson(np.asarray(VEDLEGG_MEAN)[tiltak])
    disp = rng.random(n) < P_DISPENSASJON
    areal_tenths = np.rint(_lognormal(rng, median=1.0, sigma=0.45, size=n)
                           * np.asarray(AREAL_MEDIAN_M2)[tiltak] * 10).astype(np.int64).clip(50)
    naering = tiltak == TILTAKSTYPER.index("naeringsbygg")
    company = naering | ((tiltak == TILTAKSTYPER.index("bruksendring")) & (rng.random(n) < P_COMPANY_BRUKSENDRING))
    p_person_fnr = P_FNR / (1 - TILTAK_P[3] - TILTAK_P[4] * P_COMPANY_BRUKSENDRING)
    has_fnr = ~company & (rng.random(n) < p_person_fnr)
    first_name = rng.integers(0, len(_FIRST_NAMES), n)
    last_name = rng.integers(0, len(_LAST_NAMES), n)
    suffix = rng.integers(0, len(_COMPANY_SUFFIX), n)
    fnr = _fodselsnummer(rng, int(has_fnr.sum()))
    gnr, bnr = rng.integers(1, 250, n), rng.integers(1, 900, n)

    # Who does what, and the planted decisions.
    handler = rng.choice(len(SAKSBEHANDLERE), size=n)
    habit = np.isin(handler, [SAKSBEHANDLERE.index(c) for c in HABIT_CLERKS])
    arkiv_in = _RES[ARKIV[0]] + rng.integers(0, len(ARKIV), n)
    arkiv_out = _RES[ARKIV[0]] + rng.integers(0, len(ARKIV), n)
    jurist = _RES[JURISTER[0]] + rng.integers(0, len(JURISTER), n)
    leader = _RES[LEDERE[0]] + rng.integers(0, len(LEDERE), n)
    rule = (vedlegg < 3) | (naering & (vedlegg < 5))
    vegvesen = rng.random(n) < np.asarray(VEGVESEN_P)[tiltak]
    ekstra = habit & (rng.random(n) < P_HABIT)
    juridisk = rng.random(n) < P_JURIDISK
    avslag = np.where(juridisk, rng.random(n) < P_AVSLAG_JURIDISK, rng.random(n) < P_AVSLAG)
    loop = rng.random(n) < P_LOOP
    everyone = np.ones(n, dtype=bool)
    if dl is not None:
        gebyr = (np.rint(np.asarray(GEBYR_NOK)[tiltak] * _lognormal(dl, median=1.0, sigma=GEBYR_SIGMA, size=n)
                         / 100) * 100).astype(np.int64)
        forelopig = (vegvesen | disp) & (dl.random(n) < P_FORELOPIG)
        forlenget = dl.random(n) < P_FORLENGET
        forlenget_dager = np.where(forlenget, dl.choice(FORLENGET_DAYS, size=n), 0)
        queue = _staff_queue(start, per_day=_arrivals_per_day(n), capacity=queue_capacity)
    else:
        queue = None

    run = _Run(rng, hol, arrival)
    run.emit(MOTTATT, np.arange(n), None, arrival, _RES[SYSTEM])
    run.person(REGISTRERE, everyone, arkiv_in)
    run.person(VURDERE, everyone, handler)
    if dl is not None:
        run.person(FORELOPIG, forelopig, handler, rng=dl)
    run.person(BE_OM, rule, handler)
    idx = np.flatnonzero(rule)
    got = run.cur[idx] + (np.clip(_lognormal(rng, median=TD_WAIT_DAYS[0], sigma=TD_WAIT_DAYS[1], size=idx.size),
                                  0.5, 60) * _DAY).astype(np.int64)
    got = np.where(_in_spring_gap(got, spring), got + 3600, got)
    run.emit(TD_MOTTATT, idx, None, got, _RES[SYSTEM])
    run.person(NABOVARSEL, disp, handler)
    run.not_before[disp] = run.cur[disp] + HOERING_DAYS * _DAY
    if dl is not None:  # the request goes out with the neighbours' hearing, not after it
        run.person(INNHENTE, vegvesen, handler, rng=dl, hold=False)
    idx = np.flatnonzero(vegvesen)
    days_out = np.clip(_lognormal(rng, median=VEGVESEN_WAIT_DAYS[0], sigma=VEGVESEN_WAIT_DAYS[1],
                                  size=idx.size), 5, 120)
    reply_day = _next_busday((run.cur[idx] + (days_out * _DAY).astype(np.int64)) // _DAY, hol, 0)
    reply = reply_day * _DAY + OPEN_S + 30 * 60 + rng.integers(0, 6 * 3600, idx.size)
    run.emit(VEGVESEN, idx, None, reply, _RES[VEGVESEN_BODY])
    if change_at is None:
        changed = None
        run.person(EKSTRA, ekstra, handler)
    else:
        # The planted change: cases arriving on or after the day skip the needless step. Its random
        # draws are still made for every habit case, so the rest of the log matches the unchanged one.
        changed = arrival >= int(np.datetime64(change_at, "D").astype(np.int64)) * _DAY
        before_cur = run.cur.copy()
        run.person(EKSTRA, ekstra, handler)
        a, idx, st, en, rs = run.parts.pop()
        keep = ~changed[idx]
        run.parts.append((a, idx[keep], st[keep], en[keep], rs[keep]))
        run.cur[changed] = before_cur[changed]
        ekstra = ekstra & ~changed
    run.person(FAGLIG, everyone, handler, queue=queue)
    if dl is not None:
        run.person(FORLENGET, forlenget, handler, rng=dl)
    run.person(JURIDISK, juridisk, jurist)
    run.person(UTARBEIDE, everyone, handler)
    run.person(RETUR, loop, leader)
    run.person(FAGLIG, loop, handler)
    run.person(UTARBEIDE, loop, handler)
    run.meeting(everyone, leader, _meeting_days(first_day, hol),
                None if changed is None else (changed, _meeting_days(first_day, hol, weekdays=(1, 3))))
    run.person(SENDT, everyone, arkiv_out)
    done = run.cur + rng.integers(30, 15 * 60, n)
    run.emit(TILLATELSE, np.flatnonzero(~avslag), None, done[~avslag], _RES[SYSTEM])
    run.emit(AVSLAG, np.flatnonzero(avslag), None, done[avslag], _RES[SYSTEM])

    # The extraction moment: the end of the day by which all but OPEN_SHARE of the cases have closed.
    cut_day = max(int(np.quantile(done, 1 - OPEN_SHARE)) // _DAY, int(arrival.max()) // _DAY)
    extracted = cut_day * _DAY + _DAY - 1

    cases = dict(tiltak=tiltak, vedlegg=vedlegg, disp=disp, areal_tenths=areal_tenths, has_fnr=has_fnr,
                 fnr=fnr, company=company, first_name=first_name, last_name=last_name, suffix=suffix,
                 gnr=gnr, bnr=bnr, arrival=arrival, first_fold=first_fold, rule=rule, juridisk=juridisk,
                 avslag=avslag, loop=loop, habit=habit, vegvesen=vegvesen, changed=changed)
    if dl is not None:
        cases |= dict(gebyr=gebyr, forelopig=forelopig, forlenget=forlenget, forlenget_dager=forlenget_dager)
    return run.parts, cases, extracted, (spring, autumn)


def _month(local_seconds: np.ndarray) -> np.ndarray:
    """Months since 1970-01 of local wall-clock seconds."""
    return (local_seconds // _DAY).astype("datetime64[D]").astype("datetime64[M]").astype(np.int64)


def _delay_months(start: date) -> dict[int, float]:
    """The planted delay: months since 1970-01 → capacity multiple of DELAY_ACTIVITY's queue."""
    first = int(np.datetime64(start, "M").astype(np.int64))
    return {first + k: f for k, f in DELAY_MONTHS.items()}


def _arrivals_per_day(n: int) -> float:
    """Mean cases per calendar day over the arrival period: the unit of the staff queue's capacity."""
    return n / (ARRIVAL_WEEKS * 7)


def _staff_queue(start: date, *, per_day: float, capacity: float = 1.0) -> Callable[[np.ndarray], np.ndarray]:
    """Ready times (local seconds) → when each case's turn comes: first come, first served, one case per
    1 / capacity days, the capacity falling in the delay months; `capacity` multiplies it in every month.
    A loop over cases in arrival order (a queue is sequential by nature; ~0.1 s per 100k cases)."""
    months = _delay_months(start)

    def queue(ready: np.ndarray) -> np.ndarray:
        order = np.argsort(ready, kind="stable")
        month = _month(ready[order])
        multiple = np.array([months.get(int(m), NORMAL_CAPACITY) for m in month]) * capacity
        gap = _DAY / (per_day * multiple)
        turn = np.empty(ready.size, dtype=np.int64)
        free = -(2**62)
        for pos, i in enumerate(order):
            t = max(int(ready[i]), free)
            turn[i] = t
            free = t + int(gap[pos])
        return turn
    return queue


def _meeting_days(first_day: int, hol: np.ndarray, weekdays: tuple[int, ...] = (3,)) -> np.ndarray:
    """Day numbers of the Thursdays with a decision meeting: working days outside the summer holiday.

    `weekdays` (Monday = 0) gives other meeting days, e.g. (1, 3) for Tuesday and Thursday.
    """
    if weekdays == (3,):
        first_thursday = first_day + (3 - (first_day + 3) % 7) % 7
        thursdays = np.arange(first_thursday, first_day + 6 * 366, 7)
    else:
        span = np.arange(first_day, first_day + 6 * 366)
        thursdays = span[np.isin((span + 3) % 7, weekdays)]
    d = thursdays.astype("datetime64[D]")
    week = pd.DatetimeIndex(d).isocalendar().week.to_numpy()
    return thursdays[np.is_busday(d, holidays=hol) & ~np.isin(week, NO_MEETING_WEEKS)]


# --- assembly ----------------------------------------------------------------------------------------


def _names(cases: dict) -> tuple[np.ndarray, list[str]]:
    """Applicant name codes and categories: people for most, companies for næringsbygg and some others."""
    nf, nl, ns = len(_FIRST_NAMES), len(_LAST_NAMES), len(_COMPANY_SUFFIX)
    people = [f"{f} {l}" for f in _FIRST_NAMES for l in _LAST_NAMES]
    firms = [f"{l} {s}" for l in _LAST_NAMES for s in _COMPANY_SUFFIX]
    code = np.where(cases["company"], nf * nl + cases["last_name"] * ns + cases["suffix"],
                    cases["first_name"] * nl + cases["last_name"])
    return code, people + firms


def _comments(rng: np.random.Generator, act: np.ndarray, case: np.ndarray, seq: np.ndarray,
              saksnr: np.ndarray, cases: dict) -> tuple[pd.Series, int]:
    """Free text on some rows: a phrase for the activity and, mostly, a journal reference unique to the row.

    Returns the column and how many of its rows carry a fødselsnummer.
    """
    n = act.size
    kind = np.array([RESOURCE_KIND[a] for a in DEADLINE_ACTIVITIES])[act]
    p = np.select([kind == "person", kind == "external"], [COMMENT_P["person"], COMMENT_P["external"]],
                  COMMENT_P["system"])
    rows = np.flatnonzero(rng.random(n) < p)
    count = np.array([len(_COMMENTS[a]) for a in DEADLINE_ACTIVITIES])
    offset = np.concatenate([[0], np.cumsum(count)[:-1]])
    a = act[rows]
    c = case[rows]
    person = kind[rows] == "person"
    pick = offset[a] + (rng.random(rows.size) * count[a]).astype(np.int64)
    tail = rng.random(rows.size)
    with_fnr = person & cases["has_fnr"][c] & (rng.random(rows.size) < P_FNR_IN_COMMENT)

    join = pc.binary_join_element_wise
    text = pa.array([s for a in DEADLINE_ACTIVITIES for s in _COMMENTS[a]]).take(pa.array(pick))
    ref = join(" (jp. ", pa.array(saksnr, type=pa.string()).take(pa.array(c)), "-",
               pa.array(seq[rows] + 1).cast(pa.string()), ")", "")
    text = pc.if_else(pa.array(tail < 0.8), join(text, ref, ""), text)
    gb = join(" Gjelder gnr. ", pa.array(cases["gnr"][c]).cast(pa.string()), "/bnr. ",
              pa.array(cases["bnr"][c]).cast(pa.string()), ".", "")
    text = pc.if_else(pa.array((tail > 0.5) & person), join(text, gb, ""), text)
    # A fødselsnummer in free text, as clerks sometimes write one: the store must pseudonymise it too.
    fnr_pos = np.cumsum(cases["has_fnr"]) - 1
    fnr = pa.array(cases["fnr"], type=pa.string()).take(pa.array(np.where(with_fnr, fnr_pos[c], 0)))
    text = pc.if_else(pa.array(with_fnr), join(text, " Søker ringte og oppga fødselsnummer ", fnr, ".", ""), text)
    where = np.zeros(n, dtype=np.int64)
    where[rows] = np.arange(rows.size)
    missing = np.ones(n, dtype=bool)
    missing[rows] = False
    column = text.take(pa.array(where, mask=missing))
    return pd.Series(column, dtype=pd.StringDtype("pyarrow", na_value=np.nan)), int(with_fnr.sum())


def generate(*, cases: int, seed: int = 7, start: date = date(2023, 1, 2), change_at: date | None = None,
             deadlines: bool = False, queue_capacity: float = 1.0) -> Generated:
    """A byggesak log of `cases` cases starting on `start`, and the truth of what was planted in it.

    `change_at` plants a process change: cases arriving on or after that (local) day skip
    "Ekstra kontroll" and go to a decision meeting held twice a week (Tuesday and Thursday); the truth
    then has a `change` key with the realised numbers before and after. `deadlines` gives the statutory
    deadlines variant (see the module docstring); the truth then has a `deadline` key. `queue_capacity`
    (deadlines only) multiplies the capacity of the staff queue before Faglig vurdering in every month;
    other than 1, the truth gets a `queue_capacity` key with its effect against the same seed at 1.
    """
    if cases < 1:
        raise InputError(f"cases must be at least 1, got {cases}")
    if not (math.isfinite(queue_capacity) and queue_capacity > 0):
        raise InputError(f"queue capacity must be a finite number above 0, got {queue_capacity}")
    if queue_capacity != 1.0 and not deadlines:
        raise InputError("a queue capacity other than 1 needs the deadlines variant (the queue before "
                         f"{DELAY_ACTIVITY} is part of it)")
    rng = np.random.default_rng(seed)

    def deadline_stream() -> np.random.Generator | None:
        return np.random.default_rng([seed, DEADLINE_STREAM]) if deadlines else None

    parts, c, extracted, (spring, autumn) = _simulate(rng, cases, start, change_at, deadline_stream(),
                                                      queue_capacity)
    activities = DEADLINE_ACTIVITIES if deadlines else ACTIVITIES

    act = np.concatenate([np.full(p[1].size, p[0], dtype=np.int64) for p in parts])
    case = np.concatenate([p[1] for p in parts])
    end = np.concatenate([p[3] for p in parts])
    start_ = np.concatenate([p[2] if p[2] is not None else np.full(p[1].size, -1, dtype=np.int64) for p in parts])
    res = np.concatenate([p[4] for p in parts])
    keep = end <= extracted
    order = np.flatnonzero(keep)[np.argsort(case[keep], kind="stable")]  # parts are in process order
    act, case, end, start_, res = act[order], case[order], end[order], start_[order], res[order]
    has_start = start_ >= 0
    first = np.r_[True, case[1:] != case[:-1]]
    seq = np.arange(case.size) - np.maximum.accumulate(np.where(first, np.arange(case.size), 0))

    fold = np.where(act == _ACT[MOTTATT], c["first_fold"][case], True)
    end_ts = pd.DatetimeIndex(end.astype("datetime64[s]").astype("datetime64[us]")).tz_localize(
        TZ, ambiguous=fold, nonexistent="raise")
    st = np.where(has_start, start_, 0).astype("datetime64[s]").astype("datetime64[us]")
    st[~has_start] = np.datetime64("NaT")
    start_ts = pd.DatetimeIndex(st).tz_localize(TZ, ambiguous=np.ones(case.size, dtype=bool), nonexistent="raise")

    saksnr = _saksnr(c["arrival"])
    comments, fnr_in_text = _comments(rng, act, case, seq, saksnr, c)
    name_code, name_categories = _names(c)
    fnr_codes = np.full(cases, -1, dtype=np.int64)
    fnr_categories, fnr_inverse = np.unique(c["fnr"], return_inverse=True)
    fnr_codes[c["has_fnr"]] = fnr_inverse
    events = pd.DataFrame({
        "saksnr": pd.Categorical.from_codes(case, categories=pd.Index(saksnr.astype(object), dtype="str")),
        "aktivitet": pd.Categorical.from_codes(act, categories=activities),
        "start": start_ts,
        "slutt": end_ts,
        "saksbehandler": pd.Categorical.from_codes(res, categories=RESOURCES),
        "tiltakstype": pd.Categorical.from_codes(c["tiltak"][case], categories=TILTAKSTYPER),
        "vedlegg_antall": c["vedlegg"][case].astype(np.int64),
        "dispensasjon": pd.Categorical.from_codes(c["disp"][case].astype(np.int64), categories=["nei", "ja"]),
        "areal_m2": c["areal_tenths"][case] / 10.0,
        "soker_fnr": pd.Categorical.from_codes(fnr_codes[case],
                                               categories=pd.Index(fnr_categories.astype(object), dtype="str")),
        "soker_navn": pd.Categorical.from_codes(name_code[case], categories=name_categories),
        "kommentar": comments,
    })
    if deadlines:
        ext = act == _ACT[FORLENGET]
        events.insert(len(COLUMNS) - 1, "gebyr", c["gebyr"][case])
        events.insert(len(COLUMNS), "avkjorsel", pd.Categorical.from_codes(c["vegvesen"][case].astype(np.int64),
                                                                         categories=["nei", "ja"]))
        events.insert(len(COLUMNS) + 1, "forlenget_dager",  # on the extension's own row only
                      pd.arrays.IntegerArray(np.where(ext, c["forlenget_dager"][case], 0).astype(np.int64), ~ext))
    utc_end = end_ts.asi8 // 1_000_000
    utc_start = np.where(has_start, start_ts.asi8 // 1_000_000, -1)
    truth = _truth(seed=seed, start=start, c=c, act=act, case=case, has_start=has_start, utc_start=utc_start,
                   utc_end=utc_end, end_local=end, res=res, extracted=extracted, spring=spring, autumn=autumn,
                   fnr_in_text=fnr_in_text, activities=activities, columns=tuple(events.columns),
                   case_attributes=DEADLINE_CASE_ATTRIBUTES if deadlines else CASE_ATTRIBUTES)
    if deadlines:
        truth["deadline"] = _deadline_truth(c, saksnr, start, act=act, case=case, end_local=end, end_utc=utc_end,
                                            start_local=start_, full=parts, queue_capacity=queue_capacity)
    if change_at is not None:
        truth["change"] = _change_truth(change_at, c["changed"], act=act, case=case, has_start=has_start,
                                        utc_start=utc_start, utc_end=utc_end)
        # The same cases without the change (same seed, same draws): the change's own effect on them.
        unchanged, _, _, _ = _simulate(np.random.default_rng(seed), cases, start, None, deadline_stream(),
                                       queue_capacity)
        with_, without = _full_cases(parts, cases), _full_cases(unchanged, cases)
        after = c["changed"]
        truth["change"]["effect_on_changed_cases"] = {
            "cases": int(after.sum()),
            "median_lead_time_days": _with_without(np.median(with_[0][after]), np.median(without[0][after])),
            "mean_processing_hours_per_case": _with_without(with_[1][after].mean(), without[1][after].mean()),
            "definition": _FULL_CASES_DEFINITION,
        }
    if queue_capacity != 1.0:
        # The same seed at the normal capacity (the queue draws nothing): the capacity change's own effect.
        normal, _, _, _ = _simulate(np.random.default_rng(seed), cases, start, change_at, deadline_stream())
        truth["queue_capacity"] = _queue_capacity_truth(queue_capacity, start, cases, parts, normal)
    return Generated(events=events, truth=truth)


def cases_for_events(events: int, *, seed: int = 7, start: date = date(2023, 1, 2), deadlines: bool = False,
                     queue_capacity: float = 1.0) -> int:
    """The case count that gives about `events` events, measured on a pilot run."""
    if events < 1:
        raise InputError(f"events target must be at least 1, got {events}")
    pilot = generate(cases=4000, seed=seed, start=start, deadlines=deadlines,
                     queue_capacity=queue_capacity).truth["counts"]
    return max(1, round(events / (pilot["events"] / pilot["cases"])))


# --- the truth ---------------------------------------------------------------------------------------


def _iso(local_seconds: int, *, first_fold: bool = True) -> str:
    ts = pd.Timestamp(int(local_seconds), unit="s").tz_localize(TZ, ambiguous=first_fold)
    return ts.isoformat()


def _r(x: float, digits: int = 4) -> float:
    return round(float(x), digits)


def _truth(*, seed, start, c, act, case, has_start, utc_start, utc_end, end_local, res, extracted, spring,
           autumn, fnr_in_text, activities=ACTIVITIES, columns=COLUMNS, case_attributes=CASE_ATTRIBUTES) -> dict:
    acts = activities
    n = c["arrival"].size
    n_act = len(acts)
    closed = np.zeros(n, dtype=bool)
    closed[case[(act == _ACT[TILLATELSE]) | (act == _ACT[AVSLAG])]] = True
    has = np.zeros((n, n_act), dtype=bool)
    has[case, act] = True

    proc = np.where(has_start, utc_end - utc_start, 0)
    first = np.r_[True, case[1:] != case[:-1]]
    prev_end = np.r_[0, utc_end[:-1]]
    wait = np.where(first, 0, np.where(has_start, utc_start, utc_end) - prev_end)
    n_events = np.bincount(act, minlength=n_act)
    proc_h = np.bincount(act, weights=proc, minlength=n_act) / 3600
    wait_h = np.bincount(act, weights=wait, minlength=n_act) / 3600
    activities = {}
    for i, a in enumerate(acts):
        activities[a] = {
            "resource_kind": RESOURCE_KIND[a],
            "planted_mean_processing_minutes": NORM_MINUTES.get(a, 0.0),
            "planted_median_wait_office_hours": WAIT_OFFICE_HOURS.get(a),
            "events": int(n_events[i]),
            "cases": int(has[:, i].sum()),
            "processing_hours": _r(proc_h[i]),
            "mean_processing_minutes": _r(proc_h[i] * 60 / n_events[i]) if n_events[i] else 0.0,
            "waiting_hours": _r(wait_h[i]),
            "mean_waiting_hours": _r(wait_h[i] / n_events[i]) if n_events[i] else 0.0,
        }
    person = [i for i, a in enumerate(acts) if RESOURCE_KIND[a] == "person"]
    worst_internal = acts[max(person, key=lambda i: wait_h[i])]
    worst_any = acts[int(np.argmax(wait_h))]

    def share(mask: np.ndarray, of: np.ndarray) -> float:
        return _r(mask[of].mean()) if of.any() else 0.0

    def a(name: str) -> np.ndarray:
        return has[:, _ACT[name]]

    avslag_real = a(AVSLAG)
    mandatory = [x for x in acts if closed.any() and a(x)[closed].all()]
    rule = c["rule"]
    in_meeting = act == _ACT[FATTET]
    local_day = end_local // 86400
    dst_days = {str(np.datetime64(int(d), "D")): ("spring_forward" if d in spring else "fall_back")
                for d in np.concatenate([spring, autumn])}
    dst_events = {day: int((local_day == np.datetime64(day, "D").astype(np.int64)).sum()) for day in dst_days}
    loop_cases = a(RETUR)
    habit_idx = [_RES[h] for h in HABIT_CLERKS]
    ekstra_res = res[act == _ACT[EKSTRA]]
    first_arrival = int(c["arrival"].argmin())
    return {
        "generator": {"name": "saksflyt byggesak", "version": 1, "seed": seed, "start": start.isoformat(),
                      "cases": n},
        "format": {
            "columns": list(columns), "delimiter": ";", "decimal_separator": ",", "encoding": "utf-8",
            "timezone": TZ, "timestamps": "ISO-8601 with offset; start is empty for instantaneous events",
            "roles": {"case_id": "saksnr", "activity": "aktivitet", "start": "start", "end": "slutt",
                      "resource": "saksbehandler"},
            "case_attributes": list(case_attributes),
            "system_resources": [SYSTEM], "external_resources": [VEGVESEN_BODY],
        },
        "definitions": {
            "processing_time": "slutt - start of events that have a start",
            "waiting_time": "(start, or slutt when start is empty) minus slutt of the case's previous event",
            "internal": "activities whose resource_kind is person (municipal staff)",
            "closed_case": f"a case with an end activity ({TILLATELSE} or {AVSLAG})",
        },
        "counts": {"cases": n, "events": int(act.size), "closed_cases": int(closed.sum()),
                   "open_cases": int((~closed).sum()), "open_case_share": _r((~closed).mean())},
        "time_span": {
            "first_event": _iso(int(c["arrival"][first_arrival]), first_fold=bool(c["first_fold"][first_arrival])),
            "last_event": _iso(int(end_local.max())),
            "extracted_at": _iso(int(extracted)),
            "timezone": TZ,
            "dst_switch_days": dst_days,
            "events_on_dst_switch_days": dst_events,
        },
        "office_hours": {"weekdays": "Monday-Friday except Norwegian public holidays", "start": "08:00",
                         "end": "15:45", "overtime_until": "16:30", "planted_overtime_share": OVERTIME_SHARE},
        "start_activities": [MOTTATT],
        "end_activities": [TILLATELSE, AVSLAG],
        "mandatory_activities": {"activities": mandatory, "scope": "closed_cases"},
        "activities": activities,
        "rule_based_step": {
            "activity": BE_OM,
            "rule": {"any": [
                [{"attribute": "vedlegg_antall", "op": "<", "value": 3}],
                [{"attribute": "tiltakstype", "op": "==", "value": "naeringsbygg"},
                 {"attribute": "vedlegg_antall", "op": "<", "value": 5}],
            ]},
            "pandas_query": "vedlegg_antall < 3 or (tiltakstype == 'naeringsbygg' and vedlegg_antall < 5)",
            "sql": "vedlegg_antall < 3 OR (tiltakstype = 'naeringsbygg' AND vedlegg_antall < 5)",
            "decided_after": VURDERE,
            "followed_by": TD_MOTTATT,
            "exact_in": "closed_cases",
            "note": "in open cases the step may not have happened yet, but never occurs without the rule",
            "closed_cases_with_rule": int((rule & closed).sum()),
            "closed_cases_with_step": int((a(BE_OM) & closed).sum()),
        },
        "attribute_decided_step": {
            "activity": NABOVARSEL, "attribute": "dispensasjon", "value": "ja", "exact_in": "closed_cases",
            "closed_cases_with_step": int((a(NABOVARSEL) & closed).sum()),
        },
        "external_wait": {
            "activity": VEGVESEN, "resource": VEGVESEN_BODY, "resource_kind": "external",
            "planted_probability_by_tiltakstype": dict(zip(TILTAKSTYPER, VEGVESEN_P)),
            "planted_median_wait_days": VEGVESEN_WAIT_DAYS[0],
            "waiting_hours": _r(wait_h[_ACT[VEGVESEN]]),
            "is_largest_total_wait": worst_any == VEGVESEN,
        },
        "needless_step": {
            "activity": EKSTRA, "clerks": list(HABIT_CLERKS), "planted_probability_for_clerks": P_HABIT,
            "depends_on_case_attributes": False, "changes_outcome": False,
            "cases": int(a(EKSTRA).sum()),
            "performed_only_by_clerks": bool(np.isin(ekstra_res, habit_idx).all()),
            "processing_hours": _r(proc_h[_ACT[EKSTRA]]), "waiting_hours": _r(wait_h[_ACT[EKSTRA]]),
        },
        "expert_step": {
            "activity": FAGLIG, "outcome_activities": [TILLATELSE, AVSLAG],
            "outcome_predictable_from_case_attributes": False,
            "planted_outcome_probabilities": {TILLATELSE: 1 - P_AVSLAG, AVSLAG: P_AVSLAG},
            "applies_to": f"cases without {JURIDISK}",
            "realised_avslag_share": share(avslag_real, closed & ~a(JURIDISK)),
            "planted_mean_processing_minutes": NORM_MINUTES[FAGLIG],
        },
        "outcome_changing_step": {
            "activity": JURIDISK, "planted_probability": P_JURIDISK,
            "depends_on_case_attributes": False, "outcome_activity": AVSLAG,
            "planted_avslag_share_with": P_AVSLAG_JURIDISK, "planted_avslag_share_without": P_AVSLAG,
            "realised_avslag_share_with": share(avslag_real, closed & a(JURIDISK)),
            "realised_avslag_share_without": share(avslag_real, closed & ~a(JURIDISK)),
        },
        "rework_loop": {
            "activities": [UTARBEIDE, RETUR, FAGLIG, UTARBEIDE], "marker_activity": RETUR,
            "returns_to": FAGLIG, "max_iterations": 1, "planted_case_share": P_LOOP,
            "realised_cases": int(loop_cases.sum()), "realised_case_share": _r(loop_cases.mean()),
            "realised_case_share_closed": share(loop_cases, closed),
        },
        "bottleneck": {
            "activity": FATTET, "kind": "internal",
            "cause": "decisions only in a weekly meeting; cases ready after Monday 12:00 wait for the next one",
            "meeting": {"weekday": "Thursday", "start": "10:00", "end": "12:00", "timezone": TZ,
                        "agenda_deadline": "Monday 12:00", "no_meeting_iso_weeks": list(NO_MEETING_WEEKS),
                        "none_on_public_holidays": True},
            "waiting_hours": _r(wait_h[_ACT[FATTET]]),
            "mean_waiting_hours": activities[FATTET]["mean_waiting_hours"],
            "is_largest_internal_wait": worst_internal == FATTET,
            "events": int(in_meeting.sum()),
        },
        "personal_data": {
            "columns": ["saksbehandler", "soker_navn", "soker_fnr"],
            "soker_fnr_cases": int(c["has_fnr"].sum()), "soker_fnr_share": _r(c["has_fnr"].mean()),
            "kommentar_rows_with_fnr": fnr_in_text,
            "free_text_columns": ["kommentar"],
        },
    }


_FULL_CASES_DEFINITION = ("every simulated event, also those after extraction; lead time from arrival to the "
                         "last event (local clock)")


def _full_cases(parts: list, n: int) -> tuple[np.ndarray, np.ndarray]:
    """Per case, from every simulated event: lead days (first to last moment) and processing hours."""
    first = np.full(n, np.iinfo(np.int64).max)
    last = np.zeros(n, dtype=np.int64)
    proc = np.zeros(n)
    for _a, idx, st, en, _r_ in parts:
        np.minimum.at(first, idx, en if st is None else st)
        np.maximum.at(last, idx, en)
        if st is not None:
            np.add.at(proc, idx, (en - st) / 3600)
    return (last - first) / _DAY, proc


def _wait_before_first(parts: list, n: int, activity: str) -> np.ndarray:
    """Per case, from every simulated event: days from the latest end of the case's earlier events to the
    start of its first `activity` (parts are in process order); NaN where the case has none."""
    last = np.full(n, np.iinfo(np.int64).min)
    wait = np.full(n, np.nan)
    for a, idx, st, en, _r_ in parts:
        if a == _ACT[activity]:
            todo = np.isnan(wait[idx])
            wait[idx[todo]] = ((en if st is None else st)[todo] - last[idx[todo]]) / _DAY
        np.maximum.at(last, idx, en)
    return wait


def _with_without(with_: float, without: float) -> dict:
    return {"with": _r(with_), "without": _r(without), "difference": _r(with_ - without)}


def _queue_capacity_truth(factor: float, start: date, n: int, parts: list, normal: list) -> dict:
    """The queue's capacity in this run, and its effect on all cases against the same seed at capacity 1."""
    per_day = _arrivals_per_day(n)
    (lead, proc), (lead0, proc0) = _full_cases(parts, n), _full_cases(normal, n)
    wait, wait0 = _wait_before_first(parts, n, DELAY_ACTIVITY), _wait_before_first(normal, n, DELAY_ACTIVITY)
    return {
        "activity": DELAY_ACTIVITY, "factor": float(factor),
        "applies_to": f"the first {DELAY_ACTIVITY} of every case (the first-come-first-served staff queue)",
        "mean_arrivals_per_day": _r(per_day),
        "normal_capacity_per_day": _r(NORMAL_CAPACITY * factor * per_day),
        "delay_capacity_per_day": {str(np.datetime64(m, "M")): _r(f * factor * per_day)
                                   for m, f in sorted(_delay_months(start).items())},
        "effect": {
            "cases": n,
            "median_lead_time_days": _with_without(np.median(lead), np.median(lead0)),
            "p90_lead_time_days": _with_without(np.quantile(lead, 0.9), np.quantile(lead0, 0.9)),
            "mean_lead_time_days": _with_without(lead.mean(), lead0.mean()),
            "mean_processing_hours_per_case": _with_without(proc.mean(), proc0.mean()),
            "mean_wait_days_before_first_faglig_vurdering": _with_without(np.nanmean(wait), np.nanmean(wait0)),
            "definition": f"all cases; {_FULL_CASES_DEFINITION}; wait: the first {DELAY_ACTIVITY}'s start minus "
                          f"the latest end of the case's earlier events; without: the same seed at queue "
                          f"capacity 1",
        },
    }


def _change_truth(change_at: date, changed: np.ndarray, *, act, case, has_start, utc_start, utc_end) -> dict:
    """The planted change and what it realised: cases started before vs on/after the day (events are case-sorted)."""
    n = changed.size
    bounds = np.flatnonzero(np.r_[True, case[1:] != case[:-1]])
    first_end = np.minimum.reduceat(utc_end, bounds)
    last_end = np.maximum.reduceat(utc_end, bounds)
    first_any = np.minimum(first_end, np.minimum.reduceat(np.where(has_start, utc_start, utc_end), bounds))
    closed = np.zeros(n, dtype=bool)
    closed[case[(act == _ACT[TILLATELSE]) | (act == _ACT[AVSLAG])]] = True
    lead_days = (last_end - first_any) / 86400
    proc_h = np.bincount(case, weights=np.where(has_start, utc_end - utc_start, 0), minlength=n) / 3600
    ekstra = np.zeros(n, dtype=bool)
    ekstra[case[act == _ACT[EKSTRA]]] = True
    prev_end = np.r_[0, utc_end[:-1]]
    fattet = act == _ACT[FATTET]
    wait_fattet = (np.where(has_start, utc_start, utc_end) - prev_end)[fattet] / 3600

    def side(mask: np.ndarray) -> dict:
        w = wait_fattet[mask[case[fattet]]]
        return {"cases": int(mask.sum()), "closed_cases": int((mask & closed).sum()),
                "median_lead_time_days": _r(np.median(lead_days[mask & closed])),
                "ekstra_kontroll_cases": int((mask & ekstra).sum()),
                "ekstra_kontroll_case_share": _r((mask & ekstra).sum() / mask.sum()),
                "mean_processing_hours_per_case": _r(proc_h[mask].mean()),
                "vedtak_fattet_events": int(w.size),
                "mean_wait_hours_before_vedtak_fattet": _r(w.mean()),
                "median_wait_hours_before_vedtak_fattet": _r(np.median(w))}

    before, after = side(~changed), side(changed)
    return {
        "at": change_at.isoformat(), "split": "cases by arrival (first event), Europe/Oslo day",
        "removed_activity": EKSTRA,
        "meeting": {"activity": FATTET, "before": ["Thursday"], "after": ["Tuesday", "Thursday"]},
        "before": before, "after": after,
        "realised": {
            "median_lead_time_days_difference": _r(after["median_lead_time_days"] - before["median_lead_time_days"]),
            "mean_wait_hours_before_vedtak_fattet_difference": _r(
                after["mean_wait_hours_before_vedtak_fattet"] - before["mean_wait_hours_before_vedtak_fattet"]),
            "mean_processing_hours_per_case_difference": _r(
                after["mean_processing_hours_per_case"] - before["mean_processing_hours_per_case"]),
        },
        "definitions": {"lead_time": "closed cases, first event (start or completion) to last completion",
                        "wait_before_vedtak_fattet": "its start minus the previous event's completion"},
    }


# --- the deadlines variant's truth -------------------------------------------------------------------


def deadline_toml(log: str = "byggesak") -> str:
    """The deadline table of a `saksflyt mine --config` file for a log made with `deadlines=True`.

    `dispensasjon` and `avkjorsel` are "ja"/"nei" in the log; the clock reads `false` as "nei".
    """
    simple = ", ".join(f'"{t}"' for t in SIMPLE_TILTAK)
    return f"""[logs.{log}.deadline]
clock_start = "{MOTTATT}"
stop = ["{SENDT}"]
pauses = [["{BE_OM}", "{TD_MOTTATT}"], ["{INNHENTE}", "{VEGVESEN}"]]
extensions = {{ activity = "{FORLENGET}", days_attribute = "forlenget_dager" }}
weeks = {DEFAULT_WEEKS}
rules = [{{ if = {{ tiltakstype = [{simple}], dispensasjon = [false], avkjorsel = [false] }}, weeks = {SIMPLE_WEEKS} }}]
refund_per_started_week = {REFUND_PER_STARTED_WEEK}
fee_attribute = "gebyr"

[[logs.{log}.within]]
name = "foreløpig svar"
from = "{MOTTATT}"
to = ["{FORELOPIG}", "{SENDT}"]
days = {PRELIMINARY_REPLY_DAYS}
"""


def _first_per_case(mask: np.ndarray, case: np.ndarray, value: np.ndarray, n: int) -> np.ndarray:
    """Per case the smallest `value` of the rows in `mask`; -1 where the case has none."""
    out = np.full(n, np.iinfo(np.int64).max)
    np.minimum.at(out, case[mask], value[mask])
    return np.where(out == np.iinfo(np.int64).max, -1, out)


def _deadline_outcome(act: np.ndarray, case: np.ndarray, end_local: np.ndarray, end_utc: np.ndarray,
                      ext_days: np.ndarray, weeks: np.ndarray, fee: np.ndarray) -> dict[str, np.ndarray]:
    """Per case, from events alone: clock start, pauses, deadline and decision as local dates (days since 1970).

    A pause runs from a pause-start event's end to the first pause-end event of its pair that ends at or
    after it, in the same case; overlapping pauses count once; paused days are the elapsed (UTC) paused
    seconds rounded up to whole days.
    """
    n = weeks.size
    big = np.int64(10**10)  # above any second count: case * big + time sorts by case, then time
    starts, ends = [], []
    for begin, finish in ((BE_OM, TD_MOTTATT), (INNHENTE, VEGVESEN)):
        b, f = act == _ACT[begin], act == _ACT[finish]
        f_key = np.sort(case[f] * big + end_utc[f])
        b_key = case[b] * big + end_utc[b]
        pos = np.searchsorted(f_key, b_key)
        found = pos < f_key.size
        found[found] = f_key[pos[found]] // big == case[b][found]
        starts.append(b_key[found])
        ends.append(f_key[pos[found]])
    s_key, e_key = np.concatenate(starts), np.concatenate(ends)
    order = np.argsort(s_key, kind="stable")
    s_key, e_key = s_key[order], e_key[order]
    pcase = s_key // big
    reach = np.maximum.accumulate(e_key)  # per case: earlier cases' keys are smaller
    before = np.concatenate([[np.int64(-1)], reach])[:-1]
    covered = np.maximum(0, e_key - np.maximum(s_key, before))
    paused_s = np.bincount(pcase, weights=covered, minlength=n).astype(np.int64)
    paused_days = -(-paused_s // _DAY)
    extension = np.bincount(case, weights=ext_days, minlength=n).astype(np.int64)
    start_day = _first_per_case(act == _ACT[MOTTATT], case, end_local, n) // _DAY
    sent = _first_per_case(act == _ACT[SENDT], case, end_local, n)
    decided = sent >= 0
    decided_day = np.where(decided, sent // _DAY, -1)
    deadline_day = start_day + 7 * weeks + paused_days + extension
    over = decided_day - deadline_day
    weeks_over = np.where(decided & (over > 0), -(-over // 7), 0)
    refund = fee * np.minimum(weeks_over, 4) // 4  # 25 % per started week, at most the whole fee
    return dict(decided=decided, start_day=start_day, decided_day=decided_day, deadline_day=deadline_day,
                paused_days=paused_days, extension_days=extension, in_time=decided & (over <= 0),
                weeks_over=weeks_over, refund=refund)


def _deadline_truth(c: dict, saksnr: np.ndarray, start: date, *, act, case, end_local, end_utc, start_local,
                    full: list, queue_capacity: float = 1.0) -> dict:
    """The deadline table for the log, the planted delay, and per-case outcomes measured on the events."""
    n = c["arrival"].size
    simple = np.isin(c["tiltak"], [TILTAKSTYPER.index(t) for t in SIMPLE_TILTAK]) & ~c["disp"] & ~c["vegvesen"]
    weeks = np.where(simple, SIMPLE_WEEKS, DEFAULT_WEEKS)
    ext = np.where(act == _ACT[FORLENGET], c["forlenget_dager"][case], 0)
    o = _deadline_outcome(act, case, end_local, end_utc, ext, weeks, c["gebyr"])
    done = o["decided"]

    # The whole simulation, events after the extraction moment included: how the open cases will end.
    f_act = np.concatenate([np.full(p[1].size, p[0], dtype=np.int64) for p in full])
    f_case = np.concatenate([p[1] for p in full])
    f_end = np.concatenate([p[3] for p in full])
    f_ext = np.where(f_act == _ACT[FORLENGET], c["forlenget_dager"][f_case], 0)
    f_utc = pd.DatetimeIndex(f_end.astype("datetime64[s]")).tz_localize(  # no pause event is a fold arrival
        TZ, ambiguous=np.ones(f_end.size, dtype=bool), nonexistent="raise").as_unit("s").asi8
    later = _deadline_outcome(f_act, f_case, f_end, f_utc, f_ext, weeks, c["gebyr"])

    # Which cases queued for the delayed step in a delay month (the previous event's end, local time).
    months = _delay_months(start)
    at = np.flatnonzero(act == _ACT[DELAY_ACTIVITY])
    queued = end_local[at - 1]
    in_delay = np.isin(_month(queued), list(months))
    delayed_case = np.zeros(n, dtype=bool)
    delayed_case[case[at[in_delay]]] = True
    wait_h = (start_local[at] - queued) / 3600
    first_at = at[np.r_[True, case[at][1:] != case[at][:-1]]]
    queue = _queue_by_month(end_local[first_at - 1], start_local[first_at]) if at.size else {}

    def median(x: np.ndarray) -> float | None:
        return _r(np.median(x)) if x.size else None

    def month_name(m: int) -> str:
        return str(np.datetime64(int(m), "M"))

    def share(mask: np.ndarray) -> dict:
        m = mask & done
        return {"cases": int(m.sum()), "in_time_share": _r(o["in_time"][m].mean()) if m.any() else None,
                "missed": int((m & ~o["in_time"]).sum())}

    by_weeks = {str(w): share(weeks == w) for w in (SIMPLE_WEEKS, DEFAULT_WEEKS)}
    decided_month = _month(np.where(done, o["decided_day"], 0) * _DAY)
    by_month = {month_name(m): share(decided_month == m) for m in np.unique(decided_month[done])}
    reply = _first_per_case(act == _ACT[FORELOPIG], case, end_local, n)
    never = np.iinfo(np.int64).max // 2
    first_answer = np.minimum(np.where(reply >= 0, reply // _DAY, never), np.where(done, o["decided_day"], never))
    within_ok = first_answer - o["start_day"] <= PRELIMINARY_REPLY_DAYS

    def rows(mask: np.ndarray, out: dict) -> list:
        idx = np.flatnonzero(mask)
        dates = out["deadline_day"][idx].astype("datetime64[D]").astype(str)
        return [[str(k), str(d), bool(t), int(w), int(r)] for k, d, t, w, r in
                zip(saksnr[idx], dates, out["in_time"][idx], out["weeks_over"][idx], out["refund"][idx])]

    return {
        "log": "byggesak",
        "config_toml": deadline_toml(),
        "law": {"deadline": "plan- og bygningsloven § 21-7", "refund": "byggesaksforskriften (SAK10) § 7-6",
                "preliminary_reply": "forvaltningsloven § 11a"},
        "planted": {
            "stream": "numpy default_rng([seed, 18]); the main stream's draws are the plain log's",
            "fee_nok_by_tiltakstype": dict(zip(TILTAKSTYPER, GEBYR_NOK)),
            "fee_variation": f"lognormal sigma {GEBYR_SIGMA}, rounded to whole hundreds",
            "simple_case": "tiltakstype garasje or tilbygg, dispensasjon nei, avkjorsel nei (no Statens vegvesen)",
            "avkjorsel": f"ja exactly in the cases with {VEGVESEN}",
            "weeks": {"simple": SIMPLE_WEEKS, "other": DEFAULT_WEEKS},
            "preliminary_reply": {"activity": FORELOPIG, "after": VURDERE, "probability": P_FORELOPIG,
                                  "applies_to": f"cases with {VEGVESEN} or dispensasjon"},
            "comment_round": {"activity": INNHENTE, "before": VEGVESEN},
            "extension": {"activity": FORLENGET, "after": FAGLIG, "probability": P_FORLENGET,
                          "days": list(FORLENGET_DAYS), "attribute": "forlenget_dager"},
        },
        "delay": {
            "activity": DELAY_ACTIVITY, "cause": "staff shortage: a queue in front of the step",
            "months": [month_name(m) for m in sorted(months)],
            "capacity": {month_name(m): _r(f * queue_capacity) for m, f in sorted(months.items())},
            "normal_capacity": _r(NORMAL_CAPACITY * queue_capacity),
            "applies_to": f"the first {DELAY_ACTIVITY} of every case: a first-come-first-served queue served at "
                          "capacity × the mean daily arrivals (cases per calendar day); the capacity falls in "
                          "the listed months, so a backlog builds there and drains in the months after",
            "visible_in_case_attributes": False,
            "median_wait_hours": {"delay_months": median(wait_h[in_delay]),
                                  "other_months": median(wait_h[~in_delay]),
                                  "definition": f"{DELAY_ACTIVITY} start minus the previous event's end"},
            "mean_cases_waiting_at_noon_by_month": queue,
            "cases_queued_in_delay_months": int(delayed_case.sum()),
        },
        "definitions": {
            "clock_start": f"local date (Europe/Oslo) of {MOTTATT}",
            "pause": "a pause-start event's end to the end of the first following pause-end event of its pair "
                     "in the case; overlapping pauses count once; paused_days = ceil(paused seconds / 86400)",
            "deadline_date": "clock start + 7 * weeks + paused_days + forlenget_dager",
            "decided_date": f"local date of the first {SENDT}",
            "in_time": "decided_date <= deadline_date",
            "weeks_over": "ceil((decided_date - deadline_date) / 7 days) when positive, else 0",
            "refund_nok": "gebyr * min(1, 0.25 * weeks_over)",
            "within": f"local date of the first {FORELOPIG} or {SENDT} at most {PRELIMINARY_REPLY_DAYS} days "
                      f"after the clock start",
            "decided_case": f"a case with {SENDT} in the log (the closed cases)",
            "delay_case": f"a case with a {DELAY_ACTIVITY} whose queue began in a delay month",
        },
        "summary": {
            "decided_cases": int(done.sum()),
            "in_time_share": _r(o["in_time"][done].mean()) if done.any() else None,
            "missed": int((done & ~o["in_time"]).sum()),
            "by_weeks": by_weeks,
            "by_delay": {"delay_months": {"all": share(delayed_case),
                                          **{str(w): share(delayed_case & (weeks == w))
                                             for w in (SIMPLE_WEEKS, DEFAULT_WEEKS)}},
                         "other_months": {"all": share(~delayed_case),
                                          **{str(w): share(~delayed_case & (weeks == w))
                                             for w in (SIMPLE_WEEKS, DEFAULT_WEEKS)}}},
            "by_decision_month": by_month,
            "refund_nok_total": int(o["refund"][done].sum()),
            "fee_nok_total": int(c["gebyr"][done].sum()),
            "cases_paused": int((done & (o["paused_days"] > 0)).sum()),
            "cases_extended": int((done & (o["extension_days"] > 0)).sum()),
            "within": {"name": "foreløpig svar", "cases": int(done.sum()),
                       "met_share": _r(within_ok[done].mean()) if done.any() else None},
        },
        "case_columns": ["saksnr", "deadline_date", "in_time", "weeks_over", "refund_nok"],
        "cases": rows(done, o),
        "open_cases_outcome": {
            "definition": "the open cases as they end in the simulation, events after the extraction moment "
                          "included (the answer a remaining-time predictor is scored against)",
            "cases": rows(~done, later),
        },
    }


def _queue_by_month(queued: np.ndarray, started: np.ndarray) -> dict[str, float]:
    """Mean number of cases waiting at local noon per month: queued at or before noon, not yet started."""
    noon = 12 * 3600
    first = int(queued.min() // _DAY)
    enter = -(-(queued - noon) // _DAY) - first  # first day whose noon is at or after queue entry
    leave = -(-(started - noon) // _DAY) - first  # first day whose noon is at or after the start
    days = int(leave.max()) + 1
    count = np.cumsum(np.bincount(enter, minlength=days + 1) - np.bincount(leave, minlength=days + 1))[:days]
    month = _month((first + np.arange(days)) * _DAY)
    means = np.bincount(month - month[0], weights=count) / np.bincount(month - month[0])
    return {str(np.datetime64(int(month[0] + i), "M")): _r(v, 1) for i, v in enumerate(means) if not np.isnan(v)}


# --- writing -----------------------------------------------------------------------------------------


def truth_path(path: str | Path) -> Path:
    """`byggesak.csv` → `byggesak.truth.json`, next to it."""
    path = Path(path)
    return path.with_name(f"{path.stem}.truth.json")


_OFFSETS = pa.array([f"{h:+03d}:00" for h in range(-12, 15)])


def _quoted(text: pa.Array) -> pa.Array:
    """CSV quoting only where needed: values with the delimiter, a quote or a line break."""
    quoted = pc.binary_join_element_wise('"', pc.replace_substring(text, '"', '""'), '"', "")
    return pc.if_else(pc.match_substring_regex(text, '[;"\r\n]'), quoted, text)


def _csv_field(col: pa.Array) -> pa.Array:
    """One column as CSV text without nulls: local times with offsets, decimal commas, quoting."""
    if pa.types.is_dictionary(col.type):
        col = col.dictionary_decode()
    if pa.types.is_timestamp(col.type):  # 2024-03-31T10:05:00+02:00 (a cast: strftime is ten times slower)
        instant = col.cast(pa.timestamp("s", tz=TZ))
        local = pc.local_timestamp(instant)
        hours = pc.divide(pc.subtract(local.cast(pa.int64()), instant.cast(pa.int64())), 3600)
        text = pc.binary_join_element_wise(pc.replace_substring(local.cast(pa.string()), " ", "T"),
                                           _OFFSETS.take(pc.add(hours, 12)), "")
    elif pa.types.is_floating(col.type):  # one decimal, decimal comma: 39,3
        tenths = pc.round(pc.multiply(col, 10)).cast(pa.int64())
        text = pc.binary_join_element_wise(pc.divide(tenths, 10).cast(pa.string()), ",",
                                           pc.remainder(tenths, 10).cast(pa.string()), "")
    elif pa.types.is_integer(col.type):
        text = col.cast(pa.string())
    else:
        text = _quoted(col.cast(pa.string()))
    return pc.fill_null(text, "")


def _csv_chunk(part: pd.DataFrame) -> memoryview:
    """A batch of rows as the bytes of its CSV lines, joined column-wise in Arrow, not row by row."""
    table = pa.Table.from_pandas(part, preserve_index=False).combine_chunks()
    fields = [_csv_field(table.column(name).chunk(0)) for name in part.columns]
    lines = pc.binary_join_element_wise(pc.binary_join_element_wise(*fields, ";"), pa.scalar("\n"), "")
    # The lines have no nulls, so the array's data buffer is the text of the lines back to back.
    _, offsets, data = lines.buffers()
    bounds = np.frombuffer(offsets, dtype=np.int32)[lines.offset:lines.offset + len(lines) + 1]
    return memoryview(data)[bounds[0]:bounds[-1]] if len(lines) else memoryview(b"")


def write(generated: Generated, path: str | Path, *, batch_rows: int = 500_000) -> Path:
    """Write the events as CSV (`;`, UTF-8, decimal commas) or Parquet by extension, and the truth beside.

    Returns the truth file's path.
    """
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in (".csv", ".parquet"):
        raise InputError("output must end in .csv or .parquet", file=str(path))
    path.parent.mkdir(parents=True, exist_ok=True)
    events = generated.events
    if suffix == ".parquet":
        # row groups of DuckDB's size, so a reader splits the file across cores (one group reads on one)
        pq.write_table(pa.Table.from_pandas(events, preserve_index=False), path, compression="zstd",
                       row_group_size=122_880)
    else:
        with path.open("wb") as fh:
            fh.write((";".join(events.columns) + "\n").encode("utf-8"))
            for lo in range(0, len(events), batch_rows):
                fh.write(_csv_chunk(events.iloc[lo:lo + batch_rows]))
    target = truth_path(path)
    target.write_text(json.dumps(generated.truth, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return target
