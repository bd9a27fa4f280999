"""A page's views (sections shown one at a time), bound to `?view=` so a link reproduces them.

The registry lists each page's views; the picker shows them and returns the chosen one. Only the
chosen view's queries run, and the AppTest sweep and the benchmark walk every page × view.
"""

from __future__ import annotations

import streamlit as st

from telemetry import registry

VIEW_KEY = "view"


def pick(page_path: str) -> str:
    """The view of `page_path` chosen in the URL (or the first), with the picker rendered here."""
    views = registry.page(page_path).views
    chosen = st.segmented_control("Section", views, default=views[0], key=VIEW_KEY, bind="query-params",
                                  required=True, label_visibility="collapsed")
    return chosen or views[0]
