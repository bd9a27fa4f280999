-- Fragment: CTE `space_cost`: what each Genie space cost per day from :prev_start_date to
-- :end_date at list price, in scope (workspace, space): space_id, usage_date, period ('current'
-- from :start_date, else 'previous'), genie_usd (Genie's own billing rows, billing_origin_product
-- GENIE, attributed by usage_metadata.genie.agent_id) and warehouse_usd (the space's share of its
-- SQL warehouse's compute that day: the warehouse's SQL billing rows × the space's statements'
-- total_task_duration_ms ÷ every statement's on that warehouse, from system.query.history).
priced_usage AS (
  SELECT
    u.billing_origin_product AS product,
    u.usage_metadata.genie.agent_id AS space_id,
    u.usage_metadata.warehouse_id AS warehouse_id,
    u.usage_date,
    -- DOUBLE, not DECIMAL(38,18) × DECIMAL(30,18): the exact product overflows 38 digits on some engines
    CAST(u.usage_quantity AS DOUBLE)
      * CAST(coalesce(p.pricing.effective_list.default, p.pricing.default) AS DOUBLE) AS cost_usd
  FROM system.billing.usage AS u
  LEFT JOIN system.billing.list_prices AS p
    ON p.sku_name = u.sku_name
    AND p.cloud = u.cloud
    AND p.usage_unit = u.usage_unit
    AND u.usage_start_time >= p.price_start_time
    AND (p.price_end_time IS NULL OR u.usage_start_time < p.price_end_time)
  WHERE u.billing_origin_product IN ('GENIE', 'SQL')
    AND u.usage_date BETWEEN :prev_start_date AND :end_date
    AND (:workspace_id = '' OR u.workspace_id = :workspace_id)
),
warehouse_day_cost AS (
  SELECT warehouse_id, usage_date, sum(cost_usd) AS cost_usd
  FROM priced_usage
  WHERE product = 'SQL' AND warehouse_id IS NOT NULL
  GROUP BY warehouse_id, usage_date
),
warehouse_compute AS (
  SELECT
    q.compute.warehouse_id AS warehouse_id,
    CAST(q.start_time AS DATE) AS usage_date,
    q.query_source.genie_space_id AS space_id,
    sum(CAST(q.total_task_duration_ms AS DOUBLE)) AS task_ms
  FROM system.query.history AS q
  WHERE CAST(q.start_time AS DATE) BETWEEN :prev_start_date AND :end_date
    AND q.compute.warehouse_id IS NOT NULL
    AND (:workspace_id = '' OR q.workspace_id = :workspace_id)
  GROUP BY q.compute.warehouse_id, CAST(q.start_time AS DATE), q.query_source.genie_space_id
),
space_share AS (
  SELECT
    warehouse_id,
    usage_date,
    space_id,
    task_ms / nullif(sum(task_ms) OVER (PARTITION BY warehouse_id, usage_date), 0) AS share
  FROM warehouse_compute
),
space_cost_rows AS (
  SELECT space_id, usage_date, cost_usd AS genie_usd, 0.0 AS warehouse_usd
  FROM priced_usage
  WHERE product = 'GENIE' AND space_id IS NOT NULL
  UNION ALL
  SELECT s.space_id, s.usage_date, 0.0 AS genie_usd, s.share * c.cost_usd AS warehouse_usd
  FROM space_share AS s
  JOIN warehouse_day_cost AS c ON c.warehouse_id = s.warehouse_id AND c.usage_date = s.usage_date
  WHERE s.space_id IS NOT NULL
),
space_cost AS (
  SELECT
    space_id,
    usage_date,
    CASE WHEN usage_date >= :start_date THEN 'current' ELSE 'previous' END AS period,
    CAST(coalesce(genie_usd, 0.0) AS DOUBLE) AS genie_usd,
    CAST(coalesce(warehouse_usd, 0.0) AS DOUBLE) AS warehouse_usd
  FROM space_cost_rows
  WHERE (:space_id = '' OR space_id = :space_id)
),
