"""The wording modules: both languages have the same keys and placeholders, and the one hours formatter."""
from __future__ import annotations

from string import Formatter

from saksflyt.mining import wording, wording_en, wording_nb

NBSP = "\u00a0"


def _fields(text: str) -> set[str]:
    return {name for _, name, _, _ in Formatter().parse(text) if name is not None}


def test_languages_share_keys_and_placeholders() -> None:
    assert wording_nb.WORDS.keys() == wording_en.WORDS.keys()
    assert all(wording_nb.WORDS.values()) and all(wording_en.WORDS.values())
    differ = [k for k, nb in wording_nb.WORDS.items() if _fields(nb) != _fields(wording_en.WORDS[k])]
    assert not differ


def test_tr_fills_values_and_falls_back() -> None:
    assert wording.tr("report.title", "en") == "Process analysis"
    assert wording.tr("state.not_mined", "nb", log="x").startswith("Loggen «x»")
    assert wording.tr("weekdays.4", "en") == "Thursdays"
    assert wording.tr("no.such.key", "en") == "no.such.key"
    assert wording.tr("report.title", "de") == wording.tr("report.title", "nb")


def test_one_hours_formatter_two_scales() -> None:
    h = wording.hours
    assert h(0.5, lang="nb", scale="auto") == f"30{NBSP}min"
    assert h(5.25, lang="en", scale="auto") == f"5.2{NBSP}h"
    assert h(80, lang="nb", scale="auto") == f"3,3{NBSP}d"
    assert h(5.25, lang="nb", scale="hours") == f"5,2{NBSP}t"
    assert h(80, lang="nb", scale="hours", days=True) == f"80{NBSP}t (3{NBSP}døgn)"
    assert h(1500, lang="en", scale="hours", days=True) == f"1,500{NBSP}h (62{NBSP}days)"
    assert h(None, lang="nb", scale="hours") == h(float("nan"), lang="en", scale="auto") == "–"
