-- Returns one row per Genie space with SQL statements in the period (genie/_genie_statements):
-- space_id, title, statements, matched (joined to a fetched message by statement_id), failed,
-- p50_ms, p95_ms, p99_ms of total_duration_ms, avg_queue_ms and produced_rows. Slowest (p95) first.
WITH
-- @include genie/_genie_statements
spaces AS (
  SELECT space_id, max(title) AS title FROM main.ops_console.genie_space_details GROUP BY space_id
),
by_space AS (
  SELECT
    space_id,
    count(*) AS statements,
    count_if(matched) AS matched,
    count_if(execution_status = 'FAILED') AS failed,
    percentile(total_duration_ms, 0.5) AS p50_ms,
    percentile(total_duration_ms, 0.95) AS p95_ms,
    percentile(total_duration_ms, 0.99) AS p99_ms,
    avg(CAST(queue_ms AS DOUBLE)) AS avg_queue_ms,
    sum(produced_rows) AS produced_rows
  FROM genie_statements
  GROUP BY space_id
)
SELECT
  b.space_id,
  coalesce(s.title, b.space_id) AS title,
  b.statements,
  b.matched,
  b.failed,
  b.p50_ms,
  b.p95_ms,
  b.p99_ms,
  b.avg_queue_ms,
  b.produced_rows
FROM by_space AS b
LEFT JOIN spaces AS s ON s.space_id = b.space_id
ORDER BY b.p95_ms DESC, b.space_id
