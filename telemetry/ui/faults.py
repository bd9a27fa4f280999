"""Errors in words, in their place: one banner for an engine fault, a short note per panel.

When the warehouse is unreachable every query fails the same way; fifteen copies of one message
hide what to do. The frame reserves a banner slot at the top of each run; the first engine-level
fault fills it, and every panel after that shows a one-line note pointing to it.
"""

from __future__ import annotations

import threading

import streamlit as st

from telemetry.engine.base import ENGINE_FAULT_KINDS, QueryError

HINTS = {
    "missing_table": "A source table is missing. Admin → Data health lists what is there.",
    "connection": "Check DATABRICKS_HOST, the warehouse id and the app's permissions on the warehouse.",
    "timeout": "Narrow the date range, or raise TELEMETRY_QUERY_TIMEOUT_SECONDS.",
    "config": "Fix the setting named above (app.yaml on Databricks Apps) and restart the console.",
}

_run = threading.local()  # one script run per thread: the banner slot of the run on this thread


def begin_run() -> None:
    """Reserve the banner slot at the current position (the frame calls this before the page)."""
    _run.banner = st.empty()
    _run.shown = False


def end_run() -> None:
    _run.banner = None


def message(err: QueryError) -> str:
    hint = HINTS.get(err.kind, "")
    return f"**{err.query}** could not run: {err.cause}" + (f"\n\n{hint}" if hint else "")


def show(err: QueryError) -> None:
    """Show `err` where the failed panel is, or once in the banner when the engine itself failed."""
    banner = getattr(_run, "banner", None)
    if err.kind in ENGINE_FAULT_KINDS and banner is not None:
        if not _run.shown:
            title = ("The console cannot reach its data" if err.kind == "connection"
                     else "The console's configuration stops it from querying")
            banner.error(f"**{title}.** {err.cause}\n\n{HINTS[err.kind]}", icon=":material/cloud_off:")
            _run.shown = True
        st.caption(":material/cloud_off: Not loaded: see the message at the top of the page.")
        return
    st.error(message(err), icon=":material/error:")
