"""The OTLP decoders: real SDK spans through protobuf and every OTLP/JSON spelling to the same rows."""

from __future__ import annotations

import json

import duckdb
import pytest
from opentelemetry.proto.common.v1.common_pb2 import AnyValue, ArrayValue, KeyValue, KeyValueList

from telemetry.mirror.schema import duckdb_type
from telemetry.mirror.schema_own import OWN_SCHEMAS
from telemetry.traces import otlp_json, otlp_proto
from telemetry.traces.otlp_schema import SPAN_SCHEMA
from tests.traces.otel_fixtures import assert_span_matches, request_of, sdk_spans, to_otlp_json


def _plain(value):
    """Arrow's to_pylist gives maps as lists of pairs; the tests compare dicts."""
    if isinstance(value, list) and value and all(isinstance(v, tuple) and len(v) == 2 for v in value):
        return dict(value)
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: _plain(v) if k != "attributes" else dict(v) for k, v in value.items()}
    return value


def rows(table) -> dict[str, dict]:
    out = {}
    for row in table.to_pylist():
        row = {k: (dict(v) if k == "attributes" else _plain(v)) for k, v in row.items()}
        out[row["span_id"]] = row
    return out


@pytest.fixture(scope="module")
def spans():
    return sdk_spans()


def _snake(node):
    """The same JSON with proto field names (trace_id, resource_spans, string_value …)."""
    import re

    if isinstance(node, dict):
        return {re.sub(r"(?<!^)([A-Z])", r"_\1", k).lower(): _snake(v) for k, v in node.items()}
    if isinstance(node, list):
        return [_snake(v) for v in node]
    return node


def test_protobuf_rows_keep_everything_the_sdk_recorded(spans):
    decoded = otlp_proto.decode(request_of(spans).SerializeToString())
    assert (decoded.spans, decoded.rejected, decoded.errors) == (len(spans), 0, [])
    assert decoded.table.schema == SPAN_SCHEMA
    stored = rows(decoded.table)
    for span in spans:
        assert_span_matches(stored[f"{span.get_span_context().span_id:016x}"], span)
    root = next(r for r in stored.values() if r["name"] == "GET /orders/{id}")
    assert root["attributes"]["app.nested"] == '{"user":"ana","tries":2,"ok":true}'
    assert root["attributes"]["app.blob"] == "AP9ieXRlcw=="
    assert root["attributes"]["app.weights"] == "[0.5,1.5]"
    charge = next(r for r in stored.values() if r["name"] == "charge")
    assert "ValueError: card declined" in charge["events"][0]["attributes"]["exception.stacktrace"]
    assert charge["links"][0]["flags"] == 256 and charge["status"]["code"] == "STATUS_CODE_ERROR"


@pytest.mark.parametrize("variant", ["numbers", "names", "snake", "pretty", "concatenated", "int64-numbers"])
def test_every_otlp_json_spelling_gives_the_protobuf_rows(spans, variant):
    request = request_of(spans)
    expected = otlp_proto.decode(request.SerializeToString()).table
    body = to_otlp_json(request, enum_names=variant == "names")
    if variant == "snake":
        body = _snake(body)
    if variant == "int64-numbers":
        text = json.dumps(body)
        for span in body["resourceSpans"][0]["scopeSpans"][0]["spans"]:
            text = text.replace(f'"{span["startTimeUnixNano"]}"', span["startTimeUnixNano"])
        body = json.loads(text)
        assert isinstance(body["resourceSpans"][0]["scopeSpans"][0]["spans"][0]["startTimeUnixNano"], int)
    text = {"pretty": lambda b: json.dumps(b, indent=2), "concatenated": lambda b: json.dumps(b) + json.dumps(b)}.get(
        variant, json.dumps)(body)
    decoded = otlp_json.decode(text)
    assert decoded.errors == [] and decoded.rejected == 0
    table = decoded.table.slice(0, expected.num_rows)
    assert table.equals(expected), variant
    assert decoded.table.num_rows == expected.num_rows * (2 if variant == "concatenated" else 1)


def _request_with_values():
    request = request_of(sdk_spans()[:1])
    attrs = request.resource_spans[0].scope_spans[0].spans[0].attributes
    nested = KeyValueList(values=[KeyValue(key="k", value=AnyValue(array_value=ArrayValue(values=[
        AnyValue(int_value=-3), AnyValue(bytes_value=b"\x01"), AnyValue(string_value='q"uote')])))])
    attrs.extend([
        KeyValue(key="kv", value=AnyValue(kvlist_value=nested)),
        KeyValue(key="nan", value=AnyValue(double_value=float("nan"))),
        KeyValue(key="inf", value=AnyValue(double_value=float("-inf"))),
        KeyValue(key="big", value=AnyValue(int_value=2**63 - 1)),
        KeyValue(key="empty", value=AnyValue()),
        KeyValue(key="blank", value=AnyValue(string_value="")),
    ])
    return request


def test_values_the_sdk_cannot_make_are_encoded_the_same_by_both_decoders():
    request = _request_with_values()
    from_proto = rows(otlp_proto.decode(request.SerializeToString()).table)
    from_json = rows(otlp_json.decode(json.dumps(to_otlp_json(request))).table)
    assert from_proto == from_json
    attrs = next(iter(from_proto.values()))["attributes"]
    assert attrs["kv"] == '{"k":[-3,"AQ==","q\\"uote"]}'
    assert (attrs["nan"], attrs["inf"], attrs["big"]) == ("NaN", "-Infinity", str(2**63 - 1))
    assert attrs["empty"] is None and attrs["blank"] == ""


@pytest.mark.parametrize("bad", ["short", "not-hex", "zeros", "parent"])
def test_a_span_with_an_invalid_id_is_rejected_and_the_others_kept(spans, bad):
    body = to_otlp_json(request_of(spans))
    victim = body["resourceSpans"][0]["scopeSpans"][0]["spans"][0]
    key, value = {"short": ("spanId", "abc123"), "not-hex": ("traceId", "z" * 32), "zeros": ("traceId", "0" * 32),
                  "parent": ("parentSpanId", "12345")}[bad]
    victim[key] = value
    decoded = otlp_json.decode(json.dumps(body))
    assert (decoded.spans, decoded.rejected, decoded.table.num_rows) == (len(spans), 1, len(spans) - 1)
    assert "invalid" in decoded.reasons[0]


@pytest.mark.parametrize("field, value", [("name", 42), ("traceState", ["x"]), ("attributes", [{"key": 7}]),
                                          ("status", {"message": {"text": "no"}}), ("kind", "SPAN_KIND_NOPE"),
                                          ("startTimeUnixNano", "-5"), ("events", [{"timeUnixNano": "soon"}])])
def test_a_span_with_a_wrongly_typed_field_is_rejected_and_the_others_kept(spans, field, value):
    body = to_otlp_json(request_of(spans))
    body["resourceSpans"][0]["scopeSpans"][0]["spans"][0][field] = value
    decoded = otlp_json.decode(json.dumps(body))
    assert (decoded.rejected, decoded.table.num_rows, decoded.errors) == (1, len(spans) - 1, [])


def test_protobuf_rejects_invalid_ids_too(spans):
    request = request_of(spans)
    request.resource_spans[0].scope_spans[0].spans[0].span_id = b"\x01\x02"
    request.resource_spans[0].scope_spans[0].spans[1].trace_id = bytes(16)
    decoded = otlp_proto.decode(request.SerializeToString())
    assert (decoded.rejected, decoded.table.num_rows) == (2, len(spans) - 2)


def test_a_span_with_a_broken_attribute_is_rejected_and_the_others_kept(spans):
    from telemetry.traces.otlp_lite import TracesLite

    request = TracesLite.FromString(request_of(spans).SerializeToString())
    request.resource_spans[0].scope_spans[0].spans[0].attributes.append(b"\x0a\x05ab")  # truncated key
    decoded = otlp_proto.decode(request.SerializeToString())
    assert (decoded.rejected, decoded.table.num_rows, decoded.reasons) == (1, len(spans) - 1, ["malformed attribute"])


def test_a_malformed_line_is_reported_with_its_number_and_the_rest_kept(spans):
    lines = [json.dumps(to_otlp_json(request_of([s]))) for s in spans]
    lines[1] = lines[1][:40]
    lines[2] = json.dumps({"resourceSpans": "not a list"})
    decoded = otlp_json.decode("\n".join(lines) + "\n", "f.jsonl")
    assert [e.split(":")[:2] for e in decoded.errors] == [["f.jsonl", "2"], ["f.jsonl", "3"]]
    assert decoded.table.num_rows == len(spans) - 2


def test_json_nested_too_deeply_is_reported_not_raised(spans):
    good = json.dumps(to_otlp_json(request_of(spans[:1])))
    decoded = otlp_json.decode("[" * 100_000 + "\n" + good, "deep.json")
    assert decoded.errors[0].startswith("deep.json:1:") and decoded.table.num_rows == 1


def test_a_half_decoded_request_is_undone_whole(spans):
    body = to_otlp_json(request_of(spans))
    body["resourceSpans"].append({"scopeSpans": 7})  # fails after the first resource's spans
    decoded = otlp_json.decode(json.dumps(body) + "\n" + json.dumps(to_otlp_json(request_of(spans[:1]))))
    assert len(decoded.errors) == 1 and decoded.errors[0].startswith("<json>:1:")
    assert decoded.table.num_rows == 1


def test_length_delimited_protobuf_and_a_corrupt_message(spans):
    messages = [request_of([s]).SerializeToString() for s in spans]
    framed = b"".join(len(m).to_bytes(4, "big") + m for m in messages)
    (decoded,) = otlp_proto.decode_batches(framed, "f.pb")
    assert decoded.table.num_rows == len(spans) and decoded.errors == []
    (broken,) = otlp_proto.decode_batches(b"\x0a\xff\xff\x01garbage", "g.pb")
    assert broken.table.num_rows == 0 and "g.pb" in broken.errors[0]


def test_batches_split_a_big_input(spans):
    text = "\n".join(json.dumps(to_otlp_json(request_of([s]))) for s in spans)
    parts = list(otlp_json.decode_batches(text, batch_spans=2))
    assert [p.table.num_rows for p in parts] == [2, 2, 0]


def test_the_arrow_schema_is_the_tables_ddl():
    con = duckdb.connect()
    columns = ", ".join(f'"{name}" {duckdb_type(kind)}' for name, kind in OWN_SCHEMAS["spans"])
    con.execute(f"CREATE TABLE from_ddl ({columns})")
    con.register("empty_spans", SPAN_SCHEMA.empty_table())
    con.execute("CREATE TABLE from_arrow AS SELECT * FROM empty_spans")
    describe = ("SELECT column_name, data_type FROM information_schema.columns WHERE table_name = ? "
                "ORDER BY ordinal_position")
    assert con.execute(describe, ["from_arrow"]).fetchall() == con.execute(describe, ["from_ddl"]).fetchall()
