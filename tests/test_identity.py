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
