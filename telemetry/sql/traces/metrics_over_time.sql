-- Returns, per :bucket ('hour' or 'day', UTC) and per group of the matching traces (see
-- traces/_trace_match) — the root span's service (:group_by 'service') or its name ('operation'),
-- read from the root spans only,
-- the 8 busiest groups by name and the rest as 'other' — requests (traces), errors, error rate and
-- p50 / p95 / p99 duration in ms.
WITH
-- @include traces/_spans_{layout}
-- @include traces/_trace_match
roots AS (
  SELECT trace_id, min_by(CASE WHEN :group_by = 'operation' THEN name ELSE service_name END, start_ns) AS grp
  FROM span_facts
  WHERE parent_span_id IS NULL
  GROUP BY trace_id
),
grouped AS (
  SELECT
    CASE WHEN :bucket = 'hour' THEN date_trunc('HOUR', timestamp_micros(t.start_ns DIV 1000))
      ELSE date_trunc('DAY', timestamp_micros(t.start_ns DIV 1000)) END AS bucket_start,
    coalesce(r.grp, 'no root span') AS grp,
    t.duration_ms,
    t.errors
  FROM traces AS t
  LEFT JOIN roots AS r ON r.trace_id = t.trace_id
),
ranked AS (
  SELECT grp, row_number() OVER (ORDER BY count(*) DESC, grp) AS rnk FROM grouped GROUP BY grp
)
SELECT
  g.bucket_start,
  CASE WHEN r.rnk <= 8 THEN g.grp ELSE 'other' END AS grp,
  count(*) AS requests,
  count_if(g.errors > 0) AS errors,
  count_if(g.errors > 0) / count(*) AS error_rate,
  percentile_approx(g.duration_ms, 0.5) AS p50_ms,
  percentile_approx(g.duration_ms, 0.95) AS p95_ms,
  percentile_approx(g.duration_ms, 0.99) AS p99_ms
FROM grouped AS g
JOIN ranked AS r ON r.grp = g.grp
GROUP BY 1, 2
ORDER BY 1, 2
