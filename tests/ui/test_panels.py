"""Tables as users see them: readable labels on every column, blanks for missing text."""

import pandas as pd

from telemetry.columns import count, text
from telemetry.ui import columns
from telemetry.ui.panels import _for_display


def test_missing_text_shows_blank_not_none():
    frame = pd.DataFrame({"error_message": [None, "boom", float("nan")], "status_code": [200, None, 500]})
    shown = _for_display(frame)
    assert shown["error_message"].tolist() == ["", "boom", ""]
    assert shown["status_code"].isna().tolist() == [False, True, False]  # numbers stay numbers


def test_every_column_gets_a_label_and_presets_set_the_order():
    config, order = columns.configure(["rows_last_day", "table", "status"],
                                      {"status": text("Status"), "table": text("Table")})
    assert order == ["status", "table", "rows_last_day"]
    assert config["rows_last_day"]["label"] == "Rows last day"
    assert config["status"]["label"] == "Status"


def test_hidden_preset_columns_are_not_shown():
    preset = {"app_name": text("App"), "sort_key": count("Sort").__class__("Sort", "int", hidden=True)}
    _, order = columns.configure(["app_name", "sort_key"], preset)
    assert order == ["app_name"]
