"""Rewrites for Databricks constructs that sqlglot turns into DuckDB SQL which runs but answers
differently from Spark, or does not run at all.

`apply` runs on the tree sqlglot parsed with `read="databricks"`, before the DuckDB generator. Each
fixer replaces one node kind with DuckDB SQL that gives Spark's answer, and each is pinned by a case in
tests/engine/dialect_cases.py whose expected value is checked on Apache Spark.

- Nodes are visited children-first: a fixer sees already-fixed arguments, and its own output is not
  visited again (no fixer can loop on what it produced).
- Types come from sqlglot's `annotate_types` on the original tree. Column types are unknown there
  (no schema), so type-dependent fixes apply to literals, casts and typed expressions only.
- The fixes live by theme in fixes_datetime.py and fixes_values.py; fixes_common.py has the template
  helper they are written with.
"""

from __future__ import annotations

import contextlib

from sqlglot import exp
from sqlglot.optimizer.annotate_types import annotate_types

from telemetry.engine import fixes_datetime, fixes_values
from telemetry.engine.fixes_common import DType, Fixer

_FIXERS: dict[type, Fixer] = {**fixes_datetime.FIXERS, **fixes_values.FIXERS}
_ANONYMOUS: dict[str, Fixer] = {**fixes_datetime.ANONYMOUS, **fixes_values.ANONYMOUS}


def apply(tree: exp.Expr) -> exp.Expr:
    """Return `tree` with every known-wrong translation rewritten (children before parents)."""
    with contextlib.suppress(Exception):  # types only sharpen some fixes; the others still apply
        annotate_types(tree, dialect="databricks")
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
