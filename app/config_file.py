"""Reading Saksflyt's TOML config file: one file may hold a municipality's whole set-up (the logs' mining
settings, the explorer's `[auth]` and `[access]`, `[audit]`), so every part reads it the same way and a
command that needs two parts reads it once."""
from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

from saksflyt.extractors.errors import InputError


def read(path: str | Path) -> dict[str, Any]:
    """The whole file as tables, with a one-line error naming the file."""
    file = str(path)
    try:
        return tomllib.loads(Path(path).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise InputError("no such config file", file=file) from None
    except (UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise InputError(f"not a valid TOML file: {exc}", file=file) from None
