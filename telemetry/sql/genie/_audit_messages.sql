-- Fragment: CTE `genie_messages`: every Genie message created from :prev_start_date to :end_date
-- according to the audit log (the message-creating actions :message_actions of :genie_service_name,
-- status 2xx), in scope (workspace, space, API traffic): one row per message with workspace_id,
-- space_id, conversation_id, message_id, user_email, event_date, event_time and period ('current'
-- from :start_date, else 'previous'). Ids come from request_params, else from the JSON in
-- response.result (as the genie-messages-to-fetch job reads them).
audit_message_rows AS (
  SELECT
    a.workspace_id,
    coalesce(a.request_params['space_id'], get_json_object(a.response.result, '$.space_id'),
             get_json_object(a.response.result, '$.message.space_id')) AS space_id,
    coalesce(a.request_params['conversation_id'], get_json_object(a.response.result, '$.conversation_id'),
             get_json_object(a.response.result, '$.message.conversation_id')) AS conversation_id,
    coalesce(a.request_params['message_id'], get_json_object(a.response.result, '$.message_id'),
             get_json_object(a.response.result, '$.message.id'), a.event_id) AS message_id,
    a.user_identity.email AS user_email,
    a.event_date,
    a.event_time
  FROM system.access.audit AS a
  WHERE a.service_name = :genie_service_name
    AND array_contains(split(:message_actions, ','), a.action_name)
    AND a.response.status_code BETWEEN 200 AND 299
    AND a.event_date BETWEEN :prev_start_date AND :end_date
    AND (:workspace_id = '' OR a.workspace_id = :workspace_id)
    AND NOT (:exclude_service_principals AND a.user_identity.email NOT LIKE '%@%')
),
genie_messages AS (
  SELECT
    workspace_id,
    space_id,
    conversation_id,
    message_id,
    min(user_email) AS user_email,
    min(event_date) AS event_date,
    min(event_time) AS event_time,
    CASE WHEN min(event_date) >= :start_date THEN 'current' ELSE 'previous' END AS period
  FROM audit_message_rows
  WHERE (:space_id = '' OR space_id = :space_id)
  GROUP BY workspace_id, space_id, conversation_id, message_id
),
