-- Returns one row per Genie space with messages or cost in the period: space_id, title, workspace_id,
-- warehouse_id, messages, conversations, users and active_days (audit log), messages_per_conversation
-- (1 + the follow-up rate), conversations_per_user, finished, succeeded and failed (fetched
-- details), positive and negative feedback and review requests (audit log), last_message, and cost
-- (genie_usd, warehouse_usd, cost_usd: see genie/_space_cost).
WITH
-- @include genie/_audit_messages
-- @include genie/_details
-- @include genie/_audit_feedback
-- @include genie/_space_cost
spaces AS (
  SELECT space_id, max(title) AS title, max(workspace_id) AS workspace_id, max(warehouse_id) AS warehouse_id
  FROM main.ops_console.genie_space_details
  GROUP BY space_id
),
activity AS (
  SELECT
    space_id,
    max(workspace_id) AS workspace_id,
    count(DISTINCT message_id) AS messages,
    count(DISTINCT conversation_id) AS conversations,
    count(DISTINCT user_email) AS users,
    count(DISTINCT event_date) AS active_days,
    max(event_time) AS last_message
  FROM genie_messages
  WHERE period = 'current'
  GROUP BY space_id
),
outcomes AS (
  SELECT space_id, count_if(finished) AS finished, count_if(succeeded) AS succeeded, count_if(failed) AS failed
  FROM details
  WHERE period = 'current'
  GROUP BY space_id
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
costs AS (
  SELECT space_id, sum(genie_usd) AS genie_usd, sum(warehouse_usd) AS warehouse_usd
  FROM space_cost
  WHERE period = 'current'
  GROUP BY space_id
),
scope AS (
  SELECT space_id FROM activity
  UNION
  SELECT space_id FROM costs
)
SELECT
  k.space_id,
  coalesce(s.title, k.space_id) AS title,
  coalesce(s.workspace_id, a.workspace_id) AS workspace_id,
  s.warehouse_id,
  coalesce(a.messages, 0) AS messages,
  coalesce(a.conversations, 0) AS conversations,
  coalesce(a.users, 0) AS users,
  coalesce(a.active_days, 0) AS active_days,
  CAST(a.messages AS DOUBLE) / nullif(a.conversations, 0) AS messages_per_conversation,
  CAST(a.conversations AS DOUBLE) / nullif(a.users, 0) AS conversations_per_user,
  coalesce(o.finished, 0) AS finished,
  coalesce(o.succeeded, 0) AS succeeded,
  coalesce(o.failed, 0) AS failed,
  coalesce(r.positive, 0) AS positive,
  coalesce(r.negative, 0) AS negative,
  coalesce(v.review_requests, 0) AS review_requests,
  a.last_message,
  coalesce(c.genie_usd, 0.0) AS genie_usd,
  coalesce(c.warehouse_usd, 0.0) AS warehouse_usd,
  coalesce(c.genie_usd, 0.0) + coalesce(c.warehouse_usd, 0.0) AS cost_usd
FROM scope AS k
LEFT JOIN spaces AS s ON s.space_id = k.space_id
LEFT JOIN activity AS a ON a.space_id = k.space_id
LEFT JOIN outcomes AS o ON o.space_id = k.space_id
LEFT JOIN rated AS r ON r.space_id = k.space_id
LEFT JOIN reviewed AS v ON v.space_id = k.space_id
LEFT JOIN costs AS c ON c.space_id = k.space_id
ORDER BY messages DESC, cost_usd DESC, k.space_id
