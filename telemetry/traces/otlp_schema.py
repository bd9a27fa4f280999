"""The spans table's Arrow schema (from its DDL in OWN_SCHEMAS) and the OTel enum names stored in it.

Values are stored the way Databricks' ingest stores them (databricks-apis.md §2.4): enum names
`SPAN_KIND_*` / `STATUS_CODE_*`. A JSON file may spell an enum as its number, its full name or its
short name; all become the full name.
"""

from __future__ import annotations

import pyarrow as pa

from telemetry.mirror.schema_own import OWN_SCHEMAS

KINDS = ("SPAN_KIND_UNSPECIFIED", "SPAN_KIND_INTERNAL", "SPAN_KIND_SERVER", "SPAN_KIND_CLIENT",
         "SPAN_KIND_PRODUCER", "SPAN_KIND_CONSUMER")
STATUS_CODES = ("STATUS_CODE_UNSET", "STATUS_CODE_OK", "STATUS_CODE_ERROR")
KIND_NAMES = {**{i: k for i, k in enumerate(KINDS)}, **{k: k for k in KINDS},
              **{k.removeprefix("SPAN_KIND_"): k for k in KINDS}}
STATUS_NAMES = {**{i: c for i, c in enumerate(STATUS_CODES)}, **{c: c for c in STATUS_CODES},
                **{c.removeprefix("STATUS_CODE_"): c for c in STATUS_CODES}}


_SCALARS = {"STRING": pa.string(), "INT": pa.int32(), "BIGINT": pa.int64(), "DOUBLE": pa.float64(),
            "BOOLEAN": pa.bool_()}


def _split_top(text: str) -> list[str]:
    """Split on commas that are not inside <...>."""
    parts, depth, start = [], 0, 0
    for i, ch in enumerate(text):
        depth += (ch == "<") - (ch == ">")
        if ch == "," and depth == 0:
            parts.append(text[start:i].strip())
            start = i + 1
    parts.append(text[start:].strip())
    return parts


def arrow_type(ddl: str) -> pa.DataType:
    """A Databricks SQL column type (as written in OWN_SCHEMAS) → its Arrow type."""
    ddl = ddl.strip()
    head, _, rest = ddl.partition("<")
    inner = rest[:-1]
    if head == "ARRAY":
        return pa.list_(arrow_type(inner))
    if head == "MAP":
        key, value = _split_top(inner)
        return pa.map_(arrow_type(key), arrow_type(value))
    if head == "STRUCT":
        return pa.struct([pa.field(name.strip(), arrow_type(kind))
                          for name, kind in (part.split(":", 1) for part in _split_top(inner))])
    return _SCALARS[ddl]


SPAN_SCHEMA = pa.schema([pa.field(name, arrow_type(kind)) for name, kind in OWN_SCHEMAS["spans"]])
