-- Returns the Genie spaces :user_email created (e-mails compared case-insensitively), not trashed:
-- space_id, title (the space id when the details lack one), workspace_id, workspace, create_time.
-- An empty :user_email returns every space (the two-engines check).
SELECT
  s.space_id,
  coalesce(s.title, s.space_id) AS title,
  s.workspace_id,
  coalesce(w.workspace_name, s.workspace_id) AS workspace,
  s.create_time
FROM main.ops_console.genie_space_details AS s
LEFT JOIN system.access.workspaces_latest AS w ON w.workspace_id = s.workspace_id
WHERE s.deleted_time IS NULL
  AND (:user_email = '' OR lower(s.creator) = lower(:user_email))
ORDER BY lower(coalesce(s.title, s.space_id)), s.space_id
