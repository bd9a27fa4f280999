-- Returns the first :limit traces that match the search filters (see traces/_trace_match) in the
-- page's order (:sort, :descending), with the columns of a trace row: what the list's CSV download
-- holds.
WITH
-- @include traces/_spans_{layout}
-- @include traces/_trace_match
keyed AS (
  SELECT
    t.*,
    CASE WHEN :sort = 'duration' THEN CAST(round(t.duration_ms * 1000000) AS BIGINT) ELSE t.start_ns END
      * CASE WHEN :descending THEN -1 ELSE 1 END AS sort_key
  FROM traces AS t
),
chosen AS (
  SELECT * FROM keyed ORDER BY sort_key, trace_id LIMIT :limit
),
-- @include traces/_trace_details
exported AS (
  SELECT
    c.trace_id, timestamp_micros(c.start_ns DIV 1000) AS started, d.root_name, d.root_service, c.duration_ms,
    c.spans, c.errors, d.services, d.input_tokens, d.output_tokens, d.user_id, d.session_id, c.sort_key
  FROM chosen AS c
  JOIN trace_details AS d ON d.trace_id = c.trace_id
)
SELECT
  trace_id, started, root_name, root_service, duration_ms, spans, errors, services, input_tokens, output_tokens,
  user_id, session_id
FROM exported
ORDER BY sort_key, trace_id
