-- Returns one row per period ('current' = :start_date–:end_date, 'previous' = the as long period
-- before it, from :prev_start_date): messages, conversations, users and active_spaces from the
-- audit log (every message, fetched or not); finished, succeeded and failed messages from the
-- fetched details (success rate = succeeded / finished); feedback_given, positive_feedback and
-- review_requests from the audit log; and the newest message (latest_event).
WITH
-- @include genie/_audit_messages
-- @include genie/_details
-- @include genie/_audit_feedback
periods AS (
  SELECT 'current' AS period
  UNION ALL
  SELECT 'previous' AS period
),
activity AS (
  SELECT
    period,
    count(DISTINCT message_id) AS messages,
    count(DISTINCT conversation_id) AS conversations,
    count(DISTINCT user_email) AS users,
    count(DISTINCT space_id) AS active_spaces,
    max(event_time) AS latest_event
  FROM genie_messages
  GROUP BY period
),
outcomes AS (
  SELECT period, count_if(finished) AS finished, count_if(succeeded) AS succeeded, count_if(failed) AS failed
  FROM details
  GROUP BY period
),
rated AS (
  SELECT
    period,
    count_if(rating IN ('POSITIVE', 'NEGATIVE')) AS feedback_given,
    count_if(rating = 'POSITIVE') AS positive_feedback
  FROM feedback
  GROUP BY period
),
reviewed AS (
  SELECT period, count(*) AS review_requests FROM reviews GROUP BY period
)
SELECT
  p.period,
  coalesce(a.messages, 0) AS messages,
  coalesce(a.conversations, 0) AS conversations,
  coalesce(a.users, 0) AS users,
  coalesce(a.active_spaces, 0) AS active_spaces,
  coalesce(o.finished, 0) AS finished,
  coalesce(o.succeeded, 0) AS succeeded,
  coalesce(o.failed, 0) AS failed,
  coalesce(r.feedback_given, 0) AS feedback_given,
  coalesce(r.positive_feedback, 0) AS positive_feedback,
  coalesce(v.review_requests, 0) AS review_requests,
  a.latest_event
FROM periods AS p
LEFT JOIN activity AS a ON a.period = p.period
LEFT JOIN outcomes AS o ON o.period = p.period
LEFT JOIN rated AS r ON r.period = p.period
LEFT JOIN reviewed AS v ON v.period = p.period
ORDER BY p.period
