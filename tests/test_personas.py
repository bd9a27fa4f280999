"""Personas: who holds which (configuration, admins, ownership in the demo's inventory and spaces), and
what each one's menu and landing page are (telemetry.registry.menu)."""

from __future__ import annotations

import pytest

from telemetry import personas, queries, registry
from telemetry.config import PERSONA_KEYS, load_settings
from telemetry.engine.embedded import EmbeddedEngine

VIEWER = frozenset({"viewer"})
ADMIN = frozenset({"admin", "viewer"})


def test_every_persona_is_defined_once_with_a_real_landing_page_and_sections():
    assert sorted(p.key for p in registry.PERSONAS) == sorted(PERSONA_KEYS)
    urls = {p.url_path for p in registry.PAGES if not p.hidden}
    for p in registry.PERSONAS:
        assert p.landing in urls and set(p.sections) <= set(registry.SECTIONS), p
        landing = next(s for s in registry.PAGES if s.url_path == p.landing)
        assert landing.section in p.sections and landing.allows(VIEWER), p  # everyone may land there


@pytest.mark.parametrize("env, email, groups, expected", [
    ({"TELEMETRY_PERSONA_EXECUTIVE": "Exec@Corp.com"}, "exec@corp.com", (), ("executive",)),
    ({"TELEMETRY_PERSONA_EXECUTIVE": "leadership"}, "x@corp.com", ("leadership",), ("executive",)),
    ({"TELEMETRY_PERSONA_EXECUTIVE": "leadership"}, "x@corp.com", ("Leadership",), ()),  # group names exact
    ({"TELEMETRY_PERSONA_APP_OWNER": "builders", "TELEMETRY_PERSONA_GENIE_OWNER": "x@corp.com"}, "x@corp.com",
     ("builders",), ("app_owner", "genie_owner")),
    ({}, "x@corp.com", ("anything",), ()),
], ids=["email", "group", "group-case", "several", "nobody"])
def test_configured_personas(env, email, groups, expected):
    assert personas.resolve(email, groups, False, load_settings(env)) == expected


def test_admins_are_platform_admins_and_ownership_adds_to_configuration():
    s = load_settings({"TELEMETRY_PERSONA_EXECUTIVE": "a@corp.com"})
    assert personas.resolve("a@corp.com", (), True, s, owned={"genie_owner"}) == (
        "executive", "genie_owner", "platform_admin")


@pytest.fixture(scope="module")
def demo_engine(demo_db):
    engine = EmbeddedEngine(demo_db)
    yield engine
    engine.close()


def _first(engine, name: str, column: str) -> str:
    return str(queries.run(name, engine=engine, user_email="").frame[column].iloc[0])


def _owned(engine, email: str) -> frozenset[str]:
    requests = personas.ownership_requests(email)
    return personas.owned_from({p: queries.run(r.name, engine=engine, **r.params).frame for p, r in requests.items()})


def test_owners_are_recognised_from_the_inventory_and_the_spaces(demo_engine):
    app_creator = _first(demo_engine, "app_usage/owned_apps", "creator")
    assert "app_owner" in _owned(demo_engine, app_creator.upper())  # e-mails compare case-insensitively
    mine = queries.run("app_usage/owned_apps", engine=demo_engine, user_email=app_creator.lower()).frame
    assert not mine.empty and (mine["creator"].str.lower().eq(app_creator.lower())
                               | mine["owners"].str.lower().str.contains(app_creator.lower(), regex=False)).all()
    space = queries.run("genie/owned_spaces", engine=demo_engine, user_email="").frame.iloc[0]
    creator = queries.run("genie/space_info", engine=demo_engine, space_id=space["space_id"]).frame["creator"].iloc[0]
    assert "genie_owner" in _owned(demo_engine, creator)
    assert _owned(demo_engine, "nobody.at.all@example.com") == frozenset()


def test_no_email_asks_nothing_and_a_failed_query_grants_nothing():
    assert personas.ownership_requests("  ") == {}
    assert personas.owned_from({"app_owner": RuntimeError("no inventory table")}) == frozenset()


# --- Menus and landing pages --------------------------------------------------------------------

def _sections(menu: registry.Menu) -> list[str]:
    return list(menu.sections)


def test_nobody_mapped_sees_every_viewer_section_and_lands_on_the_overview():
    menu = registry.menu(VIEWER, ())
    assert _sections(menu) == ["Overview", "App owners", "Genie", "Traces"] and menu.others == ()
    assert menu.landing == "overview"


@pytest.mark.parametrize("keys, sections, landing", [
    (("executive",), ["Overview", "App owners", "Genie"], "summary"),
    (("app_owner",), ["Overview", "App owners", "Traces"], "app-usage"),
    (("genie_owner",), ["Overview", "Genie"], "genie-spaces"),
    (("app_owner", "genie_owner"), ["Overview", "App owners", "Genie", "Traces"], "app-usage"),
])
def test_each_persona_has_its_sections_and_landing_page(keys, sections, landing):
    menu = registry.menu(VIEWER, keys)
    assert (_sections(menu), menu.landing) == (sections, landing)
    shown = {p.url_path for pages in menu.sections.values() for p in pages}
    others = {p.url_path for p in menu.others}
    allowed = {p.url_path for p in registry.PAGES if p.allows(VIEWER)}
    assert shown | others == allowed and not shown & others  # the rest stays routable, unlisted
    assert "data-health" not in shown | others  # a viewer's menu never registers an admin page


def test_show_all_lists_every_page_the_roles_allow():
    menu = registry.menu(VIEWER, ("genie_owner",), show_all=True)
    assert _sections(menu) == ["Overview", "App owners", "Genie", "Traces"] and menu.others == ()
    assert menu.landing == "genie-spaces"


def test_a_platform_admin_sees_the_admin_section_only_with_the_admin_role():
    assert "Admin" in registry.menu(ADMIN, ("platform_admin",)).sections
    assert "Admin" not in registry.menu(VIEWER, ("platform_admin",)).sections  # a persona is not a role
    assert registry.menu(ADMIN, ("platform_admin", "genie_owner")).landing == "overview"
    assert registry.persona_labels(("genie_owner", "platform_admin")) == "Platform admin, Genie space owner"
