"""What every `saksflyt` command module shares: the consoles, the `--store` option, the progress spinner.

A leaf: the command modules import this, and `app.cli` imports them by name when a command is asked for,
so no command module imports `app.cli` back.
"""
from __future__ import annotations

import contextlib
from collections.abc import Iterator

import click
from rich.console import Console

err = Console(stderr=True, highlight=False)
out = Console(highlight=False)


def store_option(f):
    """`--store` after the sub-command too, so `saksflyt ingest X --store S` works as users expect."""
    def callback(ctx: click.Context, _param: click.Parameter, value: str | None) -> None:
        if value:
            ctx.ensure_object(dict)
            ctx.find_root().obj["store"] = value
    return click.option("--store", "store_override", default=None, expose_value=False, callback=callback,
                        is_eager=True, type=click.Path(dir_okay=False),
                        help="The DuckDB event store (env SAKSFLYT_STORE).")(f)


def current_store(ctx: click.Context) -> str:
    return ctx.find_root().obj["store"]


@contextlib.contextmanager
def progress_status(quiet: bool, first: str) -> Iterator:
    """A spinner on stderr that library code updates through a progress callback."""
    if quiet:
        yield lambda _msg: None
        return
    with err.status(first) as status:
        yield lambda msg: status.update(msg)
