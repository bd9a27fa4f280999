-- Fragment: CTE `span_facts` (the spans of `spans`, with the values of the attribute filters' keys:
-- span attributes first, then resource attributes) and `traces` (one row per trace that matches
-- every filter: a span of service :service, a span named :span_name, status :status ('ok': no span
-- failed, 'error': one did), duration within [:min_ms, :max_ms] (:max_ms 0: no maximum), trace id
-- :trace_id, and up to four attribute conditions :attr_key_N :attr_op_N :attr_val_N (numbers compare
-- as numbers when :attr_is_num_N), each met by some span of the trace; '' turns a filter off).
-- Include traces/_spans_{layout} first. `traces` has trace_id, start_ns, duration_ms, spans, errors:
-- only cheap columns, so the maps are read only for the filters that are on (a filter that is off
-- is a constant the engine folds away); traces/_trace_details adds names, users and tokens for a few.
span_facts AS (
  SELECT
    s.trace_id,
    s.parent_span_id,
    s.name,
    s.service_name,
    s.start_ns,
    s.end_ns,
    s.duration_ms,
    s.status_code,
    s.attributes,
    CASE WHEN :attr_key_1 = '' THEN NULL
      ELSE coalesce(s.attributes[:attr_key_1], s.resource_attributes[:attr_key_1]) END AS v1,
    CASE WHEN :attr_key_2 = '' THEN NULL
      ELSE coalesce(s.attributes[:attr_key_2], s.resource_attributes[:attr_key_2]) END AS v2,
    CASE WHEN :attr_key_3 = '' THEN NULL
      ELSE coalesce(s.attributes[:attr_key_3], s.resource_attributes[:attr_key_3]) END AS v3,
    CASE WHEN :attr_key_4 = '' THEN NULL
      ELSE coalesce(s.attributes[:attr_key_4], s.resource_attributes[:attr_key_4]) END AS v4
  FROM spans AS s
  WHERE :trace_id = '' OR s.trace_id = :trace_id
),
per_trace AS (
  SELECT
    trace_id,
    min(start_ns) AS start_ns,
    (max(end_ns) - min(start_ns)) / 1000000.0 AS duration_ms,
    count(*) AS spans,
    count_if(status_code = 'ERROR') AS errors,
    bool_or(CASE WHEN :service = '' THEN TRUE ELSE service_name = :service END) AS has_service,
    bool_or(CASE WHEN :span_name = '' THEN TRUE ELSE name = :span_name END) AS has_name,
    bool_or(CASE WHEN :attr_key_1 = '' THEN TRUE ELSE CASE :attr_op_1
      WHEN '=' THEN CASE WHEN :attr_is_num_1 THEN try_cast(v1 AS DOUBLE) = :attr_num_1 ELSE v1 = :attr_val_1 END
      WHEN '>' THEN try_cast(v1 AS DOUBLE) > :attr_num_1
      WHEN '>=' THEN try_cast(v1 AS DOUBLE) >= :attr_num_1
      WHEN '<' THEN try_cast(v1 AS DOUBLE) < :attr_num_1
      WHEN '<=' THEN try_cast(v1 AS DOUBLE) <= :attr_num_1
      ELSE FALSE END END) AS has_attr_1,
    bool_or(CASE WHEN :attr_key_2 = '' THEN TRUE ELSE CASE :attr_op_2
      WHEN '=' THEN CASE WHEN :attr_is_num_2 THEN try_cast(v2 AS DOUBLE) = :attr_num_2 ELSE v2 = :attr_val_2 END
      WHEN '>' THEN try_cast(v2 AS DOUBLE) > :attr_num_2
      WHEN '>=' THEN try_cast(v2 AS DOUBLE) >= :attr_num_2
      WHEN '<' THEN try_cast(v2 AS DOUBLE) < :attr_num_2
      WHEN '<=' THEN try_cast(v2 AS DOUBLE) <= :attr_num_2
      ELSE FALSE END END) AS has_attr_2,
    bool_or(CASE WHEN :attr_key_3 = '' THEN TRUE ELSE CASE :attr_op_3
      WHEN '=' THEN CASE WHEN :attr_is_num_3 THEN try_cast(v3 AS DOUBLE) = :attr_num_3 ELSE v3 = :attr_val_3 END
      WHEN '>' THEN try_cast(v3 AS DOUBLE) > :attr_num_3
      WHEN '>=' THEN try_cast(v3 AS DOUBLE) >= :attr_num_3
      WHEN '<' THEN try_cast(v3 AS DOUBLE) < :attr_num_3
      WHEN '<=' THEN try_cast(v3 AS DOUBLE) <= :attr_num_3
      ELSE FALSE END END) AS has_attr_3,
    bool_or(CASE WHEN :attr_key_4 = '' THEN TRUE ELSE CASE :attr_op_4
      WHEN '=' THEN CASE WHEN :attr_is_num_4 THEN try_cast(v4 AS DOUBLE) = :attr_num_4 ELSE v4 = :attr_val_4 END
      WHEN '>' THEN try_cast(v4 AS DOUBLE) > :attr_num_4
      WHEN '>=' THEN try_cast(v4 AS DOUBLE) >= :attr_num_4
      WHEN '<' THEN try_cast(v4 AS DOUBLE) < :attr_num_4
      WHEN '<=' THEN try_cast(v4 AS DOUBLE) <= :attr_num_4
      ELSE FALSE END END) AS has_attr_4
  FROM span_facts
  GROUP BY trace_id
),
traces AS (
  SELECT trace_id, start_ns, duration_ms, spans, errors
  FROM per_trace
  WHERE has_service AND has_name AND has_attr_1 AND has_attr_2 AND has_attr_3 AND has_attr_4
    AND (:status = '' OR (:status = 'error' AND errors > 0) OR (:status = 'ok' AND errors = 0))
    AND duration_ms >= :min_ms
    AND (:max_ms <= 0 OR duration_ms <= :max_ms)
),
