"""The app sign-ins rollup refresh on the embedded engine, over a copy of the session's demo data.

What readers of the rollup rely on: a refresh writes exactly what rollups/app_logins_hourly computes
for its window and nothing else, can be rerun, never leaves the window empty or half written (see
also tests/engine/test_embedded.py for a reader during the write) and takes "today" in UTC.
"""

from __future__ import annotations

import shutil
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pandas as pd
import pytest

from telemetry import queries
from telemetry.apps import rollups
from telemetry.config import load_settings
from telemetry.engine.base import QueryError
from telemetry.engine.embedded import EmbeddedEngine
from telemetry.mirror.build import META_TABLE

TABLE = "main.ops_console.app_logins_hourly"
DAYS = 3


@pytest.fixture()
def engine(demo_db: Path, tmp_path: Path):
    """A writer over a private copy of the demo (the session's file stays as built)."""
    path = tmp_path / "demo.duckdb"
    shutil.copy(demo_db, path)
    engine = EmbeddedEngine(path, read_only=False, row_cap=1_000_000, timeout_s=120)
    yield engine
    engine.close()


@pytest.fixture()
def end(engine) -> date:
    """The demo's last day, the end of the window the tests refresh."""
    return engine.run(f"SELECT CAST(window_end AS DATE) AS d FROM {META_TABLE}").frame["d"].iloc[0]


def _rollup(engine, where: str = "TRUE") -> pd.DataFrame:
    """The rollup's rows in a stable order (columns as stored)."""
    frame = engine.run(f"SELECT * FROM {TABLE} WHERE {where}").frame
    return frame.sort_values(list(frame.columns), ignore_index=True, na_position="first")


def _in_window(end: date) -> str:
    return f"event_date BETWEEN DATE'{end - timedelta(days=DAYS - 1)}' AND DATE'{end}'"


def _computed(engine, settings, end: date) -> pd.DataFrame:
    """What the named read query computes for the window (what the refresh must store)."""
    frame = queries.run(rollups.QUERY, engine=engine, settings=settings, from_date=end - timedelta(days=DAYS - 1),
                        end_date=end, login_actions=",".join(settings.apps.login_actions),
                        excluded_client_ids=",".join(settings.apps.excluded_client_ids)).frame
    return frame.sort_values(list(frame.columns), ignore_index=True, na_position="first")


def test_refresh_rewrites_the_window_and_nothing_else(engine, end):
    settings = load_settings({})
    outside = _rollup(engine, f"NOT ({_in_window(end)})")
    engine.run(f"UPDATE {TABLE} SET logins = -1 WHERE {_in_window(end)}")  # stale numbers to replace
    report = rollups.refresh(engine, settings, days=DAYS, end_date=end)
    assert (report.from_date, report.end_date) == (end - timedelta(days=DAYS - 1), end)
    window = _rollup(engine, _in_window(end))
    assert report.rows == len(window) > 0
    assert (window["logins"] > 0).all()
    pd.testing.assert_frame_equal(window, _computed(engine, settings, end))
    pd.testing.assert_frame_equal(_rollup(engine, f"NOT ({_in_window(end)})"), outside)


def test_refresh_is_idempotent(engine, end):
    settings = load_settings({})
    first = rollups.refresh(engine, settings, days=DAYS, end_date=end)
    before = _rollup(engine)
    second = rollups.refresh(engine, settings, days=DAYS, end_date=end)
    assert second == first
    pd.testing.assert_frame_equal(_rollup(engine), before)


def test_a_failed_refresh_leaves_the_old_rows(engine, end):
    """The INSERT's source is gone (the apps inventory): the refresh fails and the window keeps its rows."""
    before = _rollup(engine)
    assert not _rollup(engine, _in_window(end)).empty
    engine.run("ALTER TABLE main.ops_console.apps_inventory RENAME TO apps_inventory_moved")
    with pytest.raises(QueryError) as err:
        rollups.refresh(engine, load_settings({}), days=DAYS, end_date=end)
    assert err.value.query == rollups.REPLACE and err.value.kind == "missing_table"
    pd.testing.assert_frame_equal(_rollup(engine), before)


def test_refresh_creates_a_configured_table_that_does_not_exist_yet(engine, end):
    settings = load_settings({"TELEMETRY_APP_LOGINS_ROLLUP_TABLE": "main.ops_console.app_logins_hourly_v2"})
    report = rollups.refresh(engine, settings, days=DAYS, end_date=end)
    assert report.table == "main.ops_console.app_logins_hourly_v2"
    stored = engine.run("SELECT min(event_date) AS a, max(event_date) AS b, count(*) AS n "
                        "FROM main.ops_console.app_logins_hourly_v2").frame.iloc[0]
    assert (stored["a"], stored["b"], stored["n"]) == (end - timedelta(days=DAYS - 1), end, report.rows)
    assert engine.table_columns("main.ops_console.app_logins_hourly_v2") == engine.table_columns(TABLE)


@pytest.fixture()
def zone_where_the_local_date_is_not_utcs(monkeypatch):
    """Set the process time zone to one whose date differs from UTC's right now (UTC-12 before noon
    UTC, UTC+14 after): a local-time "today" is then visibly wrong."""
    zone = "Etc/GMT+12" if datetime.now(UTC).hour < 12 else "Etc/GMT-14"
    monkeypatch.setenv("TZ", zone)
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


def test_today_is_the_utc_date_not_the_local_one(zone_where_the_local_date_is_not_utcs, engine):
    utc_day = datetime.now(UTC).date()
    assert date.today() != utc_day  # the fixture did make the local date differ
    report = rollups.refresh(engine, load_settings({}), days=2)
    assert report.end_date == rollups.utc_today() == utc_day
    assert report.from_date == utc_day - timedelta(days=1)


def test_a_window_of_no_days_is_refused(engine):
    with pytest.raises(ValueError, match="at least one day"):
        rollups.refresh(engine, load_settings({}), days=0)


def _logins_by_app(engine, end: date) -> pd.Series:
    frame = engine.run(f"SELECT app_name, sum(logins) AS logins FROM {TABLE} WHERE {_in_window(end)} "
                       "GROUP BY app_name").frame
    return frame.set_index("app_name")["logins"].sort_index()


def test_a_first_deploy_keeps_sign_ins_before_the_inventory_exists(engine, end):
    """No inventory yet (apps-inventory has not run): every sign-in is kept, under its client id."""
    settings = load_settings({})
    rollups.refresh(engine, settings, days=DAYS, end_date=end)
    named = _logins_by_app(engine, end)
    clients = engine.run("SELECT name, oauth2_app_client_id AS client FROM main.ops_console.apps_inventory").frame
    engine.run("DELETE FROM main.ops_console.apps_inventory")
    report = rollups.refresh(engine, settings, days=DAYS, end_date=end)
    unknown = _logins_by_app(engine, end)
    assert unknown.sum() == named.sum() == report.logins == report.unknown_logins > 0
    expected = {f"unknown app (client {c})": n for c, n in
                zip(clients.set_index("name").loc[named.index, "client"], named, strict=True)}
    assert unknown.to_dict() == expected


def test_a_client_missing_from_the_inventory_is_an_unknown_app_and_the_others_keep_their_names(engine, end):
    settings = load_settings({})
    rollups.refresh(engine, settings, days=DAYS, end_date=end)
    named = _logins_by_app(engine, end)
    when = datetime.combine(end, datetime.min.time()) + timedelta(hours=1)
    for minute, user in enumerate(["ann@example.com", "bob@example.com", "ann@example.com"]):
        engine.run(
            "INSERT INTO system.access.audit (event_id, event_time, event_date, workspace_id, service_name, "
            "action_name, request_params, response, user_identity) VALUES (:id, :t, CAST(:t AS DATE), '1', "
            "'accounts', 'mintOAuthToken', map('client_id', 'brand-new-client'), named_struct('status_code', 200, "
            "'error_message', CAST(NULL AS STRING), 'result', CAST(NULL AS STRING)), named_struct('email', :user, "
            "'subject_name', CAST(NULL AS STRING)))", {"id": f"new-{minute}", "t": when + timedelta(minutes=minute),
                                                       "user": user})
    report = rollups.refresh(engine, settings, days=DAYS, end_date=end)
    after = _logins_by_app(engine, end)
    assert after.pop("unknown app (client brand-new-client)") == 3 and report.unknown_logins == 3
    pd.testing.assert_series_equal(after, named)
