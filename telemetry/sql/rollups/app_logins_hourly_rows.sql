-- Returns what the app sign-ins rollup main.ops_console.app_logins_hourly holds for days :from_date to
-- :end_date, as a refresh reports it: row_count (rows), logins (sign-ins) and unknown_logins (sign-ins
-- by OAuth clients the apps inventory does not list, kept as 'unknown app (client …)').
SELECT
  count(*) AS row_count,
  coalesce(sum(logins), 0) AS logins,
  coalesce(sum(CASE WHEN app_name LIKE 'unknown app (client %' THEN logins ELSE 0 END), 0) AS unknown_logins
FROM main.ops_console.app_logins_hourly
WHERE event_date BETWEEN :from_date AND :end_date
