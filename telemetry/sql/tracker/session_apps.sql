-- Returns sessions per app for the period (a gap of :gap_minutes ends one): app_name, sessions, users,
-- sessions_per_user, median_minutes, p90_minutes and median_actions, most sessions first.
WITH
-- @include tracker/_events
-- @include tracker/_sessions
per_app AS (
  SELECT
    app_name,
    count(*) AS sessions,
    count(DISTINCT `user`) AS users,
    CAST(percentile(minutes, 0.5) AS DOUBLE) AS median_minutes,
    CAST(percentile(minutes, 0.9) AS DOUBLE) AS p90_minutes,
    CAST(percentile(actions, 0.5) AS DOUBLE) AS median_actions
  FROM tracked_sessions
  GROUP BY app_name
)
SELECT
  app_name, sessions, users,
  CAST(sessions AS DOUBLE) / users AS sessions_per_user,
  median_minutes, p90_minutes, median_actions
FROM per_app
ORDER BY sessions DESC, app_name
