"""The console tracking its own use with the tracker library: page views, filter changes and CSV
downloads, into the same tracker table it analyses (so its use shows on its own pages).

The process-wide tracker is telemetry.admin.tracking's (it also exists for the admin audit when
self-tracking is off, so everything here first asks `self_tracking_on()`). A tracker failure is
logged and never reaches a page.
Filter changes record which URL parameters changed, not their values.
"""

from __future__ import annotations

import logging

import streamlit as st

from telemetry import tracker
from telemetry.admin.tracking import console_tracker as _tracker  # noqa: F401 - tests clear its cache here
from telemetry.admin.tracking import self_tracking_on
from telemetry.tracker import Actions
from telemetry.ui import session

log = logging.getLogger(__name__)
_LAST = "_self_tracking_last"  # session state: (page, URL parameters) of the previous run


def record_run(page: str, user: str) -> None:
    """After a page ran: a page view when the page changed, else a filter change when its URL did."""
    try:
        if self_tracking_on():
            _record(page, user)
    except Exception as err:  # noqa: BLE001 - tracking must never break a page
        log.warning("self-tracking: %s: %s", type(err).__name__, err)


def _record(page: str, user: str) -> None:
    params = {k: st.query_params.get_all(k) for k in st.query_params}
    last_page, last_params = st.session_state.get(_LAST, ("", {}))
    st.session_state[_LAST] = (page, params)
    if page != last_page:
        tracker.track(Actions.PAGE_VIEW, user, page=page, view=params.get("view", [""])[0])
    elif params != last_params:
        changed = sorted(k for k in set(params) | set(last_params) if params.get(k) != last_params.get(k))
        tracker.track(Actions.FILTER_CHANGED, user, page=page, changed=changed)


def downloaded(file_name: str, user: str | None = None) -> None:
    """A CSV download. A button's callback runs in the session's next script run, so the user is read
    then (not on every render of every table); a file built outside a script run passes it in."""
    if self_tracking_on():
        tracker.track(Actions.RESULTS_DOWNLOADED, user if user is not None else session.current_user().email,
                      file=file_name)
