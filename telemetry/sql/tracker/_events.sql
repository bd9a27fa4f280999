-- Fragment: CTE events(timestamp, app_name, user, action): the tracker table's four classic columns in
-- the period [:start_date, :end_date], restricted to :apps (comma-joined, '' = all) and without the
-- excluded users (:exclude_users, service principals, :exclude_regex). :actions is not applied here.
-- Action names are the library's (see tracker/_action).
events AS (
  SELECT t.`timestamp`, t.app_name, t.`user`,
-- @include tracker/_action
    AS action
  FROM main.ops_console.app_events AS t
  WHERE t.`timestamp` >= CAST(:start_date AS TIMESTAMP)
    AND t.`timestamp` < CAST(date_add(:end_date, 1) AS TIMESTAMP)
    AND t.`user` IS NOT NULL
    AND (:apps = '' OR array_contains(split(:apps, ','), t.app_name))
    AND (:exclude_users = '' OR NOT array_contains(split(:exclude_users, ','), t.`user`))
    AND NOT (:exclude_service_principals AND t.`user` NOT LIKE '%@%')
    AND (:exclude_regex = '' OR NOT t.`user` RLIKE :exclude_regex)
),
