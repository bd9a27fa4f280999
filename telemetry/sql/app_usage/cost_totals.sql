-- Returns one row per period ('current' = :start_date–:end_date, 'previous' = the as long period
-- before it): dbus and cost_usd of Databricks Apps compute at list price, for the KPI row.
WITH
-- @include app_usage/_app_cost
totals AS (
  SELECT period, sum(dbus) AS dbus, sum(cost_usd) AS cost_usd FROM app_cost GROUP BY period
)
SELECT * FROM totals
ORDER BY period
