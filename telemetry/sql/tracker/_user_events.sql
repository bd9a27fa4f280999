-- Fragment: CTE mine(timestamp, app_name, user, action): the tracker table's four classic columns for the
-- one user :user in the period [:start_date, :end_date]. A page that names its user applies no app filter
-- and no exclusions (an excluded or service-principal user still has a timeline).
-- It ends without a comma: include it as the last CTE. Action names are the library's (tracker/_action).
mine AS (
  SELECT t.`timestamp`, t.app_name, t.`user`,
-- @include tracker/_action
    AS action
  FROM main.ops_console.app_events AS t
  WHERE t.`user` = :user
    AND t.`timestamp` >= CAST(:start_date AS TIMESTAMP)
    AND t.`timestamp` < CAST(date_add(:end_date, 1) AS TIMESTAMP)
)
