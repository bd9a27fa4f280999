-- Returns the app-related audit actions present in the last :days days: service_name, action_name,
-- events, request_params keys seen (so configured action names can be checked against reality).
SELECT
  service_name,
  action_name,
  count(*) AS events,
  array_join(array_sort(array_distinct(flatten(collect_list(map_keys(request_params))))), ', ') AS param_keys
FROM system.access.audit
WHERE event_date >= date_sub(current_date(), :days)
  AND (service_name = 'apps' OR action_name LIKE '%App%' OR action_name LIKE '%OAuth%')
GROUP BY 1, 2
ORDER BY events DESC
