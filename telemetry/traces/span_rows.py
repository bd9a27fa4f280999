"""Rows of the spans table (OTel v1, MAP layout) built column-wise, shared by the OTLP decoders.

Both decoders (OTLP/JSON and binary OTLP protobuf) append plain Python values to the flat lists of a
`SpanColumns` and call `table()` once: one `pa.array` per list and Arrow offsets for the nested
columns is what makes 20,000+ spans/s possible in Python, where building a dict per row and letting
Arrow infer nested types would not. The Arrow schema is derived from OWN_SCHEMAS["spans"], so the
rows have exactly the columns and types the embedded table (and Databricks' ingest) has.

Values are stored the way Databricks' ingest stores them (databricks-apis.md §2.4): ids as lowercase
hex, '' as the parent of a root, enum names `SPAN_KIND_*` / `STATUS_CODE_*` (otlp_schema), and every
attribute value as text (otlp_values).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pyarrow as pa

from telemetry.traces.otlp_schema import SPAN_SCHEMA
from telemetry.traces.otlp_values import flags32, int32

_MAX_REASONS = 5


class MapParts:
    """One MAP<STRING,STRING> column as flat keys, values and end offsets."""

    __slots__ = ("keys", "vals", "off")

    def __init__(self) -> None:
        self.keys: list[str] = []
        self.vals: list[str | None] = []
        self.off: list[int] = [0]

    def add(self, mapping: dict) -> None:
        self.keys.extend(mapping)
        self.vals.extend(mapping.values())
        self.off.append(len(self.keys))

    def truncate(self, entries: int) -> None:
        """Keep the first `entries` maps (undo a half-decoded span)."""
        del self.off[entries + 1:]
        end = self.off[-1]
        del self.keys[end:], self.vals[end:]

    def array(self) -> pa.MapArray:
        return pa.MapArray.from_arrays(pa.array(self.off, pa.int32()), pa.array(self.keys, pa.string()),
                                       pa.array(self.vals, pa.string()))


@dataclass
class SpanColumns:
    """Flat lists, one per leaf column. Span-level lists are appended last in a span, so a span that
    fails half-way is undone by `rollback()` (which trims the nested lists back to the offsets)."""

    trace_id: list = field(default_factory=list)
    span_id: list = field(default_factory=list)
    trace_state: list = field(default_factory=list)
    parent_span_id: list = field(default_factory=list)
    flags: list = field(default_factory=list)
    name: list = field(default_factory=list)
    kind: list = field(default_factory=list)
    start: list = field(default_factory=list)
    end: list = field(default_factory=list)
    attrs: MapParts = field(default_factory=MapParts)
    dropped_attrs: list = field(default_factory=list)
    ev_off: list = field(default_factory=lambda: [0])
    ev_time: list = field(default_factory=list)
    ev_name: list = field(default_factory=list)
    ev_attrs: MapParts = field(default_factory=MapParts)
    ev_dropped: list = field(default_factory=list)
    dropped_events: list = field(default_factory=list)
    ln_off: list = field(default_factory=lambda: [0])
    ln_trace: list = field(default_factory=list)
    ln_span: list = field(default_factory=list)
    ln_state: list = field(default_factory=list)
    ln_attrs: MapParts = field(default_factory=MapParts)
    ln_dropped: list = field(default_factory=list)
    ln_flags: list = field(default_factory=list)
    dropped_links: list = field(default_factory=list)
    status_message: list = field(default_factory=list)
    status_code: list = field(default_factory=list)
    resource: list = field(default_factory=list)  # index into the res_* lists
    scope: list = field(default_factory=list)  # index into the sc_* lists
    res_attrs: MapParts = field(default_factory=MapParts)
    res_dropped: list = field(default_factory=list)
    res_url: list = field(default_factory=list)
    sc_name: list = field(default_factory=list)
    sc_version: list = field(default_factory=list)
    sc_attrs: MapParts = field(default_factory=MapParts)
    sc_dropped: list = field(default_factory=list)
    sc_url: list = field(default_factory=list)
    rejected: int = 0
    reasons: list = field(default_factory=list)

    def __len__(self) -> int:
        return len(self.trace_id)

    def add_resource(self, attributes: dict, dropped: int, schema_url: str) -> int:
        self.res_attrs.add(attributes)
        self.res_dropped.append(int32(dropped))
        self.res_url.append(schema_url)
        return len(self.res_url) - 1

    def add_scope(self, name: str, version: str, attributes: dict, dropped: int, schema_url: str) -> int:
        self.sc_name.append(name)
        self.sc_version.append(version)
        self.sc_attrs.add(attributes)
        self.sc_dropped.append(int32(dropped))
        self.sc_url.append(schema_url)
        return len(self.sc_url) - 1

    def add_event(self, time_ns: int, name: str, attributes: dict, dropped: int) -> None:
        self.ev_time.append(time_ns)
        self.ev_name.append(name)
        self.ev_attrs.add(attributes)
        self.ev_dropped.append(int32(dropped))

    def add_link(self, trace_id: str, span_id: str, state: str, attributes: dict, dropped: int,
                 flags: int) -> None:
        self.ln_trace.append(trace_id)
        self.ln_span.append(span_id)
        self.ln_state.append(state)
        self.ln_attrs.add(attributes)
        self.ln_dropped.append(int32(dropped))
        self.ln_flags.append(flags32(flags))

    def reject(self, reason: str) -> None:
        """Count a span that cannot be stored (and undo what it appended)."""
        self.rollback()
        self.rejected += 1
        if len(self.reasons) < _MAX_REASONS and reason not in self.reasons:
            self.reasons.append(reason)

    def _span_lists(self) -> tuple[list, ...]:
        return (self.trace_id, self.span_id, self.trace_state, self.parent_span_id, self.flags, self.name,
                self.kind, self.start, self.end, self.dropped_attrs, self.dropped_events, self.dropped_links,
                self.status_message, self.status_code, self.resource, self.scope)

    def mark(self) -> tuple[int, int, int]:
        """Where we are, to undo a whole request that turned out malformed."""
        return len(self), self.rejected, len(self.reasons)

    def restore(self, mark: tuple[int, int, int]) -> None:
        spans, self.rejected, reasons = mark
        for column in self._span_lists():
            del column[spans:]
        del self.ev_off[spans + 1:], self.ln_off[spans + 1:], self.reasons[reasons:]
        self.attrs.truncate(spans)
        self.rollback()

    def rollback(self) -> None:
        events, links = self.ev_off[-1], self.ln_off[-1]
        for column in (self.ev_time, self.ev_name, self.ev_dropped):
            del column[events:]
        self.ev_attrs.truncate(events)
        for column in (self.ln_trace, self.ln_span, self.ln_state, self.ln_dropped, self.ln_flags):
            del column[links:]
        self.ln_attrs.truncate(links)

    def table(self) -> pa.Table:
        """The spans as an Arrow table of exactly SPAN_SCHEMA."""
        return pa.Table.from_arrays(_arrays(self), schema=SPAN_SCHEMA)


def _struct(kind: pa.DataType, children: list[pa.Array]) -> pa.StructArray:
    return pa.StructArray.from_arrays(children, fields=list(kind))


def _arrays(c: SpanColumns) -> list[pa.Array]:
    t = {f.name: f.type for f in SPAN_SCHEMA}
    string, i32, i64 = pa.string(), pa.int32(), pa.int64()
    events = pa.ListArray.from_arrays(pa.array(c.ev_off, i32), _struct(t["events"].value_type, [
        pa.array(c.ev_time, i64), pa.array(c.ev_name, string), c.ev_attrs.array(),
        pa.array(c.ev_dropped, i32)]), type=t["events"])
    links = pa.ListArray.from_arrays(pa.array(c.ln_off, i32), _struct(t["links"].value_type, [
        pa.array(c.ln_trace, string), pa.array(c.ln_span, string), pa.array(c.ln_state, string),
        c.ln_attrs.array(), pa.array(c.ln_dropped, i32), pa.array(c.ln_flags, i32)]), type=t["links"])
    res_idx, sc_idx = pa.array(c.resource, i32), pa.array(c.scope, i32)
    resource = _struct(t["resource"], [c.res_attrs.array(), pa.array(c.res_dropped, i32)])
    scope = _struct(t["instrumentation_scope"], [pa.array(c.sc_name, string), pa.array(c.sc_version, string),
                                                 c.sc_attrs.array(), pa.array(c.sc_dropped, i32)])
    status = _struct(t["status"], [pa.array(c.status_message, string), pa.array(c.status_code, string)])
    return [
        pa.array(c.trace_id, string), pa.array(c.span_id, string), pa.array(c.trace_state, string),
        pa.array(c.parent_span_id, string), pa.array(c.flags, i32), pa.array(c.name, string),
        pa.array(c.kind, string), pa.array(c.start, i64), pa.array(c.end, i64), c.attrs.array(),
        pa.array(c.dropped_attrs, i32), events, pa.array(c.dropped_events, i32), links,
        pa.array(c.dropped_links, i32), status, resource.take(res_idx),
        pa.array(c.res_url, string).take(res_idx), scope.take(sc_idx), pa.array(c.sc_url, string).take(sc_idx),
    ]


@dataclass
class Decoded:
    """What a decoder made of one input: the rows, and what it could not use."""

    table: pa.Table
    spans: int  # spans read (stored + rejected)
    rejected: int
    reasons: list[str]  # why spans were rejected (the first few distinct reasons)
    errors: list[str]  # malformed lines / messages, each "where: what"

    @classmethod
    def of(cls, columns: SpanColumns, errors: list[str]) -> Decoded:
        return cls(columns.table(), len(columns) + columns.rejected, columns.rejected, columns.reasons, errors)
