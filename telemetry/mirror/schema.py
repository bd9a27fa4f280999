"""Column names and Databricks types of every source table, and their DuckDB translation.

One list per table key of `telemetry.config.TABLE_SPECS`, written in Databricks/Spark DDL syntax so
the same text drives three things: the embedded mirror's DDL (via `duckdb_type`), the `doctor`
comparison against a real warehouse, and the Spark test that creates the tables in Spark.
Sources: shared/reference/system-tables.md and databricks-apis.md (§1 Genie JSON, §2.2 OTel v1).
Our own tables (`main.ops_console.*`) are designed from the Genie and Apps API shapes.
"""

from __future__ import annotations

import re

from telemetry.engine.dialect import mirror_table_name
from telemetry.mirror.schema_own import OWN_SCHEMAS

_MAP = "MAP<STRING, STRING>"
_DEC = "DECIMAL(38,18)"
_PRICE = "DECIMAL(30,18)"

_USAGE_METADATA_FIELDS = (
    "cluster_id",
    "job_id",
    "warehouse_id",
    "instance_pool_id",
    "node_type",
    "job_run_id",
    "notebook_id",
    "dlt_pipeline_id",
    "endpoint_name",
    "endpoint_id",
    "dlt_update_id",
    "dlt_maintenance_id",
    "metastore_id",
    "run_name",
    "job_name",
    "notebook_path",
    "central_clean_room_id",
    "source_region",
    "destination_region",
    "app_id",
    "app_name",
    "budget_policy_id",
    "storage_api_type",
    "ai_runtime_workload_id",
    "uc_table_catalog",
    "uc_table_schema",
    "uc_table_name",
    "database_instance_id",
    "sharing_materialization_id",
    "usage_policy_id",
    "agent_bricks_id",
    "base_environment_id",
)
USAGE_METADATA_TYPE = (
    "STRUCT<"
    + ", ".join(f"{f}: STRING" for f in _USAGE_METADATA_FIELDS)
    + ", genie: STRUCT<surface: STRING, agent_id: STRING>>"
)

QUERY_SOURCE_TYPE = (
    "STRUCT<job_info: STRUCT<job_id: STRING, job_run_id: STRING, job_task_run_id: STRING>, "
    "legacy_dashboard_id: STRING, dashboard_id: STRING, alert_id: STRING, notebook_id: STRING, "
    "sql_query_id: STRING, genie_space_id: STRING, "
    "pipeline_info: STRUCT<pipeline_id: STRING, update_id: STRING>>"
)

DATABRICKS_SCHEMAS: dict[str, list[tuple[str, str]]] = {
    "audit": [
        ("account_id", "STRING"),
        ("workspace_id", "STRING"),
        ("version", "STRING"),
        ("event_time", "TIMESTAMP"),
        ("event_date", "DATE"),
        ("source_ip_address", "STRING"),
        ("user_agent", "STRING"),
        ("session_id", "STRING"),
        ("user_identity", "STRUCT<email: STRING, subject_name: STRING>"),
        ("service_name", "STRING"),
        ("action_name", "STRING"),
        ("request_id", "STRING"),
        ("request_params", _MAP),
        ("response", "STRUCT<status_code: INT, error_message: STRING, result: STRING>"),
        ("audit_level", "STRING"),
        ("event_id", "STRING"),
        ("identity_metadata", "STRUCT<run_by: STRING, run_as: STRING>"),
    ],
    "workspaces": [
        ("account_id", "STRING"),
        ("workspace_id", "STRING"),
        ("workspace_name", "STRING"),
        ("workspace_url", "STRING"),
        ("status", "STRING"),
        ("create_time", "TIMESTAMP"),
    ],
    "billing_usage": [
        ("record_id", "STRING"),
        ("account_id", "STRING"),
        ("workspace_id", "STRING"),
        ("sku_name", "STRING"),
        ("cloud", "STRING"),
        ("usage_start_time", "TIMESTAMP"),
        ("usage_end_time", "TIMESTAMP"),
        ("usage_date", "DATE"),
        ("custom_tags", _MAP),
        ("usage_unit", "STRING"),
        ("usage_quantity", _DEC),
        ("usage_metadata", USAGE_METADATA_TYPE),
        ("identity_metadata", "STRUCT<run_as: STRING, owned_by: STRING, created_by: STRING>"),
        ("record_type", "STRING"),
        ("ingestion_date", "DATE"),
        ("billing_origin_product", "STRING"),
        (
            "product_features",
            "STRUCT<jobs_tier: STRING, sql_tier: STRING, dlt_tier: STRING, "
            "is_serverless: BOOLEAN, is_photon: BOOLEAN, serving_type: STRING>",
        ),
        ("usage_type", "STRING"),
    ],
    "list_prices": [
        ("price_start_time", "TIMESTAMP"),
        ("price_end_time", "TIMESTAMP"),
        ("account_id", "STRING"),
        ("sku_name", "STRING"),
        ("cloud", "STRING"),
        ("currency_code", "STRING"),
        ("usage_unit", "STRING"),
        (
            "pricing",
            f"STRUCT<default: {_PRICE}, promotional: STRUCT<default: {_PRICE}>, "
            f"effective_list: STRUCT<default: {_PRICE}>>",
        ),
    ],
    "query_history": [
        ("account_id", "STRING"),
        ("workspace_id", "STRING"),
        ("statement_id", "STRING"),
        ("session_id", "STRING"),
        ("execution_status", "STRING"),
        ("compute", "STRUCT<type: STRING, cluster_id: STRING, warehouse_id: STRING>"),
        ("executed_by_user_id", "STRING"),
        ("executed_by", "STRING"),
        ("statement_text", "STRING"),
        ("statement_type", "STRING"),
        ("error_message", "STRING"),
        ("client_application", "STRING"),
        ("client_driver", "STRING"),
        ("total_duration_ms", "BIGINT"),
        ("waiting_for_compute_duration_ms", "BIGINT"),
        ("waiting_at_capacity_duration_ms", "BIGINT"),
        ("execution_duration_ms", "BIGINT"),
        ("compilation_duration_ms", "BIGINT"),
        ("total_task_duration_ms", "BIGINT"),
        ("result_fetch_duration_ms", "BIGINT"),
        ("start_time", "TIMESTAMP"),
        ("end_time", "TIMESTAMP"),
        ("update_time", "TIMESTAMP"),
        ("read_partitions", "BIGINT"),
        ("pruned_files", "BIGINT"),
        ("read_files", "BIGINT"),
        ("read_rows", "BIGINT"),
        ("produced_rows", "BIGINT"),
        ("read_bytes", "BIGINT"),
        ("read_io_cache_percent", "INT"),
        ("from_result_cache", "BOOLEAN"),
        ("spilled_local_bytes", "BIGINT"),
        ("written_bytes", "BIGINT"),
        ("shuffle_read_bytes", "BIGINT"),
        ("query_source", QUERY_SOURCE_TYPE),
        ("executed_as_user_id", "STRING"),
        ("executed_as", "STRING"),
        ("written_rows", "BIGINT"),
        ("written_files", "BIGINT"),
        ("cache_origin_statement_id", "STRING"),
        ("query_tags", _MAP),
    ],
    "job_run_timeline": [
        ("account_id", "STRING"),
        ("workspace_id", "STRING"),
        ("job_id", "STRING"),
        ("run_id", "STRING"),
        ("period_start_time", "TIMESTAMP"),
        ("period_end_time", "TIMESTAMP"),
        ("trigger_type", "STRING"),
        ("run_type", "STRING"),
        ("run_name", "STRING"),
        ("compute_ids", "ARRAY<STRING>"),
        ("result_state", "STRING"),
        ("termination_code", "STRING"),
        ("job_parameters", _MAP),
    ],
    "jobs": [
        ("account_id", "STRING"),
        ("workspace_id", "STRING"),
        ("job_id", "STRING"),
        ("name", "STRING"),
        ("description", "STRING"),
        ("creator_id", "STRING"),
        ("tags", _MAP),
        ("change_time", "TIMESTAMP"),
        ("delete_time", "TIMESTAMP"),
        ("run_as", "STRING"),
        ("trigger_type", "STRING"),
    ],
    **OWN_SCHEMAS,
}

_SCALARS = {
    "STRING": "VARCHAR",
    "BIGINT": "BIGINT",
    "LONG": "BIGINT",
    "INT": "INTEGER",
    "INTEGER": "INTEGER",
    "SMALLINT": "SMALLINT",
    "TINYINT": "TINYINT",
    "DOUBLE": "DOUBLE",
    "FLOAT": "FLOAT",
    "BOOLEAN": "BOOLEAN",
    "DATE": "DATE",
    "TIMESTAMP": "TIMESTAMP",
    "TIMESTAMP_NTZ": "TIMESTAMP",
    "BINARY": "BLOB",
}
_TOKEN = re.compile(r"\s*(<|>|,|:|\(|\)|[A-Za-z_][A-Za-z0-9_]*|\d+)")


def _tokens(text: str) -> list[str]:
    out, pos = [], 0
    while pos < len(text.rstrip()):
        match = _TOKEN.match(text, pos)
        if not match:
            raise ValueError(f"cannot read type {text!r} at {pos}")
        out.append(match.group(1))
        pos = match.end()
    return out


def _parse(tokens: list[str], i: int) -> tuple[str, int]:
    """Recursive descent over a Databricks type; returns (DuckDB type, next token index)."""
    name = tokens[i].upper()
    if name == "STRUCT":
        fields, i = [], i + 2
        while tokens[i] != ">":
            field, (sub, i) = tokens[i], _parse(tokens, i + 2)
            fields.append(f'"{field}" {sub}')
            i += 1 if tokens[i] == "," else 0
        return f"STRUCT({', '.join(fields)})", i + 1
    if name == "MAP":
        key, i = _parse(tokens, i + 2)
        value, i = _parse(tokens, i + 1)
        return f"MAP({key}, {value})", i + 1
    if name == "ARRAY":
        element, i = _parse(tokens, i + 2)
        return f"{element}[]", i + 1
    if name == "DECIMAL":
        return f"DECIMAL({tokens[i + 2]},{tokens[i + 4]})", i + 6
    if name not in _SCALARS:
        raise ValueError(f"unknown Databricks type {tokens[i]!r}")
    return _SCALARS[name], i + 1


def duckdb_type(databricks_type: str) -> str:
    """`STRUCT<a: STRING, m: MAP<STRING, STRING>>` → `STRUCT("a" VARCHAR, "m" MAP(VARCHAR, VARCHAR))`."""
    tokens = _tokens(databricks_type)
    result, end = _parse(tokens, 0)
    if end != len(tokens):
        raise ValueError(f"trailing text in type {databricks_type!r}")
    return result


def create_table_sql(key: str, full_name: str) -> str:
    """DuckDB DDL for the table `key` stored at Databricks name `full_name` (through mirror_table_name)."""
    columns = ",\n  ".join(f'"{name}" {duckdb_type(kind)}' for name, kind in DATABRICKS_SCHEMAS[key])
    return f"CREATE TABLE {mirror_table_name(full_name)} (\n  {columns}\n)"


def spark_ddl(key: str) -> str:
    """The column list as Spark DDL (`a STRING, b MAP<STRING, STRING>`), used by tests and `doctor`."""
    return ", ".join(f"`{name}` {kind}" for name, kind in DATABRICKS_SCHEMAS[key])
