"""Workspace group membership of the signed-in user, read with their own token (SCIM `Me`).

Admin groups and persona groups need to know which groups a user is in. Inside Databricks Apps with
user authorization on, the proxy forwards the user's OAuth token (scope `iam.current-user:read`);
`current_user.me()` with that token answers for that user only, so nobody can ask about someone else.

Membership is cached per user e-mail (lower-cased) for `groups_ttl_seconds`: the token is never part
of a cache key, a log line or an error message we write. A failed lookup (no scope, network, a token
for another identity) means no groups: the e-mail rules still apply, the page still works, and the
failure is logged once per user until a lookup succeeds again.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from typing import Generic, TypeVar

from telemetry.engine.warehouse import scrub

log = logging.getLogger(__name__)
V = TypeVar("V")
FAILURE_TTL_S = 60.0  # a failed lookup is retried after at most this long (a transient error heals)


class TtlCache(Generic[V]):
    """A small thread-safe cache whose entries expire `ttl` seconds after they were stored."""

    def __init__(self, ttl_s: float, clock: Callable[[], float] = time.monotonic) -> None:
        self.ttl_s = ttl_s
        self._clock = clock
        self._lock = threading.Lock()
        self._entries: dict[str, tuple[float, V]] = {}

    def get(self, key: str) -> tuple[bool, V | None]:
        """(found, value): found is False for a missing or expired entry."""
        with self._lock:
            entry = self._entries.get(key)
            if entry is None or entry[0] <= self._clock():
                return False, None
            return True, entry[1]

    def put(self, key: str, value: V, ttl_s: float | None = None) -> V:
        with self._lock:
            self._entries[key] = (self._clock() + (self.ttl_s if ttl_s is None else ttl_s), value)
        return value

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()


def _me(token: str, host: str | None, timeout_s: float):
    """SCIM Me for the token's identity (host: DATABRICKS_HOST through the SDK's Config when None)."""
    from databricks.sdk import WorkspaceClient
    from databricks.sdk.core import Config

    # auth_type="pat": inside Apps the app's own OAuth client is in the environment too (§3.3).
    config = Config(host=host, token=token, auth_type="pat", retry_timeout_seconds=timeout_s,
                    http_timeout_seconds=timeout_s)
    return WorkspaceClient(config=config).current_user.me()


def _addresses(me) -> set[str]:
    """The user name and every e-mail of a SCIM user, lower-cased."""
    names = {str(me.user_name or "").lower()}
    names |= {str(e.value or "").lower() for e in (me.emails or [])}
    return names - {""}


class GroupDirectory:
    """Group names per user e-mail, from SCIM Me with the user's token, cached for `ttl_s`."""

    def __init__(self, ttl_s: float, *, host: str | None = None, timeout_s: float = 10,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.host = host
        self.timeout_s = timeout_s
        self._cache: TtlCache[tuple[str, ...]] = TtlCache(ttl_s, clock)
        self._logged: set[str] = set()
        self.lookups = 0  # SCIM calls made (what the cache saved is visible in tests)

    def groups(self, email: str, token: str | None) -> tuple[str, ...]:
        """The groups `email` belongs to, or () without a token or when the lookup fails."""
        key = email.strip().lower()
        if not token or not key:
            return ()
        found, cached = self._cache.get(key)
        if found:
            return cached or ()
        try:
            value = self._lookup(key, token)
        except Exception as err:  # the SDK's DatabricksError, Config's ValueError, network errors
            first = (scrub(str(err), [token]).splitlines() or [""])[0]
            self._log_once(key, f"{type(err).__name__}: {first[:200]}")
            return self._cache.put(key, (), min(FAILURE_TTL_S, self._cache.ttl_s))
        self._logged.discard(key)
        return self._cache.put(key, value)

    def _lookup(self, email: str, token: str) -> tuple[str, ...]:
        self.lookups += 1
        me = _me(token, self.host, self.timeout_s)
        if email not in _addresses(me):  # a token that is not this user's: believe none of it
            raise PermissionError(f"the forwarded token belongs to {me.user_name!r}, not to the signed-in user")
        return tuple(sorted({g.display for g in (me.groups or []) if g.display}))

    def _log_once(self, email: str, why: str) -> None:
        if email in self._logged:
            return
        self._logged.add(email)
        log.warning("could not read the workspace groups of %s (%s); admin and persona groups do not apply "
                    "to them until it works (user authorization needs the iam.current-user:read scope)",
                    email, why)

    def clear(self) -> None:
        self._cache.clear()
        self._logged.clear()
