"""Opening a page of the console under AppTest, as the page tests do."""

from __future__ import annotations

from pathlib import Path

from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parents[1]
APP = str(ROOT / "streamlit_app.py")


def open_page(path: str, **query) -> AppTest:
    """Open a page through the app's navigation, or, with `query`, as a fresh link to that page.

    AppTest drops URL parameters on a page switch (a browser opening a link starts on the page
    itself), so a link is simulated by running the page script with the query string set.
    """
    if query:
        at = AppTest.from_file(str(ROOT / path), default_timeout=90)
        for key, value in query.items():
            at.query_params[key] = value
        at.run()
    else:
        at = AppTest.from_file(APP, default_timeout=90)
        at.run()
        at.switch_page(path).run()
    assert not at.exception, at.exception
    return at
