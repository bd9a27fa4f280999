-- Returns one row per app with Databricks Apps cost in the period: app_name, dbus, cost_usd (USD at
-- list price).
WITH
-- @include app_usage/_app_cost
per_app AS (
  SELECT app_name, sum(dbus) AS dbus, sum(cost_usd) AS cost_usd
  FROM app_cost
  WHERE period = 'current'
  GROUP BY app_name
)
SELECT * FROM per_app
ORDER BY cost_usd DESC
