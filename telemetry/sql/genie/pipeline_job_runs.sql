-- Returns every run of the console's Genie jobs (:genie_job_names, comma-separated) that started in
-- the period, newest first: job_name, run_id, state (the terminal result_state; RUNNING while no
-- slice has one), termination_code, trigger_type, started, ended and duration_seconds (a run's
-- time slices folded into one row).
WITH
-- @include admin/_latest_jobs
jobs AS (
  SELECT workspace_id, job_id, name
  FROM latest_jobs
  WHERE array_contains(split(:genie_job_names, ','), name)
    AND (:workspace_id = '' OR workspace_id = :workspace_id)
),
runs AS (
  SELECT
    j.name AS job_name,
    t.run_id,
    max(t.result_state) AS result_state,
    max(t.termination_code) AS termination_code,
    max(t.trigger_type) AS trigger_type,
    min(t.period_start_time) AS started,
    max(t.period_end_time) AS ended
  FROM system.lakeflow.job_run_timeline AS t
  JOIN jobs AS j ON j.workspace_id = t.workspace_id AND j.job_id = t.job_id
  WHERE CAST(t.period_start_time AS DATE) BETWEEN :start_date AND :end_date
  GROUP BY j.name, t.run_id
)
SELECT
  job_name,
  run_id,
  coalesce(result_state, 'RUNNING') AS state,
  termination_code,
  trigger_type,
  started,
  ended,
  CAST(unix_micros(ended) - unix_micros(started) AS DOUBLE) / 1000000 AS duration_seconds
FROM runs
ORDER BY started DESC, job_name, run_id
