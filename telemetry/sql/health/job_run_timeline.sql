-- Returns one row for the job_run_timeline source: row_count, rows_last_day (last 24 h) and latest_event.
SELECT
  count(*) AS row_count,
  count_if(period_end_time >= current_timestamp() - INTERVAL 1 DAY) AS rows_last_day,
  max(period_end_time) AS latest_event
FROM system.lakeflow.job_run_timeline
