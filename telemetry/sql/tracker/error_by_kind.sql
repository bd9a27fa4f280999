-- Returns error events (action `error` or `error:<kind>`) per app and kind in the period: app_name, kind
-- (the part after `error:`; 'unspecified' for a bare `error`), errors, users affected, last_seen
-- (most errors first).
WITH
-- @include tracker/_events
errs AS (
  SELECT
    app_name,
    CASE WHEN action = 'error' THEN 'unspecified' ELSE substr(action, 7) END AS kind,
    `user`,
    `timestamp`
  FROM events
  WHERE action = 'error' OR action LIKE 'error:%'
)
SELECT
  app_name,
  kind,
  count(*) AS errors,
  count(DISTINCT `user`) AS users,
  max(`timestamp`) AS last_seen
FROM errs
GROUP BY app_name, kind
ORDER BY errors DESC, app_name, kind
