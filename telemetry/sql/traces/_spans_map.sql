-- Fragment: CTEs `span_source` and, through traces/_spans_common, `spans`: the spans table in the OTel v1 layout (MLflow's otel_spans with MAP
-- attributes; the embedded mirror) normalised to the columns every trace query reads, for spans that
-- start in [:start_ns, :end_ns): parent_span_id NULL for roots; kind and status_code as short names
-- (SERVER, ERROR) whichever spelling the writer used (SPAN_KIND_SERVER, SERVER or 2); service_name
-- from resource.attributes['service.name']; duration_ms.
span_source AS (
  SELECT
    s.trace_id,
    s.span_id,
    nullif(s.parent_span_id, '') AS parent_span_id,
    s.name,
    s.kind AS raw_kind,
    s.start_time_unix_nano AS start_ns,
    s.end_time_unix_nano AS end_ns,
    s.status.code AS raw_status,
    s.status.message AS status_message,
    coalesce(s.resource.attributes['service.name'], 'unknown_service') AS service_name,
    s.attributes,
    s.resource.attributes AS resource_attributes,
    s.events,
    s.links
  FROM main.ops_console.apps_otel_spans AS s
  WHERE s.start_time_unix_nano >= :start_ns
    AND s.start_time_unix_nano < :end_ns
),
-- @include traces/_spans_common
