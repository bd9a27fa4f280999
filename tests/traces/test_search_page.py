"""Trace search under AppTest on a hand-built span table: every filter, the keyset pages, the sort,
the metrics view and the deep links change the values shown; hostile filter values reach SQL only
as bound parameters and refused input is said so."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from telemetry import runtime
from telemetry.engine.embedded import EmbeddedEngine
from tests.traces.hand_spans import AGENT, MODEL, build

ROOT = Path(__file__).resolve().parents[2]
APP = str(ROOT / "streamlit_app.py")
PAGE = "pages/traces/search.py"
HOSTILE = "x' OR true) --"


class RecordingEngine(EmbeddedEngine):
    """The real embedded engine, keeping the SQL text and parameters of every statement it runs."""

    statements: list[tuple[str, dict]] = []

    def run(self, sql, params=None, **kwargs):
        RecordingEngine.statements.append((sql, dict(params or {})))
        return super().run(sql, params, **kwargs)


@pytest.fixture(scope="module")
def span_db(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("trace_search") / "spans.duckdb"
    build(path)
    return path


@pytest.fixture()
def page(span_db, monkeypatch):
    monkeypatch.setenv("TELEMETRY_EMBEDDED_PATH", str(span_db))
    runtime.use(None)

    def open_with(**state) -> AppTest:
        at = AppTest.from_file(APP, default_timeout=60)
        at.run()
        at.switch_page(PAGE)
        for key, value in state.items():
            at.session_state[key] = value
        at.run()
        assert not at.exception, at.exception
        return at

    yield open_with
    runtime.use(None)


def _metric(at: AppTest, label: str) -> str:
    return next(m.value for m in at.metric if m.label == label)


def _traces(at: AppTest):
    return at.dataframe[0].value


def test_the_first_page_lists_the_newest_fifty_of_all(page):
    at = page()
    assert _metric(at, "Traces") == "133"
    rows = _traces(at)
    assert len(rows) == 50 and rows["root_service"].iloc[0] == AGENT  # the agent traces are the newest
    assert rows["started"].is_monotonic_decreasing
    assert any("Traces 1–50 of 133" in c.value for c in at.caption)
    assert rows["open"].iloc[0].startswith(f"trace?trace={rows['trace_id'].iloc[0]}&t=")


def test_next_and_previous_walk_the_keyset_pages(page):
    at = page()
    first = list(_traces(at)["trace_id"])
    at.button(key="after_next").click().run()
    second = list(_traces(at)["trace_id"])
    assert len(second) == 50 and not set(first) & set(second)
    assert any("Traces 51–100 of 133" in c.value for c in at.caption)
    at.button(key="after_next").click().run()
    assert len(_traces(at)) == 33 and at.button(key="after_next").disabled
    at.button(key="after_prev").click().run()
    assert list(_traces(at)["trace_id"]) == second


@pytest.mark.parametrize(("state", "expected"), [
    ({"service": AGENT}, 3),
    ({"status": "error"}, 1),
    ({"attrs": "gen_ai.usage.input_tokens>=1000"}, 3),
    ({"attrs": "http.response.status_code=200.0"}, 130),  # numbers compare as numbers
    ({"attrs": "deployment.environment=staging"}, 1),  # a resource attribute
    ({"attrs": "http.request.method=POST; enduser.id=user0@corp.com"}, 1),
    ({"min_ms": 6000.0}, 2),
    ({"min_ms": 150.0, "max_ms": 200.0}, 51),
    ({"trace_id": "A" + "0" * 30 + "2"}, 1),  # case and spaces forgiven
    ({"op": f"chat {MODEL}"}, 3),
])
def test_each_filter_narrows_the_traces(page, state, expected):
    at = page(**state)
    assert _metric(at, "Traces") == f"{expected:,}"
    assert len(_traces(at)) == min(expected, 50)


def test_slowest_first_sorts_by_duration(page):
    rows = _traces(page(sort="duration"))
    assert rows["duration_ms"].iloc[0] == pytest.approx(12000, rel=1e-3) and rows["duration_ms"].is_monotonic_decreasing


def test_agent_rows_show_user_session_and_tokens(page):
    rows = _traces(page(service=AGENT))
    assert set(rows["user_id"]) == {"user0@corp.com", "user1@corp.com", "user2@corp.com"}
    assert set(rows["tokens"]) == {1200} and set(rows["session_id"]) == {"s0", "s1", "s2"}


def test_hostile_values_are_bound_never_pasted(page, span_db, monkeypatch):
    RecordingEngine.statements = []
    runtime.use(None, RecordingEngine(span_db))
    at = page(attrs=f"{HOSTILE}={HOSTILE}", trace_id="", min_ms=0.0)
    runtime.use(None, RecordingEngine(span_db))
    assert _metric(at, "Traces") == "0" and not at.error
    assert RecordingEngine.statements, "nothing ran"
    assert all(HOSTILE not in sql for sql, _ in RecordingEngine.statements)
    assert any(HOSTILE in params.values() for _, params in RecordingEngine.statements)


def test_refused_input_says_why(page):
    at = page(attrs="latency>fast; justakey", trace_id="not a trace id!")
    warnings = " ".join(w.value for w in at.warning)
    assert "compares numbers" in warnings and "is not `key = value`" in warnings and "trace id" in warnings
    assert _metric(at, "Traces") == "133"  # the refused filters are not applied


def test_metrics_view_prices_llm_tokens(page):
    at = page(view="Metrics")
    llm = next(d.value for d in at.dataframe if "model" in d.value.columns)
    row = llm.iloc[0]
    assert (row["model"], row["calls"], row["input_tokens"]) == (MODEL, 3, 3000)
    assert row["cost_usd"] == pytest.approx((3000 * 3 + 600 * 15) / 1e6)
    assert len(at.get("vega_lite_chart")) >= 3


def test_the_csv_download_holds_every_match_up_to_the_limit(span_db, monkeypatch):
    import io

    import pandas as pd

    from telemetry.config import load_settings
    from telemetry.traces import search as ts

    settings = load_settings({"TELEMETRY_EMBEDDED_PATH": str(span_db), "TELEMETRY_TRACE_SEARCH_LIMIT": "100"})
    runtime.use(settings, EmbeddedEngine(span_db))
    try:
        f = ts.TraceFilters(*ts.window("7 days"))
        frame = pd.read_csv(io.BytesIO(ts.export_csv(f, settings)))
        assert len(frame) == 100 and frame["root_service"].iloc[0] == AGENT
        assert "first 100 of 133" in ts.export_note(133, settings)
        agent = pd.read_csv(io.BytesIO(ts.export_csv(ts.TraceFilters(*ts.window("7 days"), service=AGENT), settings)))
        assert set(agent["user_id"]) == {"user0@corp.com", "user1@corp.com", "user2@corp.com"}
    finally:
        runtime.use(None)
