"""A page's data: its independent queries start together, each panel waits only for its own.

    data = ui.start({"kpis": apps.request("kpis", f), "daily": apps.request("daily_active", f)})
    with ui.panel("Daily active users"):
        ui.chart(apps.dau_chart(data.frame("daily")))   # waits for this query only

On a warehouse every statement costs a round trip, so a page costs the round trips of its longest
chain of dependent queries, not the sum of all of them. Results come through the process-wide cache
(one execution per distinct query, parameters and user); concurrency is bounded by
TELEMETRY_MAX_CONCURRENT_QUERIES. A failed query raises its QueryError where it is read, which the
enclosing `ui.panel` shows in place.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Mapping
from concurrent.futures import Future

import pandas as pd
from streamlit.runtime.scriptrunner import add_script_run_ctx, get_script_run_ctx

from telemetry import concurrency, health, queries, runtime
from telemetry.config import ConfigError
from telemetry.engine.base import QueryError, Result
from telemetry.ui import cache, session

log = logging.getLogger(__name__)


class Data:
    """Futures of a page's results by name; reading one waits for it alone."""

    def __init__(self, futures: Mapping[str, Future[Result]]) -> None:
        self._futures = dict(futures)

    def __getitem__(self, name: str) -> Result:
        return self._futures[name].result()

    def frame(self, name: str) -> pd.DataFrame:
        return self[name].frame


def _failed(err: BaseException) -> Future[Result]:
    future: Future[Result] = Future()
    future.set_exception(err)
    return future


def _as_query_error(name: str, err: Exception) -> QueryError:
    """An unexpected exception in a worker becomes a QueryError: a page never shows a traceback."""
    if isinstance(err, QueryError):
        return err
    if isinstance(err, ConfigError):
        return QueryError(name, str(err), kind="config")
    log.exception("query %s failed unexpectedly", name)
    return QueryError(name, f"internal error ({type(err).__name__}); the server log has the details")


def start(requests: Mapping[str, queries.Request]) -> Data:
    """Start every request now (bounded, concurrent); return their futures by name."""
    try:
        engine, user_key = session.engine(), session.cache_user_key()
    except (QueryError, ConfigError) as err:  # no engine: every panel says why, none crashes
        return Data({name: _failed(_as_query_error(name, err)) for name in requests})
    ctx = get_script_run_ctx()

    def task(name: str, request: queries.Request) -> Result:
        if ctx is not None:  # Streamlit's cache expects the session's context on the worker
            add_script_run_ctx(threading.current_thread(), ctx)
        try:
            return cache.fetch(request, engine, user_key)
        except Exception as err:
            raise _as_query_error(name, err) from None

    tasks = {name: (lambda n=name, r=request: task(n, r)) for name, request in requests.items()}
    return Data(concurrency.start_all(tasks, runtime.settings().max_concurrent_queries))


def sources() -> list[health.SourceHealth]:
    """Every source's health: the per-source checks run concurrently, cached together."""
    try:
        return cache.sources(session.engine(), session.cache_user_key())
    except ConfigError as err:
        raise QueryError("health", str(err), kind="config") from None
