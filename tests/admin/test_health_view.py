"""What Overview and Data health make of source health: one fault, tiles, readable table."""

import pytest

from telemetry.admin import health_view
from telemetry.config import TABLE_SPECS, load_settings
from telemetry.engine.base import QueryError
from telemetry.health import SourceHealth


def _failed(kind: str, message: str = "cannot reach the SQL warehouse: refused") -> list[SourceHealth]:
    return [SourceHealth(spec, spec.default, "error", message=message, error_kind=kind) for spec in TABLE_SPECS]


def test_an_unreachable_engine_is_one_fault():
    with pytest.raises(QueryError) as caught:
        health_view.one_fault(_failed("connection"))
    assert caught.value.kind == "connection" and "refused" in caught.value.cause


def test_broken_tables_are_not_an_engine_fault():
    sources = _failed("error", "column x not found")
    health_view.one_fault(sources)  # per-tile messages: each table has its own problem
    mixed = _failed("connection")[:-1] + [SourceHealth(TABLE_SPECS[-1], "t", "ok", 5, 1)]
    health_view.one_fault(mixed)


def test_tiles_and_table_never_show_none():
    sources = [SourceHealth(TABLE_SPECS[0], "system.access.audit", "missing", message="not found")]
    assert health_view.tile(sources[0]).value is None and health_view.tile(sources[0]).note == "not found"
    table = health_view.table(sources)
    assert table.loc[0, "status"] == "missing" and table.loc[0, "expected_within"] == "6 h"
    config = health_view.configuration(load_settings({}))
    assert "None" not in set(config["value"])
