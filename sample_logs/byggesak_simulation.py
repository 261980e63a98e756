"""The byggesak simulation: office-time arithmetic and one vectorised numpy pass per process step over all cases."""
from __future__ import annotations

from collections.abc import Callable
from datetime import date

import holidays
import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from .byggesak_model import (
    _ACT, AGENDA_DEADLINE_S, AREAL_MEDIAN_M2, ARKIV, ARRIVAL_WEEKS, AVSLAG, BE_OM, CLOSE_S, COMMENT_P, _COMMENTS,
    _COMPANY_SUFFIX, _DAY, DEADLINE_ACTIVITIES, DELAY_MONTHS, EKSTRA, FAGLIG, FATTET, _FIRST_NAMES, FORELOPIG,
    FORLENGET, FORLENGET_DAYS, GEBYR_NOK, GEBYR_SIGMA, HABIT_CLERKS, HOERING_DAYS, INNHENTE, JURIDISK, JURISTER,
    _LAST_NAMES, LEDERE, MAX_STEP_S, MEETING_END_S, MEETING_START_S, MOTTATT, NABOVARSEL, NO_MEETING_WEEKS,
    NORM_MINUTES, NORMAL_CAPACITY, OFFICE_DAY_S, OPEN_S, OPEN_SHARE, _ORIGIN, OVERTIME_CLOSE_S, OVERTIME_SHARE,
    P_AVSLAG, P_AVSLAG_JURIDISK, P_COMPANY_BRUKSENDRING, P_DISPENSASJON, P_FNR, P_FNR_IN_COMMENT, P_FORELOPIG,
    P_FORLENGET, P_HABIT, P_JURIDISK, P_LOOP, PROCESSING_SIGMA, REGISTRERE, _RES, RESOURCE_KIND, RETUR,
    SAKSBEHANDLERE, SENDT, SYSTEM, TD_MOTTATT, TD_WAIT_DAYS, TILLATELSE, TILTAK_P, TILTAKSTYPER, TZ, UTARBEIDE,
    VEDLEGG_MEAN, VEGVESEN, VEGVESEN_BODY, VEGVESEN_P, VEGVESEN_WAIT_DAYS, VURDERE, WAIT_OFFICE_HOURS, WAIT_SIGMA,
)


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
