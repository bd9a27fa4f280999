-- Fragment: CTEs `span_source` and, through traces/_spans_common, `spans`: the collector app's `<prefix>_spans` table (generation A: MAP attributes with
-- every value as text, no resource column, the resource's attributes copied into the span's with a
-- `resource.` prefix, short enum names) normalised to the columns every trace query reads (see
-- traces/_spans_map). The resource map is rebuilt from the prefixed keys.
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
    coalesce(s.attributes['resource.service.name'], 'unknown_service') AS service_name,
    map_filter(s.attributes, (k, v) -> NOT startswith(k, 'resource.')) AS attributes,
    map_from_entries(transform(
      filter(map_entries(s.attributes), e -> startswith(e.key, 'resource.')),
      e -> struct(substring(e.key, 10) AS key, e.value AS value))) AS resource_attributes,
    s.events,
    s.links
  FROM main.ops_console.apps_otel_spans AS s
  WHERE s.start_time_unix_nano >= :start_ns
    AND s.start_time_unix_nano < :end_ns
),
-- @include traces/_spans_common
