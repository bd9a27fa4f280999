"""The app frame under AppTest: every registry page × view renders on the demo data, in the frame,
without an exception or an error, and shows data (new pages and views are covered by the registry)."""

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from telemetry import registry
from telemetry.config import TABLE_SPECS

APP = str(Path(__file__).resolve().parents[2] / "streamlit_app.py")


def _app() -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    at.run()
    assert not at.exception, at.exception
    return at


@pytest.fixture(scope="module")
def samples(demo_db) -> dict[str, str]:
    """Values for what pages need to show data (a busy demo app, space, message)."""
    from telemetry.bench.sample_params import page_samples
    from telemetry.engine.embedded import EmbeddedEngine

    engine = EmbeddedEngine(demo_db)
    try:
        return page_samples(engine)
    finally:
        engine.close()


VARIANTS = registry.variants({need: "<busiest>" for spec in registry.PAGES for need in spec.needs})


@pytest.mark.parametrize("variant", VARIANTS, ids=[v.label for v in VARIANTS])
def test_every_page_and_view_renders_with_data(demo_env, samples, variant):
    at = _app()
    at.switch_page(variant.spec.path)
    for key, value in variant.state.items():
        at.session_state[key] = samples.get(key, value) if value == "<busiest>" else value
    at.run()
    assert not at.exception, at.exception
    assert not at.error, [e.value for e in at.error]
    titles = [t.value for t in at.title]
    assert titles and titles[0].startswith(variant.spec.title.split()[0]), titles
    if variant.view:
        assert at.session_state["view"] == variant.view
    shown = len(at.metric) + len(at.dataframe) + len(at.get("vega_lite_chart"))
    assert shown > 0, f"{variant.label} shows no metric, table or chart"
    assert not at.info, f"{variant.label} shows an empty state: {[i.value for i in at.info]}"


def test_overview_tiles_show_every_source(demo_env):
    at = _app()
    healthy = at.metric[0]
    assert healthy.label == "Sources healthy"
    ok, total = healthy.value.split(" / ")
    assert int(total) == len(TABLE_SPECS)
    assert int(ok) == len(TABLE_SPECS), [m.value for m in at.markdown]
    tiles = {m.value.split(" :")[0].strip("*") for m in at.markdown if "-badge[" in m.value}
    assert {"Audit log", "Tracker events", "Trace spans", "Billing usage"} <= tiles


def test_sidebar_shows_the_signed_in_user(demo_env):
    at = _app()
    captions = [c.value for c in at.sidebar.caption]
    assert any("Local Developer" in c and "admin" in c for c in captions)


def test_missing_source_gets_an_empty_state_not_a_traceback(demo_env, monkeypatch):
    monkeypatch.setenv("TELEMETRY_TRACKER_TABLE", "main.ops_console.no_such_table")
    from telemetry import runtime

    runtime.use(None)
    at = _app()
    assert not at.exception
    assert any("missing" in m.value for m in at.markdown)
    assert at.metric[0].value == f"{len(TABLE_SPECS) - 1} / {len(TABLE_SPECS)}"


def test_bad_configuration_stops_with_a_message(monkeypatch):
    monkeypatch.setenv("TELEMETRY_AUDIT_TABLE", "system.access.audit; DROP TABLE x")
    from telemetry import runtime

    runtime.use(None)
    at = AppTest.from_file(APP, default_timeout=30).run()
    assert not at.exception
    assert "TELEMETRY_AUDIT_TABLE" in at.error[0].value


def test_admin_pages_are_hidden_from_viewers(demo_env, monkeypatch):
    monkeypatch.setenv("TELEMETRY_ADMINS", "someone.else@example.com")
    from telemetry import runtime

    runtime.use(None)
    at = _app()
    with pytest.raises(ValueError):
        at.switch_page("pages/admin/health.py").run()
