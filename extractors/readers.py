"""The formats `ingest_path` can read: each reader module registers itself here on import.

A leaf: the readers (XES, Noark 5, OCEL, SQL) import this to register, and `extractors.ingest` imports
them by name (`importlib`) to find them, so no reader imports `ingest` back.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

import duckdb

from .staging import IngestOptions, Staged
from .tabular import ColumnMap


class Reader(Protocol):
    def __call__(self, con: duckdb.DuckDBPyConnection, path: Path, *, columns: ColumnMap,
                 options: IngestOptions, content_hash: str, **extra: Any) -> Staged: ...


@dataclass(frozen=True)
class ReaderSpec:
    name: str
    suffixes: tuple[str, ...]
    read: Reader


READERS: dict[str, ReaderSpec] = {}


def register_reader(name: str, suffixes: tuple[str, ...], read: Reader) -> None:
    """Make a format available to `ingest_path` (by `--format NAME` or by file suffix)."""
    READERS[name] = ReaderSpec(name, suffixes, read)
