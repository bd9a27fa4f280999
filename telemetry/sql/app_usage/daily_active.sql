-- Returns one row per day from :from_date (history for the anomaly band) to :end_date: day, dau
-- (distinct users) and logins. (New users per week: app_usage/new_vs_returning.)
WITH
-- @include app_usage/_app_dim
-- @include app_usage/_app_logins
days AS (
  SELECT explode(sequence(:from_date, :end_date, INTERVAL 1 DAY)) AS day
)
SELECT
  CAST(d.day AS DATE) AS day,
  count(DISTINCT l.user_email) AS dau,
  coalesce(sum(l.logins), 0) AS logins
FROM days AS d
LEFT JOIN app_logins AS l ON l.event_date = d.day
GROUP BY d.day
ORDER BY d.day
