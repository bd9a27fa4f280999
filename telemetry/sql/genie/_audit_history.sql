-- Fragment: CTE `genie_user_days`: one row per Genie user, space and day with a message (the
-- message-creating audit actions, status 2xx) from :from_date (the history before the period, so
-- "new" means no message in it) to :end_date, in scope: user_email, space_id, event_date.
genie_user_days AS (
  SELECT DISTINCT
    a.user_identity.email AS user_email,
    coalesce(a.request_params['space_id'], get_json_object(a.response.result, '$.space_id'),
             get_json_object(a.response.result, '$.message.space_id')) AS space_id,
    a.event_date
  FROM system.access.audit AS a
  WHERE a.service_name = :genie_service_name
    AND array_contains(split(:message_actions, ','), a.action_name)
    AND a.response.status_code BETWEEN 200 AND 299
    AND a.event_date BETWEEN :from_date AND :end_date
    AND a.user_identity.email IS NOT NULL
    AND (:workspace_id = '' OR a.workspace_id = :workspace_id)
    AND (:space_id = '' OR coalesce(a.request_params['space_id'], get_json_object(a.response.result, '$.space_id'),
                                    get_json_object(a.response.result, '$.message.space_id')) = :space_id)
    AND NOT (:exclude_service_principals AND a.user_identity.email NOT LIKE '%@%')
),
