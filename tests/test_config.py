"""Configuration: defaults, engine choice, and bad values that must stop start-up with a fix."""

import pytest

from telemetry.config import TABLE_SPECS, ConfigError, load_settings


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
