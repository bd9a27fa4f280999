-- Returns one row per day of the period with Genie SQL statements (genie/_genie_statements):
-- statements, failed (execution_status FAILED), and p50_ms, p95_ms, p99_ms of total_duration_ms.
WITH
-- @include genie/_genie_statements
daily AS (
  SELECT
    day,
    count(*) AS statements,
    count_if(execution_status = 'FAILED') AS failed,
    percentile(total_duration_ms, 0.5) AS p50_ms,
    percentile(total_duration_ms, 0.95) AS p95_ms,
    percentile(total_duration_ms, 0.99) AS p99_ms
  FROM genie_statements
  GROUP BY day
)
SELECT day, statements, failed, p50_ms, p95_ms, p99_ms
FROM daily
ORDER BY day
