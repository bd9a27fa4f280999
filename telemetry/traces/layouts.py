"""Which of the three span table layouts a table has, told from its columns (for `doctor`).

MLflow's schema-linked tables (OTel v1) hold MAP<STRING, STRING> attributes and a resource struct;
the table-prefix / Zerobus tables hold VARIANT attributes (plus time, date, service_name); the
collector app's `<prefix>_spans` has MAP attributes and no resource column (it copies the resource's
attributes into the span's with a `resource.` prefix). See databricks-apis.md §2.
"""

from __future__ import annotations

from collections.abc import Mapping

FIX = "set TELEMETRY_SPANS_LAYOUT={layout}"


def detect(columns: Mapping[str, str]) -> tuple[str, str]:
    """(layout, why) from column name → type; layout '' when the table is no span table at all."""
    types = {name.lower(): str(kind).upper() for name, kind in columns.items()}
    attributes = types.get("attributes")
    missing = [c for c in ("trace_id", "span_id", "start_time_unix_nano", "end_time_unix_nano") if c not in types]
    if attributes is None or missing:
        return "", f"not a span table: no {', '.join(missing or ['attributes'])} column"
    if "VARIANT" in attributes:
        return "variant", "attributes is VARIANT (the table-prefix <prefix>_otel_spans layout)"
    if "resource" not in types:
        return "collector", "MAP attributes and no resource column (the collector app's <prefix>_spans)"
    return "map", "MAP attributes and a resource struct (MLflow's OTel v1 otel_spans)"


def verdict(columns: Mapping[str, str] | None, configured: str) -> tuple[bool, str]:
    """(fine, one line for doctor): the detected layout against TELEMETRY_SPANS_LAYOUT."""
    if columns is None:
        return False, "span table not found; the trace pages will say so"
    layout, why = detect(columns)
    if not layout:
        return False, why
    if layout != configured:
        return False, (f"looks like the {layout} layout ({why}) but TELEMETRY_SPANS_LAYOUT is {configured}: "
                       f"{FIX.format(layout=layout)}")
    return True, f"{layout} layout ({why}), as configured"
