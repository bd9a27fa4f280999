"""The query cache: one process-wide `st.cache_data` entry per query, parameters (and user).

Streamlit holds a lock per cache key while a value is computed, so two sessions asking for the same
query at once share one execution. The engine is passed as `_engine`, outside the key. The key also
holds the generations of the source tables the query reads (telemetry.admin.generations), so the Data
health page can clear the results of one source, or all, for every session at once.
"""

from __future__ import annotations

import functools
from typing import Any

import streamlit as st

from telemetry import health, queries, runtime
from telemetry.admin import generations
from telemetry.engine.base import Engine, Result


@functools.cache
def _query_runner():
    def run_query(name: str, params: tuple[tuple[str, Any], ...], user_key: str, data_version: tuple[int, ...],
                  row_cap: int | None, _engine: Engine) -> Result:
        return queries.run(name, engine=_engine, row_cap=row_cap, **dict(params))

    return st.cache_data(ttl=runtime.settings().cache_ttl_seconds, show_spinner=False,
                         max_entries=2000)(run_query)


@functools.cache
def _health_runner():
    def all_sources(user_key: str, generation: tuple[int, ...], _engine: Engine) -> list[health.SourceHealth]:
        return health.all_sources(runtime.settings(), lambda name: queries.run(name, engine=_engine))

    return st.cache_data(ttl=runtime.settings().health_ttl_seconds, show_spinner=False)(all_sources)


def fetch(request: queries.Request, engine: Engine, user_key: str) -> Result:
    """The cached result of `request` (computed at most once per key and TTL, and again once the
    embedded engine has applied rows other processes handed over, or an admin cleared a source it
    reads: both are in the key's `data_version`)."""
    name, params = request.key
    # The data's version: the engine's (applied hand-overs), then the generations of the tables it reads.
    version = (getattr(engine, "data_version", 0), *generations.of_query(name))
    return _query_runner()(name, params, user_key, version, request.row_cap, engine)


def sources(engine: Engine, user_key: str) -> list[health.SourceHealth]:
    """Every source's health, one cache entry for all (the health TTL is short)."""
    return _health_runner()(user_key, generations.key_of(generations.source_keys()), engine)


def clear() -> None:
    """Forget every cached result now (tests; the Data health page bumps generations instead)."""
    _query_runner().clear()
    _health_runner().clear()
    _columns_runner().clear()


@functools.cache
def _columns_runner():
    def columns(table: str, user_key: str, generation: tuple[int, ...], _engine: Engine) -> dict[str, str] | None:
        return _engine.table_columns(table)

    return st.cache_data(ttl=runtime.settings().health_ttl_seconds, show_spinner=False)(columns)


def table_columns(table: str, engine: Engine, user_key: str, source: str) -> dict[str, str] | None:
    """A table's columns (None: no such table), cached like a health check (a DESCRIBE is a round trip)."""
    return _columns_runner()(table, user_key, generations.key_of((source,)), engine)
