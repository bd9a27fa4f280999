"""Job apps-inventory through the real databricks-sdk against the fake Apps API (tests/fakes/apps_routes.py):
every page read, every field stored, vanished apps marked deleted and kept, and the API's failures
(403, 429 with Retry-After, 500 part-way, timeouts, malformed and partial payloads) either survived or
turned into one clear JobError that writes nothing. Also: the demo's inventory and the App usage
pages' empty state when the inventory is empty.
"""

from __future__ import annotations

import json
import time
from datetime import datetime, timedelta
from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from telemetry.apps import inventory
from telemetry.config import load_settings
from telemetry.engine.embedded import EmbeddedEngine
from telemetry.jobs import runner
from telemetry.jobs.registry import JobContext, JobError, JobReport
from tests.fakes.apps_routes import LIST, ME, FakeApps, app_json
from tests.fakes.server import FakeDatabricks, Reply, error

TABLE = "main.ops_console.apps_inventory"
T0 = datetime(2026, 11, 30, 9, 0)


@pytest.fixture()
def fake():
    with FakeDatabricks() as server:
        yield server


@pytest.fixture()
def engine(tmp_path: Path):
    engine = EmbeddedEngine(tmp_path / "inventory.duckdb", read_only=False)
    yield engine
    engine.close()


def run(engine, fake: FakeDatabricks, now: datetime = T0, **params) -> JobReport:
    client = fake.client(retry_timeout_s=4, http_timeout_s=1)
    context = JobContext(engine=engine, settings=load_settings({}), workspace=lambda: client,
                         log=lambda _: None, now=lambda: now)
    return inventory.JOB.execute(context, params)


def stored(engine) -> pd.DataFrame:
    return engine.run(f"SELECT * FROM {TABLE} ORDER BY name").frame.set_index("name")


def test_every_page_is_read_and_every_field_stored(engine, fake):
    FakeApps([app_json(f"app-{i}", i) for i in range(7)]).install(fake)
    report = run(engine, fake, page_size=3)
    assert fake.count(f"^{LIST}$") == 3  # 3 + 3 + 1
    assert (report.read, report.written, report.failed, report.skipped) == (7, 7, 0, 0)
    rows = stored(engine)
    assert list(rows.index) == [f"app-{i}" for i in range(7)]
    app = rows.loc["app-2"]
    assert app["workspace_id"] == "1234567890123456" and app["app_id"] == "00000002-1111-2222-3333-444455556666"
    assert (app["oauth2_app_client_id"], app["service_principal_id"], app["service_principal_client_id"]) == (
        "client-app-2", 7002, "sp-app-2")
    assert (app["compute_size"], app["compute_state"], app["app_state"]) == ("MEDIUM", "ACTIVE", "RUNNING")
    assert app["creator"] == "owner2@example.com" and list(app["owners"]) == ["owner2@example.com"]
    assert app["create_time"] == pd.Timestamp("2026-10-01 09:00:00")
    assert app["update_time"] == pd.Timestamp("2026-11-20 14:30:15.123")
    assert json.loads(app["resources"]) == [{"name": "sql-warehouse",
                                              "sql_warehouse": {"id": "abc123", "permission": "CAN_USE"}}]
    assert app["last_deployment_id"] == f"01f0{2:028x}" and app["last_deployment_status"] == "SUCCEEDED"
    assert app["last_deployment_time"] == pd.Timestamp("2026-11-20 14:28:41")
    assert app["snapshot_time"] == pd.Timestamp(T0) and pd.isna(app["deleted_time"])


def test_an_app_that_disappeared_is_marked_deleted_and_kept(engine, fake):
    apps = FakeApps([app_json(name, i) for i, name in enumerate(["alpha", "beta", "gamma"])]).install(fake)
    run(engine, fake)
    apps.apps = [a for a in apps.apps if a["name"] != "beta"] + [app_json("delta", 9)]
    later = T0 + timedelta(hours=1)
    report = run(engine, fake, later)
    rows = stored(engine)
    assert list(rows.index) == ["alpha", "beta", "delta", "gamma"]  # beta kept, with its last snapshot
    assert rows.loc["beta", "deleted_time"] == pd.Timestamp(later)
    assert rows.loc["beta", "snapshot_time"] == pd.Timestamp(T0)
    assert rows.drop("beta")["deleted_time"].isna().all()
    assert "1 newly deleted" in report.notes
    assert "0 newly deleted" in run(engine, fake, later + timedelta(hours=1)).notes  # stays deleted, once
    apps.apps.append(app_json("beta", 1, app_status={"state": "DEPLOYING"}))  # recreated under its old name
    run(engine, fake, later + timedelta(hours=2))
    rows = stored(engine)
    assert len(rows) == 4 and pd.isna(rows.loc["beta", "deleted_time"])
    assert rows.loc["beta", "app_state"] == "DEPLOYING"


def test_apps_of_other_workspaces_are_left_alone(engine, fake):
    FakeApps([app_json("alpha", 1)], workspace_id="111").install(fake)
    run(engine, fake)
    fake.routes.clear()
    FakeApps([app_json("other", 2)], workspace_id="222").install(fake)
    run(engine, fake, T0 + timedelta(hours=1))
    rows = engine.run(f"SELECT workspace_id, name, deleted_time FROM {TABLE} ORDER BY name").frame
    assert rows["name"].tolist() == ["alpha", "other"] and rows["deleted_time"].isna().all()


def test_429_with_retry_after_is_waited_out(engine, fake):
    FakeApps([app_json(f"app-{i}", i) for i in range(4)]).install(fake)
    fake.fail(f"^{LIST}$", error(429, "slow down", **{"Retry-After": "1"}), times=1)
    started = time.perf_counter()
    report = run(engine, fake, page_size=2)
    assert time.perf_counter() - started >= 1.0  # the SDK waited as told
    assert report.written == 4 and fake.count(f"^{LIST}$") == 3


def test_a_timeout_is_retried(engine, fake):
    FakeApps([app_json("alpha", 1)]).install(fake)
    fake.fail(f"^{LIST}$", Reply(200, {"apps": []}, delay_s=2), times=1)  # past the 1 s HTTP timeout
    assert run(engine, fake).written == 1


def test_403_is_one_clear_error_that_changes_nothing(engine, fake):
    FakeApps([app_json("alpha", 1), app_json("beta", 2)]).install(fake)
    run(engine, fake)
    before = stored(engine)
    fake.fail(f"^{LIST}$", error(403, "User does not have permission to list apps"), times=-1)
    with pytest.raises(JobError, match="may not list apps .*User does not have permission"):
        run(engine, fake, T0 + timedelta(hours=1))
    pd.testing.assert_frame_equal(stored(engine), before)  # nothing marked deleted


def test_a_500_part_way_writes_nothing(engine, fake):
    apps = FakeApps([app_json(f"app-{i}", i) for i in range(5)]).install(fake)
    run(engine, fake)
    before = stored(engine)

    def first_page_then_broken(request):
        fake.fail(f"^{LIST}$", error(500, "backend hiccup"), times=-1)
        return apps.list(request)

    fake.routes.insert(0, ("GET", fake.routes[0][1], first_page_then_broken))
    with pytest.raises(JobError, match="listing apps failed after 2 apps: backend hiccup"):
        run(engine, fake, T0 + timedelta(hours=1), page_size=2)
    pd.testing.assert_frame_equal(stored(engine), before)


@pytest.mark.parametrize("reply", [Reply(200, raw=b"{not json"), Reply(200, {"apps": {"name": "x"}}),
                                   Reply(200, raw=b"[1, 2]")], ids=["not-json", "apps-not-a-list", "a-list"])
def test_a_malformed_page_is_refused(engine, fake, reply):
    FakeApps([app_json("alpha", 1)]).install(fake)
    fake.fail(f"^{LIST}$", reply, times=-1)
    with pytest.raises(JobError, match="nothing was written"):
        run(engine, fake)
    assert engine.table_columns(TABLE) is None or stored(engine).empty


def test_partial_items_keep_what_they_have_and_unknown_values_as_text(engine, fake):
    weird = app_json("weird", 3, compute_status={"state": "HIBERNATING"}, app_status="RUNNING",
                     service_principal_id="not-a-number", create_time="yesterday", compute_size="XXLARGE",
                     resources="oops", brand_new_field={"x": 1},
                     pending_deployment={"deployment_id": "d-next", "status": {"state": "QUEUED_FOR_LATER"}})
    FakeApps([{"name": "bare"}, {"id": "no-name"}, "not an object", weird]).install(fake)
    report = run(engine, fake)
    assert (report.read, report.written, report.skipped) == (4, 2, 2)
    assert "2 items without a name skipped" in report.notes
    rows = stored(engine)
    bare = rows.loc["bare"]
    assert bare[["app_id", "oauth2_app_client_id", "compute_state", "resources", "create_time"]].isna().all()
    assert list(bare["owners"]) == [] and bare["snapshot_time"] == pd.Timestamp(T0)
    odd = rows.loc["weird"]
    assert (odd["compute_state"], odd["compute_size"]) == ("HIBERNATING", "XXLARGE")  # unknown enums: as text
    assert odd[["app_state", "service_principal_id", "create_time", "resources"]].isna().all()
    assert (odd["last_deployment_id"], odd["last_deployment_status"]) == ("d-next", "QUEUED_FOR_LATER")
    assert pd.isna(odd["last_deployment_time"])


def test_the_workspace_id_is_required(engine, fake):
    FakeApps([app_json("alpha", 1)]).install(fake)
    fake.fail(f"^{ME}$", error(500, "scim down"), times=-1)
    with pytest.raises(JobError, match="cannot tell which workspace"):
        run(engine, fake)


def _demo_app(row: pd.Series) -> dict:
    return app_json(row["name"], 1, id=row["app_id"], oauth2_app_client_id=row["oauth2_app_client_id"])


def test_on_the_demo_one_workspace_is_refreshed_and_its_vanished_app_marked(writable_demo, fake):
    engine = EmbeddedEngine(writable_demo, read_only=False)
    before = engine.run(f"SELECT * FROM {TABLE} ORDER BY workspace_id, name").frame
    engine.close()
    live = before[before["deleted_time"].isna()]
    workspace = live["workspace_id"].iloc[0]
    mine = live[live["workspace_id"] == workspace]
    assert len(mine) >= 2
    FakeApps([_demo_app(r) for _, r in mine.iloc[1:].iterrows()], workspace_id=workspace).install(fake)
    settings = load_settings({"TELEMETRY_EMBEDDED_PATH": str(writable_demo)})
    report = runner.run("apps-inventory", {"page_size": "2"}, settings=settings,
                        workspace=lambda: fake.client(), log=lambda _: None)
    engine = EmbeddedEngine(writable_demo)  # the runner closed its writer: read what it left
    try:
        after = engine.run(f"SELECT * FROM {TABLE} ORDER BY workspace_id, name").frame
    finally:
        engine.close()
    assert report.written == len(mine) - 1 and len(after) == len(before)
    gone = after[after["name"] == mine["name"].iloc[0]].iloc[0]
    assert pd.notna(gone["deleted_time"]) and gone["app_id"] == mine["app_id"].iloc[0]
    others = before["workspace_id"] != workspace
    pd.testing.assert_frame_equal(after[others.to_numpy()].reset_index(drop=True),
                                  before[others].reset_index(drop=True))


@pytest.mark.parametrize("page", ["pages/apps/usage.py", "pages/apps/detail.py"])
def test_an_empty_inventory_is_an_empty_state_that_names_the_job(writable_demo, page):
    engine = EmbeddedEngine(writable_demo, read_only=False)
    engine.run(f"DELETE FROM {TABLE}")
    engine.close()
    at = AppTest.from_file(str(Path(__file__).resolve().parents[2] / page), default_timeout=60)
    at.run()
    assert not at.exception, at.exception
    assert any(inventory.RUN_COMMAND in info.value for info in at.info)
    assert not at.metric  # no zeros that look like nobody signed in


def test_a_first_deploy_shows_sign_ins_under_client_ids_and_says_why(writable_demo):
    """No inventory yet, but the rollup ran: App usage counts every sign-in (under its OAuth client id)
    and tells the user which job names the apps, instead of showing zeros."""
    from telemetry import runtime
    from telemetry.apps import rollups

    engine = EmbeddedEngine(writable_demo, read_only=False)
    engine.run(f"DELETE FROM {TABLE}")
    rollups.refresh(engine, runtime.settings(), days=30)
    engine.close()
    at = AppTest.from_file(str(Path(__file__).resolve().parents[2] / "pages/apps/usage.py"), default_timeout=60)
    at.run()
    assert not at.exception, at.exception
    assert any("inventory is empty" in c.value and inventory.RUN_COMMAND in c.value for c in at.caption)
    users = next(m for m in at.metric if m.label == "Unique users")
    assert int(users.value.replace(",", "")) > 0
