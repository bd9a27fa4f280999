-- Returns the Genie API fetch failures of the period by error_code and http_status: attempts,
-- messages (distinct), unresolved (messages that are still not fetched: no later attempt succeeded)
-- and last_seen.
WITH fetched AS (
  SELECT DISTINCT message_id FROM main.ops_console.genie_message_details
)
SELECT
  coalesce(e.error_code, '(none)') AS error_code,
  e.http_status,
  count(*) AS attempts,
  count(DISTINCT e.message_id) AS messages,
  count(DISTINCT CASE WHEN e.resolved_at IS NULL AND f.message_id IS NULL THEN e.message_id END) AS unresolved,
  max(e.attempted_at) AS last_seen
FROM main.ops_console.genie_fetch_errors AS e
LEFT JOIN fetched AS f ON f.message_id = e.message_id
WHERE CAST(e.attempted_at AS DATE) BETWEEN :start_date AND :end_date
  AND (:workspace_id = '' OR e.workspace_id = :workspace_id)
GROUP BY 1, 2
ORDER BY attempts DESC, error_code, e.http_status
