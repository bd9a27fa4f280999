-- Returns every workspace (for the workspace filter): workspace_id, workspace_name.
SELECT workspace_id, coalesce(workspace_name, workspace_id) AS workspace_name
FROM system.access.workspaces_latest
ORDER BY workspace_name
