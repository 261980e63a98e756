"""The one pipeline behind every command and the Python API: ingest → mine → score → export.

Each CLI command parses its flags, calls one function here and prints what it returns; `saksflyt.app.api`
calls the same functions. So `saksflyt run` and `saksflyt mine` cannot drift apart again: both mine and
then score through `mine_and_score`, and every scoring run records the mining run it read.
Heavy libraries (pm4py, scikit-learn) load inside the functions that need them, so `saksflyt ingest`
stays quick to start.
"""
from __future__ import annotations

import contextlib
import logging
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from saksflyt.app import audit
from saksflyt.extractors import batch, noark5, noark5_package, store
from saksflyt.extractors.errors import InputError, SaksflytError
from saksflyt.extractors.staging import IngestOptions, IngestReport
from saksflyt.extractors.tabular import ColumnMap

if TYPE_CHECKING:
    from saksflyt.app.mine_config import LogSettings
    from saksflyt.automation_scoring.run import ScoringOptions, ScoringResult, TrainingResult
    from saksflyt.mining.monitor import MonitorResult
    from saksflyt.mining.run import MineOptions, MiningResult

log = logging.getLogger(__name__)

# progress(label, done, total) for mining and scoring; message(text) for loading
Progress = Callable[[str, int, int], None]
Message = Callable[[str], None]


def _no_progress(_label: str, _done: int, _total: int) -> None:
    return None


def _audit_loads(store_path: str | Path, reports: list[IngestReport]) -> None:
    """The audit trail's row for each load, once it has committed. A failed load and a load of content
    already stored leave no row: both promise a store left unchanged."""
    for r in reports:
        if not r.noop:
            audit.record(store_path, action="ingest", log_name=r.log, what=r.mode)


def _audit_mine(store_path: str | Path, log_name: str, run_seq: int) -> None:
    audit.record(store_path, action="mine", log_name=log_name, what=f"run {run_seq}")


# --- ingest -----------------------------------------------------------------------------------


def ingest(source: str | Path, *, store_path: str | Path, log_name: str, options: IngestOptions = IngestOptions(),
           columns: ColumnMap = ColumnMap(), fmt: str | None = None, split_by: str | None = None,
           progress: Message | None = None, **extra: Any) -> list[IngestReport]:
    """Load one source (a file, an export folder, a database query) into the store; a Noark 5 export
    may become several logs (`split_by`), hence a list of reports."""
    store.finish_pending(store_path)
    if fmt == "noark5" or split_by or (fmt is None and noark5_package.looks_like_export(source)):
        reports = noark5.ingest_noark5(source, store_path=store_path, log_name=log_name, options=options,
                                       split_by=split_by, progress=progress, columns=columns, **extra)
    else:
        reports = [batch.ingest_source(source, store_path=store_path, log_name=log_name, options=options,
                                       columns=columns, fmt=fmt, progress=progress, **extra)]
    _audit_loads(store_path, reports)
    return reports


def ingest_config(config: str | Path | batch.BatchConfig, *, store_path: str | Path,
                  progress: Message | None = None) -> batch.BatchReport:
    """Every source of a sources.toml; a source that fails does not stop the others."""
    store.finish_pending(store_path)
    cfg = config if isinstance(config, batch.BatchConfig) else batch.load_config(config)
    report = batch.run_sources(cfg, store_path=store_path, progress=progress)
    _audit_loads(store_path, [r.report for r in report.results if r.report is not None])
    return report


def drop(*, store_path: str | Path, log_name: str) -> int:
    """`saksflyt drop`: remove a log and compact the store (`extractors.ingest.drop_log`); returns its events.
    The audit row outlives the log: `audit_log` keys logs by `log_name`, which the drop does not touch."""
    from saksflyt.extractors.ingest import drop_log

    store.finish_pending(store_path)
    n = drop_log(store_path, log_name)
    audit.record(store_path, action="drop", log_name=log_name, what=f"{n} events")
    return n


# --- mine and score ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Settings:
    """What one mining-and-scoring of a log is told: the same for `mine`, `run` and `sf.mine`."""

    mining: MineOptions
    scoring: ScoringOptions


def settings(config: LogSettings | None = None, *, end_activities: tuple[str, ...] = (),
             external: tuple[str, ...] = (), mandatory: tuple[str, ...] = (), outcome_attrs: tuple[str, ...] = (),
             model: str | None = None, lang: str | None = None) -> Settings:
    """A log's standing settings (a mine config's section) with the caller's additions: lists add to the
    file's, end activities and the model replace them. `lang` None leaves the insight language at its default."""
    from saksflyt.app.mine_config import LogSettings
    from saksflyt.automation_scoring.run import ScoringOptions
    from saksflyt.mining import insights_results
    from saksflyt.mining.run import MineOptions

    config = config or LogSettings()
    language = {"lang": lang} if lang is not None else {}
    insights = insights_results.InsightOptions(
        external=tuple(dict.fromkeys(config.external + external)),
        mandatory=tuple(dict.fromkeys(config.mandatory + mandatory)),
        outcome_attrs=tuple(dict.fromkeys(config.outcome_attrs + outcome_attrs)),
        model=model or config.model, incoming=config.incoming, outgoing=config.outgoing, **language)
    mining = MineOptions(end_activities=end_activities or config.end_activities, insights=insights,
                         calendar=config.calendar)
    scoring = ScoringOptions(external=insights.external, outcome_attrs=insights.outcome_attrs,
                             calendar=config.calendar, lang=lang or "nb")
    return Settings(mining=mining, scoring=scoring)


@dataclass(frozen=True)
class Mined:
    """One log mined and scored: the mining run and the scoring run that read it."""

    mining: MiningResult
    scoring: ScoringResult


def mine_and_score(*, store_path: str | Path, log_name: str, settings: Settings,
                   progress: Progress | None = None) -> Mined:
    """Mine the log (stored as its latest run), then score its candidates against that run."""
    from saksflyt.automation_scoring.run import score  # late: scikit-learn loads only here
    from saksflyt.mining.run import mine

    phase = progress or _no_progress
    store.finish_pending(store_path)
    mined = mine(store_path=store_path, log_name=log_name, options=settings.mining, progress=phase)
    scored = score(store_path=store_path, log_name=log_name, options=settings.scoring, progress=phase)
    return Mined(mining=mined, scoring=scored)


def export(store_path: str | Path, mined: Mined, out_dir: Path, *, lang: str = "nb") -> list[Path]:
    """The run's files (summary, tables, insights, report.html) and the candidates, into `out_dir`."""
    from saksflyt.automation_scoring import results as scoring_results
    from saksflyt.mining import insights_results, results

    log_name, run_id = mined.mining.log, mined.mining.run_id
    with store.read(store_path) as con:
        files = results.export(con, log_name, out_dir, run_id=run_id)
        files += insights_results.export(con, log_name, out_dir, run_id=run_id, lang=lang)
    files += scoring_results.export(mined.scoring.candidates, out_dir, summary=mined.scoring.summary)
    return files


@contextlib.contextmanager
def temporary_store(prefix: str = "saksflyt-") -> Iterator[Path]:
    """A store file in a folder of its own, removed with everything in it when the block ends."""
    with tempfile.TemporaryDirectory(prefix=prefix) as folder:
        yield Path(folder) / "store.duckdb"


def mine_log(*, store_path: str | Path, log_name: str, settings: Settings, out_dir: Path | None = None,
             source: Path | None = None, lang: str = "nb", progress: Progress | None = None,
             message: Message | None = None) -> tuple[Mined, list[Path]]:
    """`saksflyt mine`: mine and score a stored log, or a file loaded into a temporary store first (which
    is removed afterwards, so its files must go to `out_dir`); returns the runs and the files written."""
    with contextlib.ExitStack() as stack:
        if source is not None:
            from saksflyt.extractors.ingest import ingest_path

            target = stack.enter_context(temporary_store("saksflyt-mine-"))
            if message:
                message(f"loading {source.name}")
            ingest_path(source, store_path=target, log_name=log_name, progress=message)
        else:
            target = store.store_path(store_path)
        mined = mine_and_score(store_path=target, log_name=log_name, settings=settings, progress=progress)
        files = export(target, mined, out_dir, lang=lang) if out_dir is not None else []
    if source is None:  # a file mined in a temporary store leaves nothing in the store to audit
        _audit_mine(target, log_name, mined.mining.run_seq)
    return mined, files


def mine_spark(*, store_path: str | Path, log_name: str, events_path: str, master: str | None,
               options: MineOptions, out_dir: Path | None = None,
               progress: Progress | None = None) -> tuple[MiningResult, list[Path]]:
    """`saksflyt mine --engine spark`: statistics and model from a Parquet dataset; no insights, no scoring
    (both read events, which stay in the dataset)."""
    from saksflyt.mining import insights_results, results, spark_engine  # late: pyspark and SQLGlot load only here

    target = store.store_path(store_path)
    result = spark_engine.mine_spark(store_path=target, log_name=log_name,
                                     events_path=spark_engine.dataset_path(events_path), master=master,
                                     options=options, progress=progress or _no_progress)
    files: list[Path] = []
    if out_dir is not None:
        with store.read(target) as con:
            files = results.export(con, log_name, out_dir, run_id=result.run_id)
            files += insights_results.export(con, log_name, out_dir, run_id=result.run_id, insights=False)
    _audit_mine(target, log_name, result.run_seq)
    return result, files


# --- the nightly run --------------------------------------------------------------------------


@dataclass(frozen=True)
class PipelineReport:
    """What `run --config` did: the loads, and per log what mining and scoring gave (or why not)."""

    batch: batch.BatchReport
    mined: dict[str, str]
    failures: int


def as_of_moment(value: str | date | datetime | None, zone: str) -> datetime | None:
    """`--as-of`: a day means the end of that local day (everything completed that day is known); a moment
    is taken as given, in the calendar's zone when it has no offset."""
    if value is None or value == "":
        return None
    try:
        if isinstance(value, datetime):
            moment = value
        elif isinstance(value, date) or len(value) == 10:
            day = value if isinstance(value, date) else date.fromisoformat(value)
            return datetime.combine(day + timedelta(days=1), time(0), ZoneInfo(zone)) - timedelta(microseconds=1)
        else:
            moment = datetime.fromisoformat(value)
    except ValueError:
        raise InputError(f"--as-of: not a date or moment: {value!r} (use 2024-03-01 or 2024-03-01T12:00+01:00)") \
            from None
    return moment if moment.tzinfo else moment.replace(tzinfo=ZoneInfo(zone))


def monitor(*, store_path: str | Path, log_name: str, config: LogSettings, as_of: str | date | datetime | None = None,
            lang: str = "nb", out_dir: Path | None = None,
            progress: Progress | None = None) -> tuple[MonitorResult, list[Path]]:
    """`saksflyt monitor`: keep the log's legal clock and rank its open cases (files into `out_dir`)."""
    from saksflyt.mining import monitor as monitor_lib
    from saksflyt.mining import monitor_report, monitor_results

    options = monitor_lib.MonitorOptions(config=config.deadlines, as_of=as_of_moment(as_of, config.calendar.zone),
                                         calendar=config.calendar, outcome_attrs=config.outcome_attrs, lang=lang)
    result = monitor_lib.monitor(store_path=store_path, log_name=log_name, options=options, progress=progress)
    files: list[Path] = []
    if out_dir is not None:
        files = monitor_results.export(out_dir, status=result.status, open_cases=result.open_cases,
                                       evaluation=result.evaluation)
        files.append(monitor_report.write(out_dir / "monitor.html", result, lang=lang))
    return result, files


def _monitor(target: str | Path, log_name: str, config: LogSettings, phase: Progress) -> str:
    """Keep the log's clock and predict its open cases, as `saksflyt monitor --config` does."""
    result, _files = monitor(store_path=target, log_name=log_name, config=config, progress=phase)
    at_risk = int((result.open_cases["p_miss"] >= 0.5).sum())
    return f"monitor run {result.run_seq}: {len(result.open_cases):,} open cases, {at_risk:,} at risk"


def run(config: str | Path | batch.BatchConfig, *, store_path: str | Path,
        progress: Message | None = None) -> PipelineReport:
    """`saksflyt run --config pipeline.toml`: load every source, then mine and score each loaded log with
    the settings `mine --config` would use, so a nightly run and a manual one store the same results."""
    from saksflyt.app import mine_config

    cfg = config if isinstance(config, batch.BatchConfig) else batch.load_config(config, pipeline=True)
    say = progress or (lambda _msg: None)
    store.finish_pending(store_path)
    report = batch.run_sources(cfg, store_path=store_path, progress=progress)
    _audit_loads(store_path, [r.report for r in report.results if r.report is not None])
    mined: dict[str, str] = {}
    failures = 0
    for result in report.results:
        src = result.source
        if result.error is not None:
            mined[src.log] = "not mined"
            continue
        if not src.mine:
            mined[src.log] = "skipped (mine = false)"
            continue
        ends = src.end_activities if src.end_activities is not None else cfg.mine.get("end_activities", ())

        def phase(label: str, _done: int, _total: int, _log: str = src.log) -> None:
            say(f"{_log}: {label}")

        try:
            config_of = mine_config.read(cfg.mine["config"], src.log) if "config" in cfg.mine \
                else mine_config.LogSettings()
            done = mine_and_score(store_path=store_path, log_name=src.log,
                                  settings=settings(config_of, end_activities=tuple(ends)), progress=phase)
            res = done.mining
            _audit_mine(store_path, src.log, res.run_seq)
            mined[src.log] = (f"run {res.run_seq}: {res.summary.get('cases', 0):,} cases, "
                              f"{res.summary.get('variants', 0):,} variants, "
                              f"{len(done.scoring.candidates):,} candidates")
            if not config_of.deadlines.empty:
                mined[src.log] += "; " + _monitor(store_path, src.log, config_of, phase)
        except SaksflytError as exc:
            failures += 1
            mined[src.log] = f"failed: {exc}"
        except Exception as exc:  # one log's mining must not stop the others; the trace goes to the log
            log.exception("mining log %s failed", src.log)
            failures += 1
            mined[src.log] = f"failed: unexpected {type(exc).__name__}: {exc}"
    return PipelineReport(batch=report, mined=mined, failures=failures)


# --- candidates -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Scored:
    """`saksflyt candidates`: the scoring run, the training behind it if labels were given, and whether
    the log was mined again after the mining run these scores read."""

    scoring: ScoringResult
    trained: TrainingResult | None
    stale: Staleness | None


def candidates(*, store_path: str | Path, log_name: str, options: ScoringOptions, labels: Path | None = None,
               out_dir: Path | None = None, progress: Progress | None = None) -> Scored:
    """Score the log's candidates (after fitting the model on `labels`, if given); files into `out_dir`."""
    from saksflyt.automation_scoring import results
    from saksflyt.automation_scoring.run import score, train

    phase = progress or _no_progress
    trained = None
    if labels is not None:
        trained = train(store_path=store_path, log_name=log_name, labels_path=labels, options=options,
                        progress=phase)
        result = trained.scoring
    else:
        result = score(store_path=store_path, log_name=log_name, options=options, progress=phase)
    if out_dir is not None:
        results.export(result.candidates, out_dir, summary=result.summary)
    return Scored(scoring=result, trained=trained, stale=staleness(store_path, log_name))


# --- are the scores current? --------------------------------------------------------------------


@dataclass(frozen=True)
class Staleness:
    """The latest scoring run of a log read an older mining run than the latest one."""

    log: str
    scored_run: str | None      # the mining run the scores were computed from (None: none recorded)
    latest_run: str

    def message(self) -> str:
        return (f"note: the candidates of '{self.log}' were scored on an older mining run than its latest "
                f"({self.latest_run}); run `saksflyt candidates --log {self.log}` to score them again")


def staleness_in(con: Any, log_name: str) -> Staleness | None:
    """None when the latest scores read the latest mining run (or either is missing), else what differs."""
    from saksflyt.automation_scoring import results as scoring_results
    from saksflyt.mining import results as mining_results

    latest = mining_results.latest_run(con, log_name)
    scoring = scoring_results.latest_run(con, log_name)
    if latest is None or scoring is None:
        return None
    read = con.execute("SELECT mining_run_id FROM scoring_runs WHERE log = ? AND run_id = ?",
                       [log_name, scoring]).fetchall()
    scored_run = read[0][0] if read else None
    return None if scored_run == latest else Staleness(log=log_name, scored_run=scored_run, latest_run=latest)


def staleness(store_path: str | Path, log_name: str) -> Staleness | None:
    """`staleness_in` on a short read-only connection to the store."""
    with store.read(store_path) as con:
        return staleness_in(con, log_name)
