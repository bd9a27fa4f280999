-- Fragment: CTEs `prompt_spaces` (one row per space: title, creator) and `prompt_rows`: the Genie
-- messages in scope (period by created_timestamp, workspace, space, user e-mail in any case, API
-- traffic; only the columns the list shows, so the attachments JSON never enters a sort), each with
-- `readable` (the viewer may read its text: :content_scope 'all', or 'own' and the viewer created
-- the space) and `problem` (failed, thumbs down, and/or rephrased: the next message of the same
-- user in the same space within :rephrase_minutes after a failed or thumbs-down one); then
-- `prompt_matches`: those rows that match the list's filters (status, feedback, problems only, and
-- the search text, looked for literally, case-insensitively, in the prompt, Genie's title and
-- description and the SQL of the rows the viewer may read only).
prompt_spaces AS (
  SELECT space_id, max(title) AS title, max(lower(creator)) AS creator
  FROM main.ops_console.genie_space_details
  GROUP BY space_id
),
scoped AS (
  SELECT
    m.workspace_id, m.space_id, m.message_id, m.user_email, m.created_timestamp, m.status, m.error_type,
    m.feedback_rating, m.statement_id, m.content, m.query_title, m.query_description, m.generated_sql,
    s.title AS space_title,
    (:content_scope = 'all' OR (:content_scope = 'own' AND coalesce(s.creator = :viewer_email, false)))
      AS readable,
    lag(m.status) OVER w AS previous_status,
    lag(m.feedback_rating) OVER w AS previous_feedback,
    lag(m.created_timestamp) OVER w AS previous_created
  FROM main.ops_console.genie_message_details AS m
  LEFT JOIN prompt_spaces AS s ON s.space_id = m.space_id
  WHERE CAST(m.created_timestamp AS DATE) BETWEEN :start_date AND :end_date
    AND (:workspace_id = '' OR m.workspace_id = :workspace_id)
    AND (:space_id = '' OR m.space_id = :space_id)
    AND (:user_email = '' OR lower(m.user_email) = lower(:user_email))
    AND NOT (:exclude_service_principals AND m.user_email NOT LIKE '%@%')
  WINDOW w AS (PARTITION BY m.space_id, m.user_email ORDER BY m.created_timestamp, m.message_id)
),
prompt_rows AS (
  SELECT
    *,
    concat_ws(', ',
      CASE WHEN status = 'FAILED' THEN 'failed' END,
      CASE WHEN feedback_rating = 'NEGATIVE' THEN 'thumbs down' END,
      CASE WHEN (previous_status = 'FAILED' OR previous_feedback = 'NEGATIVE')
                AND unix_micros(created_timestamp) - unix_micros(previous_created)
                    <= CAST(:rephrase_minutes AS BIGINT) * 60000000
           THEN 'rephrased' END) AS problem
  FROM scoped
),
prompt_matches AS (
  SELECT *
  FROM prompt_rows
  WHERE (:status = '' OR status = :status)
    AND (:feedback = '' OR coalesce(feedback_rating, 'NONE') = :feedback)
    AND (NOT :problems_only OR problem <> '')
    AND (:search = '' OR (readable AND (
          instr(lower(coalesce(content, '')), lower(:search)) > 0
          OR instr(lower(coalesce(query_title, '')), lower(:search)) > 0
          OR instr(lower(coalesce(query_description, '')), lower(:search)) > 0
          OR instr(lower(coalesce(generated_sql, '')), lower(:search)) > 0)))
),
