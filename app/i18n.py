"""The explorer's side of the wording: the languages it offers, its chart locale, and `Translator`.

The texts and number formats themselves live in `saksflyt.mining.wording` (shared with report.html and
the CLI). `Translator(lang)`, built from the language the user chose (`st.session_state["lang"]`), gives
`tr(key, **values)` for text and `tr.int`, `tr.num`, `tr.hours`, `tr.pct`, `tr.date` for numbers as each
language writes them: bokmål `1 434` (no-break space), `12,5 %`; English `1,434`, `12.5%`.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from saksflyt.mining import wording
from saksflyt.mining.wording import LANGS, NBSP

__all__ = ["LANGS", "LANG_NAMES", "NBSP", "STRINGS", "VEGA_LOCALE", "Translator"]

LANG_NAMES = {"nb": "Norsk bokmål", "en": "English"}

# Vega-Lite's `config.locale` (d3-format and d3-time-format locales): chart axes, numbers and dates in the
# page's language. Without it Vega draws "March" and "1,000" on a bokmål page.
VEGA_LOCALE = {
    "nb": {
        "number": {"decimal": ",", "thousands": NBSP, "grouping": [3], "currency": ["", f"{NBSP}kr"]},
        "time": {"dateTime": "%A %e. %B %Y kl. %X", "date": "%d.%m.%Y", "time": "%H:%M:%S", "periods": ["", ""],
                 "days": ["søndag", "mandag", "tirsdag", "onsdag", "torsdag", "fredag", "lørdag"],
                 "shortDays": ["søn", "man", "tir", "ons", "tor", "fre", "lør"],
                 "months": ["januar", "februar", "mars", "april", "mai", "juni", "juli", "august", "september",
                            "oktober", "november", "desember"],
                 "shortMonths": ["jan", "feb", "mar", "apr", "mai", "jun", "jul", "aug", "sep", "okt", "nov",
                                 "des"]},
    },
    "en": {
        "number": {"decimal": ".", "thousands": ",", "grouping": [3], "currency": ["NOK ", ""]},
        "time": {"dateTime": "%a %e %b %X %Y", "date": "%Y-%m-%d", "time": "%H:%M:%S", "periods": ["AM", "PM"],
                 "days": ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"],
                 "shortDays": ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"],
                 "months": ["January", "February", "March", "April", "May", "June", "July", "August", "September",
                            "October", "November", "December"],
                 "shortMonths": ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov",
                                 "Dec"]},
    },
}

# Every key with its text in both languages (English falls back to bokmål): for tests that look a text up.
STRINGS: dict[str, dict[str, str]] = {
    key: {lang: wording.tr(key, lang) for lang in LANGS} for key in wording.WORDS["nb"]}


@dataclass(frozen=True)
class Translator:
    """Text and numbers in one language, as the explorer writes them (durations in min, h or d by size)."""

    lang: str = "nb"

    def __call__(self, key: str, **values: object) -> str:
        return wording.tr(key, self.lang, **values)

    def num(self, x: float | int | None, digits: int = 0) -> str:
        return wording.num(x, lang=self.lang, digits=digits)

    def int(self, x: float | int | None) -> str:
        return wording.num(x, lang=self.lang, digits=0)

    def pct(self, share: float | None, digits: int = 1) -> str:
        return wording.pct(share, lang=self.lang, digits=digits)

    def hours(self, h: float | None) -> str:
        """A duration: minutes below an hour, hours below three days, then days."""
        return wording.hours(h, lang=self.lang, scale="auto")

    def days(self, d: float | None) -> str:
        return wording.days(d, lang=self.lang)

    def date(self, d: date | datetime | None) -> str:
        return wording.when(d, lang=self.lang)

    def month(self, d: date) -> str:
        return wording.month(d, lang=self.lang)

    def quote(self, s: str) -> str:
        return wording.quote(s, lang=self.lang)

    def join(self, items: list[str]) -> str:
        return ", ".join(self.quote(i) for i in items)
