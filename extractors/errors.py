"""Saksflyt's exception types: library code raises these, the CLI and the app turn them into one line."""
from __future__ import annotations


class SaksflytError(Exception):
    """Base of every error Saksflyt reports to a user: the message is the whole story, no traceback."""

    exit_code = 2


class InputError(SaksflytError):
    """Bad input: names the file, the row or element, and the problem."""

    def __init__(self, problem: str, *, file: str | None = None, where: str | None = None) -> None:
        self.file = file
        self.where = where
        self.problem = problem
        parts = [p for p in (file, where) if p]
        super().__init__(f"{': '.join(parts)}: {problem}" if parts else problem)


class StoreError(SaksflytError):
    """The store cannot do what was asked (unknown log, name clash, locked file)."""


class StoreLockedError(StoreError):
    """Another process holds the store's write lock for longer than the brief retry."""


class ModelError(SaksflytError):
    """A process model (BPMN/PNML) could not be read or used."""


class StoreDamagedError(StoreError):
    """The store file is damaged (truncated, overwritten, not a DuckDB file); it is left exactly as it was."""


class StoreTooNewError(StoreError):
    """The store was written by a newer Saksflyt: its schema is past what this version knows."""


class StoreFullError(StoreError):
    """The disk under the store is full; the write was rolled back and the store is as it was."""


class UnsafeBindError(SaksflytError):
    """The explorer was asked to listen beyond this machine without a login."""
