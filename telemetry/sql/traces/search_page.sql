-- Returns one page of the traces that match the search filters (see traces/_trace_match), one row
-- per trace, in keyset order: by start (:sort 'start') or duration ('duration'), newest/slowest first
-- when :descending, ties broken by trace id; rows after the cursor (:after_key, :after_id; '' = the
-- first page), :page_size + 1 of them (the extra row says a next page exists), with the root span's
-- name and service, services, tokens, user and session (traces/_trace_details). `sort_key` is each
-- row's cursor; `total` counts every matching trace, whatever the page.
WITH
-- @include traces/_spans_{layout}
-- @include traces/_trace_match
keyed AS (
  SELECT
    t.*,
    CASE WHEN :sort = 'duration' THEN CAST(round(t.duration_ms * 1000000) AS BIGINT) ELSE t.start_ns END
      * CASE WHEN :descending THEN -1 ELSE 1 END AS sort_key,
    count(*) OVER () AS total
  FROM traces AS t
),
chosen AS (
  SELECT *
  FROM keyed
  WHERE :after_id = '' OR sort_key > :after_key OR (sort_key = :after_key AND trace_id > :after_id)
  ORDER BY sort_key, trace_id
  LIMIT :page_size + 1
),
-- @include traces/_trace_details
page AS (
  SELECT
    c.trace_id, d.root_name, d.root_service, c.start_ns, c.duration_ms, c.spans, c.errors, d.services,
    d.input_tokens, d.output_tokens, d.user_id, d.session_id, c.sort_key, c.total
  FROM chosen AS c
  JOIN trace_details AS d ON d.trace_id = c.trace_id
)
SELECT *
FROM page
ORDER BY sort_key, trace_id
