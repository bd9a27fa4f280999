"""Readable numbers and durations for tiles and captions."""

from __future__ import annotations


def compact(n: float | int | None) -> str:
    """12 345 678 → '12.3 M'; keeps small numbers exact."""
    if n is None:
        return "–"
    value = float(n)
    for unit, size in (("B", 1e9), ("M", 1e6), ("k", 1e3)):
        if abs(value) >= size:
            return f"{value / size:.1f} {unit}".replace(".0 ", " ")
    return f"{value:,.0f}" if value == int(value) else f"{value:,.2f}"


def hours(h: float | None) -> str:
    """Age in hours as '45 min', '5 h', '3 d'."""
    if h is None:
        return "–"
    if h < 1:
        return f"{h * 60:.0f} min"
    if h < 48:
        return f"{h:.0f} h"
    return f"{h / 24:.0f} d"


def number(value, fmt: str = "int") -> str:
    """A KPI value as shown on a tile: '–' for missing, then int, float, pct, usd or minutes."""
    if value is None or (isinstance(value, float) and value != value):
        return "–"
    value = float(value)  # Decimal from a warehouse, numpy scalars from DuckDB: one rule for all
    if fmt == "pct":
        return f"{value:.0%}"
    if fmt == "usd":
        return f"${value:,.0f}"
    if fmt == "float":
        return f"{value:,.1f}"
    if fmt == "minutes":
        return f"{value:,.1f} min"
    if fmt == "age":
        return f"{hours(value)} ago"
    if fmt == "compact":
        return compact(value)
    return f"{value:,.0f}"
