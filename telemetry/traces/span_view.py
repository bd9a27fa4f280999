"""One span, readable: attributes (searchable, JSON values pretty-printed), events with exception
stack traces, resource, links to other traces, status, and for LLM spans the model, tokens, cost and
the prompt and completion as chat messages.

The span arrives as traces/span_detail's row: maps and arrays as JSON text. Parsing never raises;
a value that is not what it should be is shown as the text it is. Prompt and completion come from
the first source the span has: OTel GenAI's `gen_ai.input.messages` / `gen_ai.output.messages`, the
older `gen_ai.prompt` / `gen_ai.completion` (JSON or flat `gen_ai.prompt.0.role` keys), MLflow's
`mlflow.spanInputs` / `mlflow.spanOutputs`, then `gen_ai.*.message` / `gen_ai.choice` events.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from telemetry.traces import trace_messages
from telemetry.traces.trace_messages import Message

Prices = Mapping[str, tuple[float, float]]  # model (lower case) → USD per 1M input, output tokens
load_json = trace_messages.load_json


def prices(settings_prices: tuple[tuple[str, float, float], ...]) -> dict[str, tuple[float, float]]:
    """settings.traces.llm_prices as a lookup by lower-case model name."""
    return {model.lower(): (inp, out) for model, inp, out in settings_prices}


def duration_text(ms: float | None) -> str:
    """'0.42 ms', '512 ms', '5.13 s', '2m 05s', '1h 02m' (short enough for a KPI tile)."""
    if ms is None or pd.isna(ms):
        return "–"
    if ms < 10:
        return f"{ms:.2f} ms"
    if ms < 1000:
        return f"{ms:.0f} ms"
    if ms < 60_000:
        return f"{ms / 1000:.2f} s"
    minutes, seconds = divmod(round(ms / 1000), 60)
    if minutes < 60:
        return f"{minutes:.0f}m {seconds:02.0f}s"
    return f"{minutes // 60:.0f}h {minutes % 60:02.0f}m"


def pretty(value: Any) -> str:
    """An attribute value for reading: JSON objects and arrays indented, anything else as it is."""
    text = "" if value is None else str(value)
    stripped = text.strip()
    if stripped[:1] in ("{", "[") and (parsed := load_json(stripped)) is not None:
        return json.dumps(parsed, indent=2, ensure_ascii=False)
    return text


def _text_map(value: Any) -> dict[str, str]:
    """A JSON map of attributes (possibly a list of {key, value} pairs) as str → str."""
    if isinstance(value, list):
        value = {str(e.get("key")): e.get("value") for e in value if isinstance(e, dict) and "key" in e}
    if not isinstance(value, dict):
        return {}
    return {str(k): v if isinstance(v, str) else json.dumps(v) for k, v in value.items()}


def attribute_table(attributes: Mapping[str, str], search: str = "") -> pd.DataFrame:
    """Key → pretty value rows sorted by key; `search` keeps rows whose key or value contains it."""
    needle = search.strip().lower()
    rows = [(k, pretty(v)) for k, v in sorted(attributes.items())
            if not needle or needle in k.lower() or needle in str(v).lower()]
    return pd.DataFrame(rows, columns=["key", "value"])


@dataclass(frozen=True)
class Event:
    name: str
    offset_ms: float  # from the span's start
    attributes: dict[str, str]

    @property
    def exception(self) -> tuple[str, str, str] | None:
        """(type, message, stack trace) of an `exception` event (OTel semantic conventions)."""
        if self.name != "exception":
            return None
        a = self.attributes
        return a.get("exception.type", ""), a.get("exception.message", ""), a.get("exception.stacktrace", "")


@dataclass(frozen=True)
class Link:
    trace_id: str
    span_id: str
    attributes: dict[str, str]


@dataclass(frozen=True)
class Llm:
    """What an LLM span says about its call (absent facts are None / empty)."""

    model: str | None = None
    input_tokens: int | None = None
    output_tokens: int | None = None
    cost_usd: float | None = None
    prompt: list[Message] = field(default_factory=list)
    completion: list[Message] = field(default_factory=list)

    @property
    def present(self) -> bool:
        return bool(self.is_call or self.prompt or self.completion)

    @property
    def is_call(self) -> bool:
        """A model call (a model or token counts), not just a span with recorded inputs and outputs."""
        return bool(self.model or self.input_tokens is not None or self.output_tokens is not None)


@dataclass(frozen=True)
class SpanDetail:
    row: dict[str, Any]
    attributes: dict[str, str]
    resource: dict[str, str]
    events: list[Event]
    links: list[Link]
    llm: Llm

    def get(self, key: str, default: Any = "") -> Any:
        value = self.row.get(key)
        return default if value is None or (isinstance(value, float) and pd.isna(value)) else value

    @property
    def exceptions(self) -> list[tuple[str, str, str]]:
        return [e.exception for e in self.events if e.exception]


def _events(value: Any, span_start_ns: int) -> list[Event]:
    out = []
    for e in value if isinstance(value, list) else []:
        if isinstance(e, dict):
            try:
                offset = (int(e.get("time_unix_nano") or span_start_ns) - span_start_ns) / 1e6
            except (TypeError, ValueError):
                offset = 0.0
            out.append(Event(str(e.get("name") or ""), offset, _text_map(e.get("attributes"))))
    return out


def _links(value: Any) -> list[Link]:
    return [Link(str(x.get("trace_id") or ""), str(x.get("span_id") or ""), _text_map(x.get("attributes")))
            for x in (value if isinstance(value, list) else []) if isinstance(x, dict) and x.get("trace_id")]


def detail(frame: pd.DataFrame, price_list: Prices) -> SpanDetail | None:
    """The span of a traces/span_detail result (None when the trace has no span in the window)."""
    if frame.empty:
        return None
    row = frame.iloc[0].to_dict()
    attributes = _text_map(load_json(row.get("attributes_json")))
    start = int(row.get("start_ns") or 0)
    events = _events(load_json(row.get("events_json")), start)
    return SpanDetail(row, attributes, _text_map(load_json(row.get("resource_json"))), events,
                      _links(load_json(row.get("links_json"))), llm_facts(attributes, events, price_list))


def _int(value: Any) -> int | None:
    try:
        return int(float(value))
    except (TypeError, ValueError):
        return None


def _usage(attributes: Mapping[str, str]) -> tuple[int | None, int | None]:
    a = attributes
    tokens_in = _int(a.get("gen_ai.usage.input_tokens") or a.get("gen_ai.usage.prompt_tokens"))
    tokens_out = _int(a.get("gen_ai.usage.output_tokens") or a.get("gen_ai.usage.completion_tokens"))
    usage = load_json(a.get("mlflow.chat.tokenUsage"))
    if isinstance(usage, dict):
        tokens_in = tokens_in if tokens_in is not None else _int(usage.get("input_tokens"))
        tokens_out = tokens_out if tokens_out is not None else _int(usage.get("output_tokens"))
    return tokens_in, tokens_out


def cost(model: str | None, tokens_in: int | None, tokens_out: int | None, price_list: Prices) -> float | None:
    """USD at the configured price per 1M tokens (None without a price for the model or without tokens)."""
    price = price_list.get(str(model or "").lower())
    if price is None or (tokens_in is None and tokens_out is None):
        return None
    return ((tokens_in or 0) * price[0] + (tokens_out or 0) * price[1]) / 1e6


def llm_facts(attributes: Mapping[str, str], events: list[Event], price_list: Prices) -> Llm:
    a = attributes
    model = a.get("gen_ai.response.model") or a.get("gen_ai.request.model")
    tokens_in, tokens_out = _usage(a)
    prompt, completion = trace_messages.conversation(a, [(e.name, e.attributes) for e in events])
    return Llm(model, tokens_in, tokens_out, cost(model, tokens_in, tokens_out, price_list), prompt, completion)


@dataclass(frozen=True)
class Cost:
    usd: float | None
    text: str
    help: str


def trace_cost(spans: pd.DataFrame, price_list: Prices) -> Cost:
    """The trace's LLM cost at the configured prices, and which models had no price."""
    if "model" not in spans or spans["model"].isna().all():
        return Cost(None, "–", "No LLM spans (gen_ai.* model attributes) in this trace.")
    llm = spans[spans["model"].notna()]
    total, unpriced = 0.0, set()
    for model, tin, tout in zip(llm["model"], llm["input_tokens"], llm["output_tokens"], strict=True):
        usd = cost(model, None if pd.isna(tin) else int(tin), None if pd.isna(tout) else int(tout), price_list)
        if usd is None:
            unpriced.add(str(model))
        else:
            total += usd
    note = f" No price for {', '.join(sorted(unpriced))} (TELEMETRY_LLM_PRICES)." if unpriced else ""
    if len(unpriced) == llm["model"].nunique():
        return Cost(None, "no price", "Set TELEMETRY_LLM_PRICES (model=input/output USD per 1M tokens)." + note)
    return Cost(total, usd_text(total), "At the configured prices per 1M input/output tokens." + note)


def usd_text(usd: float | None) -> str:
    """Small amounts keep their cents' fractions: $0.0213, $1.27, $1,234."""
    if usd is None:
        return "–"
    if usd < 1:
        return f"${usd:.4f}"
    return f"${usd:,.2f}" if usd < 1000 else f"${usd:,.0f}"


def tree_rows(spans: pd.DataFrame) -> pd.DataFrame:
    """The span tree table's rows (trace_columns.SPAN_TREE) from tree-ordered spans."""
    return spans.assign(tokens=tokens_texts(spans), critical_mark=["●" if c else "" for c in spans["critical"]])


def tokens_texts(spans: pd.DataFrame) -> list[str]:
    """'1,200 in / 80 out' per span ('' for a span without token counts)."""
    def one(tin: Any, tout: Any) -> str:
        if pd.isna(tin) and pd.isna(tout):
            return ""
        return f"{0 if pd.isna(tin) else int(tin):,} in / {0 if pd.isna(tout) else int(tout):,} out"

    if "input_tokens" not in spans:
        return [""] * len(spans)
    return [one(a, b) for a, b in zip(spans["input_tokens"], spans["output_tokens"], strict=True)]


def _summary(attributes: Mapping[str, str], limit: int = 200) -> str:
    text = ", ".join(f"{k}={v}" for k, v in sorted(attributes.items()))
    return text if len(text) <= limit else text[:limit] + "…"


def event_rows(d: SpanDetail) -> pd.DataFrame:
    """One row per event: when (ms after the span's start), its name, its attributes in one line."""
    return pd.DataFrame([(e.offset_ms, e.name, _summary(e.attributes)) for e in d.events],
                        columns=["offset_ms", "name", "attributes"])


def link_rows(d: SpanDetail, url: Callable[[str, str], str]) -> pd.DataFrame:
    """One row per link, with the URL (`url(trace_id, span_id)`) that opens the linked trace there."""
    return pd.DataFrame([(x.trace_id, x.span_id, _summary(x.attributes), url(x.trace_id, x.span_id)) for x in d.links],
                        columns=["trace_id", "span_id", "attributes", "open"])


def json_values(attributes: Mapping[str, str]) -> list[tuple[str, str]]:
    """(key, indented JSON) of the attributes whose value is a JSON object or array."""
    out = []
    for key, value in sorted(attributes.items()):
        text = pretty(value)
        if text != value or (str(value).strip()[:1] in ("{", "[") and load_json(value) is not None):
            out.append((key, text))
    return out
