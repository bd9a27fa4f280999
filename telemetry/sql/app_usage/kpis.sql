-- Returns one row per period ('current' = :start_date–:end_date, 'previous' = the as long period
-- before it, from :prev_start_date): active apps, users, logins, DAU (average
-- daily users), WAU (users in the period's last 7 days), MAU (users in its last 30 days), and the
-- newest sign-in (latest_event).
WITH
-- @include app_usage/_app_dim
-- @include app_usage/_app_logins
periods AS (
  SELECT
    *,
    CASE WHEN event_date >= :start_date THEN 'current' ELSE 'previous' END AS period,
    CASE WHEN event_date >= :start_date THEN :end_date ELSE date_sub(:start_date, 1) END AS period_end
  FROM app_logins
  WHERE event_date >= :prev_start_date
),
daily AS (
  SELECT period, event_date, count(DISTINCT user_email) AS users FROM periods GROUP BY 1, 2
)
SELECT
  p.period,
  count(DISTINCT p.app_name) AS active_apps,
  count(DISTINCT p.user_email) AS users,
  sum(p.logins) AS logins,
  max(d.avg_dau) AS dau,
  count(DISTINCT CASE WHEN p.event_date > date_sub(p.period_end, 7) THEN p.user_email END) AS wau,
  count(DISTINCT CASE WHEN p.event_date > date_sub(p.period_end, 30) THEN p.user_email END) AS mau,
  max(p.last_login) AS latest_event
FROM periods AS p
JOIN (
  SELECT period, sum(users) / (datediff(:end_date, :start_date) + 1) AS avg_dau FROM daily GROUP BY 1
) AS d ON d.period = p.period
GROUP BY p.period
ORDER BY p.period
