-- Returns one row per day of the period (days without feedback as 0): positive and negative
-- ratings (each message's latest, by the day it was given) and review_requests, from the audit log.
WITH
-- @include genie/_audit_feedback
days AS (
  SELECT explode(sequence(:start_date, :end_date, INTERVAL 1 DAY)) AS day
),
rated AS (
  SELECT event_date, count_if(rating = 'POSITIVE') AS positive, count_if(rating = 'NEGATIVE') AS negative
  FROM feedback
  WHERE period = 'current'
  GROUP BY event_date
),
reviewed AS (
  SELECT event_date, count(*) AS review_requests FROM reviews WHERE period = 'current' GROUP BY event_date
)
SELECT
  CAST(d.day AS DATE) AS day,
  coalesce(r.positive, 0) AS positive,
  coalesce(r.negative, 0) AS negative,
  coalesce(v.review_requests, 0) AS review_requests
FROM days AS d
LEFT JOIN rated AS r ON r.event_date = d.day
LEFT JOIN reviewed AS v ON v.event_date = d.day
ORDER BY day
