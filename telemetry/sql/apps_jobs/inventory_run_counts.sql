-- Returns what an apps-inventory run left for workspace :workspace_id in
-- main.ops_console.apps_inventory: listed (apps in this run's snapshot at :snapshot_time), deleted
-- (apps this run marked deleted) and kept_deleted (all apps of the workspace marked deleted so far).
SELECT
  coalesce(count_if(snapshot_time = :snapshot_time AND deleted_time IS NULL), 0) AS listed,
  coalesce(count_if(deleted_time = :snapshot_time), 0) AS deleted,
  coalesce(count_if(deleted_time IS NOT NULL), 0) AS kept_deleted
FROM main.ops_console.apps_inventory
WHERE workspace_id = :workspace_id
