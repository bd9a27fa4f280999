-- Returns one row per day and kind ('login' = non-2xx app sign-ins, 'deployment' = failed
-- deployments and other failed lifecycle calls): errors.
WITH
-- @include app_usage/_app_dim
login_errors AS (
  SELECT r.event_date AS day, 'login' AS kind, r.logins AS errors
  FROM main.ops_console.app_logins_hourly AS r
  JOIN app_dim AS d ON d.app_name = r.app_name
  WHERE r.event_date BETWEEN :start_date AND :end_date
    AND NOT r.status_code BETWEEN 200 AND 299
),
lifecycle_errors AS (
  SELECT a.event_date AS day, 'deployment' AS kind, 1 AS errors
  FROM system.access.audit AS a
  JOIN app_dim AS d
    ON d.app_name = coalesce(a.request_params['name'], a.request_params['app_name'],
                             get_json_object(a.request_params['app'], '$.name'))
  WHERE a.event_date BETWEEN :start_date AND :end_date
    AND a.service_name = :apps_service_name
    AND array_contains(split(:lifecycle_actions, ','), a.action_name)
    AND NOT a.response.status_code BETWEEN 200 AND 299
)
SELECT day, kind, sum(errors) AS errors
FROM (SELECT * FROM login_errors UNION ALL SELECT * FROM lifecycle_errors)
GROUP BY 1, 2
ORDER BY 1, 2
