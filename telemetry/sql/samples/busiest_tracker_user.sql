-- Returns the user with the most tracker events in the last 30 days of data (user): the example user for
-- the per-user tracker page in benchmarks and the two-engines test (a person: not a default internal account).
WITH latest AS (SELECT max(`timestamp`) AS ts FROM main.ops_console.app_events)
SELECT t.`user`
FROM main.ops_console.app_events AS t CROSS JOIN latest
WHERE t.`timestamp` >= latest.ts - INTERVAL 30 DAYS AND t.`user` LIKE '%@%'
  AND NOT t.`user` RLIKE '^(qa-bot|test[._-]|synthetic)'
GROUP BY t.`user`
ORDER BY count(*) DESC, t.`user`
LIMIT 1
