-- Fragment: CTE `app_dim`: the apps in scope (inventory rows matching the workspace and app
-- filters): app_name, client_id (the app's OAuth client id), workspace_id. Sign-ins by OAuth clients
-- the inventory does not know yet (a first deploy, an app created since the last inventory run) are
-- kept by the rollup as `unknown app (client <id>)` and are in scope too, so nobody's sign-ins vanish.
app_dim AS (
  SELECT name AS app_name, oauth2_app_client_id AS client_id, workspace_id
  FROM main.ops_console.apps_inventory
  WHERE (:workspace_id = '' OR workspace_id = :workspace_id)
    AND (:app_name = '' OR name = :app_name)
  UNION
  SELECT DISTINCT app_name, CAST(NULL AS STRING) AS client_id, workspace_id
  FROM main.ops_console.app_logins_hourly
  WHERE app_name LIKE 'unknown app (client %'
    AND (:workspace_id = '' OR workspace_id = :workspace_id)
    AND (:app_name = '' OR app_name = :app_name)
),
