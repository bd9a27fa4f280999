-- Returns one row per Genie space the genie-spaces job fetched (in scope: workspace): space_id,
-- title, workspace_id, warehouse_id, creator, table_count, tables (comma-separated),
-- instruction_count, sample_question_count, example_sql_count, benchmark_count, space_version,
-- update_time, deleted_time, fetched_at, messages in the period (audit log) and last_message.
WITH
-- @include genie/_audit_messages
spaces AS (
  SELECT *
  FROM (
    SELECT *, row_number() OVER (PARTITION BY space_id ORDER BY fetched_at DESC, workspace_id) AS nth
    FROM main.ops_console.genie_space_details
    WHERE (:workspace_id = '' OR workspace_id = :workspace_id)
      AND (:space_id = '' OR space_id = :space_id)
  ) AS ranked
  WHERE nth = 1
),
activity AS (
  SELECT space_id, count(DISTINCT message_id) AS messages, max(event_time) AS last_message
  FROM genie_messages
  WHERE period = 'current'
  GROUP BY space_id
)
SELECT
  s.space_id,
  s.title,
  s.workspace_id,
  s.warehouse_id,
  s.creator,
  CAST(CASE WHEN s.tables IS NOT NULL THEN size(s.tables) END AS INT) AS table_count,
  concat_ws(', ', s.tables) AS tables,
  s.instruction_count,
  s.sample_question_count,
  s.example_sql_count,
  s.benchmark_count,
  s.space_version,
  s.update_time,
  s.deleted_time,
  s.fetched_at,
  coalesce(a.messages, 0) AS messages,
  a.last_message
FROM spaces AS s
LEFT JOIN activity AS a ON a.space_id = s.space_id
ORDER BY s.deleted_time IS NOT NULL, lower(s.title), s.space_id
