"""Tracked events into a Databricks SQL table, through databricks-sql-connector with the console's
credentials (an explicit token, else databricks-sdk `Config`: the app's service principal inside
Databricks Apps, environment or profile outside).

One batch becomes as few statements as the connector's limits allow — native parameters take at
most 255 markers and 1 MB of values per statement (databricks-sql-python docs/parameters.md) — and
every value is bound, never pasted. Two statement forms:
- "json" (default): the chunk is one JSON string parameter unpacked on the server with
  `inline(from_json(:rows, 'ARRAY<STRUCT<…>>'))`; a 500-event batch is one statement, so one Delta
  commit and one round trip, whatever the layout.
- "values": `VALUES (:v0_0, …), (…)` with one marker per value; 255 markers make that 63 rows a
  statement for the classic layout and 31 for the extended one (8 and 17 statements per 500).
When the table has `event_id`, the insert skips ids already there (`WHERE NOT EXISTS`, narrowed to
the batch's time range so Delta can skip files), so a batch replayed after a partial failure or a
hung write adds nothing. The table's layout is read once (`SELECT * FROM t LIMIT 0`) and again after
any failure (a column may have been added or dropped). One connection is reused across writes and
reopened after a failure; error messages are scrubbed of tokens before they leave the sink.

Imports the connector and the SDK only when first used (the console's engine module too, for its
secret scrubbing), so an app can import this without Streamlit, DuckDB or pandas.
"""

from __future__ import annotations

import dataclasses
import json
import logging
import threading
from collections.abc import Callable, Iterator, Mapping, Sequence
from datetime import UTC, datetime
from typing import Any

from telemetry.config import validate_table_name
from telemetry.tracker.events import Event
from telemetry.tracker.layout import Layout, LayoutError, column_type, detect

log = logging.getLogger("telemetry.tracker")

DEFAULT_MAX_PARAMETERS = 255  # "Maximum of 255 parameter markers per query" (connector docs)
DEFAULT_MAX_PARAMETER_BYTES = 1_000_000  # "Total size of all parameterized values cannot exceed 1MB"
FORMS = ("json", "values")
_SHORT = {"timestamp": "ts", "app_name": "app", "user": "usr", "action": "act", "event_id": "id",
          "session_id": "sid", "properties": "props", "duration_ms": "dur"}
_RESERVE_BYTES = 256  # the time-range parameters and rounding
_MAX_FIELD_CHARS = 10_000  # a string field of an event too big for a statement is cut to this


class SinkError(RuntimeError):
    """A write that did not happen (the tracker spools the batch and retries); the message is scrubbed."""

    def __init__(self, message: str, kind: str = "error"):
        super().__init__(message)
        self.kind = kind


def _default_connect(**kwargs: Any) -> Any:
    from databricks import sql

    return sql.connect(**kwargs)


def _scrub(text: str, secrets: Sequence[str | None]) -> tuple[str, str]:
    """(kind, message) with tokens removed, as the console's warehouse engine reports errors."""
    try:
        from telemetry.engine.warehouse import classify_warehouse_error
    except ImportError:  # pyarrow/pandas absent: the given secrets still go
        for secret in secrets:
            text = text.replace(secret, "***") if secret else text
        return "error", text.splitlines()[0] if text else "error"
    return classify_warehouse_error(RuntimeError(text), secrets)


class DatabricksSqlSink:
    """The tracker's sink for a Databricks SQL warehouse (see the module docstring)."""

    def __init__(self, table: str, *, server_hostname: str | None = None, http_path: str | None = None,
                 access_token: str | None = None, config: Any = None, connect: Callable[..., Any] | None = None,
                 form: str = "json", max_rows_per_statement: int | None = None,
                 max_parameters: int = DEFAULT_MAX_PARAMETERS, max_parameter_bytes: int = DEFAULT_MAX_PARAMETER_BYTES,
                 timeout_s: float = 30.0):
        self.table = validate_table_name(table, "the tracker table")
        if form not in FORMS:
            raise ValueError(f"form={form!r}: use one of {', '.join(FORMS)}")
        if connect is None and not http_path:
            raise ValueError("DatabricksSqlSink needs http_path (the warehouse's, e.g. /sql/1.0/warehouses/<id>)")
        if max_parameters < 10 or max_parameter_bytes < 10_000 or (max_rows_per_statement or 1) < 1:
            raise ValueError("statement limits too small: at least 10 parameters, 10,000 bytes and 1 row")
        self.server_hostname, self.http_path, self.timeout_s = server_hostname, http_path, timeout_s
        self.form, self.max_rows_per_statement = form, max_rows_per_statement
        self.max_parameters, self.max_parameter_bytes = max_parameters, max_parameter_bytes
        self._access_token, self._config = access_token, config
        self._connect = connect or _default_connect
        self._conn: Any = None
        self._layout: Layout | None = None
        self._lock = threading.Lock()
        self.statements_run = 0  # for tests and benchmarks: statements sent, layout reads included
        self.truncated_events = 0  # events whose properties were too big for a statement

    @classmethod
    def from_settings(cls, settings: Any) -> DatabricksSqlSink:
        """The console's own sink: its tracker table on its warehouse, as the app's service principal
        (the SDK Config resolves host and credentials on first write, so start-up never waits)."""
        http_path = settings.http_path or f"/sql/1.0/warehouses/{settings.warehouse_id}"
        return cls(settings.table("tracker"), http_path=http_path,
                   timeout_s=min(30.0, float(settings.query_timeout_seconds)))

    def __repr__(self) -> str:
        identity = "token" if self._access_token else "databricks-sdk Config"
        return f"DatabricksSqlSink(table={self.table!r}, http_path={self.http_path!r}, {identity}, form={self.form!r})"

    # --- the Sink protocol ---------------------------------------------------------------------------
    def write(self, events: list[Event]) -> None:
        """Insert every event or raise SinkError (the tracker spools the batch; a retry dedups)."""
        if not events:
            return
        if not self._lock.acquire(blocking=False):  # an earlier write hung and was given up on
            raise SinkError(f"a previous write to {self.table} is still running", kind="busy")
        try:
            self._write(events)
        finally:
            self._lock.release()

    def _write(self, events: list[Event]) -> None:
        try:
            conn = self._connection()
            layout = self._current_layout(conn)
            for sql, params in self.statements(events, layout):
                self._execute(conn, sql, params)
        except LayoutError:
            self._layout = None
            raise
        except Exception as err:
            self._reset()
            kind, message = _scrub(f"{type(err).__name__}: {err}", self._secrets())
        else:
            return
        # Raised outside the except block, so the connector's exception (it may quote a token) does
        # not ride along as __context__.
        raise SinkError(f"writing {len(events)} events to {self.table} failed ({kind}): {message}", kind)

    # --- connection and layout -----------------------------------------------------------------------
    def _secrets(self) -> tuple[str | None, ...]:
        return (self._access_token,)

    def _connect_kwargs(self) -> dict[str, Any]:
        limit = max(1.0, float(self.timeout_s))
        kwargs: dict[str, Any] = {
            "server_hostname": self.server_hostname, "http_path": self.http_path,
            "session_configuration": {"STATEMENT_TIMEOUT": str(int(limit))},
            "user_agent_entry": "ops-console-tracker",
            # An unreachable warehouse fails within the limit (the tracker spools), not after 15 minutes.
            "_retry_stop_after_attempts_duration": limit, "_retry_stop_after_attempts_count": 5,
            "_socket_timeout": limit,
        }
        if self._access_token:
            kwargs["access_token"] = self._access_token
            return kwargs
        if self._config is None:  # created on first use: resolving credentials may be a round trip
            from databricks.sdk.core import Config

            host = {"host": self.server_hostname} if self.server_hostname else {}
            self._config = Config(retry_timeout_seconds=int(limit), http_timeout_seconds=int(limit), **host)
        cfg = self._config
        kwargs["server_hostname"] = self.server_hostname or cfg.host
        kwargs["credentials_provider"] = lambda: cfg.authenticate
        return kwargs

    def _connection(self) -> Any:
        if self._conn is None:
            self._conn = self._connect(**self._connect_kwargs())
        return self._conn

    def _reset(self) -> None:
        """Forget the connection and the layout after a failure: both are read again next time."""
        conn, self._conn, self._layout = self._conn, None, None
        if conn is not None:
            try:
                conn.close()
            except Exception as err:  # noqa: BLE001 - the session may already be gone on the server
                log.debug("closing a tracker connection failed: %s", type(err).__name__)

    def _execute(self, conn: Any, sql: str, params: Mapping[str, Any] | None = None) -> Any:
        with conn.cursor() as cur:
            cur.execute(sql, dict(params or {}))
            self.statements_run += 1
            return cur.description

    def _current_layout(self, conn: Any) -> Layout:
        if self._layout is None:
            description = self._execute(conn, f"SELECT * FROM {self.table} LIMIT 0")
            self._layout = detect(d[0] for d in description or ()).check(self.table)
            log.info("tracker table %s: %s layout, writing %s", self.table, self._layout.kind,
                     ", ".join(self._layout.columns))
        return self._layout

    def layout(self) -> Layout:
        """The table's layout, read now (for `doctor`); raises SinkError when it cannot be read."""
        with self._lock:
            self._layout = None
            try:
                layout = detect(d[0] for d in self._execute(self._connection(),
                                                             f"SELECT * FROM {self.table} LIMIT 0") or ())
            except Exception as err:
                self._reset()
                kind, message = _scrub(f"{type(err).__name__}: {err}", self._secrets())
            else:
                return layout
        raise SinkError(f"reading the layout of {self.table} failed ({kind}): {message}", kind)

    def query(self, sql: str, params: Mapping[str, Any], *, max_rows: int) -> list[tuple]:
        """Rows of one read on a connection of its own (so it never waits behind a write)."""
        try:
            conn = self._connect(**self._connect_kwargs())
            try:
                with conn.cursor() as cur:
                    cur.execute(sql, dict(params))
                    rows = [tuple(r) for r in cur.fetchmany(max_rows)]
            finally:
                conn.close()
        except Exception as err:
            kind, message = _scrub(f"{type(err).__name__}: {err}", self._secrets())
        else:
            return rows
        raise SinkError(f"reading {self.table} failed ({kind}): {message}", kind)

    # --- statements (pure: tested without a connection) ------------------------------------------------
    def statements(self, events: Sequence[Event], layout: Layout) -> Iterator[tuple[str, dict[str, Any]]]:
        """The (sql, parameters) pairs that insert `events` into a table of `layout`."""
        for chunk in self._chunks(events, layout):
            yield build_insert(self.table, layout, chunk, form=self.form)

    def _chunks(self, events: Sequence[Event], layout: Layout) -> Iterator[list[Event]]:
        rows_cap = self.max_rows_per_statement or len(events)
        if self.form == "values":
            reserved = 2 if layout.dedups else 0
            rows_cap = min(rows_cap, (self.max_parameters - reserved) // len(layout.columns))
        budget = self.max_parameter_bytes - _RESERVE_BYTES
        chunk: list[Event] = []
        size = 0
        for event in events:
            event, cost = self._fit(event, layout, budget)
            if chunk and (len(chunk) >= rows_cap or size + cost > budget):
                yield chunk
                chunk, size = [], 0
            chunk.append(event)
            size += cost
        if chunk:
            yield chunk

    def _fit(self, event: Event, layout: Layout, budget: int) -> tuple[Event, int]:
        """The event and its size; one too big for any statement loses its properties (counted and
        logged) rather than blocking the spool forever with a batch no statement can carry."""
        cost = row_bytes(event, layout, self.form)
        if cost <= budget:
            return event, cost
        self.truncated_events += 1
        log.warning("tracker: an event of %d bytes exceeds the statement limit (%d); its properties are "
                    "replaced by a note (%d events so far)", cost, budget, self.truncated_events)
        note = json.dumps({"_properties_dropped_bytes": len((event.properties or "").encode())})
        cut = {name: getattr(event, name)[:_MAX_FIELD_CHARS]
               for name in ("action", "app_name", "user", "session_id") if isinstance(getattr(event, name), str)}
        event = dataclasses.replace(event, **cut, properties=note)
        return event, row_bytes(event, layout, self.form)


def _utc(ts: datetime) -> datetime:
    """Event timestamps are naive UTC; bound aware, so the warehouse's session time zone cannot shift them."""
    return ts.replace(tzinfo=UTC) if ts.tzinfo is None else ts.astimezone(UTC)


def _json_row(event: Event, layout: Layout) -> dict[str, Any]:
    row = {_SHORT[c]: getattr(event, c) for c in layout.columns}
    row["ts"] = _utc(event.timestamp).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    return row


def row_bytes(event: Event, layout: Layout, form: str) -> int:
    """What one event adds to a statement's parameter values (an upper estimate)."""
    if form == "json":
        return len(json.dumps(_json_row(event, layout), separators=(",", ":")).encode()) + 1
    values = (getattr(event, c) for c in layout.columns)
    return sum(len(v.encode()) if isinstance(v, str) else 32 for v in values)


def build_insert(table: str, layout: Layout, events: Sequence[Event], *, form: str = "json") -> tuple[str, dict]:
    """One INSERT of `events` into `table` (a validated name) with every value bound.

    The source rows are `s(ts, app, …)`; each is cast to the column's type on the way in. With
    event_id, rows whose id the table already holds (within the batch's time range) are skipped."""
    short = [_SHORT[c] for c in layout.columns]
    params: dict[str, Any] = {}
    if form == "json":
        params["rows"] = json.dumps([_json_row(e, layout) for e in events], separators=(",", ":"))
        fields = ", ".join(f"{s}: {'DOUBLE' if s == 'dur' else 'STRING'}" for s in short)
        source = f"(SELECT inline(from_json(:rows, 'ARRAY<STRUCT<{fields}>>')))"
    else:
        tuples = []
        for i, e in enumerate(events):
            names = []
            for j, column in enumerate(layout.columns):
                value = getattr(e, column)
                params[f"v{i}_{j}"] = _utc(value) if column == "timestamp" else value
                names.append(f":v{i}_{j}")
            tuples.append(f"({', '.join(names)})")
        source = f"(VALUES {', '.join(tuples)}) AS s({', '.join(short)})"
        source = f"(SELECT * FROM {source})"
    columns = ", ".join(f"`{c}`" for c in layout.columns)
    select = ", ".join(f"CAST(s.{_SHORT[c]} AS {column_type(c)})" for c in layout.columns)
    sql = f"INSERT INTO {table} ({columns})\nSELECT {select}\nFROM {source} AS s"
    if layout.dedups:
        params["lo"] = _utc(min(e.timestamp for e in events))
        params["hi"] = _utc(max(e.timestamp for e in events))
        sql += (f"\nWHERE NOT EXISTS (SELECT 1 FROM {table} AS d WHERE d.`event_id` = s.id"
                " AND d.`timestamp` >= :lo AND d.`timestamp` <= :hi)")
    return sql, params
