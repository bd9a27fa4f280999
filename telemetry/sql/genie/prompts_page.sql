-- Returns one page (:page_size rows, newest first) of the Genie prompts that match the list's
-- filters: the prompt, Genie's description and SQL (NULL where the viewer may not read them, see
-- `readable`), status, error type, feedback, problem, and the statement's outcome from query history
-- (execution_status, total_duration_ms, read_rows, produced_rows). Every row carries total_rows
-- (all matches) and page (the page returned: :page clamped to 1 … the last page).
WITH
-- @include genie/_prompt_rows
numbered AS (  -- keys only: the text columns join back for the page's rows (a sort of ids is cheap)
  SELECT
    message_id,
    row_number() OVER (ORDER BY created_timestamp DESC, message_id) AS row_position,
    count(*) OVER () AS total_rows
  FROM prompt_matches
),
bounds AS (
  SELECT least(greatest(CAST(:page AS BIGINT), 1), (max(total_rows) - 1) div :page_size + 1) AS page
  FROM numbered
),
paged AS (
  SELECT m.*, n.row_position, n.total_rows, b.page
  FROM numbered AS n
  CROSS JOIN bounds AS b
  JOIN prompt_matches AS m ON m.message_id = n.message_id
  WHERE n.row_position > (b.page - 1) * :page_size AND n.row_position <= b.page * :page_size
),
outcomes AS (
  SELECT q.statement_id, q.execution_status, q.total_duration_ms, q.read_rows, q.produced_rows
  FROM system.query.history AS q
  WHERE CAST(q.start_time AS DATE) BETWEEN :start_date AND date_add(:end_date, 1)
    AND q.query_source.genie_space_id IS NOT NULL
    AND q.statement_id IN (SELECT statement_id FROM paged WHERE statement_id IS NOT NULL)
)
SELECT
  p.message_id,
  p.created_timestamp,
  p.space_id,
  coalesce(p.space_title, p.space_id) AS space_title,
  p.user_email,
  p.readable,
  CASE WHEN p.readable THEN p.content END AS content,
  CASE WHEN p.readable THEN p.query_description END AS query_description,
  CASE WHEN p.readable THEN p.generated_sql END AS generated_sql,
  p.status,
  p.error_type,
  p.feedback_rating,
  p.problem,
  o.execution_status,
  o.total_duration_ms,
  o.read_rows,
  o.produced_rows,
  p.row_position,
  p.total_rows,
  p.page
FROM paged AS p
LEFT JOIN outcomes AS o ON o.statement_id = p.statement_id
ORDER BY p.row_position
