"""`saksflyt audit`: a thin wrapper over `extractors.audit_log.rows` (who viewed and changed which log)."""
from __future__ import annotations

import dataclasses
import json
from datetime import date, datetime, timezone

import click
from rich import box
from rich.table import Table

from saksflyt.app.cli_common import current_store, err, out, store_option
from saksflyt.extractors import audit_log, store
from saksflyt.extractors.errors import InputError


def since_moment(value: str | None) -> datetime | None:
    """`--since`: a day means from its start (UTC); a moment without an offset is taken as UTC."""
    if not value:
        return None
    try:
        if len(value) == 10:
            return datetime.combine(date.fromisoformat(value), datetime.min.time(), timezone.utc)
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise InputError(f"--since: not a date or moment: {value!r} (use 2026-12-01 or 2026-12-01T08:00Z)") from None
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)


def as_json(entries: list[audit_log.AuditEntry]) -> str:
    """The rows as a JSON list, `recorded_at` in ISO 8601 UTC."""
    rows = [dict(dataclasses.asdict(e), recorded_at=e.recorded_at.astimezone(timezone.utc).isoformat().replace("+00:00", "Z"))
            for e in entries]
    return json.dumps(rows, indent=2, ensure_ascii=False)


@click.command("audit")
@click.option("--log", "log_name", metavar="NAME", help="Only this log's rows.")
@click.option("--since", metavar="DATE", help="Only rows from this day (UTC) or ISO moment on.")
@click.option("--json", "json_out", is_flag=True, help="Print JSON instead of a table.")
@store_option
@click.pass_context
def audit_cmd(ctx: click.Context, log_name: str | None, since: str | None, json_out: bool) -> None:
    """List the audit trail: who viewed, exported, marked, ingested, mined or dropped which log, and when."""
    moment = since_moment(since)
    target = store.store_path(current_store(ctx))
    if not target.exists():
        err.print(f"{target}: no store yet; nothing audited", markup=False)
        return
    with store.read(target) as con:
        entries = audit_log.rows(con, log_name=log_name, since=moment)
    if json_out:
        click.echo(as_json(entries))
        return
    table = Table("when (UTC)", "subject", "action", "log", "what", "detail", title="Audit trail",
                  box=box.SIMPLE_HEAD, pad_edge=False)
    for e in entries:
        table.add_row(e.recorded_at.astimezone(timezone.utc).strftime("%Y-%m-%d %H:%M:%S"), e.subject, e.action,
                      e.log_name or "", e.what, e.detail)
    out.print(table)
    if not entries:
        err.print("no audit rows match", markup=False)
