-- Returns the choices of the prompt list's filters, one row each: kind ('space' or 'status'), value
-- (space_id or Genie status) and label (the space's title, else the value), over every fetched
-- message and known space (so a link's ?space= stays valid). Users are typed, not listed: a large
-- workspace has thousands.
WITH spaces AS (
  SELECT space_id, max(title) AS title
  FROM main.ops_console.genie_space_details
  GROUP BY space_id
),
message_spaces AS (
  SELECT DISTINCT space_id FROM main.ops_console.genie_message_details
),
options AS (
  SELECT 'space' AS kind, coalesce(m.space_id, s.space_id) AS value,
         coalesce(s.title, m.space_id, s.space_id) AS label
  FROM message_spaces AS m
  FULL OUTER JOIN spaces AS s ON s.space_id = m.space_id
  UNION ALL
  SELECT DISTINCT 'status' AS kind, status AS value, status AS label
  FROM main.ops_console.genie_message_details
  WHERE status IS NOT NULL
)
SELECT kind, value, label
FROM options
WHERE value IS NOT NULL
ORDER BY kind, lower(label), value
