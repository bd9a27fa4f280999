-- Returns the queued Genie messages genie-messages still has to fetch, oldest event first: the rows
-- of main.ops_console.genie_messages_to_fetch whose message is not in
-- main.ops_console.genie_message_details yet, that were not given up (status FAILED), have had fewer
-- than :max_attempts failed attempts, and were not tried since :run_started (so a run that reads the
-- queue again never retries in the same run what it has just tried).
SELECT
  q.workspace_id,
  q.space_id,
  q.conversation_id,
  q.message_id,
  q.user_email,
  q.source_action,
  q.event_time,
  q.discovered_at,
  q.status,
  q.attempts,
  q.last_attempt_at
FROM main.ops_console.genie_messages_to_fetch AS q
WHERE coalesce(q.status, 'PENDING') <> 'FAILED'
  AND coalesce(q.attempts, 0) < :max_attempts
  AND (q.last_attempt_at IS NULL OR q.last_attempt_at < :run_started)
  AND q.message_id IS NOT NULL
  AND NOT EXISTS (
    SELECT 1 FROM main.ops_console.genie_message_details AS d WHERE d.message_id = q.message_id
  )
ORDER BY q.event_time, q.message_id, q.discovered_at
