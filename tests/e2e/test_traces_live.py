"""Bring your own traces while the console runs: the real OpenTelemetry SDK exports through its real
OTLP/HTTP exporter to `traces receive`, the running console (which owns the embedded file) takes the
hand-over, and its trace search page shows the new trace, in headless Chromium. Nobody stops the
console, and no lock error appears anywhere."""

from __future__ import annotations

import re
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.e2e.browser import NO_CHROMIUM, chromium_path, launch_chromium, look, serve
from tests.traces.hand_spans import build

ROOT = Path(__file__).resolve().parents[2]
SERVICE = "live-agent"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_listening(port: int, proc: subprocess.Popen, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        assert proc.poll() is None, proc.stdout.read() if proc.stdout else "the receiver exited"
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.2)
    pytest.fail(f"the receiver did not listen on {port}")


def _send_real_spans(port: int) -> str:
    """A root span with two children from the real SDK, through the real OTLP/HTTP exporter."""
    from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter
    from opentelemetry.sdk.resources import Resource
    from opentelemetry.sdk.trace import TracerProvider
    from opentelemetry.sdk.trace.export import SimpleSpanProcessor

    provider = TracerProvider(resource=Resource.create({"service.name": SERVICE}))
    provider.add_span_processor(SimpleSpanProcessor(OTLPSpanExporter(endpoint=f"http://127.0.0.1:{port}/v1/traces")))
    tracer = provider.get_tracer("live-test")
    with tracer.start_as_current_span("POST /api/live", attributes={"http.request.method": "POST"}) as root:
        with tracer.start_as_current_span("plan", attributes={"step": 1}):
            pass
        with tracer.start_as_current_span("chat model", attributes={"gen_ai.usage.input_tokens": 42}):
            pass
        trace_id = f"{root.get_span_context().trace_id:032x}"
    provider.shutdown()
    return trace_id


def _kpi(text: str, label: str) -> str | None:
    match = re.search(rf"{label}\s*\n\s*([\d,]+)", text)
    return match.group(1) if match else None


def test_spans_sent_to_the_receiver_appear_on_the_search_page_of_a_running_console(tmp_path):
    from playwright.sync_api import sync_playwright

    if chromium_path() is None:
        pytest.fail(NO_CHROMIUM, pytrace=False)
    db = tmp_path / "live.duckdb"
    build(db)
    env = {"TELEMETRY_EMBEDDED_PATH": str(db), "TELEMETRY_ENGINE": "embedded"}
    with serve(env, "telemetry serve") as base, sync_playwright() as pw:
        browser = launch_chromium(pw)
        first = look(browser, f"{base}/traces")
        assert "Trace search" in first.main and _kpi(first.main, "Traces") == "133", first
        port = _free_port()
        receiver = subprocess.Popen([sys.executable, "-m", "telemetry", "traces", "receive", "--port", str(port)],
                                    cwd=ROOT, env={**__import__("os").environ, **env}, stdout=subprocess.PIPE,
                                    stderr=subprocess.STDOUT, text=True)
        try:
            _wait_listening(port, receiver)
            trace_id = _send_real_spans(port)
            deadline, shown = time.monotonic() + 30, None
            while time.monotonic() < deadline:
                shown = look(browser, f"{base}/traces?service={SERVICE}")
                if _kpi(shown.main, "Traces") == "1":
                    break
                time.sleep(1)
            assert _kpi(shown.main, "Traces") == "1" and _kpi(shown.main, "Spans") == "3", shown
            found = look(browser, f"{base}/traces?trace_id={trace_id}")
            assert _kpi(found.main, "Traces") == "1", found
            for page in (shown, found):
                assert "lock" not in page.main.lower() and "Traceback" not in page.main
        finally:
            receiver.terminate()
            out, _ = receiver.communicate(timeout=20)
        assert "Traceback" not in out, out
        browser.close()
