-- Returns the :limit most active Genie users of the period (in scope: workspace, space, API
-- traffic): user_email, messages, conversations, spaces, active_days, first_message, last_message,
-- failed (fetched details), positive and negative feedback given (audit log).
WITH
-- @include genie/_audit_messages
-- @include genie/_details
-- @include genie/_audit_feedback
activity AS (
  SELECT
    user_email,
    count(DISTINCT message_id) AS messages,
    count(DISTINCT conversation_id) AS conversations,
    count(DISTINCT space_id) AS spaces,
    count(DISTINCT event_date) AS active_days,
    min(event_time) AS first_message,
    max(event_time) AS last_message
  FROM genie_messages
  WHERE period = 'current'
  GROUP BY user_email
),
outcomes AS (
  SELECT user_email, count_if(failed) AS failed FROM details WHERE period = 'current' GROUP BY user_email
),
rated AS (
  SELECT user_email, count_if(rating = 'POSITIVE') AS positive, count_if(rating = 'NEGATIVE') AS negative
  FROM feedback
  WHERE period = 'current'
  GROUP BY user_email
)
SELECT
  a.user_email,
  a.messages,
  a.conversations,
  a.spaces,
  a.active_days,
  a.first_message,
  a.last_message,
  coalesce(o.failed, 0) AS failed,
  coalesce(r.positive, 0) AS positive,
  coalesce(r.negative, 0) AS negative
FROM activity AS a
LEFT JOIN outcomes AS o ON o.user_email = a.user_email
LEFT JOIN rated AS r ON r.user_email = a.user_email
WHERE a.user_email IS NOT NULL
ORDER BY a.messages DESC, a.user_email
LIMIT :limit
