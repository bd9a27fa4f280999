"""Who is tracking, inside a Streamlit app: the signed-in user and the browser session's id.

Read on the caller's thread (Streamlit's script context is per thread) and remembered per session,
so `track` stays in microseconds: the headers are read once per session, the id is a lookup.
The user comes from forwarded headers only where the console's trust rule believes them
(`telemetry.config.trust_proxy_headers`: inside Databricks Apps, or when TELEMETRY_TRUST_PROXY_HEADERS
says so); elsewhere a self-hosted login's e-mail (session state `login_email`), else None.
Imports Streamlit only when called, and only if the app already imported it.
"""

from __future__ import annotations

import os
import sys
from collections import OrderedDict

_MAX_SESSIONS = 10_000
_users: OrderedDict[str, str | None] = OrderedDict()


def _context():
    if "streamlit" not in sys.modules:
        return None
    from streamlit.runtime.scriptrunner import get_script_run_ctx

    return get_script_run_ctx(suppress_warning=True)


def session() -> str | None:
    """The Streamlit session id of the calling script run (None outside one)."""
    ctx = _context()
    return ctx.session_id if ctx is not None else None


def _read_user() -> str | None:
    import streamlit as st

    from telemetry.config import trust_proxy_headers

    if trust_proxy_headers(os.environ):
        email = st.context.headers.get("X-Forwarded-Email")
        if email:
            return email
    login = st.session_state.get("login_email")
    return str(login) if login else None


def user() -> str | None:
    """The signed-in user of the calling session, read once per session."""
    ctx = _context()
    if ctx is None:
        return None
    sid = ctx.session_id
    if sid not in _users:
        _users[sid] = _read_user()
        if len(_users) > _MAX_SESSIONS:
            _users.popitem(last=False)
    return _users[sid]
