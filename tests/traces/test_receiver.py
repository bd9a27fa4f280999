"""`traces receive`: the SDK's real OTLP/HTTP exporter, and hand-made bodies for every answer the
OTLP spec asks for, against a receiver on a free port writing into a temp DuckDB file."""

from __future__ import annotations

import gzip
import http.client
import json
import signal
import socket
import subprocess
import sys
import threading

import pytest
from google.rpc.status_pb2 import Status
from opentelemetry.exporter.otlp.proto.http import Compression
from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter
from opentelemetry.proto.collector.trace.v1.trace_service_pb2 import ExportTraceServiceResponse
from opentelemetry.sdk.trace.export import SpanExportResult

from telemetry.config import load_settings
from telemetry.engine.dialect import mirror_table_name
from telemetry.traces.receiver import Receiver
from tests.traces.otel_fixtures import assert_span_matches, request_of, sdk_spans, stored_spans, to_otlp_json

TABLE = mirror_table_name("main.ops_console.apps_otel_spans")
LIMIT = 256 * 1024
PROTOBUF, JSON = "application/x-protobuf", "application/json"


@pytest.fixture(scope="module")
def spans():
    return sdk_spans()


@pytest.fixture()
def db(tmp_path):
    return tmp_path / "traces.duckdb"


@pytest.fixture()
def receiver(db):
    settings = load_settings({"TELEMETRY_EMBEDDED_PATH": str(db), "TELEMETRY_OTLP_MAX_BODY_BYTES": str(LIMIT)})
    lines: list[str] = []
    server = Receiver(settings, "127.0.0.1", 0, log=lines.append)
    server.lines = lines
    thread = threading.Thread(target=server.serve)
    thread.start()
    yield server
    server.stop()
    thread.join(timeout=15)
    assert not thread.is_alive()


def post(receiver, body: bytes, content_type: str = PROTOBUF, path: str = "/v1/traces", method: str = "POST",
         headers: dict | None = None) -> tuple[int, dict, bytes]:
    host, port = receiver.address
    con = http.client.HTTPConnection(host, port, timeout=30)
    try:
        con.request(method, path, body=body, headers={"Content-Type": content_type, **(headers or {})})
        response = con.getresponse()
        return response.status, dict(response.getheaders()), response.read()
    finally:
        con.close()


def applied(receiver, db) -> dict[str, dict]:
    """The stored spans once the receiver has applied its inbox."""
    assert receiver.wait_applied(timeout_s=20)
    return stored_spans(db, TABLE)


def _status(body: bytes) -> Status:
    status = Status()
    status.ParseFromString(body)
    return status


def _url(receiver) -> str:
    host, port = receiver.address
    return f"http://{host}:{port}/v1/traces"


@pytest.mark.parametrize("compression", [Compression.NoCompression, Compression.Gzip])
def test_the_sdk_exporter_delivers_every_span_intact(receiver, db, spans, compression):
    exporter = OTLPSpanExporter(endpoint=_url(receiver), compression=compression)
    try:
        assert exporter.export(spans) == SpanExportResult.SUCCESS
    finally:
        exporter.shutdown()
    stored = applied(receiver, db)
    assert len(stored) == len(spans)
    for span in spans:
        assert_span_matches(stored[f"{span.get_span_context().span_id:016x}"], span)
    assert any("4 spans (protobuf" in line and "4 written" in line for line in receiver.lines)
    assert any("4 spans added" in line for line in receiver.lines)


def test_json_and_gzip_json_bodies_are_answered_in_json(receiver, db, spans):
    body = json.dumps(to_otlp_json(request_of(spans[:2]))).encode()
    code, headers, reply = post(receiver, body, JSON)
    assert (code, headers["Content-Type"], json.loads(reply)) == (200, JSON, {})
    body = gzip.compress(json.dumps(to_otlp_json(request_of(spans[2:]))).encode())
    code, _, reply = post(receiver, body, JSON, headers={"Content-Encoding": "gzip"})
    assert (code, json.loads(reply)) == (200, {})
    assert len(applied(receiver, db)) == len(spans)


def test_a_retried_batch_adds_no_duplicates(receiver, db, spans):
    body = request_of(spans).SerializeToString()
    assert post(receiver, body)[0] == 200
    assert post(receiver, body)[0] == 200
    assert len(applied(receiver, db)) == len(spans)


def test_rejected_spans_give_a_partial_success(receiver, db, spans):
    body = to_otlp_json(request_of(spans))
    body["resourceSpans"][0]["scopeSpans"][0]["spans"][0]["spanId"] = "xyz"
    code, _, reply = post(receiver, json.dumps(body).encode(), JSON)
    partial = json.loads(reply)["partialSuccess"]
    assert code == 200 and partial["rejectedSpans"] == "1" and "invalid" in partial["errorMessage"]
    request = request_of(spans)
    request.resource_spans[0].scope_spans[0].spans[1].trace_id = b"\x01"
    code, headers, reply = post(receiver, request.SerializeToString())
    response = ExportTraceServiceResponse.FromString(reply)
    assert (code, headers["Content-Type"], response.partial_success.rejected_spans) == (200, PROTOBUF, 1)
    assert response.partial_success.error_message
    assert len(applied(receiver, db)) == len(spans)  # 3 + the other 3, one of which was a duplicate


def test_an_empty_request_succeeds_without_partial_success(receiver):
    code, _, reply = post(receiver, b"")
    assert code == 200 and not ExportTraceServiceResponse.FromString(reply).HasField("partial_success")


@pytest.mark.parametrize("content_type, body", [(PROTOBUF, b"\x0a\xff\xff\xff\x0fnot protobuf"),
                                                (JSON, b'{"resourceSpans": [{'), (JSON, b"[1, 2]")])
def test_an_undecodable_body_is_400_with_a_status(receiver, content_type, body):
    code, headers, reply = post(receiver, body, content_type)
    assert code == 400 and headers["Content-Type"] == content_type
    message = json.loads(reply)["message"] if content_type == JSON else _status(reply).message
    assert message


def test_a_corrupt_gzip_body_is_400(receiver):
    code, _, reply = post(receiver, b"\x1f\x8b\x08\x00garbage", headers={"Content-Encoding": "gzip"})
    assert code == 400 and "gzip" in _status(reply).message


def test_a_body_over_the_limit_is_413_before_it_is_read(receiver):
    host, port = receiver.address
    con = http.client.HTTPConnection(host, port, timeout=10)
    con.putrequest("POST", "/v1/traces")
    con.putheader("Content-Type", PROTOBUF)
    con.putheader("Content-Length", str(10 * 1024**3))  # 10 GiB announced, nothing sent
    con.endheaders()
    response = con.getresponse()
    assert response.status == 413 and "over the limit" in _status(response.read()).message
    con.close()


def test_a_body_without_content_length_is_411(receiver):
    host, port = receiver.address
    con = http.client.HTTPConnection(host, port, timeout=10)
    con.request("POST", "/v1/traces", body=iter([b"\x0a\x00"]), encode_chunked=True,
                headers={"Content-Type": PROTOBUF, "Transfer-Encoding": "chunked"})
    response = con.getresponse()
    assert response.status == 411 and "Content-Length" in _status(response.read()).message
    con.close()


def test_a_gzip_bomb_is_413_without_inflating_it(receiver):
    bomb = gzip.compress(b"\0" * (200 * 1024 * 1024), compresslevel=9)  # 200 MiB of zeros in ~200 KB
    assert len(bomb) < LIMIT
    code, _, reply = post(receiver, bomb, headers={"Content-Encoding": "gzip"})
    assert code == 413 and "decompressed" in _status(reply).message


def test_other_content_types_paths_and_methods(receiver):
    assert post(receiver, b"x", "text/plain")[0] == 415
    code, _, reply = post(receiver, b"", path="/v1/metrics")
    assert code == 404 and "/v1/traces" in _status(reply).message
    code, headers, _ = post(receiver, b"", method="GET")
    assert code == 405 and headers["Allow"] == "POST"


def test_a_failed_write_is_503_and_nothing_is_acknowledged(receiver, db, spans):
    blocker = db.with_name(db.name + ".inbox")
    blocker.write_text("a file where the inbox folder should be")
    body = request_of(spans).SerializeToString()
    code, headers, reply = post(receiver, body)
    assert code == 503 and headers["Retry-After"].isdigit() and "retry" in _status(reply).message
    assert not db.exists() or not applied(receiver, db)
    exporter = OTLPSpanExporter(endpoint=_url(receiver), timeout=2)
    try:
        assert exporter.export(spans) == SpanExportResult.FAILURE  # the SDK retries 503, then gives up
    finally:
        exporter.shutdown()
    blocker.unlink()
    assert post(receiver, body)[0] == 200
    assert len(applied(receiver, db)) == len(spans)


_CONSOLE = """
import sys, time, duckdb
from telemetry.engine import inbox
con = duckdb.connect(sys.argv[1])
print("holding", flush=True)
while True:
    inbox.drain(con, sys.argv[1])
    time.sleep(0.2)
"""


def test_while_a_console_holds_the_database_it_applies_what_was_received(receiver, db, spans):
    console = subprocess.Popen([sys.executable, "-c", _CONSOLE, str(db)], stdout=subprocess.PIPE, text=True)
    try:
        assert console.stdout.readline().strip() == "holding"
        exporter = OTLPSpanExporter(endpoint=_url(receiver))
        assert exporter.export(spans) == SpanExportResult.SUCCESS
        exporter.shutdown()
        assert receiver.wait_applied(timeout_s=20)  # the console took the batch
        assert any("held by PID" in line for line in receiver.lines), receiver.lines
    finally:
        console.kill()
        console.wait()
    assert len(stored_spans(db, TABLE)) == len(spans)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM])
def test_the_cli_receiver_stops_cleanly_on_a_signal(db, spans, sig):
    port = _free_port()
    env = {"TELEMETRY_EMBEDDED_PATH": str(db), "PATH": "/usr/bin:/bin"}
    proc = subprocess.Popen([sys.executable, "-m", "telemetry.traces.cli", "receive", "--port", str(port)],
                            stderr=subprocess.PIPE, text=True, env=env)
    try:
        assert f"http://127.0.0.1:{port}/v1/traces" in proc.stderr.readline()
        exporter = OTLPSpanExporter(endpoint=f"http://127.0.0.1:{port}/v1/traces")
        assert exporter.export(spans) == SpanExportResult.SUCCESS
        exporter.shutdown()
        proc.send_signal(sig)
        assert proc.wait(timeout=15) == 0
        assert "every acknowledged batch is written" in proc.stderr.read()
    finally:
        proc.kill()
    assert len(stored_spans(db, TABLE)) == len(spans)
