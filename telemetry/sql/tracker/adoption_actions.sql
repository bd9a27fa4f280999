-- Returns each feature (non-error action) over the period: action, users (who used it), active_users
-- (users with any event), share (users / active_users), events, events_per_user and apps (where it
-- was used), most users first.
WITH
-- @include tracker/_events
active AS (
  SELECT count(DISTINCT `user`) AS active_users FROM events
),
used AS (
  SELECT action, count(DISTINCT `user`) AS users, count(*) AS events, count(DISTINCT app_name) AS apps
  FROM events
  WHERE NOT (action = 'error' OR action LIKE 'error:%')
  GROUP BY action
)
SELECT
  u.action, u.users, a.active_users,
  CAST(u.users AS DOUBLE) / a.active_users AS share,
  u.events,
  CAST(u.events AS DOUBLE) / u.users AS events_per_user,
  u.apps
FROM used AS u
CROSS JOIN active AS a
ORDER BY u.users DESC, u.action
