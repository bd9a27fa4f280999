"""Prompts and SQL, Genie message and Genie pipeline under AppTest, on hand-built tables: search,
filters, pagination and deep links change the values shown; hostile URL values are searched for
literally, dropped or refused with a message; two users (an admin and a viewer) see the same rows
but only the admin reads the prompts; a space owner reads only their own spaces' prompts."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from telemetry import runtime
from tests.e2e.browser import write_auth_file
from tests.genie.hand_tables import GenieDb, at, attachments

ROOT = Path(__file__).resolve().parents[2]
APP = str(ROOT / "streamlit_app.py")
PROMPTS, MESSAGE, PIPELINE = "pages/genie/prompts.py", "pages/genie/message.py", "pages/genie/pipeline.py"
SECRET = "What is the margin of ACME Corp?"
SQL = "select customer, sum(margin) as margin from main.sales.orders where customer = 'ACME' group by customer"


def _build(path: Path) -> None:
    db = GenieDb(path)
    db.space("s1", "Sales", "owner@corp.com")
    db.space("s2", "Finance", "someone@corp.com")
    for i in range(120):  # 120 routine prompts in Sales, 7 minutes apart, two days ago
        db.message(f"m{i:03d}", "s1", "ann@corp.com", f"routine question {i}", at(2, 8) + timedelta(minutes=7 * i))
    db.message("secret", "s2", "bob@corp.com", SECRET, at(1, 9), sql=SQL, statement_id="st-1",
               title="Margin of ACME", description="Sums the margin of ACME's orders", feedback="NEGATIVE",
               attachments=attachments(SQL, [("THOUGHT_TYPE_UNDERSTANDING", "You ask for ACME's margin.")],
                                       "ACME's margin is 12%.", ["And last year?"]))
    db.message("failed", "s2", "bob@corp.com", "Margin by region", at(1, 9, 3), status="FAILED",
               error_type="SQL_EXECUTION_EXCEPTION", error_message="column region not found")
    db.statement("st-1", "s2", "FINISHED", 1_234, 5_000, 1, at(1, 9, 0, 5))
    db.audit("createConversationMessage", "bob@corp.com", at(1, 9), {"space_id": "s2", "message_id": "secret"})
    db.audit("updateConversationMessageFeedback", "bob@corp.com", at(1, 9, 10),
             {"space_id": "s2", "message_id": "secret", "feedback_rating": "NEGATIVE"})
    db.queued("secret", "s2", "bob@corp.com", at(1, 9))
    db.queued("stuck", "s2", "bob@corp.com", at(1, 10), status="PENDING", attempts=2, last_attempt=at(1, 12))
    db.fetch_error("stuck", at(1, 12), 2, 403, "PERMISSION_DENIED", "no CAN VIEW on this space")
    db.job("j1", "ops-console-genie-ingest", at(40))
    db.run_slice("j1", "r1", at(1, 10, 15), at(1, 10, 18), "SUCCEEDED")
    db.close()


@pytest.fixture(scope="module")
def hand_db(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("genie_pages") / "genie.duckdb"
    _build(path)
    return path


@pytest.fixture()
def hand_env(hand_db, monkeypatch) -> Path:
    monkeypatch.setenv("TELEMETRY_EMBEDDED_PATH", str(hand_db))
    runtime.use(None)
    return hand_db


def as_user(monkeypatch, email: str, admin: bool) -> None:
    """The local identity (no login): `email`, an admin or not (TELEMETRY_ADMINS)."""
    monkeypatch.setenv("TELEMETRY_LOCAL_USER", email)
    monkeypatch.setenv("TELEMETRY_ADMINS", email if admin else "someone.else@corp.com")
    runtime.use(None)


def open_link(path: str, **query: str) -> AppTest:
    """A fresh link to `path` with a query string (AppTest drops URL parameters on a page switch)."""
    at_ = AppTest.from_file(str(ROOT / path), default_timeout=90)
    for key, value in query.items():
        at_.query_params[key] = value
    at_.run()
    assert not at_.exception, at_.exception
    return at_


def metric(at_: AppTest, label: str) -> int:
    return int(next(m.value for m in at_.metric if m.label == label).replace(",", ""))


def captions(at_: AppTest) -> list[str]:
    return [c.value for c in at_.caption]


def table(at_: AppTest):
    return at_.dataframe[0].value


def test_the_list_is_paged_with_the_total_and_the_pager_moves(hand_env):
    at_ = open_link(PROMPTS)
    assert metric(at_, "Prompts") == 122 and metric(at_, "Failed") == 1 and metric(at_, "Thumbs down") == 1
    assert "Showing 1–50 of 122 · page 1 of 3" in captions(at_)
    assert table(at_)["message_id"].iloc[0] == "failed"  # newest first
    at_.pagination[0].select(3).run()
    assert "Showing 101–122 of 122 · page 3 of 3" in captions(at_) and len(table(at_)) == 22
    assert table(at_)["message_id"].iloc[-1] == "m000" and at_.query_params["page"] == "3"


def test_changing_a_filter_starts_again_at_page_one(hand_env):
    at_ = open_link(PROMPTS, page="2")
    assert "Showing 51–100 of 122 · page 2 of 3" in captions(at_)
    at_.selectbox(key="feedback").set_value("NONE").run()
    assert "Showing 1–50 of 121 · page 1 of 3" in captions(at_) and "page" not in at_.query_params


def test_a_link_with_a_space_id_selects_that_space(hand_env):
    at_ = open_link(PROMPTS, space="s2")
    assert next(s for s in at_.selectbox if s.label == "Space").value == "s2" and metric(at_, "Prompts") == 2
    assert set(table(at_)["space_title"]) == {"Finance"}


@pytest.mark.parametrize("raw, shown", [("2", "Showing 51–100 of 122 · page 2 of 3"),
                                        ("9999", "Showing 101–122 of 122 · page 3 of 3"),
                                        ("-4", "Showing 1–50 of 122 · page 1 of 3"),
                                        ("two'; --", "Showing 1–50 of 122 · page 1 of 3")])
def test_the_page_in_the_url_is_used_or_clamped(hand_env, raw, shown):
    at_ = open_link(PROMPTS, page=raw)
    assert shown in captions(at_) and not at_.error


def test_search_filters_and_a_new_search_starts_at_page_one(hand_env):
    at_ = open_link(PROMPTS, page="3")
    at_.text_input(key="q").input("ACME").run()
    assert table(at_)["message_id"].tolist() == ["secret"] and metric(at_, "Prompts") == 1
    assert "Showing 1–1 of 1 · page 1 of 1" in captions(at_)
    assert table(at_)["content"].iloc[0] == SECRET


@pytest.mark.parametrize("hostile", ["x' OR '1'='1", "'; DROP TABLE main.ops_console.genie_message_details; --",
                                     "<script>alert(1)</script>", "%", "q" * 10_240])
def test_a_hostile_search_in_the_url_is_searched_for_literally(hand_env, hostile):
    at_ = open_link(PROMPTS, q=hostile)
    assert not at_.error and metric(at_, "Prompts") == 0
    assert any("No prompts match" in i.value for i in at_.info)
    assert metric(open_link(PROMPTS), "Prompts") == 122  # nothing was changed


def test_an_overlong_search_is_refused_with_a_message(hand_env):
    at_ = open_link(PROMPTS, q="q" * 20_000)
    assert any("at most 16,384" in w.value for w in at_.warning) and metric(at_, "Prompts") == 122


def test_filters_from_the_url_and_unknown_values_dropped(hand_env):
    at_ = open_link(PROMPTS, status="FAILED", space="s2")
    assert table(at_)["message_id"].tolist() == ["failed"]
    at_ = open_link(PROMPTS, status="NOT_A_STATUS", space="x' OR 1=1")
    assert metric(at_, "Prompts") == 122 and at_.selectbox(key="status").value == ""
    assert metric(open_link(PROMPTS, user="x' OR '1'='1"), "Prompts") == 0  # a literal e-mail: nobody
    long_user = open_link(PROMPTS, user="u" * 1000)
    assert any("at most 320" in w.value for w in long_user.warning) and metric(long_user, "Prompts") == 122
    at_ = open_link(PROMPTS)
    at_.selectbox(key="feedback").set_value("NEGATIVE").run()
    assert table(at_)["message_id"].tolist() == ["secret"]
    at_.selectbox(key="feedback").set_value("").run()
    at_.text_input(key="user").input("Bob@Corp.com").run()
    assert set(table(at_)["message_id"]) == {"secret", "failed"}


def test_problem_prompts_view_says_the_rule_and_lists_them(hand_env):
    at_ = open_link(PROMPTS, view="Problem prompts")
    rows = table(at_).set_index("message_id")["problem"].to_dict()
    assert rows == {"failed": "failed, rephrased", "secret": "thumbs down"}
    assert any("within 5 minutes" in c for c in captions(at_))


def test_each_row_links_to_its_message(hand_env):
    at_ = open_link(PROMPTS, q="ACME")
    assert table(at_)["open"].tolist() == ["genie-message?message=secret"]


def test_the_message_deep_link_shows_prompt_thoughts_sql_outcome_and_feedback(hand_env):
    at_ = open_link(MESSAGE, message="secret")
    html = " ".join(h.proto.body for h in at_.html)
    assert SECRET in html and "You ask for ACME&#x27;s margin." in html and "And last year?" in html
    code = at_.code[0]
    assert code.language == "sql" and code.value.startswith("SELECT\n  customer,")  # pretty-printed
    assert "FINISHED" in html and "1.2 s" in html and "5,000" in html
    events = at_.dataframe[0].value
    assert events["action_name"].tolist() == ["createConversationMessage", "updateConversationMessageFeedback"]
    assert 'href="genie-space?space=s2"' in html and 'href="genie-prompts?space=s2"' in html


@pytest.mark.parametrize("hostile, says", [("<script>alert(1)</script>", "is not a Genie message id"),
                                           ("x' OR '1'='1", "is not a Genie message id"),
                                           ("nosuchmessage", "No Genie message with id"),
                                           ("stuck", "queued but not fetched yet")])
def test_an_unknown_or_hostile_message_is_a_clear_message(hand_env, hostile, says):
    at_ = open_link(MESSAGE, message=hostile)
    assert any(says in w.value for w in at_.warning), [w.value for w in at_.warning]
    assert not at_.code and not at_.error


def test_a_viewer_sees_counts_and_statuses_but_no_prompt(hand_env, monkeypatch):
    as_user(monkeypatch, "viewer@corp.com", admin=False)
    at_ = open_link(PROMPTS)
    assert metric(at_, "Prompts") == 122 and metric(at_, "Failed") == 1  # counts as for the admin
    shown = table(at_)
    assert SECRET not in shown.to_string() and (shown["content"] == privacy_note()).all()
    assert set(shown["status"]) == {"COMPLETED", "FAILED"}
    assert any("122 of these prompts are hidden" in c for c in captions(at_))
    at_.text_input(key="q").input("ACME").run()
    assert metric(at_, "Prompts") == 0  # search looks only at what the viewer may read
    message = open_link(MESSAGE, message="secret")
    body = " ".join(h.proto.body for h in message.html) + " ".join(c.value for c in message.caption)
    assert SECRET not in body and "ACME" not in body and not message.code
    assert "hidden: only admins and the space's owner can read prompts" in body and "FINISHED" in body


def test_a_space_owner_reads_only_their_own_spaces_prompts(hand_env, monkeypatch):
    as_user(monkeypatch, "Someone@corp.com", admin=False)  # created Finance (s2), not Sales
    shown = table(open_link(PROMPTS)).set_index("message_id")
    assert shown.loc["secret", "content"] == SECRET and shown.loc["m119", "content"] == privacy_note()
    assert open_link(MESSAGE, message="secret").code[0].value.startswith("SELECT")
    assert not open_link(MESSAGE, message="m000").code


def test_signed_in_admin_and_viewer_through_the_login(hand_env, tmp_path, monkeypatch):
    """The real gate: alice (admin) and bob (viewer) sign in with a password and open the list."""
    users = {"alice": ("admin@corp.com", "alice's long password"), "bob": ("bob.viewer@corp.com", "bob's password")}
    monkeypatch.setenv("TELEMETRY_AUTH_FILE", str(write_auth_file(tmp_path / "auth.yaml", users)))
    monkeypatch.setenv("TELEMETRY_ADMINS", "admin@corp.com")
    runtime.use(None)
    seen = {}
    for name, (_, password) in users.items():
        at_ = AppTest.from_file(APP, default_timeout=90)
        at_.run()
        fields = {w.label: w for w in at_.text_input}
        fields["Username"].input(name)
        fields["Password"].input(password)
        at_.button(key="FormSubmitter:Login-Login").click().run()
        at_.switch_page(PROMPTS).run()
        assert not at_.exception, at_.exception
        seen[name] = table(at_).set_index("message_id")
    assert seen["alice"].loc["secret", "content"] == SECRET
    assert seen["bob"].loc["secret", "content"] == privacy_note() and len(seen["bob"]) == len(seen["alice"])


def test_the_pipeline_page_shows_the_funnel_runs_errors_and_stuck_messages(hand_env):
    at_ = open_link(PIPELINE)
    assert not at_.error
    assert metric(at_, "Queued") == 2 and metric(at_, "Ingested") == 122
    stuck = next(d.value for d in at_.dataframe if "error_code" in d.value and "state" in d.value)
    assert stuck["message_id"].tolist() == ["stuck"] and stuck["state"].tolist() == ["retrying"]
    jobs = at_.dataframe[0].value
    assert jobs["job_name"].tolist() == ["ops-console-genie-ingest"] and jobs["last_state"].tolist() == ["SUCCEEDED"]
    hourly = open_link(PIPELINE, every="Hourly")
    assert hourly.segmented_control(key="every").value == "Hourly" and not hourly.error


def privacy_note() -> str:
    return "hidden: only admins and the space's owner can read prompts"
