"""The configuration reference cannot drift: every variable config.py reads is listed and nothing else,
defaults come from the settings object, and README's section is the generator's text."""

from __future__ import annotations

import re

import pytest

from telemetry import config, config_reference
from telemetry.config_reference import Var
from telemetry.jobs import catalog, deployed

SOURCE = (config.PROJECT_ROOT / "telemetry" / "config.py").read_text()
LITERAL = re.compile(r"""["']((?:TELEMETRY|DATABRICKS)_[A-Z0-9_]*)["']""")


def read_by_config(source: str = SOURCE) -> tuple[set[str], set[str]]:
    """(full names, prefixes ending in `_`) quoted in config.py's source."""
    names = set(LITERAL.findall(source))
    return {n for n in names if not n.endswith("_")}, {n for n in names if n.endswith("_")}


def unlisted(listed: set[str], source: str = SOURCE) -> list[str]:
    """Names config.py reads that the reference lacks; a prefix needs at least one listed variable."""
    names, prefixes = read_by_config(source)
    return sorted(names - listed) + sorted(p + "*" for p in prefixes if not any(v.startswith(p) for v in listed))


def unread(listed: set[str], source: str = SOURCE) -> list[str]:
    """Listed names config.py never reads (neither as a literal nor under a prefix it reads)."""
    names, prefixes = read_by_config(source)
    return sorted(v for v in listed if v not in names and not v.startswith(tuple(prefixes)))


LISTED = {v.name for v in config_reference.variables()}


def test_every_variable_config_reads_is_listed_and_every_listed_one_is_read():
    assert unlisted(LISTED) == []
    assert unread(LISTED) == []
    assert len(LISTED) == len(config_reference.variables()), "a variable is listed twice"


def test_the_check_catches_a_new_setting_and_a_stale_entry():
    added = SOURCE + '\nX = env.get("TELEMETRY_NEW_KNOB", "1")\n'
    assert unlisted(LISTED, added) == ["TELEMETRY_NEW_KNOB"]
    assert unread(LISTED | {"TELEMETRY_GONE"}) == ["TELEMETRY_GONE"]
    no_personas = SOURCE.replace('"TELEMETRY_PERSONA_"', '"TELEMETRY_ROLE_"')
    assert "TELEMETRY_ROLE_*" in unlisted(LISTED, no_personas)
    assert set(unread(LISTED, no_personas)) == {config.PERSONA_PREFIX + k.upper() for k in config.PERSONA_KEYS}


def test_tables_personas_and_job_ids_are_generated_from_their_registries():
    assert {s.env for s in config.TABLE_SPECS} <= LISTED
    assert {config.PERSONA_PREFIX + k.upper() for k in config.PERSONA_KEYS} <= LISTED
    jobs = {v.name for v in config_reference.variables() if v.name.startswith(config.JOB_ID_PREFIX)}
    assert jobs == {deployed.env_name(n) for n in catalog.names() if not deployed.embedded_only(n)}
    assert len(jobs) >= 5


def test_defaults_are_the_settings_objects_own():
    settings = config.load_settings({})
    text = config_reference.markdown()
    assert "| `TELEMETRY_CACHE_TTL_SECONDS` | `600` |" in text
    assert f"| `TELEMETRY_TRACE_PAGE_SIZE` | `{settings.traces.page_size}` |" in text
    assert "| `TELEMETRY_USE_USER_TOKEN` | `false` |" in text and "| `TELEMETRY_ADMIN_AUDIT` | `true` |" in text
    assert "| `TELEMETRY_AUDIT_TABLE` | `system.access.audit` |" in text
    assert "| `TELEMETRY_TRACKER_TABLE` | `<TELEMETRY_SCHEMA>.app_events` |" in text
    for var in config_reference.variables():
        assert (var.setting is None) != (var.default is None), f"{var.name}: a setting path or a default, not both"
        config_reference.default_text(var, settings)  # every setting path exists
    with pytest.raises(AttributeError):
        config_reference.default_text(Var("TELEMETRY_X", "", "g", setting="traces.no_such"), settings)


def test_readme_holds_the_generated_reference():
    readme = config_reference.README.read_text()
    assert config_reference.readme_section(readme) == config_reference.markdown(), (
        "README.md is out of date: run .venv/bin/python -m telemetry.config_reference --write")
    stale = readme.replace("`TELEMETRY_ROW_CAP` | `5000`", "`TELEMETRY_ROW_CAP` | `500`")
    assert config_reference.readme_section(stale) != config_reference.markdown()
    assert config_reference.readme_section(config_reference.rewrite(stale)) == config_reference.markdown()
    with pytest.raises(ValueError, match="needs the markers"):
        config_reference.readme_section("# no markers")
