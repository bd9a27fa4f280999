"""Tables as users see them: readable labels on every column, blanks for missing text."""

import pandas as pd

from telemetry.columns import count, pct, text
from telemetry.ui import columns


def test_missing_values_show_blank_not_none():
    """Regression: missing values showed 'None' (App detail's lifecycle, retention's later weeks)."""
    frame = pd.DataFrame({"error_message": [None, "boom", float("nan")], "status_code": [200, None, 500],
                          "week 3": [44.4, float("nan"), 9.0], "users": [437, 234, 16]})
    shown, config, _ = columns.prepare(frame, {"week 3": pct("Week 3")})
    assert shown["error_message"].tolist() == ["", "boom", ""]
    assert shown["status_code"].tolist() == ["200", "", "500"]
    assert shown["week 3"].tolist() == ["44%", "", "9%"] and config["week 3"]["label"] == "Week 3"
    assert shown["users"].tolist() == [437, 234, 16]  # complete numeric columns stay numbers
    assert frame["week 3"].isna().sum() == 1  # the caller's frame (the CSV download) is untouched


def test_every_column_gets_a_label_and_presets_set_the_order():
    _, config, order = columns.prepare(pd.DataFrame(columns=["rows_last_day", "table", "status"]),
                                       {"status": text("Status"), "table": text("Table")})
    assert order == ["status", "table", "rows_last_day"]
    assert config["rows_last_day"]["label"] == "Rows last day"
    assert config["status"]["label"] == "Status"


def test_hidden_preset_columns_are_not_shown():
    preset = {"app_name": text("App"), "sort_key": count("Sort").__class__("Sort", "int", hidden=True)}
    _, _, order = columns.prepare(pd.DataFrame(columns=["app_name", "sort_key"]), preset)
    assert order == ["app_name"]
