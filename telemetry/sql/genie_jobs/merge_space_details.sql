-- Writes: merges the Genie spaces listed by the API (:rows, a JSON array of genie_space_details rows)
-- into main.ops_console.genie_space_details by space_id, and clears deleted_time (listed again).
-- A row without serialized_space (no CAN EDIT on the space, or its get failed) keeps the
-- configuration stored earlier: the parsed columns change only together with serialized_space.
MERGE INTO main.ops_console.genie_space_details AS t
USING (
  SELECT inline(from_json(:rows, 'ARRAY<STRUCT<workspace_id: STRING, space_id: STRING, title: STRING, description: STRING, warehouse_id: STRING, parent_path: STRING, creator: STRING, create_time: TIMESTAMP, update_time: TIMESTAMP, serialized_space: STRING, space_version: INT, tables: ARRAY<STRING>, instructions: STRING, sample_questions: ARRAY<STRING>, sample_question_count: INT, instruction_count: INT, example_sql_count: INT, benchmark_count: INT, fetched_at: TIMESTAMP, deleted_time: TIMESTAMP>>'))
) AS s
ON t.space_id = s.space_id
WHEN MATCHED THEN UPDATE SET
  workspace_id = coalesce(s.workspace_id, t.workspace_id),
  title = s.title,
  description = s.description,
  warehouse_id = s.warehouse_id,
  parent_path = s.parent_path,
  creator = coalesce(s.creator, t.creator),
  create_time = coalesce(s.create_time, t.create_time),
  update_time = coalesce(s.update_time, t.update_time),
  serialized_space = coalesce(s.serialized_space, t.serialized_space),
  space_version = CASE WHEN s.serialized_space IS NULL THEN t.space_version ELSE s.space_version END,
  tables = CASE WHEN s.serialized_space IS NULL THEN t.tables ELSE s.tables END,
  instructions = CASE WHEN s.serialized_space IS NULL THEN t.instructions ELSE s.instructions END,
  sample_questions = CASE WHEN s.serialized_space IS NULL THEN t.sample_questions ELSE s.sample_questions END,
  sample_question_count = CASE WHEN s.serialized_space IS NULL THEN t.sample_question_count
                               ELSE s.sample_question_count END,
  instruction_count = CASE WHEN s.serialized_space IS NULL THEN t.instruction_count ELSE s.instruction_count END,
  example_sql_count = CASE WHEN s.serialized_space IS NULL THEN t.example_sql_count ELSE s.example_sql_count END,
  benchmark_count = CASE WHEN s.serialized_space IS NULL THEN t.benchmark_count ELSE s.benchmark_count END,
  fetched_at = s.fetched_at,
  deleted_time = CAST(NULL AS TIMESTAMP)
WHEN NOT MATCHED THEN INSERT (
  workspace_id, space_id, title, description, warehouse_id, parent_path, creator, create_time, update_time,
  serialized_space, space_version, tables, instructions, sample_questions, sample_question_count,
  instruction_count, example_sql_count, benchmark_count, fetched_at, deleted_time
) VALUES (
  s.workspace_id, s.space_id, s.title, s.description, s.warehouse_id, s.parent_path, s.creator, s.create_time,
  s.update_time, s.serialized_space, s.space_version, s.tables, s.instructions, s.sample_questions,
  s.sample_question_count, s.instruction_count, s.example_sql_count, s.benchmark_count, s.fetched_at,
  s.deleted_time
)
