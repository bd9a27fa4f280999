-- Returns one row for the billing_usage source: row_count, rows_last_day (last 24 h) and latest_event.
SELECT
  count(*) AS row_count,
  count_if(usage_end_time >= current_timestamp() - INTERVAL 1 DAY) AS rows_last_day,
  max(usage_end_time) AS latest_event
FROM system.billing.usage
