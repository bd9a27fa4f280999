-- Fragment: CTE `genie_statements`: the SQL statements Genie ran from :start_date to :end_date
-- (system.query.history rows with query_source.genie_space_id, plus statements whose statement_id
-- a fetched Genie message names), in scope: statement_id, space_id (genie_space_id, else the
-- message's space), day, execution_status, total_duration_ms, queue_ms (waiting for compute and at
-- capacity), produced_rows and matched (a fetched message names its statement_id).
message_statements AS (
  SELECT statement_id, max(space_id) AS space_id
  FROM main.ops_console.genie_message_details
  WHERE statement_id IS NOT NULL
    AND CAST(created_timestamp AS DATE) BETWEEN date_sub(:start_date, 1) AND :end_date
  GROUP BY statement_id
),
genie_statements AS (
  SELECT
    q.statement_id,
    coalesce(q.query_source.genie_space_id, m.space_id) AS space_id,
    CAST(q.start_time AS DATE) AS day,
    q.execution_status,
    q.total_duration_ms,
    coalesce(q.waiting_for_compute_duration_ms, 0) + coalesce(q.waiting_at_capacity_duration_ms, 0) AS queue_ms,
    q.produced_rows,
    m.statement_id IS NOT NULL AS matched
  FROM system.query.history AS q
  LEFT JOIN message_statements AS m ON m.statement_id = q.statement_id
  WHERE CAST(q.start_time AS DATE) BETWEEN :start_date AND :end_date
    AND (q.query_source.genie_space_id IS NOT NULL OR m.statement_id IS NOT NULL)
    AND (:workspace_id = '' OR q.workspace_id = :workspace_id)
    AND (:space_id = '' OR coalesce(q.query_source.genie_space_id, m.space_id) = :space_id)
),
