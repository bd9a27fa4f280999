-- Fragment: CTEs `churn_events` (events of the :baseline_weeks weeks before the last :recent_days
-- days up to :end_date, each marked recent or not), `churn_users` (per user: baseline and recent
-- events and active days, last_seen, apps) and `churn_evaluated` (users with at least
-- :min_baseline_days active days in the baseline, with baseline_per_week and at_risk: recent events
-- below :risk_ratio × their weekly baseline). Needs `events` read from far enough back (:start_date).
churn_events AS (
  SELECT
    `user`, app_name, `timestamp`, CAST(`timestamp` AS DATE) AS day,
    CAST(`timestamp` AS DATE) > date_sub(:end_date, :recent_days) AS recent
  FROM events
  WHERE CAST(`timestamp` AS DATE) > date_sub(:end_date, :recent_days + 7 * :baseline_weeks)
),
churn_users AS (
  SELECT
    `user`,
    count(CASE WHEN NOT recent THEN 1 END) AS baseline_events,
    count(DISTINCT CASE WHEN NOT recent THEN day END) AS baseline_days,
    count(CASE WHEN recent THEN 1 END) AS recent_events,
    count(DISTINCT CASE WHEN recent THEN day END) AS recent_days_active,
    max(`timestamp`) AS last_seen,
    count(DISTINCT app_name) AS apps
  FROM churn_events
  GROUP BY `user`
),
churn_evaluated AS (
  SELECT
    *,
    CAST(baseline_events AS DOUBLE) / :baseline_weeks AS baseline_per_week,
    recent_events < :risk_ratio * baseline_events / :baseline_weeks AS at_risk
  FROM churn_users
  WHERE baseline_days >= :min_baseline_days
),
