"""URL state of a list paged in SQL: the requested page read before the query, the pager after it,
and id pickers whose URL value is the id.

The page number lives in the URL (`?page=`, set through st.query_params, not a bound widget), so
a link reproduces the page. The query gets the requested page (a nonsense value becomes 1, a huge
one is clamped by the SQL to the last page); once the result says which page it is and how many
there are, the control shows that page, so a URL asking for page 9,999 of 25 shows (and links to)
page 25. A change of the filters (the `signature`) starts again at page 1.

    page = pagination.requested("page", f.signature, prompts.page_number)
    data = ui.start(...)
    pagination.pager("page", prompts.window(data.frame("prompts_page")))
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Mapping
from typing import Any, Protocol

import streamlit as st

_SIGNATURE = "_pagination_signature_{key}"


class PageWindow(Protocol):
    page: int
    pages: int
    total: int

    @property
    def text(self) -> str: ...


def requested(key: str, signature: Hashable, parse: Callable[[Any], int]) -> int:
    """The page this run should query: the URL's `?key=`, parsed by `parse`; 1 (and the URL
    cleared) when the filters' `signature` changed since this session's last run."""
    before = st.session_state.get(_SIGNATURE.format(key=key))
    st.session_state[_SIGNATURE.format(key=key)] = signature
    if before is not None and before != signature:
        if key in st.query_params:
            del st.query_params[key]
        return 1
    return parse(st.query_params.get(key, 1))


def _chosen(key: str, widget: str) -> None:
    """The user picked a page: it becomes the URL's (which the next run queries)."""
    page = int(st.session_state[widget])
    if page > 1:
        st.query_params[key] = str(page)
    elif key in st.query_params:
        del st.query_params[key]


def pager(key: str, window: PageWindow) -> None:
    """'Showing 51–100 of 1,234 · page 2 of 25' and Streamlit's page buttons.

    The URL is the one place the page lives: it is set to the page the query returned (so a
    clamped nonsense value is corrected), and the buttons are a fresh widget per page shown (their
    key names the page), so no widget state is ever written behind Streamlit's back."""
    if not window.total:
        if key in st.query_params:
            del st.query_params[key]
        return
    if window.page > 1:
        st.query_params[key] = str(window.page)
    elif key in st.query_params:
        del st.query_params[key]
    widget = f"_{key}_pager_{window.page}_of_{window.pages}"
    with st.container(horizontal=True, vertical_alignment="center"):
        st.caption(window.text)
        st.space("stretch")
        st.pagination(max(window.pages, 1), default=window.page, key=widget, on_change=_chosen, args=(key, widget),
                      max_visible_pages=9)


def _picked(key: str, widget: str) -> None:
    value = st.session_state[widget]
    if value:
        st.query_params[key] = value
    elif key in st.query_params:
        del st.query_params[key]


def id_choice(label: str, options: Mapping[str, str], key: str, everything: str) -> str:
    """A picker of ids shown by their labels, whose URL value is the id (`?space=<space_id>`).

    Streamlit's URL binding stores a selectbox's shown text, and it drops a link's value when the
    first run of a page is superseded (the id of a link from another page was lost); here the URL
    holds the id itself, read on every run, and the widget is a fresh one per URL value. An unknown
    id is removed from the URL and picks `everything` ('')."""
    wanted = st.query_params.get(key, "")
    if wanted not in options:
        if key in st.query_params:
            del st.query_params[key]
        wanted = ""
    ids = ["", *options]
    widget = f"_{key}_choice_{wanted}"
    st.selectbox(label, ids, index=ids.index(wanted), key=widget, on_change=_picked, args=(key, widget),
                 format_func=lambda v: options.get(v, v) if v else everything)
    return wanted
