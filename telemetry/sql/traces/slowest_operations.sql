-- Returns the :limit slowest operations (service and span name) over the spans of the matching traces
-- (see traces/_trace_match), by p95 duration: spans, errors, error rate, p50 / p95 / p99 and total
-- time in ms.
WITH
-- @include traces/_spans_{layout}
-- @include traces/_trace_match
ops AS (
  SELECT
    f.service_name,
    f.name,
    count(*) AS spans,
    count_if(f.status_code = 'ERROR') AS errors,
    percentile_approx(f.duration_ms, 0.5) AS p50_ms,
    percentile_approx(f.duration_ms, 0.95) AS p95_ms,
    percentile_approx(f.duration_ms, 0.99) AS p99_ms,
    sum(f.duration_ms) AS total_ms
  FROM span_facts AS f
  JOIN traces AS t ON t.trace_id = f.trace_id
  GROUP BY f.service_name, f.name
)
SELECT service_name, name, spans, errors, errors / spans AS error_rate, p50_ms, p95_ms, p99_ms, total_ms
FROM ops
ORDER BY p95_ms DESC, service_name, name
LIMIT :limit
