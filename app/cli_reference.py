"""The command reference in the README, made from `--help` so the two cannot drift apart.

`python -m saksflyt.app.cli_reference` prints it; a test checks the README holds exactly this text.
"""
from __future__ import annotations

import click
from click.testing import CliRunner

from saksflyt.app.cli import main

BEGIN = "<!-- cli-reference:begin (python -m saksflyt.app.cli_reference) -->"
END = "<!-- cli-reference:end -->"


def reference() -> str:
    runner = CliRunner()
    parts = [BEGIN, "", "```", runner.invoke(main, ["--help"], terminal_width=100, prog_name="saksflyt").output.rstrip(), "```"]
    for name in sorted(main.commands):
        text = runner.invoke(main, [name, "--help"], terminal_width=100, prog_name="saksflyt").output.rstrip()
        parts += ["", f"### `saksflyt {name}`", "", "```", text, "```"]
    parts += ["", END]
    return "\n".join(parts)


if __name__ == "__main__":
    click.echo(reference())
