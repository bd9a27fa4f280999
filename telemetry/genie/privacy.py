"""Who may read Genie prompts and SQL: decided here, enforced in the SQL of every content query.

A prompt is what a person typed into Genie (often with customer names or numbers in it), and the
SQL and Genie's description repeat it. `settings.genie.content_roles` says who may read them:
"viewer" (everyone who signs in), "admin", and "space_owner" (the space's creator, for the messages
of the spaces they created). Everyone else still sees counts, statuses and error types.

The decision travels into the queries as two bound parameters, `:content_scope` ('all', 'own' or
'none') and `:viewer_email`; the SQL returns NULL content for every row the viewer may not read
(and searches only the rows they may read), so the text never leaves the warehouse for them. No
widget hiding is the barrier.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from telemetry.config import Settings
from telemetry.identity import User

ALL, OWN, NONE = "all", "own", "none"


@dataclass(frozen=True)
class ContentScope:
    """What one viewer may read: every message, the messages of their own spaces, or none."""

    scope: str
    viewer_email: str  # lower-case; "" unless scope is 'own' (so 'all' and 'none' share cache entries)
    readers: tuple[str, ...]  # the configured content roles, for the page's explanation

    def params(self) -> dict[str, Any]:
        """The bound parameters every content query takes."""
        return {"content_scope": self.scope, "viewer_email": self.viewer_email}

    @property
    def sees_everything(self) -> bool:
        return self.scope == ALL

    @property
    def hidden_note(self) -> str:
        """What the pages show in place of a prompt the viewer may not read."""
        return f"hidden: only {readers_text(self.readers)} can read prompts"


def readers_text(roles: tuple[str, ...]) -> str:
    """'admins and the space's owner' for the configured content roles (the default)."""
    if "viewer" in roles:
        return "signed-in users"
    names = [name for role, name in (("admin", "admins"), ("space_owner", "the space's owner")) if role in roles]
    return " and ".join(names) or "nobody (TELEMETRY_GENIE_CONTENT_ROLES is empty)"


def content_scope(user: User, settings: Settings) -> ContentScope:
    """The scope `user` reads prompts and SQL in under the configured content roles.

    Admin rights come from `identity` (TELEMETRY_ADMINS), never from anything the browser sends;
    a space owner is matched to genie_space_details.creator by e-mail, case-insensitively, in SQL."""
    roles = tuple(settings.genie.content_roles)
    if "viewer" in roles or ("admin" in roles and user.is_admin):
        return ContentScope(ALL, "", roles)
    if "space_owner" in roles and user.email:
        return ContentScope(OWN, user.email.strip().lower(), roles)
    return ContentScope(NONE, "", roles)
