-- Returns the inventory row of one app: name, workspace, description, creator, owners, OAuth
-- client id, service principal, compute and app state, url, created and updated times.
SELECT
  i.name AS app_name,
  coalesce(w.workspace_name, i.workspace_id) AS workspace,
  i.description,
  i.creator,
  array_join(i.owners, ', ') AS owners,
  i.oauth2_app_client_id,
  i.service_principal_name,
  i.compute_size,
  i.compute_state,
  i.app_state,
  i.url,
  i.create_time,
  i.update_time,
  i.snapshot_time
FROM main.ops_console.apps_inventory AS i
LEFT JOIN system.access.workspaces_latest AS w ON w.workspace_id = i.workspace_id
WHERE i.name = :app_name
