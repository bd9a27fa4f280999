"""The generated tables agree with each other the way Databricks' tables do."""

from __future__ import annotations

import pytest

from telemetry.config import AppsAuditConfig
from telemetry.mirror.schema import DATABRICKS_SCHEMAS
from tests.mirror.conftest import DAYS, NOW, scalar

LOGIN_ACTIONS = (
    "('workspaceInHouseOAuthClientAuthentication', 'mintOAuthToken', 'mintOAuthAuthorizationCode')"
)


def test_every_table_has_rows(mirror_build):
    _, report, _ = mirror_build
    empty = [key for key, n in report.rows.items() if n == 0]
    assert not empty, f"empty tables: {empty}"


def test_every_app_login_client_id_belongs_to_an_inventory_app(con, t):
    excluded = AppsAuditConfig().excluded_client_ids
    orphans = scalar(
        con,
        f"""
        SELECT count(*) FROM {t["audit"]} a
        WHERE action_name IN {LOGIN_ACTIONS} AND request_params['client_id'] NOT IN {tuple(excluded) + ("",)}
          AND request_params['client_id'] NOT IN (SELECT oauth2_app_client_id FROM {t["apps_inventory"]})""",
    )
    assert orphans == 0
    assert (
        scalar(con, f"SELECT count(*) FROM {t['audit']} WHERE request_params['client_id'] = 'databricks-cli'")
        > 0
    )
    assert (
        scalar(
            con, f"SELECT count(DISTINCT service_name) FROM {t['audit']} WHERE action_name IN {LOGIN_ACTIONS}"
        )
        == 1
    )


def test_lifecycle_events_name_inventory_apps(con, t):
    missing = scalar(
        con,
        f"""
        SELECT count(*) FROM {t["audit"]}
        WHERE service_name = 'apps'
          AND coalesce(request_params['name'], request_params['app_name'],
                       request_params['request_object_id'],
                       json_extract_string(request_params['app'], '$.name'))
              NOT IN (SELECT name FROM {t["apps_inventory"]})""",
    )
    assert missing == 0
    acl = con.execute(f"""SELECT request_params['request_object_type'], request_params['access_control_list']
                          FROM {t["audit"]} WHERE action_name = 'changeAppsAcl' LIMIT 1""").fetchone()
    assert acl[0] == "apps" and '"permission_level"' in acl[1]
    assert (
        scalar(
            con,
            f"SELECT count(*) FROM {t['audit']} WHERE action_name = 'deployApp' "
            "AND response.status_code <> 200 AND response.error_message IS NOT NULL",
        )
        > 0
    )


def test_every_genie_statement_id_is_in_query_history(con, t):
    missing = scalar(
        con,
        f"""
        SELECT count(*) FROM {t["genie_message_details"]} d
        WHERE d.statement_id IS NOT NULL AND d.statement_id NOT IN (
          SELECT statement_id FROM {t["query_history"]} WHERE query_source.genie_space_id = d.space_id)""",
    )
    assert missing == 0
    assert (
        scalar(con, f"SELECT count(*) FROM {t['genie_message_details']} WHERE statement_id IS NOT NULL") > 0
    )
    client = con.execute(
        f"SELECT DISTINCT client_application FROM {t['query_history']} "
        "WHERE query_source.genie_space_id IS NOT NULL"
    ).fetchall()
    assert client == [("Databricks SQL Genie Space",)]


def test_genie_messages_come_from_audit_events(con, t):
    missing = scalar(
        con,
        f"""
        SELECT count(*) FROM {t["genie_messages_to_fetch"]} f WHERE NOT EXISTS (
          SELECT 1 FROM {t["audit"]} a WHERE a.service_name = 'aibiGenie'
            AND a.request_params['message_id'] = f.message_id
            AND a.request_params['space_id'] = f.space_id)""",
    )
    assert missing == 0
    not_queued = scalar(
        con,
        f"""
        SELECT count(*) FROM {t["genie_message_details"]} d
        WHERE d.message_id NOT IN (
          SELECT message_id FROM {t["genie_messages_to_fetch"]} WHERE status = 'FETCHED')""",
    )
    assert not_queued == 0
    spaces = scalar(
        con,
        f"""SELECT count(*) FROM {t["query_history"]} WHERE query_source.genie_space_id IS NOT NULL
        AND query_source.genie_space_id NOT IN (SELECT space_id FROM {t["genie_space_details"]})""",
    )
    assert spaces == 0


def test_every_span_parent_exists_in_its_trace(con, t):
    orphans = scalar(
        con,
        f"""
        SELECT count(*) FROM {t["spans"]} s WHERE s.parent_span_id <> '' AND NOT EXISTS (
          SELECT 1 FROM {t["spans"]} p WHERE p.trace_id = s.trace_id AND p.span_id = s.parent_span_id)""",
    )
    assert orphans == 0
    roots = con.execute(f"""SELECT count(*), count(DISTINCT trace_id), min(kind), max(kind)
                            FROM {t["spans"]} WHERE parent_span_id = ''""").fetchone()
    assert roots[0] == roots[1] == scalar(con, f"SELECT count(DISTINCT trace_id) FROM {t['spans']}")
    assert roots[2] == roots[3] == "SPAN_KIND_SERVER"
    inside = scalar(
        con,
        f"""SELECT count(*) FROM {t["spans"]} s JOIN {t["spans"]} p
        ON p.trace_id = s.trace_id AND p.span_id = s.parent_span_id
        WHERE s.start_time_unix_nano < p.start_time_unix_nano
           OR s.end_time_unix_nano > p.end_time_unix_nano""",
    )
    assert inside == 0, "child spans must lie within their parent"


def test_span_errors_carry_an_exception_event(con, t):
    row = con.execute(f"""SELECT count(*), count_if(len(events) = 1 AND events[1].name = 'exception'
                                AND events[1].attributes['exception.type'] IS NOT NULL)
                          FROM {t["spans"]} WHERE status.code = 'STATUS_CODE_ERROR'""").fetchone()
    assert row[0] > 0 and row[0] == row[1]
    service = scalar(
        con,
        f"""SELECT count(*) FROM {t["spans"]}
        WHERE resource.attributes['service.name'] NOT IN (SELECT name FROM {t["apps_inventory"]})""",
    )
    assert service == 0
    llm = con.execute(f"""SELECT count(*), min(CAST(attributes['gen_ai.usage.input_tokens'] AS INT))
                          FROM {t["spans"]} WHERE attributes['gen_ai.operation.name'] = 'chat'""").fetchone()
    assert llm[0] > 0 and llm[1] > 0


def test_billing_rows_fall_in_the_window_and_name_real_things(con, t):
    start, end = con.execute(
        f"""SELECT min(usage_start_time), max(usage_end_time) FROM {t["billing_usage"]}"""
    ).fetchone()
    window_start = scalar(con, "SELECT window_start FROM ops_console_meta.build_info")
    assert start >= window_start and end <= NOW
    orphans = scalar(
        con,
        f"""SELECT count(*) FROM {t["billing_usage"]} WHERE billing_origin_product = 'APPS'
        AND (usage_metadata.app_id NOT IN (SELECT app_id FROM {t["apps_inventory"]})
             OR usage_metadata.app_name IS NULL)""",
    )
    assert orphans == 0
    genie = con.execute(f"""SELECT count(*), count_if(usage_metadata.genie.agent_id IN
        (SELECT space_id FROM {t["genie_space_details"]})) FROM {t["billing_usage"]}
        WHERE billing_origin_product = 'GENIE'""").fetchone()
    assert genie[0] > 0 and genie[0] == genie[1]
    unpriced = scalar(
        con,
        f"""SELECT count(*) FROM {t["billing_usage"]} u WHERE NOT EXISTS (
        SELECT 1 FROM {t["list_prices"]} p WHERE p.sku_name = u.sku_name AND p.cloud = u.cloud
          AND u.usage_start_time >= p.price_start_time
          AND (p.price_end_time IS NULL OR u.usage_end_time <= p.price_end_time))""",
    )
    assert unpriced == 0
    types = {r[0] for r in con.execute(f"SELECT DISTINCT record_type FROM {t['billing_usage']}").fetchall()}
    assert types == {"ORIGINAL", "RETRACTION", "RESTATEMENT"}


def test_one_price_changes_inside_the_window(con, t):
    window_start = scalar(con, "SELECT window_start FROM ops_console_meta.build_info")
    changed = con.execute(
        f"SELECT count(*) FROM {t['list_prices']} WHERE price_end_time BETWEEN ? AND ?", [window_start, NOW]
    ).fetchone()[0]
    assert changed == 1
    assert (
        scalar(con, f"SELECT count(*) FROM {t['list_prices']} WHERE pricing.effective_list.default IS NULL")
        == 0
    )


def _timestamp_columns(con, table: str) -> list[str]:
    schema, name = table.split(".")
    return [
        r[0]
        for r in con.execute(
            "SELECT column_name FROM information_schema.columns WHERE table_schema = ? "
            "AND table_name = ? AND data_type = 'TIMESTAMP'",
            [schema, name],
        ).fetchall()
    ]


# Dimension "since" columns may predate the window (an app created last year); facts may not.
BEFORE_WINDOW_OK = {"create_time", "change_time", "price_start_time", "update_time", "event_time"}


@pytest.mark.parametrize("key", sorted(DATABRICKS_SCHEMAS))
def test_no_future_timestamps_and_facts_inside_the_window(con, t, key):
    window_start = scalar(con, "SELECT window_start FROM ops_console_meta.build_info")
    for column in _timestamp_columns(con, t[key]):
        low, high = con.execute(f'SELECT min("{column}"), max("{column}") FROM {t[key]}').fetchone()
        if high is None:
            continue
        assert high <= NOW, f"{key}.{column} has a future timestamp {high}"
        if column not in BEFORE_WINDOW_OK or key in ("audit", "query_history"):
            assert low >= window_start, f"{key}.{column} starts {low}, before the window"
    assert (NOW - window_start).days == DAYS


def test_spans_nanoseconds_and_tracker_inside_the_window(con, t):
    window_start = scalar(con, "SELECT window_start FROM ops_console_meta.build_info")
    low, high = con.execute(
        f"SELECT min(start_time_unix_nano), max(end_time_unix_nano) FROM {t['spans']}"
    ).fetchone()
    assert window_start.timestamp() * 1e9 <= low and high <= NOW.timestamp() * 1e9
    unknown = scalar(
        con,
        f"""SELECT count(*) FROM {t["tracker"]} WHERE app_name NOT IN
        (SELECT name FROM {t["apps_inventory"]}) AND app_name <> 'ops-console'""",  # the console's own audit
    )
    assert unknown == 0


def test_nested_fields_we_fill_are_filled(con, t):
    """DuckDB drops misspelt struct fields silently on insert; these must be set."""
    checks = {
        "audit": "user_identity.email IS NULL OR response.status_code IS NULL",
        "query_history": "compute.warehouse_id IS NULL AND compute.type = 'WAREHOUSE'",
        "billing_usage": "billing_origin_product = 'SQL' AND usage_metadata.warehouse_id IS NULL "
        "OR billing_origin_product = 'JOBS' AND usage_metadata.job_run_id IS NULL",
        "spans": "resource.attributes['service.name'] IS NULL OR instrumentation_scope.name IS NULL",
    }
    for key, bad in checks.items():
        assert scalar(con, f"SELECT count(*) FROM {t[key]} WHERE {bad}") == 0, key


def test_job_runs_have_one_final_slice(con, t):
    bad = scalar(
        con,
        f"""SELECT count(*) FROM (SELECT run_id, count_if(result_state IS NOT NULL) AS n
                          FROM {t["job_run_timeline"]} GROUP BY run_id) WHERE n <> 1""",
    )
    assert bad == 0
    from telemetry.mirror.jobs import CONSOLE_JOBS

    console = scalar(con, f"SELECT count(*) FROM {t['jobs']} WHERE name LIKE 'ops-console-%'")
    assert console == len(CONSOLE_JOBS) == 3  # the bundle's three ingestion jobs (databricks.yml)
