-- Returns one row per Genie space with fetched messages in the period: space_id, title, finished,
-- failed, failure_rate (period, 0–1), flagged (any flagged day), flagged_days (see
-- genie/_failure_days for the rule),
-- last_flagged (the latest flagged day), and on that day (else the space's worst day) its
-- day_rate and baseline_rate. Flagged spaces first, newest flag first.
WITH
-- @include genie/_failure_days
spaces AS (
  SELECT space_id, max(title) AS title FROM main.ops_console.genie_space_details GROUP BY space_id
),
ranked AS (
  SELECT
    *,
    row_number() OVER (PARTITION BY space_id ORDER BY flagged DESC, CASE WHEN flagged THEN day END DESC,
                                                      failure_rate DESC, day DESC) AS nth
  FROM failure_days
),
totals AS (
  SELECT
    space_id,
    sum(finished) AS finished,
    sum(failed) AS failed,
    count_if(flagged) AS flagged_days,
    max(CASE WHEN flagged THEN day END) AS last_flagged
  FROM failure_days
  GROUP BY space_id
),
summary AS (
  SELECT
    t.space_id,
    coalesce(s.title, t.space_id) AS title,
    t.finished,
    t.failed,
    CAST(t.failed AS DOUBLE) / t.finished AS failure_rate,
    t.flagged_days > 0 AS flagged,
    t.flagged_days,
    t.last_flagged,
    r.failure_rate AS day_rate,
    r.baseline_rate
  FROM totals AS t
  JOIN ranked AS r ON r.space_id = t.space_id AND r.nth = 1
  LEFT JOIN spaces AS s ON s.space_id = t.space_id
  WHERE t.finished > 0
)
SELECT *
FROM summary
ORDER BY flagged DESC, last_flagged DESC NULLS LAST, failure_rate DESC, space_id
