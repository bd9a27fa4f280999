-- Returns the trace with the most spans among those that started in the data's last 7 days
-- (trace_id): the example for the trace view in benchmarks and page tests, so it draws a big tree.
WITH recent AS (
  SELECT trace_id, count(*) AS spans
  FROM main.ops_console.apps_otel_spans
  WHERE start_time_unix_nano >= (SELECT max(start_time_unix_nano) FROM main.ops_console.apps_otel_spans)
    - 7 * 86400 * CAST(1000000000 AS BIGINT)
  GROUP BY trace_id
)
SELECT trace_id
FROM recent
ORDER BY spans DESC, trace_id
LIMIT 1
