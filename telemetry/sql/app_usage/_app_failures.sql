-- Fragment: CTE `failures`: failed sign-ins (from the rollup) and failed lifecycle calls (from the
-- audit log) of the apps in `app_dim`, in the period: app_name, kind ('login' or 'deployment'),
-- action_name, status_code, message, event_date, event_time, occurrences.
failures AS (
  SELECT r.app_name, 'login' AS kind, 'sign-in' AS action_name, r.status_code, r.error_message AS message,
         r.event_date, r.last_login AS event_time, r.logins AS occurrences
  FROM main.ops_console.app_logins_hourly AS r
  JOIN app_dim AS d ON d.app_name = r.app_name
  WHERE r.event_date BETWEEN :start_date AND :end_date
    AND NOT r.status_code BETWEEN 200 AND 299
  UNION ALL
  SELECT d.app_name, 'deployment' AS kind, a.action_name, a.response.status_code,
         a.response.error_message, a.event_date, a.event_time, 1 AS occurrences
  FROM system.access.audit AS a
  JOIN app_dim AS d
    ON d.app_name = coalesce(a.request_params['name'], a.request_params['app_name'],
                             get_json_object(a.request_params['app'], '$.name'))
  WHERE a.event_date BETWEEN :start_date AND :end_date
    AND a.service_name = :apps_service_name
    AND array_contains(split(:lifecycle_actions, ','), a.action_name)
    AND NOT a.response.status_code BETWEEN 200 AND 299
),
