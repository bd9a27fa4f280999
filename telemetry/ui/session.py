"""This browser session: who is signed in, and which engine runs their queries.

With TELEMETRY_USE_USER_TOKEN on a warehouse, queries run as the signed-in user (their forwarded
token), so Unity Catalog grants and row filters apply. That engine, and the token inside it, live in
this session's state only: never in a process-wide cache, a cache key or a log line.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping

import streamlit as st

from telemetry import identity, runtime
from telemetry.engine.base import Engine, QueryError

_ENGINE_KEY = "_telemetry_user_engine"


def request_headers() -> Mapping[str, str]:
    """The headers of this session's first request (tests replace this one function)."""
    return st.context.headers


def current_user() -> identity.User:
    """The signed-in user of this session (see telemetry.identity for the order of sources)."""
    return identity.user_from_headers(request_headers(), runtime.settings(), st.session_state.get("login_email"))


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
        st.session_state[_ENGINE_KEY] = (fingerprint, WarehouseEngine.from_settings(runtime.settings(),
                                                                                    user_token=token))
    return st.session_state[_ENGINE_KEY][1]
