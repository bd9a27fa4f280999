-- Returns one row for the genie_messages_to_fetch source: row_count, rows_last_day (last 24 h) and latest_event.
SELECT
  count(*) AS row_count,
  count_if(event_time >= current_timestamp() - INTERVAL 1 DAY) AS rows_last_day,
  max(event_time) AS latest_event
FROM main.ops_console.genie_messages_to_fetch
