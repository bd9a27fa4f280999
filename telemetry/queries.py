"""Named queries: one Databricks SQL file each under telemetry/sql/<area>/<name>.sql.

Files name tables by their default Databricks names (`system.access.audit`,
`main.ops_console.app_events`), so a file runs as-is in the Databricks SQL editor. When the
configuration points a table elsewhere, the default name is swapped for the configured one; both are
validated identifiers, so this is the only text substitution ever made, and values always travel as
bound parameters.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import cache, lru_cache
from pathlib import Path
from typing import Any

from telemetry import runtime
from telemetry.config import TABLE_SPECS, Settings
from telemetry.engine.base import Engine, QueryError, Result

SQL_DIR = Path(__file__).resolve().parent / "sql"
DEFAULT_SCHEMA = "main.ops_console"
_PARAM_RE = re.compile(r"(?<![:\w]):([A-Za-z_]\w*)")
_STRING_RE = re.compile(r"'(?:[^'\\]|\\.)*'|\"(?:[^\"\\]|\\.)*\"|--[^\n]*")


_INCLUDE_RE = re.compile(r"^-- @include ([\w/{}]+)\s*$", re.MULTILINE)
LAYOUT_TOKEN = "{layout}"  # in an include: the span table layout's own fragment (traces/_spans_{layout})
DEFAULT_LAYOUT = "map"


@dataclass(frozen=True)
class Request:
    """One named query with its parameters: what a page asks for before anything runs.

    Areas build requests from filters; the UI layer starts a page's requests together and caches
    each result under `key`, so equal requests from any page or session share one execution."""

    name: str
    params: dict[str, Any] = field(default_factory=dict, hash=False, compare=False)
    row_cap: int | None = None  # most rows wanted, when not TELEMETRY_ROW_CAP (a whole trace's spans)

    @property
    def key(self) -> tuple[str, tuple[tuple[str, Any], ...]]:
        return self.name, tuple(sorted(self.params.items()))

    def __hash__(self) -> int:
        return hash((self.key, self.row_cap))

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Request) and (other.key, other.row_cap) == (self.key, self.row_cap)


WRITE_OPENING = "-- Writes"


def all_names() -> list[str]:
    """Every named read query, as `area/name` (`_` files are fragments; `-- Writes` files are writes,
    run by jobs, never by the benchmark or the read tests)."""
    return sorted(p.relative_to(SQL_DIR).with_suffix("").as_posix() for p in SQL_DIR.rglob("*.sql")
                  if not p.name.startswith("_") and not p.read_text().startswith(WRITE_OPENING))


def _read(name: str) -> str:
    path = (SQL_DIR / f"{name}.sql").resolve()
    if SQL_DIR not in path.parents or not path.exists():
        raise QueryError(name, "no such named query")
    return path.read_text()


@cache
def sql_text(name: str, layout: str = DEFAULT_LAYOUT) -> str:
    """The query's Databricks SQL, with `-- @include area/_fragment` lines expanded.

    Fragments hold the CTEs several queries share (the filtered app logins, say), so a filter rule
    is written once; the expanded text is plain Databricks SQL. An include naming `{layout}` takes the
    fragment of the configured span table layout (MAP, VARIANT or collector columns), so the trace
    queries are written once over one normalised `spans` CTE. Raises QueryError for an unknown name.
    """
    return _expand(_read(name), layout, depth=0)


def _expand(text: str, layout: str, depth: int) -> str:
    """Expand includes, also those inside fragments (a layout's fragment includes the shared part)."""
    if depth > 4:
        raise QueryError("include", "fragments include each other more than 4 deep (a cycle?)")
    return _INCLUDE_RE.sub(
        lambda m: _expand(_read(m.group(1).replace(LAYOUT_TOKEN, layout)).rstrip("\n"), layout, depth + 1), text)


@cache
def params_of(name: str) -> frozenset[str]:
    """The `:name` parameters a query expects (string literals and comments ignored)."""
    code = _STRING_RE.sub("''", sql_text(name))
    return frozenset(_PARAM_RE.findall(code))


def _default_names() -> dict[str, str]:
    return {spec.key: spec.default.format(schema=DEFAULT_SCHEMA) for spec in TABLE_SPECS}


@lru_cache(maxsize=256)
def _bound_text(name: str, tables: tuple[tuple[str, str], ...], layout: str = DEFAULT_LAYOUT) -> str:
    text = sql_text(name, layout)
    defaults = _default_names()
    for key, configured in tables:
        default = defaults[key]
        if configured != default:
            text = re.sub(rf"(?<![\w.]){re.escape(default)}(?![\w])", configured, text)
    return text


def bound_sql(name: str, settings: Settings) -> str:
    """The query text with configured table names (cached per name and table configuration)."""
    return _bound_text(name, tuple(sorted(settings.tables.items())), settings.traces.layout)


def _check_params(name: str, params: dict[str, Any]) -> None:
    expected = params_of(name)
    missing = expected - params.keys()
    extra = params.keys() - expected
    if missing or extra:
        raise QueryError(name, f"parameters do not match the query: missing {sorted(missing)}, "
                               f"unexpected {sorted(extra)}")
    for key, value in params.items():
        if not isinstance(value, str | int | float | bool | date | datetime | type(None)):
            raise QueryError(name, f"parameter {key} has unsupported type {type(value).__name__}")


def run(name: str, *, engine: Engine | None = None, settings: Settings | None = None,
        row_cap: int | None = None, **params: Any) -> Result:
    """Run a named query with bound parameters on the configured engine."""
    settings = settings or runtime.settings()
    engine = engine or runtime.engine()
    _check_params(name, params)
    return engine.run(bound_sql(name, settings), params, query=name, row_cap=row_cap)


def request(name: str, available: dict[str, Any]) -> Request:
    """A Request for `name` with exactly the parameters it declares, picked from `available`.

    Areas keep one dict of every value their filters imply; each query takes what it declares,
    so adding a filter never breaks a query that does not use it (a missing one raises)."""
    wanted = params_of(name)
    missing = wanted - available.keys()
    if missing:
        raise QueryError(name, f"no value for parameter(s) {sorted(missing)}")
    return Request(name, {key: available[key] for key in sorted(wanted)})


def in_area(area: str, name: str, available: dict[str, Any]) -> Request:
    """`request` for an area's short query name ("kpis" → "<area>/kpis"; a full "area/name" as is)."""
    return request(name if "/" in name else f"{area}/{name}", available)


def in_area_all(area: str, names: tuple[str, ...], available: dict[str, Any]) -> dict[str, Request]:
    """Requests by short name for `ui.start`, all from one dict of the values the filters imply."""
    return {name: in_area(area, name, available) for name in names}
