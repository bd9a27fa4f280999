-- Fragment: CTEs `session_events` (each event of `events` with its session_no: per user and app, a
-- gap longer than :gap_minutes after the previous event starts a new session) and `tracked_sessions`
-- (one row per session: app_name, user, session_no, session_start, session_end, actions, minutes).
-- Needs `events` (tracker/_events). Ties on the timestamp are ordered by action, so both engines agree.
session_marks AS (
  SELECT
    e.`timestamp`, e.app_name, e.`user`, e.action,
    CASE
      WHEN lag(e.`timestamp`) OVER (PARTITION BY e.app_name, e.`user` ORDER BY e.`timestamp`, e.action) IS NULL
        THEN 1
      WHEN timestampdiff(SECOND, lag(e.`timestamp`) OVER (PARTITION BY e.app_name, e.`user`
                                                          ORDER BY e.`timestamp`, e.action),
                         e.`timestamp`) > :gap_minutes * 60 THEN 1
      ELSE 0
    END AS starts_session
  FROM events AS e
),
session_events AS (
  SELECT
    `timestamp`, app_name, `user`, action,
    sum(starts_session) OVER (PARTITION BY app_name, `user` ORDER BY `timestamp`, action
                              ROWS UNBOUNDED PRECEDING) AS session_no
  FROM session_marks
),
tracked_sessions AS (
  SELECT
    app_name, `user`, session_no,
    min(`timestamp`) AS session_start,
    max(`timestamp`) AS session_end,
    count(*) AS actions,
    timestampdiff(SECOND, min(`timestamp`), max(`timestamp`)) / 60.0 AS minutes
  FROM session_events
  GROUP BY app_name, `user`, session_no
),
