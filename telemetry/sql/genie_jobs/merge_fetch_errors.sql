-- Writes: records failed Genie API fetches (:rows, a JSON array of genie_fetch_errors rows) in
-- main.ops_console.genie_fetch_errors, one row per message and attempt number: a batch written again
-- after a crash (same attempt numbers) replaces its rows instead of adding them twice.
MERGE INTO main.ops_console.genie_fetch_errors AS t
USING (
  SELECT inline(from_json(:rows, 'ARRAY<STRUCT<workspace_id: STRING, space_id: STRING, conversation_id: STRING, message_id: STRING, attempted_at: TIMESTAMP, attempt: INT, http_status: INT, error_code: STRING, error_message: STRING, resolved_at: TIMESTAMP>>'))
) AS s
ON t.message_id = s.message_id AND t.attempt = s.attempt
WHEN MATCHED THEN UPDATE SET
  workspace_id = s.workspace_id,
  space_id = s.space_id,
  conversation_id = s.conversation_id,
  message_id = s.message_id,
  attempted_at = s.attempted_at,
  attempt = s.attempt,
  http_status = s.http_status,
  error_code = s.error_code,
  error_message = s.error_message,
  resolved_at = s.resolved_at
WHEN NOT MATCHED THEN INSERT (
  workspace_id, space_id, conversation_id, message_id, attempted_at, attempt, http_status, error_code,
  error_message, resolved_at
) VALUES (
  s.workspace_id, s.space_id, s.conversation_id, s.message_id, s.attempted_at, s.attempt, s.http_status,
  s.error_code, s.error_message, s.resolved_at
)
