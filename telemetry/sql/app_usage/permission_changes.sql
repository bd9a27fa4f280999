-- Returns one row per permission granted in the period (ACL entries exploded): event_time,
-- app_name, changed_by, principal, principal_type ('user', 'group', 'service principal'),
-- permission_level.
WITH
-- @include app_usage/_app_dim
acl_events AS (
  SELECT a.event_time, a.request_params['request_object_id'] AS app_name,
         a.user_identity.email AS changed_by, a.request_params['access_control_list'] AS acl
  FROM system.access.audit AS a
  WHERE a.event_date BETWEEN :start_date AND :end_date
    AND a.action_name = :acl_action
    AND a.request_params['request_object_type'] = 'apps'
    AND a.request_params['request_object_id'] IN (SELECT app_name FROM app_dim)
)
SELECT
  e.event_time,
  e.app_name,
  e.changed_by,
  coalesce(entry.user_name, entry.group_name, entry.service_principal_name) AS principal,
  CASE
    WHEN entry.user_name IS NOT NULL THEN 'user'
    WHEN entry.group_name IS NOT NULL THEN 'group'
    ELSE 'service principal'
  END AS principal_type,
  entry.permission_level
FROM acl_events AS e
LATERAL VIEW explode(from_json(e.acl,
  'array<struct<user_name:string,group_name:string,service_principal_name:string,permission_level:string>>'))
  acl_entries AS entry
ORDER BY e.event_time DESC
