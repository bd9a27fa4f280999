-- Fragment: CTE `app_logins`: successful sign-ins to the apps in `app_dim` (include
-- app_usage/_app_dim first) from the hourly rollup, every user filter applied: one row per hour,
-- app and user with `logins` (sign-ins), `event_time` (first) and `last_login`.
app_logins AS (
  SELECT
    r.app_name,
    r.workspace_id,
    r.user_email,
    r.event_date,
    r.login_hour,
    r.logins,
    r.first_login AS event_time,
    r.last_login
  FROM main.ops_console.app_logins_hourly AS r
  JOIN app_dim AS d ON d.app_name = r.app_name
  WHERE r.event_date BETWEEN :from_date AND :end_date
    AND r.status_code BETWEEN 200 AND 299
    AND NOT (:exclude_service_principals AND r.user_email NOT LIKE '%@%')
    AND (:exclude_regex = '' OR NOT r.user_email RLIKE :exclude_regex)
),
