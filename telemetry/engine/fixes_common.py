"""Building blocks for the dialect fixes: DuckDB SQL templates and what sqlglot knows of types.

A fix is written as the DuckDB SQL it produces, with `_name` placeholders (`fill`), so it reads like
its output; `has_type` asks what type inference (fixes_types.py) found, and `type_unknown` says when
it found nothing, so a fix can fall back to SQL that decides at run time.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache

import sqlglot
from sqlglot import exp

Fixer = Callable[[exp.Expr], exp.Expr]
DType = exp.DataType.Type

TIMESTAMP_TYPES = (DType.TIMESTAMP, DType.TIMESTAMPTZ, DType.TIMESTAMPLTZ, DType.TIMESTAMPNTZ)
# Nodes that need no parentheses when substituted into a template.
_ATOMS = (exp.Column, exp.Literal, exp.Func, exp.Paren, exp.Placeholder, exp.Null, exp.Boolean,
          exp.Lambda, exp.Identifier, exp.Var, exp.Bracket)


class TranslationError(ValueError):
    """Databricks SQL that could not be parsed or translated (the message names the construct)."""


@cache
def _parsed(template: str) -> exp.Expr:
    """Templates are parsed once."""
    return sqlglot.parse_one(template, read="duckdb")


def fill(template: str, **args: exp.Expr) -> exp.Expr:
    """DuckDB SQL `template` with each column `_name` replaced by a copy of `args[name]`."""
    tree = _parsed(template).copy()
    for col in list(tree.find_all(exp.Column)):
        arg = args.get(col.name[1:]) if col.name.startswith("_") and not col.table else None
        if arg is not None:
            arg = arg.copy()
            col.replace(arg if isinstance(arg, _ATOMS) else exp.paren(arg, copy=False))
    return tree


def has_type(node: exp.Expr | None, *types: DType) -> bool:
    """True when sqlglot inferred one of `types` for `node` (False when unknown)."""
    return node is not None and node.type is not None and node.type.is_type(*types)


def type_unknown(node: exp.Expr) -> bool:
    """True when type inference found nothing for `node` (a parameter, a column of an unknown table,
    a function sqlglot does not know)."""
    return node.type is None or node.type.is_type(DType.UNKNOWN, DType.NULL)


def decimal_params(node: exp.Expr) -> tuple[int, int] | None:
    """(precision, scale) of a node typed DECIMAL(p, s), else None."""
    if not has_type(node, DType.DECIMAL):
        return None
    params = node.type.expressions
    if len(params) != 2:
        return None
    return int(params[0].name), int(params[1].name)


def nonzero_number(node: exp.Expr) -> bool:
    """A numeric literal other than 0 (a divisor that needs no zero check)."""
    return node.is_number and node.to_py() != 0


def unit_of(node: exp.Expr) -> str:
    """The node's time unit (DAY, MONTH, ...) in upper case, or ''."""
    unit = node.args.get("unit")
    return unit.name.upper() if unit is not None else ""


def nth_arg(node: exp.Expr, index: int) -> exp.Expr | None:
    """The index-th argument of a function call, or None."""
    args = node.expressions
    return args[index] if len(args) > index else None


def cast_to_date(node: exp.Expr) -> exp.Expr:
    """CAST(node AS DATE), for Spark functions that return a DATE where DuckDB returns a TIMESTAMP."""
    return exp.cast(node.copy(), DType.DATE)


def sql_string(text: str) -> str:
    """`text` as a DuckDB string literal (quotes doubled), for messages built into templates."""
    return "'" + text.replace("'", "''") + "'"
