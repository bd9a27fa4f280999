-- Returns one row for the genie_space_details source: row_count, rows_last_day (last 24 h) and latest_event.
-- A small dimension table without a freshness expectation, so it is read whole (no date window).
SELECT
  count(*) AS row_count,
  count_if(update_time >= current_timestamp() - INTERVAL 1 DAY) AS rows_last_day,
  max(update_time) AS latest_event
FROM main.ops_console.genie_space_details
