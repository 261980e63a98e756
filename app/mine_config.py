"""`saksflyt mine --config FILE`: a log's standing settings in a TOML file instead of flags on every run.

A process owner decides once which steps are mandatory by law, which resources are outside parties,
what closes a case and which hours count as working time; a file kept beside the store says so for
every later run and every analyst. The file:

    [calendar]                     # for every log (each key optional; defaults in brackets)
    zone = "Europe/Oslo"           # [Europe/Oslo]
    day_start = "08:00"            # [08:00]
    day_end = "15:45"              # [15:45]
    workdays = [1, 2, 3, 4, 5]     # ISO weekdays, Monday = 1 [1–5]
    holidays = "NO"                # python-holidays country code, or false for none ["NO"]
    closed = ["2024-12-24"]        # extra closed days (e.g. Christmas Eve)

    [logs.byggesak]                # one table per log name
    mandatory = ["Nabovarsel sendt"]
    external = ["Statens vegvesen"]
    outcome_attrs = ["vedtak"]     # attributes that record the outcome: never explain a step
    end_activities = ["Tillatelse sendt", "Avslag sendt"]
    model = "modeller/byggesak.bpmn"   # relative to this file
    calendar = { day_end = "15:00" }   # overrides the [calendar] keys for this log

    [logs.byggesak.deadline]       # the legal clock that `saksflyt monitor` keeps (see mining.deadline_rules)
    clock_start = "Søknad mottatt"
    stop = ["Vedtak sendt"]
    weeks = 12

    [logs.byggesak.contacts]       # the citizen's contacts: "doors" in and "voices" out (mining.handovers)
    incoming = ["Søknad mottatt", "Henvendelse mottatt"]
    outgoing = ["Vedtak sendt", "Faktura sendt"]

    [logs.byggesak.privacy]        # `saksflyt publish`: the log's differential-privacy budget
    epsilon_per_year = 1.0         # total ε over any 365 days [1.0, or [privacy] epsilon_per_year]

    [[logs.byggesak.within]]       # "step X within N days of Y" (the preliminary reply)
    name = "foreløpig svar"
    from = "Søknad mottatt"
    to = ["Foreløpig svar sendt", "Vedtak sendt"]
    days = 30

Flags on the command line add to `mandatory`, `external` and `outcome_attrs` and replace `end_activities`
and `model`.
"""
from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, time
from pathlib import Path
from typing import Any

from saksflyt.app import config_file
from saksflyt.extractors.errors import InputError
from saksflyt.mining import deadline_rules
from saksflyt.mining.calendar import NORWEGIAN, WorkCalendar

# [auth], [access] and [audit] belong to `saksflyt explore` and the audit trail (app.access, app.audit): one
# file may hold a municipality's whole set-up, so mining accepts them and leaves them alone
SECTIONS = {"calendar", "logs", "privacy", "auth", "access", "audit"}
LOG_KEYS = {"mandatory", "external", "end_activities", "model", "calendar", "outcome_attrs", "deadline", "within",
            "privacy", "contacts"}
CONTACT_KEYS = {"incoming", "outgoing"}
CALENDAR_KEYS = {"zone", "day_start", "day_end", "workdays", "holidays", "closed"}


@dataclass(frozen=True)
class LogSettings:
    """What the config file says about one log (empty where it says nothing)."""

    mandatory: tuple[str, ...] = ()
    external: tuple[str, ...] = ()
    outcome_attrs: tuple[str, ...] = ()
    end_activities: tuple[str, ...] = ()
    model: str | None = None
    calendar: WorkCalendar = NORWEGIAN
    deadlines: deadline_rules.DeadlineConfig = deadline_rules.DeadlineConfig()
    epsilon_per_year: float | None = None   # the log's privacy budget for `saksflyt publish`
    incoming: tuple[str, ...] = ()          # [logs.NAME.contacts]: activities where the citizen gets in touch
    outgoing: tuple[str, ...] = ()          # … and where the municipality speaks to the citizen


def _names(value: Any, where: str, file: str) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise InputError(f"{where} must be a list of names", file=file)
    return tuple(v.strip() for v in value)


def _clock(value: Any, where: str, file: str) -> time:
    try:
        return time.fromisoformat(value) if isinstance(value, str) else value
    except ValueError:
        raise InputError(f"{where} must be a time like \"08:00\", got {value!r}", file=file) from None


def _known_keys(table: dict[str, Any], known: set[str], where: str, file: str) -> None:
    unknown = sorted(set(table) - known)
    if unknown:  # a misspelt key would otherwise be ignored in silence
        raise InputError(f"{where}: unknown key {', '.join(unknown)} (known: {', '.join(sorted(known))})", file=file)


def _calendar(base: WorkCalendar, table: Any, where: str, file: str) -> WorkCalendar:
    if not isinstance(table, dict):
        raise InputError(f"{where} must be a table of calendar settings", file=file)
    _known_keys(table, CALENDAR_KEYS, where, file)
    changes: dict[str, Any] = {}
    if "zone" in table:
        changes["zone"] = str(table["zone"])
    for key in ("day_start", "day_end"):
        if key in table:
            changes[key] = _clock(table[key], f"{where}.{key}", file)
    if "workdays" in table:
        days = table["workdays"]
        if not isinstance(days, list) or not all(isinstance(d, int) for d in days):
            raise InputError(f"{where}.workdays must be a list of ISO weekdays (1 = Monday)", file=file)
        changes["workdays"] = tuple(days)
    if "holidays" in table:
        country = table["holidays"]
        if country is not False and not isinstance(country, str):
            raise InputError(f"{where}.holidays must be a country code like \"NO\" or false", file=file)
        changes["country"] = country or None
    if "closed" in table:
        try:
            changes["extra_closed"] = tuple(d if isinstance(d, date) else date.fromisoformat(d)
                                            for d in table["closed"])
        except (TypeError, ValueError):
            raise InputError(f"{where}.closed must be a list of dates like \"2024-12-24\"", file=file) from None
    try:
        return replace(base, **changes)
    except InputError as exc:
        raise InputError(f"{where}: {exc.problem}", file=file) from None


def read(path: str | Path, log_name: str, *, data: dict[str, Any] | None = None) -> LogSettings:
    """The settings for `log_name` in the TOML file at `path` (the [calendar] defaults if it has no table);
    `data` is the file already read (`config_file.read`), for a command that also needs its other tables."""
    file = str(path)
    if data is None:
        data = config_file.read(path)
    unknown = sorted(set(data) - SECTIONS)
    if unknown:
        raise InputError(f"unknown section {', '.join(unknown)} (known: {', '.join(sorted(SECTIONS))})", file=file)
    calendar = _calendar(NORWEGIAN, data.get("calendar", {}), "[calendar]", file)
    logs = data.get("logs", {})
    if not isinstance(logs, dict):
        raise InputError("[logs] must hold one table per log name", file=file)
    table = logs.get(log_name, {})
    where = f"[logs.{log_name}]"
    if not isinstance(table, dict):
        raise InputError(f"{where} must be a table", file=file)
    _known_keys(table, LOG_KEYS, where, file)
    model = table.get("model")
    if model is not None:
        if not isinstance(model, str):
            raise InputError(f"{where}.model must be a file name", file=file)
        model = str((Path(path).parent / model).resolve())
    return LogSettings(
        mandatory=_names(table.get("mandatory", []), f"{where}.mandatory", file),
        external=_names(table.get("external", []), f"{where}.external", file),
        outcome_attrs=_names(table.get("outcome_attrs", []), f"{where}.outcome_attrs", file),
        end_activities=_names(table.get("end_activities", []), f"{where}.end_activities", file),
        model=model,
        deadlines=deadline_rules.DeadlineConfig(
            deadline=deadline_rules.parse_deadline(table["deadline"], where=f"{where}.deadline", file=file)
            if "deadline" in table else None,
            within=deadline_rules.parse_within(table.get("within", []), where=f"{where}.within", file=file)),
        calendar=_calendar(calendar, table["calendar"], f"{where}.calendar", file) if "calendar" in table
        else calendar,
        epsilon_per_year=_budget(table.get("privacy", data.get("privacy")), where, file),
        **_contacts(table.get("contacts", {}), f"{where}.contacts", file))


def _contacts(table: Any, where: str, file: str) -> dict[str, tuple[str, ...]]:
    if not isinstance(table, dict):
        raise InputError(f"{where} must be a table with incoming and outgoing", file=file)
    _known_keys(table, CONTACT_KEYS, where, file)
    found = {k: _names(table.get(k, []), f"{where}.{k}", file) for k in sorted(CONTACT_KEYS)}
    both = sorted(set(found["incoming"]) & set(found["outgoing"]))
    if both:
        raise InputError(f"{where}: {', '.join(both)} cannot be both incoming and outgoing", file=file)
    return found


def _budget(table: Any, where: str, file: str) -> float | None:
    """`epsilon_per_year` of a [privacy] table (the log's own, else the file's), or None."""
    if table is None:
        return None
    if not isinstance(table, dict) or set(table) - {"epsilon_per_year"}:
        raise InputError(f"{where}.privacy / [privacy] may only hold epsilon_per_year", file=file)
    value = table.get("epsilon_per_year")
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not value > 0:
        raise InputError(f"epsilon_per_year must be a positive number, got {value!r}", file=file)
    return float(value)
