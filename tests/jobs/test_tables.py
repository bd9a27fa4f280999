"""The console's own tables as jobs write them: created and evolved on a fresh database, rows merged
through one JSON parameter, and every write file's `from_json` schema matching the table's columns."""

from __future__ import annotations

import re
from datetime import datetime

import pytest

from telemetry import queries
from telemetry.config import TABLE_SPECS, load_settings
from telemetry.engine.embedded import EmbeddedEngine
from telemetry.jobs import tables
from telemetry.mirror.schema_own import OWN_SCHEMAS


@pytest.fixture()
def fresh(tmp_path):
    engine = EmbeddedEngine(tmp_path / "fresh.duckdb", read_only=False)
    yield engine, load_settings({})
    engine.close()


def test_ensure_tables_creates_every_own_table_once(fresh):
    engine, settings = fresh
    keys = [k for k in OWN_SCHEMAS if k in settings.tables]
    changes = tables.ensure_tables(engine, settings, *keys)
    assert len(changes) == len(keys)
    for key in keys:
        assert list(engine.table_columns(settings.table(key))) == [n for n, _ in OWN_SCHEMAS[key]]
    assert tables.ensure_tables(engine, settings, *keys) == []


def test_ensure_tables_adds_the_columns_an_older_table_lacks(fresh):
    engine, settings = fresh
    table = settings.table("genie_fetch_errors")
    engine.run("CREATE SCHEMA IF NOT EXISTS main.ops_console")
    engine.run(f"CREATE TABLE {table} (message_id STRING, attempt INT)")
    engine.run(f"INSERT INTO {table} VALUES ('m1', 1)")
    changes = tables.ensure_tables(engine, settings, "genie_fetch_errors")
    assert f"added {table}.resolved_at" in changes
    assert "message_id" not in " ".join(changes)
    frame = engine.run(f"SELECT message_id, attempt, resolved_at IS NULL AS unresolved FROM {table}").frame
    assert frame.to_dict("records") == [{"message_id": "m1", "attempt": 1, "unresolved": True}]


def test_rows_travel_as_one_json_parameter_and_merge_by_key(fresh):
    engine, settings = fresh
    tables.ensure_tables(engine, settings, "genie_space_details")
    table = settings.table("genie_space_details")
    merge = (f"MERGE INTO {table} AS t USING (SELECT inline(from_json(:rows, "
             f"'{tables.row_struct('genie_space_details')}'))) AS s ON t.space_id = s.space_id "
             "WHEN MATCHED THEN UPDATE SET * WHEN NOT MATCHED THEN INSERT *")
    first = [{"space_id": "s1", "title": "Sales' \"KPIs\" 💹", "tables": ["main.a.b", "main.a.c"],
              "update_time": datetime(2026, 11, 30, 8, 15, 1), "sample_question_count": 3},
             {"space_id": "s2", "title": "; DROP TABLE x; --", "tables": None}]
    engine.run(merge, {"rows": tables.rows_json(first)})
    engine.run(merge, {"rows": tables.rows_json([{"space_id": "s1", "title": "Renamed", "tables": []}])})
    frame = engine.run(f"SELECT space_id, title, tables, update_time, sample_question_count FROM {table} "
                       "ORDER BY space_id").frame
    rows = frame.to_dict("records")
    assert [r["space_id"] for r in rows] == ["s1", "s2"]
    assert rows[0]["title"] == "Renamed" and list(rows[0]["tables"]) == []
    assert rows[1]["title"] == "; DROP TABLE x; --"


def _default_table_keys() -> dict[str, str]:
    return {spec.default.format(schema=queries.DEFAULT_SCHEMA): spec.key for spec in TABLE_SPECS}


def _row_batch_writes() -> list[str]:
    return sorted(p.relative_to(queries.SQL_DIR).with_suffix("").as_posix()
                  for p in queries.SQL_DIR.rglob("*.sql") if "from_json(:rows" in p.read_text())


@pytest.mark.parametrize("name", _row_batch_writes())
def test_every_row_batch_write_unpacks_exactly_its_tables_columns(name):
    text = queries.sql_text(name)
    target = re.search(r"(?:MERGE INTO|INSERT INTO)\s+([\w.]+)", text)
    assert target, f"{name}: no MERGE INTO / INSERT INTO target"
    key = _default_table_keys()[target.group(1)]
    schema = re.search(r"from_json\(:rows,\s*'([^']+)'\)", text).group(1)
    assert schema == tables.row_struct(key), f"{name}: use tables.row_struct({key!r})"
