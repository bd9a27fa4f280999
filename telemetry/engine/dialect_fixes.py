"""Rewrites for Databricks constructs that sqlglot turns into DuckDB SQL which runs but answers
differently from Spark, or does not run at all.

`apply` runs on the tree sqlglot parsed with `read="databricks"`, before the DuckDB generator. Each
fixer replaces one node kind with DuckDB SQL that gives Spark's answer, and each is pinned by a case in
tests/engine/dialect_cases.py whose expected value is checked on Apache Spark.

- Nodes are visited children-first: a fixer sees already-fixed arguments, and its own output is not
  visited again (no fixer can loop on what it produced).
- Types come from fixes_types.py (sqlglot's inference on a column-qualified copy, with the mirror's
  table schemas). Where a type stays unknown, a type-dependent fix uses a form that decides at run
  time or leaves the node alone; it never guesses.
- Nothing is suppressed: a failing inference or fixer raises (TranslationError for SQL that cannot
  be translated), so a fix that stops applying fails its test instead of emitting wrong SQL.
- The fixes live by theme in fixes_datetime.py, fixes_numbers.py, fixes_json.py and fixes_values.py;
  fixes_common.py has the template helper they are written with.

Spark's ANSI mode (Databricks SQL's default) is the reference: `1/0` and `CAST('abc' AS INT)` raise
DIVIDE_BY_ZERO and CAST_INVALID_INPUT, and the DuckDB translation raises with the same error class.
"""

from __future__ import annotations

from sqlglot import exp

from telemetry.engine import fixes_datetime, fixes_json, fixes_numbers, fixes_values
from telemetry.engine.fixes_common import DType, Fixer
from telemetry.engine.fixes_types import infer_types

_THEMES = (fixes_datetime, fixes_numbers, fixes_json, fixes_values)


def _merged(attribute: str, themes: tuple = _THEMES) -> dict:
    """One registry from every theme; a node kind claimed twice is a bug (one fix would be lost)."""
    merged: dict = {}
    for theme in themes:
        table = getattr(theme, attribute)
        clash = merged.keys() & table.keys()
        if clash:
            raise RuntimeError(f"{theme.__name__}.{attribute} claims {sorted(map(str, clash))} again")
        merged.update(table)
    return merged


_FIXERS: dict[type, Fixer] = _merged("FIXERS")
_ANONYMOUS: dict[str, Fixer] = _merged("ANONYMOUS")


def apply(tree: exp.Expr) -> exp.Expr:
    """Return `tree` with every known-wrong translation rewritten (children before parents)."""
    infer_types(tree)
    for node in reversed(list(tree.walk())):  # reversed pre-order: descendants come first
        fixer = _fixer_for(node)
        if fixer is None:
            continue
        new = fixer(node)
        if new is not node:
            if new.type is None or new.type.this == DType.UNKNOWN:
                new.type = node.type  # ancestors still see what the original evaluated to
            if node is tree:
                tree = new
            else:
                node.replace(new)
    return tree


def _fixer_for(node: exp.Expr) -> Fixer | None:
    if isinstance(node, exp.Anonymous):  # functions sqlglot does not know, by name
        return _ANONYMOUS.get(node.name.lower())
    for cls in type(node).__mro__:  # subclasses too: TryCast is a Cast, explode_outer an Explode
        if cls in _FIXERS:
            return _FIXERS[cls]
    return None
