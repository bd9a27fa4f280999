"""OTLP/JSON attribute values (AnyValue objects) → the text stored in MAP<STRING,STRING>.

Follows the proto3 JSON mapping as OTLP uses it: `stringValue`, `boolValue`, `intValue` (a string
or a number), `doubleValue` (a number, or "NaN" / "Infinity"), `bytesValue` (base64, standard or
URL-safe), `arrayValue` / `kvlistValue` (nested values, stored as compact typed JSON); the proto
field names (`string_value` …) are accepted too.
"""

from __future__ import annotations

import base64

from telemetry.traces.otlp_values import bytes_text, compact_json, double_text


def _double(value) -> float:
    return float(value)  # a number, or "NaN" / "Infinity" / "-Infinity" / "1.5"


def _b64(value: str) -> bytes:
    """Proto3 JSON accepts standard and URL-safe base64, padded or not."""
    text = value.replace("-", "+").replace("_", "/")
    return base64.b64decode(text + "=" * (-len(text) % 4), validate=True)


def _plain(value: dict):
    """An AnyValue as a Python value for compact JSON (arrays and key-value lists)."""
    if not value:
        return None
    (key, inner), = value.items()
    if key in ("stringValue", "string_value"):
        return inner
    if key in ("intValue", "int_value"):
        return int(inner)
    if key in ("boolValue", "bool_value"):
        return inner is True or inner == "true"
    if key in ("doubleValue", "double_value"):
        return _double(inner)
    if key in ("arrayValue", "array_value"):
        return [_plain(v) for v in (inner.get("values") or ())]
    if key in ("kvlistValue", "kvlist_value"):
        return {kv.get("key", ""): _plain(kv.get("value") or {}) for kv in (inner.get("values") or ())}
    if key in ("bytesValue", "bytes_value"):
        return bytes_text(_b64(inner))
    raise ValueError(f"unknown attribute value type {key!r}")


def value_text(value: dict) -> str | None:
    """An AnyValue as the text stored in MAP<STRING,STRING> (see span_rows for the rules)."""
    if not value:
        return None
    if len(value) != 1:
        raise ValueError("an attribute value must have exactly one type")
    for key, inner in value.items():
        convert = _TEXT.get(key)
        return convert(inner) if convert is not None else compact_json(_plain(value))
    return None


def _string_text(inner) -> str:
    return inner if type(inner) is str else str(inner)


_TEXT = {
    "stringValue": _string_text, "string_value": _string_text,
    "intValue": lambda inner: str(int(inner)), "int_value": lambda inner: str(int(inner)),
    "boolValue": lambda inner: "true" if inner is True or inner == "true" else "false",
    "doubleValue": lambda inner: double_text(_double(inner)),
    "bytesValue": lambda inner: bytes_text(_b64(inner)),
}
_TEXT["bool_value"], _TEXT["double_value"], _TEXT["bytes_value"] = (
    _TEXT["boolValue"], _TEXT["doubleValue"], _TEXT["bytesValue"])


def _key(key) -> str:
    if type(key) is not str:
        raise ValueError(f"an attribute key must be a string, not {type(key).__name__}")
    return key


def attributes(items) -> dict:
    """A list of KeyValue → {key: text} (a repeated key keeps its last value, as MAP keys are unique)."""
    out = {}
    for kv in items or ():
        try:  # the common shape, by subscript (faster than .get); most values are strings
            text = kv["value"]["stringValue"]
            key = kv["key"]
            out[key if type(key) is str else _key(key)] = text if type(text) is str else value_text(kv["value"])
        except (KeyError, TypeError):
            out[_key(kv.get("key", ""))] = value_text(kv.get("value"))
    return out
