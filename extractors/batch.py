"""Batch configurations: several sources in one job, for analysts' nightly runs.

`saksflyt ingest --config sources.toml` loads every source of the file, prints one summary and exits 1
if any source failed (the others are still loaded); a file that cannot be read or names an unknown key
exits 2 before anything is loaded. `saksflyt run --config pipeline.toml` does the same and then mines
every log whose load did not fail (a rerun with nothing new included). A schedule is metadata for cron
or a job scheduler: Saksflyt does not schedule anything itself. Relative paths are relative to the
TOML file. The store is the command's `--store` (or env SAKSFLYT_STORE).

sources.toml::

    schedule = "0 2 * * *"                # optional, metadata only

    [defaults]                            # optional: every source starts from these keys
    tz = "Europe/Oslo"
    system = ["System"]

    [[source]]
    log = "byggesak"                      # required: the log's name in the store
    path = "eksport/byggesak.csv"         # a file or export folder ...
    mode = "replace"                      # new (default) | replace | append
    case = "saksnr"                       # column flags, as on the command line
    activity = "aktivitet"
    timestamp = "tidspunkt"

    [[source]]
    log = "sosialtjenesten"
    url = "postgresql://saksflyt_les@db.kommune.local:5432/saker"   # ... or any SQLAlchemy URL
    password_env = "SAKER_DB_PASSWORD"    # the password, from the environment (never in the file)
    query = '''
      SELECT c.saksnr, e.activity AS aktivitet, e.occurred_at AS tidspunkt,
             u.full_name AS saksbehandler, e.registered_at
      FROM case_events e JOIN cases c USING (case_id) JOIN users u ON u.user_id = e.performed_by
    '''
    since_column = "registered_at"        # incremental: reruns read rows with registered_at >= watermark
    personal = ["soker_navn"]
    schedule = "*/30 * * * *"             # a source's own schedule, metadata too

    [[source]]
    log = "ordre"
    path = "ocel/ordre.sqlite"
    format = "ocel"                       # required for OCEL 2.0 (JSON, XML or SQLite)
    object_type = "order"                 # the object type whose objects become cases

Keys of a source: `log` (required); exactly one of `path` and `url`; `format` (csv, excel, parquet, xes,
noark5, ocel, sql; default: by suffix, sql for a URL); SQL: `query` or `table`, `since_column`,
`password_env`; OCEL/XES: `object_type`, `activity_key`; columns: `case`, `activity`, `timestamp`,
`start`, `resource`, `lifecycle`, `unit`; loading: `mode`, `tz`, `personal`, `system`, `external` (lists of
names), `pseudonymise` (default true), `keep_text`, `strict`; metadata: `schedule`, `description`. An
unknown key is an error: a typo must not silently load the wrong thing.

pipeline.toml: the same `schedule`, `[defaults]` and `[[source]]` entries, or `include = "sources.toml"`
to take the sources of another file (its `[defaults]` apply to its own sources), plus how to mine::

    include = "sources.toml"

    [mine]                                # optional: for every log
    end_activities = ["Vedtak sendt"]     # activities that close a case (default: the common last ones)
    config = "saksflyt.toml"              # the logs' standing settings (`mine --config`); a log with a
                                          # [logs.NAME.deadline] or [[logs.NAME.within]] table is also
                                          # monitored (`saksflyt monitor`) after it is mined

    [[source]]
    log = "ordre"
    path = "ocel/ordre.jsonocel"
    format = "ocel"
    object_type = "order"
    end_activities = ["Ordre levert"]     # a source's own completion rule ...
    # mine = false                        # ... or no mining for it
"""
from __future__ import annotations

import logging
import os
import tomllib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import ingest, sql
from .errors import InputError, SaksflytError
from .staging import IngestOptions, IngestReport
from .tabular import ColumnMap

log = logging.getLogger(__name__)
Progress = Callable[[str], None]

MODES = ("new", "replace", "append")
COLUMN_KEYS = ("case", "activity", "timestamp", "start", "resource", "lifecycle", "unit")
TEXT_KEYS = ("format", "query", "table", "since_column", "object_type", "activity_key", "password_env",
             "tz", "mode", "schedule", "description", *COLUMN_KEYS)
LIST_KEYS = ("personal", "system", "external", "end_activities")
BOOL_KEYS = ("pseudonymise", "keep_text", "strict", "mine")
SOURCE_KEYS = frozenset(("log", "path", "url", *TEXT_KEYS, *LIST_KEYS, *BOOL_KEYS))
PIPELINE_ONLY = frozenset(("mine", "end_activities"))
# keys a reader gets as keyword arguments (SQL: query/table/since_column; OCEL/XES: the rest)
READER_KEYS = ("query", "table", "since_column", "object_type", "activity_key")
SQL_KEYS = ("query", "table", "since_column")


@dataclass(frozen=True)
class SourceConfig:
    """One source of a batch: where it is, how to read it, and the log it fills."""

    log: str
    path: Path | None = None
    url: str | None = None
    fmt: str | None = None
    options: IngestOptions = IngestOptions()
    columns: ColumnMap = ColumnMap()
    extra: dict[str, str] = field(default_factory=dict)
    password_env: str | None = None
    schedule: str | None = None
    description: str | None = None
    mine: bool = True
    end_activities: tuple[str, ...] | None = None

    @property
    def shown(self) -> str:
        """The source as messages may show it (a URL without its password)."""
        return shown(self.url) if self.url else str(self.path)


@dataclass(frozen=True)
class BatchConfig:
    path: Path
    sources: tuple[SourceConfig, ...]
    schedule: str | None = None
    mine: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class SourceResult:
    source: SourceConfig
    report: IngestReport | None = None
    error: str | None = None

    @property
    def status(self) -> str:
        if self.error is not None:
            return "failed"
        return "unchanged" if self.report is not None and self.report.noop else "loaded"


@dataclass(frozen=True)
class BatchReport:
    config: BatchConfig
    results: tuple[SourceResult, ...]

    @property
    def failed(self) -> tuple[SourceResult, ...]:
        return tuple(r for r in self.results if r.error is not None)


# --- reading the TOML ---------------------------------------------------------------------------


def _text_list(value: Any, *, key: str, file: str, where: str) -> tuple[str, ...]:
    if isinstance(value, str):
        value = [v for v in value.split(",")]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise InputError(f"'{key}' must be a list of names", file=file, where=where)
    return tuple(v.strip() for v in value if v.strip())


def _source(raw: dict[str, Any], *, base: Path, file: str, where: str, pipeline: bool) -> SourceConfig:
    allowed = SOURCE_KEYS if pipeline else SOURCE_KEYS - PIPELINE_ONLY
    unknown = sorted(set(raw) - allowed)
    if unknown:
        raise InputError(f"unknown key{'s' if len(unknown) > 1 else ''} {', '.join(unknown)}"
                         + (" (mining keys belong in pipeline.toml)" if set(unknown) & PIPELINE_ONLY else ""),
                         file=file, where=where)
    for key in ("log", "path", "url", *TEXT_KEYS):
        if key in raw and not isinstance(raw[key], str):
            raise InputError(f"'{key}' must be a string", file=file, where=where)
    for key in BOOL_KEYS:
        if key in raw and not isinstance(raw[key], bool):
            raise InputError(f"'{key}' must be true or false", file=file, where=where)
    lists = {k: _text_list(raw[k], key=k, file=file, where=where) for k in LIST_KEYS if k in raw}
    if not raw.get("log", "").strip():
        raise InputError("every source needs a 'log' name", file=file, where=where)
    if ("path" in raw) == ("url" in raw):
        raise InputError("give exactly one of 'path' and 'url'", file=file, where=where)
    mode = raw.get("mode", "new")
    if mode not in MODES:
        raise InputError(f"'mode' must be one of {', '.join(MODES)}", file=file, where=where)
    is_sql = "url" in raw or raw.get("format") == "sql"
    if not is_sql:
        misplaced = [k for k in (*SQL_KEYS, "password_env") if k in raw]
        if misplaced:
            raise InputError(f"{', '.join(misplaced)} only apply to a database source ('url')",
                             file=file, where=where)
    options = IngestOptions(
        pseudonymise=raw.get("pseudonymise", True), personal=lists.get("personal", ()),
        keep_text=raw.get("keep_text", False), strict=raw.get("strict", False), system=lists.get("system", ()),
        external=lists.get("external", ()), tz=raw.get("tz", "Europe/Oslo"), mode=mode)
    columns = ColumnMap(**{k: raw[k] for k in COLUMN_KEYS if k in raw})
    path = None
    if "path" in raw:
        path = Path(os.path.expanduser(raw["path"]))
        path = path if path.is_absolute() else base / path
    return SourceConfig(
        log=raw["log"].strip(), path=path, url=raw.get("url"), fmt=raw.get("format"), options=options,
        columns=columns, extra={k: raw[k] for k in READER_KEYS if raw.get(k)},
        password_env=raw.get("password_env"), schedule=raw.get("schedule"), description=raw.get("description"),
        mine=raw.get("mine", True),
        end_activities=lists.get("end_activities") if "end_activities" in lists else None)


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as fh:
            return tomllib.load(fh)
    except FileNotFoundError as exc:
        raise InputError("no such file", file=str(path)) from exc
    except tomllib.TOMLDecodeError as exc:
        raise InputError(f"not valid TOML: {exc}", file=str(path)) from exc


def _sources_of(doc: dict[str, Any], *, path: Path, pipeline: bool) -> list[SourceConfig]:
    file = str(path)
    defaults = doc.get("defaults", {})
    if not isinstance(defaults, dict):
        raise InputError("[defaults] must be a table", file=file)
    for key in ("log", "path", "url"):
        if key in defaults:
            raise InputError(f"'{key}' cannot be a default: it belongs to one source", file=file,
                             where="[defaults]")
    entries = doc.get("source", [])
    if not isinstance(entries, list) or not all(isinstance(e, dict) for e in entries):
        raise InputError("sources are [[source]] tables", file=file)
    out = []
    for i, entry in enumerate(entries, start=1):
        where = f"source {i}" + (f" (log '{entry['log']}')" if isinstance(entry.get("log"), str) else "")
        out.append(_source({**defaults, **entry}, base=path.parent, file=file, where=where, pipeline=pipeline))
    return out


def load_config(path: str | Path, *, pipeline: bool = False) -> BatchConfig:
    """Read sources.toml (or pipeline.toml with `pipeline=True`); every mistake is an InputError naming
    the file and the source, raised before anything is loaded."""
    path = Path(path)
    doc = _read_toml(path)
    top = {"schedule", "defaults", "source"} | ({"include", "mine"} if pipeline else set())
    unknown = sorted(set(doc) - top)
    if unknown:
        raise InputError(f"unknown top-level key{'s' if len(unknown) > 1 else ''} {', '.join(unknown)}",
                         file=str(path))
    sources: list[SourceConfig] = []
    if pipeline and "include" in doc:
        if not isinstance(doc["include"], str):
            raise InputError("'include' must be the path of a sources file", file=str(path))
        included = Path(doc["include"])
        included = included if included.is_absolute() else path.parent / included
        inner = _read_toml(included)
        stray = sorted(set(inner) - {"schedule", "defaults", "source"})
        if stray:
            raise InputError(f"unknown top-level key{'s' if len(stray) > 1 else ''} {', '.join(stray)}",
                             file=str(included))
        sources += _sources_of(inner, path=included, pipeline=False)
    sources += _sources_of(doc, path=path, pipeline=pipeline)
    if not sources:
        raise InputError("no [[source]] entries", file=str(path))
    names = [s.log for s in sources]
    twice = sorted({n for n in names if names.count(n) > 1})
    if twice:
        raise InputError(f"more than one source fills log {', '.join(twice)}; give each its own log",
                         file=str(path))
    raw_mine = doc.get("mine", {}) if pipeline else {}
    if not isinstance(raw_mine, dict) or set(raw_mine) - {"end_activities", "config"}:
        raise InputError("[mine] takes end_activities and config", file=str(path))
    mine: dict[str, Any] = {}
    if "end_activities" in raw_mine:
        mine["end_activities"] = _text_list(raw_mine["end_activities"], key="end_activities", file=str(path),
                                            where="[mine]")
    if "config" in raw_mine:
        if not isinstance(raw_mine["config"], str):
            raise InputError("[mine] config must be the path of the TOML file `mine --config` reads", file=str(path))
        settings = Path(os.path.expanduser(raw_mine["config"]))
        mine["config"] = settings if settings.is_absolute() else path.parent / settings
        if not mine["config"].is_file():
            raise InputError(f"[mine] config: no such file {mine['config']}", file=str(path))
    schedule = doc.get("schedule")
    return BatchConfig(path=path, sources=tuple(sources), schedule=schedule if isinstance(schedule, str) else None,
                       mine=mine)


# --- running ------------------------------------------------------------------------------------


def ingest_source(source: str | Path, *, store_path: str | Path | None = None, log_name: str,
                  options: IngestOptions = IngestOptions(), columns: ColumnMap = ColumnMap(),
                  fmt: str | None = None, progress: Progress | None = None, **extra: Any) -> IngestReport:
    """Load one source, file or database: the one routing shared by `saksflyt ingest` and batches."""
    text = str(source)
    if sql.is_sql_source(text, fmt):
        readers_only = sorted(k for k in extra if k not in SQL_KEYS)
        if readers_only:
            raise InputError(f"{', '.join('--' + k.replace('_', '-') for k in readers_only)} "
                             f"do not apply to a database source", file=sql.redact_url(text))
        return sql.ingest_sql(text, store_path=store_path, log_name=log_name, options=options, columns=columns,
                              progress=progress, **extra)
    if "object_type" in extra and fmt != "ocel":
        raise InputError("--object-type flattens an OCEL 2.0 log: give --format ocel", file=text)
    misplaced = sorted(k for k in extra if k in SQL_KEYS)
    if misplaced:
        raise InputError(f"{', '.join('--' + k.replace('_', '-') for k in misplaced)} need a database source "
                         f"(a URL such as postgresql://user@host/db, or --format sql with a SQLite file)",
                         file=text)
    return ingest.ingest_path(source, store_path=store_path, log_name=log_name, options=options,
                              columns=columns, fmt=fmt, progress=progress, **extra)


def _url_with_password(src: SourceConfig) -> tuple[str, list[str]]:
    """The URL to connect with, and the secrets to scrub from any message about it."""
    assert src.url is not None
    if not src.password_env:
        return src.url, []
    password = os.environ.get(src.password_env)
    if password is None:
        raise InputError(f"environment variable {src.password_env} (password_env) is not set", file=src.shown)
    from urllib.parse import quote

    from sqlalchemy.engine import make_url

    url = make_url(src.url).set(password=password).render_as_string(hide_password=False)
    return url, [password, quote(password, safe="")]


def run_source(src: SourceConfig, *, store_path: str | Path | None = None,
               progress: Progress | None = None) -> SourceResult:
    """Load one configured source; its failure is returned, not raised, so a batch goes on."""
    secrets: list[str] = []
    try:
        if src.url:
            target, secrets = _url_with_password(src)
        else:
            assert src.path is not None
            target = str(src.path)
        report = ingest_source(target, store_path=store_path, log_name=src.log, options=src.options,
                               columns=src.columns, fmt=src.fmt, progress=progress, **src.extra)
        return SourceResult(src, report=report)
    except SaksflytError as exc:
        return SourceResult(src, error=sql.scrub(str(exc), secrets))
    except Exception as exc:  # one broken source must not stop a nightly batch; the trace goes to the log
        log.exception("source %s (log %s) failed", src.shown, src.log)
        return SourceResult(src, error=sql.scrub(f"unexpected {type(exc).__name__}: {exc}", secrets))


def run_sources(config: BatchConfig, *, store_path: str | Path | None = None,
                progress: Progress | None = None) -> BatchReport:
    """Load every source of a batch in order; failures are collected in the report."""
    results = []
    for src in config.sources:
        say = (lambda msg, _log=src.log: progress(f"{_log}: {msg}")) if progress else None
        results.append(run_source(src, store_path=store_path, progress=say))
    return BatchReport(config=config, results=tuple(results))


def shown(source: str | Path) -> str:
    """A source as messages may show it: a database URL loses its password."""
    text = str(source)
    if not sql.is_sql_source(text):
        return text
    try:
        return sql.redact_url(text)
    except SaksflytError:
        return "(unreadable database URL)"
