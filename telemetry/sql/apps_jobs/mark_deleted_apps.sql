-- Writes: marks as deleted (deleted_time = :snapshot_time) the apps of workspace :workspace_id in
-- main.ops_console.apps_inventory that the Apps API no longer lists: every app the list had was just
-- merged with snapshot_time :snapshot_time, so an older snapshot means the app disappeared. The row is
-- kept (with its last snapshot) so past sign-ins still resolve to the app's name.
UPDATE main.ops_console.apps_inventory
SET deleted_time = :snapshot_time
WHERE workspace_id = :workspace_id
  AND deleted_time IS NULL
  AND (snapshot_time IS NULL OR snapshot_time < :snapshot_time)
