-- Returns one row per app, kind, status code and message: occurrences and last_seen, for failed
-- app sign-ins and failed lifecycle calls (deployments first) in the period.
WITH
-- @include app_usage/_app_dim
-- @include app_usage/_app_failures
grouped AS (
  SELECT
    app_name, kind, action_name, status_code,
    coalesce(message, '(no message)') AS message,
    sum(occurrences) AS occurrences,
    max(event_time) AS last_seen
  FROM failures
  GROUP BY 1, 2, 3, 4, 5
)
SELECT * FROM grouped
ORDER BY kind DESC, occurrences DESC, last_seen DESC
