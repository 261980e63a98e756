"""OCEL 2.0 object-centric logs (JSON, XML or SQLite) → one case-centric log, flattened on an object type.

`--format ocel` is required (a `.sqlite` file could be anything); which of the three it is, the bytes
tell. pm4py's OCEL 2.0 readers parse the file; the flattening is DuckDB SQL over its tables, as pm4py's
`ocel_flattening` defines it: every object of the chosen type (`--object-type`) is a case, and every
event related to it is one of its events, so an event related to three orders is in three cases. Event
attributes stay event attributes; the object's attributes (their first values; later changes are not
followed) become case attributes. Events related to no object of that type are left out and counted.
The activity is the event type, or the event attribute named by `--activity-key`; a resource is found
among the event attributes by `--resource` or by the usual names.
"""
from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa

from . import readers
from .errors import InputError
from .sql import stage_parquet, write_parquet
from .staging import IngestOptions, Staged, q
from .tabular import CANDIDATES, ColumnMap

EID, OID, TYPE, ACTIVITY, TIME = "ocel:eid", "ocel:oid", "ocel:type", "ocel:activity", "ocel:timestamp"
VARIANTS = ("json", "xml", "sqlite")


def variant_of(path: Path) -> str:
    """'json', 'xml' or 'sqlite' from the file's first bytes."""
    with path.open("rb") as fh:
        head = fh.read(64)
    if head.startswith(b"SQLite format 3\x00"):
        return "sqlite"
    stripped = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    if stripped.startswith(b"{"):
        return "json"
    if stripped.startswith(b"<"):
        return "xml"
    if not stripped:
        raise InputError("the file is empty", file=str(path))
    raise InputError("not an OCEL 2.0 file: expected JSON, XML or SQLite", file=str(path))


def read_ocel(path: Path) -> Any:
    """pm4py's OCEL object for a JSON, XML or SQLite OCEL 2.0 file."""
    import pm4py  # heavy; only OCEL and XES sources need it

    variant = variant_of(path)
    reader = {"json": pm4py.read_ocel2_json, "xml": pm4py.read_ocel2_xml, "sqlite": pm4py.read_ocel2_sqlite}[variant]
    try:
        return reader(str(path))
    except Exception as exc:  # pm4py's readers raise whatever their parsers raise (KeyError, lxml, pandas)
        detail = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise InputError(f"cannot read as OCEL 2.0 {variant.upper() if variant != 'sqlite' else 'SQLite'}: "
                         f"{detail}", file=str(path)) from exc


def _arrow(frame: Any) -> pa.Table:
    """A pandas frame as Arrow (NaN → null); a column of mixed Python values becomes text."""
    try:
        return pa.Table.from_pandas(frame, preserve_index=False)
    except (pa.ArrowInvalid, pa.ArrowTypeError):
        cols = {}
        for name in frame.columns:
            try:
                cols[str(name)] = pa.Array.from_pandas(frame[name])
            except (pa.ArrowInvalid, pa.ArrowTypeError):
                cols[str(name)] = pa.array([None if v is None or v != v else str(v) for v in frame[name]],
                                           type=pa.string())
        return pa.table(cols)


def flatten(con: duckdb.DuckDBPyConnection, ocel: Any, *, object_type: str | None,
            source: str) -> tuple[pa.Table, list[str], dict[str, int]]:
    """The events of every object of `object_type` as rows (object id, activity, time, event attributes,
    `case:`-prefixed object attributes), in time order; returns rows, object attribute columns, counts."""
    # pm4py gives a table without its columns when the file has none of its rows (no objects at all)
    for what, frame, needed in (("objects", ocel.objects, (OID, TYPE)), ("events", ocel.events, (EID, ACTIVITY, TIME)),
                                ("event-object relations", ocel.relations, (EID, OID, TYPE))):
        if any(c not in frame.columns for c in needed):
            raise InputError(f"the log has no {what}", file=source)
    types = ocel.objects[TYPE].value_counts()
    known = ", ".join(f"{t} ({n:,} object{'s' if n != 1 else ''})" for t, n in types.items())
    if not object_type:
        raise InputError(f"give --object-type: the object types are {known}", file=source)
    if object_type not in types.index:
        raise InputError(f"no object type '{object_type}'; the object types are {known}", file=source)
    con.register("ocel_events_src", _arrow(ocel.events))
    con.register("ocel_objects_src", _arrow(ocel.objects))
    con.register("ocel_relations_src", _arrow(ocel.relations[[EID, OID, TYPE]]))
    con.execute("CREATE TABLE ocel_events AS SELECT row_number() OVER () AS __pos, * FROM ocel_events_src")
    con.execute("CREATE TABLE ocel_objects AS SELECT * FROM ocel_objects_src WHERE ocel_objects_src.\"ocel:type\" = ?",
                [object_type])
    con.execute("CREATE TABLE ocel_rel AS SELECT DISTINCT r.\"ocel:eid\", r.\"ocel:oid\" FROM ocel_relations_src r "
                "WHERE r.\"ocel:type\" = ?", [object_type])
    for name in ("ocel_events_src", "ocel_objects_src", "ocel_relations_src"):
        con.unregister(name)
    event_attrs = [n for n, in con.execute(
        "SELECT column_name FROM duckdb_columns() WHERE table_name = 'ocel_events' ORDER BY column_index"
    ).fetchall() if n not in ("__pos", EID, ACTIVITY, TIME)]
    object_attrs = []
    for (name,) in con.execute("SELECT column_name FROM duckdb_columns() WHERE table_name = 'ocel_objects' "
                               "ORDER BY column_index").fetchall():
        if name in (OID, TYPE):
            continue
        if con.execute(f"SELECT count({q(name)}) FROM ocel_objects").fetchall()[0][0]:
            object_attrs.append(name)
    select = "".join(f", e.{q(a)}" for a in event_attrs)
    select += "".join(f", o.{q(a)} AS {q('case:' + a)}" for a in object_attrs)
    rows = con.sql(f"""
        SELECT r."ocel:oid", e."ocel:activity", e."ocel:timestamp"{select}
        FROM ocel_rel r JOIN ocel_events e USING ("ocel:eid") LEFT JOIN ocel_objects o USING ("ocel:oid")
        ORDER BY e."ocel:timestamp", e.__pos, r."ocel:oid"
    """).to_arrow_table()
    events, related, objects = con.execute(
        "SELECT (SELECT count(*) FROM ocel_events), (SELECT count(DISTINCT \"ocel:eid\") FROM ocel_rel), "
        "(SELECT count(*) FROM ocel_objects)").fetchall()[0]
    for name in ("ocel_events", "ocel_objects", "ocel_rel"):
        con.execute(f"DROP TABLE {name}")
    if rows.num_rows == 0:
        raise InputError(f"no event is related to an object of type '{object_type}'", file=source)
    stats = {"ocel_events": events, "ocel_events_without_object": events - related,
             "ocel_objects_of_type": objects}
    return rows, [f"case:{a}" for a in object_attrs], stats


def stage_ocel(con: duckdb.DuckDBPyConnection, path: Path, *, columns: ColumnMap, options: IngestOptions,
               content_hash: str, object_type: str | None = None, activity_key: str | None = None,
               **_extra: Any) -> Staged:
    """The `ocel` reader for `ingest_path`: read, flatten on `object_type`, stage like any table."""
    source = str(path)
    if columns.case or columns.timestamp:
        raise InputError("--case and --timestamp do not apply to OCEL: cases are the objects of --object-type, "
                         "times are the events' times", file=source)
    if columns.unit:
        raise InputError("--unit does not apply to OCEL: its events carry no organisational unit", file=source)
    if columns.activity and activity_key and columns.activity != activity_key:
        raise InputError("give --activity or --activity-key, not both", file=source)
    ocel = read_ocel(path)
    rows, case_columns, stats = flatten(con, ocel, object_type=object_type, source=source)
    activity = columns.activity or activity_key or ACTIVITY
    if activity not in rows.column_names:
        attrs = [c for c in rows.column_names if c not in (OID, ACTIVITY, TIME) and not c.startswith("case:")]
        raise InputError(f"no event attribute '{activity}' to name activities; event attributes are: "
                         f"{', '.join(attrs) or 'none'}", file=source)
    mapped = ColumnMap(case=OID, activity=activity, timestamp=TIME, start=columns.start,
                       resource=columns.resource, lifecycle=columns.lifecycle)
    with tempfile.TemporaryDirectory(prefix="saksflyt-ocel-") as tmp:
        flat = Path(tmp) / "flat.parquet"
        write_parquet(rows, flat)
        del rows
        staged = stage_parquet(con, flat, source=source, source_kind="ocel", columns=mapped, options=options,
                               content_hash=content_hash,
                               # OCEL has no unit: an event attribute called `unit` stays an attribute
                               by_name=tuple(r for r in CANDIDATES if r != "unit"),
                               settings={"ocel_variant": variant_of(path), "object_type": object_type,
                                         "activity": activity})
    # an object's attributes describe its case; an event's attributes its event, even when constant
    staged.event_columns = [c for c in staged.auto_columns if c not in case_columns]
    staged.case_columns = [c for c in staged.case_columns if c in case_columns] + [
        c for c in staged.auto_columns if c in case_columns]
    staged.auto_columns = []
    staged.stats.update(stats)
    return staged


readers.register_reader("ocel", (), stage_ocel)
