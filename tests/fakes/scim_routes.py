"""Fake SCIM `Me` (GET /api/2.0/preview/scim/v2/Me): who the bearer token belongs to, with their groups.

Each token is one user's, as a forwarded OAuth token is: the route answers for the token's user
only, 401 for a token it does not know, and counts the calls per token so tests see the cache work.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from tests.fakes.server import FakeDatabricks, Request, error

ME_PATH = "/api/2.0/preview/scim/v2/Me"


@dataclass
class Directory:
    users: dict[str, tuple[str, tuple[str, ...]]] = field(default_factory=dict)  # token → (e-mail, groups)
    calls: Counter = field(default_factory=Counter)  # token → SCIM Me calls

    def add(self, token: str, email: str, *groups: str) -> Directory:
        self.users[token] = (email, tuple(groups))
        return self


def _token(req: Request) -> str:
    auth = next((v for k, v in req.headers.items() if k.lower() == "authorization"), "")
    return auth.removeprefix("Bearer ").strip()


def install(fake: FakeDatabricks, directory: Directory) -> Directory:
    def me(req: Request):
        token = _token(req)
        directory.calls[token] += 1
        if token not in directory.users:
            return error(401, "Invalid access token.", "UNAUTHENTICATED")
        email, groups = directory.users[token]
        return {"id": str(abs(hash(email)) % 10**12), "userName": email, "displayName": email.split("@")[0],
                "active": True, "emails": [{"value": email, "type": "work", "primary": True}],
                "groups": [{"display": g, "value": f"g-{i}", "$ref": f"Groups/g-{i}", "type": "direct"}
                           for i, g in enumerate(groups)]}

    fake.route("GET", ME_PATH, me)
    return directory
