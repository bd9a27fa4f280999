-- Returns the latest :limit events of the tracked user :user in the period, newest first: timestamp,
-- app_name, action.
WITH
-- @include tracker/_user_events
SELECT `timestamp`, app_name, action
FROM mine
ORDER BY `timestamp` DESC, app_name, action
LIMIT :limit
