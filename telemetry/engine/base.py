"""The engine protocol, its result and its one error type.

Every page, job and CLI command goes through `Engine.run`, so guard rails live here once: a row
cap with a `truncated` flag, a time limit, and errors that name the query but never a token.
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol

import pandas as pd

# Kinds of QueryError that mean the engine itself failed (not one query or table): every query of
# the page fails the same way, so the page says it once.
ENGINE_FAULT_KINDS = ("connection", "config")


class QueryError(RuntimeError):
    """A query that could not run. `query` names it, `cause` says why in words a user can act on."""

    def __init__(self, query: str, cause: str, *, kind: str = "error") -> None:
        self.query = query
        self.cause = cause
        self.kind = kind  # "missing_table", "timeout", "connection", "syntax", "error"
        super().__init__(f"{query}: {cause}")


@dataclass
class Result:
    """A small query result: at most `row_cap` rows, `truncated` when more existed."""

    frame: pd.DataFrame
    truncated: bool = False
    elapsed_ms: float = 0.0
    fetched_at: float = field(default_factory=time.time)

    def __len__(self) -> int:
        return len(self.frame)

    @property
    def empty(self) -> bool:
        return self.frame.empty


class Engine(Protocol):
    """Runs Databricks SQL with named `:params`."""

    name: str

    def run(self, sql: str, params: Mapping[str, Any] | None = None, *, query: str = "sql",
            row_cap: int | None = None, timeout_s: float | None = None) -> Result:
        """Run `sql` (Databricks dialect) with bound `params`; raise QueryError on failure."""
        ...

    def table_columns(self, table: str) -> dict[str, str] | None:
        """Column name → type of a table, or None when the table does not exist."""
        ...
