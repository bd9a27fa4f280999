"""Columns of the console's own tables (`main.ops_console.*` by default) and the OTel spans table.

Designed from the API shapes they are filled from (databricks-apis.md): the Apps API App object
(apps_inventory), the GenieMessage / GenieSpace JSON (genie_*), and the generation-B "OTel v1"
spans table exactly as Databricks' ingest expects it (§2.2). The tracker table has exactly the four
columns the in-app tracker writes.
"""

from __future__ import annotations

_MAP = "MAP<STRING, STRING>"
_OTEL_EVENTS = (
    f"ARRAY<STRUCT<time_unix_nano: BIGINT, name: STRING, attributes: {_MAP}, dropped_attributes_count: INT>>"
)
_OTEL_LINKS = (
    f"ARRAY<STRUCT<trace_id: STRING, span_id: STRING, trace_state: STRING, attributes: {_MAP}, "
    "dropped_attributes_count: INT, flags: INT>>"
)


OWN_SCHEMAS: dict[str, list[tuple[str, str]]] = {
    "apps_inventory": [
        ("workspace_id", "STRING"),
        ("app_id", "STRING"),
        ("name", "STRING"),
        ("description", "STRING"),
        ("creator", "STRING"),
        ("owners", "ARRAY<STRING>"),
        ("oauth2_app_client_id", "STRING"),
        ("service_principal_id", "BIGINT"),
        ("service_principal_client_id", "STRING"),
        ("service_principal_name", "STRING"),
        ("url", "STRING"),
        ("compute_size", "STRING"),
        ("compute_state", "STRING"),
        ("app_state", "STRING"),
        ("create_time", "TIMESTAMP"),
        ("update_time", "TIMESTAMP"),
        ("updater", "STRING"),
        ("resources", "STRING"),  # JSON array of the app's resources, as the Apps API returns them
        ("last_deployment_id", "STRING"),
        ("last_deployment_status", "STRING"),
        ("last_deployment_time", "TIMESTAMP"),
        ("snapshot_time", "TIMESTAMP"),
        ("deleted_time", "TIMESTAMP"),  # set when the app disappeared from the Apps API list
    ],
    "genie_messages_to_fetch": [
        ("workspace_id", "STRING"),
        ("space_id", "STRING"),
        ("conversation_id", "STRING"),
        ("message_id", "STRING"),
        ("user_email", "STRING"),
        ("source_action", "STRING"),
        ("event_time", "TIMESTAMP"),
        ("discovered_at", "TIMESTAMP"),
        ("status", "STRING"),
        ("attempts", "INT"),
        ("last_attempt_at", "TIMESTAMP"),
    ],
    "genie_message_details": [
        ("workspace_id", "STRING"),
        ("space_id", "STRING"),
        ("conversation_id", "STRING"),
        ("message_id", "STRING"),
        ("user_id", "STRING"),
        ("user_email", "STRING"),
        ("conversation_title", "STRING"),
        ("content", "STRING"),
        ("status", "STRING"),
        ("error_type", "STRING"),
        ("error_message", "STRING"),
        ("created_timestamp", "TIMESTAMP"),
        ("last_updated_timestamp", "TIMESTAMP"),
        ("attachment_id", "STRING"),
        ("generated_sql", "STRING"),
        ("query_title", "STRING"),
        ("query_description", "STRING"),
        ("statement_id", "STRING"),
        ("row_count", "BIGINT"),
        ("is_truncated", "BOOLEAN"),
        ("text_response", "STRING"),
        ("suggested_questions", "ARRAY<STRING>"),
        ("feedback_rating", "STRING"),
        ("feedback_comment", "STRING"),
        ("attachments", "STRING"),  # the message's attachments as received (JSON array): thoughts, parameters
        ("fetched_at", "TIMESTAMP"),
    ],
    "genie_space_details": [
        ("workspace_id", "STRING"),
        ("space_id", "STRING"),
        ("title", "STRING"),
        ("description", "STRING"),
        ("warehouse_id", "STRING"),
        ("parent_path", "STRING"),
        ("creator", "STRING"),
        ("create_time", "TIMESTAMP"),
        ("update_time", "TIMESTAMP"),
        ("serialized_space", "STRING"),
        # Parsed from serialized_space (its structure is versioned; unknown versions parse what they can).
        ("space_version", "INT"),
        ("tables", "ARRAY<STRING>"),
        ("instructions", "STRING"),
        ("sample_questions", "ARRAY<STRING>"),
        ("sample_question_count", "INT"),
        ("instruction_count", "INT"),
        ("example_sql_count", "INT"),
        ("benchmark_count", "INT"),
        ("fetched_at", "TIMESTAMP"),
        ("deleted_time", "TIMESTAMP"),  # set when the space disappeared from list_spaces
    ],
    "genie_fetch_errors": [
        ("workspace_id", "STRING"),
        ("space_id", "STRING"),
        ("conversation_id", "STRING"),
        ("message_id", "STRING"),
        ("attempted_at", "TIMESTAMP"),
        ("attempt", "INT"),
        ("http_status", "INT"),
        ("error_code", "STRING"),
        ("error_message", "STRING"),
        ("resolved_at", "TIMESTAMP"),  # when a later attempt fetched the message (NULL: still failing)
    ],
    "tracker": [
        ("timestamp", "TIMESTAMP"),
        ("app_name", "STRING"),
        ("user", "STRING"),
        ("action", "STRING"),
        # The extended layout (telemetry/tracker/layout.py): the tracker library fills these; rows written
        # before the table was extended have them NULL, as the demo's journeys do.
        ("event_id", "STRING"),
        ("session_id", "STRING"),
        ("properties", "STRING"),
        ("duration_ms", "DOUBLE"),
    ],
    "spans": [
        ("trace_id", "STRING"),
        ("span_id", "STRING"),
        ("trace_state", "STRING"),
        ("parent_span_id", "STRING"),
        ("flags", "INT"),
        ("name", "STRING"),
        ("kind", "STRING"),
        ("start_time_unix_nano", "BIGINT"),
        ("end_time_unix_nano", "BIGINT"),
        ("attributes", _MAP),
        ("dropped_attributes_count", "INT"),
        ("events", _OTEL_EVENTS),
        ("dropped_events_count", "INT"),
        ("links", _OTEL_LINKS),
        ("dropped_links_count", "INT"),
        ("status", "STRUCT<message: STRING, code: STRING>"),
        ("resource", f"STRUCT<attributes: {_MAP}, dropped_attributes_count: INT>"),
        ("resource_schema_url", "STRING"),
        (
            "instrumentation_scope",
            f"STRUCT<name: STRING, version: STRING, attributes: {_MAP}, dropped_attributes_count: INT>",
        ),
        ("span_schema_url", "STRING"),
    ],
}
