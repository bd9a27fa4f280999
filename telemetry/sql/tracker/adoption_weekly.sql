-- Returns feature adoption per week (weeks start on Monday, UTC; the period's first and last may be
-- partial): week, action, users (who did it that week), active_users (with any event that week) and
-- share (users / active_users). Error actions ('error', 'error:<kind>') are not features.
WITH
-- @include tracker/_events
weekly AS (
  SELECT CAST(date_trunc('WEEK', `timestamp`) AS DATE) AS week, `user`, action FROM events
),
active AS (
  SELECT week, count(DISTINCT `user`) AS active_users FROM weekly GROUP BY week
),
used AS (
  SELECT week, action, count(DISTINCT `user`) AS users
  FROM weekly
  WHERE NOT (action = 'error' OR action LIKE 'error:%')
  GROUP BY week, action
)
SELECT
  u.week, u.action, u.users, a.active_users,
  CAST(u.users AS DOUBLE) / a.active_users AS share
FROM used AS u
JOIN active AS a ON a.week = u.week
ORDER BY u.week, u.action
