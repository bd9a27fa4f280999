-- Returns one row for the spans source: row_count, rows_last_day (last 24 h) and latest_event.
SELECT
  count(*) AS row_count,
  count_if(timestamp_micros(start_time_unix_nano DIV 1000) >= current_timestamp() - INTERVAL 1 DAY)
    AS rows_last_day,
  timestamp_micros(max(start_time_unix_nano) DIV 1000) AS latest_event
FROM main.ops_console.apps_otel_spans
