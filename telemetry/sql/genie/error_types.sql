-- Returns one row per error type of the period's failed Genie messages (fetched details, in
-- scope): error_type (UNKNOWN when the API gave none), messages, spaces (how many spaces saw it),
-- share (of all failed messages, 0–1) and last_seen.
WITH
-- @include genie/_details
failures AS (
  SELECT
    coalesce(error_type, 'UNKNOWN') AS error_type,
    count(*) AS messages,
    count(DISTINCT space_id) AS spaces,
    max(created_timestamp) AS last_seen
  FROM details
  WHERE period = 'current' AND failed
  GROUP BY coalesce(error_type, 'UNKNOWN')
)
SELECT
  error_type,
  messages,
  spaces,
  CAST(messages AS DOUBLE) / sum(messages) OVER () AS share,
  last_seen
FROM failures
ORDER BY messages DESC, error_type
