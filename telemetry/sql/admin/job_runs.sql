-- Returns the latest runs (at most :limit per job) of the jobs :job_ids (comma-separated job ids; ''
-- means every job) named one of :job_names (comma-separated; '' means any name) that started on or after
-- :start_date, newest first within each job: job_id,
-- job_name, run_id, result_state (the terminal result; NULL while the run goes on), termination_code,
-- trigger_type, run_as, started, ended and duration_seconds (a run's hourly slices folded into one row).
-- The admin page's run history when the Jobs API does not answer.
WITH
-- @include admin/_latest_jobs
runs AS (
  SELECT
    t.workspace_id,
    t.job_id,
    t.run_id,
    max(t.result_state) AS result_state,
    max(t.termination_code) AS termination_code,
    max(t.trigger_type) AS trigger_type,
    min(t.period_start_time) AS started,
    max(t.period_end_time) AS ended
  FROM system.lakeflow.job_run_timeline AS t
  WHERE (:job_ids = '' OR array_contains(split(:job_ids, ','), t.job_id))
    AND CAST(t.period_start_time AS DATE) >= :start_date
  GROUP BY t.workspace_id, t.job_id, t.run_id
),
ranked AS (
  SELECT r.*, row_number() OVER (PARTITION BY r.workspace_id, r.job_id ORDER BY r.started DESC, r.run_id DESC) AS n
  FROM runs AS r
)
SELECT
  r.job_id,
  j.name AS job_name,
  r.run_id,
  r.result_state,
  r.termination_code,
  r.trigger_type,
  j.run_as,
  r.started,
  r.ended,
  CAST(unix_micros(r.ended) - unix_micros(r.started) AS DOUBLE) / 1000000 AS duration_seconds
FROM ranked AS r
LEFT JOIN latest_jobs AS j ON j.workspace_id = r.workspace_id AND j.job_id = r.job_id
WHERE r.n <= :limit
  AND (:job_names = '' OR array_contains(split(:job_names, ','), j.name))
ORDER BY r.job_id, r.started DESC, r.run_id DESC
