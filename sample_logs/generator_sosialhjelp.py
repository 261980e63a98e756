"""Synthetic social-assistance (økonomisk sosialhjelp) event log with completion times only, and its truth.

A shape unlike byggesak: no start times, a rule-routed branch after the assessment, and decisions in a
weekly allocation meeting (tildelingsmøte) where a leader completes the week's cases one after another
within minutes. Applications come through Digisos at any hour; some applicants are asked for more
information and answer days later. Clerks are simulated as people with capacity (`office_sim`).

The routing rule: the case is prepared for a grant ("Forberede innvilgelse") when the household's monthly
income is below the guideline `7000 + 3500 × (husstand_antall − 1)` kroner, else for a refusal
("Forberede avslag"). Whether information is requested is random and does not change the outcome.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd

from . import office_sim as sim
from saksflyt.extractors.errors import InputError
from .byggesak_model import _DAY, TZ
from .byggesak_simulation import _saksnr
from .office_sim import Generated, Hold, Instant, Work

COLUMNS = ("saksnr", "aktivitet", "tidspunkt", "saksbehandler", "enhet", "husstand_antall", "inntekt_kr",
           "boutgift_kr")
CASE_ATTRIBUTES = ("husstand_antall", "inntekt_kr", "boutgift_kr")

MOTTATT = "Søknad mottatt"
REGISTRERE = "Registrere søknad"
INNHENTE = "Innhente opplysninger"
OPPLYSNINGER = "Opplysninger mottatt"
KARTLEGGE = "Kartlegge situasjon"
INNVILGELSE = "Forberede innvilgelse"
AVSLAG = "Forberede avslag"
MOTE = "Vedtak i tildelingsmøte"
SENDT = "Vedtak sendt"
ACTIVITIES = (MOTTATT, REGISTRERE, INNHENTE, OPPLYSNINGER, KARTLEGGE, INNVILGELSE, AVSLAG, MOTE, SENDT)

DIGISOS = "Digisos"
SOKER = "Søker"
MOTTAK, VEILEDER, LEDER = "mottak", "veileder", "leder"
ROLES = {
    MOTTAK: ("Sunniva Rønning", "Tor Egil Myhre"),
    VEILEDER: ("Kristin Bøe", "Jonas Fjeld", "Maria Kvåle"),
}
LEDERE = ("Gunhild Sørli", "Arild Næss")
UNIT = {MOTTAK: "Mottak", VEILEDER: "Sosialtjenesten", LEDER: "Ledelse"}
RESOURCE_UNIT = ({n: UNIT[r] for r, names in ROLES.items() for n in names} | {n: UNIT[LEDER] for n in LEDERE}
                 | {DIGISOS: "Digisos", SOKER: "Søker"})
RESOURCE_KIND = {a: "person" for a in ACTIVITIES} | {MOTTATT: "system", SENDT: "system", OPPLYSNINGER: "external"}
ROLE_OF = {REGISTRERE: MOTTAK, INNHENTE: VEILEDER, KARTLEGGE: VEILEDER, INNVILGELSE: VEILEDER, AVSLAG: VEILEDER,
           MOTE: LEDER}

# Planted mean processing minutes of person steps (lognormal, sigma PROCESSING_SIGMA, capped at one day).
MEAN_MINUTES = {REGISTRERE: 10.0, INNHENTE: 15.0, KARTLEGGE: 60.0, INNVILGELSE: 25.0, AVSLAG: 20.0, MOTE: 4.0}
PROCESSING_SIGMA = 0.45
BREAK_MINUTES = 5.0
# Unlogged other work per present clerk and week (reception desk, follow-up talks, other case types).
OTHER_HOURS_PER_WEEK = {MOTTAK: 26.0, VEILEDER: 17.0}
OTHER_MINUTES = 30.0

ARRIVALS_PER_DAY = 2000 / 548  # the default 2000 cases over about a year and a half
WEEKEND_WEIGHT = 0.45  # Digisos is open around the clock; fewer apply on weekends and holidays
P_INNHENTE = 0.15
OPPLYSNINGER_DAYS = (5.0, 0.6)  # median days, sigma: the applicant's reply
GUIDELINE_KR = 7000
GUIDELINE_PER_EXTRA_KR = 3500
HUSSTAND_P = (0.55, 0.18, 0.12, 0.09, 0.04, 0.02)  # 1..6 persons

MEETING_WEEKDAY = 2  # Wednesday (Monday = 0); on a public holiday the next working day
MEETING_START_S = 9 * 3600
MEETING_END_S = 11 * 3600 + 30 * 60
AGENDA_DEADLINE = (1, 12 * 3600)  # Tuesday 12:00: cases prepared later wait for the next week's meeting
SPLIT_ABOVE = 24  # a longer agenda is split between both leaders when both are at work
SENDT_DELAY_MIN = (20.0, 0.6)  # median minutes after the decision, sigma


@dataclass(frozen=True)
class _Draws:
    husstand: np.ndarray
    inntekt_ore: np.ndarray
    boutgift_ore: np.ndarray
    innhente: np.ndarray
    reply_days: np.ndarray
    sent_minutes: np.ndarray

    def innvilges(self, i: int) -> bool:
        return bool(self.inntekt_ore[i] < guideline_kr(self.husstand[i]) * 100)


def guideline_kr(husstand: np.ndarray | int) -> np.ndarray | int:
    """The monthly income guideline for a household of this size."""
    return GUIDELINE_KR + GUIDELINE_PER_EXTRA_KR * (husstand - 1)


class _Meeting:
    """The weekly allocation meeting: cases prepared by the agenda deadline are decided one after another."""

    def __init__(self, s: sim.Simulation, first_day: int, last_day: int) -> None:
        self.s = s
        self.waiting: list[tuple[int, int]] = []  # (prepared at, case)
        self.vacations = s.cal.summer_vacations(LEDERE)
        self.meetings = 0
        self.batches: list[dict] = []
        monday = first_day - (first_day + 3) % 7  # day 0 (1970-01-01) was a Thursday
        while monday <= last_day:
            day = s.cal.next_workday(monday + MEETING_WEEKDAY)
            deadline = (monday + AGENDA_DEADLINE[0]) * _DAY + AGENDA_DEADLINE[1]
            start = day * _DAY + MEETING_START_S + int(s.rng.integers(0, 6 * 60))
            s.call_at(start, lambda start=start, deadline=deadline, week=monday // 7: self.hold(start, deadline, week))
            monday += 7

    def join(self, case: int) -> None:
        self.waiting.append((self.s.now, case))

    def hold(self, start: int, deadline: int, week: int) -> None:
        agenda = sorted(x for x in self.waiting if x[0] <= deadline)
        if not agenda:
            return
        present = [n for n in LEDERE if not self.s.cal.away(self.vacations[n], start)]
        chair = present[week % len(present)] if present else LEDERE[week % 2]
        leaders = present if len(agenda) > SPLIT_ABOVE and len(present) > 1 else [chair]
        decided: set[int] = set()
        for k, leader in enumerate(leaders):
            t = start
            done = 0
            for _, case in agenda[k::len(leaders)]:
                worked = self.s.duration(MEAN_MINUTES[MOTE])
                if t + worked > start - start % _DAY + MEETING_END_S:
                    break  # the meeting is over: the rest wait a week
                self.s.record(case, MOTE, t, t + worked, leader, worked)
                self.s.resume(case, t + worked, leader)
                decided.add(case)
                t += worked + int(self.s.rng.integers(0, 40))
                done += 1
            self.batches.append({"day": str(np.datetime64(start // _DAY, "D")), "leader": leader, "cases": done})
        self.waiting = [x for x in self.waiting if x[1] not in decided]
        self.meetings += 1


def _process(s: sim.Simulation, meeting: _Meeting, d: _Draws, i: int):
    yield Instant(MOTTATT, DIGISOS, s.now)
    yield Work(MOTTAK, REGISTRERE)
    if d.innhente[i]:
        yield Work(VEILEDER, INNHENTE)
        yield Instant(OPPLYSNINGER, SOKER, sim.citizen_time(s.rng, s.now, float(d.reply_days[i])))
    yield Work(VEILEDER, KARTLEGGE)
    yield Work(VEILEDER, INNVILGELSE if d.innvilges(i) else AVSLAG)
    yield Hold(meeting.join)
    yield Instant(SENDT, DIGISOS, s.now + int(d.sent_minutes[i] * 60))


def _day_of_month_weight(days: np.ndarray) -> np.ndarray:
    """More applications when the money runs out, at the turn of the month."""
    dom = (days.astype("datetime64[D]") - days.astype("datetime64[D]").astype("datetime64[M]")).astype(np.int64) + 1
    return np.where((dom >= 26) | (dom <= 4), 1.35, 1.0)


def generate(*, cases: int = 2000, seed: int = 7, start: date = date(2023, 1, 2),
             unlogged_work: bool = True) -> Generated:
    """A sosialhjelp log of `cases` cases arriving from `start` at about 3.6 a day, and its truth.

    `unlogged_work=False`: the clerks do nothing the log does not show besides short breaks (completion
    times alone then tell how long each step took).
    """
    if cases < 1:
        raise InputError(f"cases must be at least 1, got {cases}")
    case_seed, sim_seed = np.random.SeedSequence(seed).spawn(2)
    rng = np.random.default_rng(case_seed)
    first_day = int(np.datetime64(start, "D").astype(np.int64))
    span_guess = int(np.ceil(cases / ARRIVALS_PER_DAY))
    cal = sim.OfficeCalendar(first_day - 7, first_day + span_guess + 200)

    # Arrivals through Digisos: any hour, more in the daytime and evening.
    day, span = sim.arrival_days(rng, n=cases, first_day=first_day, per_day=ARRIVALS_PER_DAY,
                                 weekend_weight=WEEKEND_WEIGHT, calendar=cal, day_weight=_day_of_month_weight)
    daytime = rng.random(cases) < 0.85
    tod = np.where(daytime, rng.normal(14 * 3600, 4 * 3600, cases), rng.uniform(0, _DAY, cases))
    arrival = np.sort(day * _DAY + np.clip(tod, 0, _DAY - 1).astype(np.int64))

    husstand = rng.choice(np.arange(1, 7), size=cases, p=HUSSTAND_P)
    # Monthly income: benefits, part-time wages; around the guideline, so both branches are common.
    inntekt = np.rint(rng.lognormal(np.log(guideline_kr(husstand) * 0.95), 0.45) * 100).astype(np.int64)
    boutgift = np.rint(rng.lognormal(np.log(6500 + 1200 * (husstand - 1)), 0.35) * 100).astype(np.int64)
    draws = _Draws(husstand=husstand, inntekt_ore=inntekt, boutgift_ore=boutgift,
                   innhente=rng.random(cases) < P_INNHENTE,
                   reply_days=np.clip(rng.lognormal(np.log(OPPLYSNINGER_DAYS[0]), OPPLYSNINGER_DAYS[1], cases),
                                      0.2, 45),
                   sent_minutes=np.clip(rng.lognormal(np.log(SENDT_DELAY_MIN[0]), SENDT_DELAY_MIN[1], cases), 1, 240))

    # The extraction moment: the end of the last arrival day (cases in flight stay open).
    extracted = int(arrival.max()) // _DAY * _DAY + _DAY - 1
    s = sim.Simulation(rng=np.random.default_rng(sim_seed), calendar=cal, roles=ROLES, minutes=MEAN_MINUTES,
                       sigma=PROCESSING_SIGMA, other_hours_per_week=OTHER_HOURS_PER_WEEK if unlogged_work else {},
                       other_minutes=OTHER_MINUTES, break_minutes=BREAK_MINUTES, until=extracted)
    meeting = _Meeting(s, first_day, first_day + span + 14)
    for i in range(cases):
        s.start_case(i, int(arrival[i]), _process(s, meeting, draws, i))
    s.run()

    case, act, _, end, res, worked, queued = (np.asarray(x) for x in s.records)
    keep = end <= extracted
    order = np.flatnonzero(keep)[np.lexsort((end[keep], case[keep]))]
    case, act, end, res, worked, queued = (x[order] for x in (case, act, end, res, worked, queued))
    ts = sim.localise(end)
    saksnr = _saksnr(arrival)
    events = pd.DataFrame({
        "saksnr": saksnr[case].astype(str),
        "aktivitet": act.astype(str),
        "tidspunkt": ts,
        "saksbehandler": res.astype(str),
        "enhet": [RESOURCE_UNIT[r] for r in res.tolist()],
        "husstand_antall": husstand[case],
        "inntekt_kr": inntekt[case] / 100,
        "boutgift_kr": boutgift[case] / 100,
    })
    truth = _truth(seed=seed, start=start, events=events, case=case, worked=worked, queued=queued, draws=draws,
                   sim_run=s, meeting=meeting, extracted=extracted)
    return Generated(events=events, truth=truth)


def cases_for_events(events: int, *, seed: int = 7) -> int:
    """The case count that gives about `events` events, measured on a pilot run."""
    return sim.cases_for_events(generate, events, seed=seed)


# --- the truth ---------------------------------------------------------------------------------------


RULE_QUERY = f"inntekt_kr < {GUIDELINE_KR} + {GUIDELINE_PER_EXTRA_KR} * (husstand_antall - 1)"


def _truth(*, seed, start, events, case, worked, queued, draws, sim_run, meeting, extracted) -> dict:
    n = draws.husstand.size
    frame = pd.DataFrame({"case": case, "activity": events["aktivitet"].to_numpy(), "worked": worked,
                          "queued": queued})
    ts = events["tidspunkt"]
    first, last = ts.min(), ts.max()
    span_days = (last - first).total_seconds() / _DAY
    activities = sim.activity_table(activities=ACTIVITIES, kinds=RESOURCE_KIND, minutes=MEAN_MINUTES, events=frame,
                                    span_days=span_days)
    closed = int((events["aktivitet"] == SENDT).sum())
    in_log = int(events["saksnr"].nunique())  # every case: its receipt is at its arrival
    decided = events[events["aktivitet"] == MOTE]
    branch = frame[frame["activity"].isin([INNVILGELSE, AVSLAG])]
    rule = draws.inntekt_ore < guideline_kr(draws.husstand) * 100
    rule_holds = bool((rule[branch["case"]] == (branch["activity"] == INNVILGELSE).to_numpy()).all())
    batches = [b for b in meeting.batches if b["cases"]]
    never = ["eliminate", "automate"]
    return {
        "generator": {"name": "saksflyt sosialhjelp", "version": 1, "seed": seed, "start": start.isoformat(),
                      "cases": n},
        "format": {
            "file": "csv", "columns": list(COLUMNS), "delimiter": ";", "decimal_separator": ",",
            "encoding": "utf-8", "timezone": TZ,
            "timestamps": "ISO-8601 with offset; completion times only (no start column)",
            "roles": {"case_id": "saksnr", "activity": "aktivitet", "end": "tidspunkt", "resource": "saksbehandler"},
            "case_attributes": list(CASE_ATTRIBUTES), "event_attributes": ["enhet"],
            "system_resources": [DIGISOS], "external_resources": [SOKER],
        },
        "definitions": {
            "true_processing_hours": "time a person actually worked on the step (known to the simulation, "
                                     "not in the log)",
            "staff_hours_per_year": "true processing hours × 365.25 / span_days",
            "span_days": "(last completion − first completion) in days",
            "closed_case": f"a case with {SENDT}",
        },
        "counts": {"cases": in_log, "events": int(len(events)), "closed_cases": closed,
                   "open_cases": in_log - closed, "open_case_share": sim.r4((in_log - closed) / in_log)},
        **sim.span_truth(first, last, span_days, extracted),
        "start_activities": [MOTTATT],
        "end_activities": [SENDT],
        "activities": activities,
        "resources": {
            "roles": {role: {"unit": UNIT[role], "clerks": list(names)} for role, names in ROLES.items()}
            | {LEDER: {"unit": UNIT[LEDER], "clerks": list(LEDERE)}},
            "activity_roles": ROLE_OF,
            "utilisation": sim_run.utilisation(),
            "queue": "each role's clerks take the oldest waiting task when free, after an unlogged break "
                     f"(exponential, mean {BREAK_MINUTES:g} min); unlogged other work shares the queue",
            "processing": f"lognormal around the planted mean, sigma {PROCESSING_SIGMA}, 1 min to one working day",
        },
        "rule": {
            "decided_after": KARTLEGGE,
            "branches": {INNVILGELSE: RULE_QUERY, AVSLAG: f"not ({RULE_QUERY})"},
            "pandas_query": RULE_QUERY,
            "structured": [{"attribute": "inntekt_kr", "op": "<",
                            "value": {"base": GUIDELINE_KR, "per_extra_member": GUIDELINE_PER_EXTRA_KR,
                                      "attribute": "husstand_antall", "minus": 1}}],
            "holds_in_every_case": rule_holds,
            "cases_with_branch": int(len(branch)),
            "innvilgelse_share": sim.r4((branch["activity"] == INNVILGELSE).mean()) if len(branch) else 0.0,
        },
        "random_step": {
            "activities": [INNHENTE, OPPLYSNINGER], "planted_probability": P_INNHENTE,
            "depends_on_case_attributes": False, "changes_outcome": False,
            "cases": int(frame.loc[frame["activity"] == INNHENTE, "case"].nunique()),
            "reply_wait_days": {"median": OPPLYSNINGER_DAYS[0], "sigma": OPPLYSNINGER_DAYS[1]},
        },
        "batch": {
            "activity": MOTE, "weekday": "Wednesday", "start": "09:00", "end": "11:30", "timezone": TZ,
            "agenda_deadline": "Tuesday 12:00", "on_public_holiday": "the next working day",
            "resources": list(LEDERE),
            "how": "the chairing leader completes the agenda's cases one after another, a few minutes each; "
                   f"above {SPLIT_ABOVE} cases both leaders split it; what does not fit by 11:30 waits a week",
            "meetings": int(meeting.meetings), "events": int(len(decided)),
            "median_cases_per_leader_and_meeting": float(np.median([b["cases"] for b in batches])) if batches else 0.0,
        },
        "planted_candidates": [{
            "kind": "automate", "activities": [KARTLEGGE],
            "why": "the routing after the assessment is a rule on income and household size",
            "staff_hours_per_year": activities[KARTLEGGE]["staff_hours_per_year"],
        }],
        "decoys": [
            {"activity": MOTTATT, "never": never, "why": "system receipt from Digisos, instantaneous"},
            {"activity": OPPLYSNINGER, "never": never, "why": "external: the applicant's reply"},
            {"activity": SENDT, "never": never, "why": "system dispatch after the meeting, instantaneous"},
            {"activity": MOTE, "never": never, "why": "a committee's judgement in the weekly meeting"},
            {"activity": INNVILGELSE, "never": ["automate"],
             "why": "a branch target of the rule: the rule is decided in Kartlegge situasjon, not here"},
            {"activity": AVSLAG, "never": ["automate"],
             "why": "a branch target of the rule: the rule is decided in Kartlegge situasjon, not here"},
        ],
    }


# --- writing -----------------------------------------------------------------------------------------


truth_path = sim.truth_path   # `sosialhjelp.csv` → `sosialhjelp.truth.json`


def write(generated: Generated, path: str | Path) -> Path:
    """Write the events as CSV (`;`, UTF-8, decimal commas, two decimals) and the truth beside; returns its path."""
    path = Path(path)
    if path.suffix.lower() != ".csv":
        raise InputError("a sosialhjelp log is written as .csv", file=str(path))
    path.parent.mkdir(parents=True, exist_ok=True)
    ev = generated.events
    out = ev.assign(tidspunkt=sim.iso_offset(ev["tidspunkt"]).to_numpy(),
                    inntekt_kr=ev["inntekt_kr"].map("{:.2f}".format).str.replace(".", ",", regex=False),
                    boutgift_kr=ev["boutgift_kr"].map("{:.2f}".format).str.replace(".", ",", regex=False))
    with path.open("w", encoding="utf-8", newline="") as fh:
        out.to_csv(fh, sep=";", index=False, columns=list(COLUMNS), lineterminator="\n")
    target = truth_path(path)
    sim.write_truth(generated.truth, target)
    return target
