"""The tracker's shared vocabulary: action and error names the analyses know (apps may add their own)."""

from __future__ import annotations


class Actions:
    APP_START = "app_start"
    QUESTION_ASKED = "question_asked"
    SQL_GENERATED = "sql_generated"
    SQL_EXECUTED = "sql_executed"
    SQL_EDITED = "sql_edited"
    RESULTS_DOWNLOADED = "results_downloaded"
    CHART_GENERATED = "chart_generated"
    SUMMARY_GENERATED = "summary_generated"
    SUGGESTED_QUESTION_CLICKED = "suggested_question_clicked"
    COLUMNS_SELECTED = "columns_selected"
    PAGE_VIEW = "page_view"
    FILTER_CHANGED = "filter_changed"


class ErrorKinds:
    """`track_error(kind, …)` records the action `error:<kind>`, so error actions sort together."""

    DATABASE = "database_error"
    LLM = "llm_error"
    SQL = "sql_error"
    CHART = "chart_error"


ERROR_PREFIX = "error:"
