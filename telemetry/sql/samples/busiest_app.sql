-- Returns the app with the most sign-ins among apps that also send tracker events and spans
-- (app_name): the example app for benchmarks and the two-engines test, so every per-app query is
-- measured and compared on real rows.
SELECT r.app_name
FROM main.ops_console.app_logins_hourly AS r
WHERE r.status_code = 200
  AND r.app_name IN (SELECT app_name FROM main.ops_console.app_events)
  AND r.app_name IN (SELECT resource.attributes['service.name'] FROM main.ops_console.apps_otel_spans)
GROUP BY r.app_name
ORDER BY sum(r.logins) DESC, r.app_name
LIMIT 1
