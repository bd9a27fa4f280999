-- Returns one row per day and kind ('login' = non-2xx app sign-ins, 'deployment' = failed
-- deployments and other failed lifecycle calls): errors.
WITH
-- @include app_usage/_app_dim
login_errors AS (
  SELECT a.event_date AS day, 'login' AS kind
  FROM system.access.audit AS a
  JOIN app_dim AS d ON a.request_params['client_id'] = d.client_id
  WHERE a.event_date BETWEEN :start_date AND :end_date
    AND array_contains(split(:login_actions, ','), a.action_name)
    AND NOT a.response.status_code BETWEEN 200 AND 299
),
lifecycle_errors AS (
  SELECT a.event_date AS day, 'deployment' AS kind
  FROM system.access.audit AS a
  JOIN app_dim AS d
    ON d.app_name = coalesce(a.request_params['name'], a.request_params['app_name'],
                             get_json_object(a.request_params['app'], '$.name'))
  WHERE a.event_date BETWEEN :start_date AND :end_date
    AND a.service_name = :apps_service_name
    AND array_contains(split(:lifecycle_actions, ','), a.action_name)
    AND NOT a.response.status_code BETWEEN 200 AND 299
)
SELECT day, kind, count(*) AS errors
FROM (SELECT * FROM login_errors UNION ALL SELECT * FROM lifecycle_errors)
GROUP BY 1, 2
ORDER BY 1, 2
