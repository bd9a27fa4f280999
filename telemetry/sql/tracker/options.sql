-- Returns the apps and actions in the tracker table over the last 90 days, for the filter pickers:
-- kind ('app' or 'action'), value, events (most frequent first within each kind). Action names are the
-- library's (tracker/_action).
WITH recent AS (
  SELECT
    t.app_name,
-- @include tracker/_action
    AS action
  FROM main.ops_console.app_events AS t
  WHERE t.`timestamp` >= current_timestamp() - INTERVAL 90 DAYS
)
SELECT 'app' AS kind, app_name AS value, count(*) AS events FROM recent WHERE app_name IS NOT NULL GROUP BY 2
UNION ALL
SELECT 'action' AS kind, action AS value, count(*) AS events FROM recent WHERE action IS NOT NULL GROUP BY 2
ORDER BY kind, events DESC, value
