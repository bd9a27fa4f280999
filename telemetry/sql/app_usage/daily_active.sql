-- Returns one row per day from :from_date (history for the anomaly band) to :end_date: day, dau
-- (distinct users), logins, new_users (first sign-in seen in the history window fell on that day).
WITH
-- @include app_usage/_app_dim
-- @include app_usage/_app_logins
first_seen AS (
  SELECT user_email, min(event_date) AS first_day FROM app_logins GROUP BY 1
),
days AS (
  SELECT explode(sequence(:from_date, :end_date, INTERVAL 1 DAY)) AS day
)
SELECT
  CAST(d.day AS DATE) AS day,
  count(DISTINCT l.user_email) AS dau,
  coalesce(sum(l.logins), 0) AS logins,
  count(DISTINCT CASE WHEN f.first_day = d.day THEN l.user_email END) AS new_users
FROM days AS d
LEFT JOIN app_logins AS l ON l.event_date = d.day
LEFT JOIN first_seen AS f ON f.user_email = l.user_email
GROUP BY d.day
ORDER BY d.day
