-- Returns where Genie message :message_id stands in the ingestion queue (one row; none when it was
-- never queued): space, user, event_time, queue status, attempts, last_attempt_at, and its newest
-- fetch error (last_http_status, last_error_code, last_error_message, resolved_at).
WITH queued AS (
  SELECT *, row_number() OVER (ORDER BY discovered_at DESC, event_time DESC) AS version
  FROM main.ops_console.genie_messages_to_fetch
  WHERE message_id = :message_id
),
errors AS (
  SELECT *, row_number() OVER (ORDER BY attempted_at DESC, attempt DESC) AS newest
  FROM main.ops_console.genie_fetch_errors
  WHERE message_id = :message_id
)
SELECT
  q.message_id,
  q.space_id,
  q.user_email,
  q.source_action,
  q.event_time,
  q.status,
  q.attempts,
  q.last_attempt_at,
  e.http_status AS last_http_status,
  e.error_code AS last_error_code,
  e.error_message AS last_error_message,
  e.resolved_at
FROM queued AS q
LEFT JOIN errors AS e ON e.newest = 1
WHERE q.version = 1
