-- Writes: creates the app sign-ins rollup main.ops_console.app_logins_hourly if it is missing (one
-- row per day, hour, workspace, app, user and response status; rollups/app_logins_hourly computes them).
CREATE TABLE IF NOT EXISTS main.ops_console.app_logins_hourly (
  event_date DATE,
  login_hour TIMESTAMP,
  workspace_id STRING,
  app_name STRING,
  user_email STRING,
  status_code INT,
  logins BIGINT,
  first_login TIMESTAMP,
  last_login TIMESTAMP,
  error_message STRING
)
