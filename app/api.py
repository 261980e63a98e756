"""The public Python API behind `import saksflyt as sf`: the CLI's operations as functions for a notebook.

Everything goes through `saksflyt.app.pipeline`, the module every CLI command calls, so a notebook and
`saksflyt mine` give the same numbers. `read_log`, `mine`, `candidates` and `compare` keep nothing on disk:
they work in a store of their own in a temporary folder that is removed before they return (the store
code opens stores by path, so a store can't live in memory across calls). A `MiningResult` carries a
copy of that store's bytes, so `candidates` can score again with other settings without mining again.
`Store` works on a store file the user keeps, like the CLI. Keyword names are the CLI's flag names, and
errors name the keyword (`case=`), not the flag (`--case`).
"""
from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import replace
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from saksflyt.app import pipeline
from saksflyt.app.api_results import DATAFRAME_SHOWN, EventLog, MiningResult, keyworded, read_result
from saksflyt.extractors import store
from saksflyt.extractors.errors import InputError, SaksflytError, StoreError
from saksflyt.extractors.staging import IngestOptions, IngestReport
from saksflyt.extractors.tabular import ColumnMap

if TYPE_CHECKING:
    from saksflyt.mining.monitor import MonitorResult

Names = str | Sequence[str] | None
def _names(value: Names) -> tuple[str, ...]:
    """A keyword that takes several names: a list, or one comma-separated string as on the command line."""
    if value is None:
        return ()
    items = value.split(",") if isinstance(value, str) else value
    return tuple(str(v).strip() for v in items if str(v).strip())


# --- logs -------------------------------------------------------------------------------------


def _ingest_inputs(source: str | Path | pd.DataFrame, *, format: str | None, case: str | None,
                   activity: str | None, timestamp: str | None, start: str | None, resource: str | None,
                   lifecycle: str | None, unit: str | None, tz: str, personal: Names, no_pseudonymise: bool,
                   keep_text: bool, system: Names, external: Names, strict: bool, mode: str,
                   extra: dict[str, str | None]
                   ) -> tuple[bytes | Path, str | None, ColumnMap, IngestOptions, dict[str, str]]:
    """What `saksflyt ingest` is told, from keywords; a DataFrame becomes Parquet bytes (the caller's
    frame is only read), so the one ingest path validates and pseudonymises it."""
    if isinstance(source, pd.DataFrame):
        buffer = io.BytesIO()
        source.to_parquet(buffer, index=False)
        kept: bytes | Path = buffer.getvalue()
        format = format or "parquet"
    else:
        kept = Path(source)
    options = IngestOptions(pseudonymise=not no_pseudonymise, personal=_names(personal), keep_text=keep_text,
                            strict=strict, system=_names(system), external=_names(external), tz=tz, mode=mode)
    columns = ColumnMap(case=case, activity=activity, timestamp=timestamp, start=start, resource=resource,
                        lifecycle=lifecycle, unit=unit)
    return kept, format, columns, options, {k: v for k, v in extra.items() if v}


def read_log(source: str | Path | pd.DataFrame, *, log: str = "log", format: str | None = None,
             case: str | None = None, activity: str | None = None, timestamp: str | None = None,
             start: str | None = None, resource: str | None = None, lifecycle: str | None = None,
             unit: str | None = None, activity_key: str | None = None, object_type: str | None = None,
             tz: str = "Europe/Oslo", personal: Names = None, no_pseudonymise: bool = False,
             keep_text: bool = False, system: Names = None, external: Names = None,
             strict: bool = False) -> EventLog:
    """Read a file (CSV, Excel, Parquet, XES, …) or a DataFrame as `saksflyt ingest` would, into memory.

    Columns are found by name unless `case=`, `activity=`, … name them; resources and personal columns are
    pseudonymised with SAKSFLYT_PSEUDONYM_KEY unless `no_pseudonymise=True`. The DataFrame is not changed."""
    kept, fmt, columns, options, extra = _ingest_inputs(
        source, format=format, case=case, activity=activity, timestamp=timestamp, start=start, resource=resource,
        lifecycle=lifecycle, unit=unit, tz=tz, personal=personal, no_pseudonymise=no_pseudonymise,
        keep_text=keep_text, system=system, external=external, strict=strict, mode="new",
        extra={"activity_key": activity_key, "object_type": object_type})
    draft = EventLog(name=log, events=pd.DataFrame(), report=None, _source=kept, _format=fmt,  # type: ignore[arg-type]
                     _columns=columns, _options=options, _extra=extra)
    with pipeline.temporary_store("saksflyt-read-") as target:
        report = draft.load_into(target)
        with store.read(target) as con:
            events = con.execute("SELECT * EXCLUDE (log) FROM events WHERE log = ? ORDER BY case_id, event_seq",
                                 [log]).df()
    if isinstance(kept, bytes):
        report = replace(report, source=DATAFRAME_SHOWN)
    return EventLog(name=log, events=events, report=report, _source=kept, _format=fmt, _columns=columns,
                    _options=options, _extra=extra)


# --- mining -------------------------------------------------------------------------------------


def _settings(log_name: str, *, config: str | Path | None, end_activities: Names, external: Names,
              mandatory: Names, outcome_attrs: Names, model: str | Path | None, lang: str) -> pipeline.Settings:
    return pipeline.settings(_standing(config, log_name), end_activities=_names(end_activities), external=_names(external),
                             mandatory=_names(mandatory), outcome_attrs=_names(outcome_attrs),
                             model=str(model) if model else None, lang=lang)


def mine(log: EventLog, *, end_activities: Names = None, external: Names = None, mandatory: Names = None,
         outcome_attrs: Names = None, model: str | Path | None = None, config: str | Path | None = None,
         lang: str = "nb") -> MiningResult:
    """Mine and score a log as `saksflyt mine` does, in a private temporary store deleted before it returns: no file is left anywhere."""
    if not isinstance(log, EventLog):
        raise InputError(f"log= must be an EventLog from sf.read_log, got {type(log).__name__}")
    try:
        chosen = _settings(log.name, config=config, end_activities=end_activities, external=external,
                           mandatory=mandatory, outcome_attrs=outcome_attrs, model=model, lang=lang)
        with pipeline.temporary_store("saksflyt-mine-") as target:
            log.load_into(target)
            mined = pipeline.mine_and_score(store_path=target, log_name=log.name, settings=chosen)
            return read_result(target, mined, settings=chosen, event_log=log, keep_image=True)
    except SaksflytError as exc:
        raise keyworded(exc) from exc


def _scoring_options(base: Any, *, hourly_cost: float | None, norms: str | Path | dict[str, float] | None,
                     outcome_attrs: Names, external: Names, lang: str | None) -> Any:
    from saksflyt.automation_scoring.features import read_norms

    changes: dict[str, Any] = {}
    if hourly_cost is not None:
        changes["hourly_cost"] = float(hourly_cost)
    if norms is not None:
        changes["norms"] = dict(norms) if isinstance(norms, dict) else read_norms(norms)
    if outcome_attrs is not None:
        changes["outcome_attrs"] = _names(outcome_attrs)
    if external is not None:
        changes["external"] = _names(external)
    if lang is not None:
        changes["lang"] = lang
    return replace(base, **changes)


def candidates(result: MiningResult, *, top: int | None = None, hourly_cost: float | None = None,
               norms: str | Path | dict[str, float] | None = None, outcome_attrs: Names = None,
               external: Names = None, lang: str | None = None) -> pd.DataFrame:
    """The ranked candidates of a mined log, one row each (as `saksflyt candidates --format json`).

    With no keywords, the ones scored when the log was mined; a keyword scores again with that setting."""
    if not isinstance(result, MiningResult):
        raise InputError(f"result= must be a MiningResult from sf.mine, got {type(result).__name__}")
    if top is not None and top < 1:
        raise InputError(f"top= must be at least 1, got {top}")
    try:
        options = _scoring_options(result.settings.scoring, hourly_cost=hourly_cost, norms=norms,
                                   outcome_attrs=outcome_attrs, external=external, lang=lang)
        items = result.scored if options == result.settings.scoring else result.rescore(options)
    except SaksflytError as exc:
        raise keyworded(exc) from exc
    return pd.DataFrame(items[:top] if top else items)


def compare(a: EventLog | MiningResult, b: EventLog | MiningResult | None = None, *, before: date | None = None,
            after: date | None = None, target_days: float | None = None, hourly_cost: float = 700.0,
            shared_only: bool = False, bootstrap: int = 2000, mapping: Sequence[tuple[str, str]] = (),
            end_activities: Names = None) -> dict[str, Any]:
    """Compare two logs (e.g. two municipalities), or one log before and after a change day, as
    `saksflyt compare` does; returns compare.json's content."""
    from saksflyt.mining import compare as cmp
    from saksflyt.mining import compare_sides as sides

    logs = [x.event_log if isinstance(x, MiningResult) else x for x in (a, b) if x is not None]
    if any(x is None or not isinstance(x, EventLog) for x in logs):
        raise InputError("a= and b= must be EventLogs from sf.read_log (or results of sf.mine on them)")
    if (b is None) == (before is None and after is None):
        raise InputError("give b= (a second log) or before=/after= (a change day), not both")
    options = sides.CompareOptions(target_days=target_days, hourly_cost=hourly_cost, shared_only=shared_only,
                                 bootstrap=bootstrap, mapping=tuple(tuple(p) for p in mapping),  # type: ignore[misc]
                                 end_activities=_names(end_activities))
    try:
        with pipeline.temporary_store("saksflyt-compare-") as target:
            first = logs[0].name
            logs[0].load_into(target, log=first)
            if b is None:
                day_a, day_b = (before or after), (after or before)
                side_a, side_b = sides.split_sides(first, before=day_a, after=day_b)  # type: ignore[arg-type]
            else:
                second = logs[1].name if logs[1].name != first else f"{first}-b"
                logs[1].load_into(target, log=second)
                side_a, side_b = sides.Side(first, first), sides.Side(second, second)
            return cmp.compare(store_path=target, a=side_a, b=side_b, options=options)
    except SaksflytError as exc:
        raise keyworded(exc) from exc


def _standing(config: str | Path | None, log_name: str) -> Any:
    """The log's standing settings from a `mine --config` TOML file, or none."""
    from saksflyt.app import mine_config

    return mine_config.read(config, log_name) if config else mine_config.LogSettings()


def monitor(log: EventLog | MiningResult, *, config: str | Path | None = None,
            as_of: str | date | datetime | None = None, lang: str = "nb") -> MonitorResult:
    """Keep the legal clock of every case and rank the open ones by the cost of missing their deadline, as
    `saksflyt monitor` does, in a private temporary store. The deadline rules come from `config` (`[logs.NAME.deadline]`);
    `as_of` (a day or a moment) sees only what was known then."""
    event_log = log.event_log if isinstance(log, MiningResult) else log
    if not isinstance(event_log, EventLog):
        raise InputError("log= must be an EventLog from sf.read_log (or the result of sf.mine on one)")
    try:
        with pipeline.temporary_store("saksflyt-monitor-") as target:
            event_log.load_into(target)
            result, _files = pipeline.monitor(store_path=target, log_name=event_log.name,
                                              config=_standing(config, event_log.name), as_of=as_of, lang=lang)
            return result
    except SaksflytError as exc:
        raise keyworded(exc) from exc


# --- a store the user keeps ---------------------------------------------------------------------


class Store:
    """A store file, with the CLI's operations: `ingest`, `mine`, `candidates`, `monitor`, `logs`, `drop`."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)

    def __repr__(self) -> str:
        return f"Store({str(self.path)!r})"

    def ingest(self, source: str | Path | pd.DataFrame, *, log: str, format: str | None = None,
               case: str | None = None, activity: str | None = None, timestamp: str | None = None,
               start: str | None = None, resource: str | None = None, lifecycle: str | None = None,
               unit: str | None = None, activity_key: str | None = None, query: str | None = None,
               table: str | None = None, since_column: str | None = None, object_type: str | None = None,
               tz: str = "Europe/Oslo", personal: Names = None, no_pseudonymise: bool = False,
               keep_text: bool = False, system: Names = None, external: Names = None, strict: bool = False,
               replace: bool = False, append: bool = False, split_by: str | None = None) -> list[IngestReport]:
        """`saksflyt ingest SOURCE --log NAME`: load a file, folder, database query or DataFrame."""
        if replace and append:
            raise InputError("replace= and append= exclude each other")
        kept, fmt, columns, options, extra = _ingest_inputs(
            source, format=format, case=case, activity=activity, timestamp=timestamp, start=start,
            resource=resource, lifecycle=lifecycle, unit=unit, tz=tz, personal=personal,
            no_pseudonymise=no_pseudonymise, keep_text=keep_text, system=system, external=external, strict=strict,
            mode="replace" if replace else "append" if append else "new",
            extra={"activity_key": activity_key, "query": query, "table": table, "since_column": since_column,
                   "object_type": object_type})
        if isinstance(kept, bytes):
            draft = EventLog(name=log, events=pd.DataFrame(), report=None, _source=kept,  # type: ignore[arg-type]
                             _format=fmt, _columns=columns, _options=options, _extra=extra)
            return [draft.load_into(self.path)]
        try:
            return pipeline.ingest(kept, store_path=self.path, log_name=log, options=options, columns=columns,
                                   fmt=fmt, split_by=split_by, **extra)
        except SaksflytError as exc:
            raise keyworded(exc) from exc

    def mine(self, *, log: str, out: str | Path | None = None, end_activities: Names = None,
             external: Names = None, mandatory: Names = None, outcome_attrs: Names = None,
             model: str | Path | None = None, config: str | Path | None = None, lang: str = "nb") -> MiningResult:
        """`saksflyt mine --log NAME`: mine and score the log, stored as its latest run (files into `out`)."""
        try:
            chosen = _settings(log, config=config, end_activities=end_activities, external=external,
                               mandatory=mandatory, outcome_attrs=outcome_attrs, model=model, lang=lang)
            mined, _files = pipeline.mine_log(store_path=self.path, log_name=log, settings=chosen,
                                              out_dir=Path(out) if out is not None else None, lang=lang)
            return read_result(self.path, mined, settings=chosen, event_log=None, keep_image=False)
        except SaksflytError as exc:
            raise keyworded(exc) from exc

    def candidates(self, *, log: str, top: int | None = None, hourly_cost: float = 700.0,
                   norms: str | Path | None = None, outcome_attrs: Names = None, external: Names = None,
                   lang: str = "nb", train: str | Path | None = None, out: str | Path | None = None) -> pd.DataFrame:
        """`saksflyt candidates --log NAME`: score the log's candidates against its latest mining run."""
        from saksflyt.automation_scoring.run import ScoringOptions

        try:
            options = _scoring_options(ScoringOptions(), hourly_cost=hourly_cost, norms=norms,
                                       outcome_attrs=outcome_attrs, external=external, lang=lang)
            scored = pipeline.candidates(store_path=self.path, log_name=log, options=options,
                                         labels=Path(train) if train else None,
                                         out_dir=Path(out) if out is not None else None)
        except SaksflytError as exc:
            raise keyworded(exc) from exc
        items = scored.scoring.candidates
        return pd.DataFrame(items[:top] if top else items)

    def monitor(self, *, log: str, config: str | Path | None = None, as_of: str | date | datetime | None = None,
                lang: str = "nb", out: str | Path | None = None) -> MonitorResult:
        """`saksflyt monitor --log NAME`: the log's legal clock and open cases, stored as a monitor run."""
        try:
            result, _files = pipeline.monitor(store_path=self.path, log_name=log, config=_standing(config, log),
                                              as_of=as_of, lang=lang, out_dir=Path(out) if out is not None else None)
        except SaksflytError as exc:
            raise keyworded(exc) from exc
        return result

    def logs(self) -> pd.DataFrame:
        """`saksflyt logs --json`: one row per log (cases, events, activities, time span)."""
        from saksflyt.extractors import ingest as ingest_lib

        if not self.path.exists():
            raise StoreError(f"{self.path}: no store yet; load a log with Store.ingest")
        with store.read(self.path) as con:
            return pd.DataFrame(ingest_lib.list_logs(con))

    def drop(self, *, log: str) -> int:
        """`saksflyt drop --log NAME`: remove the log and its results from the file; returns its events.
        The same path as the command: audited, and a compaction an earlier killed drop owed is paid first."""
        return pipeline.drop(store_path=self.path, log_name=log)
