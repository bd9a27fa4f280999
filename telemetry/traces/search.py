"""Trace search: the filters a user sets → bound query parameters, keyset pages, rows and KPIs.

Every filter value reaches SQL as a bound parameter (attribute keys included: `attributes[:key]`),
so nothing typed on the page or in the URL is ever part of the SQL text. Pages are keyset pages
(the last row's sort key and trace id), so page 40 costs what page 1 does, and a new trace arriving
at the top never shifts the page being read.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

import pandas as pd

from telemetry import queries
from telemetry.config import Settings
from telemetry.metrics.kpi import Kpi
from telemetry.traces import trace_view

VIEWS: tuple[str, ...] = ("Traces", "Metrics")
GROUPS: dict[str, str] = {"service": "Service", "operation": "Root span"}
WHY_EMPTY = ("No traces match these filters in the period. Widen the period or clear a filter; to send your own, "
             "run `python -m telemetry traces receive` and point an OpenTelemetry exporter at it.")
PRICE_NOTE = ("Cost = tokens × the price per million tokens in TELEMETRY_LLM_PRICES (model=input/output, USD). "
              "The defaults are example prices for the demo's models, not a quote.")
PERIODS: dict[str, timedelta] = {"1 hour": timedelta(hours=1), "24 hours": timedelta(days=1),
                                 "7 days": timedelta(days=7), "30 days": timedelta(days=30)}
DEFAULT_PERIOD = "7 days"
STATUSES: dict[str, str] = {"": "Any status", "ok": "OK", "error": "Error"}
SORTS: dict[str, str] = {"start": "Newest first", "duration": "Slowest first"}
MAX_ATTRIBUTE_FILTERS = 4
OPERATORS = (">=", "<=", "=", ">", "<")  # longest first, so ">=" is not read as ">"
_ID_RE = re.compile(r"^[0-9A-Za-z:_-]{1,128}$")
_CURSOR_RE = re.compile(r"^(-?\d{1,20})~([0-9A-Za-z:_-]{1,128})$")


@dataclass(frozen=True)
class AttributeFilter:
    key: str
    op: str
    value: str

    @property
    def number(self) -> float | None:
        try:
            number = float(self.value)
        except ValueError:
            return None
        return number if math.isfinite(number) else None

    @property
    def text(self) -> str:
        return f"{self.key} {self.op} {self.value}"


def parse_attributes(raw: str) -> tuple[tuple[AttributeFilter, ...], list[str]]:
    """`key=value; other.key>=10` → filters, and what was refused (in words). At most four."""
    found: list[AttributeFilter] = []
    refused: list[str] = []
    for part in (p.strip() for p in (raw or "").split(";")):
        if not part:
            continue
        op = next((o for o in OPERATORS if o in part), "")
        key, _, value = part.partition(op) if op else (part, "", "")
        key, value = key.strip(), value.strip()
        if not op or not key or len(key) > 200 or any(ord(c) < 32 for c in key + value):
            refused.append(f"`{part[:80]}` is not `key = value` (or >, >=, <, <= with a number)")
        elif op != "=" and AttributeFilter(key, op, value).number is None:
            refused.append(f"`{part[:80]}`: {op} compares numbers, and `{value[:40]}` is not one")
        elif len(found) == MAX_ATTRIBUTE_FILTERS:
            refused.append(f"`{part[:80]}`: at most {MAX_ATTRIBUTE_FILTERS} attribute filters")
        else:
            found.append(AttributeFilter(key, op, value[:1000]))
    return tuple(found), refused


def clean_trace_id(raw: str) -> tuple[str, str]:
    """A trace id as typed (spaces and case forgiven) or '' and why it was refused."""
    value = (raw or "").strip().lower()
    if not value or _ID_RE.match(value):
        return value, ""
    return "", "A trace id is letters, digits, '-', '_' or ':' (32 hex digits for OpenTelemetry); ignored."


def epoch_ns(moment: datetime) -> int:
    """Nanoseconds since the epoch, the span columns' unit (a naive datetime is UTC, as in the sources)."""
    aware = moment if moment.tzinfo else moment.replace(tzinfo=UTC)
    return int(aware.timestamp()) * 1_000_000_000 + aware.microsecond * 1000


def window(period: str, now: datetime | None = None) -> tuple[int, int]:
    """[start, end) in ns for a period preset, the end rounded up to the minute so that the query
    (and its cache entry) stays the same for a minute rather than changing every rerun."""
    now = (now or datetime.now(UTC)).replace(second=0, microsecond=0) + timedelta(minutes=1)
    return epoch_ns(now - PERIODS.get(period, PERIODS[DEFAULT_PERIOD])), epoch_ns(now)


@dataclass(frozen=True)
class TraceFilters:
    start_ns: int
    end_ns: int
    service: str = ""
    span_name: str = ""
    status: str = ""
    min_ms: float = 0.0
    max_ms: float = 0.0  # 0: no maximum
    attributes: tuple[AttributeFilter, ...] = ()
    trace_id: str = ""
    sort: str = "start"
    descending: bool = True

    @property
    def signature(self) -> tuple:
        """What changes the result set (a new signature starts again at the first page)."""
        return (self.start_ns, self.end_ns, self.service, self.span_name, self.status, self.min_ms, self.max_ms,
                self.attributes, self.trace_id, self.sort, self.descending)


@dataclass(frozen=True)
class Cursor:
    """Where a keyset page starts: after the row with this sort key and trace id ('' = the first page)."""

    after_key: int = 0
    after_id: str = ""

    @property
    def token(self) -> str:
        return f"{self.after_key}~{self.after_id}" if self.after_id else ""

    @classmethod
    def parse(cls, token: Any) -> Cursor:
        match = _CURSOR_RE.match(str(token or ""))
        return cls(int(match.group(1)), match.group(2)) if match else cls()


def base_params(f: TraceFilters) -> dict[str, Any]:
    """Every parameter the search queries declare, from the filters."""
    params: dict[str, Any] = {
        "start_ns": f.start_ns, "end_ns": f.end_ns, "service": f.service, "span_name": f.span_name,
        "status": f.status, "min_ms": float(f.min_ms), "max_ms": float(f.max_ms), "trace_id": f.trace_id,
        "sort": f.sort, "descending": f.descending,
    }
    for slot in range(1, MAX_ATTRIBUTE_FILTERS + 1):
        a = f.attributes[slot - 1] if slot <= len(f.attributes) else AttributeFilter("", "=", "")
        number = a.number
        params |= {f"attr_key_{slot}": a.key, f"attr_op_{slot}": a.op, f"attr_val_{slot}": a.value,
                   f"attr_num_{slot}": number if number is not None else 0.0,
                   f"attr_is_num_{slot}": number is not None}
    return params


def option_requests(start_ns: int, end_ns: int) -> dict[str, queries.Request]:
    """The pickers' options (services, operations) for the period: the page's first wave."""
    return {"search_options": queries.request("traces/search_options", {"start_ns": start_ns, "end_ns": end_ns})}


@dataclass(frozen=True)
class Options:
    services: list[str] = field(default_factory=list)
    operations: list[str] = field(default_factory=list)


def options(frame: pd.DataFrame) -> Options:
    if frame.empty:
        return Options()
    services = frame.loc[frame["kind"] == "service", "value"].tolist()
    operations = frame.loc[frame["kind"] == "operation", "value"].tolist()
    return Options(services, operations)


TRACE_QUERIES = ("search_page", "search_summary")
PREVIOUS = "search_summary_previous"
METRIC_QUERIES = ("search_summary", "metrics_over_time", "slowest_operations", "llm_usage")


def requests(view: str, f: TraceFilters, cursor: Cursor, settings: Settings, *,
             group_by: str = "service") -> dict[str, queries.Request]:
    """The view's queries (independent of each other: one wave)."""
    available = base_params(f) | {"after_key": cursor.after_key, "after_id": cursor.after_id,
                                  "page_size": settings.traces.page_size, "group_by": group_by,
                                  "bucket": bucket_for(f), "limit": 15}
    names = METRIC_QUERIES if view == VIEWS[1] else TRACE_QUERIES
    out = {name: queries.request(f"traces/{name}", available) for name in names}
    span = f.end_ns - f.start_ns  # the KPIs' change: the same filters over the period before
    out[PREVIOUS] = queries.request("traces/search_summary",
                                    available | {"start_ns": f.start_ns - span, "end_ns": f.start_ns})
    return out


def bucket_for(f: TraceFilters) -> str:
    """Hourly points up to two days, daily beyond (a chart of 30 × 24 points says less)."""
    return "hour" if f.end_ns - f.start_ns <= 2 * 86_400 * 1_000_000_000 else "day"


def export_csv(f: TraceFilters, settings: Settings) -> bytes:
    """Every matching trace up to the search limit, as CSV (run when the download is clicked)."""
    params = base_params(f) | {"limit": settings.traces.search_limit}
    frame = queries.run("traces/search_export", settings=settings, row_cap=settings.traces.search_limit,
                        **queries.request("traces/search_export", params).params).frame
    return frame.to_csv(index=False).encode()


def export_note(total_traces: int, settings: Settings) -> str:
    limit = settings.traces.search_limit
    if total_traces > limit:
        return (f"The CSV holds the first {limit:,} of {total_traces:,} matching traces "
                "(TELEMETRY_TRACE_SEARCH_LIMIT); narrow the filters for the rest.")
    return f"The CSV holds all {total_traces:,} matching traces."


def _when(ns: pd.Series) -> pd.Series:
    return pd.to_datetime(ns.astype("int64"), unit="ns", utc=True).dt.tz_localize(None)


def rows(page: pd.DataFrame, page_size: int) -> pd.DataFrame:
    """The page's trace rows (the extra look-ahead row dropped), with a link to each trace."""
    if page.empty:
        return page
    shown = page.head(page_size).copy()
    shown["open"] = [trace_view.link(t, s) for t, s in zip(shown["trace_id"], shown["start_ns"], strict=True)]
    shown["started"] = _when(shown["start_ns"])
    tokens = shown["input_tokens"].fillna(0) + shown["output_tokens"].fillna(0)
    shown["tokens"] = tokens.where(shown["input_tokens"].notna() | shown["output_tokens"].notna())
    return shown


@dataclass(frozen=True)
class KeysetPage:
    size: int
    shown: int
    total: int
    next_cursor: Cursor | None


def page_of(page: pd.DataFrame, page_size: int) -> KeysetPage:
    """What the pager says about this page: rows shown, the total, and where the next page starts."""
    return KeysetPage(page_size, min(len(page), page_size), total(page), next_cursor(page, page_size))


def next_cursor(page: pd.DataFrame, page_size: int) -> Cursor | None:
    """The cursor of the next page, or None on the last one (the query fetched one row more)."""
    if len(page) <= page_size:
        return None
    last = page.iloc[page_size - 1]
    return Cursor(int(last["sort_key"]), str(last["trace_id"]))


def total(page: pd.DataFrame) -> int:
    return 0 if page.empty else int(page["total"].iloc[0])


def kpis(summary: pd.DataFrame, previous: pd.DataFrame | None = None) -> list[Kpi]:
    """The search's KPIs with their change against the same filters over the period before."""
    now = summary.iloc[0].to_dict() if not summary.empty else {}
    before = previous.iloc[0].to_dict() if previous is not None and not previous.empty else {}

    def duration(label: str, column: str, help_: str) -> Kpi:
        return Kpi(label, _number(now.get(column)), _number(before.get(column)), higher_is_better=False,
                   display=duration_text(now.get(column)), help=help_)

    return [
        Kpi("Traces", now.get("traces"), before.get("traces"), help="Traces that match the filters, in the period"),
        Kpi("Error rate", now.get("error_rate"), before.get("error_rate"), fmt="pct", higher_is_better=False,
            help="Share of those traces with at least one span in status ERROR"),
        duration("p50 duration", "p50_ms", "Median trace duration (first span start to last span end)"),
        duration("p95 duration", "p95_ms", "95th percentile of trace duration"),
        duration("p99 duration", "p99_ms", "99th percentile of trace duration"),
        Kpi("Spans", now.get("spans"), before.get("spans"), help="Spans in those traces"),
    ]


def _number(value: Any) -> float | None:
    return None if value is None or value != value else float(value)


def duration_text(ms: Any) -> str:
    """12 ms, 850 ms, 9.1 s, 4 min 12 s: a duration as a person reads it."""
    value = _number(ms)
    if value is None:
        return "–"
    if value < 1000:
        return f"{value:,.0f} ms"
    if value < 60_000:
        return f"{value / 1000:.1f} s"
    minutes, seconds = divmod(round(value / 1000), 60)
    return f"{minutes} min {seconds:02d} s"


def latest(summary: pd.DataFrame) -> datetime | None:
    """The newest matching trace's start (the page's 'data as of')."""
    if summary.empty or pd.isna(summary["latest_start_ns"].iloc[0]):
        return None
    return datetime.fromtimestamp(int(summary["latest_start_ns"].iloc[0]) / 1e9, UTC).replace(tzinfo=None)


def priced(usage: pd.DataFrame, prices: tuple[tuple[str, float, float], ...]) -> pd.DataFrame:
    """LLM use by model with its cost at the configured prices (USD per million tokens); models
    without a price get no cost rather than a guess."""
    if usage.empty:
        return usage
    table = {model: (inp, out) for model, inp, out in prices}
    out = usage.copy()
    rate_in = out["model"].map(lambda m: table.get(m, (None, None))[0])
    rate_out = out["model"].map(lambda m: table.get(m, (None, None))[1])
    out["cost_usd"] = (out["input_tokens"] * rate_in.astype(float)
                       + out["output_tokens"] * rate_out.astype(float)) / 1e6
    return out


def slowest(frame: pd.DataFrame) -> pd.DataFrame:
    """Slowest operations with the error rate as a percentage (the table's pct columns are 0-100)."""
    return frame.assign(error_rate=frame["error_rate"] * 100) if not frame.empty else frame
