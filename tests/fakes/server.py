"""A fake Databricks workspace REST server on 127.0.0.1, driven by the real databricks-sdk.

Routes are registered per test area (tests/fakes/*_routes.py) as `(method, regex) → handler`;
a handler gets the parsed request and returns a JSON-able body, or `(status, body)`, or a `Reply`.
Faults are injected per path pattern (status codes with Databricks' error body, `Retry-After`,
delays that trip the client's timeout, malformed JSON), so jobs are tested against the same HTTP
behaviour a workspace has, through the SDK's own retry and error mapping (databricks-apis.md §3.3).
"""

from __future__ import annotations

import json
import re
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

ERROR_CODES = {400: "INVALID_PARAMETER_VALUE", 401: "UNAUTHENTICATED", 403: "PERMISSION_DENIED",
               404: "RESOURCE_DOES_NOT_EXIST", 409: "RESOURCE_CONFLICT", 429: "REQUEST_LIMIT_EXCEEDED",
               500: "INTERNAL_ERROR", 503: "TEMPORARILY_UNAVAILABLE"}


@dataclass
class Request:
    method: str
    path: str
    query: dict[str, str]
    body: Any
    match: re.Match
    headers: dict[str, str]


@dataclass
class Reply:
    status: int = 200
    body: Any = None
    raw: bytes | None = None  # sent as is (malformed payloads)
    headers: dict[str, str] = field(default_factory=dict)
    delay_s: float = 0.0


@dataclass
class Fault:
    pattern: re.Pattern
    reply: Reply
    times: int  # how many matching calls it answers; -1 forever


def error(status: int, message: str = "", code: str | None = None, **headers: str) -> Reply:
    """A Databricks error response: `{"error_code", "message"}` with the HTTP status."""
    body = {"error_code": code or ERROR_CODES.get(status, "UNKNOWN"), "message": message or f"fake {status}"}
    return Reply(status, body, headers=dict(headers))


Handler = Callable[[Request], Any]


class FakeDatabricks:
    """`with FakeDatabricks() as fake: fake.route(...); client = fake.client()`."""

    def __init__(self, latency_s: float = 0.0) -> None:
        self.latency_s = latency_s  # added to every call (throughput benchmarks)
        self.routes: list[tuple[str, re.Pattern, Handler]] = []
        self.faults: list[Fault] = []
        self.calls: list[tuple[str, str, dict[str, str]]] = []
        self._lock = threading.Lock()
        self._server: ThreadingHTTPServer | None = None

    # --- configuration -------------------------------------------------------------------------
    def route(self, method: str, pattern: str, handler: Handler) -> None:
        self.routes.append((method.upper(), re.compile(f"^{pattern}$"), handler))

    def fail(self, pattern: str, reply: Reply, times: int = 1) -> None:
        """Answer the next `times` calls whose path matches `pattern` (regex search) with `reply`."""
        with self._lock:
            self.faults.append(Fault(re.compile(pattern), reply, times))

    def count(self, pattern: str, method: str | None = None) -> int:
        rx = re.compile(pattern)
        with self._lock:
            return sum(1 for m, p, _ in self.calls if rx.search(p) and (method is None or m == method))

    # --- lifecycle -----------------------------------------------------------------------------
    @property
    def url(self) -> str:
        assert self._server is not None, "start the server first"
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    def __enter__(self) -> FakeDatabricks:
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), _handler_class(self))
        self._server.daemon_threads = True
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *exc: object) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()

    def client(self, *, retry_timeout_s: float = 10, http_timeout_s: float = 5):
        """A real WorkspaceClient pointed at this server (PAT auth, short retry budget)."""
        from databricks.sdk import WorkspaceClient
        from databricks.sdk.core import Config

        return WorkspaceClient(config=Config(host=self.url, token="fake-token", auth_type="pat",
                                             retry_timeout_seconds=retry_timeout_s,
                                             http_timeout_seconds=http_timeout_s))

    # --- dispatch ------------------------------------------------------------------------------
    def _fault_for(self, path: str) -> Reply | None:
        with self._lock:
            for fault in self.faults:
                if fault.times != 0 and fault.pattern.search(path):
                    fault.times -= 1 if fault.times > 0 else 0
                    return fault.reply
        return None

    def dispatch(self, method: str, url: str, body: bytes, headers: dict[str, str]) -> Reply:
        parts = urlsplit(url)
        query = {k: v[-1] for k, v in parse_qs(parts.query).items()}
        with self._lock:
            self.calls.append((method, parts.path, query))
        if parts.path == "/.well-known/databricks-config":
            return error(404, "no host metadata")
        fault = self._fault_for(parts.path)
        if fault is not None:
            return fault
        for m, pattern, handler in self.routes:
            match = pattern.match(parts.path)
            if m == method and match:
                parsed = json.loads(body) if body else None
                out = handler(Request(method, parts.path, query, parsed, match, headers))
                if isinstance(out, Reply):
                    return out
                if isinstance(out, tuple):
                    return Reply(out[0], out[1])
                return Reply(200, out)
        return error(404, f"no fake route for {method} {parts.path}", "ENDPOINT_NOT_FOUND")


def _handler_class(fake: FakeDatabricks) -> type[BaseHTTPRequestHandler]:
    class _Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        # Headers and body go out as two writes on a keep-alive connection: with Nagle on, each call
        # waits for the client's delayed ACK (~40 ms), which would swamp any latency we simulate.
        disable_nagle_algorithm = True

        def log_message(self, *args: object) -> None:  # quiet test output
            pass

        def _serve(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length) if length else b""
            if fake.latency_s:
                time.sleep(fake.latency_s)
            reply = fake.dispatch(self.command, self.path, body, dict(self.headers))
            if reply.delay_s:
                time.sleep(reply.delay_s)
            payload = reply.raw if reply.raw is not None else json.dumps(reply.body or {}).encode()
            try:
                self.send_response(reply.status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(payload)))
                for name, value in reply.headers.items():
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(payload)
            except (BrokenPipeError, ConnectionResetError):  # the client gave up (timeouts)
                pass

        do_GET = do_POST = do_PATCH = do_DELETE = do_PUT = _serve

    return _Handler
