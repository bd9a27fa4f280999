-- Returns LLM use by model over the spans of the matching traces (see traces/_trace_match) that name
-- a model (gen_ai.response.model, else gen_ai.request.model): calls, failed calls, input and output
-- tokens, p95 call duration in ms; most tokens first. Cost is priced by the area from configuration.
WITH
-- @include traces/_spans_{layout}
-- @include traces/_trace_match
llm AS (
  SELECT
    coalesce(f.attributes['gen_ai.response.model'], f.attributes['gen_ai.request.model']) AS model,
    f.status_code,
    CAST(coalesce(f.attributes['gen_ai.usage.input_tokens'], f.attributes['gen_ai.usage.prompt_tokens']) AS BIGINT)
      AS input_tokens,
    CAST(coalesce(f.attributes['gen_ai.usage.output_tokens'], f.attributes['gen_ai.usage.completion_tokens'])
      AS BIGINT) AS output_tokens,
    f.duration_ms
  FROM span_facts AS f
  JOIN traces AS t ON t.trace_id = f.trace_id
),
by_model AS (
  SELECT
    model,
    count(*) AS calls,
    count_if(status_code = 'ERROR') AS failed_calls,
    coalesce(sum(input_tokens), 0) AS input_tokens,
    coalesce(sum(output_tokens), 0) AS output_tokens,
    percentile_approx(duration_ms, 0.95) AS p95_ms
  FROM llm
  WHERE model IS NOT NULL
  GROUP BY model
)
SELECT model, calls, failed_calls, input_tokens, output_tokens, p95_ms
FROM by_model
ORDER BY input_tokens + output_tokens DESC, model
