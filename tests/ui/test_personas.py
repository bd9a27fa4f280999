"""Personas in the app (AppTest): each lands on its page with its menu, the sidebar names persona and
role, owners see their apps and spaces first, viewers are refused admin pages on the server side, and
two users on their own tokens never get each other's cached rows.

Identity headers are what the Databricks Apps proxy forwards; AppTest cannot send headers, so the
one function that reads them (`session.request_headers`) is pointed at each test's headers.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb
import pytest
from streamlit.testing.v1 import AppTest

from telemetry import queries, registry, runtime
from telemetry.engine.embedded import EmbeddedEngine
from telemetry.engine.simulated import SimulatedWarehouse
from telemetry.ui import session
from tests.fakes import scim_routes
from tests.fakes.server import FakeDatabricks

ROOT = Path(__file__).resolve().parents[2]
APP = str(ROOT / "streamlit_app.py")
TRUSTED = {"TELEMETRY_TRUST_PROXY_HEADERS": "true"}


def _use(monkeypatch, headers: dict[str, str] | None = None, **env: str) -> None:
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    if headers is not None:
        monkeypatch.setattr(session, "request_headers", lambda: headers)
    runtime.use(None)


def _app() -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    at.run()
    assert not at.exception, at.exception
    return at


def _captions(at: AppTest) -> list[str]:
    return [c.value for c in at.sidebar.caption]


@pytest.fixture(scope="module")
def owners(demo_db) -> dict[str, str]:
    """An app creator and a Genie space creator of the demo (e-mails)."""
    engine = EmbeddedEngine(demo_db)
    try:
        apps = queries.run("app_usage/owned_apps", engine=engine, user_email="").frame
        spaces = queries.run("genie/owned_spaces", engine=engine, user_email="").frame
        creator = queries.run("genie/space_info", engine=engine, space_id=spaces["space_id"].iloc[0]).frame
        space_owner = str(creator["creator"].iloc[0])
        theirs = queries.run("genie/owned_spaces", engine=engine, user_email=space_owner.lower()).frame
        return {"app": str(apps["creator"].iloc[0]), "space": space_owner, "spaces": ",".join(theirs["space_id"])}
    finally:
        engine.close()


def test_the_local_developer_is_a_clearly_labelled_local_admin(demo_env):
    at = _app()
    assert any("Local admin (embedded demo, no sign-in)" in c for c in _captions(at)), _captions(at)
    assert any("Platform admin" in c for c in _captions(at))
    assert at.title[0].value == "Overview" and not at.sidebar.toggle  # the platform admin sees every section


def test_nobody_mapped_keeps_every_viewer_section_and_the_overview(demo_env, monkeypatch):
    _use(monkeypatch, {"X-Forwarded-Email": "nobody.mapped@example.com"}, **TRUSTED)
    at = _app()
    assert at.title[0].value == "Overview" and not at.sidebar.toggle
    assert any("nobody.mapped@example.com · viewer" in c for c in _captions(at)), _captions(at)
    assert not any(":material/badge:" in c for c in _captions(at))  # no persona line
    at.switch_page("pages/traces/search.py").run()  # every viewer section is in the menu
    assert not at.exception and at.title[0].value.startswith("Trace")


def test_a_configured_genie_owner_lands_on_genie_spaces_and_may_still_open_other_pages(demo_env, monkeypatch):
    _use(monkeypatch, {"X-Forwarded-Email": "Gina@Example.com"}, TELEMETRY_PERSONA_GENIE_OWNER="gina@example.com",
         **TRUSTED)
    at = _app()
    assert at.title[0].value == "Genie spaces", [t.value for t in at.title]
    assert any("Genie space owner" in c for c in _captions(at)) and any("· viewer" in c for c in _captions(at))
    assert [t.label for t in at.sidebar.toggle] == ["Show all pages"]
    at.switch_page("pages/apps/usage.py").run()  # outside the persona's menu: routable all the same
    assert not at.exception and not at.error and at.title[0].value == "App usage"
    with pytest.raises(ValueError):  # never the admin pages
        at.switch_page("pages/admin/health.py")


def _table_keys(at: AppTest) -> set[str]:
    return {df.proto.id for df in at.dataframe}


def test_an_app_owner_from_the_inventory_lands_on_app_usage_with_their_apps_first(demo_env, monkeypatch, owners):
    _use(monkeypatch, {"X-Forwarded-Email": owners["app"]}, **TRUSTED)
    at = _app()
    assert at.title[0].value == "App usage", [t.value for t in at.title]
    assert any("App owner" in c for c in _captions(at)), _captions(at)
    assert not at.error, [e.value for e in at.error]
    yours = at.dataframe[0].value  # the first table of the page: "Your apps"
    assert not yours.empty and "creator" in yours.columns, yours.columns
    assert yours["details"].str.startswith("app-detail?app=").all()


def test_a_space_creator_sees_their_spaces_first(demo_env, monkeypatch, owners):
    _use(monkeypatch, {"X-Forwarded-Email": owners["space"]}, **TRUSTED)
    at = _app()
    assert at.title[0].value == "Genie spaces", [t.value for t in at.title]
    assert not at.error, [e.value for e in at.error]
    yours, ranked = at.dataframe[0].value, at.dataframe[1].value
    assert set(yours["space_id"]) == set(owners["spaces"].split(","))  # their spaces, above every space
    assert len(yours) < len(ranked) and yours["details"].str.startswith("genie-space?space=").all()


@pytest.fixture()
def scim(monkeypatch):
    with FakeDatabricks() as fake:
        directory = scim_routes.install(fake, scim_routes.Directory())
        monkeypatch.setenv("DATABRICKS_HOST", fake.url)
        yield directory


def test_groups_give_personas_and_admin_rights(demo_env, monkeypatch, scim):
    scim.add("token-exec", "exec@example.com", "leadership")
    scim.add("token-admin", "ops@example.com", "console-admins")
    env = {**TRUSTED, "TELEMETRY_PERSONA_EXECUTIVE": "leadership", "TELEMETRY_ADMIN_GROUPS": "console-admins"}
    _use(monkeypatch, {"X-Forwarded-Email": "exec@example.com", "X-Forwarded-Access-Token": "token-exec"}, **env)
    at = _app()
    assert at.title[0].value == "Executive summary" and any("Executive" in c for c in _captions(at)), _captions(at)
    with pytest.raises(ValueError):
        at.switch_page("pages/admin/health.py")
    _use(monkeypatch, {"X-Forwarded-Email": "ops@example.com", "X-Forwarded-Access-Token": "token-admin"})
    at = _app()
    assert any("ops@example.com · admin" in c for c in _captions(at)), _captions(at)
    at.switch_page("pages/admin/health.py").run()
    assert not at.exception and at.title[0].value == "Data health" and not at.error
    assert scim.calls["token-admin"] == 1  # one lookup for every run of the session (cached)


ADMIN_PAGES = [p for p in registry.PAGES if not p.allows({"viewer"})]


@pytest.mark.parametrize("spec", ADMIN_PAGES, ids=[p.url_path for p in ADMIN_PAGES])
def test_a_viewer_is_refused_every_admin_page_on_the_server(demo_env, monkeypatch, spec):
    """Not in the viewer's navigation, and the page file run directly (no menu, no frame) re-checks."""
    _use(monkeypatch, {"X-Forwarded-Email": "viewer@example.com"}, TELEMETRY_ADMINS="ops@example.com", **TRUSTED)
    with pytest.raises(ValueError, match="Could not find a navigation page"):
        _app().switch_page(spec.path)
    at = AppTest.from_file(str(ROOT / spec.path), default_timeout=60).run()
    assert not at.exception, at.exception
    assert any(f"{spec.title} is for admins" in e.value for e in at.error), [e.value for e in at.error]
    assert not at.dataframe and not at.metric and not at.button


# --- On behalf of users: two tokens, two users, one process-wide cache ----------------------------

def _listing(at: AppTest) -> list[str]:
    assert not at.exception, at.exception
    return sorted(at.dataframe[0].value["app_name"])


def _apps_page():
    """A page that reads the app list through the UI layer (per-user engine, process-wide cache)."""
    import streamlit as st

    from telemetry import queries, ui

    data = ui.start({"apps": queries.request("app_usage/apps_list", {})})
    st.dataframe(data.frame("apps"))


def _restricted_copy(demo_db: Path, folder: Path) -> tuple[Path, str]:
    """A copy of the demo where 'row filters' leave one workspace's apps only (what bob may read)."""
    copy = folder / "bob.duckdb"
    shutil.copyfile(demo_db, copy)
    with duckdb.connect(str(copy)) as con:
        schema = con.execute("SELECT table_schema FROM information_schema.tables "
                             "WHERE table_name = 'apps_inventory'").fetchone()[0]
        workspace = con.execute(f"SELECT min(workspace_id) FROM {schema}.apps_inventory").fetchone()[0]
        con.execute(f"DELETE FROM {schema}.apps_inventory WHERE workspace_id <> ?", [workspace])
    return copy, workspace


def test_two_users_on_their_own_tokens_never_get_each_others_cached_rows(demo_env, demo_db, tmp_path, monkeypatch,
                                                                        scim):
    bob_db, _ = _restricted_copy(demo_db, tmp_path)
    warehouses = {"token-ann": SimulatedWarehouse(demo_db, latency_s=0),
                  "token-bob": SimulatedWarehouse(bob_db, latency_s=0)}
    connects: list[str] = []

    def connect(**kwargs):  # the warehouse applies the token's grants: each token sees its own rows
        connects.append(kwargs["access_token"])
        return warehouses[kwargs["access_token"]].connect(**kwargs)

    scim.add("token-ann", "ann@example.com").add("token-bob", "bob@example.com")
    monkeypatch.setattr(session, "user_connect", connect)
    env = {**TRUSTED, "TELEMETRY_ENGINE": "warehouse", "DATABRICKS_WAREHOUSE_ID": "abc",
           "TELEMETRY_USE_USER_TOKEN": "true", "DATABRICKS_TOKEN": "app-service-principal-token"}
    ann = {"X-Forwarded-Email": "ann@example.com", "X-Forwarded-Access-Token": "token-ann"}
    bob = {"X-Forwarded-Email": "bob@example.com", "X-Forwarded-Access-Token": "token-bob"}
    try:
        _use(monkeypatch, ann, **env)
        ann_rows = _listing(AppTest.from_function(_apps_page, default_timeout=60).run())
        _use(monkeypatch, bob)
        bob_at = AppTest.from_function(_apps_page, default_timeout=60).run()
        bob_rows = _listing(bob_at)
        monkeypatch.setattr(session, "request_headers", lambda: ann)
        ann_again = _listing(AppTest.from_function(_apps_page, default_timeout=60).run())
    finally:
        for warehouse in warehouses.values():
            warehouse.close()
    assert len(bob_rows) < len(ann_rows) and set(bob_rows) < set(ann_rows)  # bob's grants, not ann's cache entry
    assert ann_again == ann_rows  # ann's entry was not overwritten by bob's either
    assert set(connects) == {"token-ann", "token-bob"}  # each user's queries ran on their own token
    assert any("apps_inventory" in s.sql for s in warehouses["token-bob"].statements)
