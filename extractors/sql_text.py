"""Quoting of values and names spliced into SQL text: the one place it is done.

DuckDB takes `?` parameters in most statements, and those are preferred. Some places cannot take
them (ATTACH, COPY … TO, DDL, macro bodies, a table function's options, identifiers), and there the
text is built with these functions, so a store path like `o'brien/s.duckdb` or a column named `a"b`
cannot break the statement or change its meaning.
"""
from __future__ import annotations

from collections.abc import Iterable

__all__ = ["identifier", "literal", "literal_list", "literals"]


def literal(value: str) -> str:
    """A SQL string literal: single quotes around, inner single quotes doubled (DuckDB gives
    backslashes no special meaning in an ordinary literal, so nothing else needs escaping)."""
    return "'" + str(value).replace("'", "''") + "'"


def identifier(name: str) -> str:
    """A quoted SQL identifier: double quotes around, inner double quotes doubled."""
    return '"' + str(name).replace('"', '""') + '"'


def literal_list(values: Iterable[str]) -> str:
    """A DuckDB list literal of strings, `['a', 'b']`."""
    return "[" + ", ".join(literal(v) for v in values) + "]"


def literals(values: Iterable[str]) -> str:
    """Comma-separated string literals without brackets, for `IN (…)`, `ENUM(…)` and the like."""
    return ", ".join(literal(v) for v in values)
