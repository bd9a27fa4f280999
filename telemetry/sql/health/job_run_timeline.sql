-- Returns one row for the job_run_timeline source: row_count, rows_last_day (last 24 h) and latest_event.
-- row_count is the whole table; latest_event the newest period_end_time in the window (NULL if none).
-- Window: the last 7 days (period_end_time; files outside it are skipped by their min/max statistics).
-- Cheap on a warehouse: count(*) without a filter is answered from Delta metadata, and the other two
-- read only the bounded window. The 7 days match telemetry.health.LOOKBACK_DAYS.
-- coalesce: on DuckDB, count_if over no rows is NULL (on Databricks it is 0).
WITH total AS (
  SELECT count(*) AS row_count FROM system.lakeflow.job_run_timeline
),
recent AS (
  SELECT
    coalesce(count_if(period_end_time >= current_timestamp() - INTERVAL 1 DAY), 0) AS rows_last_day,
    max(period_end_time) AS latest_event
  FROM system.lakeflow.job_run_timeline
  WHERE period_end_time >= current_timestamp() - INTERVAL 7 DAYS
)
SELECT total.row_count, recent.rows_last_day, recent.latest_event
FROM total CROSS JOIN recent
