-- Returns events per bucket (hour when :hourly, else day; UTC) and series, where a series is the app
-- (:split = 'app') or the action (otherwise), keeping the :top_n busiest series of the period and
-- folding the rest into '(other)': bucket, series, events, users (oldest bucket first). Honours :actions.
WITH
-- @include tracker/_events
picked AS (
  SELECT
    CASE WHEN :hourly THEN date_trunc('HOUR', `timestamp`) ELSE date_trunc('DAY', `timestamp`) END AS bucket,
    CASE WHEN :split = 'app' THEN app_name ELSE action END AS series,
    `user`
  FROM events
  WHERE (:actions = '' OR array_contains(split(:actions, ','), action))
),
ranked AS (
  SELECT series, row_number() OVER (ORDER BY count(*) DESC, series) AS series_rank
  FROM picked
  GROUP BY series
)
SELECT
  p.bucket,
  CASE WHEN r.series_rank <= :top_n THEN p.series ELSE '(other)' END AS series,
  count(*) AS events,
  count(DISTINCT p.`user`) AS users
FROM picked AS p
JOIN ranked AS r ON r.series = p.series
GROUP BY 1, 2
ORDER BY bucket, series
