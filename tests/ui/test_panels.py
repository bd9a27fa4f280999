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


def test_missing_dates_and_times_show_blank_and_the_table_still_draws():
    """Regression: a DATE column with a gap made Arrow refuse the table; a timestamp gap showed 'None'."""
    from datetime import date, datetime

    import pyarrow as pa

    frame = pd.DataFrame({"day": [date(2026, 11, 30), None],
                          "at": pd.to_datetime([None, "2026-11-30 08:15:00"]), "n": [1, 2]})
    shown, _, _ = columns.prepare(frame, {})
    assert shown["day"].tolist() == ["2026-11-30", ""]
    assert shown["at"].tolist() == ["", "2026-11-30 08:15"]
    pa.Table.from_pandas(shown)  # what st.dataframe does: raises on mixed date/str objects
    complete = pd.DataFrame({"at": [datetime(2026, 11, 30, 8, 15)]})
    assert pd.api.types.is_datetime64_any_dtype(columns.prepare(complete, {})[0]["at"])  # no gap: untouched


def test_a_rise_in_failures_is_red_and_a_rounded_zero_is_grey():
    from streamlit.testing.v1 import AppTest

    def script():
        from telemetry.metrics.kpi import Kpi
        from telemetry.ui import kpi_row

        kpi_row([Kpi("Failure rate", 0.2, 0.1, "pct", higher_is_better=False), Kpi("Users", 100, 80),
                 Kpi("Messages", 1000, 1001)])

    at = AppTest.from_function(script).run()
    from streamlit.proto.Metric_pb2 import Metric

    failure, users, flat = at.metric
    assert [m.proto.color for m in (failure, users, flat)] == [Metric.RED, Metric.GREEN, Metric.GRAY]
    assert flat.proto.delta.startswith("±0%")
