-- Returns one row per day and kind ('login' = failed app sign-ins, 'deployment' = failed
-- deployments and other failed lifecycle calls): errors.
WITH
-- @include app_usage/_app_dim
-- @include app_usage/_app_failures
daily AS (
  SELECT event_date AS day, kind, sum(occurrences) AS errors FROM failures GROUP BY 1, 2
)
SELECT * FROM daily
ORDER BY day, kind
