"""Words and numbers as a user reads them, in bokmål (`nb`, the default) or English (`en`).

The texts live in `wording_nb` and `wording_en`, one dict of key → text each; the report, the explorer
and the CLI all read them through `tr`, so a phrase is written once per language. The number formatters
here are the only ones: bokmål `1 434` (no-break space), `12,5 %`, `3,5 t`; English `1,434`, `12.5%`,
`3.5 h`. This module sits in `mining` because data flows one way (mining never imports app) and the
report needs the same words as the explorer.
"""
from __future__ import annotations

import math
from datetime import date, datetime
from typing import Literal
from zoneinfo import ZoneInfo

from . import wording_en, wording_nb

LANGS = ("nb", "en")
NBSP = "\u00a0"
WORDS: dict[str, dict[str, str]] = {"nb": wording_nb.WORDS, "en": wording_en.WORDS}


def known(key: str) -> bool:
    """Whether `key` has a text (bokmål has every key)."""
    return key in wording_nb.WORDS


def tr(key: str, lang: str = "nb", /, **values: object) -> str:
    """The text of `key` in `lang`, with `{name}` filled from `values`.

    A key missing in English (or empty there) falls back to bokmål, and a key missing in both shows the key
    itself: a missing text is visible but never breaks a page.
    """
    text = WORDS.get(lang, {}).get(key) or wording_nb.WORDS.get(key)
    if text is None:
        return key
    return text.format(**values) if values else text


def _missing(x: object) -> bool:
    return x is None or (isinstance(x, float) and not math.isfinite(x))


def num(x: float | int | None, *, lang: str, digits: int = 0) -> str:
    """A number with `digits` decimals, grouped by thousands; "–" when there is none."""
    if _missing(x):
        return "–"
    s = f"{x:,.{digits}f}"
    if lang == "nb":
        s = s.replace(",", NBSP).replace(".", ",")
    return s.replace("-", "−")


def pct(share: float | None, *, lang: str, digits: int) -> str:
    """A share (0.125) as a percentage: `12,5 %` in bokmål, `12.5%` in English."""
    if _missing(share):
        return "–"
    return num(100 * share, lang=lang, digits=digits) + (f"{NBSP}%" if lang == "nb" else "%")


def hours(h: float | None, *, lang: str, scale: Literal["auto", "hours"], days: bool = False) -> str:
    """A duration given in hours; the one hours formatter, with the two ways Saksflyt writes one.

    `scale="auto"` (the explorer) picks the unit by size: minutes below an hour, hours with one decimal
    below three days, days with one decimal above. `scale="hours"` (report.html, monitor.html and the
    evidence sentences) always writes hours, with one decimal below ten and none above; `days=True` then
    adds whole days in brackets from three days on, as long waits read better in days too.
    """
    if _missing(h):
        return "–"
    if scale == "auto":
        if h < 1:
            return f"{num(h * 60, lang=lang, digits=0)}{NBSP}min"
        if h < 72:
            return f"{num(h, lang=lang, digits=1)}{NBSP}" + ("t" if lang == "nb" else "h")
        return f"{num(h / 24, lang=lang, digits=1)}{NBSP}d"
    text = f"{num(h, lang=lang, digits=1 if abs(h) < 10 else 0)}{NBSP}" + ("t" if lang == "nb" else "h")
    if days and abs(h) >= 72:
        text += f" ({num(h / 24, lang=lang, digits=0)}{NBSP}" + ("døgn)" if lang == "nb" else "days)")
    return text


def days(d: float | None, *, lang: str) -> str:
    """A number of days with one decimal and the word."""
    if _missing(d):
        return "–"
    return f"{num(d, lang=lang, digits=1)}{NBSP}" + ("dager" if lang == "nb" else "days")


def when(d: date | datetime | None, *, lang: str) -> str:
    """A date, or a time in Norwegian time (Europe/Oslo): `31.12.2024 13:05` or `2024-12-31 13:05`."""
    if d is None:
        return "–"
    if isinstance(d, datetime):
        local = d.astimezone(ZoneInfo("Europe/Oslo"))
        return local.strftime("%d.%m.%Y %H:%M") if lang == "nb" else local.strftime("%Y-%m-%d %H:%M")
    return d.strftime("%d.%m.%Y") if lang == "nb" else d.isoformat()


def month(d: date, *, lang: str) -> str:
    """A month: `03.2024` or `2024-03`."""
    return d.strftime("%m.%Y") if lang == "nb" else d.strftime("%Y-%m")


def quote(s: str, *, lang: str) -> str:
    """A name in the language's quotation marks: «x» or “x”."""
    return f"«{s}»" if lang == "nb" else f"“{s}”"
