-- Returns the app sign-in rollup for days :from_date to :end_date: one row per day, hour, workspace,
-- app, user and response status, with sign-ins (the OAuth events of one sign-in, collapsed per
-- minute), the first and last sign-in time, and an error message for failures. The rollup job
-- writes these rows to main.ops_console.app_logins_hourly; pages read that table, not the audit log.
-- A sign-in by an OAuth client the apps inventory does not list (yet: the inventory job has not run,
-- or the app is new) is kept, as app 'unknown app (client <client id>)', never dropped; clients that
-- are not apps at all belong in TELEMETRY_APP_EXCLUDED_CLIENT_IDS.
WITH app_dim AS (
  SELECT name AS app_name, oauth2_app_client_id AS client_id FROM main.ops_console.apps_inventory
),
events AS (
  SELECT
    coalesce(d.app_name, concat('unknown app (client ', a.request_params['client_id'], ')')) AS app_name,
    a.workspace_id,
    a.user_identity.email AS user_email,
    a.event_date,
    a.response.status_code AS status_code,
    a.response.error_message AS error_message,
    date_trunc('MINUTE', a.event_time) AS login_minute,
    a.event_time
  FROM system.access.audit AS a
  LEFT JOIN app_dim AS d ON a.request_params['client_id'] = d.client_id
  WHERE a.event_date BETWEEN :from_date AND :end_date
    AND array_contains(split(:login_actions, ','), a.action_name)
    AND NOT array_contains(split(:excluded_client_ids, ','), a.request_params['client_id'])
    AND a.request_params['client_id'] IS NOT NULL
    AND a.user_identity.email IS NOT NULL
)
SELECT
  event_date,
  date_trunc('HOUR', login_minute) AS login_hour,
  workspace_id,
  app_name,
  user_email,
  status_code,
  count(DISTINCT login_minute) AS logins,
  min(event_time) AS first_login,
  max(event_time) AS last_login,
  max(error_message) AS error_message
FROM events
GROUP BY 1, 2, 3, 4, 5, 6
