-- Returns per UTC day of the period: all events, error events (`error` or `error:<kind>`), active users
-- and users who hit an error (day, events, errors, users, users_with_errors; oldest first).
WITH
-- @include tracker/_events
flagged AS (
  SELECT
    CAST(`timestamp` AS DATE) AS day,
    `user`,
    CASE WHEN action = 'error' OR action LIKE 'error:%' THEN 1 ELSE 0 END AS is_error
  FROM events
)
SELECT
  day,
  count(*) AS events,
  sum(is_error) AS errors,
  count(DISTINCT `user`) AS users,
  count(DISTINCT CASE WHEN is_error = 1 THEN `user` END) AS users_with_errors
FROM flagged
GROUP BY day
ORDER BY day
