-- Fragment: the assistant actions (telemetry.tracker.Actions) counted per group `g` of CTE `grouped(g,
-- user, action)`; the including query defines `grouped` first. Columns: g, users (anyone with an event),
-- questions, suggested, generated, executed, edited, downloaded, charts, summaries, sql_errors.
assistant_counts AS (
  SELECT
    g,
    count(DISTINCT `user`) AS users,
    sum(CASE WHEN action = 'question_asked' THEN 1 ELSE 0 END) AS questions,
    sum(CASE WHEN action = 'suggested_question_clicked' THEN 1 ELSE 0 END) AS suggested,
    sum(CASE WHEN action = 'sql_generated' THEN 1 ELSE 0 END) AS generated,
    sum(CASE WHEN action = 'sql_executed' THEN 1 ELSE 0 END) AS executed,
    sum(CASE WHEN action = 'sql_edited' THEN 1 ELSE 0 END) AS edited,
    sum(CASE WHEN action = 'results_downloaded' THEN 1 ELSE 0 END) AS downloaded,
    sum(CASE WHEN action = 'chart_generated' THEN 1 ELSE 0 END) AS charts,
    sum(CASE WHEN action = 'summary_generated' THEN 1 ELSE 0 END) AS summaries,
    sum(CASE WHEN action IN ('error:sql_error', 'error:llm_error') THEN 1 ELSE 0 END) AS sql_errors
  FROM grouped
  GROUP BY g
),
