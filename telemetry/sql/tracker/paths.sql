-- Returns the transitions around :path_action inside sessions (a gap of :gap_minutes ends one):
-- direction ('before': the action just before it, '(session start)' when none; 'after': level 1 the
-- action just after it, level 2 the one after that, '(session end)' when the session ends),
-- level, from_action, to_action, transitions (how often) and users (how many did it).
WITH
-- @include tracker/_events
-- @include tracker/_sessions
neighbours AS (
  SELECT
    `user`, action,
    lag(action) OVER (PARTITION BY app_name, `user`, session_no ORDER BY `timestamp`, action) AS prev1,
    lead(action) OVER (PARTITION BY app_name, `user`, session_no ORDER BY `timestamp`, action) AS next1,
    lead(action, 2) OVER (PARTITION BY app_name, `user`, session_no ORDER BY `timestamp`, action) AS next2
  FROM session_events
),
around AS (
  SELECT * FROM neighbours WHERE action = :path_action
),
transitions AS (
  SELECT 'before' AS direction, 1 AS level, coalesce(prev1, '(session start)') AS from_action,
         action AS to_action, `user`
  FROM around
  UNION ALL
  SELECT 'after', 1, action, coalesce(next1, '(session end)'), `user` FROM around
  UNION ALL
  SELECT 'after', 2, next1, coalesce(next2, '(session end)'), `user` FROM around WHERE next1 IS NOT NULL
)
SELECT
  direction, level, from_action, to_action,
  count(*) AS transitions,
  count(DISTINCT `user`) AS users
FROM transitions
GROUP BY direction, level, from_action, to_action
ORDER BY direction, level, transitions DESC, from_action, to_action
