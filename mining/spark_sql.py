"""The DuckDB SQL of `mining.stats`, run on Apache Spark: one definition of each statistic, two engines.

`SparkConnection` looks enough like a DuckDB connection (`execute(sql, params).fetchall()`) for the
functions of `mining.stats` to run unchanged: each statement is parsed as DuckDB SQL by SQLGlot,
a handful of rewrites cover what SQLGlot does not translate the way DuckDB means it, and the result
is generated as Spark SQL. `CREATE TABLE … AS` becomes a checkpointed temporary view (computed once,
its lineage cut, so later statements read it instead of recomputing it), `DROP TABLE` drops the view.

The rewrites, each needed because the two engines differ on the same text:
- parameters (`?`) become literals: Spark SQL has no positional parameters in `spark.sql`;
- list indexing is 1-based and may be negative in DuckDB (`trace[-1]`); Spark's `[]` is 0-based
  with no negatives, so every index becomes `try_element_at` (1-based, negatives, NULL out of range
  as in DuckDB). SQLGlot shifts literal indexes by one itself but not computed ones, hence the rule;
- `len(list)` is `size`; `quantile_cont(x, q)` is Spark's `percentile` (the same linear
  interpolation); `epoch_us` is `unix_micros`, `make_timestamptz(µs)` is `timestamp_micros`;
- `list(x ORDER BY k)`: Spark's `collect_list` has no order, so the values are collected with their
  keys, sorted, and the keys dropped;
- `row_number() OVER ()` needs an order in Spark; it gets the (arbitrary, as in DuckDB) row order.
"""
from __future__ import annotations

import datetime as dt
import decimal
import logging
import time
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import pyarrow as pa
import sqlglot
from sqlglot import exp

from saksflyt.extractors.errors import SaksflytError

log = logging.getLogger(__name__)


class SparkSQLError(SaksflytError):
    """A statement of the DuckDB engine that this translation cannot run on Spark."""


def _literal(value: Any) -> exp.Expression:
    """A Python parameter as a SQL literal (in DuckDB's dialect, before translation)."""
    if value is None:
        return exp.Null()
    if isinstance(value, bool):
        return exp.Boolean(this=value)
    if isinstance(value, (int, float, decimal.Decimal)):
        return exp.Literal.number(value)
    if isinstance(value, str):
        return exp.Literal.string(value)
    if isinstance(value, dt.datetime):
        return exp.cast(exp.Literal.string(value.isoformat()), "TIMESTAMP")
    if isinstance(value, dt.date):
        return exp.cast(exp.Literal.string(value.isoformat()), "DATE")
    if isinstance(value, (list, tuple)):
        return exp.Array(expressions=[_literal(v) for v in value])
    raise SparkSQLError(f"cannot pass a {type(value).__name__} to Spark SQL")


def _bind(tree: exp.Expression, params: Sequence[Any]) -> exp.Expression:
    holders = list(tree.find_all(exp.Placeholder))
    if len(holders) != len(params):
        raise SparkSQLError(f"statement has {len(holders)} parameters, {len(params)} given")
    for holder, value in zip(holders, params):
        holder.replace(_literal(value))
    return tree


def _int_constant(node: exp.Expression) -> int | None:
    if isinstance(node, exp.Literal) and not node.is_string:
        try:
            return int(node.this)
        except ValueError:
            return None
    if isinstance(node, exp.Neg):
        inner = _int_constant(node.this)
        return None if inner is None else -inner
    return None


def _func(name: str, *args: exp.Expression) -> exp.Anonymous:
    return exp.Anonymous(this=name, expressions=list(args))


def _rewrite(node: exp.Expression) -> exp.Expression:
    if isinstance(node, exp.Bracket) and len(node.expressions) == 1:
        index = node.expressions[0]
        constant = _int_constant(index)
        # SQLGlot already made constant indexes 0-based; undo that, element_at counts from 1 like DuckDB
        one_based = exp.Literal.number(constant + 1) if constant is not None else index
        if constant is not None and constant + 1 < 0:
            one_based = exp.Neg(this=exp.Literal.number(-(constant + 1)))
        return _func("try_element_at", node.this, one_based)
    if isinstance(node, (exp.Length, exp.ArraySize)):
        return _func("size", node.this)
    if isinstance(node, (exp.PercentileCont, exp.Quantile)):
        return _func("percentile", node.this, node.expression or node.args.get("quantile"))
    if isinstance(node, exp.Anonymous) and str(node.this).lower() == "epoch_us":
        return _func("unix_micros", *node.expressions)
    if isinstance(node, exp.Anonymous) and str(node.this).lower() == "make_timestamptz" and len(node.expressions) == 1:
        return _func("timestamp_micros", *node.expressions)
    if isinstance(node, exp.ArrayAgg) and isinstance(node.this, exp.Order):
        order = node.this
        keys = []
        for i, ordered in enumerate(order.expressions):
            if ordered.args.get("desc"):
                raise SparkSQLError("list(… ORDER BY … DESC) is not translated")
            keys.append(exp.alias_(ordered.this, f"k{i}"))
        packed = _func("struct", *keys, exp.alias_(order.this, "v"))
        collected = _func("array_sort", exp.ArrayAgg(this=packed))
        lam = exp.Lambda(this=exp.column("v", table="s"), expressions=[exp.to_identifier("s")])
        return _func("transform", collected, lam)
    if (isinstance(node, exp.Window) and isinstance(node.this, exp.RowNumber)
            and not node.args.get("order") and not node.args.get("partition_by") and not node.args.get("alias")):
        node.set("order", exp.Order(expressions=[exp.Ordered(this=_func("monotonically_increasing_id"))]))
        return node
    return node


def to_spark(sql: str | exp.Expression, params: Sequence[Any] = (),
             tables: Mapping[str, str] | None = None) -> str:
    """One DuckDB statement as Spark SQL; `tables` renames table references ("src.events" → a view)."""
    tree = sqlglot.parse_one(sql, read="duckdb") if isinstance(sql, str) else sql
    tree = _bind(tree, params)
    if tables:
        for table in list(tree.find_all(exp.Table)):
            qualified = ".".join(p for p in (table.db, table.name) if p)
            if qualified in tables:
                renamed = exp.to_table(tables[qualified])
                if table.alias:
                    renamed.set("alias", table.args["alias"])
                table.replace(renamed)
    tree = tree.transform(_rewrite)
    return tree.sql(dialect="spark")


class SparkCursor:
    """The answer to one statement, shaped like a DuckDB cursor (`fetchall`, `fetchone`, `description`)."""

    def __init__(self, table: pa.Table | None) -> None:
        self._table = table
        self._rows: list[tuple] | None = None
        self.description = ([(name, str(t), None, None, None, None, None)
                             for name, t in zip(table.column_names, table.schema.types)] if table is not None else None)

    def arrow(self) -> pa.Table:
        if self._table is None:
            raise SparkSQLError("the statement returned no rows")
        return self._table

    def fetchall(self) -> list[tuple]:
        if self._rows is None:
            if self._table is None:
                return []
            cols = [c.to_pylist() for c in self._table.columns]
            self._rows = list(zip(*cols)) if cols else [()] * self._table.num_rows
        rows, self._rows = self._rows, []
        return rows

    def fetchone(self) -> tuple | None:
        rows = self.fetchall()
        if rows:
            self._rows = rows[1:]
            return rows[0]
        return None


class SparkConnection:
    """The part of a DuckDB connection `mining.stats` uses, run on a SparkSession.

    `tables` maps table names of the DuckDB text (e.g. "src.events") to Spark views. Tables made here
    are temporary views over local checkpoints, so each is computed once.
    """

    def __init__(self, spark: Any, tables: Mapping[str, str] | None = None) -> None:
        self.spark = spark
        self.tables = dict(tables or {})
        self.views: dict[str, Any] = {}
        self.statements: list[tuple[str, float]] = []  # (Spark SQL, seconds) in order, for the debug log

    def execute(self, sql: str, params: Sequence[Any] | None = None) -> SparkCursor:
        t0 = time.perf_counter()
        cursor, text = self._execute(sql, params)
        if text:
            self.statements.append((text, time.perf_counter() - t0))
            log.debug("spark %.2fs: %s", self.statements[-1][1], text[:200])
        return cursor

    def _execute(self, sql: str, params: Sequence[Any] | None) -> tuple[SparkCursor, str]:
        tree = sqlglot.parse_one(sql, read="duckdb")
        if isinstance(tree, exp.Drop):
            for table in tree.find_all(exp.Table):
                self.drop(table.name)
            return SparkCursor(None), ""
        if isinstance(tree, exp.Create):
            if str(tree.args.get("kind", "")).upper() not in ("TABLE", "VIEW") or tree.expression is None:
                raise SparkSQLError(f"only CREATE TABLE … AS is translated: {sql.strip()[:80]}")
            text = to_spark(tree.expression, params or (), self.tables)
            self.create(tree.this.name, self.spark.sql(text))
            return SparkCursor(None), f"-- {tree.this.name}\n{text}"
        text = to_spark(tree, params or (), self.tables)
        return SparkCursor(self.spark.sql(text).toArrow()), text

    def create(self, name: str, frame: Any) -> None:
        """Keep `frame` as view `name`, computed now (a local checkpoint cuts its lineage)."""
        self.drop(name)
        kept = frame.localCheckpoint(eager=True)
        kept.createOrReplaceTempView(name)
        self.views[name] = kept

    def drop(self, name: str) -> None:
        frame = self.views.pop(name, None)
        self.spark.catalog.dropTempView(name)
        if frame is not None:
            frame.unpersist()

    def fetch_arrow(self, table: str) -> pa.Table:
        return self.spark.table(table).toArrow()

    def names(self) -> Iterable[str]:
        return list(self.views)
