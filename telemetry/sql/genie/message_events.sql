-- Returns the audit trail of Genie message :message_id, oldest first: event_time, action_name
-- (created, regenerated, feedback, review requests), user_email, status_code and feedback_rating
-- (feedback events only). Ids and statuses only: the audit log never holds the prompt.
SELECT
  a.event_time,
  a.action_name,
  a.user_identity.email AS user_email,
  a.response.status_code AS status_code,
  a.request_params['feedback_rating'] AS feedback_rating
FROM system.access.audit AS a
WHERE a.service_name = :genie_service_name
  AND a.event_date >= coalesce(
    (SELECT date_sub(CAST(min(created_timestamp) AS DATE), 1)
     FROM main.ops_console.genie_message_details WHERE message_id = :message_id),
    (SELECT CAST(min(event_time) AS DATE)
     FROM main.ops_console.genie_messages_to_fetch WHERE message_id = :message_id))
  AND a.request_params['message_id'] = :message_id
  AND (array_contains(split(:message_actions, ','), a.action_name)
       OR a.action_name IN (:feedback_action, :comment_action))
ORDER BY a.event_time, a.event_id
