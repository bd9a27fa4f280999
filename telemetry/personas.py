"""Which personas a user holds: executive, app owner, Genie space owner, platform admin.

A persona decides the menu a user sees first and the page they land on (the definitions, with
their sections and landing pages, are in `telemetry.registry.PERSONAS`). It is never a permission:
roles (admin, viewer) decide what may be opened, and every privileged page and action re-checks them.

Sources, all combined (a user may hold several):
- configuration: TELEMETRY_PERSONA_<KEY> lists group names and e-mails (an entry with "@" is an
  e-mail, compared case-insensitively; a group name must match the workspace's exactly);
- platform_admin: every admin (TELEMETRY_ADMINS, TELEMETRY_ADMIN_GROUPS);
- ownership: app_owner for whoever owns an app in the apps inventory (creator or one of its owners),
  genie_owner for whoever created a Genie space (`owned_apps.sql`, `owned_spaces.sql`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import pandas as pd

from telemetry import queries
from telemetry.config import PERSONA_KEYS, Settings

EXECUTIVE, APP_OWNER, GENIE_OWNER, PLATFORM_ADMIN = PERSONA_KEYS
# The named query that tells each ownership persona (a row means the user holds it).
OWNERSHIP_QUERIES: dict[str, str] = {APP_OWNER: "app_usage/owned_apps", GENIE_OWNER: "genie/owned_spaces"}


def _matches(entry: str, email: str, groups: frozenset[str]) -> bool:
    entry = entry.strip()
    if "@" in entry:
        return entry.lower() == email.strip().lower()
    return entry in groups


def configured(email: str, groups: Iterable[str], settings: Settings) -> set[str]:
    """The personas TELEMETRY_PERSONA_<KEY> give this e-mail or one of these groups."""
    held = frozenset(groups)
    return {key for key, entries in settings.personas.items()
            if key in PERSONA_KEYS and any(_matches(entry, email, held) for entry in entries)}


def resolve(email: str, groups: Iterable[str], is_admin: bool, settings: Settings,
            owned: Iterable[str] = ()) -> tuple[str, ...]:
    """Every persona the user holds, in PERSONA_KEYS order (empty: nobody mapped them)."""
    held = configured(email, groups, settings) | set(owned)
    if is_admin:
        held.add(PLATFORM_ADMIN)
    return tuple(key for key in PERSONA_KEYS if key in held)


def ownership_requests(email: str) -> dict[str, queries.Request]:
    """persona → the request that finds what `email` owns ({} for no e-mail: an empty :user_email
    would match everything)."""
    key = email.strip().lower()
    if not key:
        return {}
    return {persona: queries.request(name, {"user_email": key}) for persona, name in OWNERSHIP_QUERIES.items()}


def owned_from(frames: Mapping[str, pd.DataFrame | BaseException]) -> frozenset[str]:
    """The ownership personas, from the results of `ownership_requests` by persona: a row means the
    user holds it; a failed query (an exception in place of its frame) grants nothing."""
    return frozenset(persona for persona, frame in frames.items()
                     if isinstance(frame, pd.DataFrame) and not frame.empty)
