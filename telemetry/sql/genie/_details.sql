-- Fragment: CTE `details`: the Genie messages the genie-messages job fetched (genie_message_details)
-- created from :prev_start_date to :end_date, in scope (workspace, space, API traffic): workspace_id,
-- space_id, conversation_id, message_id, user_email, status, error_type, feedback_rating,
-- statement_id, created_timestamp, day, period ('current' from :start_date, else 'previous'),
-- finished (a final status), succeeded (COMPLETED, or QUERY_RESULT_EXPIRED: answered, result since
-- expired) and failed (FAILED).
details AS (
  SELECT
    m.workspace_id,
    m.space_id,
    m.conversation_id,
    m.message_id,
    m.user_email,
    m.status,
    m.error_type,
    m.feedback_rating,
    m.statement_id,
    m.created_timestamp,
    CAST(m.created_timestamp AS DATE) AS day,
    CASE WHEN CAST(m.created_timestamp AS DATE) >= :start_date THEN 'current' ELSE 'previous' END AS period,
    m.status IN ('COMPLETED', 'FAILED', 'CANCELLED', 'QUERY_RESULT_EXPIRED') AS finished,
    m.status IN ('COMPLETED', 'QUERY_RESULT_EXPIRED') AS succeeded,
    m.status = 'FAILED' AS failed
  FROM main.ops_console.genie_message_details AS m
  WHERE CAST(m.created_timestamp AS DATE) BETWEEN :prev_start_date AND :end_date
    AND (:workspace_id = '' OR m.workspace_id = :workspace_id)
    AND (:space_id = '' OR m.space_id = :space_id)
    AND NOT (:exclude_service_principals AND m.user_email NOT LIKE '%@%')
),
