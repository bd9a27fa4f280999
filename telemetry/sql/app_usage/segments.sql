-- Returns one row per user segment (power, regular, casual, new): users and logins in the period.
-- New: first login ever inside the period; otherwise by active days (thresholds are parameters).
WITH
-- @include app_usage/_app_dim
-- @include app_usage/_app_logins
per_user AS (
  SELECT
    user_email,
    min(event_date) AS first_day,
    count(DISTINCT CASE WHEN event_date >= :start_date THEN event_date END) AS active_days,
    sum(CASE WHEN event_date >= :start_date THEN logins ELSE 0 END) AS logins
  FROM app_logins
  GROUP BY 1
)
SELECT
  CASE
    WHEN first_day >= :start_date THEN 'new'
    WHEN active_days >= :power_min_days THEN 'power'
    WHEN active_days >= :regular_min_days THEN 'regular'
    ELSE 'casual'
  END AS segment,
  count(*) AS users,
  sum(logins) AS logins
FROM per_user
WHERE active_days > 0
GROUP BY 1
ORDER BY users DESC
