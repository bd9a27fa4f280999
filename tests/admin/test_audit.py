"""The admin audit: actions (done and refused) reach the tracker table through the tracker library, also
with self-tracking off (which still records no page views); the Audit trail view shows them, with who,
when and what on the classic layout and the properties on the extended one."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import duckdb
import pytest
from streamlit.testing.v1 import AppTest

from telemetry import identity, queries, runtime
from telemetry.admin import audit, tracking
from telemetry.admin import jobs as model
from telemetry.engine import inbox

APP = str(Path(__file__).resolve().parents[2] / "streamlit_app.py")
ADMIN, VIEWER = "local.developer@example.com", "viewer@corp.com"
TABLE = "demo.main__ops_console.app_events"
APP_NAME = "console-under-test"


@pytest.fixture()
def console(writable_demo, monkeypatch, tmp_path):
    """A console on a writable demo copy with the audit on and self-tracking off (the default in tests)."""
    monkeypatch.setenv("TELEMETRY_ADMINS", ADMIN)
    monkeypatch.setenv("TELEMETRY_TRUST_PROXY_HEADERS", "true")
    monkeypatch.setenv("TELEMETRY_TRACKER_SPOOL", str(tmp_path / "spool"))
    monkeypatch.setenv("TELEMETRY_SELF_TRACKING_APP", APP_NAME)  # apart from the demo's own admin trail
    runtime.use(None)
    return writable_demo


def _users() -> tuple[identity.User, identity.User]:
    settings = runtime.settings()
    return (identity.user_from_headers({}, settings),
            identity.user_from_headers({"X-Forwarded-Email": VIEWER}, settings))


def _deliver(db: Path) -> None:
    """Flush the tracker and apply the inbox, as the console owning the file does every second."""
    recorder = tracking.console_tracker()
    assert recorder is not None
    recorder.close()
    runtime.use(None)
    report, holder = inbox.drain_file(db)
    assert holder == ""


EXTENDED = (("event_id", "VARCHAR"), ("session_id", "VARCHAR"), ("properties", "VARCHAR"), ("duration_ms", "DOUBLE"))


def _layout(db: Path, extended: bool) -> None:
    """Give the demo copy's tracker table the classic four columns, or the extended eight."""
    with duckdb.connect(str(db)) as con:
        have = {r[0] for r in con.execute(f"DESCRIBE {TABLE}").fetchall()}
        for column, kind in EXTENDED:
            if extended and column not in have:
                con.execute(f"ALTER TABLE {TABLE} ADD COLUMN {column} {kind}")
            elif not extended and column in have:
                con.execute(f"ALTER TABLE {TABLE} DROP COLUMN {column}")


def _record_some(admin: identity.User, viewer: identity.User) -> None:
    model.clear_cache(admin, "audit")
    with pytest.raises(identity.NotAllowed):
        model.clear_cache(viewer)
    with pytest.raises(model.ActionError):
        model.trigger(admin, "no-such-job", {}, "n")


def test_classic_layout_records_who_when_what_and_the_page_says_properties_need_more(console):
    _layout(console, extended=False)
    admin, viewer = _users()
    _record_some(admin, viewer)
    _deliver(console)
    with duckdb.connect(str(console), read_only=True) as con:
        rows = con.execute(f"SELECT action, \"user\", app_name FROM {TABLE} WHERE action LIKE 'admin:%' "
                           f"AND app_name = '{APP_NAME}' ORDER BY \"timestamp\"").fetchall()
        views = con.execute(f"SELECT count(*) FROM {TABLE} WHERE action = 'page_view'").fetchone()[0]
    assert rows == [(audit.CACHE_CLEARED, ADMIN, APP_NAME), (audit.CACHE_CLEARED, VIEWER, APP_NAME),
                    (audit.JOB_TRIGGERED, ADMIN, APP_NAME)]
    at = AppTest.from_file(APP, default_timeout=60)
    at.run()
    at.switch_page("pages/admin/jobs.py")
    at.session_state["view"] = "Audit trail"
    at.run()
    assert not at.exception and not at.error
    trail = next(d.value for d in at.dataframe if "action" in d.value.columns)
    assert sorted(trail["user_email"]) == sorted([ADMIN, VIEWER, ADMIN])  # newest first; one second apart at most
    assert set(trail.columns) == {"at", "user_email", "action"}
    assert any("extended layout" in c.value for c in at.caption)
    assert {m.label: m.value for m in at.metric}["Admin actions"] == "3"
    with duckdb.connect(str(console), read_only=True) as con:  # self-tracking off: no page views recorded
        assert con.execute(f"SELECT count(*) FROM {TABLE} WHERE action = 'page_view'").fetchone()[0] == views


def test_extended_layout_shows_outcome_parameters_and_job(console):
    _layout(console, extended=True)
    admin, viewer = _users()
    _record_some(admin, viewer)
    _deliver(console)
    found = audit.layout_of(runtime.engine().table_columns(runtime.settings().table("tracker")))
    assert audit.extended(found)
    request = audit.trail_request(found, runtime.settings(), date.today())
    frame = audit.trail(queries.run(request.name, **request.params).frame)
    got = sorted(zip(frame["action"], frame["user_email"], frame["outcome"], frame["job"], strict=True))
    assert got == [(audit.CACHE_CLEARED, ADMIN, "done", "audit"),
                   (audit.CACHE_CLEARED, VIEWER, "refused", "all sources"),
                   (audit.JOB_TRIGGERED, ADMIN, "invalid", "no-such-job")]
    assert "no job called" in frame.loc[frame["outcome"] == "invalid", "message"].iloc[0]
    assert [k.value for k in audit.kpis(frame) if k.label == "Refused or failed"] == [2]


def test_nothing_is_recorded_when_the_audit_is_off(console, monkeypatch):
    monkeypatch.setenv("TELEMETRY_ADMIN_AUDIT", "off")
    runtime.use(None)
    admin, _ = _users()
    model.clear_cache(admin)
    assert tracking.console_tracker() is None and not tracking.audit_on()
