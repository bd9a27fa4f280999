"""`IDENTIFIER(...)`: a table or column named by a constant string (Databricks' system-table
dashboards build names as `IDENTIFIER(:catalog || '.lakeflow.jobs')`).

A name given by string literals is folded into a real table or column at translation time, so the
usual `catalog.schema.table` mapping applies. A name that uses parameters is only known at run time
and `translate` (cached per text) never sees parameter values: `bind_identifier_params` first puts
the values into the IDENTIFIER calls, as string literals, and only after checking that each value is
a plain name (letters, digits, underscores, dots). Nothing else ever enters SQL text.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from sqlglot import exp

from telemetry.engine.fixes_common import TranslationError

_PART = r"[A-Za-z0-9_]+"
_NAME_RE = re.compile(rf"^{_PART}(\.{_PART})*$")
_FRAGMENT_RE = re.compile(r"^[A-Za-z0-9_.]+$")
_MAX_PARTS = {"table": 3, "column": 4}  # catalog.schema.table; catalog.schema.table.column


def identifier_calls(tree: exp.Expr) -> list[exp.Anonymous]:
    """Every IDENTIFIER(...) call in the tree."""
    return [node for node in tree.find_all(exp.Anonymous) if node.name.upper() == "IDENTIFIER"]


def bind_identifier_params(tree: exp.Expr, params: Mapping[str, Any]) -> set[str]:
    """Replace each `:name` inside an IDENTIFIER call by its value as a string literal; return the
    names replaced. Raises TranslationError for a missing value or one that is not a plain name."""
    bound = set()
    for call in identifier_calls(tree):
        for marker in list(call.find_all(exp.Placeholder)):
            name = marker.name
            if not name or name not in params:
                raise TranslationError(f"{call.sql('databricks')}: no value for the parameter :{name}")
            value = params[name]
            if not isinstance(value, str) or not _FRAGMENT_RE.match(value):
                raise TranslationError(
                    f"{call.sql('databricks')}: the value of :{name} ({value!r}) is not a name; "
                    "IDENTIFIER takes letters, digits, underscores and dots only")
            marker.replace(exp.Literal.string(value))
            bound.add(name)
    return bound


def resolve_identifier_calls(tree: exp.Expr) -> exp.Expr:
    """Turn each IDENTIFIER(<constant string>) into the table or column it names."""
    for call in identifier_calls(tree):
        parent = call.parent
        if isinstance(parent, exp.Table) and parent.this is call:
            parts = _name_parts(call, "table")
            parent.set("this", exp.to_identifier(parts[-1]))
            parent.set("db", exp.to_identifier(parts[-2]) if len(parts) > 1 else None)
            parent.set("catalog", exp.to_identifier(parts[-3]) if len(parts) > 2 else None)
        else:
            parts = _name_parts(call, "column")
            column = exp.column(*reversed(parts)) if len(parts) > 1 else exp.column(parts[0])
            if call is tree:
                return column
            call.replace(column)
    return tree


def _name_parts(call: exp.Anonymous, kind: str) -> list[str]:
    """The dotted name an IDENTIFIER call gives, checked."""
    if len(call.expressions) != 1:
        raise TranslationError(f"{call.sql('databricks')}: IDENTIFIER takes one argument")
    text = _constant_text(call.expressions[0], call)
    if not _NAME_RE.match(text) or text.count(".") >= _MAX_PARTS[kind]:
        raise TranslationError(
            f"{call.sql('databricks')}: {text!r} is not a {kind} name this console supports "
            "(letters, digits and underscores, dot-separated; no quoting)")
    return text.split(".")


def _constant_text(node: exp.Expr, call: exp.Anonymous) -> str:
    """Fold string literals joined by `||` or concat(); anything else is an error."""
    if isinstance(node, exp.Literal) and node.is_string:
        return node.name
    if isinstance(node, exp.Paren):
        return _constant_text(node.this, call)
    if isinstance(node, exp.DPipe):
        return _constant_text(node.this, call) + _constant_text(node.expression, call)
    if isinstance(node, exp.Concat):
        return "".join(_constant_text(part, call) for part in node.expressions)
    if isinstance(node, exp.Placeholder):
        raise TranslationError(
            f"{call.sql('databricks')} names a table by the parameter :{node.name}, whose value "
            "the translation does not see: bind it first with dialect.resolve_identifiers(sql, params)")
    raise TranslationError(
        f"{call.sql('databricks')}: IDENTIFIER needs a constant string (literals joined by || or "
        f"concat), not {node.sql('databricks')}")
