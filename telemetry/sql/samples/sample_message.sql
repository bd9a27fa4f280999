-- Returns a recent completed Genie message with SQL and a statement in query history (message_id):
-- the example message for the message page in benchmarks and page tests.
SELECT m.message_id
FROM main.ops_console.genie_message_details AS m
JOIN system.query.history AS q ON q.statement_id = m.statement_id
WHERE m.status = 'COMPLETED' AND m.generated_sql IS NOT NULL
ORDER BY m.created_timestamp DESC, m.message_id
LIMIT 1
