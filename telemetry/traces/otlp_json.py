"""OTLP/JSON (`ExportTraceServiceRequest` objects) → rows of the spans table.

Reads what the OpenTelemetry Collector's file exporter writes (one request per line) and the same
pretty-printed or concatenated, following the OTLP/JSON mapping: lowerCamelCase keys (snake_case is
accepted too), hex trace/span ids, 64-bit integers as strings or numbers, enums as numbers (or
their names). A malformed object is reported with its line and skipped; a span with an invalid id
is rejected and counted; the rest is kept.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator

from telemetry.traces.otlp_json_values import attributes
from telemetry.traces.otlp_schema import KIND_NAMES, STATUS_NAMES
from telemetry.traces.otlp_values import INT64_MAX, flags32, hex_id, int32
from telemetry.traces.span_rows import Decoded, SpanColumns

_WS = re.compile(r"\s*")
_DECODER = json.JSONDecoder()
_BAD_SHAPE = (TypeError, ValueError, AttributeError, KeyError, IndexError)


def _g(obj: dict, camel: str, snake: str, default=None):
    """A field by its JSON name, or by its proto name."""
    value = obj.get(camel)
    if value is None:
        value = obj.get(snake, default)
        return default if value is None else value
    return value


def _str(value) -> str:
    """A string field (TypeError otherwise: a number where a name belongs makes the span malformed,
    and must not reach the Arrow string column)."""
    if type(value) is not str:
        raise TypeError(f"expected a string, got {type(value).__name__}")
    return value


def _uint64(value) -> int:
    number = int(value)  # "123" or 123
    if not 0 <= number <= INT64_MAX:
        raise ValueError(f"timestamp {value!r} out of range")
    return number


# --- spans ------------------------------------------------------------------------------------------

def _events(cols: SpanColumns, events: list) -> None:
    for ev in events:
        cols.add_event(_uint64(_g(ev, "timeUnixNano", "time_unix_nano", 0)), _str(ev.get("name", "")),
                       attributes(ev.get("attributes")),
                       int(_g(ev, "droppedAttributesCount", "dropped_attributes_count", 0)))


def _links(cols: SpanColumns, links: list) -> bool:
    for ln in links:
        trace_id = hex_id(_g(ln, "traceId", "trace_id"), 32)
        span_id = hex_id(_g(ln, "spanId", "span_id"), 16)
        if trace_id is None or span_id is None:
            return False
        cols.add_link(trace_id, span_id, _str(_g(ln, "traceState", "trace_state", "")),
                      attributes(ln.get("attributes")),
                      int(_g(ln, "droppedAttributesCount", "dropped_attributes_count", 0)), int(ln.get("flags", 0)))
    return True


def _span(cols: SpanColumns, span: dict, resource: int, scope: int) -> None:
    trace_id = hex_id(_g(span, "traceId", "trace_id"), 32)
    span_id = hex_id(_g(span, "spanId", "span_id"), 16)
    parent = _g(span, "parentSpanId", "parent_span_id", "")
    parent_id = hex_id(parent, 16) if parent else ""
    if trace_id is None or span_id is None or parent_id is None:
        cols.reject("invalid trace, span or parent span id (hex of 16 / 8 bytes expected)")
        return
    kind = KIND_NAMES.get(span.get("kind", 0))
    status = span.get("status") or {}
    code = STATUS_NAMES.get(status.get("code", 0))
    if kind is None or code is None:
        cols.reject(f"unknown span kind {span.get('kind')!r} or status code {status.get('code')!r}")
        return
    start = _uint64(_g(span, "startTimeUnixNano", "start_time_unix_nano", 0))
    end = _uint64(_g(span, "endTimeUnixNano", "end_time_unix_nano", 0))
    counts = (int32(int(_g(span, "droppedAttributesCount", "dropped_attributes_count", 0))),
              int32(int(_g(span, "droppedEventsCount", "dropped_events_count", 0))),
              int32(int(_g(span, "droppedLinksCount", "dropped_links_count", 0))))
    flags = flags32(int(span.get("flags", 0)))
    texts = (_str(_g(span, "traceState", "trace_state", "")), _str(span.get("name", "")),
             _str(status.get("message", "")))
    attrs = attributes(span.get("attributes"))
    events = span.get("events")
    if events:
        _events(cols, events)
    links = span.get("links")
    if links and not _links(cols, links):
        cols.reject("invalid link trace or span id")
        return
    cols.trace_id.append(trace_id)
    cols.span_id.append(span_id)
    cols.trace_state.append(texts[0])
    cols.parent_span_id.append(parent_id)
    cols.flags.append(flags)
    cols.name.append(texts[1])
    cols.kind.append(kind)
    cols.start.append(start)
    cols.end.append(end)
    cols.attrs.add(attrs)
    cols.dropped_attrs.append(counts[0])
    cols.ev_off.append(len(cols.ev_time))
    cols.dropped_events.append(counts[1])
    cols.ln_off.append(len(cols.ln_trace))
    cols.dropped_links.append(counts[2])
    cols.status_message.append(texts[2])
    cols.status_code.append(code)
    cols.resource.append(resource)
    cols.scope.append(scope)


def add_request(cols: SpanColumns, request: dict) -> None:
    """Append every span of one ExportTraceServiceRequest (a dict) to `cols`.

    Raises TypeError/ValueError/… when the object is not shaped like one (the caller reports it)."""
    if type(request) is not dict:
        raise TypeError("expected a JSON object with resourceSpans")
    for rs in _g(request, "resourceSpans", "resource_spans", ()):
        res = rs.get("resource") or {}
        resource = cols.add_resource(attributes(res.get("attributes")),
                                     int(_g(res, "droppedAttributesCount", "dropped_attributes_count", 0)),
                                     _str(_g(rs, "schemaUrl", "schema_url", "")))
        for ss in _g(rs, "scopeSpans", "scope_spans", ()):
            sc = ss.get("scope") or {}
            scope = cols.add_scope(_str(sc.get("name", "")), _str(sc.get("version", "")),
                                   attributes(sc.get("attributes")),
                                   int(_g(sc, "droppedAttributesCount", "dropped_attributes_count", 0)),
                                   _str(_g(ss, "schemaUrl", "schema_url", "")))
            for span in ss.get("spans") or ():
                try:
                    _span(cols, span, resource, scope)
                except _BAD_SHAPE as err:
                    cols.reject(f"malformed span: {err}")


# --- files and bodies -------------------------------------------------------------------------------

def iter_objects(text: str, source: str) -> Iterator[tuple[int, object | None, str | None]]:
    """(line, object, None) for each top-level JSON value, or (line, None, error) for a malformed one.

    After a malformed value, decoding resumes at the next line that starts with '{' (a new request in
    a file of one request per line, or a new pretty-printed one)."""
    pos, line, counted, size = 0, 1, 0, len(text)
    while True:
        pos = _WS.match(text, pos).end()
        if pos >= size:
            return
        line += text.count("\n", counted, pos)
        counted = pos
        try:
            obj, pos = _DECODER.raw_decode(text, pos)
        except json.JSONDecodeError as err:
            what = f"{err.msg.removesuffix(' at')} at column {err.colno}"
            yield err.lineno, None, f"{source}:{err.lineno}: malformed JSON ({what})"
            following = text.find("\n{", pos)
            pos = size if following < 0 else following + 1
            continue
        except RecursionError:
            yield line, None, f"{source}:{line}: JSON nested too deeply to read"
            following = text.find("\n{", pos)
            pos = size if following < 0 else following + 1
            continue
        yield line, obj, None


def decode_batches(data: bytes | str, source: str = "<json>", batch_spans: int = 50_000) -> Iterator[Decoded]:
    """Decode OTLP/JSON text in batches of about `batch_spans` spans (bounded memory for big files)."""
    text = data.decode("utf-8", errors="replace") if isinstance(data, bytes | bytearray) else data
    cols, errors = SpanColumns(), []
    for line, obj, error in iter_objects(text, source):
        if error is None:
            mark = cols.mark()
            try:
                add_request(cols, obj)
            except _BAD_SHAPE as err:
                cols.restore(mark)
                error = f"{source}:{line}: not an OTLP ExportTraceServiceRequest ({err})"
        if error is not None:
            errors.append(error)
        if len(cols) >= batch_spans:
            yield Decoded.of(cols, errors)
            cols, errors = SpanColumns(), []
    yield Decoded.of(cols, errors)


def decode(data: bytes | str, source: str = "<json>") -> Decoded:
    """All of it in one table (an HTTP body, a small file)."""
    parts = list(decode_batches(data, source, batch_spans=2**62))
    return parts[0]

