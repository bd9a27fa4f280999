"""The freshness line every page shows under its title: how old the data and the results are."""

from __future__ import annotations

import time
from collections.abc import Iterable
from datetime import UTC, datetime

import pandas as pd
import streamlit as st

from telemetry import runtime
from telemetry.engine.base import Result


def age_text(moment: datetime | float | None, now: float | None = None) -> str:
    """'3 min ago' style text for a timestamp (naive datetimes are UTC, as in the sources)."""
    if moment is None:
        return "never"
    if isinstance(moment, datetime):
        moment = (moment if moment.tzinfo else moment.replace(tzinfo=UTC)).timestamp()
    seconds = max(0.0, (now or time.time()) - float(moment))
    for unit, size in (("d", 86400), ("h", 3600), ("min", 60)):
        if seconds >= size:
            return f"{seconds / size:.0f} {unit} ago"
    return "just now"


def freshness(results: Iterable[Result] = (), data_as_of=None) -> None:
    """'Data as of … · queried … · engine: …' (results: what the page read, e.g. `data.done()`)."""
    fetched = [r.fetched_at for r in results]
    parts = []
    if data_as_of is not None and not pd.isna(data_as_of):
        moment = pd.Timestamp(data_as_of).to_pydatetime()
        parts.append(f"Data as of {moment:%Y-%m-%d %H:%M} UTC ({age_text(moment)})")
    if fetched:
        parts.append(f"queried {age_text(min(fetched))}")
    parts.append(f"engine: {runtime.settings().engine}")
    st.caption(" · ".join(parts))


_MARKDOWN_SPECIAL = set("\\`*_{}[]()#+-.!|<>~$:=@")  # @: no e-mail autolinks


def escape_markdown(value: object) -> str:
    """`value` as literal text inside Streamlit Markdown: user-written fields (an app description)
    must not turn into links, images or formatting."""
    return "".join(f"\\{ch}" if ch in _MARKDOWN_SPECIAL else ch for ch in str(value).replace("\n", " "))


def facts(headline: str, badge: tuple[str, str] | None = None, **labelled: str) -> None:
    """One line of plain facts: **headline** · [badge] · label: value · … (every part escaped)."""
    parts = [f"**{escape_markdown(headline)}**"]
    if badge:
        parts.append(f":{badge[1]}-badge[{escape_markdown(badge[0])}]")
    parts += [f"{label.replace('_', ' ')}: {escape_markdown(value)}" for label, value in labelled.items()]
    st.markdown(" · ".join(parts))
