-- Writes: queues the messages in :rows (a JSON array of genie_messages_to_fetch rows) in
-- main.ops_console.genie_messages_to_fetch unless they are queued already (by message_id): the
-- benchmark and the tests queue messages this way; the audit log's queue job has its own merge.
MERGE INTO main.ops_console.genie_messages_to_fetch AS t
USING (
  SELECT inline(from_json(:rows, 'ARRAY<STRUCT<workspace_id: STRING, space_id: STRING, conversation_id: STRING, message_id: STRING, user_email: STRING, source_action: STRING, event_time: TIMESTAMP, discovered_at: TIMESTAMP, status: STRING, attempts: INT, last_attempt_at: TIMESTAMP>>'))
) AS s
ON t.message_id = s.message_id
WHEN NOT MATCHED THEN INSERT (
  workspace_id, space_id, conversation_id, message_id, user_email, source_action, event_time, discovered_at,
  status, attempts, last_attempt_at
) VALUES (
  s.workspace_id, s.space_id, s.conversation_id, s.message_id, s.user_email, s.source_action, s.event_time,
  s.discovered_at, s.status, s.attempts, s.last_attempt_at
)
