-- Returns every span of trace :trace_id that starts in [:start_ns, :end_ns), in start order, with
-- what the waterfall and the span tree draw: ids and parent, name, kind, service, start/end (ns),
-- duration, status, the number of events, exceptions and links, the LLM facts when the span has
-- them (model, input and output tokens from gen_ai.usage.* or MLflow's mlflow.chat.tokenUsage,
-- MLflow's span type) and the trace's span count (all of them, even when the row cap cut the list:
-- spans come in start order, so a cut keeps every parent of what it keeps). Attributes are read per
-- span by traces/span_detail.
WITH
-- @include traces/_spans_{layout}
one_trace AS (
  SELECT * FROM spans WHERE trace_id = :trace_id
)
SELECT
  span_id,
  parent_span_id,
  name,
  kind,
  service_name,
  start_ns,
  end_ns,
  duration_ms,
  status_code,
  status_message,
  size(events) AS event_count,
  size(filter(events, e -> e.name = 'exception')) AS exception_count,
  size(links) AS link_count,
  coalesce(attributes['gen_ai.response.model'], attributes['gen_ai.request.model']) AS model,
  CAST(coalesce(attributes['gen_ai.usage.input_tokens'], attributes['gen_ai.usage.prompt_tokens'],
                get_json_object(attributes['mlflow.chat.tokenUsage'], '$.input_tokens')) AS BIGINT)
    AS input_tokens,
  CAST(coalesce(attributes['gen_ai.usage.output_tokens'], attributes['gen_ai.usage.completion_tokens'],
                get_json_object(attributes['mlflow.chat.tokenUsage'], '$.output_tokens')) AS BIGINT)
    AS output_tokens,
  attributes['mlflow.spanType'] AS span_type,
  count(*) OVER () AS trace_span_count
FROM one_trace
ORDER BY start_ns, span_id
