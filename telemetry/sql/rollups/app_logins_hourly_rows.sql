-- Returns the number of rows (row_count) the app sign-ins rollup main.ops_console.app_logins_hourly
-- holds for days :from_date to :end_date: what a refresh reports having written.
SELECT count(*) AS row_count
FROM main.ops_console.app_logins_hourly
WHERE event_date BETWEEN :from_date AND :end_date
