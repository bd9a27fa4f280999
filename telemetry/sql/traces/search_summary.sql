-- Returns one row over every trace that matches the search filters (see traces/_trace_match):
-- traces, traces with an error, their error rate, p50 / p95 / p99 duration (ms) and spans, plus the
-- newest trace start (ns) for the freshness line.
WITH
-- @include traces/_spans_{layout}
-- @include traces/_trace_match
totals AS (
  SELECT
    count(*) AS traces,
    count_if(errors > 0) AS error_traces,
    percentile_approx(duration_ms, 0.5) AS p50_ms,
    percentile_approx(duration_ms, 0.95) AS p95_ms,
    percentile_approx(duration_ms, 0.99) AS p99_ms,
    coalesce(sum(spans), 0) AS spans,
    max(start_ns) AS latest_start_ns
  FROM traces
)
SELECT
  traces, error_traces,
  CASE WHEN traces > 0 THEN error_traces / traces END AS error_rate,
  p50_ms, p95_ms, p99_ms, spans, latest_start_ns
FROM totals
