"""Dialect fixes for strings, arrays, maps and generators (explode, json_tuple): Spark's answer
where sqlglot's DuckDB SQL differs or does not run.
"""

from __future__ import annotations

from sqlglot import exp

from telemetry.engine.fixes_common import DType, Fixer, TranslationError, fill, has_type
from telemetry.engine.fixes_json import is_json_tuple, json_tuple_names, json_tuple_values

# --- strings ---------------------------------------------------------------------------------------

def _like_escape(node: exp.Like | exp.ILike) -> exp.Expr:
    """Spark's LIKE treats backslash as the escape character; DuckDB has none unless told."""
    if isinstance(node.parent, exp.Escape):
        return node
    return exp.Escape(this=node.copy(), expression=exp.Literal.string("\\"))


def _substring(node: exp.Substring) -> exp.Expr:
    """Spark treats position 0 as 1."""
    start = node.args.get("start")
    if isinstance(start, exp.Literal) and start.is_int and int(start.name) == 0:
        node.set("start", exp.Literal.number(1))
    return node


def _substring_index(node: exp.SubstringIndex) -> exp.Expr:
    """DuckDB has no substring_index: keep the first (or last) `count` delimited parts."""
    return fill("""CASE WHEN _n > 0 THEN ARRAY_TO_STRING(LIST_SLICE(STRING_SPLIT(_s, _d), 1, _n), _d)
                         WHEN _n < 0 THEN ARRAY_TO_STRING(LIST_SLICE(STRING_SPLIT(_s, _d), _n, -1), _d)
                         ELSE '' END""",
                 s=node.this, d=node.args["delimiter"], n=node.args["count"])


def _regexp_substr(node: exp.RegexpSubstr) -> exp.Expr:
    """DuckDB has no regexp_substr; Spark's gives NULL when nothing matches."""
    return fill("NULLIF(REGEXP_EXTRACT(_s, _p), '')", s=node.this, p=node.expression)


def _uuid(_: exp.Uuid) -> exp.Expr:
    """Spark's uuid() is a STRING; DuckDB's is a UUID (length(), || and LIKE fail on it)."""
    return fill("CAST(UUID() AS VARCHAR)")


_STR_TO_MAP = """MAP_FROM_ENTRIES(LIST_TRANSFORM(REGEXP_SPLIT_TO_ARRAY(_s, _p), LAMBDA __kv :
  CASE WHEN REGEXP_MATCHES(__kv, _d)
       THEN {'key': REGEXP_EXTRACT(__kv, '^(.*?)(?:' || _d || ')', 1),
             'value': REGEXP_EXTRACT(__kv, '^.*?(?:' || _d || ')(.*)$', 1)}
       ELSE {'key': __kv, 'value': NULL} END))"""


def _str_to_map(node: exp.StrToMap) -> exp.Expr:
    """str_to_map(text, pairDelim, keyValueDelim): split on the pair delimiter, then once on the
    key-value delimiter (both regexes, as in Spark); a pair without one maps to NULL. A repeated
    key raises on both engines (Spark: DUPLICATED_MAP_KEY)."""
    return fill(_STR_TO_MAP, s=node.this, p=node.args["pair_delim"], d=node.args["key_value_delim"])


# --- arrays and maps --------------------------------------------------------------------------------

def _size(node: exp.ArraySize) -> exp.Expr:
    """size() works on maps as well as arrays; DuckDB's array_length does not take a map."""
    return fill("CARDINALITY(_x)", x=node.this)


def _exists(node: exp.Exists) -> exp.Expr:
    """exists(array, x -> pred): sqlglot drops the lambda and emits a subquery EXISTS."""
    if not isinstance(node.expression, exp.Lambda):
        return node
    return fill("CASE WHEN LEN(_a) = 0 THEN FALSE ELSE LIST_BOOL_OR(LIST_TRANSFORM(_a, _f)) END",
                 a=node.this, f=node.expression)


def _forall(node: exp.Anonymous) -> exp.Expr:
    return fill("CASE WHEN LEN(_a) = 0 THEN TRUE ELSE LIST_BOOL_AND(LIST_TRANSFORM(_a, _f)) END",
                 a=node.expressions[0], f=node.expressions[1])


_DISTINCT_IN_ORDER = "LIST_FILTER(_a, LAMBDA __v, __i : LIST_POSITION(_a, __v) = __i)"


def _array_distinct(node: exp.ArrayDistinct) -> exp.Expr:
    """Spark keeps first occurrences in order; DuckDB's list_distinct does not keep order."""
    return fill(_DISTINCT_IN_ORDER, a=node.this)


def _array_union(node: exp.Anonymous) -> exp.Expr:
    """DuckDB has no array_union: distinct elements of both, in order."""
    both = fill("LIST_CONCAT(_a, _b)", a=node.expressions[0], b=node.expressions[1])
    return fill(_DISTINCT_IN_ORDER, a=both)


def _array_except(node: exp.ArrayExcept) -> exp.Expr:
    """Spark keeps the first array's order (sqlglot's rewrite does not)."""
    kept = fill("LIST_FILTER(_a, LAMBDA __v : LIST_POSITION(_b, __v) IS NULL)",
                 a=_array_distinct(node), b=node.expression)
    return fill("CASE WHEN _b IS NULL THEN NULL ELSE _k END", b=node.expression, k=kept)


def _array_intersect(node: exp.ArrayIntersect) -> exp.Expr:
    first, second = node.expressions[0], node.expressions[1]
    return fill("LIST_FILTER(_a, LAMBDA __v : LIST_POSITION(_b, __v) IS NOT NULL)",
                 a=fill(_DISTINCT_IN_ORDER, a=first), b=second)


def _get(node: exp.Anonymous) -> exp.Expr:
    """get(array, i) is 0-based and NULL out of range (DuckDB counts negative indexes from the end)."""
    return fill("CASE WHEN _i >= 0 THEN _a[_i + 1] END", a=node.expressions[0], i=node.expressions[1])


def _ignore_nulls(node: exp.IgnoreNulls) -> exp.Expr:
    """first(x, true)/last(x, true) as aggregates: DuckDB's FIRST/LAST do not skip NULLs and
    sqlglot drops the flag (window functions keep IGNORE NULLS and are left alone)."""
    agg = node.this
    if isinstance(node.parent, exp.Window) or not isinstance(agg, (exp.First, exp.Last)):
        return node
    return exp.Filter(this=agg.copy(), expression=exp.Where(this=exp.Not(this=exp.Is(
        this=agg.this.copy(), expression=exp.Null()))))


def _is_map(node: exp.Expr) -> bool:
    if isinstance(node, (exp.Map, exp.VarMap)) or has_type(node, DType.MAP):
        return True
    return isinstance(node, exp.TryCast) and node.to.is_type(DType.MAP)


def _outer(values: exp.Expr) -> exp.Expr:
    """explode_outer keeps a row (of NULLs) for an empty or NULL array."""
    return fill("CASE WHEN CARDINALITY(_a) > 0 THEN _a ELSE [NULL] END", a=values)


def _map_columns(values: exp.Expr, names: list[str], outer: bool) -> list[exp.Expr]:
    """explode(map) → two parallel UNNESTs over its keys and values."""
    keys, vals = fill("MAP_KEYS(_m)", m=values), fill("MAP_VALUES(_m)", m=values)
    if outer:
        keys, vals = _outer(keys), _outer(vals)
    parts = zip((keys, vals), names, strict=True)
    return [exp.alias_(fill("UNNEST(_l)", l=part), name) for part, name in parts]


def _explode_parts(node: exp.Expr) -> tuple[exp.Explode, list[str]] | None:
    """The explode(...) call and its column names, for explode/explode_outer (not posexplode)."""
    fn, names = _generator_parts(node)
    if isinstance(fn, exp.Explode) and not isinstance(fn, exp.Posexplode):
        return fn, names
    return None


def _generator_parts(node: exp.Expr) -> tuple[exp.Expr, list[str]]:
    """A select item's function and the column names given to it (`AS x` or `AS (x, y)`)."""
    if isinstance(node, exp.Aliases):
        return node.this, [col.name for col in node.expressions]
    if isinstance(node, exp.Alias):
        return node.this, [node.alias]
    return node, []


def _json_tuple_columns(fn: exp.Anonymous, names: list[str]) -> list[exp.Expr]:
    """json_tuple's values as named columns (c0, c1, ... unless named)."""
    values = json_tuple_values(fn)
    names = names or json_tuple_names(len(values))
    if len(names) != len(values):
        raise TranslationError(f"{fn.sql('databricks')} gives {len(values)} columns, named {len(names)}")
    return [exp.alias_(value, name) for value, name in zip(values, names, strict=True)]


def _lateral_view(node: exp.Lateral) -> exp.Expr:
    """LATERAL VIEW [OUTER] explode(...)/json_tuple(...): sqlglot drops OUTER, cannot UNNEST a map,
    and DuckDB has no json_tuple. Each becomes a CROSS JOIN LATERAL subquery or an UNNEST."""
    if not node.args.get("view"):
        return node
    alias = node.args.get("alias") or exp.TableAlias(this=exp.to_identifier("_lv"))
    names = [col.name for col in alias.columns]
    if is_json_tuple(node.this):  # one row per input row, NULLs included (OUTER changes nothing)
        sub = exp.select(*_json_tuple_columns(node.this, names)).subquery()
        return exp.Join(this=exp.Lateral(this=sub, alias=exp.TableAlias(this=alias.this)), kind="CROSS")
    parts = _explode_parts(node.this)
    if parts is None:
        return node
    fn = parts[0]
    outer = bool(node.args.get("outer")) or isinstance(fn, exp.ExplodeOuter)
    if len(names) == 2 or (not names and _is_map(fn.this)):
        sub = exp.select(*_map_columns(fn.this, names or ["key", "value"], outer)).subquery()
        return exp.Join(this=exp.Lateral(this=sub, alias=exp.TableAlias(this=alias.this)), kind="CROSS")
    columns = alias.columns or [exp.to_identifier("col")]
    alias = exp.TableAlias(this=alias.this, columns=columns)
    return exp.Lateral(this=exp.Explode(this=_outer(fn.this) if outer else fn.this), view=True, alias=alias)


def _select_generators(node: exp.Select) -> exp.Expr:
    """explode/explode_outer and json_tuple in a select list: a map gives key and value columns,
    OUTER keeps a row for an empty array, an unnamed array column is called `col` as in Spark, and
    json_tuple gives one text column per key."""
    projections = []
    for item in node.expressions:
        fn, names = _generator_parts(item)
        if is_json_tuple(fn):
            projections.extend(_json_tuple_columns(fn, names))
            continue
        parts = _explode_parts(item)
        if parts is None:
            projections.append(item)
            continue
        outer = isinstance(fn, exp.ExplodeOuter)
        if len(names) == 2 or (not names and _is_map(fn.this)):
            projections.extend(_map_columns(fn.this, names or ["key", "value"], outer))
        else:
            values = _outer(fn.this) if outer else fn.this
            projections.append(exp.alias_(exp.Explode(this=values), names[0] if names else "col"))
    node.set("expressions", projections)
    return node


def _inline(node: exp.Inline) -> exp.Expr:
    """inline(array of structs): one row per element, one column per field. DuckDB's UNNEST with
    max_depth 2 expands the list and then the struct (not the arrays inside it). Built as an
    anonymous call so the select-list explode fix does not take it for explode and name it `col`."""
    depth = exp.PropertyEQ(this=exp.to_identifier("max_depth"), expression=exp.Literal.number(2))
    return exp.Anonymous(this="UNNEST", expressions=[node.this, depth])


def _merge_star_by_name(node: exp.When) -> exp.Expr:
    """MERGE's `UPDATE SET *` / `INSERT *` match the source's columns to the target's BY NAME on
    Databricks, by position on DuckDB: a table whose columns were added later (ALTER TABLE ADD
    COLUMN) would get values in the wrong columns. DuckDB's BY NAME forms give Databricks' answer."""
    then = node.args.get("then")
    if isinstance(then, exp.Update) and len(then.expressions) == 1 and isinstance(then.expressions[0], exp.Star):
        node.set("then", exp.var("UPDATE BY NAME"))
    elif isinstance(then, exp.Insert) and isinstance(then.this, exp.Star):
        node.set("then", exp.var("INSERT BY NAME"))
    return node


FIXERS: dict[type, Fixer] = {
    exp.When: _merge_star_by_name,
    exp.Inline: _inline,
    exp.IgnoreNulls: _ignore_nulls,
    exp.ArrayExcept: _array_except,
    exp.ArrayIntersect: _array_intersect,
    exp.RegexpSubstr: _regexp_substr,
    exp.Like: _like_escape,
    exp.ILike: _like_escape,
    exp.Substring: _substring,
    exp.SubstringIndex: _substring_index,
    exp.StrToMap: _str_to_map,
    exp.Uuid: _uuid,
    exp.ArraySize: _size,
    exp.ArrayDistinct: _array_distinct,
    exp.Exists: _exists,
    exp.Lateral: _lateral_view,
    exp.Select: _select_generators,
}

ANONYMOUS: dict[str, Fixer] = {
    "some": lambda node: fill("BOOL_OR(_x)", x=node.expressions[0]),
    "every": lambda node: fill("BOOL_AND(_x)", x=node.expressions[0]),
    "array_union": _array_union,
    "get": _get,
    "arrays_overlap": lambda node: fill("LIST_HAS_ANY(_a, _b)", a=node.expressions[0], b=node.expressions[1]),
    "forall": _forall,
}
