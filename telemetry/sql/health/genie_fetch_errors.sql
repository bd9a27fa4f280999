-- Returns one row for the genie_fetch_errors source: row_count, rows_last_day (last 24 h) and latest_event.
-- Small (failed Genie API fetches only) and without a freshness expectation: read whole (no window).
SELECT
  count(*) AS row_count,
  count_if(attempted_at >= current_timestamp() - INTERVAL 1 DAY) AS rows_last_day,
  max(attempted_at) AS latest_event
FROM main.ops_console.genie_fetch_errors
