-- Returns the lifecycle and sharing events of one app in the period, newest first: event_time,
-- action, user, status_code, error_message.
SELECT
  a.event_time,
  a.action_name AS action,
  a.user_identity.email AS user_email,
  a.response.status_code AS status_code,
  a.response.error_message
FROM system.access.audit AS a
WHERE a.event_date BETWEEN :start_date AND :end_date
  AND a.service_name = :apps_service_name
  AND (array_contains(split(:lifecycle_actions, ','), a.action_name) OR a.action_name = :acl_action)
  AND :app_name = coalesce(a.request_params['name'], a.request_params['app_name'],
                           a.request_params['request_object_id'],
                           get_json_object(a.request_params['app'], '$.name'))
ORDER BY a.event_time DESC
