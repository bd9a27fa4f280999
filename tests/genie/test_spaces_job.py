"""Job genie-spaces with the real databricks-sdk against the fake workspace: paging, serialized_space
versions, 403 without CAN EDIT, spaces gone between list and get, deletions, errors, reruns."""

from __future__ import annotations

import random
from datetime import datetime, timedelta

import pytest

from telemetry.config import load_settings
from telemetry.engine.embedded import EmbeddedEngine
from telemetry.genie import spaces_job
from telemetry.genie.messages_job import records
from telemetry.jobs import tables
from telemetry.jobs.registry import JobContext, JobError, JobReport
from tests.fakes.genie_routes import FakeGenie, serialized_unknown, serialized_v1, serialized_v2
from tests.fakes.server import FakeDatabricks, Reply, error

SPACES = "main.ops_console.genie_space_details"
T0 = datetime(2026, 1, 5, 6, 0)


@pytest.fixture()
def db(tmp_path):
    engine = EmbeddedEngine(tmp_path / "spaces.duckdb", read_only=False)
    tables.ensure_tables(engine, load_settings({}), spaces_job.TABLE)
    yield engine
    engine.close()


@pytest.fixture()
def fake():
    with FakeDatabricks() as server:
        yield server


@pytest.fixture()
def genie(fake) -> FakeGenie:
    genie = FakeGenie(page_size=2).install(fake)
    genie.add_space("Sales")
    genie.add_space("Legacy", serialized_v1(random.Random(1)))
    genie.add_space("Future", serialized_unknown())
    genie.add_space("Broken", "{this is not json")
    genie.add_space("Marketing", serialized_v2(random.Random(2), ("main.mkt.campaigns",)))
    return genie


def run(engine, fake, at: datetime = T0) -> JobReport:
    client = fake.client(retry_timeout_s=5)
    context = JobContext(engine=engine, settings=load_settings({}), workspace=lambda: client,
                         log=lambda _: None, now=lambda: at)
    return spaces_job.JOB.execute(context, {})


def stored(engine) -> dict[str, dict]:
    return {r["title"]: r for r in records(engine.run(f"SELECT * FROM {SPACES}").frame)}


def test_every_page_is_listed_and_each_configuration_parsed(db, fake, genie):
    report = run(db, fake)
    assert (report.read, report.written, report.skipped, report.failed) == (5, 5, 0, 0)
    assert fake.count("/api/2.0/genie/spaces$") == 3  # 5 spaces, 2 per page
    rows = stored(db)
    assert set(rows) == {"Sales", "Legacy", "Future", "Broken", "Marketing"}
    assert rows["Sales"]["space_version"] == 2 and rows["Sales"]["example_sql_count"] == 2
    assert rows["Marketing"]["tables"] == ["main.mkt.campaigns", "main.sales.revenue_metrics"]
    assert rows["Legacy"]["space_version"] == 1 and rows["Legacy"]["benchmark_count"] == 0
    assert rows["Future"]["space_version"] == 7 and rows["Future"]["sample_question_count"] == 1
    assert rows["Broken"]["serialized_space"] == "{this is not json" and rows["Broken"]["space_version"] is None
    assert {r["workspace_id"] for r in rows.values()} == {genie.workspace_id}
    assert rows["Sales"]["creator"] == "owner0@example.com" and rows["Sales"]["fetched_at"] == T0


def test_a_rerun_updates_in_place(db, fake, genie):
    run(db, fake)
    sales = next(s for s in genie.spaces.values() if s["title"] == "Sales")
    sales["description"] = "Renamed description"
    run(db, fake, T0 + timedelta(days=1))
    rows = stored(db)
    assert len(rows) == 5 and rows["Sales"]["description"] == "Renamed description"
    assert rows["Sales"]["fetched_at"] == T0 + timedelta(days=1)


def test_without_can_edit_the_listed_fields_and_the_earlier_configuration_are_kept(db, fake, genie):
    run(db, fake)
    sales = next(s for s in genie.spaces.values() if s["title"] == "Sales")
    genie.no_edit.add(sales["space_id"])
    sales["warehouse_id"] = "new-warehouse"
    report = run(db, fake, T0 + timedelta(days=1))
    assert report.skipped == 1 and "1 without CAN EDIT: listed fields only" in report.notes
    row = stored(db)["Sales"]
    assert row["warehouse_id"] == "new-warehouse" and row["space_version"] == 2
    assert row["serialized_space"] == sales["serialized_space"] and row["instruction_count"] == 1


def test_a_space_first_seen_without_can_edit_has_no_configuration(db, fake, genie):
    genie.no_edit.update(genie.spaces)
    report = run(db, fake)
    assert (report.written, report.skipped) == (5, 5)
    assert {r["serialized_space"] for r in stored(db).values()} == {None}


def test_spaces_no_longer_listed_are_marked_deleted_and_come_back_when_listed_again(db, fake, genie):
    run(db, fake)
    legacy = next(k for k, s in genie.spaces.items() if s["title"] == "Legacy")
    gone = genie.spaces.pop(legacy)
    run(db, fake, T0 + timedelta(days=1))
    rows = stored(db)
    assert rows["Legacy"]["deleted_time"] == T0 + timedelta(days=1)
    assert [t for t, r in rows.items() if r["deleted_time"] is not None] == ["Legacy"]
    genie.spaces[legacy] = gone
    run(db, fake, T0 + timedelta(days=2))
    assert stored(db)["Legacy"]["deleted_time"] is None


def test_a_space_gone_between_list_and_get_is_not_written(db, fake, genie):
    future = next(k for k, s in genie.spaces.items() if s["title"] == "Future")
    fake.fail(f"/api/2.0/genie/spaces/{future}$", error(404, "deleted just now", "RESOURCE_DOES_NOT_EXIST"))
    report = run(db, fake)
    assert report.written == 4 and "1 gone between list and get" in report.notes
    assert "Future" not in stored(db)


def test_a_get_that_fails_keeps_the_listed_space_and_says_so(db, fake, genie):
    sales = next(k for k, s in genie.spaces.items() if s["title"] == "Sales")
    fake.fail(f"/api/2.0/genie/spaces/{sales}$", error(500, "boom"))
    report = run(db, fake)
    assert (report.written, report.failed) == (5, 1)
    assert any(n.startswith("get_space failed for 1, e.g. INTERNAL_ERROR") for n in report.notes)
    assert stored(db)["Sales"]["space_version"] is None


def test_a_list_that_fails_half_way_fails_the_job_and_marks_nothing_deleted(db, fake, genie):
    run(db, fake)
    fake.fail(r"/api/2.0/genie/spaces$", Reply(200, raw=b"<html>proxy error</html>"), times=1)
    genie.page_size = 100
    with pytest.raises(JobError, match="list_spaces failed after 0 spaces .MALFORMED_RESPONSE"):
        run(db, fake, T0 + timedelta(days=1))
    assert all(r["deleted_time"] is None for r in stored(db).values())


def test_429_on_the_list_is_waited_out(db, fake, genie):
    fake.fail(r"/api/2.0/genie/spaces$", error(429, "slow", **{"Retry-After": "1"}), times=1)
    assert run(db, fake).written == 5


def test_a_page_token_that_repeats_ends_the_listing(db, fake, genie):
    sales = next(s for s in genie.spaces.values() if s["title"] == "Sales")
    page = {"spaces": [{"space_id": sales["space_id"], "title": "Sales"}], "next_page_token": "same"}
    fake.route("GET", "/api/2.0/genie/spaces", lambda req: page)
    fake.routes.insert(0, fake.routes.pop())  # this listing answers first
    report = run(db, fake)
    assert fake.count("/api/2.0/genie/spaces$") == 2  # the token came back: stop
    assert (report.read, report.written) == (1, 1) and set(stored(db)) == {"Sales"}


def test_a_table_from_an_older_version_with_columns_added_at_the_end_is_written_by_name(tmp_path, fake, genie):
    engine = EmbeddedEngine(tmp_path / "old.duckdb", read_only=False)
    try:
        engine.run("CREATE SCHEMA IF NOT EXISTS main.ops_console")
        engine.run(f"CREATE TABLE {SPACES} (space_id STRING, title STRING, fetched_at TIMESTAMP)")
        assert "added main.ops_console.genie_space_details.space_version" in tables.ensure_tables(
            engine, load_settings({}), spaces_job.TABLE)
        assert run(engine, fake).written == 5
        sales = stored(engine)["Sales"]
        assert (sales["space_version"], sales["fetched_at"], sales["warehouse_id"]) == (
            2, T0, genie.spaces[sales["space_id"]]["warehouse_id"])
    finally:
        engine.close()
