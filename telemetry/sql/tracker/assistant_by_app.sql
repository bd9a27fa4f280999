-- Returns the assistant actions per app in the period, for apps that tracked at least one question or
-- generated query: app_name, users, questions, suggested (clicks), generated, executed, edited,
-- downloaded, charts, summaries, sql_errors (LLM or SQL failures) (most questions first).
WITH
-- @include tracker/_events
grouped AS (
  SELECT app_name AS g, `user`, action FROM events
),
-- @include tracker/_assistant_counts
shown AS (
  SELECT
    g AS app_name, users, questions, suggested, generated, executed, edited, downloaded, charts, summaries,
    sql_errors
  FROM assistant_counts
  WHERE questions > 0 OR generated > 0
)
SELECT *
FROM shown
ORDER BY questions DESC, app_name
