-- Returns one row for the apps_inventory source: row_count, rows_last_day (last 24 h) and latest_event.
-- row_count is the whole table; latest_event the newest snapshot_time in the window (NULL if none).
-- Window: the last 7 days of snapshots.
-- Cheap on a warehouse: count(*) without a filter is answered from Delta metadata, and the other two
-- read only the bounded window. The 7 days match telemetry.health.LOOKBACK_DAYS.
-- coalesce: on DuckDB, count_if over no rows is NULL (on Databricks it is 0).
WITH total AS (
  SELECT count(*) AS row_count FROM main.ops_console.apps_inventory
),
recent AS (
  SELECT
    coalesce(count_if(snapshot_time >= current_timestamp() - INTERVAL 1 DAY), 0) AS rows_last_day,
    max(snapshot_time) AS latest_event
  FROM main.ops_console.apps_inventory
  WHERE snapshot_time >= current_timestamp() - INTERVAL 7 DAYS
)
SELECT total.row_count, recent.rows_last_day, recent.latest_event
FROM total CROSS JOIN recent
