"""Table presets of the trace search page."""

from telemetry.columns import Col, count, link, number, text, usd, when

TRACES = {
    "open": link("Trace", "Open"), "started": when("Started (UTC)"), "root_name": text("Root span"),
    "root_service": text("Service"), "duration_ms": number("Duration (ms)", "%.0f"),
    "spans": count("Spans"), "errors": count("Errors", "Spans in status ERROR"),
    "tokens": count("LLM tokens", "Input + output tokens of the trace's LLM calls"),
    "user_id": text("User", "enduser.id (or user.id) attribute"), "session_id": text("Session", "session.id attribute"),
    "services": count("Services"), "trace_id": text("Trace id"),
}
for _name in ("start_ns", "sort_key", "total", "input_tokens", "output_tokens"):
    TRACES[_name] = Col(_name, hidden=True)

SLOWEST = {
    "service_name": text("Service"), "name": text("Operation"), "spans": count("Spans"),
    "errors": count("Errors"), "error_rate": Col("Error rate", "pct"),
    "p50_ms": number("p50 (ms)", "%.0f"), "p95_ms": number("p95 (ms)", "%.0f"), "p99_ms": number("p99 (ms)", "%.0f"),
    "total_ms": number("Total time (ms)", "%.0f", "Sum of the operation's span durations"),
}
LLM = {
    "model": text("Model"), "calls": count("Calls"), "failed_calls": count("Failed"),
    "input_tokens": count("Input tokens"), "output_tokens": count("Output tokens"),
    "cost_usd": usd("Cost (USD)", "At the prices in TELEMETRY_LLM_PRICES (USD per million tokens)"),
    "p95_ms": number("p95 call (ms)", "%.0f"),
}
