-- Returns the fetched Genie message :message_id (one row; none when it is unknown): its space, user,
-- status, error type, timestamps and feedback rating for every viewer; its text (prompt, Genie's
-- title, description, SQL, answer, suggested questions, attachments JSON, error and feedback
-- comments) only where `readable` (:content_scope 'all', or 'own' and the viewer created the space),
-- NULL otherwise; and the statement's outcome from query history (execution_status,
-- total_duration_ms, read_rows, produced_rows, statement_error).
WITH spaces AS (
  SELECT space_id, max(title) AS title, max(lower(creator)) AS creator
  FROM main.ops_console.genie_space_details
  GROUP BY space_id
),
message AS (
  SELECT
    m.*,
    s.title AS space_title,
    (:content_scope = 'all' OR (:content_scope = 'own' AND coalesce(s.creator = :viewer_email, false)))
      AS readable,
    row_number() OVER (ORDER BY m.fetched_at DESC, m.last_updated_timestamp DESC) AS version
  FROM main.ops_console.genie_message_details AS m
  LEFT JOIN spaces AS s ON s.space_id = m.space_id
  WHERE m.message_id = :message_id
)
SELECT
  m.message_id,
  m.workspace_id,
  m.space_id,
  coalesce(m.space_title, m.space_id) AS space_title,
  m.conversation_id,
  m.user_email,
  m.readable,
  CASE WHEN m.readable THEN m.conversation_title END AS conversation_title,
  CASE WHEN m.readable THEN m.content END AS content,
  m.status,
  m.error_type,
  CASE WHEN m.readable THEN m.error_message END AS error_message,
  m.created_timestamp,
  m.last_updated_timestamp,
  CASE WHEN m.readable THEN m.query_title END AS query_title,
  CASE WHEN m.readable THEN m.query_description END AS query_description,
  CASE WHEN m.readable THEN m.generated_sql END AS generated_sql,
  m.statement_id,
  m.row_count,
  m.is_truncated,
  CASE WHEN m.readable THEN m.text_response END AS text_response,
  CASE WHEN m.readable THEN m.suggested_questions END AS suggested_questions,
  m.feedback_rating,
  CASE WHEN m.readable THEN m.feedback_comment END AS feedback_comment,
  CASE WHEN m.readable THEN m.attachments END AS attachments,
  m.fetched_at,
  q.execution_status,
  q.total_duration_ms,
  q.read_rows,
  q.produced_rows,
  CASE WHEN m.readable THEN q.error_message END AS statement_error
FROM message AS m
LEFT JOIN system.query.history AS q
  ON q.statement_id = m.statement_id
  AND q.start_time >= m.created_timestamp - INTERVAL 1 DAY
WHERE m.version = 1
