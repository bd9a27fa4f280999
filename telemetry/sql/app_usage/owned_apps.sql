-- Returns the apps :user_email owns (their creator or one of their owners, e-mails compared
-- case-insensitively), not deleted: app_name, workspace_id, workspace, app_state, creator, owners
-- (comma-separated), update_time. An empty :user_email returns every app (the two-engines check).
SELECT
  i.name AS app_name,
  i.workspace_id,
  coalesce(w.workspace_name, i.workspace_id) AS workspace,
  i.app_state,
  i.creator,
  array_join(i.owners, ', ') AS owners,
  i.update_time
FROM main.ops_console.apps_inventory AS i
LEFT JOIN system.access.workspaces_latest AS w ON w.workspace_id = i.workspace_id
WHERE i.deleted_time IS NULL
  AND (:user_email = ''
       OR lower(i.creator) = lower(:user_email)
       OR array_contains(transform(i.owners, o -> lower(o)), lower(:user_email)))
ORDER BY i.name, i.workspace_id
