-- Fragment: CTE `failure_days`: one row per Genie space and day of the period (:start_date to
-- :end_date) with fetched messages, in scope: space_id, day, finished, failed, failure_rate,
-- baseline_finished, baseline_rate (the space's failed ÷ finished over the 7 days before that day)
-- and flagged: at least :min_failures failed of at least :min_messages finished that day,
-- failure_rate above :failure_threshold and at least :baseline_factor × baseline_rate, and a
-- baseline of at least :min_messages finished.
failure_daily AS (
  SELECT
    m.space_id,
    CAST(m.created_timestamp AS DATE) AS day,
    count_if(m.status IN ('COMPLETED', 'FAILED', 'CANCELLED', 'QUERY_RESULT_EXPIRED')) AS finished,
    count_if(m.status = 'FAILED') AS failed
  FROM main.ops_console.genie_message_details AS m
  WHERE CAST(m.created_timestamp AS DATE) BETWEEN date_sub(:start_date, 7) AND :end_date
    AND (:workspace_id = '' OR m.workspace_id = :workspace_id)
    AND (:space_id = '' OR m.space_id = :space_id)
    AND NOT (:exclude_service_principals AND m.user_email NOT LIKE '%@%')
  GROUP BY m.space_id, CAST(m.created_timestamp AS DATE)
),
failure_baseline AS (
  SELECT d.space_id, d.day, sum(b.finished) AS baseline_finished, sum(b.failed) AS baseline_failed
  FROM failure_daily AS d
  JOIN failure_daily AS b
    ON b.space_id = d.space_id AND b.day BETWEEN date_sub(d.day, 7) AND date_sub(d.day, 1)
  GROUP BY d.space_id, d.day
),
failure_rates AS (
  SELECT
    d.space_id,
    d.day,
    d.finished,
    d.failed,
    CAST(d.failed AS DOUBLE) / nullif(d.finished, 0) AS failure_rate,
    coalesce(b.baseline_finished, 0) AS baseline_finished,
    CAST(b.baseline_failed AS DOUBLE) / nullif(b.baseline_finished, 0) AS baseline_rate
  FROM failure_daily AS d
  LEFT JOIN failure_baseline AS b ON b.space_id = d.space_id AND b.day = d.day
  WHERE d.day >= :start_date
),
failure_days AS (
  SELECT
    *,
    coalesce(
      finished >= :min_messages
        AND failed >= :min_failures
        AND baseline_finished >= :min_messages
        AND failure_rate > :failure_threshold
        AND failure_rate >= :baseline_factor * baseline_rate,
      false) AS flagged
  FROM failure_rates
),
