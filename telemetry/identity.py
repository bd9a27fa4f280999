"""Who is signed in, and what they may do. Pure functions: the Streamlit adapter passes headers in.

Three sources, in order: the Databricks Apps proxy (`X-Forwarded-Email` and friends, set on every
request it authenticates), a self-hosted login (streamlit-authenticator, when TELEMETRY_AUTH_FILE is
set), and a local developer identity for `streamlit run` on a laptop. Admin rights are decided here
and re-checked by every privileged action, not only by hiding pages.

Forwarded headers are believed only when `settings.trust_proxy_headers` says a proxy that sets them
(and strips them from clients) is in front: inside Databricks Apps, detected from its environment.
Anywhere else a browser can send `X-Forwarded-Email: <an admin>` itself, so they are ignored.
`X-Forwarded-User` is the IdP's user id, not an e-mail, and never stands in for one.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from telemetry.config import Settings


@dataclass(frozen=True)
class User:
    email: str
    display_name: str
    source: str  # "databricks-apps", "login" or "local"
    is_admin: bool

    @property
    def role(self) -> str:
        return "admin" if self.is_admin else "viewer"

    @property
    def roles(self) -> frozenset[str]:
        """What the page registry filters on (an admin may open every viewer page too)."""
        return frozenset({"admin", "viewer"}) if self.is_admin else frozenset({"viewer"})


def trusted(headers: Mapping[str, str], settings: Settings) -> Mapping[str, str]:
    """The request headers identity may read: none of the forwarded ones unless a proxy sets them."""
    return headers if settings.trust_proxy_headers else {}


def forwarded_token(headers: Mapping[str, str], settings: Settings) -> str | None:
    """The signed-in user's OAuth token, forwarded by the Apps proxy when user authorization is on."""
    return trusted(headers, settings).get("X-Forwarded-Access-Token") or None


def _is_admin(email: str, source: str, settings: Settings) -> bool:
    admins = {a.lower() for a in settings.admins}
    if admins:
        return email.lower() in admins
    # No admin list: only the local developer on the embedded demo is trusted; deployed apps fail closed.
    return source == "local" and settings.engine == "embedded"


def user_from_headers(headers: Mapping[str, str], settings: Settings,
                      login_email: str | None = None) -> User:
    """Resolve the current user from proxy headers, a self-hosted login, or the local fallback."""
    proxy = trusted(headers, settings)
    email = proxy.get("X-Forwarded-Email")
    if email:
        name = proxy.get("X-Forwarded-Preferred-Username") or email
        return User(email, name, "databricks-apps", _is_admin(email, "databricks-apps", settings))
    if login_email:
        return User(login_email, login_email, "login", _is_admin(login_email, "login", settings))
    local = settings.local_user
    return User(local, local.split("@")[0].replace(".", " ").title(), "local",
                _is_admin(local, "local", settings))


class NotAllowed(PermissionError):
    """An action the current user may not take (checked on the server side)."""


def require_admin(user: User, action: str) -> None:
    if not user.is_admin:
        raise NotAllowed(f"{user.email} is not an admin and cannot {action}. "
                         "Admins are listed in TELEMETRY_ADMINS.")
