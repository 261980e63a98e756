"""Small hand-kept CSV files (standard times, labels, activity mappings), read the same way everywhere.

A unit keeps these in Excel and saves them as CSV: UTF-8 with or without a BOM, and `;` as the separator
where the decimal comma is used. The separator is decided by the header line.
"""
from __future__ import annotations

import csv
import io
from pathlib import Path

from .errors import InputError


def read_rows(path: str | Path, what: str) -> list[list[str]]:
    """All rows, the header first (an empty file gives no rows); `what` names the file in errors."""
    p = Path(path)
    try:
        text = p.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"cannot read the {what}: {exc}", file=str(p)) from exc
    first = text.splitlines()[0] if text.strip() else ""
    delimiter = ";" if first.count(";") > first.count(",") else ","
    return list(csv.reader(io.StringIO(text), delimiter=delimiter))
