-- Returns one row per day of the period (:start_date to :end_date, days without messages as 0):
-- messages, conversations (started or continued that day) and users, from the audit log.
WITH
-- @include genie/_audit_messages
days AS (
  SELECT explode(sequence(:start_date, :end_date, INTERVAL 1 DAY)) AS day
),
daily AS (
  SELECT
    event_date,
    count(DISTINCT message_id) AS messages,
    count(DISTINCT conversation_id) AS conversations,
    count(DISTINCT user_email) AS users
  FROM genie_messages
  WHERE period = 'current'
  GROUP BY event_date
)
SELECT
  CAST(d.day AS DATE) AS day,
  coalesce(a.messages, 0) AS messages,
  coalesce(a.conversations, 0) AS conversations,
  coalesce(a.users, 0) AS users
FROM days AS d
LEFT JOIN daily AS a ON a.event_date = d.day
ORDER BY day
