"""Configuration: defaults, engine choice, and bad values that must stop start-up with a fix."""

import pytest

from telemetry.config import TABLE_SPECS, ConfigError, describe, load_settings


def test_defaults_are_databricks_names_and_embedded_engine():
    s = load_settings({})
    assert s.engine == "embedded"
    assert s.table("audit") == "system.access.audit"
    assert s.table("billing_usage") == "system.billing.usage"
    assert s.table("tracker") == "main.ops_console.app_events"
    assert set(s.tables) == {spec.key for spec in TABLE_SPECS}


def test_warehouse_engine_when_a_warehouse_is_configured():
    s = load_settings({"DATABRICKS_WAREHOUSE_ID": "abc123def"})
    assert s.engine == "warehouse" and s.warehouse_id == "abc123def"
    assert load_settings({"DATABRICKS_HTTP_PATH": "/sql/1.0/warehouses/x1"}).engine == "warehouse"
    # An explicit choice wins over a bound warehouse (e.g. demoing a deployed app on the mirror).
    explicit = load_settings({"DATABRICKS_WAREHOUSE_ID": "abc", "TELEMETRY_ENGINE": "embedded"})
    assert explicit.engine == "embedded"


def test_own_schema_moves_our_tables_but_not_system_tables():
    s = load_settings({"TELEMETRY_SCHEMA": "ops.telemetry"})
    assert s.table("genie_message_details") == "ops.telemetry.genie_message_details"
    assert s.table("audit") == "system.access.audit"


def test_table_override():
    s = load_settings({"TELEMETRY_TRACKER_TABLE": "prod.analytics.events"})
    assert s.table("tracker") == "prod.analytics.events"


@pytest.mark.parametrize("bad", [
    "system.access.audit; DROP TABLE x", "a.b.c.d", "audit", "main.ops-console.x", "`main`.x.y", "1abc.x.y",
    "main.x.y --", "main.x.y'",
])
def test_bad_table_name_names_the_variable_and_the_fix(bad):
    with pytest.raises(ConfigError) as err:
        load_settings({"TELEMETRY_AUDIT_TABLE": bad})
    assert "TELEMETRY_AUDIT_TABLE" in str(err.value)
    assert "catalog.schema.table" in str(err.value)


@pytest.mark.parametrize("env, variable", [
    ({"TELEMETRY_ROW_CAP": "many"}, "TELEMETRY_ROW_CAP"),
    ({"TELEMETRY_ROW_CAP": "0"}, "TELEMETRY_ROW_CAP"),
    ({"TELEMETRY_ENGINE": "postgres"}, "TELEMETRY_ENGINE"),
    ({"TELEMETRY_ENGINE": "warehouse"}, "DATABRICKS_WAREHOUSE_ID"),
    ({"TELEMETRY_SCHEMA": "just_a_schema"}, "TELEMETRY_SCHEMA"),
    ({"DATABRICKS_WAREHOUSE_ID": "abc; drop"}, "DATABRICKS_WAREHOUSE_ID"),
    ({"TELEMETRY_AUTH_FILE": "/nonexistent/auth.yaml"}, "TELEMETRY_AUTH_FILE"),
])
def test_bad_values_are_refused_with_the_variable_named(env, variable):
    with pytest.raises(ConfigError, match=variable):
        load_settings(env)


def test_list_settings_are_split_and_trimmed():
    s = load_settings({"TELEMETRY_ADMINS": " a@x.com, b@x.com ,",
                       "TELEMETRY_APP_LOGIN_ACTIONS": "mintOAuthToken"})
    assert s.admins == ("a@x.com", "b@x.com")
    assert s.apps.login_actions == ("mintOAuthToken",)


# --- Auth file, proxy trust, regex and concurrency settings (issue "Trust") -------------------------

def _auth_file(tmp_path, text: str):
    path = tmp_path / "auth.yaml"
    path.write_text(text)
    path.chmod(0o600)
    return str(path)


CREDENTIALS = "credentials:\n  usernames:\n    alice: {email: a@x.com, name: A, password: x}\n"


@pytest.mark.parametrize("cookie", ["", "cookie: {name: c}\n", "cookie: {key: ''}\n",
                                    f"cookie: {{key: {'k' * 31}}}\n"],
                         ids=["no-cookie-section", "no-key", "empty-key", "31-chars"])
def test_auth_file_without_a_real_cookie_key_is_refused(tmp_path, cookie):
    """An empty or guessable key lets anyone forge the re-login cookie streamlit-authenticator trusts."""
    with pytest.raises(ConfigError) as err:
        load_settings({"TELEMETRY_AUTH_FILE": _auth_file(tmp_path, CREDENTIALS + cookie)})
    message = str(err.value)
    assert "TELEMETRY_AUTH_FILE" in message and "cookie: key:" in message and "32 characters" in message
    assert "secrets.token_urlsafe(32)" in message  # how to make one


def test_auth_file_cookie_key_is_read_and_never_described(tmp_path):
    key = "k" * 32
    s = load_settings({"TELEMETRY_AUTH_FILE": _auth_file(tmp_path, CREDENTIALS + f"cookie: {{key: {key}}}\n")})
    assert s.cookie_key == key and s.auth_file is not None
    assert key not in str(describe(s))  # the Admin config page and `doctor` show describe()


@pytest.mark.parametrize("text, says", [("credentials: [unclosed", "not valid YAML"),
                                        ("cookie: {key: x}\n", "credentials:"), ("- a list\n", "credentials:")])
def test_auth_file_that_is_not_a_credentials_file_is_refused(tmp_path, text, says):
    with pytest.raises(ConfigError, match="TELEMETRY_AUTH_FILE") as err:
        load_settings({"TELEMETRY_AUTH_FILE": _auth_file(tmp_path, text)})
    assert says in str(err.value)


def test_no_auth_file_means_no_cookie_key():
    s = load_settings({})
    assert s.auth_file is None and s.cookie_key == ""


@pytest.mark.parametrize("raw, trusted", [("true", True), ("1", True), ("yes", True), ("ON", True),
                                          ("false", False), ("0", False), ("no", False), ("off", False),
                                          ("auto", False), ("", False)])
def test_trust_proxy_headers_values(raw, trusted):
    assert load_settings({"TELEMETRY_TRUST_PROXY_HEADERS": raw}).trust_proxy_headers is trusted


def test_trust_proxy_headers_default_follows_the_apps_runtime():
    assert load_settings({}).trust_proxy_headers is False
    assert load_settings({"DATABRICKS_APP_NAME": "a", "DATABRICKS_APP_PORT": "8000"}).trust_proxy_headers is True


def test_trust_proxy_headers_bad_value_names_the_choices():
    with pytest.raises(ConfigError, match="TELEMETRY_TRUST_PROXY_HEADERS") as err:
        load_settings({"TELEMETRY_TRUST_PROXY_HEADERS": "maybe"})
    assert all(choice in str(err.value) for choice in ("auto", "true", "false"))


@pytest.mark.parametrize("pattern", [r"^(qa-bot|test[._-]|synthetic)", r"@example\.com$", r"(?i)^svc-"])
def test_internal_accounts_regex_accepted_by_both_engines(pattern):
    assert load_settings({"TELEMETRY_INTERNAL_ACCOUNTS_REGEX": pattern}).internal_accounts_regex == pattern


@pytest.mark.parametrize("pattern, says", [(r"(?P<bot>qa-bot)", "(?<name>…)"), (r"^test(?=\d)", "both engines accept"),
                                           (r"(a)\1", "both engines accept"), (r"[unclosed", "both engines accept")],
                         ids=["python-named-group", "lookahead", "backreference", "unbalanced"])
def test_internal_accounts_regex_refused_with_the_reason(pattern, says):
    with pytest.raises(ConfigError, match="TELEMETRY_INTERNAL_ACCOUNTS_REGEX") as err:
        load_settings({"TELEMETRY_INTERNAL_ACCOUNTS_REGEX": pattern})
    assert says in str(err.value)


def test_max_concurrent_queries():
    assert load_settings({}).max_concurrent_queries == 8
    assert load_settings({"TELEMETRY_MAX_CONCURRENT_QUERIES": "3"}).max_concurrent_queries == 3
    for bad in ("0", "-1", "many"):
        with pytest.raises(ConfigError, match="TELEMETRY_MAX_CONCURRENT_QUERIES"):
            load_settings({"TELEMETRY_MAX_CONCURRENT_QUERIES": bad})


def test_genie_settings_defaults_and_overrides():
    genie = load_settings({}).genie
    assert genie.service_name == "aibiGenie" and "genieStartConversationMessage" in genie.message_actions
    assert genie.content_roles == ("admin", "space_owner")
    custom = load_settings({"TELEMETRY_GENIE_MESSAGE_ACTIONS": " createConversationMessage , x ",
                            "TELEMETRY_GENIE_CONTENT_ROLES": "viewer", "TELEMETRY_GENIE_FAILURE_THRESHOLD": "0.3",
                            "TELEMETRY_GENIE_MAX_FETCH_ATTEMPTS": "2"}).genie
    assert custom.message_actions == ("createConversationMessage", "x")
    assert (custom.content_roles, custom.failure_rate_threshold, custom.max_fetch_attempts) == (("viewer",), 0.3, 2)


@pytest.mark.parametrize("env, says", [
    ({"TELEMETRY_GENIE_CONTENT_ROLES": "admin,everyone"}, "everyone"),
    ({"TELEMETRY_GENIE_FAILURE_THRESHOLD": "15%"}, "not a number"),
    ({"TELEMETRY_GENIE_FAILURE_THRESHOLD": "1.5"}, "between 0 and 1"),
    ({"TELEMETRY_GENIE_MAX_FETCH_ATTEMPTS": "0"}, "at least 1"),
])
def test_bad_genie_settings_are_refused_with_the_variable_named(env, says):
    with pytest.raises(ConfigError) as err:
        load_settings(env)
    assert says in str(err.value) and next(iter(env)) in str(err.value)


def test_genie_and_apps_settings_are_described():
    described = dict(describe(load_settings({})))
    assert described["genie.content_roles"] == "admin,space_owner"
    assert described["apps.service_name"] == "apps"
