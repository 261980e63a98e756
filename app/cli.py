"""The `saksflyt` command: thin wrappers (parse → call one library function → print).

Library errors (`SaksflytError`) become one line on stderr and exit code 2, never a traceback.
stdout carries command output; progress and messages go to stderr.
"""
from __future__ import annotations

import importlib
import logging
import sys

import click

from saksflyt import __version__
from saksflyt.app.cli_common import current_store, err, out, store_option  # noqa: F401  (public here too)
from saksflyt.extractors.errors import SaksflytError


class SaksflytGroup(click.Group):
    """Turns our own errors into one clean line at the edge, and loads command modules on demand."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(set(COMMAND_MODULES) | set(self.commands))

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in self.commands and cmd_name in COMMAND_MODULES:
            module = importlib.import_module(COMMAND_MODULES[cmd_name])
            for command in vars(module).values():  # the module's commands, as importing it used to register
                if (isinstance(command, click.Command) and command.name is not None
                        and COMMAND_MODULES.get(command.name) == module.__name__):
                    self.add_command(command)
        return self.commands.get(cmd_name)

    def invoke(self, ctx: click.Context):  # type: ignore[override]
        try:
            return super().invoke(ctx)
        except SaksflytError as exc:
            one_line = str(exc).replace("\r\n", " ").replace("\n", " ").replace("\r", " ")  # user data may hold breaks
            click.echo(f"saksflyt: error: {one_line}", err=True)
            ctx.exit(exc.exit_code)


@click.group(cls=SaksflytGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--store", "store", envvar="SAKSFLYT_STORE", default="saksflyt.duckdb", show_default=True,
              type=click.Path(dir_okay=False), help="The DuckDB event store (env SAKSFLYT_STORE).")
@click.option("-v", "--verbose", is_flag=True, help="Log debug messages to stderr.")
@click.version_option(__version__, "--version", prog_name="saksflyt", message="%(prog)s %(version)s",
                      help="Show the version and exit.")
@click.pass_context
def main(ctx: click.Context, store: str, verbose: bool) -> None:
    """Saksflyt: process mining and automation candidates for case handling."""
    logging.basicConfig(level=logging.DEBUG if verbose else logging.WARNING, stream=sys.stderr,
                        format="%(levelname)s %(name)s: %(message)s")
    ctx.ensure_object(dict)
    ctx.obj["store"] = store


# Each command lives in its own module (a `click.command` that imports only `cli_common`, never this
# module); `SaksflytGroup` imports the module when the command is first asked for and adds its commands
# to `main`, so `saksflyt ingest` never pays for scikit-learn, scipy or pm4py.
COMMAND_MODULES: dict[str, str] = {
    "ingest": "saksflyt.app.cli_ingest", "logs": "saksflyt.app.cli_ingest", "drop": "saksflyt.app.cli_ingest",
    "generate": "saksflyt.app.cli_generate", "generate-noark5": "saksflyt.app.cli_noark5", "export": "saksflyt.app.cli_export",
    "run": "saksflyt.app.cli_batch", "mine": "saksflyt.app.cli_mine", "candidates": "saksflyt.app.cli_candidates",
    "compare": "saksflyt.app.cli_compare", "explore": "saksflyt.app.cli_explore", "monitor": "saksflyt.app.cli_monitor",
    "simulate": "saksflyt.app.cli_simulate", "publish": "saksflyt.app.cli_publish",
    "audit": "saksflyt.app.cli_audit",
}
