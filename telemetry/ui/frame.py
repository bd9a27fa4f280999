"""The frame every page runs in: settings checked, the gate, the menu for the user's roles, who is
signed in, one banner slot for engine faults, and no traceback ever reaching a viewer."""

from __future__ import annotations

import logging

import streamlit as st

from telemetry import identity, registry, runtime
from telemetry.config import ConfigError
from telemetry.engine.base import QueryError
from telemetry.ui import faults, gate, self_tracking, session

log = logging.getLogger(__name__)


def _settings_or_stop():
    try:
        return runtime.settings()
    except ConfigError as err:
        st.navigation([st.Page(lambda: None, title="Configuration problem")], position="hidden")
        st.error(f"**The console cannot start: configuration problem.**\n\n{err}", icon=":material/settings:")
        st.stop()


def _navigation(roles: frozenset[str]):
    pages = {
        section: [st.Page(p.path, title=p.title, icon=p.icon, url_path=p.url_path, default=p.default,
                          help=p.help or None, visibility="hidden" if p.hidden else "visible")
                  for p in specs]
        for section, specs in registry.visible_pages(roles).items()
    }
    return st.navigation(pages, position="sidebar", expanded=True)  # every page listed, no "View more"


def _sidebar(settings, user: identity.User) -> None:
    with st.sidebar:
        st.caption(f":material/person: {user.display_name} · {user.role}")
        engine_label = "embedded demo (DuckDB)" if settings.engine == "embedded" else "Databricks SQL warehouse"
        st.caption(f":material/database: {engine_label}")
        gate.logout_button()


def run() -> None:
    """Route this run: the login form until identity is decided, then the user's page in the frame."""
    settings = _settings_or_stop()
    user = session.current_user()  # once per run: the gate, the menu and the sidebar agree
    if gate.needs_login(user):
        gate.login_navigation().run()
        return
    nav = _navigation(user.roles)
    _sidebar(settings, user)
    faults.begin_run()
    try:
        nav.run()
    except (QueryError, ConfigError, identity.NotAllowed) as err:  # what a page did not catch, said in words
        log.warning("page %s stopped: %s", nav.url_path, err)
        st.error(f"This page could not be shown: {err}", icon=":material/error:")
    finally:
        faults.end_run()
        self_tracking.record_run(nav.url_path or "overview", user.email)  # never raises
