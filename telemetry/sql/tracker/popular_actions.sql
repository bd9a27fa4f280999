-- Returns every action in the period with its events, users, apps and the share of the period's active
-- users (anyone with an event, whatever the action) who did it: action, events, users, apps,
-- user_share (0–1), last_seen (most events first). Honours :actions.
WITH
-- @include tracker/_events
active AS (
  SELECT count(DISTINCT `user`) AS active_users FROM events
)
SELECT
  e.action,
  count(*) AS events,
  count(DISTINCT e.`user`) AS users,
  count(DISTINCT e.app_name) AS apps,
  CAST(count(DISTINCT e.`user`) AS DOUBLE) / max(a.active_users) AS user_share,
  max(e.`timestamp`) AS last_seen
FROM events AS e
CROSS JOIN active AS a
WHERE (:actions = '' OR array_contains(split(:actions, ','), e.action))
GROUP BY e.action
ORDER BY events DESC, e.action
