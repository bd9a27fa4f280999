-- Returns daily active users (UTC days) of the :top_n apps with the most users in the period: day, app_name,
-- users, events (oldest day first; days without events are absent). Honours :actions.
WITH
-- @include tracker/_events
picked AS (
  SELECT CAST(`timestamp` AS DATE) AS day, app_name, `user`
  FROM events
  WHERE (:actions = '' OR array_contains(split(:actions, ','), action))
),
top_apps AS (
  SELECT app_name, row_number() OVER (ORDER BY count(DISTINCT `user`) DESC, app_name) AS app_rank
  FROM picked
  GROUP BY app_name
)
SELECT
  p.day,
  p.app_name,
  count(DISTINCT p.`user`) AS users,
  count(*) AS events
FROM picked AS p
JOIN top_apps AS t ON t.app_name = p.app_name
WHERE t.app_rank <= :top_n
GROUP BY 1, 2
ORDER BY day, app_name
