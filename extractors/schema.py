"""The event-store contract, declared once: DDL for the tables `extractors` owns.

Documented in the README ("The event store"). Other packages register their own tables with
`extractors.store.register` (`extractors.migrations`); they may read these tables but never change their shape.
"""
from __future__ import annotations

from . import migrations

EVENT_COLUMNS: tuple[str, ...] = (
    "log", "case_id", "activity", "ts_start", "ts_end", "ts_precision", "event_seq",
    "resource", "resource_kind", "lifecycle", "attributes", "unit",
)

RESOURCE_KINDS = ("person", "system", "external")
PRECISIONS = ("second", "day")
CASE_ATTRIBUTE_KINDS = ("number", "text", "time", "date", "bool")
RESOURCE_DECIDED_BY = ("name", "flag", "behaviour", "default")

_V1 = """
CREATE TABLE events (
    log           VARCHAR     NOT NULL,
    case_id       VARCHAR     NOT NULL,
    activity      VARCHAR     NOT NULL,
    ts_start      TIMESTAMPTZ,
    ts_end        TIMESTAMPTZ NOT NULL,
    ts_precision  VARCHAR     NOT NULL CHECK (ts_precision IN ('second', 'day')),
    event_seq     BIGINT      NOT NULL,
    resource      VARCHAR,
    resource_kind VARCHAR     CHECK (resource_kind IN ('person', 'system', 'external')),
    lifecycle     VARCHAR,
    attributes    JSON
);
CREATE TABLE case_attributes (
    log          VARCHAR NOT NULL,
    case_id      VARCHAR NOT NULL,
    name         VARCHAR NOT NULL,
    kind         VARCHAR NOT NULL CHECK (kind IN ('number', 'text', 'time', 'date', 'bool')),
    value_number DOUBLE,
    value_text   VARCHAR,
    value_time   TIMESTAMPTZ,
    value_date   DATE,
    value_bool   BOOLEAN
);
CREATE TABLE logs (
    log           VARCHAR PRIMARY KEY,
    source        VARCHAR NOT NULL,
    source_kind   VARCHAR NOT NULL,
    content_hash  VARCHAR NOT NULL,
    pseudonymised BOOLEAN NOT NULL,
    created_at    TIMESTAMPTZ NOT NULL,
    updated_at    TIMESTAMPTZ NOT NULL,
    settings      JSON
);
CREATE TABLE ingest_runs (
    run_id        VARCHAR PRIMARY KEY,
    log           VARCHAR NOT NULL,
    source        VARCHAR NOT NULL,
    source_kind   VARCHAR NOT NULL,
    content_hash  VARCHAR NOT NULL,
    mode          VARCHAR NOT NULL,
    rows_read     BIGINT  NOT NULL,
    rows_kept     BIGINT  NOT NULL,
    rows_rejected BIGINT  NOT NULL,
    started_at    TIMESTAMPTZ NOT NULL,
    finished_at   TIMESTAMPTZ NOT NULL,
    stats         JSON
);
CREATE TABLE ingest_rejects (
    run_id     VARCHAR NOT NULL,
    log        VARCHAR NOT NULL,
    row_number BIGINT  NOT NULL,
    reason     VARCHAR NOT NULL
);
CREATE TABLE log_watermarks (
    log       VARCHAR PRIMARY KEY,
    column_name VARCHAR NOT NULL,
    value     VARCHAR NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL
);
"""

# Each resource's kind, what decided it, and the behaviour behind it (`extractors.resource_behaviour`):
# one row per resource of a log, replaced by every load of that log.
_V2 = """
CREATE TABLE resource_kinds (
    log               VARCHAR NOT NULL,
    resource          VARCHAR NOT NULL,
    kind              VARCHAR NOT NULL CHECK (kind IN ('person', 'system', 'external')),
    decided_by        VARCHAR NOT NULL CHECK (decided_by IN ('name', 'flag', 'behaviour', 'default')),
    events            BIGINT  NOT NULL,
    instant_share     DOUBLE,
    measured_share    DOUBLE  NOT NULL,
    off_hours_share   DOUBLE,
    weekend_share     DOUBLE,
    night_share       DOUBLE,
    burst_share       DOUBLE,
    boundary_share    DOUBLE  NOT NULL,
    median_wait_hours DOUBLE,
    reason            VARCHAR NOT NULL
);
"""

migrations.register("extractors", 1, "event store: events, case attributes, logs, ingest runs", _V1)
migrations.register("extractors", 2, "resource_kinds: each resource's kind and its evidence", _V2)
# The organisational unit (enhet, avdeling; XES org:group; Noark 5 journalenhet/administrativEnhet) that
# handled an event: not a person, so never pseudonymised. NULL in stores written before it existed.
migrations.register("extractors", 3, "events.unit: the organisational unit of each event",
               "ALTER TABLE events ADD COLUMN unit VARCHAR;")
# Work the store still owes: `compact` after a drop (`drop_log` writes the row in the drop's own transaction,
# the compacted copy is written without it). A drop killed between its commit and its compaction leaves the
# row, and the next command that writes finishes the erasure (`store.finish_pending`). No `log` column on
# purpose: `drop_log` deletes every row of every table with one.
migrations.register("extractors", 4, "store_maintenance: a compaction a drop still owes",
                    "CREATE TABLE store_maintenance (task VARCHAR PRIMARY KEY, requested_at TIMESTAMPTZ NOT NULL, "
                    "detail VARCHAR NOT NULL DEFAULT '');")
