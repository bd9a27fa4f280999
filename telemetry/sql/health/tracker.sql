-- Returns one row for the tracker source: row_count, rows_last_day (last 24 h) and latest_event.
SELECT
  count(*) AS row_count,
  count_if(timestamp >= current_timestamp() - INTERVAL 1 DAY) AS rows_last_day,
  max(timestamp) AS latest_event
FROM main.ops_console.app_events
