-- Returns the :limit users with the most error events (`error` or `error:<kind>`) in the period: user,
-- errors, events (all of theirs), kinds and apps with errors, last_error (most errors first).
WITH
-- @include tracker/_events
per_user AS (
  SELECT
    `user`,
    sum(CASE WHEN action = 'error' OR action LIKE 'error:%' THEN 1 ELSE 0 END) AS errors,
    count(*) AS events,
    count(DISTINCT CASE WHEN action = 'error' OR action LIKE 'error:%' THEN action END) AS kinds,
    count(DISTINCT CASE WHEN action = 'error' OR action LIKE 'error:%' THEN app_name END) AS apps,
    max(CASE WHEN action = 'error' OR action LIKE 'error:%' THEN `timestamp` END) AS last_error
  FROM events
  GROUP BY `user`
)
SELECT `user`, errors, events, kinds, apps, last_error
FROM per_user
WHERE errors > 0
ORDER BY errors DESC, `user`
LIMIT :limit
