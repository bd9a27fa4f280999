-- Fragment: CTE `spans`: the spans table in the OTel v1 layout (MLflow's otel_spans with MAP
-- attributes; the embedded mirror) normalised to the columns every trace query reads, for spans that
-- start in [:start_ns, :end_ns): parent_span_id NULL for roots; kind and status_code as short names
-- (SERVER, ERROR) whichever spelling the writer used (SPAN_KIND_SERVER, SERVER or 2); service_name
-- from resource.attributes['service.name']; duration_ms.
spans AS (
  SELECT
    s.trace_id,
    s.span_id,
    nullif(s.parent_span_id, '') AS parent_span_id,
    s.name,
    CASE
      WHEN s.kind IN ('SPAN_KIND_SERVER', 'SERVER', '2') THEN 'SERVER'
      WHEN s.kind IN ('SPAN_KIND_CLIENT', 'CLIENT', '3') THEN 'CLIENT'
      WHEN s.kind IN ('SPAN_KIND_PRODUCER', 'PRODUCER', '4') THEN 'PRODUCER'
      WHEN s.kind IN ('SPAN_KIND_CONSUMER', 'CONSUMER', '5') THEN 'CONSUMER'
      WHEN s.kind IN ('SPAN_KIND_INTERNAL', 'INTERNAL', '1') THEN 'INTERNAL'
      ELSE 'UNSPECIFIED'
    END AS kind,
    s.start_time_unix_nano AS start_ns,
    s.end_time_unix_nano AS end_ns,
    (s.end_time_unix_nano - s.start_time_unix_nano) / 1000000.0 AS duration_ms,
    CASE
      WHEN s.status.code IN ('STATUS_CODE_ERROR', 'ERROR', '2') THEN 'ERROR'
      WHEN s.status.code IN ('STATUS_CODE_OK', 'OK', '1') THEN 'OK'
      ELSE 'UNSET'
    END AS status_code,
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
