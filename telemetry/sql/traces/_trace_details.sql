-- Fragment: CTE `trace_details`: for the traces in CTE `chosen` (trace_id; a page of results, not
-- all of them) what a trace row shows beyond `traces`: the root span's name and service (the
-- earliest span when the root is missing), services, LLM tokens, and the user and session from the
-- spans' attributes (enduser.id / user.id, session.id). Include traces/_spans_{layout} and
-- traces/_trace_match first.
trace_details AS (
  SELECT
    f.trace_id,
    coalesce(min_by(f.name, CASE WHEN f.parent_span_id IS NULL THEN f.start_ns END), min_by(f.name, f.start_ns))
      AS root_name,
    coalesce(min_by(f.service_name, CASE WHEN f.parent_span_id IS NULL THEN f.start_ns END),
             min_by(f.service_name, f.start_ns)) AS root_service,
    count(DISTINCT f.service_name) AS services,
    sum(CAST(coalesce(f.attributes['gen_ai.usage.input_tokens'], f.attributes['gen_ai.usage.prompt_tokens'])
        AS BIGINT)) AS input_tokens,
    sum(CAST(coalesce(f.attributes['gen_ai.usage.output_tokens'], f.attributes['gen_ai.usage.completion_tokens'])
        AS BIGINT)) AS output_tokens,
    min(coalesce(f.attributes['enduser.id'], f.attributes['user.id'])) AS user_id,
    min(f.attributes['session.id']) AS session_id
  FROM span_facts AS f
  JOIN chosen AS c ON c.trace_id = f.trace_id
  GROUP BY f.trace_id
),
