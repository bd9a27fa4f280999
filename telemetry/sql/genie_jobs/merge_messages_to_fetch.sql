-- Writes: queues in main.ops_console.genie_messages_to_fetch every Genie message created since :since
-- (audit events of service :genie_service_name, actions :message_actions, successful responses) that
-- is not queued yet: status PENDING, attempts 0, discovered_at :discovered_at. Merged by message_id,
-- so rereading an overlap (late audit rows) or rerunning writes no duplicate and never resets the
-- status of a message already queued.
MERGE INTO main.ops_console.genie_messages_to_fetch AS t
USING (
  WITH
-- @include genie_jobs/_queue_audit_events
  SELECT * FROM queue_events
) AS s
ON t.message_id = s.message_id
WHEN NOT MATCHED THEN INSERT (
  workspace_id, space_id, conversation_id, message_id, user_email, source_action, event_time,
  discovered_at, status, attempts, last_attempt_at
) VALUES (
  s.workspace_id, s.space_id, s.conversation_id, s.message_id, s.user_email, s.source_action, s.event_time,
  :discovered_at, 'PENDING', 0, CAST(NULL AS TIMESTAMP)
)
