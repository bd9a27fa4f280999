-- Returns one span of trace :trace_id that starts in [:start_ns, :end_ns), with everything the span
-- detail panel shows: attributes, resource attributes, events and links as JSON text (the UI
-- pretty-prints and searches them) and the status message. The span is :span_id when the trace has
-- it, else the trace's root (the first span without a parent; '' asks for it), else its first span;
-- `requested` says whether it is the one asked for, so a stale ?span= still shows the trace.
WITH
-- @include traces/_spans_{layout}
one_trace AS (
  SELECT * FROM spans WHERE trace_id = :trace_id
),
chosen AS (
  SELECT span_id
  FROM one_trace
  ORDER BY CASE WHEN span_id = :span_id THEN 0 WHEN parent_span_id IS NULL THEN 1 ELSE 2 END, start_ns, span_id
  LIMIT 1
)
SELECT
  o.span_id,
  o.parent_span_id,
  o.name,
  o.kind,
  o.service_name,
  o.start_ns,
  o.end_ns,
  o.duration_ms,
  o.status_code,
  o.status_message,
  o.span_id = :span_id AS requested,
  to_json(o.attributes) AS attributes_json,
  to_json(o.resource_attributes) AS resource_json,
  to_json(o.events) AS events_json,
  to_json(o.links) AS links_json
FROM one_trace AS o
JOIN chosen AS c ON o.span_id = c.span_id
ORDER BY o.start_ns, o.span_id
LIMIT 1
