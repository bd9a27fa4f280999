-- Writes: marks deleted (deleted_time = :fetched_at, when the run noticed) the spaces of workspace
-- :workspace_id in main.ops_console.genie_space_details that the genie-spaces run at :fetched_at no
-- longer listed: every listed space was merged with that fetched_at, so an older one was not listed.
-- The rows are kept.
UPDATE main.ops_console.genie_space_details
SET deleted_time = :fetched_at
WHERE deleted_time IS NULL
  AND workspace_id = :workspace_id
  AND (fetched_at IS NULL OR fetched_at < :fetched_at)
