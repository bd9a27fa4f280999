-- Returns the tracked user :user's events per UTC day and app in the period: day, app_name, events
-- (oldest day first; days without events are absent).
WITH
-- @include tracker/_user_events
SELECT CAST(`timestamp` AS DATE) AS day, app_name, count(*) AS events
FROM mine
GROUP BY 1, 2
ORDER BY day, app_name
