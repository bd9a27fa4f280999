"""URL state of a list paged by keyset (the trace search): the cursor in the URL, Previous / Next.

The URL's `?after=` holds the cursor of the page shown (the sort key and id of the row before it),
so a link reproduces the page. The cursors of the pages before it are kept in the session, so
Previous walks back; a link opened fresh can still go forward, and back to the first page. A change
of the filters (the `signature`) starts again at the first page.
"""

from __future__ import annotations

from collections.abc import Hashable

import streamlit as st

from telemetry.traces.search import Cursor, KeysetPage

_STATE = "_keyset_{key}"


def requested(key: str, signature: Hashable) -> Cursor:
    """The cursor this run should query (the first page when the filters changed)."""
    state = st.session_state.setdefault(_STATE.format(key=key), {"signature": signature, "stack": []})
    if state["signature"] != signature:
        state.update(signature=signature, stack=[])
        if key in st.query_params:
            del st.query_params[key]
        return Cursor()
    return Cursor.parse(st.query_params.get(key, ""))


def _go(key: str, cursor: Cursor | None, back: bool) -> None:
    state = st.session_state[_STATE.format(key=key)]
    current = st.query_params.get(key, "")
    if back:
        target = state["stack"].pop() if state["stack"] else ""
    else:
        state["stack"].append(current)
        target = cursor.token if cursor else ""
    if target:
        st.query_params[key] = target
    elif key in st.query_params:
        del st.query_params[key]


def pager(key: str, page: KeysetPage) -> None:
    """'Traces 51–100 of 1,234' with Previous / Next (Next only when a next page exists)."""
    at_start = not st.query_params.get(key, "")
    first = _first_row(key, page.size)
    with st.container(horizontal=True, vertical_alignment="center"):
        st.caption(f"Traces {first:,}–{first + page.shown - 1:,} of {page.total:,}" if page.shown
                   else f"0 of {page.total:,}")
        st.button("Previous", key=f"{key}_prev", disabled=at_start, icon=":material/chevron_left:",
                  on_click=_go, args=(key, None, True))
        st.button("Next", key=f"{key}_next", disabled=page.next_cursor is None, icon=":material/chevron_right:",
                  on_click=_go, args=(key, page.next_cursor, False))


def _first_row(key: str, page_size: int) -> int:
    """The 1-based number of the page's first row (from how many pages this session walked)."""
    state = st.session_state.get(_STATE.format(key=key), {"stack": []})
    return len(state["stack"]) * page_size + 1 if st.query_params.get(key, "") else 1

