"""Synthetic elderly-care (helse og omsorg) log with organisational units and citizen contacts, and its truth.

Made for "one door in, one voice out": every event carries `enhet`, the unit that did the step (for a
system step, the unit it acted for). Three case types (`sakstype`) move between six units:

- "langtidsopphold" (a nursing-home place): in a planted share the allocation office asks the home-care
  service for a health assessment and gets it back, one to three rounds: Tildelingskontoret →
  Hjemmetjenesten → Tildelingskontoret (ping-pong, a handover back into a unit already visited);
- "praktisk bistand" (practical help at home): the decision comes from Tildelingskontoret, a separate
  start letter from Hjemmetjenesten (in a planted share) and the invoice for the user fee from Økonomi
  when the household income is above 2 G, so the citizen hears from up to three units;
- "trygghetsalarm" (a safety alarm): mostly decided automatically by the case system.

Citizen contacts: the application and a complaint come in; a citizen who has waited long enough calls to
ask ("Henvendelse fra innbygger", logged by the unit holding the case); the case system sends a
preliminary reply (forvaltningsloven § 11 a) from the holding unit when no decision is out three weeks
after the application. Neither of those two changes the case's handovers. Clerks are simulated as people
with capacity (`office_sim`). Every truth number is measured on the generated events.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from math import erf, sqrt
from pathlib import Path

import numpy as np
import pandas as pd

from . import office_sim as sim
from saksflyt.extractors.errors import InputError
from .byggesak_model import _DAY, OPEN_S, TZ
from .byggesak_simulation import _saksnr
from .office_sim import Generated, Instant, Work

COLUMNS = ("saksnr", "aktivitet", "start", "slutt", "saksbehandler", "enhet", "sakstype", "alder",
           "husstandsinntekt_kr")
CASE_ATTRIBUTES = ("sakstype", "alder", "husstandsinntekt_kr")

# units
SERVICETORGET, TILDELING, HJEMME = "Servicetorget", "Tildelingskontoret", "Hjemmetjenesten"
JURIDISK_ENHET, OKONOMI, ARKIV = "Juridisk enhet", "Økonomi", "Arkiv"
UNITS = (SERVICETORGET, TILDELING, HJEMME, JURIDISK_ENHET, OKONOMI, ARKIV)

# activities
MOTTATT = "Søknad mottatt"
REGISTRERE = "Registrere søknad"
KARTLEGGE = "Kartlegge behov"
BE_OM = "Be om helsefaglig vurdering"
HELSEFAGLIG = "Helsefaglig vurdering"
TILBAKEMELDING = "Vurdere tilbakemelding"
VURDERE = "Vurdere søknad"
AUTOMATISK = "Automatisk vedtak"
FATTE = "Fatte vedtak"
VEDTAK_SENDT = "Vedtak sendt"
PLANLEGGE = "Planlegge oppstart"
OPPSTART_SENDT = "Melding om oppstart sendt"
INSTALLERE = "Installere trygghetsalarm"
EGENANDEL = "Beregne egenandel"
FAKTURA = "Faktura sendt"
KLAGE = "Klage mottatt"
FORBEREDE_KLAGE = "Forberede klagesak"
BEHANDLE_KLAGE = "Behandle klage"
KLAGESVAR = "Klagesvar sendt"
ARKIVERE = "Arkivere sak"
HENVENDELSE = "Henvendelse fra innbygger"
FORELOPIG = "Foreløpig svar sendt"
ACTIVITIES = (MOTTATT, REGISTRERE, KARTLEGGE, BE_OM, HELSEFAGLIG, TILBAKEMELDING, VURDERE, AUTOMATISK, FATTE,
              VEDTAK_SENDT, PLANLEGGE, OPPSTART_SENDT, INSTALLERE, EGENANDEL, FAKTURA, KLAGE, FORBEREDE_KLAGE,
              BEHANDLE_KLAGE, KLAGESVAR, ARKIVERE, HENVENDELSE, FORELOPIG)
PINGPONG = (BE_OM, HELSEFAGLIG, TILBAKEMELDING)

# Citizen contacts: "doors" (the citizen gets in touch) and "voices" (the municipality writes to the citizen).
INCOMING = (MOTTATT, HENVENDELSE, KLAGE)
OUTGOING = (VEDTAK_SENDT, OPPSTART_SENDT, FAKTURA, KLAGESVAR, FORELOPIG)

FAGSYSTEM, FAKTURASYSTEM, INNBYGGER = "Fagsystem", "Fakturasystem", "Innbygger"
ROLES = {   # five or more people per unit, but two small ones: shown only merged (mining.handovers.MIN_PEOPLE)
    SERVICETORGET: ("Åsne Hovland", "Petter Bråthen", "Synnøve Dahl", "Øyvind Lie", "Marte Krogh"),
    TILDELING: ("Ragnhild Sætre", "Kjetil Ødegård", "Mona Bjørnstad", "Hallvard Næss", "Ingrid Sørli",
                "Tor Åmodt", "Solveig Brække"),
    HJEMME: ("Turid Løvås", "Espen Haugland", "Frøydis Moen", "Bjørn Årseth", "Kari Grønli", "Leif Østby"),
    JURIDISK_ENHET: ("Håkon Strøm", "Line Græsli"),
    OKONOMI: ("Bente Aasen", "Geir Mæland", "Randi Fjæra"),
    ARKIV: ("Sølvi Rød", "Jostein Kvam", "Åse Bøe", "Nils Hæhre", "Vigdis Ørn"),
}
# The unit each activity belongs to; the two contacts logged by the unit holding the case are not here.
ACTIVITY_UNIT = {MOTTATT: SERVICETORGET, REGISTRERE: SERVICETORGET, KARTLEGGE: TILDELING, BE_OM: TILDELING,
                 HELSEFAGLIG: HJEMME, TILBAKEMELDING: TILDELING, VURDERE: TILDELING, AUTOMATISK: TILDELING,
                 FATTE: TILDELING, VEDTAK_SENDT: TILDELING, PLANLEGGE: HJEMME, OPPSTART_SENDT: HJEMME,
                 INSTALLERE: HJEMME, EGENANDEL: OKONOMI, FAKTURA: OKONOMI, KLAGE: TILDELING,
                 FORBEREDE_KLAGE: TILDELING, BEHANDLE_KLAGE: JURIDISK_ENHET, KLAGESVAR: JURIDISK_ENHET,
                 ARKIVERE: ARKIV}
RESOURCE_KIND = {a: "person" for a in ACTIVITIES} | {
    a: "system" for a in (MOTTATT, AUTOMATISK, VEDTAK_SENDT, FAKTURA, KLAGESVAR, FORELOPIG)} | {
    KLAGE: "external", HENVENDELSE: "external"}

# Planted mean processing minutes of person steps (lognormal, sigma PROCESSING_SIGMA, capped at one day).
MEAN_MINUTES = {REGISTRERE: 12.0, KARTLEGGE: 75.0, BE_OM: 10.0, HELSEFAGLIG: 50.0, TILBAKEMELDING: 20.0,
                VURDERE: 15.0, FATTE: 30.0, PLANLEGGE: 30.0, OPPSTART_SENDT: 10.0, INSTALLERE: 45.0,
                EGENANDEL: 15.0, FORBEREDE_KLAGE: 40.0, BEHANDLE_KLAGE: 120.0, ARKIVERE: 6.0}
PROCESSING_SIGMA = 0.45
BREAK_MINUTES = 5.0
# Unlogged other work per present clerk and week (front desk, home visits in other services, other ledgers).
OTHER_HOURS_PER_WEEK = {SERVICETORGET: 27.0, TILDELING: 17.0, HJEMME: 24.0, JURIDISK_ENHET: 30.0,
                        OKONOMI: 30.0, ARKIV: 30.0}
OTHER_MINUTES = 30.0

ARRIVALS_PER_DAY = 2000 / 548  # the default 2000 cases over about a year and a half
LANGTID, PRAKTISK, ALARM = "langtidsopphold", "praktisk bistand", "trygghetsalarm"
SAKSTYPER = (LANGTID, PRAKTISK, ALARM)
SAKSTYPE_P = (0.25, 0.40, 0.35)
P_REFUSED = (0.30, 0.15, 0.08)  # by SAKSTYPER
P_COMPLAINT = 0.35  # of refused cases
COMPLAINT_DAYS = (10.0, 0.5, 21.0)  # median, sigma, the complaint deadline (three weeks)
ARCHIVE_AFTER_REFUSAL_DAYS = 22  # a refusal is archived once the complaint deadline has passed
P_PINGPONG = 0.35  # of langtidsopphold cases
PINGPONG_ROUNDS = (1, 2, 3)
PINGPONG_ROUNDS_P = (0.65, 0.28, 0.07)
P_START_LETTER = 0.60  # of granted praktisk bistand cases: a start letter of its own from Hjemmetjenesten
G_KR = 118_620.0  # folketrygdens grunnbeløp from 1 May 2023
EGENANDEL_ABOVE_G = 2  # a user fee (and an invoice) when the household income is above 2 G
INNTEKT_MEDIAN_KR = 300_000.0
INNTEKT_SIGMA = 0.45
P_AUTOMATIC = 0.60  # of trygghetsalarm cases: decided by the case system
INSTALL_DAYS = (1, 8)  # working days ahead, [lo, hi)
VISIT_DAYS = (8.0, 0.7, 45)  # the home visit of Kartlegge behov: working days ahead (median, sigma, at most)
ASSESSMENT_DAYS = (2, 12)  # Helsefaglig vurdering: working days ahead, [lo, hi)
P_ENQUIRER = 0.50  # citizens who call when they have waited longer than their patience
PATIENCE_DAYS = (18.0, 0.5)  # median, sigma: the first call, counted from the application
PATIENCE_AGAIN_DAYS = (10.0, 0.5)  # the next calls, counted from the previous one
MAX_ENQUIRIES = 3
FORELOPIG_AFTER_DAYS = 21
P_FORELOPIG = 0.90  # the preliminary reply is sometimes forgotten


@dataclass(frozen=True)
class _Draws:
    sakstype: np.ndarray
    alder: np.ndarray
    inntekt_ore: np.ndarray
    refused: np.ndarray
    complaint: np.ndarray
    complaint_days: np.ndarray
    pingpong_rounds: np.ndarray  # 0: no ping-pong
    start_letter: np.ndarray
    automatic: np.ndarray
    install_offset: np.ndarray
    visit_offset: np.ndarray
    assessment_offset: np.ndarray

    def egenandel(self, i: int) -> bool:
        return bool(self.inntekt_ore[i] > EGENANDEL_ABOVE_G * G_KR * 100)


def _letter_time(s: sim.Simulation) -> int:
    """The case system sends a letter (SvarUt) a few minutes after the clerk finishes."""
    return s.now + 60 + int(s.rng.integers(0, 15 * 60))


def _appointment(s: sim.Simulation, workdays: int) -> int:
    """Opening time of the working day `workdays` working days after tomorrow's (a visit at the citizen's home)."""
    return s.cal.next_workday(s.now // _DAY + 1, workdays) * _DAY + OPEN_S


def _refusal_end(s: sim.Simulation, d: _Draws, i: int, sent: int):
    """A refused case: archived after the complaint deadline, or complained about and decided by the lawyers."""
    if d.complaint[i]:
        yield Instant(KLAGE, INNBYGGER, sim.citizen_time(s.rng, sent, float(d.complaint_days[i])))
        yield Work(TILDELING, FORBEREDE_KLAGE)
        yield Work(JURIDISK_ENHET, BEHANDLE_KLAGE)
        yield Instant(KLAGESVAR, FAGSYSTEM, _letter_time(s))
        yield Work(ARKIV, ARKIVERE)
    else:
        day = s.cal.next_workday(sent // _DAY + ARCHIVE_AFTER_REFUSAL_DAYS)
        yield Work(ARKIV, ARKIVERE, not_before=day * _DAY + OPEN_S)


def _process(s: sim.Simulation, d: _Draws, i: int):
    kind = SAKSTYPER[d.sakstype[i]]
    yield Instant(MOTTATT, FAGSYSTEM, s.now)
    yield Work(SERVICETORGET, REGISTRERE)
    if kind == ALARM and d.automatic[i]:
        yield Instant(AUTOMATISK, FAGSYSTEM, s.now + 30 + int(s.rng.integers(0, 300)))
    elif kind == ALARM:
        yield Work(TILDELING, VURDERE)
    else:
        clerk = yield Work(TILDELING, KARTLEGGE, not_before=_appointment(s, int(d.visit_offset[i])))
        for k in range(int(d.pingpong_rounds[i])):  # Tildelingskontoret → Hjemmetjenesten → back
            yield Work(TILDELING, BE_OM, clerk=clerk)
            yield Work(HJEMME, HELSEFAGLIG, not_before=_appointment(s, int(d.assessment_offset[i, k])))
            clerk = yield Work(TILDELING, TILBAKEMELDING)
        yield Work(TILDELING, FATTE, clerk=clerk)
    sent = _letter_time(s)
    yield Instant(VEDTAK_SENDT, FAGSYSTEM, sent)
    if d.refused[i]:
        yield from _refusal_end(s, d, i, sent)
        return
    if kind == PRAKTISK:
        clerk = yield Work(HJEMME, PLANLEGGE)
        if d.start_letter[i]:
            yield Work(HJEMME, OPPSTART_SENDT, clerk=clerk)
        if d.egenandel(i):
            yield Work(OKONOMI, EGENANDEL)
            yield Instant(FAKTURA, FAKTURASYSTEM, sim.night_run(s.now, hour=1, spread_s=1800, rng=s.rng))
    elif kind == ALARM:  # an appointment at the citizen's home a few working days ahead
        yield Work(HJEMME, INSTALLERE, not_before=_appointment(s, int(d.install_offset[i])))
    yield Work(ARKIV, ARKIVERE)


def _draws(rng: np.random.Generator, n: int) -> _Draws:
    sakstype = rng.choice(len(SAKSTYPER), size=n, p=SAKSTYPE_P)
    alder = np.where(sakstype == 0, rng.integers(72, 99, n), rng.integers(67, 97, n))
    inntekt = np.rint(rng.lognormal(np.log(INNTEKT_MEDIAN_KR), INNTEKT_SIGMA, n) * 100).astype(np.int64)
    refused = rng.random(n) < np.asarray(P_REFUSED)[sakstype]
    rounds = rng.choice(np.asarray(PINGPONG_ROUNDS), size=n, p=PINGPONG_ROUNDS_P)
    pingpong = (sakstype == 0) & (rng.random(n) < P_PINGPONG)
    return _Draws(
        sakstype=sakstype, alder=alder, inntekt_ore=inntekt, refused=refused,
        complaint=refused & (rng.random(n) < P_COMPLAINT),
        complaint_days=np.clip(rng.lognormal(np.log(COMPLAINT_DAYS[0]), COMPLAINT_DAYS[1], n), 0.3,
                               COMPLAINT_DAYS[2]),
        pingpong_rounds=np.where(pingpong, rounds, 0),
        start_letter=rng.random(n) < P_START_LETTER,
        automatic=rng.random(n) < P_AUTOMATIC,
        install_offset=rng.integers(*INSTALL_DAYS, n),
        visit_offset=np.clip(np.rint(rng.lognormal(np.log(VISIT_DAYS[0]), VISIT_DAYS[1], n)), 1,
                             VISIT_DAYS[2]).astype(np.int64),
        assessment_offset=rng.integers(*ASSESSMENT_DAYS, (n, max(PINGPONG_ROUNDS))))


def _contacts_while_waiting(rng: np.random.Generator, *, case: np.ndarray, act: np.ndarray, end: np.ndarray,
                            arrival: np.ndarray, extracted: int) -> tuple[list, list, list]:
    """Enquiries and preliminary replies while the citizen waits for the decision: (case, activity, time).

    A citizen who calls (P_ENQUIRER) does so when the decision is not out after their patience, and
    again after a shorter patience while it still is not; the case system sends a preliminary reply at
    the night run FORELOPIG_AFTER_DAYS after the application when the decision is not out by then.
    """
    first = np.searchsorted(case, np.arange(arrival.size), side="left")
    last = np.searchsorted(case, np.arange(arrival.size), side="right")
    cases, acts, times = [], [], []
    enquirer = rng.random(arrival.size) < P_ENQUIRER
    for i in range(arrival.size):
        if first[i] == last[i]:
            continue
        sent = np.flatnonzero(act[first[i]:last[i]] == VEDTAK_SENDT)
        waited_until = int(end[first[i] + sent[0]]) if sent.size else extracted
        applied = int(arrival[i])
        if enquirer[i]:
            t = applied
            for k in range(MAX_ENQUIRIES):
                median, sigma = PATIENCE_DAYS if k == 0 else PATIENCE_AGAIN_DAYS
                t = sim.citizen_time(rng, t, float(rng.lognormal(np.log(median), sigma)))
                if t >= waited_until:
                    break
                cases.append(i), acts.append(HENVENDELSE), times.append(t)
        reply = sim.night_run(applied + FORELOPIG_AFTER_DAYS * _DAY, hour=2, spread_s=1800, rng=rng)
        if rng.random() < P_FORELOPIG and reply < waited_until:
            cases.append(i), acts.append(FORELOPIG), times.append(reply)
    return cases, acts, times


def generate(*, cases: int = 2000, seed: int = 7, start: date = date(2023, 1, 2),
             unlogged_work: bool = True) -> Generated:
    """A helse-og-omsorg log of `cases` cases arriving from `start` at about 3.6 a day, and its truth.

    `events` has one row per event in case order (ts_end, then row order): columns saksnr, aktivitet,
    start (NaT for system and external events), slutt, saksbehandler, enhet, sakstype, alder,
    husstandsinntekt_kr.
    """
    if cases < 1:
        raise InputError(f"cases must be at least 1, got {cases}")
    case_seed, sim_seed, contact_seed = np.random.SeedSequence(seed).spawn(3)
    rng = np.random.default_rng(case_seed)
    first_day = int(np.datetime64(start, "D").astype(np.int64))
    cal = sim.OfficeCalendar(first_day - 7, first_day + int(np.ceil(cases / ARRIVALS_PER_DAY)) + 250)

    # Applications through the digital form (any hour, mostly daytime) or scanned paper in office hours.
    day, _ = sim.arrival_days(rng, n=cases, first_day=first_day, per_day=ARRIVALS_PER_DAY, weekend_weight=0.25,
                              calendar=cal)
    office = rng.random(cases) < 0.45
    tod = np.where(office, rng.uniform(OPEN_S, 15.5 * 3600, cases), rng.normal(14 * 3600, 4 * 3600, cases))
    arrival = np.sort(day * _DAY + np.clip(tod, 0, _DAY - 1).astype(np.int64))
    d = _draws(rng, cases)

    s, extracted, records = sim.simulate_cases(
        seed=sim_seed, calendar=cal, roles=ROLES, minutes=MEAN_MINUTES, sigma=PROCESSING_SIGMA,
        other_hours_per_week=OTHER_HOURS_PER_WEEK if unlogged_work else {}, other_minutes=OTHER_MINUTES,
        break_minutes=BREAK_MINUTES, arrival=arrival, process=lambda s_, i: _process(s_, d, i))
    case, act, st, end, res, worked, queued = records
    unit = np.asarray([ACTIVITY_UNIT[a] for a in act.tolist()], dtype=object)

    # The contacts logged by the unit holding the case: the unit of the case's next event (else its last).
    extra_case, extra_act, extra_end = (np.asarray(x, dtype=dtype) for x, dtype in zip(
        _contacts_while_waiting(np.random.default_rng(contact_seed), case=case, act=act, end=end, arrival=arrival,
                                extracted=extracted), (np.int64, object, np.int64)))
    if (np.diff(end)[np.diff(case) == 0] < 0).any():
        raise AssertionError("a case's simulated events are not in time order")
    bounds = np.searchsorted(case, extra_case, side="right")
    nxt = np.searchsorted(case * (2**40) + end, extra_case * (2**40) + extra_end, side="right")
    holder = np.where(nxt < bounds, nxt, bounds - 1)
    n = case.size
    case = np.concatenate([case, extra_case])
    act = np.concatenate([act.astype(object), extra_act])
    st = np.concatenate([st, np.full(extra_case.size, -1)])
    end = np.concatenate([end, extra_end])
    res = np.concatenate([res.astype(object), np.where(extra_act == HENVENDELSE, INNBYGGER, FAGSYSTEM)])
    unit = np.concatenate([unit, unit[holder]])
    worked = np.concatenate([worked, np.zeros(extra_case.size, dtype=worked.dtype)])
    queued = np.concatenate([queued, np.zeros(extra_case.size, dtype=queued.dtype)])
    # case order: ts_end, then a simulated event before a waiting contact at the same second, then row order
    order = np.lexsort((np.arange(case.size), np.arange(case.size) >= n, end, case))
    case, act, st, end, res, unit, worked, queued = (x[order] for x in (case, act, st, end, res, unit, worked,
                                                                        queued))

    has_start = st >= 0
    events = pd.DataFrame({
        "saksnr": _saksnr(arrival)[case].astype(str),
        "aktivitet": act.astype(str),
        "start": pd.Series(sim.localise(np.where(has_start, st, end))).where(has_start),
        "slutt": sim.localise(end),
        "saksbehandler": res.astype(str),
        "enhet": unit.astype(str),
        "sakstype": np.asarray(SAKSTYPER)[d.sakstype][case],
        "alder": d.alder[case],
        "husstandsinntekt_kr": d.inntekt_ore[case] / 100,
    })
    truth = _truth(seed=seed, start=start, events=events, case=case, worked=worked, queued=queued, d=d, s=s,
                   extracted=extracted)
    return Generated(events=events, truth=truth)


def cases_for_events(events: int, *, seed: int = 7) -> int:
    """The case count that gives about `events` events, from a pilot run."""
    return sim.cases_for_events(generate, events, seed=seed)


# --- contact and handover measures (the truth's definitions) -----------------------------------------


def case_measures(events: pd.DataFrame) -> pd.DataFrame:
    """Per case (events in case order): units, handovers, returns, doors, voices and the units voices came from."""
    case = events["saksnr"]
    unit = events["enhet"]
    same_case = case.eq(case.shift())
    handover = same_case & unit.ne(unit.shift())
    seen_before = events.duplicated(["saksnr", "enhet"])  # the unit appeared earlier in the case
    door = events["aktivitet"].isin(INCOMING)
    voice = events["aktivitet"].isin(OUTGOING)
    frame = pd.DataFrame({"saksnr": case, "sakstype": events["sakstype"], "handover": handover,
                          "return": handover & seen_before, "door": door, "voice": voice,
                          "voice_unit": unit.where(voice)})
    grouped = frame.groupby("saksnr", sort=False)
    return pd.DataFrame({
        "sakstype": grouped["sakstype"].first(),
        "units": events.groupby("saksnr", sort=False)["enhet"].nunique(),
        "handovers": grouped["handover"].sum(), "returns": grouped["return"].sum(),
        "doors": grouped["door"].sum(), "voices": grouped["voice"].sum(),
        "voice_units": grouped["voice_unit"].nunique(),
    })


def _share(mask: pd.Series) -> float:
    return sim.r4(mask.mean()) if len(mask) else 0.0


def _handover_pairs(events: pd.DataFrame) -> list[dict]:
    case, unit = events["saksnr"], events["enhet"]
    handover = case.eq(case.shift()) & unit.ne(unit.shift())
    pairs = pd.DataFrame({"source_unit": unit.shift()[handover], "target_unit": unit[handover],
                          "saksnr": case[handover]})
    table = pairs.groupby(["source_unit", "target_unit"]).agg(count=("saksnr", "size"), cases=("saksnr", "nunique"))
    table = table.reset_index().sort_values(["count", "source_unit", "target_unit"], ascending=[False, True, True])
    return [{"source_unit": r.source_unit, "target_unit": r.target_unit, "count": int(r.count),
             "cases": int(r.cases)} for r in table.itertuples()]


# --- the truth ---------------------------------------------------------------------------------------


def _truth(*, seed, start, events, case, worked, queued, d: _Draws, s: sim.Simulation, extracted: int) -> dict:
    n = d.sakstype.size
    act = events["aktivitet"].to_numpy()
    frame = pd.DataFrame({"case": case, "activity": act, "worked": worked, "queued": queued})
    first, last = events["slutt"].min(), events["slutt"].max()
    span_days = (last - first).total_seconds() / _DAY
    activities = sim.activity_table(activities=ACTIVITIES, kinds=RESOURCE_KIND, minutes=MEAN_MINUTES, events=frame,
                                    span_days=span_days)
    closed = int((act == ARKIVERE).sum())
    in_log = int(events["saksnr"].nunique())
    m = case_measures(events)
    multi = m["voice_units"] >= 2
    by_type = {t: m[m["sakstype"] == t] for t in SAKSTYPER}
    pingpong_by_type = {t: {"cases": len(g), "pingpong_cases": int((g["returns"] > 0).sum()),
                            "share": _share(g["returns"] > 0), "returns": int(g["returns"].sum())}
                        for t, g in by_type.items()}
    voices_by_type = {t: {"cases": len(g), "multi_unit_voice_cases": int((g["voice_units"] >= 2).sum()),
                          "multi_unit_voice_share": _share(g["voice_units"] >= 2),
                          "voices": int(g["voices"].sum()),
                          "letters_saved": int((g["voices"] - 1)[g["voice_units"] >= 2].sum())}
                      for t, g in by_type.items()}
    doors_by_type = {t: {"cases": len(g), "cases_doors_2_or_more": int((g["doors"] >= 2).sum()),
                         "share_doors_2_or_more": _share(g["doors"] >= 2), "doors": int(g["doors"].sum())}
                     for t, g in by_type.items()}
    pairs = _handover_pairs(events)
    egenandel_cases = np.asarray([d.egenandel(i) for i in range(n)])
    p_above = float(1 - _normal_cdf((np.log(EGENANDEL_ABOVE_G * G_KR) - np.log(INNTEKT_MEDIAN_KR)) / INNTEKT_SIGMA))
    never = ["eliminate", "automate"]
    return {
        "generator": {"name": "saksflyt samhandling", "version": 1, "seed": seed, "start": start.isoformat(),
                      "cases": n},
        "format": {
            "file": "csv", "columns": list(COLUMNS), "delimiter": ";", "decimal_separator": ",",
            "encoding": "utf-8", "timezone": TZ,
            "timestamps": "ISO-8601 with offset; `start` empty for system and external events",
            "roles": {"case_id": "saksnr", "activity": "aktivitet", "start": "start", "end": "slutt",
                      "resource": "saksbehandler", "unit": "enhet"},
            "case_attributes": list(CASE_ATTRIBUTES), "event_attributes": ["enhet"],
            "system_resources": [FAGSYSTEM, FAKTURASYSTEM], "external_resources": [INNBYGGER],
        },
        "definitions": {
            "case_order": "a case's events ordered by ts_end (slutt), then by row order in the file",
            "units": "distinct values of enhet in the case (every event has one; a system or external event "
                     "carries the unit it acted for or that received it)",
            "handover": "two consecutive events of a case (case order) whose enhet differs; "
                        "counted as source_unit → target_unit",
            "return": "a handover into a unit that appears earlier in the case",
            "pingpong_case": "a case with at least one return",
            "doors": "the case's events whose activity is in contacts.incoming",
            "voices": "the case's events whose activity is in contacts.outgoing",
            "voice_units": "distinct enhet of the case's voices",
            "multi_unit_voice_case": "a case with voice_units ≥ 2 (the citizen heard from more than one unit)",
            "letters_saved": "sum over multi-unit voice cases of (voices − 1): merging all of a case's voices "
                             "into one letter",
            "letters_saved_one_per_unit_merge": "sum over multi-unit voice cases of (voice_units − 1): "
                                                "merging only the letters of different units",
            "shares": "of the cases in the log (open cases included), rounded to 4 decimals",
            "true_processing_hours": "time a person actually worked on the step (known to the simulation)",
            "staff_hours_per_year": "true processing hours × 365.25 / span_days",
            "span_days": "(last completion − first completion) in days",
            "closed_case": f"a case with {ARKIVERE}",
        },
        "counts": {"cases": in_log, "events": len(events), "person_events": int(events["start"].notna().sum()),
                   "closed_cases": closed, "open_cases": in_log - closed,
                   "open_case_share": sim.r4((in_log - closed) / in_log), "cases_without_events": n - in_log,
                   "cases_by_sakstype": {t: len(g) for t, g in by_type.items()}},
        **sim.span_truth(first, last, span_days, extracted),
        "units": list(UNITS),
        "activity_units": ACTIVITY_UNIT | {HENVENDELSE: "the unit holding the case (the unit of the case's next "
                                                         "event, else of its last)",
                                           FORELOPIG: "the unit holding the case (as above)"},
        "contacts": {"incoming": list(INCOMING), "outgoing": list(OUTGOING),
                     "toml": "[logs.<name>.contacts]\nincoming = [" + ", ".join(f'"{a}"' for a in INCOMING)
                             + "]\noutgoing = [" + ", ".join(f'"{a}"' for a in OUTGOING) + "]\n"},
        "start_activities": [MOTTATT],
        "end_activities": [ARKIVERE],
        "handovers": {
            "total": int(m["handovers"].sum()), "cases_with_handover": int((m["handovers"] > 0).sum()),
            "mean_units_per_case": sim.r4(m["units"].mean()), "mean_handovers_per_case": sim.r4(m["handovers"].mean()),
            "pairs": pairs,
        },
        "pingpong": {
            "sakstype": LANGTID, "units": [TILDELING, HJEMME], "activities": list(PINGPONG),
            "shape": f"{TILDELING} ({BE_OM}) → {HJEMME} ({HELSEFAGLIG}) → {TILDELING} ({TILBAKEMELDING}), "
                     "repeated per round",
            "planted_probability": P_PINGPONG, "planted_rounds": dict(zip(map(str, PINGPONG_ROUNDS),
                                                                         PINGPONG_ROUNDS_P)),
            "planted_other_sakstyper": "no returns (enquiries and preliminary replies are logged by the unit "
                                       "holding the case, so they add no handover)",
            "drawn_cases": int((d.pingpong_rounds > 0).sum()),
            "drawn_cases_note": "cases drawn for the ping-pong; a case still open at extraction may not have "
                                "returned yet",
            "by_sakstype": pingpong_by_type,
            "overall": {"cases": in_log, "pingpong_cases": int((m["returns"] > 0).sum()),
                        "share": _share(m["returns"] > 0), "returns": int(m["returns"].sum())},
        },
        "voices": {
            "sakstype": PRAKTISK,
            "shape": f"{VEDTAK_SENDT} from {TILDELING}, {OPPSTART_SENDT} from {HJEMME} (planted share of granted "
                     f"cases) and {FAKTURA} from {OKONOMI} (income above the rule)",
            "units_by_activity": {VEDTAK_SENDT: TILDELING, OPPSTART_SENDT: HJEMME, FAKTURA: OKONOMI,
                                  KLAGESVAR: JURIDISK_ENHET, FORELOPIG: "the unit holding the case"},
            "planted": {"start_letter_probability_of_granted": P_START_LETTER,
                        "invoice_rule": f"husstandsinntekt_kr > {EGENANDEL_ABOVE_G} × G ({G_KR:g} kr)",
                        "invoice_probability_of_granted": sim.r4(p_above),
                        "realised_income_above_rule_share": sim.r4(egenandel_cases[d.sakstype == 1].mean())
                        if (d.sakstype == 1).any() else 0.0,
                        "refused_probability_by_sakstype": dict(zip(SAKSTYPER, P_REFUSED)),
                        "complaint_probability_of_refused": P_COMPLAINT,
                        "preliminary_reply": f"{FORELOPIG} at the night run {FORELOPIG_AFTER_DAYS} days after the "
                                             f"application when no {VEDTAK_SENDT} yet, probability {P_FORELOPIG}"},
            "by_sakstype": voices_by_type,
            "overall": {"cases": in_log, "voices": int(m["voices"].sum()),
                        "multi_unit_voice_cases": int(multi.sum()), "multi_unit_voice_share": _share(multi),
                        "letters_saved": int((m["voices"] - 1)[multi].sum()),
                        "letters_saved_one_per_unit_merge": int((m["voice_units"] - 1)[multi].sum())},
        },
        "doors": {
            "planted": {"enquirer_probability": P_ENQUIRER, "first_call_patience_days": list(PATIENCE_DAYS),
                        "next_call_patience_days": list(PATIENCE_AGAIN_DAYS), "max_enquiries": MAX_ENQUIRIES,
                        "calls_while": f"no {VEDTAK_SENDT} yet (patience: lognormal median, sigma)",
                        "complaint_probability_of_refused": P_COMPLAINT},
            "by_sakstype": doors_by_type,
            "overall": {"cases": in_log, "doors": int(m["doors"].sum()),
                        "cases_doors_2_or_more": int((m["doors"] >= 2).sum()),
                        "share_doors_2_or_more": _share(m["doors"] >= 2),
                        "enquiry_cases": int(events.loc[act == HENVENDELSE, "saksnr"].nunique()),
                        "complaint_cases": int(events.loc[act == KLAGE, "saksnr"].nunique())},
        },
        "activities": activities,
        "resources": {
            "roles": {role: {"unit": role, "clerks": list(names)} for role, names in ROLES.items()},
            "utilisation": s.utilisation(),
            "queue": "each unit's clerks take the oldest waiting task when free, after an unlogged break "
                     f"(exponential, mean {BREAK_MINUTES:g} min); unlogged other work shares the queue; "
                     f"{BE_OM}, {FATTE} and {OPPSTART_SENDT} follow straight on from the same person's previous "
                     "step",
            "processing": f"lognormal around the planted mean, sigma {PROCESSING_SIGMA}, 1 min to one working day",
            "appointments": {KARTLEGGE: f"a home visit: lognormal median {VISIT_DAYS[0]:g} working days ahead "
                                        f"(sigma {VISIT_DAYS[1]}, 1 to {VISIT_DAYS[2]})",
                             HELSEFAGLIG: f"uniform {ASSESSMENT_DAYS[0]} to {ASSESSMENT_DAYS[1] - 1} working days "
                                          "ahead",
                             INSTALLERE: f"uniform {INSTALL_DAYS[0]} to {INSTALL_DAYS[1] - 1} working days ahead",
                             ARKIVERE: f"after a refusal without complaint: {ARCHIVE_AFTER_REFUSAL_DAYS} days after "
                                       f"{VEDTAK_SENDT} (the complaint deadline has passed)"},
        },
        "planted_candidates": [
            {"kind": "simplify", "activities": list(PINGPONG), "why": "ping-pong between units",
             "cases": pingpong_by_type[LANGTID]["pingpong_cases"]},
            {"kind": "merge_letters", "activities": [VEDTAK_SENDT, OPPSTART_SENDT, FAKTURA],
             "why": "the citizen hears from up to three units", "letters_saved":
             voices_by_type[PRAKTISK]["letters_saved"]},
        ],
        "decoys": [
            {"activity": MOTTATT, "never": never, "why": "system: the application arrives"},
            {"activity": AUTOMATISK, "never": never, "why": "system: already automated"},
            {"activity": VEDTAK_SENDT, "never": never, "why": "system: the letter run"},
            {"activity": FAKTURA, "never": never, "why": "system: the nightly invoice run"},
            {"activity": KLAGESVAR, "never": never, "why": "system: the letter run"},
            {"activity": FORELOPIG, "never": never, "why": "system: the preliminary-reply run"},
            {"activity": KLAGE, "never": never, "why": "external: the citizen complains"},
            {"activity": HENVENDELSE, "never": never, "why": "external: the citizen calls"},
        ],
    }


def _normal_cdf(z: float) -> float:
    return 0.5 * (1 + erf(z / sqrt(2)))


# --- writing -----------------------------------------------------------------------------------------


truth_path = sim.truth_path   # `samhandling.csv` → `samhandling.truth.json`


def write(generated: Generated, path: str | Path) -> Path:
    """Write the events as CSV (`;`, UTF-8, decimal commas) and the truth beside; returns the truth's path."""
    path = Path(path)
    if path.suffix.lower() != ".csv":
        raise InputError("a samhandling log is written as .csv", file=str(path))
    path.parent.mkdir(parents=True, exist_ok=True)
    ev = generated.events
    out = ev.assign(start=sim.iso_offset(ev["start"]).where(ev["start"].notna(), "").to_numpy(),
                    slutt=sim.iso_offset(ev["slutt"]).to_numpy(),
                    husstandsinntekt_kr=ev["husstandsinntekt_kr"].map("{:.2f}".format)
                    .str.replace(".", ",", regex=False))
    with path.open("w", encoding="utf-8", newline="") as fh:
        out.to_csv(fh, sep=";", index=False, columns=list(COLUMNS), lineterminator="\n")
    target = truth_path(path)
    sim.write_truth(generated.truth, target)
    return target
