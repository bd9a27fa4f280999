"""Drop-ins for apps that already track with the classic helpers (`track_user_action_simple`,
`track_error`, `get_usage_stats`, an `Actions` class), so switching is one changed import:

    from telemetry.tracker.legacy import Actions, get_usage_stats, track_error, track_user_action_simple

The originals ran one synchronous INSERT per action (a warehouse round trip per click, and the event
lost when the warehouse was down). These go through the process's Tracker instead: a call costs
microseconds, never raises, and what the warehouse cannot take waits in the spool.

Settings, read on the first call (or given to `configure_legacy`):
- DATABRICKS_HTTP_PATH (with DATABRICKS_SERVER_HOSTNAME, else the SDK's DATABRICKS_HOST) selects the
  Databricks SQL sink; DATABRICKS_ACCESS_TOKEN when set, else databricks-sdk `Config()` (inside
  Databricks Apps: the app's service principal). Without an http path: the embedded database.
- TELEMETRY_TRACKER_TABLE (default main.ops_console.app_events), TELEMETRY_APP_NAME, else
  DATABRICKS_APP_NAME (set by Databricks Apps), for the `app_name` column.

Two deliberate differences from the originals: timestamps are UTC (they used the server's local
time), and `track_error` records `error:<error_type>` with the message in `properties` (they appended
the message to the action, which made every message a distinct action). On a classic four-column
table the message is therefore not stored.
"""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from telemetry import tracker
from telemetry.config import ConfigError, validate_table_name
from telemetry.tracker.actions import ERROR_PREFIX
from telemetry.tracker.actions import Actions as _Actions
from telemetry.tracker.client import Sink, Tracker
from telemetry.tracker.events import Event, properties_json

log = logging.getLogger("telemetry.tracker")

DEFAULT_TABLE = "main.ops_console.app_events"
MAX_STATS_ROWS = 10_000  # get_usage_stats returns (action, day) groups: a year of 27 actions fits

# The originals' action names and the shared vocabulary they became (the page's analyses know these).
LEGACY_ACTION_NAMES = {
    "generate_question": _Actions.QUESTION_ASKED, "sql_query": _Actions.SQL_GENERATED,
    "execute_sql": _Actions.SQL_EXECUTED, "edit_sql": _Actions.SQL_EDITED,
    "download_results": _Actions.RESULTS_DOWNLOADED, "generate_chart": _Actions.CHART_GENERATED,
    "generate_summary": _Actions.SUMMARY_GENERATED, "view_random_questions": _Actions.SUGGESTED_QUESTION_CLICKED,
    "select_columns": _Actions.COLUMNS_SELECTED,
}

# Databricks SQL; the embedded engine translates it. Kept here, not in telemetry/sql, because this
# module ships with the library into apps that do not carry the console. `{table}` is a validated name.
_STATS_SQL = """SELECT action, count(*) AS count, CAST(`timestamp` AS DATE) AS date
FROM {table}
WHERE `timestamp` >= date_sub(current_date(), :days)
  AND app_name = :app_name
  AND (:user_email = '' OR `user` = :user_email)
GROUP BY action, CAST(`timestamp` AS DATE)
ORDER BY date DESC, count DESC, action
LIMIT {limit}"""


class Actions(_Actions):
    """The originals' constant names (mapped onto the shared vocabulary), plus the shared ones."""

    APP_ERROR = f"{ERROR_PREFIX}app_error"
    GENERATE_QUESTION = _Actions.QUESTION_ASKED
    SQL_QUERY = _Actions.SQL_GENERATED
    EXECUTE_SQL = _Actions.SQL_EXECUTED
    EDIT_SQL = _Actions.SQL_EDITED
    DOWNLOAD_RESULTS = _Actions.RESULTS_DOWNLOADED
    GENERATE_CHART = _Actions.CHART_GENERATED
    GENERATE_SUMMARY = _Actions.SUMMARY_GENERATED
    RANDOM_QUESTIONS = _Actions.SUGGESTED_QUESTION_CLICKED
    SELECT_COLUMNS = _Actions.COLUMNS_SELECTED
    DATABASE_ERROR = "database_error"  # error kinds: pass them to track_error
    LLM_ERROR = "llm_error"
    SQL_ERROR = "sql_error"
    CHART_ERROR = "chart_error"


@dataclass
class _Legacy:
    tracker: Tracker
    app_name: str
    table: str


class _UnconfiguredSink:
    """Stands in when the settings are wrong: every batch waits in the spool (nothing is lost) and
    each retry logs why, until the app is restarted with settings that work."""

    def __init__(self, reason: str):
        self.reason = reason

    def write(self, events: list[Event]) -> None:
        raise ConfigError(self.reason)


_lock = threading.Lock()
_state: _Legacy | None = None


def configure_legacy(*, app_name: str | None = None, connect: Callable[..., Any] | None = None,
                     env: Mapping[str, str] | None = None, **tracker_options: Any) -> Tracker:
    """Set up the tracker the legacy functions use (optional: their first call does it from the
    environment). `connect` replaces databricks-sql-connector's `connect` (tests); `tracker_options`
    go to `telemetry.tracker.configure` (spool_dir, batch_size, interval_s, …). Raises ConfigError on
    a bad table name."""
    global _state
    env = os.environ if env is None else env
    name = app_name or env.get("TELEMETRY_APP_NAME") or env.get("DATABRICKS_APP_NAME") or "unnamed-app"
    table = validate_table_name(env.get("TELEMETRY_TRACKER_TABLE") or DEFAULT_TABLE, "TELEMETRY_TRACKER_TABLE")
    with _lock:
        _state = _Legacy(tracker.configure(name, _sink(env, table, connect), **tracker_options), name, table)
        return _state.tracker


def _sink(env: Mapping[str, str], table: str, connect: Callable[..., Any] | None) -> Sink:
    http_path = env.get("DATABRICKS_HTTP_PATH")
    if http_path:
        from telemetry.tracker.warehouse_sink import DatabricksSqlSink

        return DatabricksSqlSink(table, server_hostname=env.get("DATABRICKS_SERVER_HOSTNAME") or None,
                                 http_path=http_path, access_token=env.get("DATABRICKS_ACCESS_TOKEN") or None,
                                 connect=connect)
    from telemetry.tracker.sinks import EmbeddedSink

    return EmbeddedSink(env.get("TELEMETRY_EMBEDDED_PATH", "data/demo.duckdb"), table)


def _current() -> _Legacy:
    """The legacy tracker, configured from the environment on first use; never raises."""
    global _state
    if _state is not None and tracker._current is _state.tracker:
        return _state
    if tracker._current is not None:  # the app configured the tracker itself: share it
        app = tracker._current.app_name
        table = getattr(tracker._current.sink, "table", DEFAULT_TABLE)
        _state = _Legacy(tracker._current, app, table)
        return _state
    try:
        configure_legacy()
    except ConfigError as err:
        log.error("tracker not configured (%s); events wait in the spool until the settings are fixed", err)
        name = os.environ.get("TELEMETRY_APP_NAME") or os.environ.get("DATABRICKS_APP_NAME") or "unnamed-app"
        with _lock:
            _state = _Legacy(tracker.configure(name, _UnconfiguredSink(str(err))), name, DEFAULT_TABLE)
    return _state


def reset_legacy() -> None:
    """Flush and forget the legacy tracker (tests; an app never needs this)."""
    global _state
    with _lock:
        state, _state = _state, None
    if state is not None:
        state.tracker.close()
        if tracker._current is state.tracker:
            tracker._current = None


def track_user_action_simple(user_email: str | None, action: Any) -> None:
    """Record `action` for `user_email` (non-blocking; never raises)."""
    try:
        _current().tracker.track("unknown_action" if action is None else str(action), user_email)
    except Exception:  # noqa: BLE001 - tracking must never break the host app
        log.exception("tracker: an action could not be recorded")


def track_error(user_email: str | None, error_type: Any, error_message: Any = None) -> None:
    """Record the action `error:<error_type>`, the message (first 2,000 characters) in `properties`."""
    try:
        kind = str(error_type or "error")
        kind = kind[len(ERROR_PREFIX):] if kind.startswith(ERROR_PREFIX) else kind
        message = properties_json({"message": str(error_message)[:2000]}) if error_message else None
        _current().tracker.track(f"{ERROR_PREFIX}{kind}", user_email, properties=message)
    except Exception:  # noqa: BLE001
        log.exception("tracker: an error could not be recorded")


def get_usage_stats(user_email: str | None = None, days: int = 30) -> list[dict[str, Any]]:
    """This app's actions per day over the last `days` days (one user's when given), newest day
    first, most frequent first: `[{"action": str, "count": int, "date": date}, …]` as the original
    returned. Events tracked in the last second or so may not have reached the table yet. An
    unreachable table gives [] and a logged warning, never an exception."""
    try:
        days = int(days)
        if days < 0:
            raise ValueError(days)
    except (TypeError, ValueError):
        log.warning("get_usage_stats: days=%r is not a whole number of days ≥ 0; returning no stats", days)
        return []
    try:
        state = _current()
        params = {"days": days, "app_name": state.app_name, "user_email": user_email or ""}
        rows = _read(state, _STATS_SQL.format(table=state.table, limit=MAX_STATS_ROWS), params)
        return [{"action": str(a), "count": int(c), "date": _day(d)} for a, c, d in rows]
    except Exception as err:  # noqa: BLE001 - the host app asked for numbers, not for a failure
        log.warning("get_usage_stats: the tracker table could not be read (%s); returning no stats", err)
        return []


def _day(value: Any) -> date:
    """A DATE as the connector returns it (`datetime.date`), whatever the engine gave."""
    if isinstance(value, datetime):  # pandas Timestamp included
        return value.date()
    return value if isinstance(value, date) else date.fromisoformat(str(value)[:10])


def _read(state: _Legacy, sql: str, params: dict[str, Any]) -> list[tuple]:
    """Rows of one bounded read from where the tracker writes (the warehouse or the embedded file)."""
    from telemetry.tracker.sinks import EmbeddedSink
    from telemetry.tracker.warehouse_sink import DatabricksSqlSink

    sink = state.tracker.sink
    if isinstance(sink, DatabricksSqlSink):
        return sink.query(sql, params, max_rows=MAX_STATS_ROWS)
    if isinstance(sink, EmbeddedSink):
        from telemetry.engine.embedded import EmbeddedEngine

        engine = EmbeddedEngine(sink.db_path, read_only=True)
        try:
            frame = engine.run(sql, params, query="legacy_usage_stats", row_cap=MAX_STATS_ROWS).frame
        finally:
            engine.close()
        return list(frame.itertuples(index=False, name=None))
    raise TypeError(f"{type(sink).__name__} cannot be read back")
