"""The gate: nobody sees a page before identity is decided, however the page is reached.

Every run calls st.navigation (the public API), also before sign-in: an anonymous session gets a
navigation whose every entry (one per registry URL, so a deep link survives the sign-in) renders the
login form. Identity headers count only where a trusted proxy sets them (telemetry.identity).
"""

from __future__ import annotations

import streamlit as st

from telemetry import identity, registry, runtime
from telemetry.ui import session


def _authenticator():
    import streamlit_authenticator as stauth
    import yaml

    settings = runtime.settings()
    cfg = yaml.safe_load(settings.auth_file.read_text())
    cookie = cfg.get("cookie", {})
    return cfg, stauth.Authenticate(cfg["credentials"], cookie.get("name", "ops_console"),
                                    settings.cookie_key, cookie.get("expiry_days", 7))


def needs_login(user: identity.User) -> bool:
    """Self-hosted with an auth file and nobody signed in (trusted proxy identity needs no password)."""
    settings = runtime.settings()
    if settings.auth_file is None or st.session_state.get("login_email"):
        return False
    return user.source != "databricks-apps"


def _login_page() -> None:
    st.title("Sign in")
    st.caption("Databricks Ops Console: sign in to see your workspace's apps, Genie spaces and traces.")
    cfg, auth = _authenticator()
    auth.login(location="main")
    status = st.session_state.get("authentication_status")
    if status:
        username = st.session_state.get("username", "")
        entry = cfg["credentials"]["usernames"].get(username, {})
        st.session_state["login_email"] = entry.get("email") or username
        st.rerun()
    elif status is False:
        st.error("Username or password is incorrect.")


def login_navigation():
    """A navigation in which every registry URL shows the login form (nothing else is routable)."""
    pages = [st.Page(_login_page, title="Sign in", url_path=spec.url_path, default=spec.default)
             for spec in registry.PAGES]
    return st.navigation(pages, position="hidden")


def logout_button() -> None:
    """In the sidebar of a self-hosted, signed-in session."""
    if runtime.settings().auth_file is None or not st.session_state.get("login_email"):
        return
    _, auth = _authenticator()
    auth.logout(location="sidebar")
    if not st.session_state.get("authentication_status"):
        st.session_state.pop("login_email", None)


def require(spec_path: str) -> identity.User:
    """Re-check on the server that the signed-in user may open this page (menus are not permissions)."""
    user = session.current_user()
    spec = registry.page(spec_path)
    if needs_login(user) or not spec.allows(user.roles):
        st.error(f"{spec.title} is for {' or '.join(sorted(spec.roles))}s "
                 "(admins are listed in TELEMETRY_ADMINS or are members of TELEMETRY_ADMIN_GROUPS).",
                 icon=":material/lock:")
        st.stop()
    return user
