-- Fragment: CTE `queue_events`: the Genie messages created since :since, one row per message id
-- (its first successful message-creating audit event): workspace_id, space_id, conversation_id,
-- message_id, user_email, source_action, event_time. Ids come from request_params, else from the
-- JSON in response.result (the UI's createConversationMessage logs them there), top level or
-- under `message`.
queue_event_rows AS (
  SELECT
    a.workspace_id,
    coalesce(a.request_params['space_id'], get_json_object(a.response.result, '$.space_id'),
             get_json_object(a.response.result, '$.message.space_id')) AS space_id,
    coalesce(a.request_params['conversation_id'], get_json_object(a.response.result, '$.conversation_id'),
             get_json_object(a.response.result, '$.message.conversation_id')) AS conversation_id,
    coalesce(a.request_params['message_id'], get_json_object(a.response.result, '$.message_id'),
             get_json_object(a.response.result, '$.message.id')) AS message_id,
    a.user_identity.email AS user_email,
    a.action_name AS source_action,
    a.event_time,
    a.event_id
  FROM system.access.audit AS a
  WHERE a.service_name = :genie_service_name
    AND array_contains(split(:message_actions, ','), a.action_name)
    AND a.response.status_code BETWEEN 200 AND 299
    AND a.event_date >= CAST(:since AS DATE)
    AND a.event_time >= :since
),
queue_events AS (
  SELECT workspace_id, space_id, conversation_id, message_id, user_email, source_action, event_time
  FROM (
    SELECT *, row_number() OVER (PARTITION BY message_id ORDER BY event_time, event_id) AS nth
    FROM queue_event_rows
    WHERE message_id IS NOT NULL
  ) AS ranked
  WHERE nth = 1
)
