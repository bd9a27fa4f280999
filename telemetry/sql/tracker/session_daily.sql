-- Returns sessions per day (the day a session starts, UTC): day, sessions, users and median_minutes.
-- A gap of :gap_minutes between a user's events in an app ends a session.
WITH
-- @include tracker/_events
-- @include tracker/_sessions
daily AS (
  SELECT CAST(session_start AS DATE) AS day, `user`, minutes FROM tracked_sessions
)
SELECT
  day,
  count(*) AS sessions,
  count(DISTINCT `user`) AS users,
  CAST(percentile(minutes, 0.5) AS DOUBLE) AS median_minutes
FROM daily
GROUP BY day
ORDER BY day
