"""`saksflyt mine --engine spark`: the mining statistics computed by Apache Spark from a Parquet dataset.

For logs that outgrow one machine (all of Norway's municipalities over a decade). The events come from
a dataset written by `saksflyt export --format parquet` (Hive-partitioned by log and month, local or in
object storage); the statistics are the very functions of `mining.stats`, their DuckDB SQL translated
to Spark SQL by `mining.spark_sql`, so there is one definition of each. Only aggregates come back to
the driver: the result tables, from which pm4py discovers the model (on the variants or the DFG, as
the DuckDB engine does), and everything is written into the store as a mining run like any other, so
`--out`, the explorer and scoring read it unchanged.

What the Spark engine does not run: the insight phases that read events again (bottlenecks, rework,
needless steps, conformance), because they are per-event work written for DuckDB; a run records
`engine: spark` in its settings.
"""
from __future__ import annotations

import logging
import os
import time
import uuid
import warnings
from collections.abc import Mapping
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from saksflyt.extractors import store
from saksflyt.extractors.errors import InputError, StoreError

from . import discovery, stats
from .calendar import create_days
from .run import (STATISTICS_PHASES, MiningContext, MiningResult, MineOptions, Phase, Progress, run_phases,
                  finish_run, run_row, store_run)
from .spark_sql import SparkConnection

log = logging.getLogger(__name__)

DEFAULT_MASTER = "local[2]"
EVENTS_VIEW = "src_events"
# Settings for a session this module starts; a cluster's own defaults win for anything not named here.
BASE_CONF: dict[str, str] = {
    "spark.sql.session.timeZone": "UTC",  # epoch arithmetic and Arrow transfer in UTC, as in DuckDB
    "spark.sql.sources.partitionColumnTypeInference.enabled": "false",  # a log named "2024" stays text
    "spark.ui.showConsoleProgress": "false",
}
LOG_CONFIG = Path(__file__).with_name("spark_log4j2.properties")
LOCAL_CONF: dict[str, str] = {
    # the driver JVM starts with these when pyspark launches it (local mode and client mode)
    "spark.driver.extraJavaOptions": f"-Dlog4j2.configurationFile=file:{LOG_CONFIG}",
    "spark.ui.enabled": "false",
    "spark.sql.shuffle.partitions": "8",  # 200 tiny tasks per shuffle cost more than the work on one machine
    "spark.driver.memory": os.environ.get("SAKSFLYT_SPARK_DRIVER_MEMORY", "4g"),
}


def session(master: str | None = None, conf: Mapping[str, str] | None = None) -> Any:
    """A SparkSession on `master` (default local[2]); reuses the running one of this process.

    Under `spark-submit` (its JVM is already up, PYSPARK_GATEWAY_PORT is set) the session is the one
    spark-submit configured, unless a master is named.
    """
    try:
        from pyspark.sql import SparkSession
    except ImportError as exc:  # pragma: no cover - pyspark is a dependency of the `spark` extra
        raise InputError("the Spark engine needs pyspark: pip install 'saksflyt[spark]'") from exc
    # pyspark warns on every Arrow transfer that it is not yet tested with pandas 3; we pass Arrow, not pandas
    warnings.filterwarnings("ignore", message="PySpark does not yet fully support pandas", category=FutureWarning)
    submitted = master is None and "PYSPARK_GATEWAY_PORT" in os.environ
    url = master or DEFAULT_MASTER
    local = url.startswith("local") and not submitted
    settings = {**BASE_CONF, **(LOCAL_CONF if local else {}), **dict(conf or {})}
    builder = SparkSession.builder.appName("saksflyt-mine")
    if not submitted:
        builder = builder.master(url)
    for key, value in settings.items():
        builder = builder.config(key, value)
    spark = builder.getOrCreate()
    spark.sparkContext.setLogLevel("ERROR")
    return spark


def _mangled(name: str) -> str:
    """A log name as Spark reads it from a folder DuckDB named: DuckDB percent-encodes UTF-8 bytes, Spark
    decodes each %XX as one character, so `æ` (%C3%A6) arrives as `Ã¦`."""
    return name.encode("utf-8").decode("latin-1")


def events_view(spark: Any, path: str, log_name: str) -> None:
    """Register view `src_events` over one log of the dataset at `path` (only its folders are read)."""
    from pyspark.sql import functions as F

    try:
        frame = spark.read.parquet(path)
    except Exception as exc:  # Spark raises its own AnalysisException for a missing path
        raise InputError(f"not a Parquet dataset of events: {str(exc).splitlines()[0][:200]}", file=path) from exc
    missing = {"log", "case_id", "activity", "ts_end", "ts_start", "ts_precision", "event_seq", "resource"} \
        - set(frame.columns)
    if missing:
        raise InputError(f"not an event dataset written by `saksflyt export --format parquet`: "
                         f"no column {', '.join(sorted(missing))}", file=path)
    one = frame.where(F.col("log") == _mangled(log_name)).drop("log").withColumn("log", F.lit(log_name))
    one.createOrReplaceTempView(EVENTS_VIEW)
    if one.isEmpty():
        known = sorted(r[0].encode("latin-1").decode("utf-8", "replace")
                       for r in frame.select("log").distinct().collect())
        raise StoreError(f"no log named '{log_name}' in {path} (logs: {', '.join(known) or 'none'})")


def _prepare(ctx: MiningContext) -> None:
    """The statistics' first phase, with the calendar table made by DuckDB (ICU zones) and handed to Spark."""
    spark_con: SparkConnection = ctx.con  # type: ignore[assignment]

    def days(first: Any, last: Any) -> int:
        local = store.memory()
        try:
            stats.check_zone(local, ctx.options.calendar.zone)
            offset = create_days(local, ctx.options.calendar, first=first, last=last)
            table = local.sql("SELECT * FROM calendar_days").to_arrow_table()
        finally:
            local.close()
        spark_con.create("calendar_days", spark_con.spark.createDataFrame(table))
        return offset

    ctx.facts.prepared = stats.prepare_events(ctx.con, calendar=ctx.options.calendar, days=days)


SPARK_PHASES: tuple[Phase, ...] = tuple(
    Phase(p.name, p.label, _prepare) if p.name == "prepare" else p for p in STATISTICS_PHASES)


def mine_spark(*, store_path: str | os.PathLike[str] | None, log_name: str, events_path: str,
               master: str | None = None, options: MineOptions = MineOptions(),
               progress: Progress | None = None, spark: Any = None) -> MiningResult:
    """Mine one log of the dataset at `events_path` on Spark; store the results as the log's latest run."""
    target = store.store_path(store_path)
    started = datetime.now(timezone.utc)
    t0 = time.perf_counter()
    total = len(SPARK_PHASES) + 4
    report = progress or (lambda _label, _done, _total: None)
    timings: dict[str, float] = {}

    report("starting Spark", 0, total)
    spark = spark or session(master)
    sc = SparkConnection(spark, tables={"src.events": EVENTS_VIEW})
    ctx = MiningContext(con=sc, log=log_name, run_id=uuid.uuid4().hex[:16], options=options,  # type: ignore[arg-type]
                        store_path=target)
    driver = store.memory()
    try:
        report("reading events", 1, total)
        t = time.perf_counter()
        events_view(spark, events_path, log_name)
        ctx.facts.events = stats.load_events(sc, "src", log_name)  # type: ignore[arg-type]
        timings["load"] = time.perf_counter() - t
        run_phases(ctx, SPARK_PHASES, report=report, first=2, total=total, timings=timings)

        # the result tables come to the driver; from here on the run is the DuckDB engine's
        report("collecting results", total - 2, total)
        t = time.perf_counter()
        for memory_table in ctx.outputs.values():
            driver.register("_from_spark", sc.fetch_arrow(memory_table))
            driver.execute(f"CREATE TABLE {memory_table} AS SELECT * FROM _from_spark")
            driver.unregister("_from_spark")
        for name in list(sc.names()):
            sc.drop(name)
        ctx.con = driver
        timings["collect"] = time.perf_counter() - t
        report("discovering a model", total - 1, total)
        t = time.perf_counter()
        discovery.aggregate_phase(ctx)
        timings["model"] = time.perf_counter() - t
        t = time.perf_counter()
        stored = store_run(ctx, driver, row=run_row(ctx, started, engine=f"spark ({spark.sparkContext.master})"))
    finally:
        driver.close()
    return finish_run(ctx, stored=stored, timings=timings, began=t0, write_began=t,
                      done=lambda: report("done", total, total))


def dataset_path(path: str | Path) -> str:
    """A local folder as an absolute path; URLs (s3a://, hdfs://, abfss://) as given."""
    text = str(path)
    if "://" in text:
        return text
    local = Path(text)
    if not local.exists():
        raise InputError("no such folder", file=text)
    return str(local.resolve())
