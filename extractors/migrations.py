"""The registry of versioned DDL steps that every package adds its tables to (`store.register`).

A leaf: `extractors.schema` registers the event store's own tables here and `extractors.store` runs them,
so neither imports the other back. Other packages keep calling `extractors.store.register`.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Migration:
    package: str
    version: int
    description: str
    sql: str


_MIGRATIONS: list[Migration] = []
_PROVIDERS: list[Callable[[], None]] = []


def register(package: str, version: int, description: str, sql: str) -> None:
    """Register one versioned DDL step of a package; packages call this at import time."""
    if any(m.package == package and m.version == version for m in _MIGRATIONS):
        return
    _MIGRATIONS.append(Migration(package, version, description, sql))


def register_provider(load: Callable[[], None]) -> None:
    """Register a callable that imports a downstream package's migrations (called by the app only)."""
    _PROVIDERS.append(load)


def registered() -> list[Migration]:
    """Every registered step, the event store's first: each provider is called to import its package."""
    for load in _PROVIDERS:
        load()
    return sorted(_MIGRATIONS, key=lambda m: (m.package != "extractors", m.package, m.version))
