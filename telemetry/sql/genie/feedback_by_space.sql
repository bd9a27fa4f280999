-- Returns one row per Genie space with feedback or review requests in the period (audit log):
-- space_id, title, positive, negative, positive_rate (positive ÷ rated, 0–1), review_requests and
-- commented (thumbs-down that came with a written comment, from the fetched details; counts only).
WITH
-- @include genie/_audit_feedback
spaces AS (
  SELECT space_id, max(title) AS title FROM main.ops_console.genie_space_details GROUP BY space_id
),
rated AS (
  SELECT space_id, count_if(rating = 'POSITIVE') AS positive, count_if(rating = 'NEGATIVE') AS negative
  FROM feedback
  WHERE period = 'current'
  GROUP BY space_id
),
reviewed AS (
  SELECT space_id, count(*) AS review_requests FROM reviews WHERE period = 'current' GROUP BY space_id
),
commented AS (
  SELECT space_id, count(*) AS commented
  FROM main.ops_console.genie_message_details
  WHERE feedback_rating = 'NEGATIVE' AND feedback_comment IS NOT NULL
    AND message_id IN (SELECT message_id FROM feedback WHERE period = 'current' AND rating = 'NEGATIVE')
  GROUP BY space_id
),
scope AS (
  SELECT space_id FROM rated
  UNION
  SELECT space_id FROM reviewed
)
SELECT
  k.space_id,
  coalesce(s.title, k.space_id) AS title,
  coalesce(r.positive, 0) AS positive,
  coalesce(r.negative, 0) AS negative,
  CAST(r.positive AS DOUBLE) / nullif(r.positive + r.negative, 0) AS positive_rate,
  coalesce(v.review_requests, 0) AS review_requests,
  coalesce(c.commented, 0) AS commented
FROM scope AS k
LEFT JOIN spaces AS s ON s.space_id = k.space_id
LEFT JOIN rated AS r ON r.space_id = k.space_id
LEFT JOIN reviewed AS v ON v.space_id = k.space_id
LEFT JOIN commented AS c ON c.space_id = k.space_id
WHERE k.space_id IS NOT NULL
ORDER BY coalesce(r.negative, 0) + coalesce(v.review_requests, 0) DESC, k.space_id
