-- Returns the users of one app in the period, most active first: user_email, logins, active_days,
-- first_login, last_login.
WITH
-- @include app_usage/_app_dim
-- @include app_usage/_app_logins
in_period AS (
  SELECT * FROM app_logins WHERE event_date >= :start_date
)
SELECT
  user_email,
  sum(logins) AS logins,
  count(DISTINCT event_date) AS active_days,
  min(event_time) AS first_login,
  max(last_login) AS last_login
FROM in_period
GROUP BY 1
ORDER BY active_days DESC, logins DESC
LIMIT 50
