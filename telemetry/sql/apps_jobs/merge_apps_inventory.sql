-- Writes: merges one workspace's apps, as the Apps API lists them (:rows, a JSON array of
-- apps_inventory rows with this run's snapshot_time), into main.ops_console.apps_inventory by
-- workspace and app name: a listed app's row is replaced (an app that reappeared loses its
-- deleted_time), a new app is added. Apps missing from the list are marked by
-- apps_jobs/mark_deleted_apps, never dropped.
MERGE INTO main.ops_console.apps_inventory AS t
USING (
  SELECT inline(from_json(:rows, 'ARRAY<STRUCT<workspace_id: STRING, app_id: STRING, name: STRING, description: STRING, creator: STRING, owners: ARRAY<STRING>, oauth2_app_client_id: STRING, service_principal_id: BIGINT, service_principal_client_id: STRING, service_principal_name: STRING, url: STRING, compute_size: STRING, compute_state: STRING, app_state: STRING, create_time: TIMESTAMP, update_time: TIMESTAMP, updater: STRING, resources: STRING, last_deployment_id: STRING, last_deployment_status: STRING, last_deployment_time: TIMESTAMP, snapshot_time: TIMESTAMP, deleted_time: TIMESTAMP>>'))
) AS s
ON t.workspace_id = s.workspace_id AND t.name = s.name
WHEN MATCHED THEN UPDATE SET *
WHEN NOT MATCHED THEN INSERT *
