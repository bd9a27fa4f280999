"""Table column presets as plain data: a label, a kind and a format per column.

Areas keep their presets next to their queries (e.g. `telemetry.apps.columns`); the UI layer turns
them into Streamlit column configurations. Kinds: text, int, float, usd, pct (0–100), datetime,
date, link (`fmt` is then the link's display text).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Col:
    label: str
    kind: str = "text"
    fmt: str | None = None
    help: str | None = None
    hidden: bool = False  # fetched for a link or a sort, not shown


def text(label: str, help: str | None = None) -> Col:
    return Col(label, "text", help=help)


def count(label: str, help: str | None = None) -> Col:
    return Col(label, "int", help=help)


def number(label: str, fmt: str = "%.1f", help: str | None = None) -> Col:
    return Col(label, "float", fmt, help)


def usd(label: str, help: str | None = None) -> Col:
    return Col(label, "usd", help=help)


def pct(label: str, help: str | None = None) -> Col:
    return Col(label, "pct", help=help)


def when(label: str, help: str | None = None) -> Col:
    return Col(label, "datetime", help=help)


def day(label: str, help: str | None = None) -> Col:
    return Col(label, "date", help=help)


def link(label: str, display: str = "Open") -> Col:
    return Col(label, "link", display)


def humanise(name: str) -> str:
    """`rows_last_day` → 'Rows last day' (the fallback label of a column without a preset)."""
    words = name.replace("_", " ").strip()
    return words[:1].upper() + words[1:]
