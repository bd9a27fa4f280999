-- Returns one row per weekday (1 = Monday … 7 = Sunday) and hour (0–23) with logins and users,
-- in the viewer's time zone (shifted by :tz_offset_minutes from UTC; whole-hour offsets are exact,
-- the rollup keeps hours).
WITH
-- @include app_usage/_app_dim
-- @include app_usage/_app_logins
shifted AS (
  SELECT user_email, logins, timestampadd(MINUTE, :tz_offset_minutes, login_hour) AS local_time
  FROM app_logins
  WHERE event_date >= :start_date
)
SELECT
  weekday(local_time) + 1 AS weekday,
  hour(local_time) AS hour,
  sum(logins) AS logins,
  count(DISTINCT user_email) AS users
FROM shifted
GROUP BY 1, 2
ORDER BY 1, 2
