"""Column presets (plain data in each area) turned into Streamlit column configurations.

Areas describe their tables with `telemetry.columns` (label, kind, format); this is the only place
that knows Streamlit's column types. A column without a preset still gets a readable label, so a
raw `rows_last_day` never reaches a table.
"""

from __future__ import annotations

from collections.abc import Mapping

import streamlit as st

from telemetry.columns import Col, humanise

_DATETIME = "YYYY-MM-DD HH:mm"


def _config(col: Col):
    kind, label, help_ = col.kind, col.label, col.help
    if kind == "int":
        return st.column_config.NumberColumn(label, help=help_, format=col.fmt or "localized")
    if kind == "float":
        return st.column_config.NumberColumn(label, help=help_, format=col.fmt or "%.1f")
    if kind == "usd":
        return st.column_config.NumberColumn(label, help=help_, format=col.fmt or "dollar")
    if kind == "pct":
        return st.column_config.NumberColumn(label, help=help_, format=col.fmt or "%.0f%%")
    if kind == "datetime":
        return st.column_config.DatetimeColumn(label, help=help_, format=col.fmt or _DATETIME)
    if kind == "date":
        return st.column_config.DateColumn(label, help=help_, format=col.fmt or "YYYY-MM-DD")
    if kind == "link":
        return st.column_config.LinkColumn(label, help=help_, display_text=col.fmt or "Open")
    return st.column_config.TextColumn(label, help=help_)


def configure(columns: list[str], preset: Mapping[str, Col] | None) -> tuple[dict, list[str]]:
    """(column_config, column_order) for a frame's columns: preset order first, hidden ones dropped."""
    preset = preset or {}
    order = [c for c in preset if c in columns and not preset[c].hidden]
    order += [c for c in columns if c not in preset]
    config = {c: _config(preset[c]) if c in preset else _config(Col(humanise(c))) for c in order}
    return config, order
