-- Returns the values the trace search pickers offer for spans that start in [:start_ns, :end_ns):
-- every service (kind 'service') and the 200 most frequent span names (kind 'operation'), each with
-- its span count, most frequent first.
WITH
-- @include traces/_spans_{layout}
services AS (
  SELECT 'service' AS kind, service_name AS value, count(*) AS spans FROM spans GROUP BY service_name
),
operations AS (
  SELECT 'operation' AS kind, name AS value, count(*) AS spans FROM spans GROUP BY name
  ORDER BY spans DESC, value
  LIMIT 200
)
SELECT kind, value, spans
FROM (SELECT * FROM services UNION ALL SELECT * FROM operations) AS o
ORDER BY kind DESC, spans DESC, value
