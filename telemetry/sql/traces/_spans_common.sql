-- Fragment: CTE `spans`, the span columns every trace query reads, from CTE `span_source` (one per
-- layout: traces/_spans_map, _spans_variant, _spans_collector include this after it): kind and status
-- code as short names (SERVER, ERROR) whichever spelling the writer used (SPAN_KIND_SERVER, SERVER or
-- 2; STATUS_CODE_ERROR, ERROR or 2), and duration_ms.
spans AS (
  SELECT
    trace_id,
    span_id,
    parent_span_id,
    name,
    CASE
      WHEN raw_kind IN ('SPAN_KIND_SERVER', 'SERVER', '2') THEN 'SERVER'
      WHEN raw_kind IN ('SPAN_KIND_CLIENT', 'CLIENT', '3') THEN 'CLIENT'
      WHEN raw_kind IN ('SPAN_KIND_PRODUCER', 'PRODUCER', '4') THEN 'PRODUCER'
      WHEN raw_kind IN ('SPAN_KIND_CONSUMER', 'CONSUMER', '5') THEN 'CONSUMER'
      WHEN raw_kind IN ('SPAN_KIND_INTERNAL', 'INTERNAL', '1') THEN 'INTERNAL'
      ELSE 'UNSPECIFIED'
    END AS kind,
    start_ns,
    end_ns,
    (end_ns - start_ns) / 1000000.0 AS duration_ms,
    CASE
      WHEN raw_status IN ('STATUS_CODE_ERROR', 'ERROR', '2') THEN 'ERROR'
      WHEN raw_status IN ('STATUS_CODE_OK', 'OK', '1') THEN 'OK'
      ELSE 'UNSET'
    END AS status_code,
    status_message,
    service_name,
    attributes,
    resource_attributes,
    events,
    links
  FROM span_source
),
