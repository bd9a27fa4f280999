-- Writes: marks FETCHED the rows of main.ops_console.genie_messages_to_fetch whose message is in
-- main.ops_console.genie_message_details but whose status says otherwise (a run stopped between
-- writing a batch's details and its queue statuses).
UPDATE main.ops_console.genie_messages_to_fetch
SET status = 'FETCHED'
WHERE coalesce(status, 'PENDING') <> 'FETCHED'
  AND message_id IN (SELECT message_id FROM main.ops_console.genie_message_details)
