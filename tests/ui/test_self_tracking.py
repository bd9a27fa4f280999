"""The console tracks its own use: page views reach its tracker table (through the inbox its own drain
applies), under the app name it appears as, with the signed-in user. (AppTest does not carry widgets
bound to the URL into st.query_params, so filter changes are proven in a browser:
tests/e2e/test_self_tracking_live.py.)"""

from pathlib import Path

import duckdb
from streamlit.testing.v1 import AppTest

from telemetry import runtime, tracker
from telemetry.engine import inbox
from telemetry.ui import self_tracking

APP = str(Path(__file__).resolve().parents[2] / "streamlit_app.py")


def test_page_views_and_filter_changes_are_tracked(writable_demo, monkeypatch, tmp_path):
    monkeypatch.setenv("TELEMETRY_SELF_TRACKING", "on")
    monkeypatch.setenv("TELEMETRY_SELF_TRACKING_APP", "console-under-test")
    monkeypatch.setenv("TELEMETRY_TRACKER_SPOOL", str(tmp_path / "spool"))
    self_tracking._tracker.cache_clear()
    try:
        at = AppTest.from_file(APP, default_timeout=60)
        at.run()
        at.switch_page("pages/apps/usage.py")
        at.run()
        at.run()  # a rerun of the same page with the same URL is neither a view nor a change
        at.switch_page("pages/tracker/events.py")
        at.run()
        recorder = self_tracking._tracker()
        assert recorder is not None
        recorder.close()
        assert recorder.stats().written == 3 and recorder.stats().dropped == 0
    finally:
        self_tracking._tracker.cache_clear()
        tracker._current = None
    runtime.use(None)  # let go of the file, as a console owning it would drain its inbox
    report, holder = inbox.drain_file(writable_demo)
    assert holder == ""
    con = duckdb.connect(str(writable_demo), read_only=True)
    rows = con.execute("SELECT action, \"user\" FROM demo.main__ops_console.app_events "
                       "WHERE app_name = 'console-under-test' ORDER BY \"timestamp\"").fetchall()
    con.close()
    assert [a for a, _ in rows] == ["page_view"] * 3
    assert {u for _, u in rows} == {runtime.settings().local_user}
