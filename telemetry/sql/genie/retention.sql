-- Returns weekly retention cohorts of Genie users over the history window (:from_date to
-- :end_date): cohort_week (Monday of a user's first message), week_offset (0 = the cohort week),
-- users of the cohort active that week, and cohort_size.
WITH
-- @include genie/_audit_history
user_weeks AS (
  SELECT DISTINCT user_email, CAST(date_trunc('WEEK', event_date) AS DATE) AS week FROM genie_user_days
),
cohorts AS (
  SELECT user_email, min(week) AS cohort_week FROM user_weeks GROUP BY user_email
),
sized AS (
  SELECT cohort_week, count(*) AS cohort_size FROM cohorts GROUP BY cohort_week
)
SELECT
  c.cohort_week,
  CAST(datediff(w.week, c.cohort_week) / 7 AS INT) AS week_offset,
  count(*) AS users,
  max(s.cohort_size) AS cohort_size
FROM user_weeks AS w
JOIN cohorts AS c ON c.user_email = w.user_email
JOIN sized AS s ON s.cohort_week = c.cohort_week
-- The first week of the history window is no cohort: it mixes new users with everyone already active.
WHERE c.cohort_week > (SELECT min(week) FROM user_weeks)
  AND c.cohort_week <= :end_date
GROUP BY 1, 2
ORDER BY 1, 2
