-- Returns the configuration of space :space_id (one row, or none if the console has not fetched
-- it): title, description, workspace_id, warehouse_id, creator, create_time, update_time,
-- deleted_time, space_version, table_count, tables (comma-separated), instruction_count,
-- instructions, sample_question_count, sample_questions (an array), example_sql_count,
-- benchmark_count and fetched_at.
SELECT
  s.space_id,
  s.title,
  s.description,
  s.workspace_id,
  s.warehouse_id,
  s.creator,
  s.create_time,
  s.update_time,
  s.deleted_time,
  s.space_version,
  CAST(CASE WHEN s.tables IS NOT NULL THEN size(s.tables) END AS INT) AS table_count,
  concat_ws(', ', s.tables) AS tables,
  s.instruction_count,
  s.instructions,
  s.sample_question_count,
  s.sample_questions,
  s.example_sql_count,
  s.benchmark_count,
  s.fetched_at
FROM main.ops_console.genie_space_details AS s
WHERE s.space_id = :space_id
ORDER BY s.fetched_at DESC, s.workspace_id
LIMIT 1
