-- Returns the Genie messages stuck in retry now (any period): queued, not in the message details,
-- with at least one failed fetch not resolved since: message_id, space, user, event_time, attempts,
-- gave_up (queue status FAILED, or attempts reached :max_fetch_attempts: the job no longer retries
-- it), last_attempt_at and the newest error (http_status, error_code, error_message). Still retrying
-- first, then the newest attempt first.
WITH spaces AS (
  SELECT space_id, max(title) AS title
  FROM main.ops_console.genie_space_details
  GROUP BY space_id
),
newest_error AS (
  SELECT message_id, http_status, error_code, error_message, attempted_at, attempt
  FROM (
    SELECT e.*, row_number() OVER (PARTITION BY message_id ORDER BY attempted_at DESC, attempt DESC) AS newest
    FROM main.ops_console.genie_fetch_errors AS e
    WHERE resolved_at IS NULL
      AND (:workspace_id = '' OR workspace_id = :workspace_id)
  ) AS ranked
  WHERE newest = 1
)
SELECT
  q.message_id,
  q.space_id,
  coalesce(s.title, q.space_id) AS space_title,
  q.user_email,
  q.event_time,
  q.status,
  greatest(coalesce(q.attempts, 0), e.attempt) AS attempts,
  (coalesce(q.status, '') = 'FAILED' OR greatest(coalesce(q.attempts, 0), e.attempt) >= :max_fetch_attempts)
    AS gave_up,
  coalesce(q.last_attempt_at, e.attempted_at) AS last_attempt_at,
  e.http_status,
  e.error_code,
  e.error_message
FROM main.ops_console.genie_messages_to_fetch AS q
JOIN newest_error AS e ON e.message_id = q.message_id
LEFT JOIN spaces AS s ON s.space_id = q.space_id
WHERE NOT EXISTS (SELECT 1 FROM main.ops_console.genie_message_details AS d WHERE d.message_id = q.message_id)
ORDER BY gave_up, last_attempt_at DESC, q.message_id
