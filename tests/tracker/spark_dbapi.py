"""A stand-in for databricks-sql-connector's `connect` that runs statements on the local Spark session.

Only the external connector is faked: our sink builds its SQL and parameters exactly as it would for
a warehouse, and Spark (which binds `:name` markers natively, as Databricks SQL does) runs them. The
adapter keeps the DB-API 2 surface the sink uses (`connect(**kwargs)`, `cursor()` as a context
manager, `execute(sql, params)`, `description`, `fetchall`/`fetchmany`, `close`) and records what it
was asked, so tests can count statements, see the connect arguments, or make it fail for a while.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any


class SparkCursor:
    def __init__(self, connection: SparkConnection):
        self.connection = connection
        self.description: list[tuple] | None = None
        self._rows: list[tuple] = []

    def __enter__(self) -> SparkCursor:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def execute(self, operation: str, parameters: dict[str, Any] | None = None) -> SparkCursor:
        connector = self.connection.connector
        if self.connection.closed:
            raise RuntimeError("Invalid SessionHandle: the connection is closed")
        connector.before_execute(operation, parameters or {})
        frame = connector.spark.sql(operation, args=parameters or None)
        rows = frame.collect()  # runs the statement (an INSERT runs here too)
        self.description = [(f.name, f.dataType.simpleString(), None, None, None, None, f.nullable)
                            for f in frame.schema.fields]
        self._rows = [tuple(r) for r in rows]
        connector.statements.append((operation, dict(parameters or {})))
        return self

    def fetchall(self) -> list[tuple]:
        rows, self._rows = self._rows, []
        return rows

    def fetchmany(self, size: int) -> list[tuple]:
        rows, self._rows = self._rows[:size], self._rows[size:]
        return rows

    def close(self) -> None:
        self._rows = []


class SparkConnection:
    def __init__(self, connector: SparkConnector, kwargs: dict[str, Any]):
        self.connector, self.kwargs, self.closed = connector, kwargs, False

    def cursor(self) -> SparkCursor:
        return SparkCursor(self)

    def close(self) -> None:
        self.closed = True


@dataclass
class SparkConnector:
    """`connector.connect` is the function a sink is given. `fail_connects` makes the next n connects
    raise `connect_error`; `fail_statement` (sql, params) -> Exception | None fails chosen statements."""

    spark: Any
    fail_connects: int = 0
    connect_error: Callable[[dict], Exception] = lambda kwargs: ConnectionError("warehouse unreachable")
    fail_statement: Callable[[str, dict], Exception | None] | None = None
    statements: list[tuple[str, dict]] = field(default_factory=list)
    connects: list[dict] = field(default_factory=list)

    def connect(self, **kwargs: Any) -> SparkConnection:
        self.connects.append(kwargs)
        if self.fail_connects > 0:
            self.fail_connects -= 1
            raise self.connect_error(kwargs)
        return SparkConnection(self, kwargs)

    def before_execute(self, sql: str, params: dict) -> None:
        error = self.fail_statement(sql, params) if self.fail_statement else None
        if error is not None:
            raise error

    def inserts(self) -> list[str]:
        return [sql for sql, _ in self.statements if sql.startswith("INSERT")]
