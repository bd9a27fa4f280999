"""`traces receive`: a local OTLP/HTTP receiver (`POST /v1/traces`) writing into the span table.

Point any OpenTelemetry SDK's OTLP/HTTP exporter at http://127.0.0.1:4318/v1/traces and the spans
appear in the console while it runs. Handler threads decode bodies in parallel; one committer
thread writes what they decoded into the database's inbox (`inbox.put`: a Parquet file, fsync'd,
renamed; several requests per file when they queue up), and only then are those requests
acknowledged, so nothing acknowledged is ever lost. A failed write answers 503 with Retry-After:
the exporter retries, and a retried batch adds no duplicates.

Applying the inbox to the table is a second step, off the request path: a drainer thread opens the
database for a moment about every half second when no console holds it (`inbox.drain_file`), and
applies every batch waiting; when a console holds it, the console drains it. (Applying per request,
as `inbox.hand_over` does, would cost an open, a transaction and a checkpoint per 512 spans.)
"""

from __future__ import annotations

import signal
import threading
import time
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pyarrow as pa

from telemetry.config import Settings
from telemetry.engine import inbox
from telemetry.traces import otlp_json, otlp_proto
from telemetry.traces.load import KEYS, PRUNE_COLUMN
from telemetry.traces.otlp_http import (
    INVALID_ARGUMENT,
    JSON,
    NOT_FOUND,
    PROTOBUF,
    RESOURCE_EXHAUSTED,
    UNAVAILABLE,
    UNIMPLEMENTED,
    BadBody,
    LengthRequired,
    TooLarge,
    gunzip,
    status_body,
    success_body,
)
from telemetry.traces.otlp_writer import Committer, Drainer

PATH = "/v1/traces"
RETRY_AFTER_S = 5
_IDLE_TIMEOUT_S = 5  # a kept-alive connection idle this long is closed (bounds shutdown time)


class _Server(ThreadingHTTPServer):
    daemon_threads = False  # server_close() waits for requests in flight: none is cut off unanswered
    block_on_close = True

    def __init__(self, address, receiver: Receiver) -> None:
        self.receiver = receiver
        super().__init__(address, _Handler)


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive: exporters reuse their connection
    timeout = _IDLE_TIMEOUT_S
    server: _Server

    def log_message(self, format: str, *args) -> None:  # the stdlib names it so
        pass  # one line per batch is logged by the receiver instead

    def _reply(self, code: int, content_type: str, body: bytes, headers: dict | None = None) -> None:
        self.send_response(code)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)

    def _fail(self, code: int, rpc_code: int, message: str, content_type: str = PROTOBUF,
              headers: dict | None = None) -> None:
        self._reply(code, content_type, status_body(content_type, rpc_code, message), headers)
        self.server.receiver.log(f"{self.command} {self.path}: {code} {message}")

    def _not_post(self) -> None:
        if self.path.split("?", 1)[0] != PATH:
            self._fail(404, NOT_FOUND, f"no such path {self.path!r}: OTLP traces go to POST {PATH}")
        else:
            self._fail(405, UNIMPLEMENTED, f"{self.command} is not supported: send POST {PATH}",
                       headers={"Allow": "POST"})

    do_GET = do_PUT = do_DELETE = do_PATCH = do_OPTIONS = _not_post

    def do_POST(self) -> None:
        if self.path.split("?", 1)[0] != PATH:
            self.close_connection = True  # the body is left unread
            return self._not_post()
        content_type = self.headers.get("Content-Type", "").split(";", 1)[0].strip().lower()
        if content_type not in (PROTOBUF, JSON):
            self.close_connection = True
            return self._fail(415, INVALID_ARGUMENT, f"Content-Type {content_type or '(none)'!r} is not "
                              f"supported: send {PROTOBUF} or {JSON}")
        self.server.receiver.handle(self, content_type)


class Receiver:
    """The server and its committer; `serve()` runs until `stop()` (or SIGINT/SIGTERM)."""

    def __init__(self, settings: Settings, host: str = "127.0.0.1", port: int = 4318,
                 log: Callable[[str], None] = print):
        self.settings = settings
        self.max_body = settings.traces.receiver_max_body_bytes
        self.log = log
        self.drainer = Drainer(settings.embedded_path, log)
        self.committer = Committer(self._put)
        self.server = _Server((host, port), self)

    @property
    def address(self) -> tuple[str, int]:
        return self.server.server_address[:2]

    def _put(self, table: pa.Table) -> Path:
        path = inbox.put(self.settings.embedded_path, self.settings.table("spans"), table, keys=KEYS,
                         prune_column=PRUNE_COLUMN)
        self.drainer.poke()
        return path

    def wait_applied(self, timeout_s: float = 10.0) -> bool:
        """True once nothing waits in the inbox (tests and the benchmark read the table after it)."""
        deadline = time.monotonic() + timeout_s
        while True:
            with self.drainer.busy:  # not in the middle of a drain (the file is closed again)
                if not inbox.pending(self.settings.embedded_path):
                    return True
            if time.monotonic() > deadline:
                return False
            time.sleep(0.02)

    def _body(self, handler: _Handler) -> bytes:
        length = handler.headers.get("Content-Length")
        if length is None or not length.strip().isdigit():
            raise LengthRequired("a Content-Length header is required (chunked bodies are not accepted)")
        if int(length) > self.max_body:
            raise TooLarge(f"the body ({int(length):,} bytes) is over the limit of {self.max_body:,} bytes")
        body = handler.rfile.read(int(length))
        encoding = handler.headers.get("Content-Encoding", "identity").strip().lower()
        if encoding == "gzip":
            return gunzip(body, self.max_body)
        if encoding not in ("identity", ""):
            raise BadBody(f"Content-Encoding {encoding!r} is not supported (gzip or none)")
        return body

    def handle(self, handler: _Handler, content_type: str) -> None:
        """Read, decode, write, and only then acknowledge one export request."""
        started = time.perf_counter()
        try:
            body = self._body(handler)
        except TooLarge as err:
            handler.close_connection = True
            return handler._fail(413, RESOURCE_EXHAUSTED, str(err), content_type)
        except LengthRequired as err:
            handler.close_connection = True
            return handler._fail(411, INVALID_ARGUMENT, str(err), content_type)
        except BadBody as err:
            handler.close_connection = True
            return handler._fail(400, INVALID_ARGUMENT, str(err), content_type)
        try:
            decoded = otlp_json.decode(body, "body") if content_type == JSON else otlp_proto.decode(body, "body")
        except Exception as err:  # e.g. JSON nested too deep for the parser: bad data all the same
            return handler._fail(400, INVALID_ARGUMENT, f"body: cannot be decoded ({type(err).__name__})", content_type)
        if decoded.errors:
            return handler._fail(400, INVALID_ARGUMENT, "; ".join(decoded.errors), content_type)
        if decoded.table.num_rows:
            try:
                self.committer.submit(decoded.table)
            except Exception as err:  # not written: the client must retry
                return handler._fail(503, UNAVAILABLE, f"the spans could not be written ({type(err).__name__}: "
                                     f"{err}); retry later", content_type, {"Retry-After": str(RETRY_AFTER_S)})
        message = f"{decoded.rejected} spans rejected: {'; '.join(decoded.reasons)}" if decoded.rejected else ""
        handler._reply(200, content_type, success_body(content_type, decoded.rejected, message))
        ms = (time.perf_counter() - started) * 1000
        self.log(f"{decoded.spans:,} spans ({'JSON' if content_type == JSON else 'protobuf'}, {len(body):,} bytes)"
                 f" from {handler.client_address[0]}: {decoded.table.num_rows:,} written"
                 f"{f', {decoded.rejected:,} rejected' if decoded.rejected else ''} in {ms:.0f} ms")

    def serve(self) -> None:
        """Serve until stop(); in the main thread SIGINT/SIGTERM stop it cleanly."""
        if threading.current_thread() is threading.main_thread():
            for sig in (signal.SIGINT, signal.SIGTERM):
                signal.signal(sig, lambda *_: threading.Thread(target=self.server.shutdown).start())
        try:
            self.server.serve_forever(poll_interval=0.2)
        finally:
            self.server.server_close()  # waits for the requests in flight
            self.committer.stop()
            self.drainer.stop()

    def stop(self) -> None:
        self.server.shutdown()
