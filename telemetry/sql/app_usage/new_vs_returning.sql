-- Returns one row per week (Monday) of the period: new_users (first login ever that week) and
-- returning_users (active that week, first seen before it).
WITH
-- @include app_usage/_app_dim
-- @include app_usage/_app_logins
first_seen AS (
  SELECT user_email, min(event_date) AS first_day FROM app_logins GROUP BY 1
),
weekly AS (
  SELECT DISTINCT CAST(date_trunc('WEEK', l.event_date) AS DATE) AS week, l.user_email, f.first_day
  FROM app_logins AS l JOIN first_seen AS f ON f.user_email = l.user_email
  WHERE l.event_date >= :start_date
)
SELECT
  week,
  count_if(first_day >= week) AS new_users,
  count_if(first_day < week) AS returning_users
FROM weekly
GROUP BY week
ORDER BY week
