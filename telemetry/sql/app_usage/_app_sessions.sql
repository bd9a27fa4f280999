-- Fragment: CTE `app_sessions`: one row per session (user, app, start, end, events) built from app
-- sign-ins (the first and last of each rollup hour) and tracker events; a gap longer than
-- :gap_minutes between a user's events in an app starts a new session. Needs `app_logins`.
session_events AS (
  SELECT app_name, user_email, event_time FROM app_logins WHERE event_date >= :start_date
  UNION ALL
  SELECT app_name, user_email, last_login FROM app_logins WHERE event_date >= :start_date AND logins > 1
  UNION ALL
  SELECT t.app_name, t.`user` AS user_email, t.`timestamp` AS event_time
  FROM main.ops_console.app_events AS t
  JOIN app_dim AS d ON d.app_name = t.app_name
  WHERE t.`timestamp` >= CAST(:start_date AS TIMESTAMP)
    AND t.`timestamp` < CAST(date_add(:end_date, 1) AS TIMESTAMP)
    AND NOT (:exclude_service_principals AND t.`user` NOT LIKE '%@%')
    AND (:exclude_regex = '' OR NOT t.`user` RLIKE :exclude_regex)
),
marked AS (
  SELECT
    *,
    CASE
      WHEN lag(event_time) OVER (PARTITION BY app_name, user_email ORDER BY event_time) IS NULL THEN 1
      WHEN timestampdiff(SECOND, lag(event_time) OVER (PARTITION BY app_name, user_email ORDER BY event_time),
                         event_time) > :gap_minutes * 60 THEN 1
      ELSE 0
    END AS starts_session
  FROM session_events
),
numbered AS (
  SELECT *, sum(starts_session) OVER (PARTITION BY app_name, user_email ORDER BY event_time
                                      ROWS UNBOUNDED PRECEDING) AS session_no
  FROM marked
),
app_sessions AS (
  SELECT
    app_name, user_email, session_no,
    min(event_time) AS session_start,
    max(event_time) AS session_end,
    count(*) AS events,
    timestampdiff(SECOND, min(event_time), max(event_time)) / 60.0 AS minutes
  FROM numbered
  GROUP BY 1, 2, 3
),
