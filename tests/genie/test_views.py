"""telemetry.genie.views: charts say what they show (axis titles with units, tooltips) and are None
when there is nothing to draw; statuses never seen before still get a bar; the failure heatmap puts
the latest flagged space first."""

from __future__ import annotations

import pandas as pd
import pytest

from telemetry.genie import views

DAYS = pd.to_datetime(["2026-03-01", "2026-03-02"]).date


def _spec(chart) -> dict:
    return chart.to_dict()


def _titles(spec: dict) -> list[str]:
    """Every axis title in a (possibly layered) chart spec."""
    found = []
    for layer in [spec, *spec.get("layer", [])]:
        for channel in ("x", "y"):
            title = layer.get("encoding", {}).get(channel, {}).get("title")
            if title:
                found.append(title)
    return found


def _tooltips(spec: dict) -> list:
    return [layer.get("encoding", {}).get("tooltip") for layer in [spec, *spec.get("layer", [])]
            if layer.get("encoding", {}).get("tooltip")]


EMPTY = {
    "status": (views.status_chart, pd.DataFrame(columns=["day", "status", "messages"])),
    "activity": (views.activity_chart, pd.DataFrame(columns=["day", "messages", "conversations", "users"])),
    "latency": (views.latency_chart, pd.DataFrame(columns=["day", "p50_ms", "p95_ms", "p99_ms"])),
    "errors": (views.error_types_chart, pd.DataFrame(columns=["error_type", "messages"])),
    "feedback": (views.feedback_chart, pd.DataFrame(columns=["day", "positive", "negative", "review_requests"])),
    "retention": (views.retention_chart, pd.DataFrame(columns=["cohort_week", "week_offset", "users",
                                                               "cohort_size"])),
    "new_vs_returning": (views.new_vs_returning_chart, pd.DataFrame(columns=["week", "new_users",
                                                                             "returning_users"])),
}


@pytest.mark.parametrize("name", list(EMPTY))
def test_no_rows_means_no_chart(name):
    build, frame = EMPTY[name]
    assert build(frame) is None
    assert views.failure_chart(pd.DataFrame(columns=["space_id", "title", "day"]), 0.15) is None


def test_status_chart_stacks_known_and_unknown_statuses_with_labels():
    frame = pd.DataFrame({"day": [DAYS[0], DAYS[0], DAYS[1]], "status": ["COMPLETED", "FAILED", "NEW_STATUS_X"],
                          "messages": [10, 2, 1]})
    spec = _spec(views.status_chart(frame))
    assert _titles(spec) == ["Day (UTC)", "Messages per day"]
    domain = spec["encoding"]["color"]["scale"]["domain"]
    assert domain == ["Completed", "Failed", "New status x"]  # an unseen status keeps its name, last
    assert _tooltips(spec)


def test_latency_is_in_seconds_on_a_log_scale():
    frame = pd.DataFrame({"day": DAYS, "p50_ms": [1000.0, 1500.0], "p95_ms": [9000.0, 8000.0],
                          "p99_ms": [30000.0, 40000.0]})
    chart = views.latency_chart(frame)
    spec = _spec(chart)
    assert spec["encoding"]["y"]["title"] == "Statement duration (s, log scale)"
    assert spec["encoding"]["y"]["scale"]["type"] == "log"
    assert sorted(chart.data["value"]) == [1.0, 1.5, 8.0, 9.0, 30.0, 40.0]


def test_failure_chart_lists_the_latest_flagged_space_first_and_marks_flagged_days():
    days = pd.DataFrame({"space_id": ["a", "a", "b", "b"], "title": ["Sales", "Sales", "Sales", "Ops"],
                         "day": [DAYS[0], DAYS[1], DAYS[0], DAYS[1]], "finished": [10, 12, 20, 20],
                         "failed": [1, 8, 9, 1], "failure_rate": [0.1, 8 / 12, 0.45, 0.05],
                         "baseline_rate": [0.05, 0.06, 0.1, 0.4], "flagged": [False, True, True, False]})
    days["title"] = ["Sales", "Sales", "Sales", "Sales"]  # two spaces with one title
    spec = _spec(views.failure_chart(days, 0.15))
    order = spec["layer"][0]["encoding"]["y"]["sort"]
    assert order == ["Sales · a", "Sales · b"]  # a was flagged last (day 2); labels told apart
    assert spec["layer"][1]["transform"] == [{"filter": "datum.flagged"}]
