"""Identity: the proxy's headers win, the local developer is admin only on the embedded demo."""

import pytest

from telemetry.config import load_settings
from telemetry.identity import NotAllowed, require_admin, user_from_headers


def test_databricks_apps_headers_identify_the_user():
    s = load_settings({"TELEMETRY_ADMINS": "ops.lead@corp.com"})
    headers = {"X-Forwarded-Email": "Ops.Lead@corp.com", "X-Forwarded-Preferred-Username": "Ops Lead"}
    user = user_from_headers(headers, s)
    assert (user.email, user.display_name, user.source, user.is_admin) == (
        "Ops.Lead@corp.com", "Ops Lead", "databricks-apps", True)


def test_deployed_app_without_admin_list_fails_closed():
    s = load_settings({"DATABRICKS_WAREHOUSE_ID": "abc"})
    user = user_from_headers({"X-Forwarded-Email": "someone@corp.com"}, s)
    assert not user.is_admin
    with pytest.raises(NotAllowed, match="TELEMETRY_ADMINS"):
        require_admin(user, "trigger jobs")


def test_local_developer_is_admin_on_the_embedded_demo_only():
    assert user_from_headers({}, load_settings({})).is_admin
    assert not user_from_headers({}, load_settings({"DATABRICKS_WAREHOUSE_ID": "abc"})).is_admin


def test_self_hosted_login_identity():
    s = load_settings({"TELEMETRY_ADMINS": "admin@corp.com"})
    assert user_from_headers({}, s, login_email="admin@corp.com").source == "login"
    assert not user_from_headers({}, s, login_email="viewer@corp.com").is_admin
