-- Returns one row for the period: sessions, users, sessions_per_user, median_minutes and p90_minutes
-- (session length: first to last event), median_actions (events per session), single_action_share
-- (sessions of one event) and latest_event. A gap of :gap_minutes between a user's events in an app
-- ends a session.
WITH
-- @include tracker/_events
-- @include tracker/_sessions
totals AS (
  SELECT
    count(*) AS sessions,
    count(DISTINCT `user`) AS users,
    CAST(percentile(minutes, 0.5) AS DOUBLE) AS median_minutes,
    CAST(percentile(minutes, 0.9) AS DOUBLE) AS p90_minutes,
    CAST(percentile(actions, 0.5) AS DOUBLE) AS median_actions,
    avg(CASE WHEN actions = 1 THEN CAST(1 AS DOUBLE) ELSE CAST(0 AS DOUBLE) END) AS single_action_share,  -- not DECIMAL: Spark rounds its avg to 5 places
    max(session_end) AS latest_event
  FROM tracked_sessions
)
SELECT
  sessions, users,
  CAST(sessions AS DOUBLE) / nullif(users, 0) AS sessions_per_user,
  median_minutes, p90_minutes, median_actions,
  CAST(single_action_share AS DOUBLE) AS single_action_share,
  latest_event
FROM totals
