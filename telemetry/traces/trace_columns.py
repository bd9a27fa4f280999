"""Table presets of the Trace page: the span tree, a span's attributes, events and links."""

from telemetry.columns import link, number, text

SPAN_TREE = {"label": text("Span", help="Indented by depth; ⚠ marks a span whose parent is not in the trace"),
             "service_name": text("Service"), "kind": text("Kind"),
             "offset_ms": number("Starts at (ms)", "%.2f", help="Since the trace's first span started"),
             "duration_ms": number("Duration (ms)", "%.2f"),
             "self_ms": number("Self (ms)", "%.2f", help="Duration minus the time covered by its children"),
             "status_code": text("Status"), "tokens": text("LLM tokens", help="Input / output tokens"),
             "critical_mark": text("Critical", help="On the critical path: the spans that decided the end"),
             "span_id": text("Span id")}
ATTRIBUTES = {"key": text("Attribute"), "value": text("Value", help="JSON values are indented")}
EVENTS = {"offset_ms": number("At (ms)", "%.2f", help="Since the span started"), "name": text("Event"),
          "attributes": text("Attributes")}
LINKS = {"trace_id": text("Linked trace"), "span_id": text("Span"), "attributes": text("Attributes"),
         "open": link("Open", "Open trace")}
