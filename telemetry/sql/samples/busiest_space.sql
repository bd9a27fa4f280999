-- Returns the Genie space with the most fetched messages (space_id): the example space for the
-- per-space page in benchmarks and page tests, so its queries run on real rows.
SELECT space_id
FROM main.ops_console.genie_message_details
GROUP BY space_id
ORDER BY count(*) DESC, space_id
LIMIT 1
