-- Returns how many days a week users come back: active_days (1–7), user_weeks (a user in one week
-- with that many active days), users, and weeks (whole 7-day weeks counted back from :end_date that
-- start on or after :first_day; a period shorter than a week has none).
WITH
-- @include tracker/_events
user_days AS (
  SELECT DISTINCT `user`, CAST(`timestamp` AS DATE) AS day FROM events WHERE CAST(`timestamp` AS DATE) >= :first_day
),
user_weeks AS (
  SELECT `user`, CAST(floor(datediff(:end_date, day) / 7) AS INT) AS weeks_back, count(*) AS active_days
  FROM user_days
  GROUP BY `user`, CAST(floor(datediff(:end_date, day) / 7) AS INT)
),
whole AS (
  SELECT * FROM user_weeks WHERE date_sub(:end_date, weeks_back * 7 + 6) >= :first_day
),
span AS (
  SELECT count(DISTINCT weeks_back) AS weeks FROM whole
)
SELECT
  w.active_days,
  count(*) AS user_weeks,
  count(DISTINCT w.`user`) AS users,
  max(s.weeks) AS weeks
FROM whole AS w
CROSS JOIN span AS s
GROUP BY w.active_days
ORDER BY w.active_days
