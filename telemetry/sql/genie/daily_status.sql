-- Returns one row per day of the period and message status (COMPLETED, FAILED, CANCELLED,
-- QUERY_RESULT_EXPIRED, or any other value the Genie API returned, as text): messages fetched from
-- the Genie API that were created that day.
WITH
-- @include genie/_details
counted AS (
  SELECT day, coalesce(status, 'UNKNOWN') AS status, count(*) AS messages
  FROM details
  WHERE period = 'current'
  GROUP BY day, coalesce(status, 'UNKNOWN')
)
SELECT day, status, messages
FROM counted
ORDER BY day, status
