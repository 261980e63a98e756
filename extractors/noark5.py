"""Noark 5 archive exports (arkivuttrekk, versions 3.1, 4.0 and 5.0) → the staging table `wide`.

`saksflyt ingest DIR_OR_arkivstruktur.xml --format noark5 --log NAME [--split-by klasse]`.
A saksmappe is a case (a moetemappe too); journalposts, documents attached, dokumentflyt approvals,
avskrivning, meetings, case closing and the status/responsibility changes in endringslogg.xml become
events, as in `../shared/noark5/MAPPING.md`. The file streams (`noark5_parse`): one case folder in
memory at a time, rows leave in batches for DuckDB, which does the timestamp work in SQL. The version
comes from arkivuttrekk.xml, else from the structure; the file is validated against the XSD of that
version (`noark5_validate`), and deviations are warnings: what can be loaded is loaded.

Timestamps: zone-less values are Europe/Oslo local time (the DST rules of `timeparse`); `Z`, offsets
and zoned dates are honoured. Date-only fields give `ts_precision = 'day'` (so does a dateTime at exactly
midnight in a field the schema types as a date). Mining orders a case by (`ts_end`, `event_seq`), so a
day-precision event cannot sit at midnight: it would come before a same-day event with a clock time even
when it happened after it (journalført after mottatt at 09:10). Within its local day it is placed by the
life-cycle rank (case created < received < registered < document attached < flow < meeting < sent <
written off < changed < case closed), first among its own journalpost's timed events (just before the
first one of a later stage, else just after the last one of an earlier stage), otherwise among the
case's (just before the first timed event of a later stage); it is stored at the instant of the timed
event before it (local midnight if none). Its clock time therefore means nothing; `event_seq` carries
the order, and (`ts_end`, `event_seq`) sorts the same way.

Personal data: employees go to `resource` (pseudonymised by staging); the outside party of a received
document is the resource 'ekstern part' (external, never its name); korrespondansepart, part and all
free text are never staged; a klasseID that is a fødselsnummer (a valid one, or any value in a PNR
classification) is replaced by its keyed pseudonym here, because `klasse` is staged as an ENUM (so that
codes such as 452 stay text) and staging scans only VARCHAR columns.

Units (`events.unit`, organisational, never pseudonymised): an event of a registrering has its
journalenhet, else its administrativEnhet (its own, or that of its internal korrespondansepart: the only
field read from a korrespondansepart besides saksbehandler and the party's coarse kind), else the
saksmappe's administrativEnhet; a case-level event the saksmappe's; an endringslogg "Administrativ enhet
endret" the new unit, any other change its journalpost's or case's unit. Each journalpost event keeps its
`journalposttype` code (I, U, N, X, S; `arkivnotat`) as an event attribute.
"""
from __future__ import annotations

import dataclasses
import inspect
import logging
import re
from collections.abc import Callable
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Literal

import duckdb
import pyarrow as pa
from lxml import etree

from . import ingest_store as ingest_lib
from . import noark5_parse as parse
from . import noark5_validate as xsd
from . import pseudonym, readers, store, timeparse
from .errors import InputError, StoreError
from .sql_text import literal, literals
from .noark5_package import detect_version, export_hash, find_package, Package
from .staging import IngestOptions, IngestReport, Staged, q
from .tabular import ColumnMap

log = logging.getLogger(__name__)
Progress = Callable[[str], None]
Validate = Literal["auto", "full", "sample", "off"]

CASE_COLUMNS = ("mappetype", "saksnummer", "saksaar", "klasse", "administrativEnhet", "saksstatus")
EVENT_COLUMNS = ("journalposttype", "journalpost", "journalstatus", "svar_journalpost", "dokumenttype",
                 "tilknytning", "motpart")
# categorical case attributes staged as ENUM: typed text that staging will not re-type as numbers
ENUM_COLUMNS = ("mappetype", "klasse", "administrativEnhet", "saksstatus")
_SCHEMAS = {
    "events": [("seq", pa.int64()), ("line", pa.int64()), ("case_id", pa.string()), ("activity", pa.string()),
               ("ts_raw", pa.string()), ("ts_field", pa.string()), ("rank", pa.int32()),
               ("resource", pa.string()), ("ekey", pa.string()), ("journalposttype", pa.string()),
               ("journalpost", pa.int64()), ("journalstatus", pa.string()), ("svar_journalpost", pa.int64()),
               ("dokumenttype", pa.string()), ("tilknytning", pa.string()), ("motpart", pa.string()),
               ("unit", pa.string())],
    "cases": [("seq", pa.int64()), ("line", pa.int64()), ("case_id", pa.string()), ("mappetype", pa.string()),
              ("saksnummer", pa.string()), ("saksaar", pa.int64()), ("klasse", pa.string()),
              ("klasse_pnr", pa.bool_()), ("administrativEnhet", pa.string()), ("saksstatus", pa.string())],
    "regs": [("reg_id", pa.string()), ("case_id", pa.string()), ("journalpost", pa.int64()), ("unit", pa.string())],
    "changes": [("seq", pa.int64()), ("line", pa.int64()), ("ref_id", pa.string()), ("changed", pa.string()),
                ("ts_raw", pa.string()), ("resource", pa.string()), ("new_value", pa.string()),
                ("unit", pa.string())],
}
_SQL_TYPES = {pa.int64(): "BIGINT", pa.int32(): "INTEGER", pa.string(): "VARCHAR", pa.bool_(): "BOOLEAN"}


# --- staging ---------------------------------------------------------------------------------------


def _create_tables(con: duckdb.DuckDBPyConnection) -> None:
    for name, cols in _SCHEMAS.items():
        con.execute(f"CREATE TABLE n5_{name} ({', '.join(f'{q(c)} {_SQL_TYPES[t]}' for c, t in cols)})")


def _sink(con: duckdb.DuckDBPyConnection) -> parse.Sink:
    schemas = {k: pa.schema(v) for k, v in _SCHEMAS.items()}

    def put(name: str, batch: parse.Batch) -> None:
        table = pa.Table.from_pydict(batch, schema=schemas[name])
        con.register("__n5_batch", table)
        con.execute(f"INSERT INTO n5_{name} SELECT * FROM __n5_batch")
        con.unregister("__n5_batch")

    return put


def _validation(pkg: Package, version: str, mode: Validate, limit: int, xsd_root: Path | None
                ) -> tuple[xsd.Validation | None, xsd.CaseSampler | None]:
    """Decide how to validate; full validation happens here, sampling during the parse."""
    if mode == "off":
        return xsd.Validation("skipped", "XSD validation turned off"), None
    schema_dir = xsd.find_schema_dir(version, pkg.folder, xsd_root)
    if schema_dir is None:
        note = (f"XSD validation skipped: no Noark 5 v{version} schemas found (looked in "
                f"$SAKSFLYT_NOARK5_XSD, {xsd.shared_xsd_root()} and the export folder)")
        log.warning(note)
        return xsd.Validation("skipped", note), None
    try:
        schema, extras = xsd.load_schema(schema_dir, pkg.folder)
    except etree.XMLSchemaParseError as exc:
        note = f"XSD validation skipped: the schemas in {schema_dir} do not load ({exc})"
        log.warning(note)
        return xsd.Validation("skipped", note), None
    if extras:
        log.info("validating with the export's own schemas too: %s", ", ".join(extras))
    size = pkg.arkivstruktur.stat().st_size
    if mode == "full" or (mode == "auto" and size <= limit):
        return xsd.validate_full(pkg.arkivstruktur, schema, version=version, schema_dir=schema_dir), None
    sampler = xsd.CaseSampler(schema, file=str(pkg.arkivstruktur), version=version, schema_dir=schema_dir)
    return None, sampler


def _klasse_pseudonyms(con: duckdb.DuckDBPyConnection, key: bytes | None) -> int:
    """Replace klasseIDs that are fødselsnumre by their pseudonyms; returns how many values changed."""
    if key is None:
        return 0
    rows = con.execute("SELECT DISTINCT klasse, bool_or(klasse_pnr) FROM n5_cases WHERE klasse IS NOT NULL "
                       "GROUP BY klasse").fetchall()
    mapping: dict[str, str] = {}
    for value, pnr in rows:
        if pnr:
            mapping[value] = pseudonym.pseudonym(value, key=key, prefix=pseudonym.FNR_PREFIX)
        else:
            new, hits = pseudonym.replace_fnr(value, key=key)
            if hits:
                mapping[value] = new
    if mapping:
        con.execute("CREATE TEMP TABLE __klasse_map (old VARCHAR, new VARCHAR)")
        con.executemany("INSERT INTO __klasse_map VALUES (?, ?)", list(mapping.items()))
        con.execute("UPDATE n5_cases SET klasse = m.new FROM __klasse_map m WHERE n5_cases.klasse = m.old")
        con.execute("DROP TABLE __klasse_map")
    return len(mapping)


def _merge_endringslogg(con: duckdb.DuckDBPyConnection) -> tuple[int, int]:
    """Changes become events of the case they (or their journalpost) belong to; returns merged, unmatched.

    A change's unit: the new administrativEnhet of an "Administrativ enhet endret", else its
    journalpost's unit, else its case's administrativEnhet."""
    labels = " ".join(f"WHEN {literal(k)} THEN {literal(v)}" for k, v in parse.CHANGE_LABELS.items())
    con.execute("""
        CREATE TEMP TABLE __regs AS
        SELECT reg_id, any_value(case_id) AS case_id, any_value(journalpost) AS journalpost,
               any_value(unit) AS unit
        FROM n5_regs GROUP BY reg_id
    """)
    con.execute("""
        CREATE TEMP TABLE __changes AS
        SELECT c.* EXCLUDE (unit), coalesce(k.case_id, r.case_id) AS target, r.journalpost AS jp,
               coalesce(c.unit, r.unit, ku.unit) AS unit
        FROM n5_changes c
        LEFT JOIN (SELECT DISTINCT case_id FROM n5_cases) k ON k.case_id = c.ref_id
        LEFT JOIN __regs r ON r.reg_id = c.ref_id
        LEFT JOIN (SELECT case_id, arg_max(administrativEnhet, seq) FILTER (WHERE administrativEnhet IS NOT NULL)
                          AS unit FROM n5_cases GROUP BY case_id) ku
               ON ku.case_id = coalesce(k.case_id, r.case_id)
    """)
    base = con.execute("SELECT coalesce(max(seq), 0) FROM n5_events").fetchall()[0][0]
    con.execute(f"""
        INSERT INTO n5_events
        SELECT {base} + seq, line, target,
               CASE changed {labels} END || coalesce(': ' || new_value, ''),
               ts_raw, 'endretDato', {parse.RANK['changed']}, resource, 'chg:' || seq,
               NULL, jp, NULL, NULL, NULL, NULL, NULL, unit
        FROM __changes WHERE target IS NOT NULL AND nullif(trim(ts_raw), '') IS NOT NULL
    """)
    merged, unmatched = con.execute(
        "SELECT count(*) FILTER (WHERE target IS NOT NULL AND nullif(trim(ts_raw), '') IS NOT NULL), "
        "count(*) FILTER (WHERE target IS NULL) FROM __changes").fetchall()[0]
    con.execute("DROP TABLE __changes")
    con.execute("DROP TABLE __regs")
    return int(merged), int(unmatched)


def _enum(con: duckdb.DuckDBPyConnection, table: str, column: str) -> str:
    values = [r[0] for r in con.execute(
        f"SELECT DISTINCT {q(column)} FROM {table} WHERE {q(column)} IS NOT NULL ORDER BY 1").fetchall()]
    if not values:
        return "VARCHAR"
    return "ENUM(" + literals(values) + ")"


def _build_wide(con: duckdb.DuckDBPyConnection, *, tz: str) -> dict[str, int]:
    """Dedupe, parse times, order each case by day and life-cycle rank, and build `wide`.

    A case met more than once (the same systemID in several arkivdeler or periods) is one case: its
    events are deduplicated by identity (element systemID and kind), its attributes are the last
    non-empty value in file order. Each intermediate table is dropped as soon as the next exists, so
    at most two copies of the events are alive at once.
    """
    date_fields = literals(sorted(parse.DATE_FIELDS))
    zone = r"(Z|z|[+-][0-9]{2}(:?[0-9]{2})?)?"
    midnight = r"[T ]00:00(:00(\.0+)?)?"
    attrs = ", ".join(q(c) for c in EVENT_COLUMNS)
    con.execute(f"""
        CREATE TEMP TABLE __ev AS
        WITH d AS (
            SELECT seq, line, case_id, activity, trim(ts_raw) AS s, ts_field, rank, resource, unit, {attrs},
                   regexp_matches(trim(ts_raw), '^[0-9]{{4}}-[0-9]{{2}}-[0-9]{{2}}{zone}$')
                   OR (ts_field IN ({date_fields})
                       AND regexp_matches(trim(ts_raw), '^[0-9]{{4}}-[0-9]{{2}}-[0-9]{{2}}{midnight}{zone}$'))
                   AS is_day
            FROM n5_events
            QUALIFY row_number() OVER (PARTITION BY case_id, ekey ORDER BY seq DESC) = 1
        ), t AS (
            SELECT * EXCLUDE (s), CASE WHEN is_day THEN TRY_CAST(substr(s, 1, 10) AS DATE) END AS day_date,
                   CASE WHEN NOT is_day THEN sf_ts(s) END AS ts_exact,
                   CASE WHEN NOT is_day THEN sf_dst(s) END AS dst
            FROM d
        )
        SELECT *, CASE WHEN is_day THEN day_date ELSE timezone({literal(tz)}, ts_exact)::DATE END AS local_day,
               CASE WHEN NOT is_day THEN epoch_us(ts_exact) * 16 + rank END AS k
        FROM t
    """)
    dupes = con.execute("SELECT (SELECT count(*) FROM n5_events) - (SELECT count(*) FROM __ev)").fetchall()[0][0]
    con.execute("DROP TABLE n5_events")
    # Where a day event goes among the same-day timed events of its case. Ranks order one document's
    # life cycle, not unrelated documents, so a journalpost's own events come first: just before its
    # first later-stage timed event, else just after its last earlier-stage one; case-level events
    # (and journalposts without timed events that day) go before the case's first later-stage event.
    con.execute("""
        CREATE TEMP TABLE __anchor AS
        SELECT d.seq,
               min(t.k) FILTER (WHERE t.rank > d.rank AND t.journalpost = d.journalpost) AS jp_before,
               max(t.k) FILTER (WHERE t.rank <= d.rank AND t.journalpost = d.journalpost) AS jp_after,
               min(t.k) FILTER (WHERE t.rank > d.rank) AS case_before
        FROM __ev d JOIN __ev t ON t.case_id = d.case_id AND t.local_day = d.local_day AND t.k IS NOT NULL
        WHERE d.is_day
        GROUP BY d.seq
    """)
    con.execute(f"""
        CREATE TEMP TABLE __cases AS
        SELECT case_id, {", ".join(f"arg_max({q(c)}, seq) FILTER (WHERE {q(c)} IS NOT NULL) AS {q(c)}"
                                   for c in CASE_COLUMNS)}
        FROM n5_cases GROUP BY case_id
    """)
    enums = {c: _enum(con, "__cases", c) for c in ENUM_COLUMNS}
    case_sql = ", ".join(f"c.{q(col)}::{enums[col]} AS {q(col)}" if col in enums else f"c.{q(col)}"
                         for col in CASE_COLUMNS)
    event_sql = ", ".join(f"e.{q(col)}" for col in EVENT_COLUMNS)
    # the order is computed on narrow rows (windows materialise every column they carry), then joined back
    con.execute("""
        CREATE TEMP TABLE __order AS
        WITH f AS (
            SELECT e.seq, e.case_id, e.local_day, e.is_day, e.ts_exact, e.day_date,
                   min(e.seq) OVER (PARTITION BY e.case_id) AS case_first,
                   CASE WHEN NOT e.is_day THEN e.k
                        ELSE coalesce(a.jp_before, a.jp_after, a.case_before, 9223372036854775807) END AS o1,
                   CASE WHEN NOT e.is_day OR a.jp_before IS NOT NULL OR a.jp_after IS NULL THEN e.rank
                        ELSE 16 END AS o2
            FROM __ev e LEFT JOIN __anchor a ON a.seq = e.seq
        ), o AS (
            SELECT seq, case_id, local_day, is_day, ts_exact, day_date,
                   row_number() OVER (ORDER BY case_first, case_id, local_day NULLS LAST, o1, o2,
                                      CASE WHEN is_day THEN 1 ELSE 0 END, seq) - 1 AS event_seq
            FROM f
        )
        SELECT seq, event_seq,
               CASE WHEN is_day THEN coalesce(
                        max(ts_exact) OVER (PARTITION BY case_id, local_day ORDER BY event_seq
                                            ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW),
                        sf_zone(day_date::TIMESTAMP))
                    ELSE ts_exact END AS ts_end
        FROM o
    """)
    con.execute("DROP TABLE __anchor")
    con.execute(f"""
        CREATE TABLE wide AS
        SELECT e.line AS __row, e.case_id, e.activity, r.ts_end, NULL::TIMESTAMPTZ AS ts_start,
               CASE WHEN e.is_day THEN 'day' ELSE 'second' END AS ts_precision,
               r.event_seq, e.resource, NULL::VARCHAR AS lifecycle, e.unit,
               CASE WHEN (e.is_day AND e.day_date IS NULL) OR (NOT e.is_day AND e.ts_exact IS NULL)
                    THEN 'unparseable date in ' || e.ts_field END AS __reject,
               e.dst AS __dst, {event_sql}, {case_sql}
        FROM __ev e JOIN __order r ON r.seq = e.seq LEFT JOIN __cases c ON c.case_id = e.case_id
    """)
    for t in ("__ev", "__order", "__cases"):
        con.execute(f"DROP TABLE {t}")
    shifted, ambiguous, day = con.execute(
        "SELECT count(*) FILTER (WHERE __dst = 'shifted'), count(*) FILTER (WHERE __dst = 'ambiguous'), "
        "count(*) FILTER (WHERE ts_precision = 'day') FROM wide").fetchall()[0]
    con.execute("ALTER TABLE wide DROP COLUMN __dst")
    return {"duplicate_events_dropped": int(dupes), "dst_nonexistent_shifted": int(shifted),
            "dst_ambiguous_first": int(ambiguous), "day_precision_events": int(day)}


def stage_noark5(con: duckdb.DuckDBPyConnection, path: Path, *, options: IngestOptions, content_hash: str,
                 columns: ColumnMap = ColumnMap(), validate: Validate = "auto",
                 full_validation_bytes: int = xsd.FULL_VALIDATION_BYTES, keywords: Any = None,
                 xsd_root: Path | None = None, progress: Progress | None = None, **extra: Any) -> Staged:
    """Read one Noark 5 export into `wide` (the reader registered as format 'noark5')."""
    say = progress or (lambda _msg: None)
    src = str(path)
    if any(getattr(columns, f.name) for f in dataclasses.fields(columns)):
        raise InputError("column flags (--case, --activity, …) do not apply to a Noark 5 export", file=src)
    if extra.get("activity_key"):
        raise InputError("--activity-key does not apply to a Noark 5 export", file=src)
    pkg = find_package(path)
    version, version_source, declared = detect_version(pkg)
    say(f"Noark 5 v{version}: validating")
    validation, sampler = _validation(pkg, version, validate, full_validation_bytes, xsd_root)
    timeparse.install_macros(con, tz=options.tz)
    _create_tables(con)
    sink = _sink(con)
    say("reading arkivstruktur.xml")
    reader = parse.ArkivstrukturReader(pkg.arkivstruktur, sink=sink, keywords=keywords,
                                       with_registreringer=pkg.endringslogg is not None, on_case=sampler)
    pstats = reader.run()
    if sampler is not None:
        validation = sampler.result
    assert validation is not None
    if validation.errors:
        for line in validation.first:
            log.warning("schema deviation: %s", line)
        log.warning("%s: %s schema deviation(s) from the Noark 5 v%s XSD (%s); loaded what could be loaded",
                    pkg.arkivstruktur, f"{validation.errors:,}", version, validation.mode)
    merged = unmatched = 0
    if pkg.endringslogg is not None:
        say("reading endringslogg.xml")
        parse.read_endringslogg(pkg.endringslogg, sink=sink, stats=pstats)
        merged, unmatched = _merge_endringslogg(con)
    if pstats.cases_read == 0:
        raise InputError("the export holds no case folder (mappe) to load", file=str(pkg.arkivstruktur))
    key = pseudonym.load_key() if options.pseudonymise else None
    klasse_fnr = _klasse_pseudonyms(con, key)
    say("ordering events")
    stats = _build_wide(con, tz=options.tz)
    distinct_cases = con.execute("SELECT count(DISTINCT case_id) FROM n5_cases").fetchall()[0][0]
    open_cases = con.execute(
        "SELECT count(*) FROM (SELECT saksstatus FROM n5_cases QUALIFY row_number() OVER "
        "(PARTITION BY case_id ORDER BY seq DESC) = 1) WHERE saksstatus IN (SELECT unnest(?::VARCHAR[]))",
        [sorted(parse.OPEN_SAKSSTATUS)]).fetchall()[0][0]
    rows = con.execute("SELECT count(*) FROM wide").fetchall()[0][0]
    for t in ("cases", "regs", "changes"):
        con.execute(f"DROP TABLE n5_{t}")
    stats.update({
        "cases_read": pstats.cases_read, "duplicate_cases_merged": pstats.cases_read - int(distinct_cases),
        "open_cases": int(open_cases), "events_without_date": pstats.events_without_date,
        "registreringer_outside_mappe": pstats.registreringer_outside_mappe,
        "mapper_without_systemid": pstats.mapper_without_systemid,
        "endringslogg_changes_merged": merged, "endringslogg_changes_unmatched": unmatched,
        "endringslogg_other_fields": pstats.endringslogg_other_fields,
        "klasse_fodselsnummer_pseudonymised": klasse_fnr,
        "xsd_errors": validation.errors, "xsd_cases_validated": validation.cases_checked,
        "xsd_sampled": int(validation.mode == "sample"), "xsd_skipped": int(validation.mode == "skipped"),
    })
    return Staged(
        con=con, source=src, source_kind="noark5", content_hash=content_hash, rows_read=int(rows),
        case_columns=list(CASE_COLUMNS), event_columns=list(EVENT_COLUMNS), stats=stats,
        settings={"format": "noark5", "noark5_version": version, "version_source": version_source,
                  "declared_version": declared, "validation": validation.mode,
                  "validation_note": validation.note, "endringslogg": pkg.endringslogg is not None},
    )


def _read(con: duckdb.DuckDBPyConnection, path: Path, *, columns: ColumnMap, options: IngestOptions,
          content_hash: str, **extra: Any) -> Staged:
    return stage_noark5(con, path, columns=columns, options=options, content_hash=content_hash, **extra)


readers.register_reader("noark5", ("arkivstruktur.xml",), _read)


# --- ingest, one log or one log per process type ---------------------------------------------------


def split_name(log_name: str, value: object) -> str:
    """The log for one value of the split attribute: NAME-value (unsafe characters become _)."""
    text = "ukjent" if value is None else str(value)
    return f"{log_name}-{re.sub(r'[^0-9A-Za-zÆØÅæøå._-]+', '_', text).strip('_') or 'ukjent'}"


def _already_loaded(target: Path, log_name: str, digest: str, mode: str) -> bool:
    if "mode" in inspect.signature(ingest_lib.already_loaded).parameters:
        return ingest_lib.already_loaded(target, log_name, digest, mode=mode)
    return ingest_lib.already_loaded(target, log_name, digest)


def ingest_noark5(path: str | Path, *, store_path: str | Path | None = None, log_name: str,
                  options: IngestOptions = IngestOptions(), split_by: str | None = None,
                  progress: Progress | None = None, **reader_options: Any) -> list[IngestReport]:
    """Load a Noark 5 export into log `log_name`, or with `split_by` into one log per value of that case
    attribute (`NAME-value`): one export mixes every process type, and `klasse` tells them apart.

    The external party of a received document is the resource 'ekstern part', classified external.
    With a split, each log is committed in its own transaction; a log already holding this content is
    left alone (no-op) and a clash with another source is reported before anything is written.
    """
    if not log_name or not log_name.strip():
        raise InputError("--log needs a name", file=str(path))
    if split_by is not None and split_by not in CASE_COLUMNS:
        raise InputError(f"--split-by needs a case attribute of a Noark 5 export ({', '.join(CASE_COLUMNS)}), "
                         f"not '{split_by}'", file=str(path))
    started = datetime.now(timezone.utc)
    pkg = find_package(path)
    options = dataclasses.replace(options, external=(*options.external, parse.EXTERNAL_PARTY))
    digest = export_hash(pkg)
    target = store.store_path(store_path)
    source = str(Path(path))
    if split_by is None and _already_loaded(target, log_name, digest, options.mode):
        return [IngestReport(log=log_name, run_id=None, source=source, mode=options.mode, rows_read=0,
                             rows_kept=0, rows_rejected=0, cases=0, noop=True)]
    if split_by is None and options.mode == "new" and ingest_lib.log_exists(target, log_name):
        raise StoreError(f"log '{log_name}' already holds another source; use --replace to swap it "
                         f"or --append to add rows")
    con = store.memory()
    try:
        if progress:
            progress("reading the Noark 5 export")
        staged = stage_noark5(con, Path(path), options=options, content_hash=digest, progress=progress,
                              **reader_options)
        if split_by is None:
            return [ingest_lib.ingest_staged(staged, store_path=target, log_name=log_name, options=options,
                                             started_at=started, progress=progress)]
        return _ingest_split(staged, split_by=split_by, target=target, log_name=log_name, options=options,
                             started=started, progress=progress)
    finally:
        con.close()


def _ingest_split(staged: Staged, *, split_by: str, target: Path, log_name: str, options: IngestOptions,
                  started: datetime, progress: Progress | None) -> list[IngestReport]:
    con = staged.con
    con.execute("ALTER TABLE wide RENAME TO __all_wide")
    values = [r[0] for r in con.execute(
        f"SELECT {q(split_by)}::VARCHAR AS v FROM __all_wide GROUP BY 1 ORDER BY min(event_seq)").fetchall()]
    names = {v: split_name(log_name, v) for v in values}
    if len(set(names.values())) < len(names):
        raise InputError(f"values of {split_by} collide after making log names of them", file=staged.source)
    todo, reports = [], []
    clashes = []
    for v, name in names.items():
        if _already_loaded(target, name, staged.content_hash, options.mode):
            reports.append(IngestReport(log=name, run_id=None, source=staged.source, mode=options.mode,
                                        rows_read=0, rows_kept=0, rows_rejected=0, cases=0, noop=True))
        elif options.mode == "new" and ingest_lib.log_exists(target, name):
            clashes.append(name)
        else:
            todo.append((v, name))
    if clashes:
        raise StoreError(f"log(s) {', '.join(clashes)} already hold another source; use --replace to swap "
                         f"them or --append to add rows")
    for v, name in todo:
        # prepare() consumes `wide` and replaces its own result tables on every call
        con.execute(f"CREATE OR REPLACE TABLE wide AS SELECT * FROM __all_wide WHERE {q(split_by)}::VARCHAR "
                    f"IS NOT DISTINCT FROM ?", [v])
        rows, cases, day = con.execute("SELECT count(*), count(DISTINCT case_id), "
                                       "count(*) FILTER (WHERE ts_precision = 'day') FROM wide").fetchall()[0]
        # export-wide figures (validation, endringslogg, duplicates) stay; the counts are this log's
        part = dataclasses.replace(staged, rows_read=int(rows),
                                   stats={**staged.stats, "cases_read": int(cases), "day_precision_events": int(day)},
                                   settings={**staged.settings, "split_by": split_by, "split_value": v})
        if progress:
            progress(f"loading {name}")
        reports.append(ingest_lib.ingest_staged(part, store_path=target, log_name=name, options=options,
                                                started_at=started, progress=progress))
    return reports
