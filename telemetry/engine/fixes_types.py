"""Type inference for the dialect fixes: what sqlglot can tell about every node, columns included.

Several fixes depend on types (a DOUBLE is rounded differently from a DECIMAL, a fraction is truncated
when cast to INT, DECIMAL products need Spark's result type). sqlglot's `annotate_types` types a
column only when the column is qualified with its source, so the types are inferred on a qualified
copy of the tree (columns of VALUES, subqueries and CTEs, and of the mirror's source tables, whose
Databricks types telemetry.mirror.schema lists) and copied back onto the tree that is translated.
The translated tree itself is never qualified: that would rename output columns.
"""

from __future__ import annotations

from functools import cache

from sqlglot import exp
from sqlglot.errors import OptimizeError
from sqlglot.optimizer.annotate_types import annotate_types
from sqlglot.optimizer.qualify import qualify
from sqlglot.schema import MappingSchema

from telemetry.engine.fixes_common import DType, TranslationError, has_type, type_unknown

_ORIGIN = "_fix_origin"  # meta key: index of the node in the translated tree's walk order


@cache
def source_schema() -> MappingSchema:
    """Databricks column types of the mirror's source tables, under their DuckDB names
    (`catalog__schema.table`, as the tree is after table mapping). Default table names only: a
    table configured elsewhere has unknown column types, and the fixes fall back to run-time forms."""
    from telemetry.config import load_settings
    from telemetry.engine.dialect import mirror_table_name
    from telemetry.mirror.schema import DATABRICKS_SCHEMAS

    tables = load_settings({}).tables
    mapping: dict[str, dict[str, dict[str, str]]] = {}
    for key, columns in DATABRICKS_SCHEMAS.items():
        if key in tables:
            schema, _, table = mirror_table_name(tables[key]).rpartition(".")
            mapping.setdefault(schema, {})[table] = dict(columns)
    return MappingSchema(mapping, dialect="databricks")


def infer_types(tree: exp.Expr) -> None:
    """Set `.type` on the nodes of `tree` (UNKNOWN where nothing can be told).

    Raises TranslationError when sqlglot's type inference fails on the tree as written: a fix that
    needs types would otherwise silently not apply."""
    schema = source_schema()
    _annotate(tree, schema)
    typed = _qualified_copy(tree, schema)
    if typed is not None:
        _annotate(typed, schema)
        _copy_types(typed, list(tree.walk()))
    _map_value_types(tree)


def _map_value_types(tree: exp.Expr) -> None:
    """`m['key']` on a MAP<K, V> is a V (sqlglot leaves it unknown); innermost first."""
    for node in reversed(list(tree.walk())):
        if isinstance(node, exp.Bracket) and type_unknown(node) and has_type(node.this, DType.MAP):
            key_and_value = node.this.type.expressions
            if len(key_and_value) == 2:
                node.type = key_and_value[1].copy()


def _annotate(tree: exp.Expr, schema: MappingSchema) -> None:
    try:
        annotate_types(tree, schema=schema, dialect="databricks")
    except OptimizeError as err:
        raise TranslationError(f"could not infer the types of the SQL: {err}") from err


def _qualified_copy(tree: exp.Expr, schema: MappingSchema) -> exp.Expr | None:
    """A copy of `tree` with every column qualified by its source, each node remembering its
    original's position; None when sqlglot cannot tell a column's source (OptimizeError: an
    unqualified column next to a table of unknown schema, e.g. in a correlated subquery). Then only
    literal and expression types are known, and type-dependent fixes use their run-time forms."""
    copy = tree.copy()
    for index, node in enumerate(copy.walk()):
        node.meta[_ORIGIN] = index
    try:
        return qualify(copy, dialect="databricks", schema=schema, expand_stars=False,
                       validate_qualify_columns=False, quote_identifiers=False, identify=False)
    except OptimizeError:
        return None


def _copy_types(typed: exp.Expr, originals: list[exp.Expr]) -> None:
    """Give each original node the type inferred for its copy (known types only). qualify replaces
    some nodes (a dotted column `p.pricing.default` becomes a Dot over a Column); a new node is
    matched with the original found at the same place under its parent's original, when both are
    the same kind of node (a Dot and a Column count as one kind: both name a column)."""
    matched: dict[int, exp.Expr] = {}
    for node in typed.walk():  # parents before children
        index = node.meta_get(_ORIGIN)
        if index is not None:
            matched[id(node)] = originals[index]
        elif node.parent is not None and id(node.parent) in matched:
            twin = _same_place(matched[id(node.parent)], node)
            if twin is not None and _kind(twin) == _kind(node):
                matched[id(node)] = twin
        original = matched.get(id(node))
        if original is not None and node.type is not None and not node.type.is_type(DType.UNKNOWN):
            original.type = node.type.copy()


def _kind(node: exp.Expr) -> type:
    return exp.Column if isinstance(node, exp.Dot) else type(node)


def _same_place(parent: exp.Expr, node: exp.Expr) -> exp.Expr | None:
    """The child of `parent` in the slot `node` holds under its own parent."""
    child = parent.args.get(node.arg_key)
    if isinstance(child, list):
        child = child[node.index] if node.index is not None and node.index < len(child) else None
    return child if isinstance(child, exp.Expr) else None
