-- Returns the app-related audit actions present in the last :days days: service_name, action_name,
-- events and the request_params keys seen (so configured action names can be checked against reality).
WITH app_events AS (
  SELECT service_name, action_name, request_params
  FROM system.access.audit
  WHERE event_date >= date_sub(current_date(), :days)
    AND (service_name = 'apps' OR action_name LIKE '%App%' OR action_name LIKE '%OAuth%')
),
param_keys AS (
  SELECT service_name, action_name, array_join(array_sort(collect_set(param_key)), ', ') AS param_keys
  FROM (SELECT service_name, action_name, explode(map_keys(request_params)) AS param_key FROM app_events)
  GROUP BY 1, 2
)
SELECT e.service_name, e.action_name, count(*) AS events, max(k.param_keys) AS param_keys
FROM app_events AS e
LEFT JOIN param_keys AS k ON k.service_name = e.service_name AND k.action_name = e.action_name
GROUP BY 1, 2
ORDER BY events DESC
