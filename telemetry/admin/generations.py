"""Which cached results a "clear the cache" empties: a generation counter per source table (no Streamlit).

The query cache (telemetry/ui/cache.py) puts, in every entry's key, the generations of the source
tables its SQL reads (found from the query's text: the default table names it names, as
telemetry.queries swaps them for configured ones). Clearing one source bumps its generation, so
exactly the queries that read that table compute again on their next call; clearing all bumps a
global one. Old entries are never served again and age out with their TTL. Process-wide, like the cache.
"""

from __future__ import annotations

import functools
import re
import threading

from telemetry import queries
from telemetry.config import TABLE_SPECS

_lock = threading.Lock()
_generations: dict[str, int] = {}
ALL = "*"


class UnknownSource(ValueError):
    """A source key that is not one of telemetry.config.TABLE_SPECS."""


def source_keys() -> tuple[str, ...]:
    return tuple(spec.key for spec in TABLE_SPECS)


@functools.cache
def tables_of(name: str) -> frozenset[str]:
    """The source keys whose tables the named query reads (from its expanded SQL text)."""
    sql = queries.sql_text(name)
    defaults = {spec.key: spec.default.format(schema=queries.DEFAULT_SCHEMA) for spec in TABLE_SPECS}
    return frozenset(key for key, table in defaults.items()
                     if re.search(rf"(?<![\w.]){re.escape(table)}(?![\w])", sql))


def bump(source: str | None = None) -> None:
    """Start a new generation of `source` (None: of every source). UnknownSource for a bad key."""
    if source is not None and source not in source_keys():
        raise UnknownSource(f"no source called {source!r}; the sources are: {', '.join(source_keys())}.")
    with _lock:
        key = ALL if source is None else source
        _generations[key] = _generations.get(key, 0) + 1


def key_of(sources: frozenset[str] | tuple[str, ...]) -> tuple[int, ...]:
    """The generation part of a cache key: the global one, then each source's (sorted by key)."""
    with _lock:
        return (_generations.get(ALL, 0), *(_generations.get(s, 0) for s in sorted(sources)))


def of_query(name: str) -> tuple[int, ...]:
    """The generation part of the key of the named query's results."""
    return key_of(tables_of(name))
