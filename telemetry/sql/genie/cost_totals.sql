-- Returns one row per period ('current' = :start_date–:end_date, 'previous' = the as long period
-- before it): genie_usd (Genie's own billing rows), warehouse_usd (the Genie spaces' attributed
-- share of their SQL warehouses' compute, see genie/_space_cost) and cost_usd (both), at list price.
WITH
-- @include genie/_space_cost
periods AS (
  SELECT 'current' AS period
  UNION ALL
  SELECT 'previous' AS period
),
totals AS (
  SELECT period, sum(genie_usd) AS genie_usd, sum(warehouse_usd) AS warehouse_usd FROM space_cost GROUP BY period
)
SELECT
  p.period,
  coalesce(t.genie_usd, 0.0) AS genie_usd,
  coalesce(t.warehouse_usd, 0.0) AS warehouse_usd,
  coalesce(t.genie_usd, 0.0) + coalesce(t.warehouse_usd, 0.0) AS cost_usd
FROM periods AS p
LEFT JOIN totals AS t ON t.period = p.period
ORDER BY p.period
