"""The freshness line every page shows under its title: how old the data and the results are."""

from __future__ import annotations

import html
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
    """'Data as of … · queried … · engine: …' (results: the ones the page's header read)."""
    fetched = [r.fetched_at for r in results]
    parts = []
    if data_as_of is not None and not pd.isna(data_as_of):
        moment = pd.Timestamp(data_as_of).to_pydatetime()
        parts.append(f"Data as of {moment:%Y-%m-%d %H:%M} UTC ({age_text(moment)})")
    if fetched:
        parts.append(f"queried {age_text(min(fetched))}")
    parts.append(f"engine: {runtime.settings().engine}")
    st.caption(" · ".join(parts))


BADGE_COLOURS = {"green": ("#E6F4EA", "#0B6E2E"), "gray": ("#F1F3F4", "#3C4043"), "orange": ("#FEF3E0", "#8A4B00"),
                 "red": ("#FCE8E6", "#A50E0E")}


def facts_html(headline: str, badge: tuple[str, str] | None = None, **labelled: str) -> str:
    """One line of facts as HTML in which every user-written part is escaped text: no Markdown, so
    neither a crafted description nor an owner's e-mail can become a link or an image."""
    parts = [f"<b>{html.escape(str(headline))}</b>"]
    if badge:
        background, colour = BADGE_COLOURS.get(badge[1], BADGE_COLOURS["gray"])
        parts.append(f'<span style="background:{background};color:{colour};border-radius:4px;padding:0 6px;'
                     f'font-size:0.85em">{html.escape(str(badge[0]))}</span>')
    parts += [f"{html.escape(label.replace('_', ' '))}: {html.escape(str(value))}" for label, value in labelled.items()]
    return '<p style="margin:0 0 0.5rem 0">' + " · ".join(parts) + "</p>"


def facts(headline: str, badge: tuple[str, str] | None = None, **labelled: str) -> None:
    """Show `facts_html` (user-written fields such as an app's description and owners)."""
    st.html(facts_html(headline, badge, **labelled))


def links(targets: dict[str, str]) -> None:
    """Links to other pages ({label: relative URL}) on one line, opened in this tab like a table's link
    (a page the viewer may not open is refused by that page, not hidden here)."""
    st.html('<p style="margin:0">' + " · ".join(
        f'<a href="{html.escape(url, quote=True)}" target="_self">{html.escape(label)}</a>'
        for label, url in targets.items()) + "</p>")
