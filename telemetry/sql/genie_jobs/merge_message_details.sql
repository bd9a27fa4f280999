-- Writes: merges the Genie messages fetched from the API (:rows, a JSON array of
-- genie_message_details rows) into main.ops_console.genie_message_details by message_id, so a
-- message fetched twice (a rerun after a crash) is one row.
MERGE INTO main.ops_console.genie_message_details AS t
USING (
  SELECT inline(from_json(:rows, 'ARRAY<STRUCT<workspace_id: STRING, space_id: STRING, conversation_id: STRING, message_id: STRING, user_id: STRING, user_email: STRING, conversation_title: STRING, content: STRING, status: STRING, error_type: STRING, error_message: STRING, created_timestamp: TIMESTAMP, last_updated_timestamp: TIMESTAMP, attachment_id: STRING, generated_sql: STRING, query_title: STRING, query_description: STRING, statement_id: STRING, row_count: BIGINT, is_truncated: BOOLEAN, text_response: STRING, suggested_questions: ARRAY<STRING>, feedback_rating: STRING, feedback_comment: STRING, attachments: STRING, fetched_at: TIMESTAMP>>'))
) AS s
ON t.message_id = s.message_id
WHEN MATCHED THEN UPDATE SET
  workspace_id = s.workspace_id,
  space_id = s.space_id,
  conversation_id = s.conversation_id,
  message_id = s.message_id,
  user_id = s.user_id,
  user_email = s.user_email,
  conversation_title = s.conversation_title,
  content = s.content,
  status = s.status,
  error_type = s.error_type,
  error_message = s.error_message,
  created_timestamp = s.created_timestamp,
  last_updated_timestamp = s.last_updated_timestamp,
  attachment_id = s.attachment_id,
  generated_sql = s.generated_sql,
  query_title = s.query_title,
  query_description = s.query_description,
  statement_id = s.statement_id,
  row_count = s.row_count,
  is_truncated = s.is_truncated,
  text_response = s.text_response,
  suggested_questions = s.suggested_questions,
  feedback_rating = s.feedback_rating,
  feedback_comment = s.feedback_comment,
  attachments = s.attachments,
  fetched_at = s.fetched_at
WHEN NOT MATCHED THEN INSERT (
  workspace_id, space_id, conversation_id, message_id, user_id, user_email, conversation_title, content,
  status, error_type, error_message, created_timestamp, last_updated_timestamp, attachment_id, generated_sql,
  query_title, query_description, statement_id, row_count, is_truncated, text_response, suggested_questions,
  feedback_rating, feedback_comment, attachments, fetched_at
) VALUES (
  s.workspace_id, s.space_id, s.conversation_id, s.message_id, s.user_id, s.user_email, s.conversation_title,
  s.content, s.status, s.error_type, s.error_message, s.created_timestamp, s.last_updated_timestamp,
  s.attachment_id, s.generated_sql, s.query_title, s.query_description, s.statement_id, s.row_count,
  s.is_truncated, s.text_response, s.suggested_questions, s.feedback_rating, s.feedback_comment,
  s.attachments, s.fetched_at
)
