-- Returns the distribution of session durations in the period: bucket (label), bucket_order,
-- sessions ('single event': a sign-in with no tracked activity after it). A session ends after
-- :gap_minutes without a login or tracker event.
WITH
-- @include app_usage/_app_dim
-- @include app_usage/_app_logins
-- @include app_usage/_app_sessions
bucketed AS (
  SELECT
    CASE
      WHEN events = 1 THEN -1 WHEN minutes < 1 THEN 0 WHEN minutes < 5 THEN 1 WHEN minutes < 15 THEN 2
      WHEN minutes < 30 THEN 3 WHEN minutes < 60 THEN 4 ELSE 5
    END AS bucket_order
  FROM app_sessions
)
SELECT
  bucket_order,
  CASE bucket_order
    WHEN -1 THEN 'single event' WHEN 0 THEN '< 1 min' WHEN 1 THEN '1–5 min' WHEN 2 THEN '5–15 min'
    WHEN 3 THEN '15–30 min' WHEN 4 THEN '30–60 min' ELSE '≥ 60 min'
  END AS bucket,
  count(*) AS sessions
FROM bucketed
GROUP BY 1
ORDER BY 1
