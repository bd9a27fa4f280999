"""One small demo mirror per session, built with a fixed `now` so assertions are reproducible."""

from __future__ import annotations

from datetime import datetime

import duckdb
import pytest

from telemetry.config import load_settings
from telemetry.engine.dialect import mirror_table_name

NOW = datetime(2026, 3, 18, 14)  # a Wednesday, 14:00 UTC
SCALE = 0.05
DAYS = 30
SEED = 5


@pytest.fixture(scope="session")
def mirror_build(tmp_path_factory: pytest.TempPathFactory):
    """(path, BuildReport, progress calls) of the session's demo build."""
    from telemetry.mirror import build_demo

    path = tmp_path_factory.mktemp("mirror") / "demo.duckdb"
    calls: list[tuple[str, float]] = []
    report = build_demo(
        path,
        load_settings({}),
        scale=SCALE,
        days=DAYS,
        seed=SEED,
        now=NOW,
        progress=lambda label, fraction: calls.append((label, fraction)),
    )
    return path, report, calls


@pytest.fixture(scope="session")
def con(mirror_build) -> duckdb.DuckDBPyConnection:
    """A read-only connection to the session's demo mirror."""
    connection = duckdb.connect(str(mirror_build[0]), read_only=True)
    yield connection
    connection.close()


@pytest.fixture(scope="session")
def t() -> dict[str, str]:
    """Table key → DuckDB table name of the default settings."""
    return {key: mirror_table_name(name) for key, name in load_settings({}).tables.items()}


def scalar(con: duckdb.DuckDBPyConnection, sql: str):
    """The single value a query returns."""
    return con.execute(sql).fetchone()[0]
