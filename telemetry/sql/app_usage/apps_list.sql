-- Returns every app in the inventory (for the app filter): app_name, workspace_id, app_state; plus
-- the apps the sign-ins rollup saw that the inventory does not know yet (app_state 'UNKNOWN').
SELECT name AS app_name, workspace_id, app_state
FROM main.ops_console.apps_inventory
UNION
SELECT DISTINCT app_name, workspace_id, 'UNKNOWN' AS app_state
FROM main.ops_console.app_logins_hourly
WHERE app_name LIKE 'unknown app (client %'
ORDER BY app_name, workspace_id
