"""Who is signed in, and what they may do. Pure functions: the Streamlit adapter passes headers in.

Three sources, in order: the Databricks Apps proxy (`X-Forwarded-Email` and friends, set on every
request it authenticates), a self-hosted login (streamlit-authenticator, when TELEMETRY_AUTH_FILE is
set), and a local developer identity for `streamlit run` on a laptop. Admin rights are decided here
and re-checked by every privileged action, not only by hiding pages.

Forwarded headers are believed only when `settings.trust_proxy_headers` says a proxy that sets them
(and strips them from clients) is in front: inside Databricks Apps, detected from its environment.
Anywhere else a browser can send `X-Forwarded-Email: <an admin>` itself, so they are ignored.
`X-Forwarded-User` is the IdP's user id, not an e-mail, and never stands in for one.

`user_from_headers` is the one function that decides all of it: who, their workspace groups (read
with the forwarded user token by the lookup the caller passes in; telemetry/ui/session.py passes
telemetry.workspace_groups), admin rights and personas (telemetry.personas). It does no I/O itself.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

from telemetry import personas
from telemetry.config import Settings

# email, forwarded token (None without one) → the user's workspace groups (telemetry.workspace_groups)
GroupLookup = Callable[[str, "str | None"], Iterable[str]]
# email → the ownership personas (app_owner, genie_owner) the apps inventory and Genie spaces give them
OwnershipLookup = Callable[[str], Iterable[str]]
LOCAL_ADMIN_LABEL = "Local admin (embedded demo, no sign-in)"


@dataclass(frozen=True)
class User:
    email: str
    display_name: str
    source: str  # "databricks-apps", "login" or "local"
    is_admin: bool
    groups: tuple[str, ...] = ()  # workspace groups (read with the user's token; () without one)
    personas: tuple[str, ...] = ()  # config.PERSONA_KEYS the user holds, in that order; () = nobody mapped them

    @property
    def role(self) -> str:
        return "admin" if self.is_admin else "viewer"

    @property
    def roles(self) -> frozenset[str]:
        """What the page registry filters on (an admin may open every viewer page too)."""
        return frozenset({"admin", "viewer"}) if self.is_admin else frozenset({"viewer"})

    @property
    def local_admin(self) -> bool:
        """The developer running the embedded demo on their machine: an admin nobody signed in."""
        return self.source == "local" and self.is_admin

    @property
    def role_label(self) -> str:
        """How the sidebar names the role (the local developer is clearly not a signed-in admin)."""
        if self.local_admin:
            return LOCAL_ADMIN_LABEL
        return self.role + (" (local, no sign-in)" if self.source == "local" else "")


def trusted(headers: Mapping[str, str], settings: Settings) -> Mapping[str, str]:
    """The request headers identity may read: none of the forwarded ones unless a proxy sets them."""
    return headers if settings.trust_proxy_headers else {}


def forwarded_token(headers: Mapping[str, str], settings: Settings) -> str | None:
    """The signed-in user's OAuth token, forwarded by the Apps proxy when user authorization is on."""
    return trusted(headers, settings).get("X-Forwarded-Access-Token") or None


def _is_admin(email: str, source: str, groups: Iterable[str], settings: Settings) -> bool:
    admins = {a.lower() for a in settings.admins}
    admin_groups = set(settings.admin_groups)
    if admins or admin_groups:
        return email.lower() in admins or bool(admin_groups & set(groups))
    # No admin list: only the local developer on the embedded demo is trusted; deployed apps fail closed.
    return source == "local" and settings.engine == "embedded"


def _who(headers: Mapping[str, str], settings: Settings, login_email: str | None) -> tuple[str, str, str]:
    """(email, display name, source) from the trusted proxy, the login, or the local fallback."""
    proxy = trusted(headers, settings)
    email = proxy.get("X-Forwarded-Email")
    if email:
        return email, proxy.get("X-Forwarded-Preferred-Username") or email, "databricks-apps"
    if login_email:
        return login_email, login_email, "login"
    local = settings.local_user
    return local, local.split("@")[0].replace(".", " ").title(), "local"


def user_from_headers(headers: Mapping[str, str], settings: Settings, login_email: str | None = None, *,
                      groups: GroupLookup | None = None, owned: OwnershipLookup | None = None) -> User:
    """Resolve the current user: who (proxy headers, a self-hosted login, or the local fallback), their
    groups (`groups`, with the forwarded token; only a trusted proxy forwards one), admin rights
    (TELEMETRY_ADMINS e-mails or TELEMETRY_ADMIN_GROUPS members) and personas (`owned` adds the
    ownership ones). Without the lookups only the e-mail rules apply."""
    email, name, source = _who(headers, settings, login_email)
    token = forwarded_token(headers, settings) if source == "databricks-apps" else None
    member_of = tuple(groups(email, token)) if groups is not None and token else ()
    is_admin = _is_admin(email, source, member_of, settings)
    owns = tuple(owned(email)) if owned is not None else ()
    return User(email, name, source, is_admin, member_of,
                personas.resolve(email, member_of, is_admin, settings, owns))


class NotAllowed(PermissionError):
    """An action the current user may not take (checked on the server side)."""


def require_admin(user: User, action: str) -> None:
    if not user.is_admin:
        raise NotAllowed(f"{user.email} is not an admin and cannot {action}. "
                         "Admins are listed in TELEMETRY_ADMINS (e-mails) or TELEMETRY_ADMIN_GROUPS (groups).")
