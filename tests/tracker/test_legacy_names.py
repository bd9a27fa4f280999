"""Tables written by the original tracking helpers read as one history: their action names and their
'<kind>_error: <message>' errors come out in the library's vocabulary on every tracker page query."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import duckdb
import pytest

from telemetry import queries, runtime
from telemetry.engine.embedded import EmbeddedEngine
from telemetry.tracker.analytics import filters

LEGACY = ["generate_question", "sql_query", "execute_sql", "edit_sql", "download_results", "generate_chart",
          "generate_summary", "view_random_questions", "select_columns", "app_start", "app_error",
          "sql_error: Test SQL error message", "llm_error: model timed out: retry", "my_custom_action"]
EXPECTED = {"question_asked", "sql_generated", "sql_executed", "sql_edited", "results_downloaded", "chart_generated",
            "summary_generated", "suggested_question_clicked", "columns_selected", "app_start", "error:app_error",
            "error:sql_error", "error:llm_error", "my_custom_action"}


@pytest.fixture()
def engine(tmp_path, monkeypatch):
    path = tmp_path / "legacy.duckdb"
    con = duckdb.connect(str(path))
    con.execute("CREATE SCHEMA main__ops_console")
    con.execute('CREATE TABLE main__ops_console.app_events ("timestamp" TIMESTAMP, app_name VARCHAR, '
                '"user" VARCHAR, action VARCHAR)')
    now = datetime.now(UTC).replace(tzinfo=None) - timedelta(hours=1)
    con.executemany("INSERT INTO main__ops_console.app_events VALUES (?, 'old-app', 'ann@corp.com', ?)",
                    [(now + timedelta(seconds=i), a) for i, a in enumerate(LEGACY)])
    con.close()
    monkeypatch.setenv("TELEMETRY_EMBEDDED_PATH", str(path))
    runtime.use(None)
    engine = EmbeddedEngine(path)
    yield engine
    engine.close()


def test_legacy_action_names_read_as_the_vocabulary(engine):
    options = queries.run("tracker/options", engine=engine).frame
    assert set(options.loc[options["kind"] == "action", "value"]) == EXPECTED
    today = datetime.now(UTC).date()
    f = filters.TrackerFilters(today - timedelta(days=6), today)
    request = filters.request("popular_actions", f, runtime.settings())
    popular = queries.run(request.name, engine=engine, **request.params).frame
    assert set(popular["action"]) == EXPECTED
    actions = queries.run("app_usage/app_actions", engine=engine, app_name="old-app", start_date=f.start,
                          end_date=f.end, exclude_service_principals=True, exclude_regex="").frame
    assert set(actions["action"]) == EXPECTED
