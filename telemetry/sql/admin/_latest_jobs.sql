-- Fragment: CTE `latest_jobs` (workspace_id, job_id, name, run_as): each job's latest version in
-- system.lakeflow.jobs, which keeps one row per change to a job.
latest_jobs AS (
  SELECT workspace_id, job_id, name, run_as
  FROM (
    SELECT workspace_id, job_id, name, run_as,
           row_number() OVER (PARTITION BY workspace_id, job_id ORDER BY change_time DESC) AS version
    FROM system.lakeflow.jobs
  ) AS j
  WHERE version = 1
),
