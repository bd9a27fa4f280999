-- Fragment: CTE tracked(timestamp, app_name, user, action): the tracker table's four classic columns, with
-- the action names the original tracking helpers wrote mapped to the library's vocabulary (so an app's
-- history reads as one): generate_question → question_asked, sql_query → sql_generated, …, and errors
-- written as '<kind>_error: <message>' (or app_error) → error:<kind>_error. Other names pass unchanged.
tracked AS (
  SELECT
    t.`timestamp`,
    t.app_name,
    t.`user`,
    CASE
      WHEN t.action RLIKE '^[a-z_]+_error: ' THEN concat('error:', regexp_extract(t.action, '^([a-z_]+_error): ', 1))
      WHEN t.action = 'app_error' THEN 'error:app_error'
      WHEN t.action = 'generate_question' THEN 'question_asked'
      WHEN t.action = 'sql_query' THEN 'sql_generated'
      WHEN t.action = 'execute_sql' THEN 'sql_executed'
      WHEN t.action = 'edit_sql' THEN 'sql_edited'
      WHEN t.action = 'download_results' THEN 'results_downloaded'
      WHEN t.action = 'generate_chart' THEN 'chart_generated'
      WHEN t.action = 'generate_summary' THEN 'summary_generated'
      WHEN t.action = 'view_random_questions' THEN 'suggested_question_clicked'
      WHEN t.action = 'select_columns' THEN 'columns_selected'
      ELSE t.action
    END AS action
  FROM main.ops_console.app_events AS t
),
