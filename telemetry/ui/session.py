"""This browser session: who is signed in, and which engine runs their queries.

With TELEMETRY_USE_USER_TOKEN on a warehouse, queries run as the signed-in user (their forwarded
token), so Unity Catalog grants and row filters apply. That engine, and the token inside it, live in
this session's state only: never in a process-wide cache, a cache key or a log line.

Identity is resolved by `identity.user_from_headers` (the one function), given two lookups cached
per user e-mail for TELEMETRY_GROUPS_TTL_SECONDS in this process: workspace groups (SCIM Me with the
forwarded token) and ownership (apps and Genie spaces the user owns, read on this session's engine).
"""

from __future__ import annotations

import hashlib
import logging
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import streamlit as st

from telemetry import concurrency, identity, personas, queries, runtime
from telemetry.config import ConfigError, Settings
from telemetry.engine.base import Engine, QueryError
from telemetry.workspace_groups import FAILURE_TTL_S, GroupDirectory, TtlCache

log = logging.getLogger(__name__)
_ENGINE_KEY = "_telemetry_user_engine"
# The DB-API connect() of the per-user warehouse engine; None: the Databricks SQL connector's. The
# tests hand in a simulated warehouse's (telemetry.engine.simulated), as the benchmark does.
user_connect: Callable[..., Any] | None = None


def request_headers() -> Mapping[str, str]:
    """The headers of this session's first request (tests replace this one function)."""
    return st.context.headers


@dataclass
class _Lookups:
    """The process's identity caches, for one Settings object (a new one in every test)."""

    settings: Settings
    groups: GroupDirectory
    owned: TtlCache[frozenset[str]]
    failed: set[str]  # users whose ownership lookup failure was logged


_held: _Lookups | None = None
_held_lock = threading.Lock()


def lookups() -> _Lookups:
    """The group directory and ownership cache of the current settings."""
    global _held
    settings = runtime.settings()
    with _held_lock:
        if _held is None or _held.settings is not settings:
            ttl = settings.groups_ttl_seconds
            _held = _Lookups(settings, GroupDirectory(ttl), TtlCache(ttl), set())
        return _held


def _owned(email: str) -> frozenset[str]:
    """Ownership personas of `email`, read on this session's engine (its grants apply); cached."""
    cache, key = lookups().owned, email.strip().lower()
    found, value = cache.get(key)
    if found:
        return value or frozenset()
    requests = personas.ownership_requests(key)
    try:
        runner = engine()
    except (QueryError, ConfigError) as err:
        return _ownership_failed(key, err)
    results = concurrency.run_all(
        {p: (lambda r=r: queries.run(r.name, engine=runner, **r.params).frame) for p, r in requests.items()},
        runtime.settings().max_concurrent_queries)
    errors = [err for err in results.values() if isinstance(err, BaseException)]
    if errors:
        return _ownership_failed(key, errors[0], personas.owned_from(results))
    lookups().failed.discard(key)
    return cache.put(key, personas.owned_from(results))


def _ownership_failed(key: str, err: BaseException, partial: frozenset[str] = frozenset()) -> frozenset[str]:
    """Log once per user, keep what did work, and try again after FAILURE_TTL_S."""
    held = lookups()
    if key not in held.failed:
        held.failed.add(key)
        why = (str(err).splitlines() or [type(err).__name__])[0][:200]
        log.warning("could not tell which apps and Genie spaces %s owns (%s); their owner personas come "
                    "from TELEMETRY_PERSONA_* only until it works", key, why)
    return held.owned.put(key, partial, min(FAILURE_TTL_S, held.owned.ttl_s))


def current_user() -> identity.User:
    """The signed-in user of this session, with groups, admin rights and personas (telemetry.identity)."""
    return identity.user_from_headers(request_headers(), runtime.settings(), st.session_state.get("login_email"),
                                      groups=lookups().groups.groups, owned=_owned)


def per_user() -> bool:
    """Queries run with the user's own token (so caches are keyed by user too)."""
    settings = runtime.settings()
    return settings.use_user_token and settings.engine == "warehouse"


def cache_user_key() -> str:
    """What separates one user's cached results from another's ('' when all share the app's identity)."""
    return current_user().email.lower() if per_user() else ""


def engine() -> Engine:
    """The engine for this session's queries: the process engine, or the user's own (pooled per session)."""
    if not per_user():
        return runtime.engine()
    token = identity.forwarded_token(request_headers(), runtime.settings())
    if not token:
        raise QueryError("connect", "TELEMETRY_USE_USER_TOKEN is on but no user token was forwarded; "
                                    "enable user authorization (the `sql` scope) for the app.", kind="connection")
    fingerprint = hashlib.sha256(token.encode()).hexdigest()
    held = st.session_state.get(_ENGINE_KEY)
    if held is None or held[0] != fingerprint:  # first query, or the proxy forwarded a fresh token
        from telemetry.engine.warehouse import WarehouseEngine

        if held is not None:
            held[1].close()
        connect = {"connect": user_connect} if user_connect is not None else {}
        st.session_state[_ENGINE_KEY] = (fingerprint, WarehouseEngine.from_settings(runtime.settings(),
                                                                                    user_token=token, **connect))
    return st.session_state[_ENGINE_KEY][1]
