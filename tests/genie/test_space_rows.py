"""GenieSpace JSON + serialized_space → space details row: versions 1, 2, unknown, broken."""

from __future__ import annotations

import json
import random
from datetime import datetime

from telemetry.genie.space_rows import parse_serialized, space_row
from telemetry.jobs.tables import columns
from tests.fakes.genie_routes import serialized_unknown, serialized_v1, serialized_v2

FETCHED = datetime(2026, 1, 2)
SPACE = {"space_id": "sp1", "title": "Sales", "description": "Ask about sales.", "warehouse_id": "wh1",
         "parent_path": "/Workspace/Users/ana@example.com/genie", "create_time": "2025-03-15T08:30:00Z",
         "update_time": "2026-01-10T12:00:00.123Z", "etag": "e1"}


def test_version_2_counts_every_section():
    parsed = parse_serialized(serialized_v2(random.Random(3)))
    assert parsed["space_version"] == 2
    assert parsed["tables"] == ["main.sales.orders", "main.sales.customers", "main.sales.revenue_metrics"]
    assert parsed["sample_question_count"] == 3 and len(parsed["sample_questions"]) == 3
    assert parsed["instructions"] == "Revenue = quantity * unit_price.\nFiscal year starts April 1st."
    assert (parsed["instruction_count"], parsed["example_sql_count"], parsed["benchmark_count"]) == (1, 2, 1)


def test_version_1_absent_sections_count_zero():
    parsed = parse_serialized(serialized_v1(random.Random(4)))
    assert parsed["space_version"] == 1 and parsed["tables"] == ["main.legacy.orders"]
    assert parsed["sample_questions"] == ["How many orders today?"]
    assert (parsed["instruction_count"], parsed["example_sql_count"], parsed["benchmark_count"]) == (1, 0, 0)


def test_an_unknown_version_keeps_what_it_recognises_and_leaves_the_rest_unknown():
    parsed = parse_serialized(serialized_unknown())
    assert parsed["space_version"] == 7
    assert parsed["sample_questions"] == ["Future question?"] and parsed["sample_question_count"] == 1
    assert parsed["tables"] is None  # data_sources is a list of unknown objects now: not guessed
    assert parsed["instruction_count"] is None and parsed["benchmark_count"] is None


def test_a_flat_layout_with_string_instructions_and_plain_table_names():
    parsed = parse_serialized(json.dumps({"version": "9", "tables": ["a.b.c", {"name": "a.b.d"}, 5],
                                          "instructions": "Be nice.", "sample_questions": ["Q1", ["Q", "2"]]}))
    assert parsed["space_version"] == 9 and parsed["tables"] == ["a.b.c", "a.b.d", "5"]
    assert parsed["instructions"] == "Be nice." and parsed["instruction_count"] == 1
    assert parsed["sample_questions"] == ["Q1", "Q2"]


def test_broken_serialized_space_parses_to_nulls_but_keeps_the_space():
    for raw in ("{not json", "[1, 2]", "null", 42):
        row = space_row({**SPACE, "serialized_space": raw}, "ws1", FETCHED)
        assert row["space_id"] == "sp1" and row["title"] == "Sales"
        assert row["space_version"] is None and row["tables"] is None and row["benchmark_count"] is None
    assert space_row({**SPACE, "serialized_space": "{not json"}, "ws1", FETCHED)["serialized_space"] == "{not json"


def test_a_listed_space_fills_the_listed_fields():
    row = space_row(SPACE, "ws1", FETCHED)
    assert set(row) == {name for name, _ in columns("genie_space_details")}
    assert (row["workspace_id"], row["warehouse_id"], row["creator"]) == ("ws1", "wh1", "ana@example.com")
    assert row["create_time"] == datetime(2025, 3, 15, 8, 30)
    assert row["update_time"] == datetime(2026, 1, 10, 12, 0, 0, 123000)
    assert row["serialized_space"] is None and row["space_version"] is None and row["deleted_time"] is None


def test_a_creator_key_wins_and_a_shared_folder_gives_no_creator():
    assert space_row({**SPACE, "creator_user_name": "bo@example.com"}, None, FETCHED)["creator"] == "bo@example.com"
    assert space_row({**SPACE, "parent_path": "/Workspace/Shared"}, None, FETCHED)["creator"] is None
