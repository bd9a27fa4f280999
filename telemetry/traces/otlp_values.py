"""OTLP values as the text and integers the spans table stores.

Attribute values go into MAP<STRING,STRING>: strings as-is, bools "true"/"false", ints as decimal
text, doubles as JSON number text, arrays and key-value lists as compact typed JSON, bytes as
base64. Ids are lowercase hex; uint32 counts and fixed32 flags fit the table's INT columns.
"""

from __future__ import annotations

import base64
import json
import math
import re
from json.encoder import encode_basestring

_COMPACT = {"separators": (",", ":"), "ensure_ascii": False}
INT64_MAX = 2**63 - 1
_INT32_MAX = 2**31 - 1


def double_text(value: float) -> str:
    """A double as JSON number text (proto3 JSON spellings for the non-finite ones)."""
    if math.isfinite(value):
        return repr(value)
    return "NaN" if math.isnan(value) else ("Infinity" if value > 0 else "-Infinity")


def compact_json(value) -> str:
    """Arrays and key-value lists as compact, typed JSON (strings quoted, numbers and bools bare)."""
    if type(value) is list and all(type(item) is str for item in value):
        return "[" + ",".join(map(encode_basestring, value)) + "]"  # the common case, 3x faster
    return json.dumps(value, **_COMPACT)


def bytes_text(raw: bytes) -> str:
    return base64.b64encode(raw).decode("ascii")


def int32(value: int) -> int:
    """uint32 counts into INT: clamp (a count over 2^31 is not worth an error)."""
    return value if value <= _INT32_MAX else _INT32_MAX


def flags32(value: int) -> int:
    """fixed32 flags into INT: the same bits, read as signed."""
    return value - 2**32 if value > _INT32_MAX else value


_HEX = re.compile(r"[0-9a-fA-F]*\Z")


def hex_id(text, width: int) -> str | None:
    """A hex id of `width` characters, lowercased; None when it is not one (or all zeros)."""
    if type(text) is not str or len(text) != width or not _HEX.match(text):
        return None
    text = text.lower()
    return None if text.count("0") == width else text
