-- Returns two distributions of the period's sessions (a gap of :gap_minutes ends one): kind
-- ('minutes': first to last event; 'actions': events per session), bucket_order, bucket (label) and
-- sessions.
WITH
-- @include tracker/_events
-- @include tracker/_sessions
bucketed AS (
  SELECT
    CASE WHEN minutes < 1 THEN 0 WHEN minutes < 5 THEN 1 WHEN minutes < 15 THEN 2 WHEN minutes < 30 THEN 3
         WHEN minutes < 60 THEN 4 ELSE 5 END AS minutes_bucket,
    CASE WHEN actions = 1 THEN 0 WHEN actions = 2 THEN 1 WHEN actions <= 5 THEN 2 WHEN actions <= 10 THEN 3
         WHEN actions <= 20 THEN 4 ELSE 5 END AS actions_bucket
  FROM tracked_sessions
),
counted AS (
  SELECT 'minutes' AS kind, minutes_bucket AS bucket_order, count(*) AS sessions FROM bucketed GROUP BY minutes_bucket
  UNION ALL
  SELECT 'actions', actions_bucket, count(*) FROM bucketed GROUP BY actions_bucket
)
SELECT
  kind, bucket_order,
  CASE
    WHEN kind = 'minutes' THEN
      CASE bucket_order WHEN 0 THEN '< 1 min' WHEN 1 THEN '1–5 min' WHEN 2 THEN '5–15 min' WHEN 3 THEN '15–30 min'
                        WHEN 4 THEN '30–60 min' ELSE '≥ 60 min' END
    ELSE
      CASE bucket_order WHEN 0 THEN '1' WHEN 1 THEN '2' WHEN 2 THEN '3–5' WHEN 3 THEN '6–10' WHEN 4 THEN '11–20'
                        ELSE '> 20' END
  END AS bucket,
  sessions
FROM counted
ORDER BY kind, bucket_order
