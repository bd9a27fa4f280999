"""The query cache: one process-wide `st.cache_data` entry per query, parameters (and user).

Streamlit holds a lock per cache key while a value is computed, so two sessions asking for the same
query at once share one execution. The engine is passed as `_engine`, outside the key.
"""

from __future__ import annotations

import functools
from typing import Any

import streamlit as st

from telemetry import health, queries, runtime
from telemetry.engine.base import Engine, Result


@functools.cache
def _query_runner():
    def run_query(name: str, params: tuple[tuple[str, Any], ...], user_key: str, data_version: int,
                  row_cap: int | None, _engine: Engine) -> Result:
        return queries.run(name, engine=_engine, row_cap=row_cap, **dict(params))

    return st.cache_data(ttl=runtime.settings().cache_ttl_seconds, show_spinner=False,
                         max_entries=2000)(run_query)


@functools.cache
def _health_runner():
    def all_sources(user_key: str, _engine: Engine) -> list[health.SourceHealth]:
        return health.all_sources(runtime.settings(), lambda name: queries.run(name, engine=_engine))

    return st.cache_data(ttl=runtime.settings().health_ttl_seconds, show_spinner=False)(all_sources)


def fetch(request: queries.Request, engine: Engine, user_key: str) -> Result:
    """The cached result of `request` (computed at most once per key and TTL, and again once the
    embedded engine has applied rows other processes handed over: its `data_version` is in the key)."""
    name, params = request.key
    return _query_runner()(name, params, user_key, getattr(engine, "data_version", 0), request.row_cap, engine)


def sources(engine: Engine, user_key: str) -> list[health.SourceHealth]:
    """Every source's health, one cache entry for all (the health TTL is short)."""
    return _health_runner()(user_key, engine)


def clear() -> None:
    _query_runner().clear()
    _health_runner().clear()
