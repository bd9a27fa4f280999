-- Returns each app's stickiness over the 30 days ending :end_date: users (active in those 30 days =
-- MAU), wau (the last 7 days), avg_dau (active user-days / 30), dau_mau (avg_dau / MAU) and
-- days_per_week (a user's average active days per week there), most users first.
WITH
-- @include tracker/_events
app_days AS (
  SELECT DISTINCT app_name, `user`, CAST(`timestamp` AS DATE) AS day
  FROM events
  WHERE CAST(`timestamp` AS DATE) > date_sub(:end_date, 30)
),
per_app AS (
  SELECT
    app_name,
    count(DISTINCT `user`) AS users,
    count(DISTINCT CASE WHEN day > date_sub(:end_date, 7) THEN `user` END) AS wau,
    count(*) AS user_days
  FROM app_days
  GROUP BY app_name
)
SELECT
  app_name, users, wau,
  user_days / 30.0 AS avg_dau,
  user_days / 30.0 / users AS dau_mau,
  user_days * 7.0 / 30.0 / users AS days_per_week
FROM per_app
ORDER BY users DESC, app_name
