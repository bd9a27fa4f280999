-- Fragment: CTE `app_cost`: Databricks Apps usage rows from :prev_start_date to :end_date, priced
-- at list price (retractions and restatements included): app_name, workspace_id, usage_date,
-- period ('current' from :start_date, else 'previous'), dbus, cost_usd.
usage AS (
  SELECT
    u.usage_metadata.app_name AS app_name,
    u.workspace_id,
    u.usage_date,
    u.usage_quantity,
    u.sku_name,
    u.cloud,
    u.usage_unit,
    u.usage_start_time
  FROM system.billing.usage AS u
  WHERE u.billing_origin_product = 'APPS'
    AND u.usage_date BETWEEN :prev_start_date AND :end_date
    AND (:workspace_id = '' OR u.workspace_id = :workspace_id)
    AND (:app_name = '' OR u.usage_metadata.app_name = :app_name)
),
app_cost AS (
  SELECT
    u.app_name,
    u.workspace_id,
    u.usage_date,
    CASE WHEN u.usage_date >= :start_date THEN 'current' ELSE 'previous' END AS period,
    CAST(u.usage_quantity AS DOUBLE) AS dbus,
    -- DOUBLE, not DECIMAL(38,18) × DECIMAL(30,18): the exact product overflows 38 digits on some engines
    CAST(u.usage_quantity AS DOUBLE)
      * CAST(coalesce(p.pricing.effective_list.default, p.pricing.default) AS DOUBLE) AS cost_usd
  FROM usage AS u
  LEFT JOIN system.billing.list_prices AS p
    ON p.sku_name = u.sku_name
    AND p.cloud = u.cloud
    AND p.usage_unit = u.usage_unit
    AND u.usage_start_time >= p.price_start_time
    AND (p.price_end_time IS NULL OR u.usage_start_time < p.price_end_time)
),
