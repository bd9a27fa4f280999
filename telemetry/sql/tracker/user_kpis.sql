-- Returns one row for the tracked user :user in the period (zeros and NULL times when they have no
-- event): events, active_days, apps, actions (distinct), errors (`error` or `error:<kind>`),
-- first_seen, last_seen.
WITH
-- @include tracker/_user_events
SELECT
  count(*) AS events,
  count(DISTINCT CAST(`timestamp` AS DATE)) AS active_days,
  count(DISTINCT app_name) AS apps,
  count(DISTINCT action) AS actions,
  COALESCE(sum(CASE WHEN action = 'error' OR action LIKE 'error:%' THEN 1 ELSE 0 END), 0) AS errors,
  min(`timestamp`) AS first_seen,
  max(`timestamp`) AS last_seen
FROM mine
