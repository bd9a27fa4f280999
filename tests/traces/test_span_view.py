"""Span detail shaping (attributes, events, links, LLM prompt and completion, cost), the comparison of
two traces, and the Trace page's reading of its URL (ids, scan window, links)."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from telemetry.config import load_settings
from telemetry.traces import compare, span_view, trace_messages, trace_view
from telemetry.traces import tree as trees

PRICES = span_view.prices((("databricks-claude-sonnet-4", 3.0, 15.0),))


def detail_frame(attributes: dict, events: list | None = None, links: list | None = None) -> pd.DataFrame:
    return pd.DataFrame([{"span_id": "s1", "name": "chat", "start_ns": 1_000_000_000, "status_code": "OK",
                          "attributes_json": json.dumps(attributes), "resource_json": json.dumps({"service.name": "a"}),
                          "events_json": json.dumps(events or []), "links_json": json.dumps(links or [])}])


def test_json_attribute_values_are_indented_and_search_looks_at_keys_and_values():
    d = span_view.detail(detail_frame({"agent.config": '{"max_turns":4}', "http.route": "/api/chat",
                                       "user": "ana"}), PRICES)
    table = span_view.attribute_table(d.attributes)
    assert list(table["key"]) == ["agent.config", "http.route", "user"]
    assert table.set_index("key").loc["agent.config", "value"] == '{\n  "max_turns": 4\n}'
    assert list(span_view.attribute_table(d.attributes, "API")["key"]) == ["http.route"]
    assert list(span_view.attribute_table(d.attributes, "ana")["key"]) == ["user"]
    assert span_view.json_values(d.attributes) == [("agent.config", '{\n  "max_turns": 4\n}')]


def test_exception_events_give_type_message_and_stack_trace():
    event = {"time_unix_nano": 1_002_500_000, "name": "exception",
             "attributes": {"exception.type": "ValueError", "exception.message": "bad", "exception.stacktrace": "T"}}
    d = span_view.detail(detail_frame({}, events=[event, {"time_unix_nano": 1_000_000_000, "name": "retry"}]), PRICES)
    assert d.exceptions == [("ValueError", "bad", "T")]
    rows = span_view.event_rows(d)
    assert list(rows["name"]) == ["exception", "retry"] and rows["offset_ms"].iloc[0] == pytest.approx(2.5)


def test_a_link_to_another_trace_becomes_a_link_to_the_trace_page():
    link = {"trace_id": "ab12", "span_id": "cd34", "attributes": {"reason": "batch"}}
    d = span_view.detail(detail_frame({}, links=[link]), PRICES)
    rows = span_view.link_rows(d, trace_view.span_link)
    assert rows["open"].tolist() == ["trace?trace=ab12&span=cd34"] and rows["attributes"][0] == "reason=batch"


def test_malformed_json_never_raises():
    bad = pd.DataFrame([{"span_id": "s", "start_ns": 0, "attributes_json": "{not json", "events_json": "[" * 5000,
                         "links_json": None, "resource_json": "42"}])
    d = span_view.detail(bad, PRICES)
    assert d.attributes == {} and d.events == [] and d.links == [] and d.resource == {}
    assert span_view.pretty("[1, 2") == "[1, 2"


def test_otel_genai_messages_read_as_role_and_content_with_tool_calls():
    attrs = {"gen_ai.request.model": "databricks-claude-sonnet-4", "gen_ai.usage.input_tokens": "1000",
             "gen_ai.usage.output_tokens": "100",
             "gen_ai.input.messages": json.dumps([{"role": "user", "parts": [{"type": "text", "content": "Hi?"}]}]),
             "gen_ai.output.messages": json.dumps([{"role": "assistant", "parts": [
                 {"type": "tool_call", "name": "run_sql", "arguments": {"sql": "SELECT 1"}}]}])}
    llm = span_view.detail(detail_frame(attrs), PRICES).llm
    assert llm.model == "databricks-claude-sonnet-4" and (llm.input_tokens, llm.output_tokens) == (1000, 100)
    assert llm.cost_usd == pytest.approx((1000 * 3 + 100 * 15) / 1e6)
    assert llm.prompt == [trace_messages.Message("user", "Hi?")]
    assert llm.completion[0].role == "assistant" and "tool call run_sql" in llm.completion[0].content
    assert '"sql": "SELECT 1"' in llm.completion[0].content


def test_mlflow_inputs_and_outputs_and_flat_prompt_keys():
    mlflow = {"mlflow.spanInputs": json.dumps({"messages": [{"role": "system", "content": "Be brief"},
                                                            {"role": "user", "content": "Sales?"}]}),
              "mlflow.spanOutputs": json.dumps({"choices": [{"message": {"role": "assistant", "content": "42"}}]}),
              "mlflow.chat.tokenUsage": json.dumps({"input_tokens": 7, "output_tokens": 2})}
    llm = span_view.llm_facts(mlflow, [], PRICES)
    assert [(m.role, m.content) for m in llm.prompt] == [("system", "Be brief"), ("user", "Sales?")]
    assert [(m.role, m.content) for m in llm.completion] == [("assistant", "42")]
    assert (llm.input_tokens, llm.output_tokens) == (7, 2) and llm.cost_usd is None  # no model, no price
    flat = {"gen_ai.prompt.1.content": "second", "gen_ai.prompt.0.role": "user", "gen_ai.prompt.0.content": "first",
            "gen_ai.completion.0.content": "done"}
    prompt, completion = trace_messages.conversation(flat, [])
    assert [m.content for m in prompt] == ["first", "second"] and completion[0].content == "done"
    events = [("gen_ai.user.message", {"content": "from an event"}),
              ("gen_ai.choice", {"message": '{"content": "ok"}'})]
    prompt, completion = trace_messages.conversation({}, events)
    assert prompt == [trace_messages.Message("user", "from an event")] and completion[0].content == "ok"
    plain = span_view.llm_facts({"mlflow.spanInputs": '"just text"'}, [], PRICES)
    assert plain.prompt == [trace_messages.Message("input", "just text")]


def test_trace_cost_says_which_models_have_no_price():
    spans = pd.DataFrame({"model": ["databricks-claude-sonnet-4", "mystery-model", None],
                          "input_tokens": [1_000_000, 10, None], "output_tokens": [0, 10, None]})
    cost = span_view.trace_cost(spans, PRICES)
    assert cost.usd == pytest.approx(3.0) and cost.text == "$3.00" and "mystery-model" in cost.help
    assert span_view.trace_cost(spans.iloc[1:], PRICES).text == "no price"
    assert span_view.usd_text(0.00472) == "$0.0047" and span_view.duration_text(5128.0) == "5.13 s"


def spans(rows: list[tuple]) -> pd.DataFrame:
    return pd.DataFrame([{"service_name": svc, "name": n, "duration_ms": float(ms), "status_code": st}
                         for svc, n, ms, st in rows])


def test_compare_counts_and_times_each_operation_in_both_traces():
    a = spans([("api", "GET /x", 100, "OK"), ("db", "query", 10, "OK"), ("db", "query", 20, "OK")])
    b = spans([("api", "GET /x", 300, "ERROR"), ("db", "query", 15, "OK"), ("cache", "get", 1, "OK")])
    ops = compare.operations(a, b).set_index("name")
    assert list(ops.index) == ["GET /x", "query", "get"]  # biggest change in total time first
    assert ops.loc["GET /x", "total_ms_diff"] == 200 and ops.loc["query", "spans_a"] == 2
    assert ops.loc["query", "spans_diff"] == -1 and ops.loc["query", "mean_ms_diff"] == pytest.approx(0)
    assert ops.loc["get", "only_in"] == "B" and ops.loc["get", "spans_a"] == 0
    side_a = compare.Side("A", "a", 100.0, 3, 0, 2)
    side_b = compare.Side("B", "b", 300.0, 3, 1, 3)
    summary = compare.summary(side_a, side_b).set_index("measure")
    assert summary.loc["Duration (ms)", "diff"] == "+200.0" and summary.loc["Errors", "b"] == "1"


def test_the_url_is_read_with_every_id_bound_and_the_window_documented():
    a = trace_view.ask(" abc ", {"t": "1795000000000000000", "span": "s1", "compare": "abc"}, now_s=1.8e9)
    assert (a.trace_id, a.span_id, a.compare_id) == ("abc", "s1", "")  # comparing with itself is no comparison
    assert (a.window.start_ns, a.window.end_ns) == (1795000000000000000 - 86400 * 10**9,
                                                    1795000000000000000 + 86400 * 10**9)
    assert a.window.from_link and "± 1 day" in a.window.text
    loose = trace_view.ask("x' OR 1=1 --", {"t": "yesterday", "compare": "b" * 500}, now_s=1.8e9)
    assert loose.trace_id == "x' OR 1=1 --" and not loose.window.from_link and "500 characters" in loose.refused
    assert loose.window.end_ns - loose.window.start_ns == 31 * 86400 * 10**9
    requests = trace_view.requests(loose, load_settings({}))
    assert requests[trace_view.SPANS].row_cap == load_settings({}).traces.max_trace_spans
    assert requests[trace_view.SPANS].params["trace_id"] == "x' OR 1=1 --"
    assert trace_view.shown("a*b_[c](d)") == r"a\*b\_\[c\]\(d\)"
    assert trace_view.link("t 1", 123) == "trace?trace=t+1&t=123" and trace_view.link("t", None) == "trace?trace=t"


def test_selected_span_falls_back_to_the_root():
    tree = trees.build(pd.DataFrame([{"span_id": "r", "parent_span_id": None, "name": "r", "start_ns": 0,
                                      "end_ns": 5, "duration_ms": 0.0, "status_code": "OK", "service_name": "s"}]))
    assert trace_view.selected_span(tree, "gone") == "r" and trace_view.selected_span(tree, "r") == "r"
