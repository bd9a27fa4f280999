"""Databricks SQL warehouse engine: SQL goes as written, with native `:name` parameters.

Credentials come from databricks-sdk `Config` (the app's service principal inside Databricks Apps,
environment or profile outside) or from the signed-in user's forwarded token. The token is never
part of an error message, a log line or a cache key.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Mapping
from typing import Any

import pyarrow as pa

from telemetry.engine.base import QueryError, Result

ConnectFn = Callable[..., Any]


def _default_connect(**kwargs: Any) -> Any:
    from databricks import sql

    return sql.connect(**kwargs)


def classify_warehouse_error(err: Exception) -> tuple[str, str]:
    """Turn a connector/SDK exception into (kind, a message a user can act on)."""
    text = str(err).strip().splitlines()[0] if str(err).strip() else type(err).__name__
    lowered = text.lower()
    if "table_or_view_not_found" in lowered or "cannot be found" in lowered:
        return "missing_table", f"{text}. Check the table setting, or grant SELECT to the app's principal."
    if "timeout" in lowered or "timed out" in lowered or "statement_timeout" in lowered:
        return "timeout", f"the warehouse did not answer in time ({text})"
    unreachable = ("connection", "max retries", "error during request", "retry request",
                   "name or service not known", "refused", "unreachable", "ssl", "resolve")
    if any(s in lowered for s in unreachable):
        return "connection", f"cannot reach the SQL warehouse: {text}"
    if "parse_syntax_error" in lowered or "syntax" in lowered:
        return "syntax", text
    return "error", text


class WarehouseEngine:
    """Runs queries on a Databricks SQL warehouse through databricks-sql-connector."""

    name = "warehouse"

    def __init__(self, *, host: str, http_path: str, credentials: Callable[[], Any] | None = None,
                 access_token: str | None = None, row_cap: int = 5000, timeout_s: float = 60.0,
                 connect: ConnectFn = _default_connect) -> None:
        self.host = host
        self.http_path = http_path
        self.row_cap = row_cap
        self.timeout_s = timeout_s
        self._credentials = credentials
        self._access_token = access_token
        self._connect = connect
        self._local = threading.local()  # one connection per thread: Thrift sessions are not shared

    @classmethod
    def from_settings(cls, settings, *, user_token: str | None = None,
                      connect: ConnectFn = _default_connect) -> WarehouseEngine:
        """Service principal (SDK Config) by default; the forwarded user token when given."""
        from databricks.sdk.core import Config

        http_path = settings.http_path or f"/sql/1.0/warehouses/{settings.warehouse_id}"
        try:
            # Fail within the query time limit, not the SDK's default five minutes of retries.
            limit = min(30, settings.query_timeout_seconds)
            cfg = Config(retry_timeout_seconds=limit, http_timeout_seconds=limit)
        except Exception as err:  # the SDK raises ValueError subclasses with its own advice
            raise QueryError("connect", f"Databricks credentials are not configured: {err}",
                             kind="connection") from None
        credentials = None if user_token else (lambda: cfg.authenticate)
        return cls(host=cfg.host, http_path=http_path, credentials=credentials,
                   access_token=user_token, row_cap=settings.row_cap,
                   timeout_s=settings.query_timeout_seconds, connect=connect)

    def _connection(self) -> Any:
        if getattr(self._local, "conn", None) is None:
            self._local.conn = self._open()
        return self._local.conn

    def _open(self) -> Any:
        kwargs: dict[str, Any] = {
            "server_hostname": self.host, "http_path": self.http_path,
            "session_configuration": {"STATEMENT_TIMEOUT": str(int(self.timeout_s))},
            "user_agent_entry": "ops-console",
            # An unreachable warehouse fails within the time limit, not after the connector's 15 minutes.
            "_retry_stop_after_attempts_duration": max(1.0, float(self.timeout_s)),
            "_retry_stop_after_attempts_count": 5,
            "_socket_timeout": max(1.0, float(self.timeout_s)),
        }
        if self._access_token:
            kwargs["access_token"] = self._access_token
        else:
            kwargs["credentials_provider"] = self._credentials
        try:
            return self._connect(**kwargs)
        except Exception as err:
            kind, message = classify_warehouse_error(err)
            raise QueryError("connect", message, kind="connection" if kind == "error" else kind) from None

    def close(self) -> None:
        conn = getattr(self._local, "conn", None)
        if conn is not None:
            conn.close()
            self._local.conn = None

    def run(self, sql: str, params: Mapping[str, Any] | None = None, *, query: str = "sql",
            row_cap: int | None = None, timeout_s: float | None = None) -> Result:
        cap = row_cap or self.row_cap
        started = time.perf_counter()
        try:
            with self._connection().cursor() as cur:
                cur.execute(sql, dict(params or {}))
                table = cur.fetchmany_arrow(cap + 1)
        except QueryError:
            raise
        except Exception as err:
            kind, message = classify_warehouse_error(err)
            raise QueryError(query, message, kind=kind) from None
        truncated = table.num_rows > cap
        frame = table.slice(0, cap).to_pandas() if isinstance(table, pa.Table) else table
        return Result(frame=frame, truncated=truncated,
                      elapsed_ms=(time.perf_counter() - started) * 1000)

    def table_columns(self, table: str) -> dict[str, str] | None:
        parts = table.split(".")
        if len(parts) != 3:
            return None
        frame = self.run(
            "SELECT column_name, full_data_type FROM system.information_schema.columns "
            "WHERE table_catalog = :c AND table_schema = :s AND table_name = :t ORDER BY ordinal_position",
            {"c": parts[0], "s": parts[1], "t": parts[2]}, query="table_columns").frame
        if frame.empty:
            return None
        return dict(zip(frame["column_name"], frame["full_data_type"], strict=True))
