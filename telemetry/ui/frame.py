"""The frame every page runs in: settings checked, the gate, the menu for the user's roles and
personas (landing on the persona's page), who is signed in, one banner slot for engine faults, and no
traceback ever reaching a viewer."""

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


SHOW_ALL_KEY = "show_all_pages"


def _page(spec: registry.PageSpec, landing: str, hidden: bool = False) -> st.Page:
    return st.Page(spec.path, title=spec.title, icon=spec.icon, url_path=spec.url_path,
                   default=spec.url_path == landing, help=spec.help or None,
                   visibility="hidden" if hidden or spec.hidden else "visible")


def _navigation(menu: registry.Menu):
    """The persona's sections in the menu; the other pages the roles allow stay routable (a shared
    link opens) but unlisted, under no section header. Admin pages are not registered for viewers."""
    pages: dict[str, list[st.Page]] = {section: [_page(p, menu.landing) for p in specs]
                                       for section, specs in menu.sections.items()}
    if menu.others:
        pages[""] = [_page(p, menu.landing, hidden=True) for p in menu.others]
    return st.navigation(pages, position="sidebar", expanded=True)  # every page listed, no "View more"


def _menu(user: identity.User) -> registry.Menu:
    """The user's menu; with personas, a sidebar switch lists every page their roles allow."""
    focused = registry.menu(user.roles, user.personas)
    if not focused.others and not st.session_state.get(SHOW_ALL_KEY):
        return focused
    show_all = st.toggle("Show all pages", key=SHOW_ALL_KEY,
                         help="Your menu shows your personas' pages; this lists every page you may open.")
    return registry.menu(user.roles, user.personas, show_all=show_all)


def _sidebar(settings, user: identity.User) -> registry.Menu:
    """Who is signed in (name, role, personas), the engine, the menu switch and the logout button."""
    with st.sidebar:
        st.caption(f":material/person: {user.display_name} · {user.role_label}")
        if user.personas:
            st.caption(f":material/badge: {registry.persona_labels(user.personas)}")
        engine_label = "embedded demo (DuckDB)" if settings.engine == "embedded" else "Databricks SQL warehouse"
        st.caption(f":material/database: {engine_label}")
        menu = _menu(user)
        gate.logout_button()
    return menu


def run() -> None:
    """Route this run: the login form until identity is decided, then the user's page in the frame."""
    settings = _settings_or_stop()
    user = session.current_user()  # once per run: the gate, the menu and the sidebar agree
    if gate.needs_login(user):
        gate.login_navigation().run()
        return
    nav = _navigation(_sidebar(settings, user))
    faults.begin_run()
    try:
        nav.run()
    except (QueryError, ConfigError, identity.NotAllowed) as err:  # what a page did not catch, said in words
        log.warning("page %s stopped: %s", nav.url_path, err)
        st.error(f"This page could not be shown: {err}", icon=":material/error:")
    finally:
        faults.end_run()
        self_tracking.record_run(nav.url_path or "overview", user.email)  # never raises
