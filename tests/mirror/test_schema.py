"""The mirror's tables have the documented columns with the documented (nested) types.

Expected columns are written out here from shared/reference/system-tables.md and
databricks-apis.md §2.2, independently of telemetry/mirror/schema.py, so a drift in either shows.
"""

from __future__ import annotations

import pytest

from telemetry.config import TABLE_SPECS
from telemetry.mirror.schema import DATABRICKS_SCHEMAS, create_table_sql, duckdb_type, spark_ddl

MAP = "MAP<STRING, STRING>"
DOCUMENTED = {
    "audit": {
        "account_id": "STRING",
        "workspace_id": "STRING",
        "version": "STRING",
        "event_time": "TIMESTAMP",
        "event_date": "DATE",
        "source_ip_address": "STRING",
        "user_agent": "STRING",
        "session_id": "STRING",
        "user_identity": "STRUCT<email: STRING, subject_name: STRING>",
        "service_name": "STRING",
        "action_name": "STRING",
        "request_id": "STRING",
        "request_params": MAP,
        "response": "STRUCT<status_code: INT, error_message: STRING, result: STRING>",
        "audit_level": "STRING",
        "event_id": "STRING",
        "identity_metadata": "STRUCT<run_by: STRING, run_as: STRING>",
    },
    "workspaces": {
        "account_id": "STRING",
        "workspace_id": "STRING",
        "workspace_name": "STRING",
        "workspace_url": "STRING",
        "status": "STRING",
        "create_time": "TIMESTAMP",
    },
    "query_history": {
        "account_id": "STRING",
        "workspace_id": "STRING",
        "statement_id": "STRING",
        "session_id": "STRING",
        "execution_status": "STRING",
        "compute": "STRUCT<type: STRING, cluster_id: STRING, warehouse_id: STRING>",
        "executed_by_user_id": "STRING",
        "executed_by": "STRING",
        "statement_text": "STRING",
        "statement_type": "STRING",
        "error_message": "STRING",
        "client_application": "STRING",
        "client_driver": "STRING",
        "total_duration_ms": "BIGINT",
        "waiting_for_compute_duration_ms": "BIGINT",
        "waiting_at_capacity_duration_ms": "BIGINT",
        "execution_duration_ms": "BIGINT",
        "compilation_duration_ms": "BIGINT",
        "total_task_duration_ms": "BIGINT",
        "result_fetch_duration_ms": "BIGINT",
        "start_time": "TIMESTAMP",
        "end_time": "TIMESTAMP",
        "update_time": "TIMESTAMP",
        "read_partitions": "BIGINT",
        "pruned_files": "BIGINT",
        "read_files": "BIGINT",
        "read_rows": "BIGINT",
        "produced_rows": "BIGINT",
        "read_bytes": "BIGINT",
        "read_io_cache_percent": "INT",
        "from_result_cache": "BOOLEAN",
        "spilled_local_bytes": "BIGINT",
        "written_bytes": "BIGINT",
        "shuffle_read_bytes": "BIGINT",
        "executed_as_user_id": "STRING",
        "executed_as": "STRING",
        "query_tags": MAP,
    },
    "billing_usage": {
        "record_id": "STRING",
        "account_id": "STRING",
        "workspace_id": "STRING",
        "sku_name": "STRING",
        "cloud": "STRING",
        "usage_start_time": "TIMESTAMP",
        "usage_end_time": "TIMESTAMP",
        "usage_date": "DATE",
        "custom_tags": MAP,
        "usage_unit": "STRING",
        "usage_quantity": "DECIMAL(38,18)",
        "identity_metadata": "STRUCT<run_as: STRING, owned_by: STRING, created_by: STRING>",
        "record_type": "STRING",
        "ingestion_date": "DATE",
        "billing_origin_product": "STRING",
        "usage_type": "STRING",
    },
    "list_prices": {
        "price_start_time": "TIMESTAMP",
        "price_end_time": "TIMESTAMP",
        "account_id": "STRING",
        "sku_name": "STRING",
        "cloud": "STRING",
        "currency_code": "STRING",
        "usage_unit": "STRING",
    },
    "job_run_timeline": {
        "account_id": "STRING",
        "workspace_id": "STRING",
        "job_id": "STRING",
        "run_id": "STRING",
        "period_start_time": "TIMESTAMP",
        "period_end_time": "TIMESTAMP",
        "trigger_type": "STRING",
        "run_type": "STRING",
        "run_name": "STRING",
        "compute_ids": "ARRAY<STRING>",
        "result_state": "STRING",
        "termination_code": "STRING",
        "job_parameters": MAP,
    },
    "jobs": {
        "account_id": "STRING",
        "workspace_id": "STRING",
        "job_id": "STRING",
        "name": "STRING",
        "description": "STRING",
        "creator_id": "STRING",
        "tags": MAP,
        "change_time": "TIMESTAMP",
        "delete_time": "TIMESTAMP",
        "run_as": "STRING",
    },
    "tracker": {"timestamp": "TIMESTAMP", "app_name": "STRING", "user": "STRING", "action": "STRING"},
}
OTEL_V1 = [
    ("trace_id", "STRING"),
    ("span_id", "STRING"),
    ("trace_state", "STRING"),
    ("parent_span_id", "STRING"),
    ("flags", "INT"),
    ("name", "STRING"),
    ("kind", "STRING"),
    ("start_time_unix_nano", "BIGINT"),
    ("end_time_unix_nano", "BIGINT"),
    ("attributes", MAP),
    ("dropped_attributes_count", "INT"),
    (
        "events",
        f"ARRAY<STRUCT<time_unix_nano: BIGINT, name: STRING, attributes: {MAP}, "
        "dropped_attributes_count: INT>>",
    ),
    ("dropped_events_count", "INT"),
    (
        "links",
        f"ARRAY<STRUCT<trace_id: STRING, span_id: STRING, trace_state: STRING, attributes: {MAP}, "
        "dropped_attributes_count: INT, flags: INT>>",
    ),
    ("dropped_links_count", "INT"),
    ("status", "STRUCT<message: STRING, code: STRING>"),
    ("resource", f"STRUCT<attributes: {MAP}, dropped_attributes_count: INT>"),
    ("resource_schema_url", "STRING"),
    (
        "instrumentation_scope",
        f"STRUCT<name: STRING, version: STRING, attributes: {MAP}, dropped_attributes_count: INT>",
    ),
    ("span_schema_url", "STRING"),
]
USAGE_METADATA_DOCUMENTED = (
    "cluster_id",
    "job_id",
    "job_run_id",
    "job_name",
    "notebook_id",
    "notebook_path",
    "warehouse_id",
    "instance_pool_id",
    "node_type",
    "dlt_pipeline_id",
    "endpoint_name",
    "central_clean_room_id",
    "run_name",
    "ai_runtime_workload_id",
    "agent_bricks_id",
    "usage_policy_id",
    "app_id",
    "app_name",
)


def _norm(kind: str) -> str:
    return kind.replace(" ", "").upper()


SOURCE_KEYS = {"audit", "workspaces", "billing_usage", "list_prices", "query_history", "job_run_timeline",
               "jobs", "apps_inventory", "genie_messages_to_fetch", "genie_message_details",
               "genie_space_details", "genie_fetch_errors", "tracker", "spans"}


def test_every_source_table_has_a_schema():
    """Source tables are mirrored; derived tables (the console's rollups) are the console's own business."""
    assert set(DATABRICKS_SCHEMAS) == SOURCE_KEYS
    assert {spec.key for spec in TABLE_SPECS} >= SOURCE_KEYS


@pytest.mark.parametrize("key", sorted(DOCUMENTED))
def test_documented_columns_have_documented_types(key):
    have = {name: _norm(kind) for name, kind in DATABRICKS_SCHEMAS[key]}
    for name, kind in DOCUMENTED[key].items():
        assert name in have, f"{key}.{name} is documented but missing"
        assert have[name] == _norm(kind), f"{key}.{name}: {have[name]} != {kind}"


def test_spans_table_is_exactly_the_otel_v1_schema():
    assert [(n, _norm(k)) for n, k in DATABRICKS_SCHEMAS["spans"]] == [(n, _norm(k)) for n, k in OTEL_V1]


def test_tracker_has_the_classic_four_columns_then_the_extended_ones():
    """The four columns every tracker table has, in their order, then the optional ones the tracker
    library fills (the demo has the extended layout, so the admin audit keeps its properties)."""
    from telemetry.tracker.events import CLASSIC, EXTENDED

    assert tuple(n for n, _ in DATABRICKS_SCHEMAS["tracker"]) == CLASSIC + EXTENDED


def test_nested_types_of_query_source_usage_metadata_and_pricing():
    types = {k: dict(DATABRICKS_SCHEMAS[k]) for k in ("query_history", "billing_usage", "list_prices")}
    source = _norm(types["query_history"]["query_source"])
    assert "JOB_INFO:STRUCT<JOB_ID:STRING,JOB_RUN_ID:STRING,JOB_TASK_RUN_ID:STRING>" in source
    assert "GENIE_SPACE_ID:STRING" in source and "DASHBOARD_ID:STRING" in source
    metadata = _norm(types["billing_usage"]["usage_metadata"])
    for field in USAGE_METADATA_DOCUMENTED:
        assert f"{field.upper()}:STRING" in metadata, field
    assert "GENIE:STRUCT<SURFACE:STRING,AGENT_ID:STRING>" in metadata
    pricing = _norm(types["list_prices"]["pricing"])
    assert pricing.startswith("STRUCT<DEFAULT:DECIMAL")
    assert "PROMOTIONAL:STRUCT<DEFAULT:" in pricing and "EFFECTIVE_LIST:STRUCT<DEFAULT:" in pricing


@pytest.mark.parametrize(
    ("databricks", "duck"),
    [
        ("STRING", "VARCHAR"),
        ("INT", "INTEGER"),
        ("DECIMAL(38,18)", "DECIMAL(38,18)"),
        ("ARRAY<STRING>", "VARCHAR[]"),
        ("MAP<STRING, STRING>", "MAP(VARCHAR, VARCHAR)"),
        (
            "STRUCT<default: DECIMAL(30,18), p: STRUCT<default: DECIMAL(30,18)>>",
            'STRUCT("default" DECIMAL(30,18), "p" STRUCT("default" DECIMAL(30,18)))',
        ),
        (
            "ARRAY<STRUCT<a: BIGINT, m: MAP<STRING, STRING>>>",
            'STRUCT("a" BIGINT, "m" MAP(VARCHAR, VARCHAR))[]',
        ),
    ],
)
def test_duckdb_type_translation(databricks, duck):
    assert duckdb_type(databricks) == duck


def test_duckdb_type_rejects_unknown_types():
    with pytest.raises(ValueError):
        duckdb_type("STRUCT<a: VARIANTX>")


def test_create_table_sql_uses_the_mirror_name():
    sql = create_table_sql("audit", "system.access.audit")
    assert sql.startswith("CREATE TABLE system__access.audit (")


@pytest.mark.parametrize("key", sorted(DATABRICKS_SCHEMAS))
def test_built_tables_have_the_schema(con, t, key):
    """The demo file's DuckDB types equal the translation of every Databricks type, column by column."""
    schema, table = t[key].split(".")
    rows = con.execute(
        "SELECT column_name, data_type FROM information_schema.columns WHERE table_schema = ? "
        "AND table_name = ? ORDER BY ordinal_position",
        [schema, table],
    ).fetchall()
    expected = [(name, duckdb_type(kind)) for name, kind in DATABRICKS_SCHEMAS[key]]
    assert [(n, d.replace('"', "").replace(" ", "")) for n, d in rows] == [
        (n, d.replace('"', "").replace(" ", "")) for n, d in expected
    ]


@pytest.mark.spark
def test_schemas_are_valid_spark_ddl(spark):
    from pyspark.sql.types import StructType

    for key in DATABRICKS_SCHEMAS:
        parsed = StructType.fromDDL(spark_ddl(key))
        assert [f.name for f in parsed.fields] == [n for n, _ in DATABRICKS_SCHEMAS[key]]
