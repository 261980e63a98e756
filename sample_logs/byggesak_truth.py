"""The byggesak log's ground truth: what was planted, measured on the generated events themselves."""
from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd

from .byggesak_model import (
    _ACT, ACTIVITIES, AVSLAG, BE_OM, CASE_ATTRIBUTES, COLUMNS, _DAY, DEFAULT_WEEKS, DELAY_ACTIVITY, EKSTRA, FAGLIG,
    FATTET, FORELOPIG, FORLENGET, FORLENGET_DAYS, GEBYR_NOK, GEBYR_SIGMA, HABIT_CLERKS, INNHENTE, JURIDISK,
    MOTTATT, NABOVARSEL, NO_MEETING_WEEKS, NORM_MINUTES, NORMAL_CAPACITY, OVERTIME_SHARE, P_AVSLAG,
    P_AVSLAG_JURIDISK, P_FORELOPIG, P_FORLENGET, P_HABIT, P_JURIDISK, P_LOOP, PRELIMINARY_REPLY_DAYS,
    REFUND_PER_STARTED_WEEK, _RES, RESOURCE_KIND, RETUR, SENDT, SIMPLE_TILTAK, SIMPLE_WEEKS, SYSTEM, TD_MOTTATT,
    TILLATELSE, TILTAKSTYPER, TZ, UTARBEIDE, VEGVESEN, VEGVESEN_BODY, VEGVESEN_P, VEGVESEN_WAIT_DAYS, VURDERE,
    WAIT_OFFICE_HOURS,
)
from .byggesak_simulation import _arrivals_per_day, _delay_months, _month


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
