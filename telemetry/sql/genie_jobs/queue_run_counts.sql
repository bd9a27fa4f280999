-- Returns what a genie-messages-to-fetch run found: events (distinct Genie messages created since
-- :since according to the audit log) and queued (messages the run at :discovered_at added to
-- main.ops_console.genie_messages_to_fetch).
WITH
-- @include genie_jobs/_queue_audit_events
SELECT
  (SELECT count(*) FROM queue_events) AS events,
  (SELECT count(*) FROM main.ops_console.genie_messages_to_fetch WHERE discovered_at = :discovered_at) AS queued
