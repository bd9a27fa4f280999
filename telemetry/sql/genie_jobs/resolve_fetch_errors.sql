-- Writes: marks as resolved at :resolved_at the open rows of main.ops_console.genie_fetch_errors
-- whose message is now in main.ops_console.genie_message_details (a later attempt fetched it).
UPDATE main.ops_console.genie_fetch_errors
SET resolved_at = :resolved_at
WHERE resolved_at IS NULL
  AND message_id IN (SELECT message_id FROM main.ops_console.genie_message_details)
