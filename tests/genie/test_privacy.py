"""Privacy of prompts and SQL, checked where it is enforced: the scope decided from the user and the
settings, then the SQL itself returning NULL text (and searching nothing) for rows the viewer may not
read, on hand-built tables and on the demo through the real queries."""

from __future__ import annotations

import pandas as pd
import pytest

from telemetry import queries
from telemetry.config import load_settings
from telemetry.genie import privacy
from telemetry.identity import User
from tests.genie.hand_tables import GenieDb, at, attachments, params_for

ADMIN = User("admin@corp.com", "Admin", "login", True)
OWNER = User("Owner@Corp.com", "Owner", "login", False)  # created space s1 (stored lower-case)
VIEWER = User("viewer@corp.com", "Viewer", "login", False)
TEXT_COLUMNS = ("content", "query_description", "generated_sql")
MESSAGE_TEXT = ("conversation_title", "content", "error_message", "query_title", "query_description",
                "generated_sql", "text_response", "suggested_questions", "feedback_comment", "attachments",
                "statement_error")


def scope_of(user: User, roles: str | None = None) -> privacy.ContentScope:
    env = {} if roles is None else {"TELEMETRY_GENIE_CONTENT_ROLES": roles}
    return privacy.content_scope(user, load_settings(env))


def test_by_default_admins_read_everything_owners_their_spaces_and_viewers_nothing():
    assert scope_of(ADMIN).params() == {"content_scope": "all", "viewer_email": ""}
    assert scope_of(OWNER).params() == {"content_scope": "own", "viewer_email": "owner@corp.com"}
    assert scope_of(VIEWER).scope == "own"  # owns no space: reads nothing, decided by the SQL
    assert scope_of(ADMIN).hidden_note == "hidden: only admins and the space's owner can read prompts"


def test_the_content_roles_setting_decides():
    assert scope_of(VIEWER, "admin,space_owner,viewer").scope == "all"
    assert scope_of(OWNER, "admin").scope == "none" and scope_of(ADMIN, "admin").scope == "all"
    assert scope_of(ADMIN, "space_owner").params() == {"content_scope": "own", "viewer_email": "admin@corp.com"}
    assert scope_of(ADMIN, "admin").hidden_note == "hidden: only admins can read prompts"
    assert "nobody" in scope_of(ADMIN, "").hidden_note


@pytest.fixture()
def db(tmp_path):
    database = GenieDb(tmp_path / "genie.duckdb")
    database.space("s1", "Sales", "OWNER@corp.com")
    database.space("s2", "Finance", "someone@corp.com")
    database.message("mine", "s1", "ann@corp.com", "secret sales question", at(1), sql="SELECT 'sales'",
                     description="sales by region", statement_id="st1", title="Sales by region",
                     text_response="answer", suggested_questions=["more sales"], feedback_comment="great",
                     attachments=attachments("SELECT 1", [("THOUGHT_TYPE_STEPS", "think")], "a", ["q"]))
    database.message("theirs", "s2", "bob@corp.com", "secret finance question", at(1, 11), status="FAILED",
                     sql="SELECT 'finance'", description="finance totals", feedback="NEGATIVE",
                     error_type="SQL_EXECUTION_EXCEPTION", error_message="column secret_col not found")
    database.statement("st1", "s1", "FINISHED", 900, 10, 3, at(1))
    yield database
    database.close()


def prompt_page(db: GenieDb, scope: privacy.ContentScope, **overrides) -> pd.DataFrame:
    return db.run("genie/prompts_page", **params_for("genie/prompts_page", **scope.params(), **overrides))


def test_an_owner_reads_their_spaces_prompts_and_only_counts_and_statuses_of_the_others(db):
    rows = prompt_page(db, scope_of(OWNER)).set_index("message_id")
    assert rows.loc["mine", list(TEXT_COLUMNS)].tolist() == ["secret sales question", "sales by region",
                                                             "SELECT 'sales'"]
    assert rows.loc["theirs", list(TEXT_COLUMNS)].isna().all() and not rows.loc["theirs", "readable"]
    assert rows.loc["theirs", ["status", "error_type", "feedback_rating", "problem"]].tolist() == [
        "FAILED", "SQL_EXECUTION_EXCEPTION", "NEGATIVE", "failed, thumbs down"]
    assert rows.loc["mine", "execution_status"] == "FINISHED"


@pytest.mark.parametrize("user, roles", [(VIEWER, None), (OWNER, "admin")])
def test_a_viewer_without_rights_gets_no_text_at_all(db, user, roles):
    rows = prompt_page(db, scope_of(user, roles))
    assert len(rows) == 2 and rows[list(TEXT_COLUMNS)].isna().all().all() and not rows["readable"].any()
    assert set(rows["status"]) == {"COMPLETED", "FAILED"}  # statuses stay visible


def test_search_only_looks_at_what_the_viewer_may_read(db):
    assert prompt_page(db, scope_of(ADMIN), search="finance")["message_id"].tolist() == ["theirs"]
    assert prompt_page(db, scope_of(OWNER), search="finance").empty  # the text exists, but is not theirs
    assert prompt_page(db, scope_of(OWNER), search="secret")["message_id"].tolist() == ["mine"]
    assert prompt_page(db, scope_of(VIEWER), search="secret").empty
    summary = db.run("genie/prompts_summary", **params_for("genie/prompts_summary", **scope_of(OWNER).params()))
    assert summary[["prompts", "readable"]].iloc[0].tolist() == [2, 1]


def test_the_message_query_returns_no_text_to_a_viewer_who_may_not_read_it(db):
    def detail(mid: str, scope: privacy.ContentScope) -> dict:
        frame = db.run("genie/message_detail", **params_for("genie/message_detail", message_id=mid, **scope.params()))
        return frame.iloc[0].to_dict()

    full = detail("mine", scope_of(OWNER))
    assert full["readable"] and full["content"] == "secret sales question" and "think" in full["attachments"]
    assert list(full["suggested_questions"]) == ["more sales"] and full["feedback_comment"] == "great"
    for mid, user in (("theirs", OWNER), ("mine", VIEWER)):
        row = detail(mid, scope_of(user))
        leaked = [c for c in MESSAGE_TEXT if row[c] is not None and not (
            not isinstance(row[c], list | tuple) and pd.isna(row[c]))]
        assert not row["readable"] and leaked == [], leaked
        assert row["status"] in ("COMPLETED", "FAILED") and row["space_title"] in ("Sales", "Finance")


def test_on_the_demo_an_admin_reads_all_an_owner_their_spaces_and_a_viewer_none(demo_env):
    """Two users (and an owner) through the real queries on the demo database."""
    spaces = queries.run("genie/prompts_options").frame
    from telemetry import runtime
    from telemetry.engine.embedded import EmbeddedEngine

    engine = EmbeddedEngine(runtime.settings().embedded_path)
    try:
        creators = engine.run("SELECT space_id, lower(creator) AS creator FROM main.ops_console.genie_space_details",
                              {}, query="creators").frame
    finally:
        engine.close()
    assert not spaces.empty and not creators.empty
    busiest = _page_on_demo(scope_of(ADMIN), page_size=500)
    owner_email = creators.set_index("space_id").loc[busiest["space_id"].iloc[0], "creator"]
    owned = set(creators.loc[creators["creator"] == owner_email, "space_id"])
    owner = _page_on_demo(scope_of(User(owner_email, "o", "login", False)), page_size=500)
    viewer = _page_on_demo(scope_of(User("nobody@example.com", "n", "login", False)), page_size=500)
    assert busiest["readable"].all() and busiest["content"].notna().any()
    assert (owner["readable"] == owner["space_id"].isin(owned)).all()
    assert owner.loc[~owner["readable"], "content"].isna().all()
    assert owner.loc[owner["readable"], "content"].notna().any()
    assert not viewer["readable"].any() and viewer["content"].isna().all() and viewer["generated_sql"].isna().all()
    assert len(viewer) == len(busiest) == len(owner)  # everyone sees the same rows, counts and statuses
    assert viewer["status"].tolist() == busiest["status"].tolist()


def _page_on_demo(scope: privacy.ContentScope, **overrides) -> pd.DataFrame:
    from datetime import UTC, datetime, timedelta

    today = datetime.now(UTC).date()
    values = params_for("genie/prompts_page", start_date=today - timedelta(days=29), end_date=today,
                        **scope.params(), **overrides)
    return queries.run("genie/prompts_page", **values).frame
