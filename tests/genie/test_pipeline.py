"""Genie pipeline health on hand-built tables: the funnel and its gap per day and hour, the console's
job runs folded from time slices, fetch errors by type, and the messages stuck in retry."""

from __future__ import annotations

from datetime import timedelta

import pandas as pd
import pytest

from telemetry.genie import pipeline
from tests.genie.hand_tables import TODAY, GenieDb, at, params_for

MSG = {"createConversationMessage"}


@pytest.fixture()
def db(tmp_path):
    database = GenieDb(tmp_path / "genie.duckdb")
    database.space("s1", "Sales", "owner@corp.com")
    yield database
    database.close()


def asked(db: GenieDb, mid: str, when, *, queued: str | None = "FETCHED", fetched: bool = True,
          attempts: int = 1) -> None:
    """One message as the pipeline sees it: an audit event, maybe queued, maybe fetched."""
    db.audit("createConversationMessage", "ann@corp.com", when, {"space_id": "s1", "message_id": mid})
    if queued:
        db.queued(mid, "s1", "ann@corp.com", when, status=queued, attempts=attempts,
                  last_attempt=when + timedelta(hours=1))
    if fetched:
        db.message(mid, "s1", "ann@corp.com", "q", when)


def test_the_funnel_and_its_gap_per_day_and_per_hour(db):
    asked(db, "a", at(2, 9))
    asked(db, "b", at(2, 9, 30))
    asked(db, "c", at(2, 14), fetched=False, queued="PENDING", attempts=2)
    asked(db, "d", at(1, 8), queued=None, fetched=False)  # the queue job has not run since
    db.audit("getConversationMessage", "ann@corp.com", at(2, 9, 1), {"space_id": "s1", "message_id": "a"})  # a poll
    db.audit("createConversationMessage", "ann@corp.com", at(2, 10), {"message_id": "x"}, status=500)  # failed
    db.fetch_error("c", at(2, 15), 1, 500, "INTERNAL_ERROR", "boom")
    db.fetch_error("c", at(2, 16), 2, 500, "INTERNAL_ERROR", "boom")
    days = db.run("genie/pipeline_gap", **params_for("genie/pipeline_gap")).set_index("period_start")
    day2, day1 = pd.Timestamp(TODAY - timedelta(days=2)), pd.Timestamp(TODAY - timedelta(days=1))
    cols = ["audit_events", "queued", "ingested", "fetch_errors", "error_messages"]
    assert days.loc[day2, cols].tolist() == [3, 3, 2, 2, 1]
    assert days.loc[day1, cols].tolist() == [1, 0, 0, 0, 0]
    hours = db.run("genie/pipeline_gap", **params_for("genie/pipeline_gap", bucket="hour")).set_index("period_start")
    assert hours.loc[pd.Timestamp(at(2, 9)), ["audit_events", "ingested"]].tolist() == [2, 2]
    assert hours.loc[pd.Timestamp(at(2, 14)), ["audit_events", "ingested"]].tolist() == [1, 0]
    kpis = {k.label: k.value for k in pipeline.totals(days.reset_index(), pd.DataFrame(columns=["gave_up"]))}
    assert (kpis["Audit events"], kpis["Ingested"], kpis["Gap"]) == (4, 2, 2)


def test_job_runs_fold_time_slices_and_keep_only_the_console_genie_jobs(db):
    db.job("j1", "old-name", at(40))
    db.job("j1", "ops-console-genie-ingest", at(35))  # renamed: the latest name counts
    db.job("j2", "nightly-etl", at(35))
    db.run_slice("j1", "r1", at(3, 10), at(3, 11), None)  # a long run: two hourly slices
    db.run_slice("j1", "r1", at(3, 11), at(3, 11, 20), "FAILED")
    db.run_slice("j1", "r2", at(2, 10), at(2, 10, 5), "SUCCEEDED")
    db.run_slice("j1", "r3", at(0, 10), at(0, 10, 1), None)  # still running
    db.run_slice("j2", "r9", at(1, 10), at(1, 11), "SUCCEEDED")
    runs = db.run("genie/pipeline_job_runs", **params_for("genie/pipeline_job_runs"))
    assert runs["run_id"].tolist() == ["r3", "r2", "r1"] and set(runs["job_name"]) == {"ops-console-genie-ingest"}
    r1 = runs.set_index("run_id").loc["r1"]
    assert (r1["state"], r1["duration_seconds"]) == ("FAILED", 80 * 60)
    assert runs.set_index("run_id").loc["r3", "state"] == "RUNNING"
    summary = pipeline.job_summary(runs).iloc[0]
    assert (summary["last_state"], summary["runs"], summary["failed"]) == ("RUNNING", 3, 1)


def test_errors_by_type_count_attempts_messages_and_the_still_unfetched(db):
    asked(db, "late", at(3), fetched=True)  # fetched after a 429
    asked(db, "gone", at(3, 11), queued="FAILED", fetched=False, attempts=3)
    db.fetch_error("late", at(3, 11), 1, 429, "RATE_LIMIT_EXCEEDED", "slow down")
    for attempt in (1, 2, 3):
        db.fetch_error("gone", at(3, 11 + attempt), attempt, 404, "RESOURCE_DOES_NOT_EXIST", "deleted")
    errors = db.run("genie/pipeline_errors", **params_for("genie/pipeline_errors")).set_index("error_code")
    assert errors.loc["RESOURCE_DOES_NOT_EXIST", ["http_status", "attempts", "messages", "unresolved"]].tolist() == [
        404, 3, 1, 1]
    assert errors.loc["RATE_LIMIT_EXCEEDED", ["attempts", "unresolved"]].tolist() == [1, 0]
    assert pipeline.errors_chart(errors.reset_index()) is not None


def test_stuck_messages_are_queued_unfetched_with_an_open_error(db):
    asked(db, "retrying", at(2), queued="PENDING", fetched=False, attempts=2)
    asked(db, "given_up", at(3), queued="FAILED", fetched=False, attempts=3)
    asked(db, "at_limit", at(4), queued="PENDING", fetched=False, attempts=5)
    asked(db, "fetched", at(2, 12), fetched=True)  # an old error, fetched since
    asked(db, "resolved", at(2, 13), queued="PENDING", fetched=False)  # its error was resolved
    asked(db, "waiting", at(2, 14), queued="PENDING", fetched=False, attempts=0)  # never tried: not stuck
    for mid, attempt in (("retrying", 2), ("given_up", 3), ("at_limit", 5), ("fetched", 1)):
        db.fetch_error(mid, at(1, attempt), attempt, 500, "INTERNAL_ERROR", f"boom {mid}")
    db.fetch_error("resolved", at(1), 1, 500, "INTERNAL_ERROR", "boom", resolved=at(1, 2))
    stuck = db.run("genie/pipeline_stuck", **params_for("genie/pipeline_stuck")).set_index("message_id")
    assert stuck.index.tolist() == ["retrying", "given_up", "at_limit"]  # retrying, then newest attempt first
    assert stuck["gave_up"].to_dict() == {"at_limit": True, "given_up": True, "retrying": False}
    assert stuck.loc["retrying", ["attempts", "error_message", "space_title"]].tolist() == [2, "boom retrying", "Sales"]
    shown = pipeline.stuck_rows(stuck.reset_index()).set_index("message_id")
    assert shown.loc["retrying", "state"] == "retrying" and shown.loc["given_up", "open"].endswith("=given_up")
    tiles = {k.label: k.text for k in pipeline.totals(pd.DataFrame(columns=list(pipeline.SERIES)), stuck)}
    assert (tiles["Retrying"], tiles["Given up"]) == ("1", "2")


def test_empty_results_draw_nothing():
    empty = pd.DataFrame(columns=["period_start", *pipeline.SERIES])
    assert pipeline.gap_chart(empty, "day") is None and pipeline.runs_chart(pd.DataFrame()) is None
    assert pipeline.job_summary(pd.DataFrame()).empty


def test_requests_pass_the_bucket_job_names_and_attempt_limit():
    from datetime import date

    from telemetry.config import load_settings
    from telemetry.genie.filters import GenieFilters

    settings = load_settings({"TELEMETRY_GENIE_MAX_FETCH_ATTEMPTS": "7"})
    reqs = pipeline.requests(GenieFilters(date(2026, 11, 1), date(2026, 11, 30)), pipeline.bucket("Minutely"), settings)
    assert reqs["pipeline_gap"].params["bucket"] == "day"  # an unknown bucket falls back
    assert reqs["pipeline_stuck"].params["max_fetch_attempts"] == 7
    assert reqs["pipeline_job_runs"].params["genie_job_names"] == ",".join(pipeline.GENIE_JOB_NAMES)
