-- Returns one row per week (Monday) of the period: new_users (their first Genie message since
-- :from_date was that week) and returning_users (active that week, first seen before it).
WITH
-- @include genie/_audit_history
first_seen AS (
  SELECT user_email, min(event_date) AS first_day FROM genie_user_days GROUP BY user_email
),
weekly AS (
  SELECT DISTINCT CAST(date_trunc('WEEK', d.event_date) AS DATE) AS week, d.user_email, f.first_day
  FROM genie_user_days AS d
  JOIN first_seen AS f ON f.user_email = d.user_email
  WHERE d.event_date >= :start_date
)
SELECT
  week,
  count_if(first_day >= week) AS new_users,
  count_if(first_day < week) AS returning_users
FROM weekly
GROUP BY week
ORDER BY week
