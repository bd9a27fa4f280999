"""The demo's traces have the shapes an app or agent owner expects (on the session's small demo build)."""

from __future__ import annotations

import json

import pyarrow as pa

from telemetry.mirror.spans_write import attribute_map
from tests.mirror.conftest import NOW, scalar

_NS = "CAST(1000000000 AS BIGINT)"


def _now_ns() -> int:
    return int(NOW.timestamp()) * 1_000_000_000


def test_deep_agent_loops_reach_depth_six_and_twenty_spans(con, t):
    depth = scalar(con, f"""
        WITH RECURSIVE d(trace_id, span_id, depth) AS (
          SELECT trace_id, span_id, 1 FROM {t["spans"]} WHERE parent_span_id = ''
          UNION ALL
          SELECT s.trace_id, s.span_id, d.depth + 1 FROM {t["spans"]} s
          JOIN d ON s.trace_id = d.trace_id AND s.parent_span_id = d.span_id)
        SELECT max(depth) FROM d""")
    assert depth >= 6
    chats = con.execute(f"""
        SELECT count(*), max(n) FROM (
          SELECT trace_id, count(*) AS n FROM {t["spans"]} GROUP BY trace_id
          HAVING count_if(parent_span_id = '' AND name = 'POST /api/chat') = 1) WHERE n >= 20""").fetchone()
    assert chats[0] > 10 and chats[1] <= 160


def test_a_trace_crosses_into_other_services(con, t):
    row = con.execute(f"""
        SELECT max(services) FROM (
          SELECT trace_id, count(DISTINCT resource.attributes['service.name']) AS services
          FROM {t["spans"]} GROUP BY trace_id)""").fetchone()
    assert row[0] >= 3
    # the other service's side is a SERVER span under a CLIENT span of the calling app
    crossing = scalar(con, f"""
        SELECT count(*) FROM {t["spans"]} s JOIN {t["spans"]} c
          ON c.trace_id = s.trace_id AND c.span_id = s.parent_span_id
        WHERE s.kind = 'SPAN_KIND_SERVER' AND c.kind = 'SPAN_KIND_CLIENT'
          AND s.resource.attributes['service.name'] <> c.resource.attributes['service.name']""")
    assert crossing > 0


def test_big_evaluation_traces_exist_one_in_the_last_week(con, t):
    big = con.execute(f"""
        SELECT count(*), max(start_ns), min(n), max(n) FROM (
          SELECT trace_id, count(*) AS n, min(start_time_unix_nano) AS start_ns FROM {t["spans"]}
          GROUP BY trace_id HAVING count(*) >= 2000)""").fetchone()
    assert big[0] >= 1 and big[3] <= 6000
    assert big[1] >= _now_ns() - 7 * 86400 * 1_000_000_000
    roots = con.execute(f"""
        SELECT DISTINCT r.name FROM {t["spans"]} r WHERE r.parent_span_id = '' AND r.trace_id IN (
          SELECT trace_id FROM {t["spans"]} GROUP BY trace_id HAVING count(*) >= 2000)""").fetchall()
    assert roots == [("POST /api/evaluations",)]


def test_links_point_at_existing_spans_of_other_traces(con, t):
    rows = con.execute(f"""
        SELECT s.name, l.link.attributes['link.type'], l.link.attributes['mlflow.link.type'],
               p.span_id IS NOT NULL AS resolves, l.link.trace_id <> s.trace_id AS other
        FROM {t["spans"]} s, LATERAL (SELECT unnest(s.links) AS link) l
        LEFT JOIN {t["spans"]} p ON p.trace_id = l.link.trace_id AND p.span_id = l.link.span_id""").fetchall()
    assert rows and all(r[3] and r[4] for r in rows)
    names = {r[0] for r in rows}
    assert {"POST /api/feedback", "POST /api/tasks/export", "evaluate_row"} <= names
    assert all(r[1] or r[2] for r in rows), "every link says why it links"


def test_every_llm_span_has_model_tokens_and_readable_payloads(con, t):
    bad = scalar(con, f"""
        SELECT count(*) FROM {t["spans"]}
        WHERE attributes['mlflow.spanType'] IN ('CHAT_MODEL', 'LLM', 'EMBEDDING')
          AND (attributes['gen_ai.request.model'] IS NULL OR attributes['gen_ai.response.model'] IS NULL
               OR attributes['gen_ai.operation.name'] IS NULL
               OR CAST(attributes['gen_ai.usage.input_tokens'] AS INT) <= 0)""")
    assert bad == 0
    no_output_tokens = scalar(con, f"""
        SELECT count(*) FROM {t["spans"]} WHERE attributes['mlflow.spanType'] IN ('CHAT_MODEL', 'LLM')
          AND attributes['gen_ai.usage.output_tokens'] IS NULL""")
    assert no_output_tokens == 0
    sample = con.execute(f"""
        SELECT attributes['mlflow.spanInputs'], attributes['mlflow.spanOutputs'] FROM {t["spans"]}
        WHERE attributes['mlflow.spanType'] = 'CHAT_MODEL' AND attributes['mlflow.spanOutputs'] LIKE '%tool_calls":[{{%'
        LIMIT 20""").fetchall()
    assert sample
    for inputs, outputs in sample:
        assert json.loads(inputs)["messages"][1]["role"] == "user"
        call = json.loads(outputs)["choices"][0]["message"]["tool_calls"][0]
        assert json.loads(call["function"]["arguments"])
    agents = scalar(con, f"""
        SELECT count_if(attributes['mlflow.spanInputs'] IS NULL) FROM {t["spans"]}
        WHERE attributes['mlflow.spanType'] = 'AGENT' OR name = 'POST /api/chat'""")
    assert agents == 0


def test_roots_carry_user_and_a_stable_session(con, t):
    row = con.execute(f"""
        SELECT count(*), count_if(attributes['enduser.id'] LIKE '%@%'), count_if(attributes['session.id'] IS NULL)
        FROM {t["spans"]} WHERE parent_span_id = ''""").fetchone()
    assert row[0] == row[1] and row[2] == 0
    multi = scalar(con, f"""
        SELECT count(*) FROM (SELECT attributes['session.id'] AS s, count(DISTINCT attributes['enduser.id']) AS u
                              FROM {t["spans"]} WHERE parent_span_id = '' GROUP BY 1 HAVING count(*) >= 3)
        WHERE u = 1""")
    assert multi > 10


def test_shallow_http_traces_with_queries_and_http_errors(con, t):
    sizes = dict(con.execute(f"""
        SELECT n, count(*) FROM (
          SELECT r.trace_id, count(c.span_id) AS n FROM {t["spans"]} r
          LEFT JOIN {t["spans"]} c ON c.trace_id = r.trace_id AND c.parent_span_id = r.span_id
          WHERE r.parent_span_id = '' AND r.name LIKE 'GET %' GROUP BY r.trace_id) GROUP BY n""").fetchall())
    assert set(sizes) <= {0, 1, 2, 3} and sizes.get(0) and sizes.get(1) and sizes.get(2)
    db = con.execute(f"""
        SELECT count_if(attributes['db.system'] = 'databricks'), count_if(attributes['db.system'] = 'postgresql'),
               count_if(attributes['db.statement'] IS NULL)
        FROM {t["spans"]} WHERE attributes['db.system'] IN ('databricks', 'postgresql')""").fetchone()
    assert db[0] > 0 and db[1] > 0 and db[2] == 0
    codes = {r[0] for r in con.execute(f"""SELECT attributes['http.response.status_code'] FROM {t["spans"]}
                                          WHERE parent_span_id = ''""").fetchall()}
    assert {"200", "404", "500"} <= codes


def test_failures_carry_exceptions_including_timeouts(con, t):
    rows = dict(con.execute(f"""
        SELECT events[1].attributes['exception.type'], count(*) FROM {t["spans"]}
        WHERE status.code = 'STATUS_CODE_ERROR' AND events[1].attributes['exception.stacktrace'] LIKE 'Traceback%'
        GROUP BY 1""").fetchall())
    assert {"TimeoutError", "openai.RateLimitError", "databricks.sql.exc.ServerOperationError"} <= set(rows)
    slow = scalar(con, f"""SELECT min(end_time_unix_nano - start_time_unix_nano) / {_NS} FROM {t["spans"]}
                          WHERE events[1].attributes['exception.type'] = 'TimeoutError'""")
    assert slow >= 30


def test_no_span_runs_past_now_and_parents_resolve(con, t):
    assert scalar(con, f"SELECT max(end_time_unix_nano) FROM {t['spans']}") <= _now_ns()
    orphans = scalar(con, f"""
        SELECT count(*) FROM {t["spans"]} s WHERE s.parent_span_id <> '' AND NOT EXISTS (
          SELECT 1 FROM {t["spans"]} p WHERE p.trace_id = s.trace_id AND p.span_id = s.parent_span_id)""")
    assert orphans == 0


def test_attribute_map_leaves_out_null_values():
    values = {"a": pa.array(["1", None, "3"]), "b": pa.array([None, None, "y"])}
    rows = attribute_map(values, 3).to_pylist()
    assert rows == [[("a", "1")], [], [("a", "3"), ("b", "y")]]
    assert attribute_map({}, 2).to_pylist() == [[], []]
