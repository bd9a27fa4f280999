-- Returns one row for the spans source: row_count, rows_last_day (last 24 h) and latest_event.
-- row_count is the whole table; latest_event the newest span start in the last 7 days (NULL if none).
-- Cheap on a warehouse: count(*) without a filter is answered from Delta metadata, and the other two
-- compare the raw start_time_unix_nano with constants, so files outside the window are skipped by
-- their min/max statistics. The 7 days match telemetry.health.LOOKBACK_DAYS.
-- coalesce: on DuckDB, count_if over no rows is NULL (on Databricks it is 0).
WITH total AS (
  SELECT count(*) AS row_count FROM main.ops_console.apps_otel_spans
),
recent AS (
  SELECT
    coalesce(count_if(
      start_time_unix_nano >= unix_micros(current_timestamp() - INTERVAL 1 DAY) * 1000), 0) AS rows_last_day,
    timestamp_micros(max(start_time_unix_nano) DIV 1000) AS latest_event
  FROM main.ops_console.apps_otel_spans
  WHERE start_time_unix_nano >= unix_micros(current_timestamp() - INTERVAL 7 DAYS) * 1000
)
SELECT total.row_count, recent.rows_last_day, recent.latest_event
FROM total CROSS JOIN recent
