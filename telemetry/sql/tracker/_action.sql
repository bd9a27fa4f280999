-- Fragment: the expression `action` of a tracker row `t`, in the library's vocabulary: the names the
-- original tracking helpers wrote are mapped (generate_question → question_asked, sql_query →
-- sql_generated, …) and errors written as '<kind>_error: <message>' (or app_error) become
-- error:<kind>_error, so an app's history reads as one. Other names pass unchanged. An expression, not a
-- CTE, so the filters of the query that includes it still reach the table scan.
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
END
