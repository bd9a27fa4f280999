-- Fragment: CTEs `app_login_events` and `app_logins`: one row per successful sign-in to an app in
-- `app_dim` (include app_usage/_app_dim first), with every user filter applied.
-- A sign-in is an OAuth event for the app's client id (the documented app-login signal); the
-- events of one sign-in (authorization code, token) are collapsed per user, app and minute.
app_login_events AS (
  SELECT
    d.app_name,
    d.workspace_id,
    a.user_identity.email AS user_email,
    a.event_date,
    date_trunc('MINUTE', a.event_time) AS login_minute,
    min(a.event_time) AS event_time
  FROM system.access.audit AS a
  JOIN app_dim AS d ON a.request_params['client_id'] = d.client_id
  WHERE a.event_date BETWEEN :from_date AND :end_date
    AND array_contains(split(:login_actions, ','), a.action_name)
    AND NOT array_contains(split(:excluded_client_ids, ','), a.request_params['client_id'])
    AND a.response.status_code = 200
    AND a.user_identity.email IS NOT NULL
    AND NOT (:exclude_service_principals AND a.user_identity.email NOT LIKE '%@%')
    AND (:exclude_regex = '' OR NOT a.user_identity.email RLIKE :exclude_regex)
  GROUP BY 1, 2, 3, 4, 5
),
app_logins AS (
  SELECT app_name, workspace_id, user_email, event_date, event_time FROM app_login_events
),
