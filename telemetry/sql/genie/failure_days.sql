-- Returns the daily failure rates of the (at most 10) Genie spaces flagged most recently in the
-- period, one row per space and day with fetched messages: space_id, title, day, finished, failed,
-- failure_rate, baseline_rate and flagged (see genie/_failure_days for the rule).
WITH
-- @include genie/_failure_days
spaces AS (
  SELECT space_id, max(title) AS title FROM main.ops_console.genie_space_details GROUP BY space_id
),
latest AS (
  SELECT space_id, max(day) AS last_flagged FROM failure_days WHERE flagged GROUP BY space_id
),
chosen AS (
  SELECT space_id FROM (
    SELECT space_id, row_number() OVER (ORDER BY last_flagged DESC, space_id) AS nth FROM latest
  ) AS ranked
  WHERE nth <= 10
)
SELECT
  d.space_id,
  coalesce(s.title, d.space_id) AS title,
  d.day,
  d.finished,
  d.failed,
  d.failure_rate,
  d.baseline_rate,
  d.flagged
FROM failure_days AS d
JOIN chosen AS c ON c.space_id = d.space_id
LEFT JOIN spaces AS s ON s.space_id = d.space_id
ORDER BY d.space_id, d.day
