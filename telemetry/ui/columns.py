"""Column presets (plain data in each area) turned into Streamlit column configurations.

Areas describe their tables with `telemetry.columns` (label, kind, format); this is the only place
that knows Streamlit's column types. A column without a preset still gets a readable label, so a
raw `rows_last_day` never reaches a table.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime

import pandas as pd
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


def _resolve(columns: list[str], preset: Mapping[str, Col] | None) -> dict[str, Col]:
    """Each shown column's preset (or a humanised label): preset order first, hidden ones dropped."""
    preset = preset or {}
    order = [c for c in preset if c in columns and not preset[c].hidden]
    order += [c for c in columns if c not in preset]
    return {c: preset.get(c) or Col(humanise(c)) for c in order}


def _number_text(value: float, col: Col) -> str:
    """A number as its column format would show it (for columns that also hold missing values)."""
    if col.fmt and col.fmt.startswith("%"):
        return col.fmt % value
    if col.kind == "usd":
        return f"${value:,.2f}"
    if col.kind == "pct":
        return f"{value:.0f}%"
    if col.kind == "float":
        return f"{value:,.1f}"
    return f"{value:,.0f}"


def _is_time(values: pd.Series) -> bool:
    """A datetime64 column, or an object column of dates/datetimes (a DATE column from the engine)."""
    if pd.api.types.is_datetime64_any_dtype(values):
        return True
    present = values.dropna()
    return values.dtype == object and len(present) > 0 and isinstance(present.iloc[0], date)


def _time_text(value, col: Col) -> str:
    if value is None or pd.isna(value):
        return ""
    stamp = pd.Timestamp(value)
    if col.kind == "date" or (col.kind != "datetime" and not isinstance(value, datetime) and
                              not isinstance(value, pd.Timestamp)):
        return stamp.strftime("%Y-%m-%d")
    return stamp.strftime("%Y-%m-%d %H:%M")


def prepare(frame: pd.DataFrame, preset: Mapping[str, Col] | None) -> tuple[pd.DataFrame, dict, list[str]]:
    """The frame as shown, its column_config and order: missing values show blank, not 'None'.

    Streamlit draws a missing number as 'None'; a numeric column with gaps (a retention matrix)
    is shown as its formatted text, right-aligned, with blanks for the gaps."""
    cols = _resolve(list(frame.columns), preset)
    config = {c: _config(col) for c, col in cols.items()}
    shown = frame.copy()
    for name, col in cols.items():
        values = shown[name]
        if pd.api.types.is_numeric_dtype(values) and not pd.api.types.is_bool_dtype(values) and values.isna().any():
            shown[name] = [("" if pd.isna(v) else _number_text(float(v), col)) for v in values]
            config[name] = st.column_config.TextColumn(col.label, help=col.help, alignment="right")
        elif _is_time(values) and values.isna().any():  # NaT shows 'None', and Arrow refuses dates mixed with ''
            shown[name] = [_time_text(v, col) for v in values]
            config[name] = st.column_config.TextColumn(col.label, help=col.help)
        elif values.dtype == object or pd.api.types.is_string_dtype(values):
            shown[name] = values.astype(object).where(values.notna(), "")
    return shown, config, list(cols)
