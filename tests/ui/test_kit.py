"""The page kit on real pages: queries start together, a failed query stays in its panel."""

import threading
import time
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from telemetry import concurrency, registry, runtime
from telemetry.engine.embedded import EmbeddedEngine

APP = str(Path(__file__).resolve().parents[2] / "streamlit_app.py")
ROUND_TRIP_S = 0.25


class RoundTripEngine(EmbeddedEngine):
    """The embedded engine with a warehouse's round trip before every statement, timing each."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.intervals: list[tuple[float, float]] = []
        self._record = threading.Lock()

    def run(self, sql, params=None, **kwargs):
        started = time.perf_counter()
        time.sleep(ROUND_TRIP_S)
        try:
            return super().run(sql, params, **kwargs)
        finally:
            with self._record:
                self.intervals.append((started, time.perf_counter()))


@pytest.fixture()
def slow_engine(demo_env):
    engine = RoundTripEngine(demo_env)
    runtime.use(runtime.settings(), engine)
    yield engine
    runtime.use(None)


def _open(variant: registry.Variant, samples: dict[str, str]) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=90)
    at.run()
    at.switch_page(variant.spec.path)
    for key, value in variant.state.items():
        at.session_state[key] = samples.get(key, value)
    return at


@pytest.mark.parametrize("variant", [v for v in registry.variants() if not v.spec.needs],
                         ids=lambda v: v.label)
def test_a_page_waits_for_at_most_two_round_trips(slow_engine, variant):
    """Cold render of every page × view: its queries run in at most two waves (the filter options,
    then everything they parameterise), however many queries it has."""
    at = _open(variant, {})
    slow_engine.intervals.clear()
    import streamlit as st

    st.cache_data.clear()
    at.run()
    assert not at.exception, at.exception
    chain = concurrency.longest_chain(slow_engine.intervals)
    # Data health: 15 source checks, the Genie pipeline gap (2) and the demo's job history (1) on a pool
    # of 8 are three waves, however they are ordered; every other page is at most two.
    waves = 3 if variant.spec.url_path == "data-health" else 2
    assert slow_engine.intervals and chain <= waves, (len(slow_engine.intervals), chain)


def test_a_failed_query_stays_in_its_panel(demo_env, monkeypatch):
    """The tracker table is missing: the tracker panel says so; the other panels still render."""
    from telemetry.bench.sample_params import busiest_app

    app = busiest_app(runtime.engine())
    monkeypatch.setenv("TELEMETRY_TRACKER_TABLE", "main.ops_console.no_such_events")
    runtime.use(None)
    at = AppTest.from_file(APP, default_timeout=90)
    at.run()
    at.switch_page("pages/apps/detail.py")
    at.session_state["app"] = app
    at.run()
    assert not at.exception, at.exception
    errors = [e.value for e in at.error]
    assert len(errors) == 1 and "app_usage/app_actions" in errors[0] and "no_such_events" in errors[0], errors
    assert at.dataframe, "the other tables still render"
    assert any(m.label == "Unique users" for m in at.metric)


def test_longest_chain_counts_waits_not_statements():
    assert concurrency.longest_chain([(0, 1), (0, 1), (0.1, 1.1)]) == 1
    assert concurrency.longest_chain([(0, 1), (1, 2), (0, 0.5), (2.5, 3)]) == 3
    assert concurrency.longest_chain([]) == 0
