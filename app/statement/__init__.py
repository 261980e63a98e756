"""The accessibility statement, one file per language, shown by the explorer and copied into the README."""
from __future__ import annotations

from pathlib import Path

HERE = Path(__file__).resolve().parent


def statement(lang: str) -> str:
    return (HERE / f"{lang}.md").read_text(encoding="utf-8")
