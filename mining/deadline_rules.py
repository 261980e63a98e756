"""Deadline rules of a log, as the TOML file of `mine --config` states them, checked against the log.

Statutory deadlines differ by case type and municipality (building permits: plan- og bygningsloven
§ 21-7; preliminary replies: forvaltningsloven § 11 a; social services: internal service targets), so
nothing here knows byggesak: every activity, attribute and number comes from the config::

    [logs.byggesak.deadline]
    clock_start = "Søknad mottatt"        # default: the case's first event
    stop = ["Vedtak sendt"]               # default: the log's common end activities
    pauses = [["Be om tilleggsdokumentasjon", "Tilleggsdokumentasjon mottatt"]]
    extensions = { activity = "Frist forlenget", days_attribute = "forlenget_dager" }
    weeks = 12                            # or days = 30
    rules = [{ if = { tiltakstype = ["garasje", "tilbygg"], dispensasjon = [false] }, weeks = 3 }]
    refund_per_started_week = 0.25
    fee = 20000                           # or fee_attribute = "gebyr"

    [[logs.byggesak.within]]
    name = "foreløpig svar"
    from = "Søknad mottatt"
    to = ["Foreløpig svar sendt", "Vedtak sendt"]
    days = 30

Parsing checks shapes and types (`parse`); `check` then holds the names against a log's activities and
case attributes and names the nearest matches of a misspelt one.
"""
from __future__ import annotations

import difflib
import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from saksflyt.extractors.errors import InputError

DEADLINE_KEYS = {"clock_start", "stop", "pauses", "extensions", "weeks", "days", "rules",
                 "refund_per_started_week", "fee", "fee_attribute"}
WITHIN_KEYS = {"name", "from", "to", "days"}


@dataclass(frozen=True)
class DeadlineRule:
    """`weeks` (in days) for cases whose attributes all take one of the listed values."""

    when: tuple[tuple[str, tuple[str, ...]], ...]
    days: int


@dataclass(frozen=True)
class Deadline:
    """The legal clock of a log: what starts, stops, pauses and extends it, and what a late case costs."""

    clock_start: str | None = None
    stop: tuple[str, ...] = ()
    pauses: tuple[tuple[str, str], ...] = ()
    extension_activity: str | None = None
    extension_days_attribute: str | None = None
    days: int = 84
    rules: tuple[DeadlineRule, ...] = ()
    refund_per_started_week: float = 0.0
    fee: float | None = None
    fee_attribute: str | None = None

    @property
    def attributes(self) -> tuple[str, ...]:
        """Every case or event attribute the clock reads, in order of first mention."""
        names = [name for rule in self.rules for name, _ in rule.when]
        names += [a for a in (self.extension_days_attribute, self.fee_attribute) if a]
        return tuple(dict.fromkeys(names))

    @property
    def activities(self) -> tuple[str, ...]:
        names = [a for a in (self.clock_start, self.extension_activity) if a]
        names += [*self.stop, *(a for pair in self.pauses for a in pair)]
        return tuple(dict.fromkeys(names))

    @property
    def has_fee(self) -> bool:
        return self.refund_per_started_week > 0 and (self.fee is not None or self.fee_attribute is not None)


@dataclass(frozen=True)
class Within:
    """"`to` within `days` calendar days of `from`" (e.g. a preliminary reply within a month)."""

    name: str
    start: str
    to: tuple[str, ...]
    days: int


@dataclass(frozen=True)
class DeadlineConfig:
    deadline: Deadline | None = None
    within: tuple[Within, ...] = ()

    @property
    def empty(self) -> bool:
        return self.deadline is None and not self.within


def _names(value: Any, where: str, file: str | None) -> tuple[str, ...]:
    if isinstance(value, str) and value.strip():
        return (value.strip(),)
    if not isinstance(value, list) or not value or not all(isinstance(v, str) and v.strip() for v in value):
        raise InputError(f"{where} must be an activity name or a list of them", file=file)
    return tuple(v.strip() for v in value)


def _count(value: Any, where: str, file: str | None, *, unit: str) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or value < 0 or value != math.floor(value):
        raise InputError(f"{where} must be a whole number of {unit} ≥ 0, got {value!r}", file=file)
    return int(value)


def _period_days(table: Mapping[str, Any], where: str, file: str | None, *, default: int | None) -> int:
    if "weeks" in table and "days" in table:
        raise InputError(f"{where}: give weeks or days, not both", file=file)
    if "weeks" in table:
        return 7 * _count(table["weeks"], f"{where}.weeks", file, unit="weeks")
    if "days" in table:
        return _count(table["days"], f"{where}.days", file, unit="days")
    if default is None:
        raise InputError(f"{where} needs weeks or days", file=file)
    return default


YES_WORDS = ("true", "ja", "yes", "j", "y")
NO_WORDS = ("false", "nei", "no", "n")


def attribute_value_text(value: Any) -> str:
    """One text form for a value from the config or the store, so `false`, `"nei"` and `"False"` compare
    (a Norwegian export writes ja/nei where the config says true/false); `3.0` and `3` compare too."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    text = str(value).strip().lower()
    return "true" if text in YES_WORDS else "false" if text in NO_WORDS else text


def _rule(raw: Any, where: str, file: str | None) -> DeadlineRule:
    if not isinstance(raw, dict) or set(raw) - {"if", "weeks", "days"} or "if" not in raw:
        raise InputError(f"{where} must be {{ if = {{ attribute = [values] }}, weeks = N }}", file=file)
    cond = raw["if"]
    if not isinstance(cond, dict) or not cond:
        raise InputError(f"{where}.if must name at least one attribute", file=file)
    when = []
    for name, values in cond.items():
        values = values if isinstance(values, list) else [values]
        if not values or not all(isinstance(v, (str, int, float, bool)) for v in values):
            raise InputError(f"{where}.if.{name} must list the values allowed", file=file)
        when.append((str(name), tuple(attribute_value_text(v) for v in values)))
    return DeadlineRule(tuple(when), _period_days(raw, where, file, default=None))


def parse_deadline(table: Any, *, where: str, file: str | None = None) -> Deadline:
    """A `[logs.NAME.deadline]` table: shapes and types only; `check` holds its names against a log."""
    if not isinstance(table, dict):
        raise InputError(f"{where} must be a table", file=file)
    unknown = sorted(set(table) - DEADLINE_KEYS)
    if unknown:
        raise InputError(f"{where}: unknown key {', '.join(unknown)} (known: {', '.join(sorted(DEADLINE_KEYS))})",
                         file=file)
    pauses = table.get("pauses", [])
    if not isinstance(pauses, list) or not all(
            isinstance(p, list) and len(p) == 2 and all(isinstance(a, str) and a.strip() for a in p) for p in pauses):
        raise InputError(f"{where}.pauses must be a list of [pause starts, pause ends] activity pairs", file=file)
    ext = table.get("extensions")
    if ext is not None and (not isinstance(ext, dict) or set(ext) != {"activity", "days_attribute"}):
        raise InputError(f"{where}.extensions must be {{ activity = \"…\", days_attribute = \"…\" }}", file=file)
    refund = table.get("refund_per_started_week", 0.0)
    if isinstance(refund, bool) or not isinstance(refund, (int, float)) or not 0 <= refund <= 1:
        raise InputError(f"{where}.refund_per_started_week must be a share between 0 and 1, got {refund!r}",
                         file=file)
    if "fee" in table and "fee_attribute" in table:
        raise InputError(f"{where}: give fee or fee_attribute, not both", file=file)
    fee = table.get("fee")
    if fee is not None and (isinstance(fee, bool) or not isinstance(fee, (int, float)) or fee < 0):
        raise InputError(f"{where}.fee must be an amount in NOK ≥ 0, got {fee!r}", file=file)
    fee_attribute = table.get("fee_attribute")
    if fee_attribute is not None and not (isinstance(fee_attribute, str) and fee_attribute.strip()):
        raise InputError(f"{where}.fee_attribute must be an attribute name", file=file)
    rules = table.get("rules", [])
    if not isinstance(rules, list):
        raise InputError(f"{where}.rules must be a list of {{ if = …, weeks = N }}", file=file)
    clock_start = table.get("clock_start")
    return Deadline(
        clock_start=_names(clock_start, f"{where}.clock_start", file)[0] if clock_start is not None else None,
        stop=_names(table["stop"], f"{where}.stop", file) if "stop" in table else (),
        pauses=tuple((p[0].strip(), p[1].strip()) for p in pauses),
        extension_activity=ext["activity"].strip() if ext else None,
        extension_days_attribute=ext["days_attribute"].strip() if ext else None,
        days=_period_days(table, where, file, default=84),
        rules=tuple(_rule(r, f"{where}.rules[{i}]", file) for i, r in enumerate(rules)),
        refund_per_started_week=float(refund),
        fee=float(fee) if fee is not None else None,
        fee_attribute=fee_attribute.strip() if fee_attribute else None)


def parse_within(entries: Any, *, where: str, file: str | None = None) -> tuple[Within, ...]:
    """`[[logs.NAME.within]]` entries."""
    if not isinstance(entries, list):
        raise InputError(f"{where} must be a list of [[…within]] tables", file=file)
    out = []
    for i, raw in enumerate(entries):
        at = f"{where}[{i}]"
        if not isinstance(raw, dict):
            raise InputError(f"{at} must be a table", file=file)
        unknown = sorted(set(raw) - WITHIN_KEYS)
        missing = sorted(WITHIN_KEYS - set(raw))
        if unknown or missing:
            raise InputError(f"{at}: " + "; ".join(
                ([f"unknown key {', '.join(unknown)}"] if unknown else [])
                + ([f"missing {', '.join(missing)}"] if missing else [])), file=file)
        name = raw["name"]
        if not isinstance(name, str) or not name.strip():
            raise InputError(f"{at}.name must be a text", file=file)
        out.append(Within(name=name.strip(), start=_names(raw["from"], f"{at}.from", file)[0],
                          to=_names(raw["to"], f"{at}.to", file),
                          days=_count(raw["days"], f"{at}.days", file, unit="days")))
    return tuple(out)


def nearest(name: str, known: Iterable[str]) -> str:
    """"; nearest: 'a', 'b'" for a misspelt name (empty when nothing is close), to end an error line."""
    known = list(known)
    close = difflib.get_close_matches(name, known, n=3, cutoff=0.5)
    if not close:  # case or accents differ more than difflib's ratio forgives
        lowered = {k.lower(): k for k in known}
        close = [lowered[k] for k in difflib.get_close_matches(name.lower(), list(lowered), n=3, cutoff=0.4)]
    return f"; nearest: {', '.join(repr(c) for c in close)}" if close else ""


def check(config: DeadlineConfig, *, activities: Iterable[str], attributes: Iterable[str],
          where: str, file: str | None = None) -> None:
    """Every activity and attribute the config names must be in the log; else an InputError naming the
    nearest matches (a misspelt stop activity would otherwise leave every case open for ever)."""
    acts, attrs = set(activities), set(attributes)
    named: list[tuple[str, str]] = []
    if config.deadline is not None:
        named += [("activity", a) for a in config.deadline.activities]
        named += [("attribute", a) for a in config.deadline.attributes]
    for w in config.within:
        named += [("activity", a) for a in (w.start, *w.to)]
    for kind, name in named:
        known = acts if kind == "activity" else attrs
        if name not in known:
            raise InputError(f"{where}: {kind} {name!r} is not in the log{nearest(name, known)}", file=file)
