-- Writes: replaces days :from_date to :end_date of main.ops_console.app_logins_hourly with the rows
-- rollups/app_logins_hourly computes for them, in one statement (Delta's selective overwrite), so
-- readers see the old rows until the new ones are committed and a failure changes nothing. (The
-- embedded engine runs it as DELETE + INSERT in one transaction.)
INSERT INTO main.ops_console.app_logins_hourly
REPLACE WHERE event_date BETWEEN :from_date AND :end_date
-- @include rollups/app_logins_hourly
