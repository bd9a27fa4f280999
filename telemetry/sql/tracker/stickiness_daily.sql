-- Returns, for each day from :first_day to :end_date with activity, the users active that day (dau),
-- in the 7 days ending that day (wau) and in the 30 days ending that day (mau). The events read
-- start 29 days before :first_day (:start_date) so the first day's MAU is a whole month's.
WITH
-- @include tracker/_events
user_days AS (
  SELECT DISTINCT `user`, CAST(`timestamp` AS DATE) AS day FROM events
),
days AS (
  SELECT DISTINCT day FROM user_days WHERE day >= :first_day
)
SELECT
  d.day,
  count(DISTINCT CASE WHEN u.day = d.day THEN u.`user` END) AS dau,
  count(DISTINCT CASE WHEN u.day > date_sub(d.day, 7) THEN u.`user` END) AS wau,
  count(DISTINCT u.`user`) AS mau
FROM days AS d
JOIN user_days AS u ON u.day <= d.day AND u.day > date_sub(d.day, 30)
GROUP BY d.day
ORDER BY d.day
