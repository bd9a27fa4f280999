-- Returns the session-length distribution for the period, one row per bucket (bucket_order,
-- bucket, sessions; 'single event' = a sign-in with no tracked activity after it), each row also
-- carrying the period's totals: total_sessions, users, sessions_per_user, median_minutes and
-- p90_minutes (sessions with more than one event), single_session_share. A session ends after
-- :gap_minutes without a sign-in or tracker event.
WITH
-- @include app_usage/_app_dim
-- @include app_usage/_app_logins
-- @include app_usage/_app_sessions
per_user AS (
  SELECT user_email, count(*) AS sessions FROM app_sessions GROUP BY 1
),
totals AS (
  SELECT
    (SELECT count(*) FROM app_sessions) AS total_sessions,
    count(*) AS users,
    avg(sessions) AS sessions_per_user,
    (SELECT percentile(minutes, 0.5) FROM app_sessions WHERE events > 1) AS median_minutes,
    (SELECT percentile(minutes, 0.9) FROM app_sessions WHERE events > 1) AS p90_minutes,
    avg(CASE WHEN sessions = 1 THEN CAST(1 AS DOUBLE) ELSE CAST(0 AS DOUBLE) END) AS single_session_share
  FROM per_user
),
buckets AS (
  SELECT
    CASE
      WHEN events = 1 THEN -1 WHEN minutes < 1 THEN 0 WHEN minutes < 5 THEN 1 WHEN minutes < 15 THEN 2
      WHEN minutes < 30 THEN 3 WHEN minutes < 60 THEN 4 ELSE 5
    END AS bucket_order,
    count(*) AS sessions
  FROM app_sessions
  GROUP BY 1
)
SELECT
  b.bucket_order,
  CASE b.bucket_order
    WHEN -1 THEN 'single event' WHEN 0 THEN '< 1 min' WHEN 1 THEN '1–5 min' WHEN 2 THEN '5–15 min'
    WHEN 3 THEN '15–30 min' WHEN 4 THEN '30–60 min' ELSE '≥ 60 min'
  END AS bucket,
  b.sessions,
  t.total_sessions,
  t.users,
  t.sessions_per_user,
  t.median_minutes,
  t.p90_minutes,
  t.single_session_share
FROM buckets AS b
CROSS JOIN totals AS t
ORDER BY b.bucket_order
