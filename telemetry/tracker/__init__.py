"""A fail-safe event tracker for Databricks Apps: `track` costs the caller microseconds and never raises;
events reach the tracker table in batches, or wait in a local spool until they can (see client.py).

    from telemetry import tracker
    tracker.configure(app_name="my-app")             # the embedded default, or a sink of your own
    tracker.track(tracker.Actions.QUESTION_ASKED, user="a@corp.com", question_length=42)
    with tracker.timed(tracker.Actions.SQL_EXECUTED):
        run_query()

Importable without Streamlit or the console: sinks import their drivers when first used.
"""

from __future__ import annotations

import contextlib
import os
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from telemetry.tracker.actions import ERROR_PREFIX, Actions, ErrorKinds
from telemetry.tracker.client import Sink, Stats, Tracker
from telemetry.tracker.events import Event, properties_json

__all__ = ["Actions", "ErrorKinds", "Event", "Sink", "Stats", "Tracker", "configure", "stats", "timed", "track",
           "track_error"]

_current: Tracker | None = None


def configure(app_name: str, sink: Sink | None = None, *, spool_dir: Path | str | None = None,
              **options: Any) -> Tracker:
    """Start the process's tracker (replacing an earlier one, which is flushed first)."""
    global _current
    if _current is not None:
        _current.close()
    if sink is None:
        from telemetry.tracker.sinks import EmbeddedSink

        sink = EmbeddedSink(os.environ.get("TELEMETRY_EMBEDDED_PATH", "data/demo.duckdb"),
                            os.environ.get("TELEMETRY_TRACKER_TABLE", "main.ops_console.app_events"))
    spool = spool_dir or os.environ.get("TELEMETRY_TRACKER_SPOOL") or Path(tempfile.gettempdir()) / (
        f"telemetry-tracker-{app_name}")
    if "streamlit" in sys.modules:  # inside a Streamlit app: the session's user and id by default
        from telemetry.tracker import streamlit_context

        options.setdefault("user", streamlit_context.user)
        options.setdefault("session", streamlit_context.session)
    _current = Tracker(sink, app_name, spool_dir=spool, **options)
    return _current


def track(action: str, user: str | None = None, **properties: Any) -> None:
    """Record one action (never raises; a no-op until `configure`)."""
    if _current is not None:
        _current.track(action, user, properties=properties_json(properties) if properties else None)


def track_error(error_type: str, message: str = "", user: str | None = None, **properties: Any) -> None:
    """Record a failure as the action `error:<error_type>` with its message in the properties."""
    track(f"{ERROR_PREFIX}{error_type}", user, message=message[:2000], **properties)


@contextlib.contextmanager
def _timing(action: str, user: str | None, properties: dict[str, Any]) -> Iterator[None]:
    started = time.perf_counter()
    failed: BaseException | None = None
    try:
        yield
    except BaseException as err:
        failed = err
        raise
    finally:
        if _current is not None:
            extra = {**properties, **({"failed": True, "error": type(failed).__name__} if failed else {})}
            _current.track(action, user, properties=properties_json(extra),
                           duration_ms=(time.perf_counter() - started) * 1000)


class timed(contextlib.ContextDecorator):  # noqa: N801 - used like a function: `with timed(...)`, `@timed(...)`
    """Record `action` with its duration (and whether it failed) around a block or a function."""

    def __init__(self, action: str, user: str | None = None, **properties: Any):
        self.action, self.user, self.properties = action, user, properties
        self._cm: contextlib.AbstractContextManager | None = None

    def __enter__(self):
        self._cm = _timing(self.action, self.user, self.properties)
        return self._cm.__enter__()

    def __exit__(self, *exc):
        return self._cm.__exit__(*exc) if self._cm else False


def stats() -> Stats | None:
    return _current.stats() if _current is not None else None
