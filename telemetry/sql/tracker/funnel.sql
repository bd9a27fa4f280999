-- Returns a funnel of up to six ordered steps (:step1 … :step6, '' = unused) per journey (a user, or
-- a user in one app when :by_app): app_name ('' when not split by app), step, action, users (journeys
-- that reached the step), median_seconds (median time from the previous step; NULL for step 1) and
-- median_total_seconds (from step 1). Each step is the first occurrence after the previous step and
-- within :window_minutes of step 1; of a journey's attempts (each step-1 event starts one) the one that
-- got furthest counts (the earliest of equals).
WITH
-- @include tracker/_events
steps AS (
  SELECT 1 AS step, :step1 AS action
  UNION ALL SELECT 2, :step2
  UNION ALL SELECT 3, :step3
  UNION ALL SELECT 4, :step4
  UNION ALL SELECT 5, :step5
  UNION ALL SELECT 6, :step6
),
hits AS (
  SELECT
    CASE WHEN :by_app THEN e.app_name ELSE '' END AS app_name, e.`user`, e.`timestamp` AS ts,
    max(CASE WHEN s.step = 1 THEN 1 ELSE 0 END) AS f1,
    max(CASE WHEN s.step = 2 THEN 1 ELSE 0 END) AS f2,
    max(CASE WHEN s.step = 3 THEN 1 ELSE 0 END) AS f3,
    max(CASE WHEN s.step = 4 THEN 1 ELSE 0 END) AS f4,
    max(CASE WHEN s.step = 5 THEN 1 ELSE 0 END) AS f5,
    max(CASE WHEN s.step = 6 THEN 1 ELSE 0 END) AS f6
  FROM events AS e
  JOIN steps AS s ON s.action = e.action
  WHERE s.action <> ''
  GROUP BY CASE WHEN :by_app THEN e.app_name ELSE '' END, e.`user`, e.`timestamp`
),
-- For each moment a journey hit a step: when each later step next happens, strictly later (one row
-- per moment, so an event that is two steps at once cannot follow itself).
nexts AS (
  SELECT
    app_name, `user`, ts, f1,
    min(CASE WHEN f2 = 1 THEN ts END) OVER (PARTITION BY app_name, `user` ORDER BY ts
                                            ROWS BETWEEN 1 FOLLOWING AND UNBOUNDED FOLLOWING) AS next2,
    min(CASE WHEN f3 = 1 THEN ts END) OVER (PARTITION BY app_name, `user` ORDER BY ts
                                            ROWS BETWEEN 1 FOLLOWING AND UNBOUNDED FOLLOWING) AS next3,
    min(CASE WHEN f4 = 1 THEN ts END) OVER (PARTITION BY app_name, `user` ORDER BY ts
                                            ROWS BETWEEN 1 FOLLOWING AND UNBOUNDED FOLLOWING) AS next4,
    min(CASE WHEN f5 = 1 THEN ts END) OVER (PARTITION BY app_name, `user` ORDER BY ts
                                            ROWS BETWEEN 1 FOLLOWING AND UNBOUNDED FOLLOWING) AS next5,
    min(CASE WHEN f6 = 1 THEN ts END) OVER (PARTITION BY app_name, `user` ORDER BY ts
                                            ROWS BETWEEN 1 FOLLOWING AND UNBOUNDED FOLLOWING) AS next6
  FROM hits
),
-- Each step-1 moment starts an attempt; step k is the first one after step k-1, within the window.
a2 AS (
  SELECT app_name, `user`, ts AS t1,
         CASE WHEN next2 <= timestampadd(MINUTE, :window_minutes, ts) THEN next2 END AS t2
  FROM nexts
  WHERE f1 = 1
),
a3 AS (
  SELECT a.*, CASE WHEN n.next3 <= timestampadd(MINUTE, :window_minutes, a.t1) THEN n.next3 END AS t3
  FROM a2 AS a
  LEFT JOIN nexts AS n ON n.app_name = a.app_name AND n.`user` = a.`user` AND n.ts = a.t2
),
a4 AS (
  SELECT a.*, CASE WHEN n.next4 <= timestampadd(MINUTE, :window_minutes, a.t1) THEN n.next4 END AS t4
  FROM a3 AS a
  LEFT JOIN nexts AS n ON n.app_name = a.app_name AND n.`user` = a.`user` AND n.ts = a.t3
),
a5 AS (
  SELECT a.*, CASE WHEN n.next5 <= timestampadd(MINUTE, :window_minutes, a.t1) THEN n.next5 END AS t5
  FROM a4 AS a
  LEFT JOIN nexts AS n ON n.app_name = a.app_name AND n.`user` = a.`user` AND n.ts = a.t4
),
a6 AS (
  SELECT a.*, CASE WHEN n.next6 <= timestampadd(MINUTE, :window_minutes, a.t1) THEN n.next6 END AS t6
  FROM a5 AS a
  LEFT JOIN nexts AS n ON n.app_name = a.app_name AND n.`user` = a.`user` AND n.ts = a.t5
),
attempts AS (
  SELECT
    *,
    CASE WHEN t6 IS NOT NULL THEN 6 WHEN t5 IS NOT NULL THEN 5 WHEN t4 IS NOT NULL THEN 4
         WHEN t3 IS NOT NULL THEN 3 WHEN t2 IS NOT NULL THEN 2 ELSE 1 END AS depth
  FROM a6
),
best AS (
  SELECT *
  FROM (
    SELECT *, row_number() OVER (PARTITION BY app_name, `user` ORDER BY depth DESC, t1) AS pick
    FROM attempts
  ) AS ranked
  WHERE pick = 1
),
reached AS (
  SELECT
    b.app_name, s.step, s.action,
    CASE WHEN b.depth >= s.step THEN 1 ELSE 0 END AS reached,
    CASE WHEN b.depth >= s.step THEN
      CASE s.step WHEN 2 THEN timestampdiff(SECOND, b.t1, b.t2) WHEN 3 THEN timestampdiff(SECOND, b.t2, b.t3)
                  WHEN 4 THEN timestampdiff(SECOND, b.t3, b.t4) WHEN 5 THEN timestampdiff(SECOND, b.t4, b.t5)
                  WHEN 6 THEN timestampdiff(SECOND, b.t5, b.t6) END
    END AS seconds,
    CASE WHEN b.depth >= s.step AND s.step > 1 THEN
      timestampdiff(SECOND, b.t1, CASE s.step WHEN 2 THEN b.t2 WHEN 3 THEN b.t3 WHEN 4 THEN b.t4
                                              WHEN 5 THEN b.t5 ELSE b.t6 END)
    END AS total_seconds
  FROM best AS b
  CROSS JOIN steps AS s
  WHERE s.action <> ''
)
SELECT
  app_name, step, action,
  CAST(sum(reached) AS BIGINT) AS users,
  CAST(percentile(seconds, 0.5) AS DOUBLE) AS median_seconds,
  CAST(percentile(total_seconds, 0.5) AS DOUBLE) AS median_total_seconds
FROM reached
GROUP BY app_name, step, action
ORDER BY app_name, step
