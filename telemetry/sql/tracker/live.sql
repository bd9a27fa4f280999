-- Returns the tracker's live numbers since :live_since (the page passes now − 5 minutes): one row for all
-- apps in scope (scope 'all', app_name '') then one per app (scope 'app', busiest first), each with
-- events, active users and the newest event. The 'all' row is there even when nothing happened.
WITH
-- @include tracker/_events
recent AS (
  SELECT * FROM events WHERE `timestamp` >= :live_since
)
SELECT
  'all' AS scope,
  '' AS app_name,
  count(*) AS events,
  count(DISTINCT `user`) AS users,
  max(`timestamp`) AS latest_event
FROM recent
UNION ALL
SELECT
  'app' AS scope,
  app_name,
  count(*) AS events,
  count(DISTINCT `user`) AS users,
  max(`timestamp`) AS latest_event
FROM recent
GROUP BY app_name
ORDER BY scope, events DESC, app_name
