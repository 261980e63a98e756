"""`EventLog` and `MiningResult`: what `sf.read_log`, `sf.mine` and `Store.mine` return, read from the store into DataFrames at once.

A result of `sf.mine` outlives the temporary store it was mined in; it keeps that store's bytes (small:
the events and the results of one log) so `sf.candidates` can score again with other settings in a new
temporary store, without mining again.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from saksflyt.app import pipeline
from saksflyt.extractors import store
from saksflyt.extractors.errors import InputError, SaksflytError
from saksflyt.extractors.staging import IngestOptions, IngestReport
from saksflyt.extractors.tabular import ColumnMap

PM4PY_COLUMNS = {"case_id": "case:concept:name", "activity": "concept:name", "ts_end": "time:timestamp",
                 "ts_start": "start_timestamp", "resource": "org:resource"}


_FLAG = re.compile(r"--([a-z][a-z0-9-]*)")
DATAFRAME_SHOWN = "<DataFrame>"


def keyworded(exc: SaksflytError, *, source: str | None = None, shown: str = DATAFRAME_SHOWN) -> SaksflytError:
    """The same error with each `--flag` named as the keyword `flag=` (and a temporary file as `shown`)."""
    def fix(text: str | None) -> str | None:
        if text is None:
            return None
        text = _FLAG.sub(lambda m: m.group(1).replace("-", "_") + "=", text)
        return text.replace(source, shown) if source else text

    if isinstance(exc, InputError):
        new: SaksflytError = InputError(fix(exc.problem) or "", file=fix(exc.file), where=fix(exc.where))
    else:
        try:
            new = type(exc)(fix(str(exc)))
        except TypeError:  # a subclass with another signature: keep it as it is
            return exc
    return new


@dataclass(frozen=True, eq=False)
class EventLog:
    """A log as ingest stores it (validated, resources and personal columns pseudonymised), held in memory.

    `events` is the stored event table; `report` what ingest said (rows kept and rejected, and why)."""

    name: str
    events: pd.DataFrame
    report: IngestReport
    _source: bytes | Path = field(repr=False)
    _format: str | None = field(repr=False)
    _columns: ColumnMap = field(repr=False)
    _options: IngestOptions = field(repr=False)
    _extra: dict[str, str] = field(repr=False)

    def load_into(self, store_path: Path, *, log: str | None = None) -> IngestReport:
        """Ingest this log again, unchanged, into `store_path` (as `log`, by default its own name)."""
        with pipeline.temporary_store("saksflyt-source-") as folder_file:
            source = self._source
            if isinstance(source, bytes):  # a DataFrame, kept as the Parquet file it was read from
                source = folder_file.with_name("log.parquet")
                source.write_bytes(self._source)  # type: ignore[arg-type]
            try:
                reports = pipeline.ingest(source, store_path=store_path, log_name=log or self.name,
                                          options=self._options, columns=self._columns, fmt=self._format,
                                          **self._extra)
            except SaksflytError as exc:
                raise keyworded(exc, source=str(source) if isinstance(self._source, bytes) else None) from exc
        return reports[0]


@dataclass(frozen=True, eq=False)
class MiningResult:
    """One mined log: the summary, the tables of the process (`activities`, `dfg`, `variants`) and of its
    insights (`bottlenecks`, `rework`, `needless_steps`), the discovered `model`, and the report."""

    log: str
    run_id: str
    summary: dict[str, Any]
    activities: pd.DataFrame
    dfg: pd.DataFrame
    variants: pd.DataFrame
    bottlenecks: pd.DataFrame
    rework: pd.DataFrame
    needless_steps: pd.DataFrame
    model: dict[str, Any] | None
    settings: pipeline.Settings = field(repr=False)
    scored: list[dict[str, Any]] = field(repr=False)
    event_log: EventLog | None = field(repr=False)
    _events: pd.DataFrame = field(repr=False)
    _report: str | None = field(repr=False)
    _image: bytes | None = field(repr=False)
    _store: Path | None = field(repr=False)

    def report_html(self) -> str:
        """The run's report.html (process map, variants, bottlenecks, rework, needless steps) as a string."""
        return self._report or ""

    def to_pm4py(self) -> pd.DataFrame:
        """The log's events with pm4py's column names (a new frame; pm4py's discovery may add columns to it)."""
        columns = [c for c in PM4PY_COLUMNS if c in self._events.columns]
        return self._events[columns].rename(columns=PM4PY_COLUMNS).reset_index(drop=True)

    def rescore(self, options: Any) -> list[dict[str, Any]]:
        """Score the mined log again with other scoring options (in its store, or a copy of it)."""
        if self._store is not None:
            return pipeline.candidates(store_path=self._store, log_name=self.log, options=options).scoring.candidates
        with pipeline.temporary_store("saksflyt-score-") as target:
            target.write_bytes(self._image or b"")
            return pipeline.candidates(store_path=target, log_name=self.log, options=options).scoring.candidates


def _frame(rows: list[dict[str, Any]] | None) -> pd.DataFrame:
    return pd.DataFrame(rows or [])


def read_result(target: Path, mined: pipeline.Mined, *, settings: pipeline.Settings, event_log: EventLog | None,
                keep_image: bool) -> MiningResult:
    """Read a mining run (and its scoring) out of the store at `target` into a `MiningResult`."""
    from saksflyt.mining import insights_results, results

    name, run_id = mined.mining.log, mined.mining.run_id
    lang = settings.mining.insights.lang
    with store.read(target) as con:
        summary = results.summary(con, name, run_id=run_id)
        tables = {"activities": results.activities(con, name, run_id=run_id),
                  "dfg": results.dfg(con, name, run_id=run_id),
                  "variants": results.variants(con, name, run_id=run_id),
                  "bottlenecks": _frame(insights_results.bottlenecks(con, name, run_id=run_id, lang=lang)),
                  "rework": _frame(insights_results.rework(con, name, run_id=run_id, lang=lang)),
                  "needless_steps": _frame(insights_results.needless(con, name, run_id=run_id, lang=lang))}
        model = insights_results.model(con, name, run_id=run_id)
        report = insights_results.report_html(con, name, run_id=run_id)
        events = con.execute("SELECT * EXCLUDE (log) FROM events WHERE log = ? ORDER BY case_id, event_seq",
                             [name]).df()
    image = None
    if keep_image:
        with store.write(target) as con:  # the write's close checkpoints: the file alone holds everything
            pass
        image = target.read_bytes()
    return MiningResult(log=name, run_id=run_id, summary=summary, model=model, settings=settings,
                        scored=mined.scoring.candidates, event_log=event_log, _events=events, _report=report,
                        _image=image, _store=None if keep_image else Path(target), **tables)
