-- Fragment: CTE `app_dim`: the apps in scope (inventory rows matching the workspace and app
-- filters): app_name, client_id (the app's OAuth client id), workspace_id.
app_dim AS (
  SELECT name AS app_name, oauth2_app_client_id AS client_id, workspace_id
  FROM main.ops_console.apps_inventory
  WHERE (:workspace_id = '' OR workspace_id = :workspace_id)
    AND (:app_name = '' OR name = :app_name)
),
