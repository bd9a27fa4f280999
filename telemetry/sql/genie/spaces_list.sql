-- Returns every Genie space the console knows (for the per-space page's picker, which validates
-- ?space= against it): space_id, title (the space id when the space details lack it), workspace_id
-- and deleted (trashed since: no longer listed by the Genie API). Spaces seen only in fetched
-- messages (e.g. the job may not read their configuration) are included.
WITH configured AS (
  SELECT space_id, max(title) AS title, max(workspace_id) AS workspace_id, max(deleted_time) IS NOT NULL AS deleted
  FROM main.ops_console.genie_space_details
  GROUP BY space_id
),
messaged AS (
  SELECT space_id, max(workspace_id) AS workspace_id
  FROM main.ops_console.genie_message_details
  WHERE space_id IS NOT NULL
  GROUP BY space_id
)
SELECT
  coalesce(c.space_id, m.space_id) AS space_id,
  coalesce(c.title, c.space_id, m.space_id) AS title,
  coalesce(c.workspace_id, m.workspace_id) AS workspace_id,
  coalesce(c.deleted, false) AS deleted
FROM configured AS c
FULL OUTER JOIN messaged AS m ON m.space_id = c.space_id
ORDER BY lower(coalesce(c.title, c.space_id, m.space_id)), coalesce(c.space_id, m.space_id)
