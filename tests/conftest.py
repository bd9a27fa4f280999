"""Shared fixtures: one small demo database per test session, and a clean environment per test.

(Spark fixtures live in tests/spark_oracle.py and are registered below.)
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.spark_oracle import spark, spark_demo  # noqa: F401  (Spark fixtures, registered here)

DEMO_SCALE = 0.05
DEMO_DAYS = 45

_ISOLATED_PREFIXES = ("TELEMETRY_", "DATABRICKS_")


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch):
    """No test sees the developer's Databricks credentials or console settings."""
    for name in list(os.environ):
        if name.startswith(_ISOLATED_PREFIXES):
            monkeypatch.delenv(name)
    monkeypatch.setenv("DATABRICKS_CONFIG_FILE", "/nonexistent/.databrickscfg")
    # The console tracks its own use into the tracker table: off, so no test's numbers include it
    # (tests/ui/test_self_tracking.py turns it on).
    monkeypatch.setenv("TELEMETRY_SELF_TRACKING", "off")
    from telemetry import runtime

    runtime.use(None)
    yield
    runtime.use(None)
    try:
        import streamlit as st

        st.cache_data.clear()
    except Exception:  # streamlit not importable in some minimal runs
        pass


@pytest.fixture(scope="session")
def demo_db(tmp_path_factory) -> Path:
    """A small but complete demo database (every source table), built once per session."""
    from telemetry.config import load_settings
    from telemetry.demo import build

    path = tmp_path_factory.mktemp("demo") / "demo.duckdb"
    build(path, load_settings({}), scale=DEMO_SCALE, days=DEMO_DAYS, seed=11)  # now: this hour
    return path


@pytest.fixture()
def demo_env(demo_db, monkeypatch) -> Path:
    """Point the whole package (and AppTest runs) at the session's demo database."""
    monkeypatch.setenv("TELEMETRY_EMBEDDED_PATH", str(demo_db))
    from telemetry import runtime

    runtime.use(None)
    return demo_db


@pytest.fixture()
def writable_demo(demo_db, tmp_path, monkeypatch) -> Path:
    """A private copy of the demo database that a test may write (jobs, loaders), with the package
    pointed at it. The session's demo_db stays untouched for the other tests."""
    import shutil

    copy = tmp_path / "demo.duckdb"
    shutil.copyfile(demo_db, copy)
    monkeypatch.setenv("TELEMETRY_EMBEDDED_PATH", str(copy))
    from telemetry import runtime

    runtime.use(None)
    return copy
