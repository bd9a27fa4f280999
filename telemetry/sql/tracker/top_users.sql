-- Returns the :limit users with the most events in the period: user, events, active_days, apps, actions
-- (distinct), errors, first_seen, last_seen (most events first). Honours :actions.
WITH
-- @include tracker/_events
picked AS (
  SELECT * FROM events WHERE (:actions = '' OR array_contains(split(:actions, ','), action))
)
SELECT
  `user`,
  count(*) AS events,
  count(DISTINCT CAST(`timestamp` AS DATE)) AS active_days,
  count(DISTINCT app_name) AS apps,
  count(DISTINCT action) AS actions,
  sum(CASE WHEN action = 'error' OR action LIKE 'error:%' THEN 1 ELSE 0 END) AS errors,
  min(`timestamp`) AS first_seen,
  max(`timestamp`) AS last_seen
FROM picked
GROUP BY `user`
ORDER BY events DESC, `user`
LIMIT :limit
