-- Fragment: CTEs `feedback` (each message's latest rating from :feedback_action events: rating
-- POSITIVE, NEGATIVE or NONE (taken back); THUMBS_UP/THUMBS_DOWN, reported for some UI events, read
-- as POSITIVE/NEGATIVE) and `reviews` (review requests: :comment_action events), from
-- :prev_start_date to :end_date, in scope: workspace_id, space_id, message_id, user_email,
-- event_date, period ('current' from :start_date, else 'previous').
feedback_events AS (
  SELECT
    a.workspace_id,
    a.request_params['space_id'] AS space_id,
    coalesce(a.request_params['message_id'], a.event_id) AS message_id,
    a.user_identity.email AS user_email,
    a.action_name,
    CASE
      WHEN upper(a.request_params['feedback_rating']) IN ('POSITIVE', 'THUMBS_UP') THEN 'POSITIVE'
      WHEN upper(a.request_params['feedback_rating']) IN ('NEGATIVE', 'THUMBS_DOWN') THEN 'NEGATIVE'
      ELSE 'NONE'
    END AS rating,
    a.event_date,
    a.event_time,
    a.event_id,
    CASE WHEN a.event_date >= :start_date THEN 'current' ELSE 'previous' END AS period
  FROM system.access.audit AS a
  WHERE a.service_name = :genie_service_name
    AND a.action_name IN (:feedback_action, :comment_action)
    AND a.response.status_code BETWEEN 200 AND 299
    AND a.event_date BETWEEN :prev_start_date AND :end_date
    AND (:workspace_id = '' OR a.workspace_id = :workspace_id)
    AND (:space_id = '' OR a.request_params['space_id'] = :space_id)
    AND NOT (:exclude_service_principals AND a.user_identity.email NOT LIKE '%@%')
),
feedback AS (
  SELECT workspace_id, space_id, message_id, user_email, rating, event_date, period
  FROM (
    SELECT *, row_number() OVER (PARTITION BY message_id ORDER BY event_time DESC, event_id) AS nth
    FROM feedback_events
    WHERE action_name = :feedback_action
  ) AS ranked
  WHERE nth = 1
),
reviews AS (
  SELECT workspace_id, space_id, message_id, user_email, event_date, period
  FROM feedback_events
  WHERE action_name = :comment_action
),
