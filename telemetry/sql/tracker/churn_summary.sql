-- Returns one row as of :end_date: evaluated (users with at least :min_baseline_days active days in
-- the :baseline_weeks weeks before the last :recent_days days), at_risk (recent events below
-- :risk_ratio × their weekly baseline) and gone_quiet (at risk with no event at all recently).
WITH
-- @include tracker/_events
-- @include tracker/_churn
flags AS (
  SELECT at_risk, recent_events FROM churn_evaluated
)
SELECT
  count(*) AS evaluated,
  count(CASE WHEN at_risk THEN 1 END) AS at_risk,
  count(CASE WHEN at_risk AND recent_events = 0 THEN 1 END) AS gone_quiet
FROM flags
