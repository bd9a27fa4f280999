-- Returns the console's admin actions (tracker actions starting with :prefix, recorded by the app
-- :app_name) since :start_ts, newest first, at most :limit: at, user_email, action and properties (the
-- JSON text the tracker wrote: job, params, run_id, outcome, message). Needs the extended tracker layout.
SELECT
  t.`timestamp` AS at,
  t.`user` AS user_email,
  t.action,
  t.properties
FROM main.ops_console.app_events AS t
WHERE t.action LIKE concat(:prefix, '%')
  AND (:app_name = '' OR t.app_name = :app_name)
  AND t.`timestamp` >= :start_ts
ORDER BY at DESC, user_email, action, properties
LIMIT :limit
