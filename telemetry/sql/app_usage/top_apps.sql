-- Returns one row per app active in the period: app_name, workspace, users, logins, active_days,
-- last_login.
WITH
-- @include app_usage/_app_dim
-- @include app_usage/_app_logins
in_period AS (
  SELECT * FROM app_logins WHERE event_date >= :start_date
)
SELECT
  l.app_name,
  coalesce(w.workspace_name, l.workspace_id) AS workspace,
  count(DISTINCT l.user_email) AS users,
  sum(l.logins) AS logins,
  count(DISTINCT l.event_date) AS active_days,
  max(l.last_login) AS last_login
FROM in_period AS l
LEFT JOIN system.access.workspaces_latest AS w ON w.workspace_id = l.workspace_id
GROUP BY 1, 2
ORDER BY users DESC, logins DESC
