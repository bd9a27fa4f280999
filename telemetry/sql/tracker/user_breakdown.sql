-- Returns the tracked user :user's events per app and action in the period: app_name, action, events,
-- last_seen (most events first).
WITH
-- @include tracker/_user_events
SELECT app_name, action, count(*) AS events, max(`timestamp`) AS last_seen
FROM mine
GROUP BY app_name, action
ORDER BY events DESC, app_name, action
