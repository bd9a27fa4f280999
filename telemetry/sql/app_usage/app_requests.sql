-- Returns one row per day for one app from its OpenTelemetry spans (service.name = app name):
-- requests (root server spans), errors (status ERROR or HTTP 5xx) and p95 latency in ms.
WITH roots AS (
  SELECT
    CAST(timestamp_micros(s.start_time_unix_nano DIV 1000) AS DATE) AS day,
    (s.end_time_unix_nano - s.start_time_unix_nano) / 1000000.0 AS duration_ms,
    s.status.code IN ('STATUS_CODE_ERROR', 'ERROR')
      OR coalesce(CAST(s.attributes['http.response.status_code'] AS INT), 0) >= 500 AS is_error
  FROM main.ops_console.apps_otel_spans AS s
  WHERE s.resource.attributes['service.name'] = :app_name
    AND (s.parent_span_id IS NULL OR s.parent_span_id = '')
    AND s.start_time_unix_nano >= unix_timestamp(CAST(:start_date AS TIMESTAMP)) * 1000000000
    AND s.start_time_unix_nano < unix_timestamp(CAST(date_add(:end_date, 1) AS TIMESTAMP)) * 1000000000
)
SELECT
  day,
  count(*) AS requests,
  count_if(is_error) AS errors,
  percentile_approx(duration_ms, 0.95) AS p95_ms
FROM roots
GROUP BY day
ORDER BY day
