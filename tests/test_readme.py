"""The README's set-up commands and command reference match what the code does."""
from __future__ import annotations


from helpers import ROOT
from saksflyt.app.cli_reference import BEGIN, END, reference

README = ROOT / "README.md"


def test_readme_command_reference_is_the_help_text():
    text = README.read_text(encoding="utf-8")
    start, stop = text.index(BEGIN), text.index(END) + len(END)
    assert text[start:stop] == reference(), "README is stale: run `python -m saksflyt.app.cli_reference` and paste it"


def test_readme_has_exactly_two_setup_commands():
    text = README.read_text(encoding="utf-8")
    setup = text.split("## Set-up", 1)[1].split("\n## ", 1)[0]
    block = setup.split("```sh", 1)[1].split("```", 1)[0]
    commands = [line.split("#")[0].strip() for line in block.strip().splitlines()]
    assert commands == ["make demo", "make test"]


def test_readme_holds_the_accessibility_statement_the_explorer_shows():
    from saksflyt.app.statement import statement

    text = README.read_text(encoding="utf-8")
    block = text[text.index("<!-- statement:begin -->"):text.index("<!-- statement:end -->")]
    for lang in ("nb", "en"):
        assert statement(lang) in block, f"README's statement differs from app/statement/{lang}.md"
