-- Returns events and active users per minute since :trend_since (the page passes now − 30 minutes),
-- minutes without events left out (minute, events, users; oldest first).
WITH
-- @include tracker/_events
recent AS (
  SELECT * FROM events WHERE `timestamp` >= :trend_since
)
SELECT
  date_trunc('MINUTE', `timestamp`) AS minute,
  count(*) AS events,
  count(DISTINCT `user`) AS users
FROM recent
GROUP BY 1
ORDER BY minute
