"""Databricks SQL warehouse engine: SQL goes as written, with native `:name` parameters.

Credentials come from databricks-sdk `Config` (the app's service principal inside Databricks Apps,
environment or profile outside) or from the signed-in user's forwarded token. The token lives only
inside its engine object: it is scrubbed from every error message and log line, never part of a
cache key, and a per-user engine belongs to one browser session (the UI keeps it in session state).

Each SQL session (a connector `Connection`) costs at least one round trip to open and holds
resources on the warehouse until it is closed, so the engine keeps a small bounded pool of them
(`ConnectionPool`) instead of one per thread: Streamlit reruns and the shared query thread pool
would otherwise open a session per thread that closes only when garbage-collected.
"""

from __future__ import annotations

import logging
import math
import re
import threading
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import pyarrow as pa

from telemetry.engine.arrow import to_frame
from telemetry.engine.base import QueryError, Result

ConnectFn = Callable[..., Any]

logger = logging.getLogger(__name__)

_REDACTED = "***"
# Credentials a connector or proxy may echo in a message: auth headers, PATs, URL/query parameters.
_SECRET_PATTERNS = (
    re.compile(r"(?i)\b(bearer)\s+[A-Za-z0-9._~+/=-]+"),
    re.compile(r"\bdapi[0-9a-f]{16,}(?:-\d+)?\b"),
    re.compile(r"(?i)\b(access_token|token|client_secret|password)(['\"]?\s*[=:]\s*['\"]?)[^\s&'\",;}]+"),
)
# Messages that mean the server no longer knows the session: the statement never ran, so running
# it again on a fresh session is safe even for a write.
_STALE_SESSION = ("invalid sessionhandle", "invalid session handle", "session not found",
                  "session already closed", "session is closed", "session has been closed")


def _default_connect(**kwargs: Any) -> Any:
    from databricks import sql

    return sql.connect(**kwargs)


def scrub(text: str, secrets: Iterable[str | None] = ()) -> str:
    """`text` without the given secrets, `Bearer …` headers, PATs or `token=…` pairs.

    Connectors and HTTP libraries sometimes echo request headers or URLs in their errors, and an
    error message reaches the page, the log and the Streamlit cache; so every message is scrubbed
    before it leaves the engine, not only the ones we expect to be dangerous.
    """
    for secret in secrets:
        if secret:
            text = text.replace(secret, _REDACTED)
    text = _SECRET_PATTERNS[0].sub(lambda m: f"{m.group(1)} {_REDACTED}", text)
    text = _SECRET_PATTERNS[1].sub(_REDACTED, text)
    return _SECRET_PATTERNS[2].sub(lambda m: f"{m.group(1)}{m.group(2)}{_REDACTED}", text)


def classify_warehouse_error(err: Exception, secrets: Iterable[str | None] = ()) -> tuple[str, str]:
    """Turn a connector/SDK exception into (kind, a scrubbed message a user can act on)."""
    raw = scrub(str(err), secrets).strip()
    text = raw.splitlines()[0] if raw else type(err).__name__
    lowered = text.lower()
    if "table_or_view_not_found" in lowered or "cannot be found" in lowered:
        return "missing_table", f"{text}. Check the table setting, or grant SELECT to the app's principal."
    if "timeout" in lowered or "timed out" in lowered or "statement_timeout" in lowered:
        return "timeout", f"the warehouse did not answer in time ({text})"
    unreachable = ("connection", "max retries", "error during request", "retry request",
                   "name or service not known", "refused", "unreachable", "ssl", "resolve") + _STALE_SESSION
    if any(s in lowered for s in unreachable):
        return "connection", f"cannot reach the SQL warehouse: {text}"
    if "parse_syntax_error" in lowered or "syntax" in lowered:
        return "syntax", text
    return "error", text


def _is_stale_session(err: Exception) -> bool:
    lowered = str(err).lower()
    return any(s in lowered for s in _STALE_SESSION)


def _close_quietly(conn: Any) -> None:
    """Close a connection whose state no longer matters; a failure here must not hide the real one."""
    try:
        conn.close()
    except Exception as err:  # the session may already be gone on the server
        logger.debug("closing a warehouse connection failed: %s", type(err).__name__)


@dataclass
class Lease:
    """A borrowed connection. `broken` tells the pool to close it instead of keeping it."""

    conn: Any
    generation: int
    uses: int = 1
    broken: bool = False


class ConnectionPool:
    """At most `size` open connections, opened lazily, shared by every thread of one engine.

    Idle connections are reused last-in first-out (the most recently used session is the one least
    likely to have expired on the server). `close()` closes the idle ones at once and the borrowed
    ones when they come back; the pool stays usable and opens fresh connections afterwards, so an
    engine that was closed by `runtime.use` while a page was still querying does not fail.
    """

    def __init__(self, open_connection: Callable[[], Any], size: int) -> None:
        if size < 1:
            raise ValueError("a connection pool needs at least one connection")
        self.size = size
        self._open = open_connection
        self._cond = threading.Condition()
        self._idle: list[Lease] = []
        self._live = 0  # open connections, idle or borrowed
        self._generation = 0  # bumped by close(): older leases are closed on return

    @property
    def live(self) -> int:
        with self._cond:
            return self._live

    @property
    def idle(self) -> int:
        with self._cond:
            return len(self._idle)

    def acquire(self, timeout_s: float) -> Lease | None:
        """An idle connection, a new one while below `size`, or None after `timeout_s` of waiting."""
        deadline = time.monotonic() + timeout_s
        with self._cond:
            while not self._idle and self._live >= self.size:
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    return None
                self._cond.wait(remaining)
            if self._idle:
                lease = self._idle.pop()
                lease.uses += 1
                return lease
            self._live += 1  # reserve the slot; open outside the lock (it is a round trip)
            generation = self._generation
        try:
            conn = self._open()
        except BaseException:
            with self._cond:
                self._live -= 1
                self._cond.notify()
            raise
        logger.debug("opened warehouse connection (%d of at most %d)", self._live, self.size)
        return Lease(conn, generation)

    def release(self, lease: Lease) -> None:
        """Give a connection back: kept for reuse, or closed when broken or from before `close()`."""
        with self._cond:
            keep = not lease.broken and lease.generation == self._generation
            if keep:
                self._idle.append(lease)
            else:
                self._live -= 1
            self._cond.notify()
        if not keep:
            logger.debug("discarding a warehouse connection (broken=%s)", lease.broken)
            _close_quietly(lease.conn)

    def close(self) -> None:
        """Close every idle connection now and every borrowed one when it is released."""
        with self._cond:
            idle, self._idle = self._idle, []
            self._live -= len(idle)
            self._generation += 1
            self._cond.notify_all()
        for lease in idle:
            _close_quietly(lease.conn)


class _Canceller:
    """Cancels the cursor's statement after `seconds`, unless the statement finished first.

    A lock makes "finished" and "cancelled" exclusive, so a result that arrived just before the
    deadline is kept, and a cancelled statement is always reported as a timeout (the connector's
    own exception for a cancelled command is not something to rely on).
    """

    def __init__(self, cursor: Any, seconds: float | None) -> None:
        self._cursor = cursor
        self._lock = threading.Lock()
        self._state = "running"
        self._timer = threading.Timer(seconds, self._fire) if seconds is not None else None
        if self._timer is not None:
            self._timer.daemon = True

    def __enter__(self) -> _Canceller:
        if self._timer is not None:
            self._timer.start()
        return self

    def __exit__(self, *exc: object) -> None:
        if self._timer is not None:
            self._timer.cancel()
        with self._lock:
            if self._state == "running":
                self._state = "finished"

    @property
    def fired(self) -> bool:
        with self._lock:
            return self._state == "cancelled"

    def _fire(self) -> None:
        with self._lock:
            if self._state != "running":
                return
            self._state = "cancelled"
        try:
            self._cursor.cancel()
        except Exception as err:  # the statement may have ended meanwhile; it is reported as a timeout
            logger.debug("cancelling a statement failed: %s", type(err).__name__)


class WarehouseEngine:
    """Runs queries on a Databricks SQL warehouse through databricks-sql-connector.

    Time limits. Every session is opened with `STATEMENT_TIMEOUT` = `timeout_s` (the setting
    TELEMETRY_QUERY_TIMEOUT_SECONDS), so the warehouse itself stops a runaway statement at no cost.
    A per-query `timeout_s` given to `run`:
    - shorter than the session's: a client-side timer calls `cursor.cancel()` when it expires. This
      costs no round trip unless it fires, and needs no session state to restore.
    - longer: `SET STATEMENT_TIMEOUT = n` on the borrowed connection before the statement and back
      to the session's value after it (two round trips, only for the rare long query — a client
      timer cannot extend the server's limit). If restoring fails the connection is discarded, so
      no pooled session keeps a limit it was not opened with.
    A cancelled statement raises QueryError(kind="timeout"). Waiting for a free pooled connection
    is bounded by the same limit and then raises QueryError(kind="timeout") naming the pool; the
    statement, once it has a connection, gets its full limit.
    """

    name = "warehouse"

    def __init__(self, *, host: str, http_path: str, credentials: Callable[[], Any] | None = None,
                 access_token: str | None = None, row_cap: int = 5000, timeout_s: float = 60.0,
                 pool_size: int = 8, connect: ConnectFn = _default_connect) -> None:
        self.host = host
        self.http_path = http_path
        self.row_cap = row_cap
        self.timeout_s = timeout_s
        self._credentials = credentials
        self._access_token = access_token
        self._connect = connect
        self._pool = ConnectionPool(self._open, pool_size)

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
            message = scrub(f"Databricks credentials are not configured: {err}", [user_token])
        else:
            credentials = None if user_token else (lambda: cfg.authenticate)
            return cls(host=cfg.host, http_path=http_path, credentials=credentials,
                       access_token=user_token, row_cap=settings.row_cap,
                       timeout_s=settings.query_timeout_seconds,
                       pool_size=settings.max_concurrent_queries, connect=connect)
        raise QueryError("connect", message, kind="connection")

    def __repr__(self) -> str:
        identity = "user token" if self._access_token else "service principal"
        return (f"WarehouseEngine(host={self.host!r}, http_path={self.http_path!r}, {identity}, "
                f"pool_size={self.pool_size})")

    @property
    def pool_size(self) -> int:
        return self._pool.size

    def _secrets(self) -> tuple[str | None, ...]:
        return (self._access_token,)

    def _session_limit(self) -> int:
        return max(1, int(self.timeout_s))

    def _connect_kwargs(self) -> dict[str, Any]:
        kwargs: dict[str, Any] = {
            "server_hostname": self.host, "http_path": self.http_path,
            "session_configuration": {"STATEMENT_TIMEOUT": str(self._session_limit())},
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
        return kwargs

    def _open(self) -> Any:
        """A new connection, or QueryError(kind="connection") with a scrubbed message."""
        try:
            return self._connect(**self._connect_kwargs())
        except Exception as err:
            kind, message = classify_warehouse_error(err, self._secrets())
        # Raised outside the except block: the connector's exception (which may quote the token)
        # does not ride along as __context__.
        logger.warning("opening a warehouse connection failed: %s", message)
        raise QueryError("connect", message, kind="connection" if kind == "error" else kind)

    def close(self) -> None:
        """Close the pooled connections (borrowed ones as they come back); later queries reopen."""
        self._pool.close()

    def run(self, sql: str, params: Mapping[str, Any] | None = None, *, query: str = "sql",
            row_cap: int | None = None, timeout_s: float | None = None) -> Result:
        cap = row_cap or self.row_cap
        limit = float(timeout_s) if timeout_s else float(self.timeout_s)
        started = time.perf_counter()
        table = self._run_with_retry(sql, dict(params or {}), query=query, cap=cap, limit=limit)
        truncated = table.num_rows > cap
        frame = to_frame(table.slice(0, cap))
        return Result(frame=frame, truncated=truncated,
                      elapsed_ms=(time.perf_counter() - started) * 1000)

    def _run_with_retry(self, sql: str, params: dict[str, Any], *, query: str, cap: int,
                        limit: float) -> pa.Table:
        """Run once; again on a fresh session when a reused one turned out to have expired.

        Only a "the server does not know this session" error is retried: the statement never ran,
        so even a write is safe to repeat. A network error is not (the statement may have run).
        """
        table, failure, stale = self._run_once(sql, params, query=query, cap=cap, limit=limit)
        if stale:
            logger.info("query %s: a pooled warehouse session had expired; retrying on a new one", query)
            table, failure, _ = self._run_once(sql, params, query=query, cap=cap, limit=limit)
        if failure is not None:
            raise failure
        return table

    def _run_once(self, sql: str, params: dict[str, Any], *, query: str, cap: int,
                  limit: float) -> tuple[pa.Table | None, QueryError | None, bool]:
        """(table, failure, whether to retry): one statement on one borrowed connection."""
        lease = self._pool.acquire(limit)
        if lease is None:
            message = (f"all {self._pool.size} warehouse connections stayed busy for {limit:g} s (connection "
                       "pool exhausted); try again, or raise TELEMETRY_MAX_CONCURRENT_QUERIES")
            logger.warning("query %s: %s", query, message)
            return None, QueryError(query, message, kind="timeout"), False
        try:
            return self._statement(lease, sql, params, query=query, cap=cap, limit=limit)
        except BaseException:
            lease.broken = True  # interrupted half-way: the session's state is unknown
            raise
        finally:
            self._pool.release(lease)

    def _statement(self, lease: Lease, sql: str, params: dict[str, Any], *, query: str, cap: int,
                   limit: float) -> tuple[pa.Table | None, QueryError | None, bool]:
        session = self._session_limit()
        longer = math.ceil(limit) > session
        canceller: _Canceller | None = None
        try:
            with lease.conn.cursor() as cur:
                if longer:
                    cur.execute(f"SET STATEMENT_TIMEOUT = {math.ceil(limit)}")
                try:
                    with _Canceller(cur, limit if limit < session else None) as canceller:
                        cur.execute(sql, params)
                        table = cur.fetchmany_arrow(cap + 1)
                finally:
                    if longer:
                        self._restore_timeout(lease, cur, session)
        except Exception as err:
            if canceller is not None and canceller.fired:
                return None, self._timed_out(query, limit), False
            kind, message = classify_warehouse_error(err, self._secrets())
            lease.broken = lease.broken or kind == "connection"
            stale = lease.uses > 1 and _is_stale_session(err)
        else:
            if canceller.fired:
                return None, self._timed_out(query, limit), False
            return table, None, False
        # A missing table is an expected state (a rollup not built yet), not an operational problem.
        level = logging.INFO if kind == "missing_table" else logging.WARNING
        logger.log(level, "query %s failed (%s): %s", query, kind, message)
        return None, QueryError(query, message, kind=kind), stale

    def _restore_timeout(self, lease: Lease, cur: Any, session: int) -> None:
        """Put the session's own limit back; a connection that cannot be restored is not reused."""
        try:
            cur.execute(f"SET STATEMENT_TIMEOUT = {session}")
        except Exception as err:
            lease.broken = True
            logger.info("could not restore STATEMENT_TIMEOUT (%s); discarding the connection",
                        type(err).__name__)

    def _timed_out(self, query: str, limit: float) -> QueryError:
        message = f"the query ran past its time limit of {limit:g} s and was cancelled"
        logger.warning("query %s: %s", query, message)
        return QueryError(query, message, kind="timeout")

    def table_columns(self, table: str) -> dict[str, str] | None:
        """Column name → type, or None when the table does not exist (or the name is not 2–3 parts).

        Unity Catalog names are case-insensitive and `information_schema` holds them in lower case,
        so the given parts are lowered; the columns are compared as stored, which keeps the filter
        one the information schema (it spans every catalog the principal can see) can push down.
        A two-part `schema.table` is looked up in the session's current catalog.
        """
        parts = [part.strip().strip("`") for part in table.split(".")]
        if len(parts) not in (2, 3) or not all(parts):
            return None
        params = {"s": parts[-2], "t": parts[-1]}
        catalog = "lower(current_catalog())"
        if len(parts) == 3:
            catalog, params["c"] = "lower(:c)", parts[0]
        frame = self.run(
            "SELECT column_name, full_data_type FROM system.information_schema.columns "
            f"WHERE table_catalog = {catalog} AND table_schema = lower(:s) AND table_name = lower(:t) "
            "ORDER BY ordinal_position", params, query="table_columns").frame
        if frame.empty:
            return None
        return dict(zip(frame["column_name"], frame["full_data_type"], strict=True))
