-- Fragment: CTEs `span_source` and, through traces/_spans_common, `spans`: the spans table in the Zerobus / table-prefix layout (`<prefix>_otel_spans`:
-- VARIANT attributes, time, date and service_name columns) normalised to the columns every trace query
-- reads (see traces/_spans_map): VARIANT attributes become MAP<STRING, STRING> (nested values as JSON
-- text), so the queries above this fragment are the same for every layout. The `date` partition column
-- prunes files before the nanosecond bounds are applied.
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
    coalesce(s.service_name, CAST(s.resource.attributes:['service.name'] AS STRING), 'unknown_service')
      AS service_name,
    CAST(s.attributes AS MAP<STRING, STRING>) AS attributes,
    CAST(s.resource.attributes AS MAP<STRING, STRING>) AS resource_attributes,
    transform(s.events, e -> named_struct(
      'time_unix_nano', e.time_unix_nano, 'name', e.name,
      'attributes', CAST(e.attributes AS MAP<STRING, STRING>),
      'dropped_attributes_count', e.dropped_attributes_count)) AS events,
    transform(s.links, l -> named_struct(
      'trace_id', l.trace_id, 'span_id', l.span_id, 'trace_state', l.trace_state,
      'attributes', CAST(l.attributes AS MAP<STRING, STRING>),
      'dropped_attributes_count', l.dropped_attributes_count, 'flags', l.flags)) AS links
  FROM main.ops_console.apps_otel_spans AS s
  WHERE s.date BETWEEN CAST(timestamp_micros(:start_ns DIV 1000) AS DATE)
                   AND CAST(timestamp_micros(:end_ns DIV 1000) AS DATE)
    AND s.start_time_unix_nano >= :start_ns
    AND s.start_time_unix_nano < :end_ns
),
-- @include traces/_spans_common
