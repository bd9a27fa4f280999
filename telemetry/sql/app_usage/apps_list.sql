-- Returns every app in the inventory (for the app filter): app_name, workspace_id, app_state.
SELECT name AS app_name, workspace_id, app_state
FROM main.ops_console.apps_inventory
ORDER BY name
