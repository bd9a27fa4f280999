-- Returns one row per app, kind, status code and message: occurrences and last_seen, for failed
-- app sign-ins and failed lifecycle calls (deployments first) in the period.
WITH
-- @include app_usage/_app_dim
failures AS (
  SELECT r.app_name, 'login' AS kind, 'sign-in' AS action_name, r.status_code, r.error_message AS message,
         r.last_login AS event_time, r.logins AS occurrences
  FROM main.ops_console.app_logins_hourly AS r
  JOIN app_dim AS d ON d.app_name = r.app_name
  WHERE r.event_date BETWEEN :start_date AND :end_date
    AND NOT r.status_code BETWEEN 200 AND 299
  UNION ALL
  SELECT d.app_name, 'deployment' AS kind, a.action_name, a.response.status_code,
         a.response.error_message, a.event_time, 1 AS occurrences
  FROM system.access.audit AS a
  JOIN app_dim AS d
    ON d.app_name = coalesce(a.request_params['name'], a.request_params['app_name'],
                             get_json_object(a.request_params['app'], '$.name'))
  WHERE a.event_date BETWEEN :start_date AND :end_date
    AND a.service_name = :apps_service_name
    AND array_contains(split(:lifecycle_actions, ','), a.action_name)
    AND NOT a.response.status_code BETWEEN 200 AND 299
)
SELECT
  app_name, kind, action_name, status_code,
  coalesce(message, '(no message)') AS message,
  sum(occurrences) AS occurrences,
  max(event_time) AS last_seen
FROM failures
GROUP BY 1, 2, 3, 4, 5
ORDER BY kind DESC, occurrences DESC, last_seen DESC
