-- Returns the assistant actions per week (weeks start on Monday, UTC) over the apps in scope: week,
-- users, questions, suggested, generated, executed, edited, downloaded, charts, summaries, sql_errors
-- (oldest first; weeks without a question or generated query left out).
WITH
-- @include tracker/_events
grouped AS (
  SELECT CAST(date_trunc('WEEK', `timestamp`) AS DATE) AS g, `user`, action FROM events
),
-- @include tracker/_assistant_counts
shown AS (
  SELECT
    g AS week, users, questions, suggested, generated, executed, edited, downloaded, charts, summaries,
    sql_errors
  FROM assistant_counts
  WHERE questions > 0 OR generated > 0
)
SELECT *
FROM shown
ORDER BY week
