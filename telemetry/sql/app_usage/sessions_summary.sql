-- Returns one row: sessions, users, sessions_per_user, median and p90 minutes of sessions with
-- more than one event, and the share of users with a single session, for the period.
WITH
-- @include app_usage/_app_dim
-- @include app_usage/_app_logins
-- @include app_usage/_app_sessions
per_user AS (
  SELECT user_email, count(*) AS sessions FROM app_sessions GROUP BY 1
)
SELECT
  (SELECT count(*) FROM app_sessions) AS sessions,
  count(*) AS users,
  avg(sessions) AS sessions_per_user,
  (SELECT percentile(minutes, 0.5) FROM app_sessions WHERE events > 1) AS median_minutes,
  (SELECT percentile(minutes, 0.9) FROM app_sessions WHERE events > 1) AS p90_minutes,
  avg(CASE WHEN sessions = 1 THEN 1.0 ELSE 0.0 END) AS single_session_share
FROM per_user
