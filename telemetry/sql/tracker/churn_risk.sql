-- Returns the users at risk of churning as of :end_date: recent_events (the last :recent_days days)
-- below :risk_ratio × their weekly average over the :baseline_weeks weeks before, among users with
-- at least :min_baseline_days active days in those weeks. Per user: user, main_app (most events in
-- both windows), baseline_per_week, recent_events, change (recent vs the weekly baseline, -1 = gone
-- quiet), baseline_days, recent_days_active, last_seen and apps; the largest falls first.
WITH
-- @include tracker/_events
-- @include tracker/_churn
app_ranks AS (
  SELECT
    `user`, app_name,
    row_number() OVER (PARTITION BY `user` ORDER BY count(*) DESC, app_name) AS app_rank
  FROM churn_events
  GROUP BY `user`, app_name
)
SELECT
  c.`user`, a.app_name AS main_app, c.baseline_per_week, c.recent_events,
  c.recent_events / c.baseline_per_week - 1 AS change,
  c.baseline_days, c.recent_days_active, c.last_seen, c.apps
FROM churn_evaluated AS c
JOIN app_ranks AS a ON a.`user` = c.`user` AND a.app_rank = 1
WHERE c.at_risk
ORDER BY change, c.baseline_per_week DESC, c.`user`
