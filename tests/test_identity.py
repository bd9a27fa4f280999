"""Identity: the proxy's headers count only where a trusted proxy sets them, the local developer is
admin only on the embedded demo.

Regression (issue "Trust"): any browser could send `X-Forwarded-Email: <an admin>` to a self-hosted
console and be that admin; `X-Forwarded-User` (the IdP's user id) stood in for a missing e-mail.
"""

import pytest

from telemetry.config import load_settings
from telemetry.identity import NotAllowed, forwarded_token, require_admin, user_from_headers

INSIDE_APPS = {"DATABRICKS_APP_NAME": "ops-console", "DATABRICKS_APP_PORT": "8000"}  # set by the Apps runtime
TRUSTED = {"TELEMETRY_TRUST_PROXY_HEADERS": "true"}
ADMIN_HEADERS = {"X-Forwarded-Email": "Ops.Lead@corp.com", "X-Forwarded-Preferred-Username": "Ops Lead",
                 "X-Forwarded-Access-Token": "user-oauth-token"}


def test_databricks_apps_headers_identify_the_user():
    s = load_settings({**INSIDE_APPS, "TELEMETRY_ADMINS": "ops.lead@corp.com"})
    user = user_from_headers(ADMIN_HEADERS, s)
    assert (user.email, user.display_name, user.source, user.is_admin) == (
        "Ops.Lead@corp.com", "Ops Lead", "databricks-apps", True)


def test_deployed_app_without_admin_list_fails_closed():
    s = load_settings({**INSIDE_APPS, "DATABRICKS_WAREHOUSE_ID": "abc"})
    user = user_from_headers({"X-Forwarded-Email": "someone@corp.com"}, s)
    assert user.source == "databricks-apps" and not user.is_admin
    with pytest.raises(NotAllowed, match="TELEMETRY_ADMINS"):
        require_admin(user, "trigger jobs")


def test_local_developer_is_admin_on_the_embedded_demo_only():
    assert user_from_headers({}, load_settings({})).is_admin
    assert not user_from_headers({}, load_settings({"DATABRICKS_WAREHOUSE_ID": "abc"})).is_admin


def test_self_hosted_login_identity():
    s = load_settings({"TELEMETRY_ADMINS": "admin@corp.com"})
    assert user_from_headers({}, s, login_email="admin@corp.com").source == "login"
    assert not user_from_headers({}, s, login_email="viewer@corp.com").is_admin


# --- Whose headers count -----------------------------------------------------------------------

@pytest.mark.parametrize("env, trusted", [
    ({}, False),  # auto, self-hosted: nobody strips the header a browser sends
    (INSIDE_APPS, True),  # auto inside Databricks Apps: its proxy sets (and replaces) them
    ({"DATABRICKS_APP_NAME": "ops-console"}, False),  # auto needs both runtime variables
    ({"DATABRICKS_APP_PORT": "8000"}, False),
    ({**INSIDE_APPS, "TELEMETRY_TRUST_PROXY_HEADERS": "false"}, False),  # explicit off wins
    (TRUSTED, True),  # a proxy of your own that sets X-Forwarded-Email
    ({"TELEMETRY_TRUST_PROXY_HEADERS": "AUTO"}, False),
], ids=["auto-self-hosted", "auto-inside-apps", "auto-app-name-only", "auto-port-only", "off-inside-apps",
        "on", "auto-uppercase"])
def test_forwarded_headers_count_only_where_trusted(env, trusted):
    s = load_settings({**env, "TELEMETRY_ADMINS": "ops.lead@corp.com"})
    assert s.trust_proxy_headers is trusted
    user = user_from_headers(ADMIN_HEADERS, s)
    assert (user.source == "databricks-apps") is trusted
    assert (user.email == "Ops.Lead@corp.com") is trusted
    assert user.is_admin is trusted  # a spoofed admin address gives no admin rights
    assert (forwarded_token(ADMIN_HEADERS, s) == "user-oauth-token") is trusted


def test_untrusted_header_neither_beats_nor_replaces_the_login():
    s = load_settings({"TELEMETRY_ADMINS": "ops.lead@corp.com"})
    user = user_from_headers(ADMIN_HEADERS, s, login_email="viewer@corp.com")
    assert (user.email, user.source, user.is_admin) == ("viewer@corp.com", "login", False)


def test_untrusted_header_gives_the_local_fallback_not_the_claimed_user():
    s = load_settings({"TELEMETRY_ADMINS": "ops.lead@corp.com"})
    user = user_from_headers(ADMIN_HEADERS, s)
    assert (user.email, user.source, user.is_admin) == ("local.developer@example.com", "local", False)


@pytest.mark.parametrize("env", [INSIDE_APPS, TRUSTED], ids=["inside-apps", "trusted"])
def test_x_forwarded_user_is_never_the_email(env):
    """X-Forwarded-User is the IdP's user id (e.g. `12345@6789`), not an address to match admins on."""
    s = load_settings({**env, "TELEMETRY_ADMINS": "12345@6789"})
    only_user = user_from_headers({"X-Forwarded-User": "12345@6789"}, s)
    assert only_user.source != "databricks-apps" and only_user.email != "12345@6789" and not only_user.is_admin
    both = user_from_headers({"X-Forwarded-User": "12345@6789", "X-Forwarded-Email": "a@corp.com"}, s)
    assert (both.email, both.source) == ("a@corp.com", "databricks-apps")


@pytest.mark.parametrize("headers", [{}, {"X-Forwarded-Access-Token": ""}], ids=["absent", "empty"])
def test_no_forwarded_token_is_none(headers):
    assert forwarded_token(headers, load_settings(INSIDE_APPS)) is None


def test_a_token_without_a_trusted_proxy_is_ignored():
    headers = {"X-Forwarded-Access-Token": "token-a-browser-made-up"}
    assert forwarded_token(headers, load_settings({})) is None
    assert forwarded_token(headers, load_settings({"DATABRICKS_APP_NAME": "x"})) is None


# --- Groups (SCIM Me with the forwarded token) and admin groups, through the one function -----------

import logging  # noqa: E402

from telemetry.workspace_groups import FAILURE_TTL_S, GroupDirectory  # noqa: E402
from tests.fakes import scim_routes  # noqa: E402
from tests.fakes.server import FakeDatabricks  # noqa: E402

ADMIN_GROUP_ENV = {**INSIDE_APPS, "TELEMETRY_ADMIN_GROUPS": "console-admins"}


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture()
def scim(monkeypatch):
    """A fake workspace answering SCIM Me per token; the SDK finds it through DATABRICKS_HOST."""
    with FakeDatabricks() as fake:
        directory = scim_routes.install(fake, scim_routes.Directory())
        directory.add("token-ada", "ada@corp.com", "console-admins", "users")
        directory.add("token-bob", "bob@corp.com", "users", "finance")
        monkeypatch.setenv("DATABRICKS_HOST", fake.url)
        yield directory


def _headers(email: str, token: str | None) -> dict[str, str]:
    return {"X-Forwarded-Email": email, **({"X-Forwarded-Access-Token": token} if token else {})}


def test_a_member_of_an_admin_group_is_admin_and_a_non_member_is_not(scim):
    s = load_settings(ADMIN_GROUP_ENV)
    groups = GroupDirectory(s.groups_ttl_seconds, timeout_s=5).groups
    ada = user_from_headers(_headers("ada@corp.com", "token-ada"), s, groups=groups)
    bob = user_from_headers(_headers("bob@corp.com", "token-bob"), s, groups=groups)
    assert (ada.is_admin, ada.groups) == (True, ("console-admins", "users"))
    assert (bob.is_admin, bob.groups) == (False, ("finance", "users"))
    require_admin(ada, "trigger jobs")
    with pytest.raises(NotAllowed, match="TELEMETRY_ADMIN_GROUPS"):
        require_admin(bob, "trigger jobs")


def test_without_a_token_only_the_email_rules_apply(scim):
    s = load_settings({**ADMIN_GROUP_ENV, "TELEMETRY_ADMINS": "bob@corp.com"})
    groups = GroupDirectory(60, timeout_s=5).groups
    ada = user_from_headers(_headers("ada@corp.com", None), s, groups=groups)
    bob = user_from_headers(_headers("bob@corp.com", None), s, groups=groups)
    assert (ada.is_admin, ada.groups, bob.is_admin) == (False, (), True)
    assert sum(scim.calls.values()) == 0  # nothing asked without a token


def test_an_untrusted_token_is_never_used_for_groups(scim):
    s = load_settings({"TELEMETRY_ADMIN_GROUPS": "console-admins"})  # self-hosted: headers not believed
    user = user_from_headers(_headers("ada@corp.com", "token-ada"), s, groups=GroupDirectory(60, timeout_s=5).groups)
    assert (user.source, user.is_admin, user.groups) == ("local", False, ())
    assert sum(scim.calls.values()) == 0


def test_groups_are_cached_per_user_for_the_ttl(scim):
    clock = Clock()
    directory = GroupDirectory(300, timeout_s=5, clock=clock)
    assert directory.groups("Ada@Corp.com", "token-ada") == ("console-admins", "users")
    assert directory.groups("ada@corp.com", "token-ada-refreshed") == ("console-admins", "users")  # by e-mail
    assert directory.groups("bob@corp.com", "token-bob") == ("finance", "users")  # bob's own entry
    assert dict(scim.calls) == {"token-ada": 1, "token-bob": 1}
    clock.now += 299
    directory.groups("ada@corp.com", "token-ada")
    assert scim.calls["token-ada"] == 1
    clock.now += 2  # past the TTL: read again
    scim.users["token-ada"] = ("ada@corp.com", ("users",))  # removed from the admin group meanwhile
    assert directory.groups("ada@corp.com", "token-ada") == ("users",)
    assert scim.calls["token-ada"] == 2 and directory.lookups == 3


def test_a_failed_lookup_is_no_groups_logged_once_without_the_token(scim, caplog):
    clock = Clock()
    directory = GroupDirectory(300, timeout_s=5, clock=clock)
    s = load_settings(ADMIN_GROUP_ENV)
    with caplog.at_level(logging.WARNING, logger="telemetry.workspace_groups"):
        first = user_from_headers(_headers("eve@corp.com", "token-nobody-knows"), s, groups=directory.groups)
        clock.now += FAILURE_TTL_S + 1  # retried after the failure TTL: fails again, not logged again
        second = user_from_headers(_headers("eve@corp.com", "token-nobody-knows"), s, groups=directory.groups)
    assert (first.email, first.is_admin, first.groups) == ("eve@corp.com", False, ())
    assert second.groups == () and scim.calls["token-nobody-knows"] == 2
    warnings = [r.getMessage() for r in caplog.records if r.name == "telemetry.workspace_groups"]
    assert len(warnings) == 1 and "eve@corp.com" in warnings[0], warnings
    assert "token-nobody-knows" not in caplog.text


def test_a_token_of_someone_else_gives_no_groups(scim):
    """The groups are the token's user's: a token that is not the signed-in user's is not believed."""
    directory = GroupDirectory(300, timeout_s=5)
    assert directory.groups("bob@corp.com", "token-ada") == ()
