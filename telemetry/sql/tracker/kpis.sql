-- Returns one row per period ('current' = :period_start–:end_date, 'previous' = the as long period
-- before it, from :start_date, which the page sets to the previous period's first day): events, active
-- users, user-days (for the average daily users), apps tracked, error events (`error` or `error:<kind>`)
-- and the newest event (latest_event).
WITH
-- @include tracker/_events
periods AS (
  SELECT
    e.*,
    CASE WHEN e.`timestamp` >= CAST(:period_start AS TIMESTAMP) THEN 'current' ELSE 'previous' END AS period
  FROM events AS e
),
totals AS (
  SELECT
    period,
    count(*) AS events,
    count(DISTINCT `user`) AS users,
    count(DISTINCT app_name) AS apps,
    sum(CASE WHEN action = 'error' OR action LIKE 'error:%' THEN 1 ELSE 0 END) AS errors,
    max(`timestamp`) AS latest_event
  FROM periods
  GROUP BY period
),
user_days AS (
  SELECT period, count(*) AS user_days
  FROM (SELECT DISTINCT period, `user`, CAST(`timestamp` AS DATE) AS day FROM periods) AS d
  GROUP BY period
)
SELECT
  t.period,
  t.events,
  t.users,
  u.user_days,
  t.apps,
  t.errors,
  t.latest_event
FROM totals AS t
JOIN user_days AS u ON u.period = t.period
ORDER BY t.period
