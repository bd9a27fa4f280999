-- Returns the in-app actions of one app from the tracker table in the period: action, events,
-- users, last_seen (most frequent first). Action names are the tracker library's (tracker/_action).
WITH actions AS (
  SELECT
-- @include tracker/_action
      AS action,
    count(*) AS events,
    count(DISTINCT t.`user`) AS users,
    max(t.`timestamp`) AS last_seen
  FROM main.ops_console.app_events AS t
  WHERE t.app_name = :app_name
    AND t.`timestamp` >= CAST(:start_date AS TIMESTAMP)
    AND t.`timestamp` < CAST(date_add(:end_date, 1) AS TIMESTAMP)
    AND NOT (:exclude_service_principals AND t.`user` NOT LIKE '%@%')
    AND (:exclude_regex = '' OR NOT t.`user` RLIKE :exclude_regex)
  GROUP BY 1
)
SELECT action, events, users, last_seen
FROM actions
ORDER BY events DESC, action
