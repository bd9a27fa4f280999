-- Returns the Genie fetch queue's watermark: the newest audit event_time already queued in
-- main.ops_console.genie_messages_to_fetch (NULL when the queue is empty: the job's first run), and
-- the number of messages queued (queued).
SELECT max(event_time) AS watermark, count(*) AS queued
FROM main.ops_console.genie_messages_to_fetch
