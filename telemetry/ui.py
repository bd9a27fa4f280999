"""The one Streamlit-aware module of the package: cached queries, error, empty and freshness states.

Pages call `query(...)` and get a Result or None; on None the page has already shown why (a missing
table, an unreachable warehouse, a timeout) in words, never a traceback. Results are cached per
query name and parameters with a TTL; with the user's forwarded token they are also keyed by user,
so one user's rows are never served to another.
"""

from __future__ import annotations

import functools
import time
from datetime import UTC, datetime
from typing import Any

import pandas as pd
import streamlit as st

from telemetry import identity, queries, runtime
from telemetry.config import ConfigError
from telemetry.engine.base import QueryError, Result

_HINTS = {
    "missing_table": "A source table is missing. The Admin → Data health page lists what is there.",
    "connection": "Check DATABRICKS_HOST, the warehouse id and the app's permissions (Admin → Config).",
    "timeout": "Narrow the date range, or raise TELEMETRY_QUERY_TIMEOUT_SECONDS.",
}


@functools.cache
def _runner():
    """The cached query runner, built once the settings (and so the TTL) are known."""

    def run_query(name: str, params: tuple[tuple[str, Any], ...], user_key: str) -> Result:
        engine = _user_engine() if user_key else runtime.engine()
        return queries.run(name, engine=engine, **dict(params))

    ttl = runtime.settings().cache_ttl_seconds
    return st.cache_data(ttl=ttl, show_spinner=False, max_entries=2000)(run_query)


def _user_engine():
    """A warehouse engine that runs as the signed-in user (forwarded token), never cached."""
    from telemetry.engine.warehouse import WarehouseEngine

    token = identity.forwarded_token(st.context.headers)
    if not token:
        raise QueryError("connect", "TELEMETRY_USE_USER_TOKEN is on but no user token was forwarded; "
                                    "enable user authorization for the app.", kind="connection")
    return WarehouseEngine.from_settings(runtime.settings(), user_token=token)


def fetch(name: str, **params: Any) -> Result:
    """Run a named query through the cache. Raises QueryError (pages use `query` instead)."""
    user_key = current_user().email if _per_user() else ""
    return _runner()(name, tuple(sorted(params.items())), user_key)


def sources() -> list:
    """Every source's health (one cache entry for all of them, with the health TTL)."""
    return _sources_runner()(current_user().email if _per_user() else "")


def _per_user() -> bool:
    settings = runtime.settings()
    return settings.use_user_token and settings.engine == "warehouse"


@functools.cache
def _sources_runner():
    from telemetry import health

    def all_sources(user_key: str) -> list:
        engine = _user_engine() if user_key else runtime.engine()
        return health.all_sources(runtime.settings(), lambda name: queries.run(name, engine=engine))

    return st.cache_data(ttl=runtime.settings().health_ttl_seconds, show_spinner=False)(all_sources)


def query(name: str, **params: Any) -> Result | None:
    """Run a named query; on failure show a clear message on the page and return None."""
    try:
        return fetch(name, **params)
    except QueryError as err:
        show_error(err)
    except ConfigError as err:
        st.error(f"Configuration problem: {err}", icon=":material/settings:")
    return None


def current_user() -> identity.User:
    """The signed-in user of this session (see telemetry.identity for the order of sources)."""
    login_email = st.session_state.get("login_email")
    return identity.user_from_headers(st.context.headers, runtime.settings(), login_email)


def login_gate() -> None:
    """Self-hosted only: ask for a password (streamlit-authenticator) before anything renders."""
    settings = runtime.settings()
    if settings.auth_file is None or st.context.headers.get("X-Forwarded-Email"):
        return
    import streamlit_authenticator as stauth
    import yaml

    cfg = yaml.safe_load(settings.auth_file.read_text())
    cookie = cfg.get("cookie", {})
    auth = stauth.Authenticate(cfg["credentials"], cookie.get("name", "ops_console"),
                               cookie.get("key", ""), cookie.get("expiry_days", 7))
    auth.login(location="main")
    status = st.session_state.get("authentication_status")
    if status:
        username = st.session_state.get("username", "")
        user = cfg["credentials"]["usernames"].get(username, {})
        st.session_state["login_email"] = user.get("email") or username
        with st.sidebar:
            auth.logout(location="sidebar")
        return
    if status is False:
        st.error("Username or password is incorrect.")
    st.stop()


def show_error(err: QueryError) -> None:
    hint = _HINTS.get(err.kind, "")
    st.error(f"**{err.query}** could not run: {err.cause}" + (f"\n\n{hint}" if hint else ""),
             icon=":material/error:")


def empty_state(message: str) -> None:
    """Say why a chart or table is empty, instead of drawing an empty frame."""
    st.info(message, icon=":material/info:")


def age_text(moment: datetime | float | None, now: float | None = None) -> str:
    """'3 min ago' style text for a timestamp (naive datetimes are UTC, as in the sources)."""
    if moment is None:
        return "never"
    if isinstance(moment, datetime):
        moment = (moment if moment.tzinfo else moment.replace(tzinfo=UTC)).timestamp()
    seconds = max(0.0, (now or time.time()) - float(moment))
    for unit, size in (("d", 86400), ("h", 3600), ("min", 60)):
        if seconds >= size:
            return f"{seconds / size:.0f} {unit} ago"
    return "just now"


def freshness(*results: Result | None, data_as_of: datetime | None = None) -> None:
    """The caption every page ends its header with: how old the data and the query results are."""
    fetched = [r.fetched_at for r in results if r is not None]
    parts = []
    if data_as_of is not None and not isinstance(data_as_of, datetime):
        data_as_of = pd.Timestamp(data_as_of).to_pydatetime()
    if data_as_of is not None:
        parts.append(f"Data as of {data_as_of:%Y-%m-%d %H:%M} UTC ({age_text(data_as_of)})")
    if fetched:
        parts.append(f"queried {age_text(min(fetched))}")
    settings = runtime.settings()
    parts.append(f"engine: {settings.engine}")
    st.caption(" · ".join(parts))


def clear_cache() -> None:
    _runner().clear()
    _sources_runner().clear()


def kpi_row(kpis: list, columns: int = 4) -> None:
    """KPI tiles with their change against the previous period (as % of the previous value)."""
    for start in range(0, len(kpis), columns):
        for col, kpi in zip(st.columns(columns), kpis[start:start + columns], strict=False):
            delta = None if kpi.delta is None else f"{kpi.delta:+.0%} vs previous period"
            col.metric(kpi.label, _format_value(kpi.value, kpi.fmt), delta=delta, help=kpi.help, border=True)


def _format_value(value, fmt: str) -> str:
    if value is None or (isinstance(value, float) and value != value):
        return "–"
    if fmt == "pct":
        return f"{value:.0%}"
    if fmt == "usd":
        return f"${value:,.0f}"
    if fmt == "float":
        return f"{value:,.1f}"
    return f"{value:,.0f}"


def chart(figure, empty: bool, why_empty: str, key: str | None = None) -> None:
    """An altair chart, or the reason it is empty."""
    if empty:
        empty_state(why_empty)
    else:
        height = figure.height if isinstance(figure.height, int) else "content"
        st.altair_chart(figure, width="stretch", height=height, key=key)


def table(frame, *, key: str, why_empty: str, column_config: dict | None = None,
          truncated: bool = False, height: int | str = "auto") -> None:
    """A configured table with a CSV download button (and a note when the row cap cut it)."""
    if frame is None or frame.empty:
        empty_state(why_empty)
        return
    st.dataframe(frame, hide_index=True, width="stretch", column_config=column_config, key=key, height=height)
    note = "Showing the first rows only (row cap reached). " if truncated else ""
    with st.container(horizontal=True, vertical_alignment="center"):
        st.caption(f"{note}{len(frame):,} rows")
        st.space("stretch")
        st.download_button("Download CSV", frame.to_csv(index=False).encode(), file_name=f"{key}.csv",
                           mime="text/csv", key=f"{key}_csv", icon=":material/download:", width="content")
