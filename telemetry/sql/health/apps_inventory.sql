-- Returns one row for the apps_inventory source: row_count, rows_last_day (last 24 h) and latest_event.
SELECT
  count(*) AS row_count,
  count_if(snapshot_time >= current_timestamp() - INTERVAL 1 DAY) AS rows_last_day,
  max(snapshot_time) AS latest_event
FROM main.ops_console.apps_inventory
