"""Synthetic municipal fee log (gebyr og klage) with start and complete times, written as XES, and its truth.

A shape unlike byggesak: invoices, payments, reminders and appeals driven by the billing system and the
citizen (any hour, days later), a ping-pong between the fee unit and the legal unit that sends the
fee back to be calculated again, a habit step two clerks do in most of their cases, and a site visit
chosen at random. Person steps are logged with `start` and `complete`; system and external events only
with `complete`. Clerks are simulated as people with capacity (`office_sim`).

Also written as CSV (`;`, decimal commas) by suffix: one row per event with start_timestamp and timestamp.
"""
from __future__ import annotations

import gzip
import html
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd

from . import office_sim as sim
from saksflyt.extractors.errors import InputError
from .byggesak_model import _DAY, OPEN_S, TZ
from .byggesak_simulation import _saksnr
from .office_sim import Generated, Instant, Work

REGISTRERE = "Registrere gebyrsak"
BEREGNE = "Beregne gebyr"
MANUELL = "Manuell kontroll"
BEFARING = "Befaring"
OVERSENDE = "Oversende til juridisk enhet"
JURIDISK = "Juridisk vurdering"
RETURNERE = "Returnere til fagenhet"
FAKTURA = "Faktura sendt"
KLAGE = "Klage mottatt"
BEHANDLE = "Behandle klage"
KLAGESVAR = "Klagesvar sendt"
PURRING = "Purring sendt"
BETALING = "Betaling mottatt"
INKASSO = "Sendt til inkasso"
AVSLUTTET = "Sak avsluttet"
ACTIVITIES = (REGISTRERE, BEREGNE, MANUELL, OVERSENDE, JURIDISK, RETURNERE, BEFARING, FAKTURA, KLAGE, BEHANDLE,
              KLAGESVAR, PURRING, BETALING, INKASSO, AVSLUTTET)
PINGPONG = (OVERSENDE, JURIDISK, RETURNERE, BEREGNE)

SERVICETORGET, FAGENHET, JURIDISK_ENHET = "Servicetorget", "Fagenhet gebyr", "Juridisk enhet"
FAKTURASYSTEM, INNBYGGER = "Fakturasystem", "Innbygger"
ROLES = {
    SERVICETORGET: ("Åshild Brekke", "Vegard Holm"),
    FAGENHET: ("Therese Lunde", "Øyvind Rasmussen", "Camilla Aune", "Stian Grønli"),
    JURIDISK_ENHET: ("Henrik Sæbø", "Linn Eide"),
}
HABIT_CLERKS = ("Øyvind Rasmussen", "Camilla Aune")
RESOURCE_UNIT = {n: role for role, names in ROLES.items() for n in names} | {FAKTURASYSTEM: FAKTURASYSTEM,
                                                                          INNBYGGER: INNBYGGER}
RESOURCE_KIND = {a: "person" for a in ACTIVITIES} | {
    a: "system" for a in (FAKTURA, KLAGESVAR, PURRING, INKASSO, AVSLUTTET)} | {KLAGE: "external", BETALING: "external"}
ROLE_OF = {REGISTRERE: SERVICETORGET, BEREGNE: FAGENHET, MANUELL: FAGENHET, BEFARING: FAGENHET, BEHANDLE: FAGENHET,
           OVERSENDE: FAGENHET, JURIDISK: JURIDISK_ENHET, RETURNERE: JURIDISK_ENHET}

# Planted mean processing minutes of person steps (lognormal, sigma PROCESSING_SIGMA, capped at one day).
MEAN_MINUTES = {REGISTRERE: 10.0, BEREGNE: 25.0, MANUELL: 30.0, BEFARING: 90.0, BEHANDLE: 120.0, OVERSENDE: 15.0,
                JURIDISK: 60.0, RETURNERE: 10.0}
PROCESSING_SIGMA = 0.45
BREAK_MINUTES = 5.0
# Unlogged other work per present clerk and week (front desk and phone, other fee types, advice).
OTHER_HOURS_PER_WEEK = {SERVICETORGET: 26.0, FAGENHET: 18.0, JURIDISK_ENHET: 26.0}
OTHER_MINUTES = 30.0

ARRIVALS_PER_DAY = 2000 / 548  # the default 2000 cases over about a year and a half
GEBYRTYPER = ("byggesaksgebyr", "tilknytningsgebyr", "oppmålingsgebyr", "feie- og tilsynsgebyr",
              "gebyr for utslippstillatelse")
GEBYR_P = (0.30, 0.20, 0.15, 0.25, 0.10)
BELOP_MEDIAN_KR = (12_000.0, 25_000.0, 18_000.0, 450.0, 6_000.0)
P_APPEAL_BY_TYPE = (0.25, 0.35, 0.25, 0.08, 0.15)  # bigger fees are appealed more often
P_COMPLEX_BY_TYPE = (0.15, 0.30, 0.15, 0.02, 0.10)  # cases a clerk is unsure of before invoicing
KANALER = ("eFaktura", "AvtaleGiro", "e-post", "papir")
KANAL_P = (0.45, 0.15, 0.20, 0.20)
P_ON_TIME_BY_KANAL = (0.75, 0.98, 0.65, 0.50)
P_ON_TIME_AFTER_APPEAL = 0.80
P_PAYS_AFTER_PURRING = 0.85
P_PINGPONG = 0.25  # of appealed cases (at the appeal) and of complex cases (before invoicing)
P_TWO_ROUNDS = 0.30
P_HABIT = 0.85
P_HABIT_OTHERS = 0.02
P_BEFARING = 0.15
DUE_DAYS = 30
DUE_DAYS_AFTER_APPEAL = 21
PURRING_AFTER_DUE_DAYS = 14
INKASSO_AFTER_PURRING_DAYS = 28
APPEAL_DAYS = (8.0, 0.5, 21.0)  # median, sigma, the appeal deadline (three weeks)


@dataclass(frozen=True)
class _Draws:
    gebyrtype: np.ndarray
    belop_ore: np.ndarray
    kanal: np.ndarray
    appeal: np.ndarray
    appeal_days: np.ndarray
    complex_pingpong: np.ndarray
    appeal_pingpong: np.ndarray
    rounds_calc: np.ndarray
    rounds_appeal: np.ndarray
    habit_u: np.ndarray
    befaring: np.ndarray
    befaring_offset: np.ndarray
    on_time: np.ndarray
    on_time_after_appeal: np.ndarray
    pay_fraction: np.ndarray
    pays_after_purring: np.ndarray
    late_days: np.ndarray


def _pingpong(rounds: int, clerk: str):
    """Fee unit → legal unit → back to the fee unit, which calculates the fee again; `rounds` times."""
    for _ in range(rounds):
        yield Work(FAGENHET, OVERSENDE, clerk=clerk)
        jurist = yield Work(JURIDISK_ENHET, JURIDISK)
        yield Work(JURIDISK_ENHET, RETURNERE, clerk=jurist)
        clerk = yield Work(FAGENHET, BEREGNE)
    return clerk


def _payment(s: sim.Simulation, d: _Draws, i: int, *, due: int, on_time: bool, avtalegiro: bool):
    """The citizen pays by the due date, or after a reminder, or never (debt collection)."""
    if on_time and avtalegiro:  # paid by the bank on the due date, in its morning run
        yield Instant(BETALING, INNBYGGER, max(due - due % _DAY + 5 * 3600 + int(s.rng.integers(0, 7200)),
                                               s.now + 60))
    elif on_time:
        days = float(d.pay_fraction[i]) * (due - s.now) / _DAY
        yield Instant(BETALING, INNBYGGER, min(sim.citizen_time(s.rng, s.now, days), max(due, s.now + 60)))
    else:
        reminder = sim.night_run(due + PURRING_AFTER_DUE_DAYS * _DAY, hour=1, spread_s=1800, rng=s.rng)
        yield Instant(PURRING, FAKTURASYSTEM, reminder)
        if d.pays_after_purring[i]:
            yield Instant(BETALING, INNBYGGER, sim.citizen_time(s.rng, reminder, float(d.late_days[i])))
        else:
            yield Instant(INKASSO, FAKTURASYSTEM, sim.night_run(reminder + INKASSO_AFTER_PURRING_DAYS * _DAY, hour=1,
                                                                spread_s=1800, rng=s.rng))


def _due(issued: int, days: int) -> int:
    """The end of the day `days` days after `issued`."""
    return (issued // _DAY + days) * _DAY + _DAY - 1


def _process(s: sim.Simulation, d: _Draws, i: int):
    yield Work(SERVICETORGET, REGISTRERE)
    clerk = yield Work(FAGENHET, BEREGNE)
    if d.habit_u[i] < (P_HABIT if clerk in HABIT_CLERKS else P_HABIT_OTHERS):
        clerk = yield Work(FAGENHET, MANUELL, clerk=clerk)
    if d.complex_pingpong[i]:
        clerk = yield from _pingpong(int(d.rounds_calc[i]), clerk)
    if d.befaring[i]:  # an appointment a few working days ahead
        day = s.cal.next_workday(s.now // _DAY + 1, int(d.befaring_offset[i]))
        yield Work(FAGENHET, BEFARING, not_before=day * _DAY + OPEN_S)
    issued = sim.night_run(s.now, hour=1, spread_s=1800, rng=s.rng)
    yield Instant(FAKTURA, FAKTURASYSTEM, issued)
    avtalegiro = KANALER[d.kanal[i]] == "AvtaleGiro"
    if d.appeal[i]:  # the invoice is on hold until the appeal is answered
        yield Instant(KLAGE, INNBYGGER, sim.citizen_time(s.rng, issued, float(d.appeal_days[i])))
        clerk = yield Work(FAGENHET, BEHANDLE)
        if d.appeal_pingpong[i]:
            clerk = yield from _pingpong(int(d.rounds_appeal[i]), clerk)
        yield Instant(KLAGESVAR, FAKTURASYSTEM, s.now + 60 + int(s.rng.integers(0, 15 * 60)))
        yield from _payment(s, d, i, due=_due(s.now, DUE_DAYS_AFTER_APPEAL), on_time=bool(d.on_time_after_appeal[i]),
                            avtalegiro=avtalegiro)
    else:
        yield from _payment(s, d, i, due=_due(issued, DUE_DAYS), on_time=bool(d.on_time[i]), avtalegiro=avtalegiro)
    yield Instant(AVSLUTTET, FAKTURASYSTEM, sim.night_run(s.now, hour=3, spread_s=900, rng=s.rng))


def _draws(rng: np.random.Generator, n: int) -> _Draws:
    gebyr = rng.choice(len(GEBYRTYPER), size=n, p=GEBYR_P)
    belop = np.rint(rng.lognormal(np.log(np.asarray(BELOP_MEDIAN_KR)[gebyr]), 0.5) * 100).astype(np.int64)
    kanal = rng.choice(len(KANALER), size=n, p=KANAL_P)
    appeal = rng.random(n) < np.asarray(P_APPEAL_BY_TYPE)[gebyr]
    complex_ = rng.random(n) < np.asarray(P_COMPLEX_BY_TYPE)[gebyr]
    return _Draws(
        gebyrtype=gebyr, belop_ore=belop, kanal=kanal, appeal=appeal,
        appeal_days=np.clip(rng.lognormal(np.log(APPEAL_DAYS[0]), APPEAL_DAYS[1], n), 0.3, APPEAL_DAYS[2]),
        complex_pingpong=complex_ & (rng.random(n) < P_PINGPONG),
        appeal_pingpong=appeal & (rng.random(n) < P_PINGPONG),
        rounds_calc=1 + (rng.random(n) < P_TWO_ROUNDS), rounds_appeal=1 + (rng.random(n) < P_TWO_ROUNDS),
        habit_u=rng.random(n), befaring=rng.random(n) < P_BEFARING, befaring_offset=rng.integers(0, 6, n),
        on_time=rng.random(n) < np.asarray(P_ON_TIME_BY_KANAL)[kanal],
        on_time_after_appeal=rng.random(n) < P_ON_TIME_AFTER_APPEAL,
        pay_fraction=rng.beta(2.0, 1.0, n), pays_after_purring=rng.random(n) < P_PAYS_AFTER_PURRING,
        late_days=np.clip(rng.lognormal(np.log(6.0), 0.6, n), 0.5, 28))


def generate(*, cases: int = 2000, seed: int = 7, start: date = date(2023, 1, 2),
             unlogged_work: bool = True) -> Generated:
    """A gebyr-og-klage log of `cases` cases arriving from `start` at about 3.6 a day, and its truth.

    `unlogged_work=False`: the clerks do nothing the log does not show besides short breaks.

    `events` has one row per event (a person step is one row with `start` and `end`): columns case_id,
    activity, start (NaT for system and external events), end, resource, unit, gebyrtype, belop, kanal.
    """
    if cases < 1:
        raise InputError(f"cases must be at least 1, got {cases}")
    case_seed, sim_seed = np.random.SeedSequence(seed).spawn(2)
    rng = np.random.default_rng(case_seed)
    first_day = int(np.datetime64(start, "D").astype(np.int64))
    cal = sim.OfficeCalendar(first_day - 7, first_day + int(np.ceil(cases / ARRIVALS_PER_DAY)) + 250)

    # Fee cases are created from the municipality's other systems in office hours, some by citizens online.
    day, span = sim.arrival_days(rng, n=cases, first_day=first_day, per_day=ARRIVALS_PER_DAY, weekend_weight=0.1,
                                 calendar=cal)
    office = rng.random(cases) < 0.88
    tod = np.where(office, rng.uniform(OPEN_S, 15.75 * 3600, cases), rng.normal(15 * 3600, 4 * 3600, cases))
    arrival = np.sort(day * _DAY + np.clip(tod, 0, _DAY - 1).astype(np.int64))
    d = _draws(rng, cases)

    s, extracted, records = sim.simulate_cases(
        seed=sim_seed, calendar=cal, roles=ROLES, minutes=MEAN_MINUTES, sigma=PROCESSING_SIGMA,
        other_hours_per_week=OTHER_HOURS_PER_WEEK if unlogged_work else {}, other_minutes=OTHER_MINUTES,
        break_minutes=BREAK_MINUTES, arrival=arrival, process=lambda s_, i: _process(s_, d, i))
    case, act, st, end, res, worked, queued = records
    has_start = st >= 0
    start_ts = sim.localise(np.where(has_start, st, end))
    ids = np.strings.add("GB-", np.strings.replace(_saksnr(arrival), "/", "-"))
    events = pd.DataFrame({
        "case_id": ids[case].astype(str),
        "activity": act.astype(str),
        "start": pd.Series(start_ts).where(has_start),
        "end": sim.localise(end),
        "resource": res.astype(str),
        "unit": [RESOURCE_UNIT[r] for r in res.tolist()],
        "gebyrtype": np.asarray(GEBYRTYPER)[d.gebyrtype][case],
        "belop": d.belop_ore[case] / 100,
        "kanal": np.asarray(KANALER)[d.kanal][case],
    })
    truth = _truth(seed=seed, start=start, events=events, case=case, worked=worked, queued=queued, d=d, s=s,
                   extracted=extracted)
    return Generated(events=events, truth=truth)


def cases_for_events(events: int, *, seed: int = 7) -> int:
    """The case count that gives about `events` events (start/complete pairs counted once), from a pilot run."""
    return sim.cases_for_events(generate, events, seed=seed)


# --- the truth ---------------------------------------------------------------------------------------


def _truth(*, seed, start, events, case, worked, queued, d: _Draws, s: sim.Simulation, extracted: int) -> dict:
    n = d.gebyrtype.size
    act = events["activity"].to_numpy()
    frame = pd.DataFrame({"case": case, "activity": act, "worked": worked, "queued": queued})
    first, last = events["end"].min(), events["end"].max()
    span_days = (last - first).total_seconds() / _DAY
    per_year = 365.25 / span_days if span_days > 0 else 0.0
    activities = sim.activity_table(activities=ACTIVITIES, kinds=RESOURCE_KIND, minutes=MEAN_MINUTES, events=frame,
                                    span_days=span_days)
    elapsed = (events["end"] - events["start"]).dt.total_seconds()
    for a in ACTIVITIES:
        rows = act == a
        activities[a]["logged_start_to_complete_hours"] = (sim.r4(elapsed[rows].sum() / 3600)
                                                          if RESOURCE_KIND[a] == "person" else 0.0)
    person = events["start"].notna()
    closed = int((act == AVSLUTTET).sum())
    in_log = int(events["case_id"].nunique())  # the last day's newest cases may not be registered yet

    # The ping-pong's repeated work: each case's ping-pong person steps beyond their first occurrence,
    # and every "Beregne gebyr" beyond the case's first.
    occurrence = frame.groupby(["case", "activity"]).cumcount().to_numpy()
    repeated = np.isin(act, PINGPONG) & (occurrence >= 1)
    pp_cases = frame.loc[act == OVERSENDE, "case"].unique()
    pp_calc = d.complex_pingpong[pp_cases]
    repeated_hours = frame.loc[repeated, "worked"].sum() / 3600

    manuell = events[act == MANUELL]
    by_clerks = manuell["resource"].isin(HABIT_CLERKS)
    beregne_first = events[(act == BEREGNE) & (occurrence == 0)]
    clerk_cases = beregne_first["resource"].isin(HABIT_CLERKS)
    manuell_cases = set(manuell["case_id"])
    with_manuell = beregne_first["case_id"].isin(manuell_cases)
    never = ["eliminate", "automate"]
    appealed = frame.loc[act == KLAGE, "case"].unique()
    return {
        "generator": {"name": "saksflyt klage", "version": 1, "seed": seed, "start": start.isoformat(), "cases": n},
        "format": {
            "file": "xes (.xes, .xes.gz) or csv", "timezone": TZ,
            "xes": {"case_id": "trace concept:name", "activity": "concept:name", "timestamp": "time:timestamp",
                    "lifecycle": "lifecycle:transition (start and complete for person steps, complete only for "
                                 "system and external events)",
                    "resource": "org:resource", "unit": "org:group",
                    "trace_attributes": ["gebyrtype", "belop", "kanal"]},
            "csv": {"columns": ["case_id", "activity", "start_timestamp", "timestamp", "resource", "unit",
                                "gebyrtype", "belop", "kanal"],
                    "delimiter": ";", "decimal_separator": ",", "encoding": "utf-8"},
            "roles": {"case_id": "case_id", "activity": "activity", "start": "start_timestamp", "end": "timestamp",
                      "resource": "resource"},
            "delimiter": ";", "decimal_separator": ",",
            "case_attributes": ["gebyrtype", "belop", "kanal"],
            "system_resources": [FAKTURASYSTEM], "external_resources": [INNBYGGER],
        },
        "definitions": {
            "true_processing_hours": "time a person actually worked on the step; a step left at closing time "
                                     "goes on the next working day, so complete − start can be longer "
                                     "(logged_start_to_complete_hours)",
            "staff_hours_per_year": "true processing hours × 365.25 / span_days",
            "span_days": "(last completion − first completion) in days",
            "closed_case": f"a case with {AVSLUTTET}",
            "cases": "cases with at least one event at extraction (generator.cases were created)",
            "events": "start/complete pairs counted once (as the store holds them); xes_events counts both",
        },
        "counts": {"cases": in_log, "events": int(len(events)), "person_events": int(person.sum()),
                   "xes_events": int(len(events) + person.sum()), "closed_cases": closed,
                   "open_cases": in_log - closed, "open_case_share": sim.r4((in_log - closed) / in_log),
                   "cases_without_events": n - in_log},
        **sim.span_truth(first, last, span_days, extracted),
        "start_activities": [REGISTRERE],
        "end_activities": [AVSLUTTET],
        "activities": activities,
        "resources": {
            "roles": {role: {"unit": role, "clerks": list(names)} for role, names in ROLES.items()},
            "activity_roles": ROLE_OF,
            "utilisation": s.utilisation(),
            "queue": "each unit's clerks take the oldest waiting task when free, after an unlogged break "
                     f"(exponential, mean {BREAK_MINUTES:g} min); unlogged other work shares the queue; "
                     f"{MANUELL}, {OVERSENDE} and {RETURNERE} follow straight on from the same person's "
                     "previous step",
            "processing": f"lognormal around the planted mean, sigma {PROCESSING_SIGMA}, 1 min to one working day",
        },
        "habit": {
            "activity": MANUELL, "clerks": list(HABIT_CLERKS), "planted_probability_for_clerks": P_HABIT,
            "planted_probability_for_others": P_HABIT_OTHERS, "depends_on_case_attributes": False,
            "changes_outcome": False, "decided_by": f"the clerk who does the case's first {BEREGNE}",
            "events": int(len(manuell)), "share_done_by_clerks": sim.r4(by_clerks.mean()) if len(manuell) else 0.0,
            "realised_share_of_clerks_cases": sim.r4(with_manuell[clerk_cases].mean()) if clerk_cases.any() else 0.0,
            "realised_share_of_others_cases": (sim.r4(with_manuell[~clerk_cases].mean())
                                               if (~clerk_cases).any() else 0.0),
        },
        "pingpong": {
            "activities": list(PINGPONG), "units": [FAGENHET, JURIDISK_ENHET],
            "planted_probability": P_PINGPONG, "applies_to": "appealed cases (after Behandle klage) and complex "
                                                            "cases (before invoicing)",
            "planted_complex_share_by_gebyrtype": dict(zip(GEBYRTYPER, P_COMPLEX_BY_TYPE)),
            "rounds": {"1": 1 - P_TWO_ROUNDS, "2": P_TWO_ROUNDS},
            "cases": int(pp_cases.size), "cases_before_invoicing": int(pp_calc.sum()),
            "cases_after_appeal": int(d.appeal_pingpong[pp_cases].sum()),
            "repeated_processing_hours": sim.r4(repeated_hours),
            "repeated_definition": "each case's occurrences of the ping-pong's person steps beyond the first, "
                                   f"{BEREGNE} included (every {BEREGNE} after the case's first)",
        },
        "random_step": {"activity": BEFARING, "planted_probability": P_BEFARING, "depends_on_case_attributes": False,
                        "depends_on_clerk": False, "changes_outcome": False,
                        "cases": int(frame.loc[act == BEFARING, "case"].nunique())},
        "appeal": {"activity": KLAGE, "followed_by": BEHANDLE, "planted_share_by_gebyrtype":
                   dict(zip(GEBYRTYPER, P_APPEAL_BY_TYPE)), "cases": int(appealed.size),
                   "payment_on_hold_until": KLAGESVAR},
        "payment": {"due_days": DUE_DAYS, "planted_on_time_by_kanal": dict(zip(KANALER, P_ON_TIME_BY_KANAL)),
                    "reminder_days_after_due": PURRING_AFTER_DUE_DAYS, "pays_after_reminder": P_PAYS_AFTER_PURRING,
                    "debt_collection_days_after_reminder": INKASSO_AFTER_PURRING_DAYS},
        "planted_candidates": [
            {"kind": "eliminate", "activities": [MANUELL], "why": "habit of two clerks",
             "staff_hours_per_year": activities[MANUELL]["staff_hours_per_year"]},
            {"kind": "simplify", "activities": list(PINGPONG), "why": "ping-pong between units",
             "staff_hours_per_year": sim.r4(repeated_hours * per_year), "cases": int(pp_cases.size)},
        ],
        "decoys": [
            {"activity": BETALING, "never": never, "why": "external: the citizen pays"},
            {"activity": KLAGE, "never": never, "why": "external: the citizen appeals"},
            {"activity": PURRING, "never": never, "why": "system: triggered by a missed due date"},
            {"activity": FAKTURA, "never": never, "why": "system: the nightly invoice run"},
            {"activity": KLAGESVAR, "never": never, "why": "system: sends the answer to the appeal"},
            {"activity": INKASSO, "never": never, "why": "system: triggered by a missed reminder"},
            {"activity": AVSLUTTET, "never": never, "why": "system: closes the case"},
            {"activity": BEHANDLE, "never": ["eliminate"], "why": "always follows an external appeal"},
            {"activity": BEFARING, "never": ["eliminate"],
             "why": "unexplained random: no attribute or clerk predicts it"},
        ],
    }


# --- writing -----------------------------------------------------------------------------------------


SUFFIXES = (".xes.gz", ".xes", ".csv")


def _suffix(path: Path) -> str:
    name = path.name.lower()
    for suffix in SUFFIXES:
        if name.endswith(suffix):
            return suffix
    raise InputError("a klage log is written as .xes, .xes.gz or .csv", file=str(path))


def truth_path(path: str | Path) -> Path:
    """`klage.xes.gz` (or .xes, .csv) → `klage.truth.json`, next to it."""
    path = Path(path)
    return path.with_name(f"{path.name[:-len(_suffix(path))]}.truth.json")


_XES_HEAD = """<?xml version="1.0" encoding="UTF-8"?>
<log xes.version="1.0" xes.features="nested-attributes" xmlns="http://www.xes-standard.org/">
  <extension name="Concept" prefix="concept" uri="http://www.xes-standard.org/concept.xesext"/>
  <extension name="Time" prefix="time" uri="http://www.xes-standard.org/time.xesext"/>
  <extension name="Organizational" prefix="org" uri="http://www.xes-standard.org/org.xesext"/>
  <extension name="Lifecycle" prefix="lifecycle" uri="http://www.xes-standard.org/lifecycle.xesext"/>
  <global scope="trace">
    <string key="concept:name" value="__INVALID__"/>
  </global>
  <global scope="event">
    <string key="concept:name" value="__INVALID__"/>
    <date key="time:timestamp" value="1970-01-01T00:00:00.000+00:00"/>
    <string key="lifecycle:transition" value="complete"/>
  </global>
  <classifier name="Activity" keys="concept:name"/>
  <classifier name="Activity and lifecycle" keys="concept:name lifecycle:transition"/>
  <string key="concept:name" value="Gebyr og klage (syntetisk)"/>
"""


def _xes_lines(events: pd.DataFrame) -> list[str]:
    esc = {v: html.escape(v, quote=True) for col in ("case_id", "activity", "resource", "unit", "gebyrtype", "kanal")
           for v in events[col].unique()}
    start = sim.iso_offset(events["start"].fillna(events["end"]), millis=True).tolist()
    end = sim.iso_offset(events["end"], millis=True).tolist()
    has_start = events["start"].notna().tolist()
    lines = [_XES_HEAD]
    previous = None
    for k, (cid, a, res, unit, gt, belop, kanal) in enumerate(zip(
            events["case_id"], events["activity"], events["resource"], events["unit"], events["gebyrtype"],
            events["belop"], events["kanal"])):
        if cid != previous:
            if previous is not None:
                lines.append("  </trace>\n")
            lines.append(f'  <trace>\n    <string key="concept:name" value="{esc[cid]}"/>\n'
                         f'    <string key="gebyrtype" value="{esc[gt]}"/>\n'
                         f'    <float key="belop" value="{belop:.2f}"/>\n'
                         f'    <string key="kanal" value="{esc[kanal]}"/>\n')
            previous = cid
        body = (f'      <string key="concept:name" value="{esc[a]}"/>\n'
                f'      <string key="org:resource" value="{esc[res]}"/>\n'
                f'      <string key="org:group" value="{esc[unit]}"/>\n')
        if has_start[k]:
            lines.append(f'    <event>\n{body}      <string key="lifecycle:transition" value="start"/>\n'
                         f'      <date key="time:timestamp" value="{start[k]}"/>\n    </event>\n')
        lines.append(f'    <event>\n{body}      <string key="lifecycle:transition" value="complete"/>\n'
                     f'      <date key="time:timestamp" value="{end[k]}"/>\n    </event>\n')
    if previous is not None:
        lines.append("  </trace>\n")
    lines.append("</log>\n")
    return lines


def write(generated: Generated, path: str | Path) -> Path:
    """Write the events as XES (`.xes`, `.xes.gz`) or CSV (`.csv`: `;`, decimal commas) and the truth beside.

    Returns the truth file's path. Gzip output carries no file name or time, so the same log gives the
    same bytes.
    """
    path = Path(path)
    suffix = _suffix(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    ev = generated.events
    if suffix == ".csv":
        out = pd.DataFrame({
            "case_id": ev["case_id"], "activity": ev["activity"],
            "start_timestamp": sim.iso_offset(ev["start"]).where(ev["start"].notna(), "").to_numpy(),
            "timestamp": sim.iso_offset(ev["end"]).to_numpy(),
            "resource": ev["resource"], "unit": ev["unit"], "gebyrtype": ev["gebyrtype"],
            "belop": ev["belop"].map("{:.2f}".format).str.replace(".", ",", regex=False), "kanal": ev["kanal"]})
        with path.open("w", encoding="utf-8", newline="") as fh:
            out.to_csv(fh, sep=";", index=False, lineterminator="\n")
    else:
        data = "".join(_xes_lines(ev)).encode("utf-8")
        if suffix == ".xes.gz":
            with path.open("wb") as raw, gzip.GzipFile(filename="", mode="wb", fileobj=raw, mtime=0) as fh:
                fh.write(data)
        else:
            path.write_bytes(data)
    target = truth_path(path)
    sim.write_truth(generated.truth, target)
    return target
