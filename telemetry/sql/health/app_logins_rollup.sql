-- Returns one row for the app sign-ins rollup: row_count, rows_last_day (last 24 h) and latest_event.
SELECT
  count(*) AS row_count,
  count_if(last_login >= current_timestamp() - INTERVAL 1 DAY) AS rows_last_day,
  max(last_login) AS latest_event
FROM main.ops_console.app_logins_hourly
