"""The simulation-validation distances on hand-built logs with known answers, and on byggesak."""
from __future__ import annotations

from collections import Counter

import numpy as np
import pandas as pd
import pytest
from helpers import SAMPLES

from saksflyt.extractors.errors import InputError
from saksflyt.mining.simulation_distance import (
    arrival_emd_hours,
    compare,
    completion_emd_hours,
    cycle_time_emd_hours,
    event_emd_hours,
    ngram_distance,
    wip_distance,
)

H = 3600.0
T0 = 1_700_000_000.0 - (1_700_000_000.0 % H)  # an hour boundary, so hour bins are easy to reason about
BYGGESAK = SAMPLES / "byggesak.csv"


def make_log(traces: list[str], *, prefix: str = "c", gap_hours: float = 1.0) -> pd.DataFrame:
    """One case per string, one event per letter, `gap_hours` apart; cases start an hour apart."""
    rows = []
    for i, trace in enumerate(traces):
        for j, act in enumerate(trace):
            end = T0 + i * H + (j + 1) * gap_hours * H
            rows.append({"case_id": f"{prefix}{i}", "activity": act, "start": end - 600.0, "end": end})
    return pd.DataFrame(rows)


def shifted(log: pd.DataFrame, hours: float) -> pd.DataFrame:
    return log.assign(start=log["start"] + hours * H, end=log["end"] + hours * H)


def test_identical_logs_are_at_distance_zero_whatever_the_case_ids() -> None:
    real = make_log(["ABC", "ABC", "AC", "ABBC"])
    sim = make_log(["ABC", "ABC", "AC", "ABBC"], prefix="sim-")
    assert compare(real, sim) == {
        "ngram_distance": 0.0,
        "cycle_time_emd_hours": 0.0,
        "arrival_emd_hours": 0.0,
        "completion_emd_hours": 0.0,
        "event_emd_hours": 0.0,
        "wip_distance": 0.0,
    }


def test_disjoint_trigrams_give_distance_one() -> None:
    assert ngram_distance(make_log(["AB", "AB"]), make_log(["CD", "DC", "CC"])) == 1.0


def test_ngram_distance_by_hand() -> None:
    # Marks S, E. ABC -> SSA SAB ABC BCE CEE; AC -> SSA SAC ACE CEE.
    # real (ABC x2, AC x2): SSA 4, CEE 4, SAB 2, ABC 2, BCE 2, SAC 2, ACE 2 = 18 trigrams.
    # sim (ABC x4): SSA 4, CEE 4, SAB 4, ABC 4, BCE 4 = 20 trigrams.
    # |f_real - f_sim|: SSA, CEE: 4/18 - 4/20 = 4/180 each -> 8/180;
    #   SAB, ABC, BCE: 4/20 - 2/18 = 16/180 each -> 48/180; SAC, ACE: 2/18 = 20/180 each -> 40/180.
    # Sum 96/180, over (1 + 1) relative totals = 48/180 = 4/15.
    real = make_log(["ABC", "ABC", "AC", "AC"])
    sim = make_log(["ABC"] * 4)
    assert ngram_distance(real, sim) == pytest.approx(4 / 15, abs=1e-12)
    assert ngram_distance(sim, real) == pytest.approx(4 / 15, abs=1e-12)
    # relative frequencies: doubling a log's cases changes nothing
    assert ngram_distance(real, make_log(["ABC"] * 8)) == pytest.approx(4 / 15, abs=1e-12)
    # bigrams: real SA 4, AB 2, BC 2, CE 4, AC 2 (14); sim SA 4, AB 4, BC 4, CE 4 (16)
    # SA, CE: 4/14 - 4/16 = 1/28 each; AB, BC: 4/16 - 2/14 = 3/28 each; AC 2/14 = 4/28 -> 12/28, halved 3/14
    assert ngram_distance(real, sim, n=2) == pytest.approx(3 / 14, abs=1e-12)


def naive_ngram_distance(real: pd.DataFrame, sim: pd.DataFrame, n: int) -> float:
    """The definition written out with Python loops, as an oracle for the vectorised version."""
    def freqs(log: pd.DataFrame) -> Counter:
        counts: Counter = Counter()
        ordered = log.assign(_row=range(len(log)), _first=log["start"].fillna(log["end"]))
        for _, case in ordered.sort_values(["end", "_first", "_row"]).groupby("case_id", sort=False):
            trace = [("<s>",)] * (n - 1) + list(case["activity"]) + [("<e>",)] * (n - 1)
            counts.update(tuple(trace[i:i + n]) for i in range(len(trace) - n + 1))
        total = sum(counts.values())
        return Counter({k: v / total for k, v in counts.items()})
    fr, fs = freqs(real), freqs(sim)
    return sum(abs(fr[k] - fs[k]) for k in fr.keys() | fs.keys()) / 2


@pytest.mark.parametrize("n", [1, 2, 3, 4])
def test_ngram_distance_matches_the_definition_on_random_logs(n: int) -> None:
    rng = np.random.default_rng(n)

    def random_log(cases: int) -> pd.DataFrame:
        size = rng.integers(1, 7, cases)
        ends = np.round(rng.uniform(0, 50 * H, size.sum()) / 600) * 600  # coarse, so ties occur
        start = ends - rng.choice([0.0, 600.0, 1200.0], size.sum())
        start[rng.random(size.sum()) < 0.3] = np.nan
        log = pd.DataFrame({"case_id": np.repeat(np.arange(cases), size),
                            "activity": rng.choice(list("ABCD"), size.sum()), "start": start, "end": ends})
        return log.sample(frac=1.0, random_state=int(rng.integers(1000))).reset_index(drop=True)

    real, sim = random_log(40), random_log(25)
    assert ngram_distance(real, sim, n=n) == pytest.approx(naive_ngram_distance(real, sim, n), abs=1e-12)


def test_events_are_ordered_by_end_then_start_then_row() -> None:
    # rows given as C, B, A; ends put A first; B and C share an end and B starts earlier
    real = pd.DataFrame({"case_id": [1, 1, 1], "activity": ["C", "B", "A"],
                         "start": [T0 + 2 * H, T0 + H, np.nan], "end": [T0 + 3 * H, T0 + 3 * H, T0]})
    assert ngram_distance(real, make_log(["ABC"])) == 0.0
    # a full tie keeps row order
    tie = pd.DataFrame({"case_id": [1, 1], "activity": ["B", "A"], "start": [T0, T0], "end": [T0, T0]})
    assert ngram_distance(tie, make_log(["BA"])) == 0.0


def test_five_hour_shift() -> None:
    real = make_log(["ABC", "AC", "ABBC", "A"], gap_hours=2.5)
    sim = shifted(real, 5).assign(case_id=lambda d: "s" + d["case_id"])
    assert arrival_emd_hours(real, sim) == pytest.approx(5.0)
    assert completion_emd_hours(real, sim) == pytest.approx(5.0)
    assert event_emd_hours(real, sim) == pytest.approx(5.0)
    assert wip_distance(real, sim) == pytest.approx(5.0)
    assert cycle_time_emd_hours(real, sim) == 0.0
    assert ngram_distance(real, sim) == 0.0


def two_event_cases(cycle_hours: list[float]) -> pd.DataFrame:
    """Cases all arriving at T0, each with a start event and an end event `cycle_hours` later."""
    k = len(cycle_hours)
    return pd.DataFrame({"case_id": np.repeat(np.arange(k), 2), "activity": ["A", "B"] * k, "start": np.nan,
                         "end": np.ravel([[T0, T0 + h * H] for h in cycle_hours])})


def test_cycle_time_emd() -> None:
    # {10, 20} vs {10, 30}: half the mass moves 10 hours
    assert cycle_time_emd_hours(two_event_cases([10, 20]), two_event_cases([10, 30])) == pytest.approx(5.0)
    # durations are rounded to whole hours: 10h20m counts as 10h, 29h40m as 30h
    assert cycle_time_emd_hours(two_event_cases([10 + 1 / 3, 20]), two_event_cases([10, 30 - 1 / 3])) == \
        pytest.approx(5.0)


def test_wip_counts_every_hour_a_case_is_open() -> None:
    # real: one case open in hours 0..3 (4 bins); sim: open in hours 0..1. Mass 1/4 at each of 0..3 against
    # 1/2 at 0 and 1: the CDFs differ by 1/4 after hour 0, 1/2 after hour 1, 1/4 after hour 2 -> EMD 1.0
    real = two_event_cases([3.5])
    sim = two_event_cases([1.2])
    assert wip_distance(real, sim) == pytest.approx(1.0)
    # the height of the curve does not count, only its shape in time
    assert wip_distance(real, two_event_cases([3.5, 3.5, 3.5])) == 0.0


def test_missing_start_falls_back_to_end() -> None:
    # case arrives with an end-only event at T0 + 2h; had its start (T0) been used, arrival would be 2h earlier
    real = pd.DataFrame({"case_id": ["x", "x"], "activity": ["A", "B"], "start": [np.nan, T0 + 3 * H],
                         "end": [T0 + 2 * H, T0 + 4 * H]})
    sim = real.assign(start=[T0, T0 + 3 * H])
    assert arrival_emd_hours(real, sim) == pytest.approx(2.0)
    assert cycle_time_emd_hours(real, sim) == pytest.approx(2.0)
    assert completion_emd_hours(real, sim) == 0.0
    # events: real {2, 3, 4} (a missing start adds no instant of its own), sim {0, 2, 3, 4}.
    # |CDF difference| x width: [0,2) 1/4 x 2 + [2,3) |1/3 - 2/4| x 1 + [3,4) |2/3 - 3/4| x 1 = 1/2 + 1/6 + 1/12
    assert event_emd_hours(real, sim) == pytest.approx(0.75)


def test_inputs_are_not_mutated() -> None:
    real = make_log(["ABC", "AC"]).iloc[::-1]
    real.loc[real.index[0], "start"] = np.nan
    sim = shifted(make_log(["AB", "ACC"]), 1.5)
    before = real.copy(), sim.copy()
    compare(real, sim)
    pd.testing.assert_frame_equal(real, before[0])
    pd.testing.assert_frame_equal(sim, before[1])


def test_empty_logs_are_named() -> None:
    log = make_log(["AB"])
    with pytest.raises(InputError, match="^the real log is empty"):
        compare(log.iloc[0:0], log)
    with pytest.raises(InputError, match="^the simulated log is empty"):
        wip_distance(log, log.iloc[0:0])
    with pytest.raises(InputError, match="^the simulated log is empty"):
        ngram_distance(log, log.assign(case_id=None))


def test_byggesak_halves_are_close_and_reversed_order_is_far() -> None:
    raw = pd.read_csv(BYGGESAK, sep=";", decimal=",", usecols=["saksnr", "aktivitet", "start", "slutt"])

    def seconds(col: str) -> pd.Series:
        return (pd.to_datetime(raw[col], utc=True) - pd.Timestamp(0, tz="UTC")).dt.total_seconds()

    log = pd.DataFrame({"case_id": raw["saksnr"], "activity": raw["aktivitet"],
                        "start": seconds("start"), "end": seconds("slutt")})
    cases = log["case_id"].unique()
    first_half = np.random.default_rng(2023).permutation(cases)[: len(cases) // 2]
    in_first = log["case_id"].isin(first_half)
    assert ngram_distance(log[in_first], log[~in_first]) < 0.05
    # negating time reverses each case's activity order
    reversed_log = log.assign(start=-log["end"], end=-log["start"].fillna(log["end"]))
    assert ngram_distance(log, reversed_log) > 0.5
