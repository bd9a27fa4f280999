"""The Trace page (`?trace=<id>`): what its URL asks for, the queries it runs, its header KPIs, and
the link every other page uses to open a trace.

Scan window (the span table is pruned by start time, so a trace is looked for in a bounded range):
with `&t=<the trace's start, ns>` (links from trace search and App detail add it) spans starting in
[t − 1 day, t + 1 day) are read; without it, spans starting in the 30 days before now (plus one day
ahead, for clocks that run early). Say the window when nothing is found: an old trace needs `&t=`.
"""

from __future__ import annotations

import re
import time
from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlencode

import pandas as pd

from telemetry import queries
from telemetry.config import Settings
from telemetry.metrics.kpi import Kpi
from telemetry.traces import span_view
from telemetry.traces.tree import Tree

SPANS, DETAIL, COMPARE = "spans", "detail", "compare_spans"
NS_PER_DAY = 86_400 * 1_000_000_000
AROUND_T_DAYS = 1
LOOKBACK_DAYS = 30
MAX_ID_CHARS = 128
_MARKDOWN = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$:])")
# A start time must be a plausible nanosecond epoch (2001–2286); anything else is ignored.
_MIN_NS, _MAX_NS = 10**18, 10**19 - 1


@dataclass(frozen=True)
class Window:
    """The start-time range the span table is scanned in, and how it was chosen (for the caption)."""

    start_ns: int
    end_ns: int
    from_link: bool  # True when &t= gave the trace's start

    @property
    def text(self) -> str:
        first, last = (datetime.fromtimestamp(v / 1e9, UTC) for v in (self.start_ns, self.end_ns))
        rule = ("the trace's start (&t=) ± 1 day" if self.from_link else
                f"the last {LOOKBACK_DAYS} days (no &t= in the link; add the trace's start in ns to look further back)")
        return f"Spans that started {first:%Y-%m-%d %H:%M} – {last:%Y-%m-%d %H:%M} UTC: {rule}."


@dataclass(frozen=True)
class Ask:
    """What the URL asks for, validated: trace ids are bound parameters, never SQL text."""

    trace_id: str
    window: Window
    span_id: str = ""
    compare_id: str = ""
    compare_window: Window | None = None
    refused: str = ""  # why a value was ignored ('' when all were accepted)


def clean_id(raw: Any) -> tuple[str, str]:
    """An id from the URL and why it was refused: trimmed, at most 128 printable characters. Any
    other text is accepted (it is bound, so `x' OR 1=1 --` just matches no trace)."""
    text = str(raw or "").strip()
    if not text:
        return "", ""
    if len(text) > MAX_ID_CHARS or not text.isprintable():
        return "", f"Ignored an id of {len(text)} characters that are not a trace or span id."
    return text, ""


def start_ns(raw: Any) -> int | None:
    """`&t=` as nanoseconds since the epoch (None when missing or not a plausible one)."""
    try:
        value = int(str(raw).strip())
    except (TypeError, ValueError):
        return None
    return value if _MIN_NS <= value <= _MAX_NS else None


def window(t_ns: int | None, now_s: float | None = None) -> Window:
    """The scan window (see the module docstring)."""
    if t_ns is not None:
        return Window(t_ns - AROUND_T_DAYS * NS_PER_DAY, t_ns + AROUND_T_DAYS * NS_PER_DAY, True)
    now = int((now_s if now_s is not None else time.time()) * 1e9)
    return Window(now - LOOKBACK_DAYS * NS_PER_DAY, now + NS_PER_DAY, False)


def ask(trace: Any, params: Mapping[str, Any], now_s: float | None = None) -> Ask:
    """The page's reading of its URL: ?trace= (the widget's value), &t=, &span=, &compare=, &ct=."""
    trace_id, bad_trace = clean_id(trace)
    span_id, bad_span = clean_id(params.get("span"))
    compare_id, bad_compare = clean_id(params.get("compare"))
    compare_id = "" if compare_id == trace_id else compare_id
    refused = " ".join(r for r in (bad_trace, bad_span, bad_compare) if r)
    return Ask(trace_id, window(start_ns(params.get("t")), now_s), span_id, compare_id,
               window(start_ns(params.get("ct")), now_s) if compare_id else None, refused)


def requests(a: Ask, settings: Settings) -> dict[str, queries.Request]:
    """One wave: the trace's spans, the selected span's detail and, when asked, the other trace's spans
    (span lists may hold up to settings.traces.max_trace_spans rows, not the engine's usual row cap)."""
    cap = settings.traces.max_trace_spans
    base = {"trace_id": a.trace_id, "start_ns": a.window.start_ns, "end_ns": a.window.end_ns, "span_id": a.span_id}
    out = {SPANS: replace(queries.request("traces/trace_spans", base), row_cap=cap),
           DETAIL: queries.request("traces/span_detail", base)}
    if a.compare_id and a.compare_window:
        other = {"trace_id": a.compare_id, "start_ns": a.compare_window.start_ns, "end_ns": a.compare_window.end_ns}
        out[COMPARE] = replace(queries.request("traces/trace_spans", other), row_cap=cap)
    return out


def link(trace_id: str, start_ns: int | None = None, span_id: str | None = None, page: str = "trace") -> str:
    """The relative URL of a trace (`trace?trace=…&t=…`), as links between pages are written here;
    `start_ns` (the trace's first span's start) lets the page scan one day either side of it."""
    params: dict[str, str] = {"trace": trace_id}
    if start_ns is not None and not pd.isna(start_ns):
        params["t"] = str(int(start_ns))
    if span_id:
        params["span"] = span_id
    return f"{page}?{urlencode(params)}"


def shown(text: str) -> str:
    """An id or a name as literal Markdown text (a crafted id cannot become a link or formatting)."""
    return _MARKDOWN.sub(r"\\\1", text)


def not_found(a: Ask) -> str:
    """The empty state of a trace id that matches no span in the window."""
    return (f"No such trace: no span of trace {shown(a.trace_id)} started in the scanned window. "
            f"{a.window.text} Open traces from Trace search, which links them with their start time.")


def kpis(tree: Tree, prices: span_view.Prices) -> list[Kpi]:
    """Duration, spans, services, errors, LLM tokens and their cost (when the models have prices)."""
    spans = tree.spans
    tokens_in = _total(spans, "input_tokens")
    tokens_out = _total(spans, "output_tokens")
    cost = span_view.trace_cost(spans, prices)
    errors = int((spans["status_code"] == "ERROR").sum())
    return [
        Kpi("Duration", tree.duration_ms, display=span_view.duration_text(tree.duration_ms),
            help="First span's start to the last span's end."),
        Kpi("Spans", tree.total_spans, help="Every span of the trace in the scanned window."),
        Kpi("Services", spans["service_name"].nunique(), help=", ".join(sorted(spans["service_name"].unique()))),
        Kpi("Errors", errors, help="Spans with status ERROR.", higher_is_better=False),
        Kpi("LLM tokens", tokens_in + tokens_out, fmt="compact",
            help=f"{tokens_in:,} input + {tokens_out:,} output tokens (gen_ai.usage.*)."),
        Kpi("Cost", cost.usd, display=cost.text, help=cost.help, higher_is_better=False),
    ]


def _total(spans: pd.DataFrame, column: str) -> int:
    return int(pd.to_numeric(spans[column], errors="coerce").fillna(0).sum()) if column in spans else 0


def headline(tree: Tree) -> tuple[str, dict[str, str]]:
    """The root span's name and the facts line under the title (service, start, kind, status)."""
    root = tree.spans.iloc[0]
    started = datetime.fromtimestamp(tree.start_ns / 1e9, UTC)
    facts = {"service": str(root["service_name"]), "started": f"{started:%Y-%m-%d %H:%M:%S} UTC",
             "kind": str(root["kind"]), "status": str(root["status_code"])}
    return str(root["name"]), facts


def truncation_note(tree: Tree, cap: int) -> str:
    """Why some spans are missing when the span cap cut the span list ('' when none are)."""
    if not tree.truncated:
        return ""
    return (f"This trace has {tree.total_spans:,} spans; the first {tree.loaded:,} by start time are loaded "
            f"(TELEMETRY_TRACE_MAX_SPANS={cap:,}). The last {tree.total_spans - tree.loaded:,} spans are not in "
            "the waterfall, the tree or the totals other than Spans.")


def status_badge(tree: Tree) -> tuple[str, str]:
    """The header badge: 'N errors' in red, or 'no errors' in green."""
    errors = int((tree.spans["status_code"] == "ERROR").sum())
    return (f"{errors:,} error{'s' if errors != 1 else ''}", "red") if errors else ("no errors", "green")


def selected_span(tree: Tree, requested: str) -> str:
    """The span the page shows: the URL's &span= when the trace has it, else the root (as span_detail picks)."""
    ids = tree.spans["span_id"]
    return requested if requested and bool((ids == requested).any()) else str(ids.iloc[0])


def span_link(trace_id: str, span_id: str) -> str:
    """A link's target: the linked trace, opened at the linked span."""
    return link(trace_id, span_id=span_id)
