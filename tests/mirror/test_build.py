"""Determinism, atomic replacement, metadata and progress reporting of `build_demo`."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import duckdb
import pytest

from telemetry.config import load_settings
from telemetry.engine.dialect import mirror_table_name
from telemetry.mirror import GENERATOR_VERSION, build_demo, default_now, demo_is_current
from telemetry.mirror.schema import DATABRICKS_SCHEMAS
from tests.mirror.conftest import DAYS, NOW, SCALE, SEED

SMALL = {"scale": 0.02, "days": 10, "now": datetime(2026, 1, 7, 9)}


def _fingerprints(path: Path) -> dict[str, tuple]:
    """Row count and an order-independent hash of every row of every mirror table."""
    out = {}
    with duckdb.connect(str(path), read_only=True) as con:
        for key in DATABRICKS_SCHEMAS:
            table = mirror_table_name(load_settings({}).tables[key])
            out[key] = con.execute(f"SELECT count(*), sum(hash(x)) FROM {table} AS x").fetchone()
    return out


@pytest.fixture(scope="module")
def small_builds(tmp_path_factory) -> dict[str, Path]:
    base = tmp_path_factory.mktemp("determinism")
    paths = {"a": base / "a.duckdb", "b": base / "b.duckdb", "c": base / "c.duckdb"}
    for label, seed in (("a", 3), ("b", 3), ("c", 4)):
        build_demo(paths[label], load_settings({}), seed=seed, **SMALL)
    return paths


def test_same_seed_gives_the_same_data(small_builds):
    assert _fingerprints(small_builds["a"]) == _fingerprints(small_builds["b"])


def test_another_seed_gives_other_data(small_builds):
    a, c = _fingerprints(small_builds["a"]), _fingerprints(small_builds["c"])
    assert sum(a[k] != c[k] for k in a) >= len(a) - 1


def test_report_and_build_info(mirror_build, con):
    path, report, _ = mirror_build
    assert report.path == path and report.bytes == path.stat().st_size > 0
    assert (report.scale, report.days, report.seed, report.window_end) == (SCALE, DAYS, SEED, NOW)
    assert report.rows["audit"] > 10_000 and report.seconds > 0
    info = con.execute(
        "SELECT scale, days, seed, window_start, window_end, generator_version "
        "FROM ops_console_meta.build_info"
    ).fetchall()
    assert info == [(SCALE, DAYS, SEED, report.window_start, NOW, GENERATOR_VERSION)]


def test_progress_is_reported_up_to_done(mirror_build):
    calls = mirror_build[2]
    fractions = [f for _, f in calls]
    assert len(calls) > 5 and calls[-1] == ("done", 1.0)
    assert all(0.0 <= f <= 1.0 for f in fractions) and fractions == sorted(fractions)


def test_rebuild_replaces_the_file_atomically(tmp_path):
    path = tmp_path / "demo.duckdb"
    build_demo(path, load_settings({}), seed=1, **SMALL)
    reader = duckdb.connect(str(path), read_only=True)
    before = reader.execute("SELECT seed FROM ops_console_meta.build_info").fetchone()[0]
    build_demo(path, load_settings({}), seed=2, **SMALL)
    assert reader.execute("SELECT seed FROM ops_console_meta.build_info").fetchone()[0] == before == 1
    reader.close()
    with duckdb.connect(str(path), read_only=True) as con:
        assert con.execute("SELECT seed FROM ops_console_meta.build_info").fetchone()[0] == 2
    assert sorted(p.name for p in tmp_path.iterdir()) == ["demo.duckdb"]


def test_demo_is_current(tmp_path, mirror_build):
    assert demo_is_current(mirror_build[0])
    assert not demo_is_current(tmp_path / "missing.duckdb")
    (tmp_path / "junk.duckdb").write_text("not a database")
    assert not demo_is_current(tmp_path / "junk.duckdb")
    old = tmp_path / "old.duckdb"
    with duckdb.connect(str(old)) as c:
        c.execute("CREATE SCHEMA ops_console_meta")
        c.execute(
            "CREATE TABLE ops_console_meta.build_info AS SELECT 'mirror-0' AS generator_version, "
            "now()::TIMESTAMP AS built_at"
        )
    assert not demo_is_current(old)


def test_default_now_is_the_current_hour():
    now = default_now()
    assert now.minute == now.second == now.microsecond == 0 and now.tzinfo is None


def test_custom_table_names_are_honoured(tmp_path):
    settings = load_settings({"TELEMETRY_SCHEMA": "ops.telemetry", "TELEMETRY_AUDIT_TABLE": "raw.audit_copy"})
    build_demo(tmp_path / "custom.duckdb", settings, seed=1, **SMALL)
    with duckdb.connect(str(tmp_path / "custom.duckdb"), read_only=True) as con:
        assert con.execute("SELECT count(*) FROM raw.audit_copy").fetchone()[0] > 0
        assert con.execute("SELECT count(*) FROM ops__telemetry.app_events").fetchone()[0] > 0
