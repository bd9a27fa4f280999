-- Returns one row for the genie_message_details source: row_count, rows_last_day (last 24 h) and latest_event.
SELECT
  count(*) AS row_count,
  count_if(created_timestamp >= current_timestamp() - INTERVAL 1 DAY) AS rows_last_day,
  max(created_timestamp) AS latest_event
FROM main.ops_console.genie_message_details
