-- Writes: records a genie-messages batch in main.ops_console.genie_messages_to_fetch (:rows, a JSON
-- array of queue rows): each message's status (FETCHED, PENDING, FAILED), attempts and
-- last_attempt_at, by message_id. Only those three columns change; the queue job owns the others.
MERGE INTO main.ops_console.genie_messages_to_fetch AS t
USING (
  SELECT inline(from_json(:rows, 'ARRAY<STRUCT<workspace_id: STRING, space_id: STRING, conversation_id: STRING, message_id: STRING, user_email: STRING, source_action: STRING, event_time: TIMESTAMP, discovered_at: TIMESTAMP, status: STRING, attempts: INT, last_attempt_at: TIMESTAMP>>'))
) AS s
ON t.message_id = s.message_id
WHEN MATCHED THEN UPDATE SET status = s.status, attempts = s.attempts, last_attempt_at = s.last_attempt_at
