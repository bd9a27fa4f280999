"""telemetry.genie.tables: links to the per-space page (ids encoded), rates in percent, blank
cells instead of "None", unique labels for repeated titles, user-written space fields kept as plain
text (never Markdown), and no table preset that shows a prompt or SQL."""

from __future__ import annotations

from datetime import date, datetime

import pandas as pd
import pytest

from telemetry.genie import columns, tables


def test_spaces_table_links_to_the_space_page_with_an_encoded_id_and_rates_in_percent():
    spaces = pd.DataFrame({"space_id": ["a/b?c", "x"], "title": ["Sales", "Sales"], "workspace_id": ["1", "9"],
                           "finished": [10, 0], "succeeded": [9, 0], "failed": [1, 0], "messages": [12, 0],
                           "users": [3, 0], "cost_usd": [2.0, 5.0]})
    table = tables.spaces_table(spaces, pd.DataFrame({"workspace_id": ["1"], "workspace_name": ["prod"]}))
    assert list(table["details"]) == ["genie-space?space=a%2Fb%3Fc", "genie-space?space=x"]
    assert table["success_rate"].iloc[0] == pytest.approx(90.0) and pd.isna(table["success_rate"].iloc[1])
    assert list(table["title"]) == ["Sales · a/b?c", "Sales · x"]
    assert list(table["workspace"]) == ["prod", "9"]
    assert list(tables.ranked_spaces(spaces, "cost_usd")["space_id"]) == ["x", "a/b?c"]


def test_failure_table_shows_blank_dates_and_percentages():
    spikes = pd.DataFrame({"space_id": ["a", "b"], "title": ["A", "B"], "flagged": [True, False],
                           "last_flagged": [date(2026, 3, 2), None], "failure_rate": [0.2, 0.05],
                           "day_rate": [0.5, 0.1], "baseline_rate": [0.1, None]})
    table = tables.failure_table(spikes)
    assert list(table["last_flagged"]) == ["2026-03-02", ""] and list(table["flag"]) == ["⚑ flagged", ""]
    assert table["day_rate"].iloc[0] == pytest.approx(50.0)


def test_markdown_in_a_space_title_is_escaped():
    assert tables.markdown_safe("**x** [a](http://e)") == r"\*\*x\*\* \[a\]\(http\://e\)"


def test_space_summary_lists_tables_instructions_and_sample_questions_as_plain_rows():
    info = pd.DataFrame([{"space_id": "s", "title": "Sales", "description": None, "workspace_id": "1",
                          "warehouse_id": "w", "creator": "c@x.com", "create_time": datetime(2026, 1, 2),
                          "update_time": datetime(2026, 2, 3), "deleted_time": None, "table_count": 2,
                          "tables": "main.a.t1, main.a.t2", "instruction_count": 2,
                          "instructions": "Use <b>order_date</b>.\n\nAmounts in USD.", "sample_question_count": 1,
                          "sample_questions": ["Revenue by **region**?"], "example_sql_count": 0,
                          "benchmark_count": 3}])
    summary = tables.space_summary(info)
    assert summary.active and summary.state == "Active" and summary.description == "No description"
    assert summary.facts["created"] == "2026-01-02" and summary.facts["updated"] == "2026-02-03"
    assert list(summary.items.itertuples(index=False, name=None)) == [
        ("Table", "main.a.t1"), ("Table", "main.a.t2"), ("Instruction", "Use <b>order_date</b>."),
        ("Instruction", "Amounts in USD."), ("Sample question", "Revenue by **region**?")]
    assert [k.text for k in summary.counts] == ["2", "2", "1", "0", "3"]
    assert tables.space_summary(info.iloc[0:0]) is None


def test_a_trashed_space_says_so():
    info = pd.DataFrame([{"space_id": "s", "title": None, "deleted_time": datetime(2026, 3, 1)}])
    summary = tables.space_summary(info)
    assert not summary.active and summary.state == "Trashed 2026-03-01" and summary.title == "s"


def test_space_choices_put_no_space_first_and_tell_repeated_titles_apart():
    spaces = pd.DataFrame({"space_id": ["s1", "s2", "s3"], "title": ["Sales", "Sales", "Ops"],
                           "deleted": [False, True, False]})
    assert tables.space_choices(spaces) == {"": "Choose a space", "s1": "Sales · s1", "s2": "Sales · s2 (trashed)",
                                           "s3": "Ops"}


def test_configuration_counts_used_unused_and_trashed_spaces():
    config = pd.DataFrame({"space_id": ["a", "b", "c"], "title": ["A", "B", "C"], "workspace_id": ["1"] * 3,
                           "messages": [5, 0, 0], "deleted_time": [None, None, datetime(2026, 3, 1)]})
    assert [(k.label, k.value) for k in tables.configuration_kpis(config)] == [
        ("Spaces", 2), ("Used in the period", 1), ("Unused in the period", 1), ("Trashed", 1)]
    assert list(tables.configuration_table(config)["state"]) == ["Active", "Active", "Trashed"]


def test_retention_matrix_is_in_percent_with_one_column_per_week():
    cohorts = pd.DataFrame({"cohort_week": [date(2026, 3, 2)] * 2, "week_offset": [0, 1], "users": [4, 1],
                            "cohort_size": [4, 4]})
    matrix = tables.retention_matrix(cohorts)
    assert list(matrix.columns) == ["cohort_week", "users", "week 0", "week 1"]
    assert matrix["week 1"].iloc[0] == pytest.approx(25.0)
    assert set(tables.retention_preset(cohorts)) == {"cohort_week", "users", "week 0", "week 1"}


@pytest.mark.parametrize("preset", [v for k, v in vars(columns).items() if k.isupper()])
def test_no_table_preset_shows_prompt_or_sql(preset):
    assert not {"content", "generated_sql", "statement_text", "query_description", "text_response"} & set(preset)
