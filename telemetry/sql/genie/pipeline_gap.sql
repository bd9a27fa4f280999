-- Returns the Genie ingestion funnel per :bucket ('hour' or 'day') of the period: audit_events
-- (message-creating aibiGenie events, successful), queued (messages to fetch), ingested (fetched
-- message details), each by the message's own time, and fetch_errors (failed fetch attempts, by
-- attempt time) with error_messages (distinct messages among them). The gap is audit_events - ingested.
WITH audit AS (
  SELECT a.event_time AS at
  FROM system.access.audit AS a
  WHERE a.event_date BETWEEN :start_date AND :end_date
    AND a.service_name = :genie_service_name
    AND array_contains(split(:message_actions, ','), a.action_name)
    AND a.response.status_code BETWEEN 200 AND 299
    AND (:workspace_id = '' OR a.workspace_id = :workspace_id)
    AND NOT (:exclude_service_principals AND a.user_identity.email NOT LIKE '%@%')
),
queued AS (
  SELECT event_time AS at
  FROM main.ops_console.genie_messages_to_fetch
  WHERE CAST(event_time AS DATE) BETWEEN :start_date AND :end_date
    AND (:workspace_id = '' OR workspace_id = :workspace_id)
    AND NOT (:exclude_service_principals AND user_email NOT LIKE '%@%')
),
ingested AS (
  SELECT created_timestamp AS at
  FROM main.ops_console.genie_message_details
  WHERE CAST(created_timestamp AS DATE) BETWEEN :start_date AND :end_date
    AND (:workspace_id = '' OR workspace_id = :workspace_id)
    AND NOT (:exclude_service_principals AND user_email NOT LIKE '%@%')
),
errors AS (
  SELECT attempted_at AS at, message_id
  FROM main.ops_console.genie_fetch_errors
  WHERE CAST(attempted_at AS DATE) BETWEEN :start_date AND :end_date
    AND (:workspace_id = '' OR workspace_id = :workspace_id)
),
events AS (
  SELECT at, 'audit' AS kind, CAST(NULL AS STRING) AS message_id FROM audit
  UNION ALL SELECT at, 'queued' AS kind, CAST(NULL AS STRING) AS message_id FROM queued
  UNION ALL SELECT at, 'ingested' AS kind, CAST(NULL AS STRING) AS message_id FROM ingested
  UNION ALL SELECT at, 'error' AS kind, message_id FROM errors
),
bucketed AS (
  SELECT
    CASE WHEN :bucket = 'hour' THEN date_trunc('HOUR', at) ELSE date_trunc('DAY', at) END AS period_start,
    kind,
    message_id
  FROM events
)
SELECT
  period_start,
  count_if(kind = 'audit') AS audit_events,
  count_if(kind = 'queued') AS queued,
  count_if(kind = 'ingested') AS ingested,
  count_if(kind = 'error') AS fetch_errors,
  count(DISTINCT message_id) AS error_messages
FROM bucketed
GROUP BY period_start
ORDER BY period_start
