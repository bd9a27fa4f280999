"""The gate under AppTest: before sign-in only the login form exists; a password signs in, a wrong one
is refused, logout signs out; an auth file without a real cookie key stops start-up; a privileged page
re-checks the role; an engine that cannot be built is one message, never a traceback.

(The real server, URLs and headers: tests/e2e/test_gate_browser.py.)
"""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from telemetry import registry, runtime
from tests.e2e.browser import write_auth_file

ROOT = Path(__file__).resolve().parents[2]
APP = str(ROOT / "streamlit_app.py")
ADMIN, VIEWER = ("alice", "admin@example.com", "alice's long password"), ("bob", "bob@example.com", "bob's password")


def _use_environment(monkeypatch, **env: str) -> None:
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    runtime.use(None)


@pytest.fixture()
def auth_env(demo_env, tmp_path, monkeypatch) -> Path:
    """A self-hosted console with a login: alice is an admin (TELEMETRY_ADMINS), bob a viewer."""
    users = {name: (email, password) for name, email, password in (ADMIN, VIEWER)}
    path = write_auth_file(tmp_path / "auth.yaml", users)
    _use_environment(monkeypatch, TELEMETRY_AUTH_FILE=str(path), TELEMETRY_ADMINS=ADMIN[1])
    return path


def _app() -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    at.run()
    assert not at.exception, at.exception
    return at


def _sign_in(at: AppTest, username: str, password: str) -> AppTest:
    """Fill the login form and submit it (one rerun)."""
    fields = {w.label: w for w in at.text_input}
    fields["Username"].input(username)
    fields["Password"].input(password)
    at.button(key="FormSubmitter:Login-Login").click().run()
    assert not at.exception, at.exception
    return at


def assert_only_the_login_form(at: AppTest) -> None:
    """The login form, and nothing of any page: no metric, table, chart, menu user or page title."""
    assert not at.exception, at.exception
    assert [t.value for t in at.title] == ["Sign in"]
    assert [w.label for w in at.text_input] == ["Username", "Password"]
    assert not at.metric and not at.dataframe and not at.get("vega_lite_chart")
    assert not at.sidebar.caption, [c.value for c in at.sidebar.caption]  # nobody is shown as signed in
    assert "login_email" not in at.session_state


def test_before_sign_in_only_the_login_form_is_shown(auth_env):
    assert_only_the_login_form(_app())


@pytest.mark.parametrize("spec", registry.PAGES, ids=[p.url_path for p in registry.PAGES])
def test_before_sign_in_no_registry_page_is_routable(auth_env, spec):
    """The anonymous navigation holds only the login form (one entry per registry URL): no page file
    is registered, so no page can be switched to, whatever its URL or view."""
    at = _app()
    with pytest.raises(ValueError, match="Could not find a navigation page"):
        at.switch_page(spec.path)


@pytest.mark.parametrize("spec", registry.PAGES, ids=[p.url_path for p in registry.PAGES])
def test_every_page_shows_only_the_login_form_once_signed_out(auth_env, spec):
    """On a page's own URL an anonymous session gets the login form: the session is signed in,
    moved to the page (with what it needs, e.g. ?app=), then its identity is dropped (what a logout
    or an expired session leaves), and the next run must show nothing of the page. (A page's views
    are its widget state: the page never runs, so one URL per page covers them.)"""
    at = _sign_in(_app(), ADMIN[0], ADMIN[2])
    at.switch_page(spec.path)
    for key in spec.needs:
        at.query_params[key] = "some-app"
    at.run()
    assert at.title[0].value.startswith(spec.title.split()[0]), [t.value for t in at.title]
    for key in ("login_email", "authentication_status"):
        del at.session_state[key]
    at.run()
    assert_only_the_login_form(at)


def test_a_correct_password_signs_in_and_the_pages_appear(auth_env):
    at = _sign_in(_app(), ADMIN[0], ADMIN[2])
    assert at.session_state["login_email"] == ADMIN[1]
    assert at.title[0].value == "Overview" and at.metric[0].label == "Sources healthy"
    assert any(f"{ADMIN[1]} · admin" in c.value for c in at.sidebar.caption)
    at.switch_page("pages/admin/health.py").run()  # registered now: the admin's menu
    assert not at.exception and at.title[0].value == "Data health" and not at.error


def test_a_viewer_signs_in_without_the_admin_page(auth_env):
    at = _sign_in(_app(), VIEWER[0], VIEWER[2])
    assert any(f"{VIEWER[1]} · viewer" in c.value for c in at.sidebar.caption)
    with pytest.raises(ValueError):
        at.switch_page("pages/admin/health.py")


@pytest.mark.parametrize("username, password", [(ADMIN[0], "wrong password"), ("mallory", ADMIN[2])])
def test_a_wrong_password_or_user_is_refused(auth_env, username, password):
    at = _sign_in(_app(), username, password)
    assert any("incorrect" in e.value for e in at.error), [e.value for e in at.error]
    assert "login_email" not in at.session_state
    assert [w.label for w in at.text_input] == ["Username", "Password"] and not at.metric


def test_logout_signs_out_and_signing_in_again_returns_to_the_page(auth_env):
    at = _sign_in(_app(), ADMIN[0], ADMIN[2])
    at.switch_page("pages/apps/usage.py").run()
    at.sidebar.button(key="Logout").click().run()
    assert "login_email" not in at.session_state and not at.session_state["authentication_status"]
    at.run()  # the next run (in a browser the cookie component triggers it at once)
    assert_only_the_login_form(at)
    _sign_in(at, ADMIN[0], ADMIN[2])
    assert at.title[0].value == "App usage"  # the URL survived the sign-in


@pytest.mark.parametrize("cookie", [None, "", "too-short-0123456789"], ids=["no-cookie-section", "empty", "short"])
def test_an_auth_file_without_a_real_cookie_key_refuses_to_start(demo_env, tmp_path, monkeypatch, cookie):
    path = write_auth_file(tmp_path / "auth.yaml", {ADMIN[0]: ADMIN[1:]}, cookie_key=cookie or "")
    if cookie is None:
        import yaml

        cfg = yaml.safe_load(path.read_text())
        del cfg["cookie"]
        path.write_text(yaml.safe_dump(cfg))
    _use_environment(monkeypatch, TELEMETRY_AUTH_FILE=str(path))
    at = AppTest.from_file(APP, default_timeout=30).run()
    assert not at.exception, at.exception
    message = " ".join(e.value for e in at.error)
    assert "TELEMETRY_AUTH_FILE" in message and "cookie: key:" in message and "32 characters" in message, message
    assert "secrets.token_urlsafe" in message, message  # how to make one
    assert not at.text_input and not at.metric  # no login form, no page


@pytest.mark.parametrize("who", ["viewer", "anonymous"])
def test_the_admin_page_file_run_directly_shows_the_lock(demo_env, tmp_path, monkeypatch, who):
    """AppTest.from_file on the page file bypasses the menu and the frame: the page re-checks."""
    if who == "viewer":
        _use_environment(monkeypatch, TELEMETRY_ADMINS="someone.else@example.com")
    else:
        path = write_auth_file(tmp_path / "auth.yaml", {ADMIN[0]: ADMIN[1:]})
        _use_environment(monkeypatch, TELEMETRY_AUTH_FILE=str(path), TELEMETRY_ADMINS=ADMIN[1])
    at = AppTest.from_file(str(ROOT / "pages/admin/health.py"), default_timeout=30).run()
    assert not at.exception, at.exception
    assert len(at.error) == 1 and "Data health is for admins" in at.error[0].value, [e.value for e in at.error]
    assert at.error[0].icon == ":material/lock:"
    assert not at.dataframe and not at.metric and not at.caption  # no sources, no configuration


# --- No engine: one clear message, no traceback ----------------------------------------------------

NO_ENGINE = {
    "warehouse-without-credentials": ({}, ("DATABRICKS_HOST", "credentials")),
    "user-token-not-forwarded": ({"TELEMETRY_USE_USER_TOKEN": "true", "DATABRICKS_HOST": "https://x.cloud.databricks.com",
                                  "DATABRICKS_TOKEN": "dapi-app-token"}, ("user authorization", "`sql` scope")),
}


@pytest.mark.parametrize("page", ["pages/home/overview.py", "pages/admin/health.py"])
@pytest.mark.parametrize("case", NO_ENGINE, ids=list(NO_ENGINE))
def test_an_engine_that_cannot_be_built_is_one_message(monkeypatch, page, case):
    env, says = NO_ENGINE[case]
    # A warehouse id and nothing to reach it with (the conftest removed every DATABRICKS_ variable);
    # the local developer is listed as admin so that Data health opens.
    _use_environment(monkeypatch, TELEMETRY_ENGINE="warehouse", DATABRICKS_WAREHOUSE_ID="abc",
                     TELEMETRY_ADMINS="local.developer@example.com", **env)
    at = _app()
    if page != "pages/home/overview.py":
        at.switch_page(page).run()
    assert not at.exception, at.exception
    errors = [e.value for e in at.error]
    assert len(errors) == 1, errors  # the banner, not one message per source or panel
    assert "cannot reach its data" in errors[0] and all(s in errors[0] for s in says), errors[0]
    assert "Traceback" not in errors[0] and "dapi-app-token" not in errors[0]
    if page == "pages/home/overview.py":
        assert not at.metric  # no tiles of made-up zeros
    else:
        assert len(at.dataframe) == 1  # the configuration table; the sources table is not drawn


# --- What a viewer sees of an uncaught exception ------------------------------------------------

def _raises():
    raise RuntimeError("SELECT secret_column FROM main.hr.salaries")


def test_a_viewer_never_sees_an_exceptions_details(monkeypatch):
    """.streamlit/config.toml sets client.showErrorDetails = "none" (a valid 1.67 value), and
    Streamlit, reading that file, shows an uncaught exception without type, message or trace."""
    import tomllib

    from streamlit import config

    value = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text())["client"]["showErrorDetails"]
    assert value == "none" and value in {option.value for option in config.ShowErrorDetailsConfigOptions}
    monkeypatch.chdir(ROOT)  # Streamlit reads ./.streamlit/config.toml
    config.get_config_options(force_reparse=True)
    try:
        at = AppTest.from_function(_raises, default_timeout=30).run()
    finally:
        monkeypatch.undo()
        config.get_config_options(force_reparse=True)
    shown = at.exception[0]
    assert "error" in shown.message and "secret_column" not in shown.message, shown.message
    assert not shown.stack_trace and "RuntimeError" not in str(shown.value), shown
