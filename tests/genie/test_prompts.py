"""Prompts and SQL: the list's queries on hand-built tables (paging, search, filters, problem prompts,
outcomes) and the area's rules (page numbers, search text, window, rows, options)."""

from __future__ import annotations

from datetime import timedelta

import pandas as pd
import pytest

from telemetry.config import load_settings
from telemetry.genie import privacy, prompts
from telemetry.genie.filters import GenieFilters
from telemetry.identity import User
from tests.genie.hand_tables import START, GenieDb, at, params_for

PAGE, SUMMARY = "genie/prompts_page", "genie/prompts_summary"


@pytest.fixture()
def db(tmp_path):
    database = GenieDb(tmp_path / "genie.duckdb")
    database.space("s1", "Sales", "owner@corp.com")
    database.space("s2", "Finance", "other@corp.com")
    yield database
    database.close()


def page(db: GenieDb, **overrides) -> pd.DataFrame:
    return db.run(PAGE, **params_for(PAGE, **overrides))


def many(db: GenieDb, n: int) -> None:
    """n prompts, one a minute apart on one day (newest: m{n-1:03d})."""
    for i in range(n):
        db.message(f"m{i:03d}", "s1", "ann@corp.com", f"question {i}", at(2, 8) + timedelta(minutes=i * 7))


def test_pages_are_50_rows_newest_first_with_the_total(db):
    many(db, 120)
    first = page(db)
    assert len(first) == 50 and first["total_rows"].unique().tolist() == [120]
    assert first["message_id"].iloc[0] == "m119" and first["row_position"].tolist() == list(range(1, 51))
    third = page(db, page=3)
    assert third["row_position"].tolist() == list(range(101, 121)) and third["message_id"].iloc[-1] == "m000"
    w = prompts.window(third)
    assert (w.page, w.pages, w.total, w.first, w.last) == (3, 3, 120, 101, 120)
    assert w.text == "Showing 101–120 of 120 · page 3 of 3"


@pytest.mark.parametrize("asked, returned", [(99, 3), (0, 1), (-7, 1)])
def test_a_page_outside_the_list_is_clamped_in_sql(db, asked, returned):
    many(db, 120)
    result = page(db, page=asked)
    assert result["page"].unique().tolist() == [returned] and len(result) == (20 if returned == 3 else 50)


def test_ties_on_time_are_ordered_by_message_id(db):
    for mid in ("b", "c", "a"):
        db.message(mid, "s1", "ann@corp.com", "same time", at(1))
    assert page(db)["message_id"].tolist() == ["a", "b", "c"]


@pytest.mark.parametrize("raw, expected", [("3", 3), (" 7 ", 7), ("abc", 1), ("-2", 1), ("0", 1), ("2.5", 1),
                                           (None, 1), ("9" * 30, prompts.MAX_PAGE)])
def test_page_numbers_from_the_url(raw, expected):
    assert prompts.page_number(raw) == expected


def test_search_is_literal_and_case_insensitive_over_prompt_description_title_and_sql(db):
    db.message("p1", "s1", "ann@corp.com", "Revenue with 50% off_sale", at(1))
    db.message("p2", "s1", "ann@corp.com", "Plain question", at(1, 11), description="Shows REVENUE per region")
    db.message("p3", "s1", "ann@corp.com", "Other", at(1, 12), sql="SELECT region FROM main.sales.revenue")
    db.message("p4", "s1", "ann@corp.com", "Unrelated", at(1, 13), title="Top customers")
    assert set(page(db, search="revenue")["message_id"]) == {"p1", "p2", "p3"}
    assert page(db, search="%")["message_id"].tolist() == ["p1"]  # not a LIKE wildcard
    assert page(db, search="off_sale")["message_id"].tolist() == ["p1"]
    assert page(db, search="TOP CUSTOMERS")["message_id"].tolist() == ["p4"]


@pytest.mark.parametrize("hostile", ["x' OR '1'='1", "'; DROP TABLE main.ops_console.genie_message_details; --",
                                     "\\' OR 1=1 --", "a" * 10_240])
def test_a_hostile_search_is_searched_for_literally(db, hostile):
    db.message("p1", "s1", "ann@corp.com", "What were sales?", at(1))
    assert page(db, search=hostile).empty
    assert page(db)["message_id"].tolist() == ["p1"]  # the table is intact


def test_user_text_refuses_what_cannot_be_an_email():
    assert prompts.user_text(" Ann@Corp.com ") == ("Ann@Corp.com", "")
    assert prompts.user_text("a" * 400)[0] == "" and "at most 320" in prompts.user_text("a" * 400)[1]


def test_search_text_refuses_more_than_the_limit():
    assert prompts.search_text("  revenue ") == ("revenue", "")
    assert prompts.search_text("x" * 10_240) == ("x" * 10_240, "")
    text, why = prompts.search_text("x" * (prompts.MAX_SEARCH_CHARS + 1))
    assert text == "" and "at most 16,384" in why


def test_filters_status_user_space_and_feedback(db):
    db.message("ok", "s1", "ann@corp.com", "a", at(1), feedback="POSITIVE")
    db.message("bad", "s1", "bob@corp.com", "b", at(1, 11), status="FAILED", error_type="SQL_EXECUTION_EXCEPTION")
    db.message("fin", "s2", "ann@corp.com", "c", at(1, 12), feedback="NEGATIVE")
    db.message("old", "s1", "ann@corp.com", "d", at(45))  # before the period
    assert page(db, status="FAILED")["message_id"].tolist() == ["bad"]
    assert page(db, user_email="bob@corp.com")["message_id"].tolist() == ["bad"]
    assert page(db, user_email="BOB@corp.COM")["message_id"].tolist() == ["bad"]  # any case
    assert page(db, user_email="bob' OR '1'='1").empty
    assert page(db, space_id="s2")["message_id"].tolist() == ["fin"]
    assert page(db, feedback="NONE")["message_id"].tolist() == ["bad"]
    assert page(db, feedback="NEGATIVE")["space_title"].tolist() == ["Finance"]
    assert set(page(db)["message_id"]) == {"ok", "bad", "fin"}


def test_problem_prompts_failed_thumbs_down_and_rephrased_within_five_minutes(db):
    t = at(3, 9)
    db.message("fail", "s1", "ann@corp.com", "q1", t, status="FAILED")
    db.message("retry", "s1", "ann@corp.com", "q1 again", t + timedelta(minutes=4))  # rephrased after a failure
    db.message("late", "s1", "ann@corp.com", "q2", t + timedelta(minutes=10))  # 6 min after retry: fine
    db.message("neg", "s1", "bob@corp.com", "q3", t, feedback="NEGATIVE")
    db.message("other_space", "s2", "bob@corp.com", "q4", t + timedelta(minutes=1))  # another space: fine
    db.message("slow", "s1", "bob@corp.com", "q5", t + timedelta(minutes=5, seconds=1))  # just over 5 min
    db.message("both", "s1", "cat@corp.com", "q6", t, status="FAILED", feedback="NEGATIVE")
    problems = page(db, problems_only=True).set_index("message_id")["problem"].to_dict()
    assert problems == {"fail": "failed", "retry": "rephrased", "neg": "thumbs down",
                        "both": "failed, thumbs down"}
    summary = db.run(SUMMARY, **params_for(SUMMARY)).iloc[0]
    assert summary[["prompts", "failed", "thumbs_down", "rephrased"]].tolist() == [7, 2, 2, 1]


def test_the_outcome_comes_from_query_history(db):
    db.message("m1", "s1", "ann@corp.com", "q", at(1), sql="SELECT 1", statement_id="st-1")
    db.message("m2", "s1", "ann@corp.com", "q", at(1, 11))  # no SQL: no outcome
    db.statement("st-1", "s1", "FINISHED", 2_500, 1_000, 42, at(1, 0, 0, 2))
    rows = page(db).set_index("message_id")
    assert rows.loc["m1", ["execution_status", "total_duration_ms", "read_rows", "produced_rows"]].tolist() == [
        "FINISHED", 2_500, 1_000, 42]
    assert pd.isna(rows.loc["m2", "execution_status"])
    shown = prompts.rows(page(db), privacy.content_scope(_admin(), load_settings({}))).set_index("message_id")
    assert shown.loc["m1", "duration_s"] == 2.5 and shown.loc["m1", "open"] == "genie-message?message=m1"


def test_an_empty_result_is_an_empty_window():
    w = prompts.window(pd.DataFrame(columns=["total_rows", "page", "row_position"]))
    assert (w.total, w.page, w.pages) == (0, 1, 1) and w.text == "No prompts match."


def test_options_label_repeated_titles_with_the_space_id():
    frame = pd.DataFrame({"kind": ["space", "space", "space", "status"],
                          "value": ["abcdef1", "123456x", "s3", "FAILED"],
                          "label": ["Ask Finance", "Ask Finance", "Sales", "FAILED"]})
    opts = prompts.options(frame)
    assert opts.spaces == {"abcdef1": "Ask Finance (abcdef)", "123456x": "Ask Finance (123456)", "s3": "Sales"}
    assert opts.statuses == ["FAILED"]
    assert prompts.options(pd.DataFrame(columns=["kind", "value", "label"])).spaces == {}


def test_requests_carry_the_space_the_privacy_scope_and_the_page():
    settings = load_settings({})
    scope = privacy.content_scope(User("Owner@Corp.com", "o", "login", False), settings)
    f = GenieFilters(START, START + timedelta(days=29))
    reqs = prompts.requests(f, prompts.PromptFilters(search="x", space_id="s1", page=4), scope, settings)
    params = reqs["prompts_page"].params
    assert (params["space_id"], params["search"], params["page"]) == ("s1", "x", 4)
    assert (params["content_scope"], params["viewer_email"]) == ("own", "owner@corp.com")
    assert reqs["prompts_summary"].params["content_scope"] == "own" and "page" not in reqs["prompts_summary"].params


def _admin() -> User:
    return User("admin@corp.com", "Admin", "local", True)


# --- the message page's rules (telemetry.genie.message) ---------------------------------------------

def test_attachments_give_thoughts_answers_suggestions_and_parameters():
    from telemetry.genie import message
    from tests.genie.hand_tables import attachments

    parsed = message.parse_attachments(attachments("SELECT 1", [("THOUGHT_TYPE_STEPS", "1. group"),
                                                                ("THOUGHT_TYPE_NEW_KIND", "new")],
                                                   "It is 12%.", ["And last year?"]))
    assert parsed.thoughts == [("Steps", "1. group"), ("New_Kind", "new")]
    assert parsed.answers == ["It is 12%."] and parsed.suggested == ["And last year?"]
    assert parsed.parameters == [("top_n", "INT", "10")]


ODD_ATTACHMENTS = [None, "", "not json", "[1, 2]", '{"query": 3}', '[{"query": {"thoughts": "x"}}]',
                   '[{"text": {"content": 5}}, {"suggested_questions": "q"}]', "{" * 5000,
                   "[" * 100_000 + "]" * 100_000]


@pytest.mark.parametrize("raw", ODD_ATTACHMENTS, ids=range(len(ODD_ATTACHMENTS)))
def test_odd_attachments_never_raise(raw):
    from telemetry.genie import message

    parsed = message.parse_attachments(raw)
    assert parsed.thoughts == [] and parsed.answers == []


def test_sql_is_pretty_printed_only_when_every_token_is_kept():
    from telemetry.genie.message import pretty_sql

    assert pretty_sql("select a, sum(b) as s from t group by a") == "SELECT\n  a,\n  SUM(b) AS s\nFROM t\nGROUP BY\n  a"
    rewritten = "select a from t where d >= date_sub(current_date(), 7)"  # sqlglot would write DATE_ADD(…, 7 * -1)
    assert pretty_sql(rewritten) == rewritten
    assert pretty_sql("not sql (((") == "not sql (((" and pretty_sql(None) == ""


@pytest.mark.parametrize("raw, ok", [("0123456789abcdef0123456789abcdef", True), ("msg_1-2", True), ("", False),
                                     ("<script>", False), ("x' OR '1'='1", False), ("a" * 65, False)])
def test_message_ids_are_checked_before_any_query(raw, ok):
    from telemetry.genie.message import message_id

    mid, why = message_id(raw)
    assert bool(mid) == ok and (bool(why) == (not ok and bool(raw)))


def test_a_queued_message_says_why_it_is_not_fetched():
    from telemetry.genie.message import not_found

    queue = pd.DataFrame([{"status": "PENDING", "attempts": 2, "last_error_code": "PERMISSION_DENIED",
                           "last_http_status": 403, "last_error_message": "no CAN VIEW"}])
    assert "2 attempts; last error PERMISSION_DENIED (HTTP 403): no CAN VIEW" in not_found("m1", queue)
    bare = pd.DataFrame([{"status": None, "attempts": None, "last_error_code": None, "last_http_status": None,
                          "last_error_message": None}])
    assert "status PENDING, 0 attempts)" in not_found("m1", bare)
    assert "No Genie message with id 'm1'" in not_found("m1", bare.iloc[0:0])
