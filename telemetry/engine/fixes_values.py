"""Dialect fixes for JSON, numbers, strings, arrays and maps: Spark's answer where sqlglot's DuckDB
SQL differs or does not run.
"""

from __future__ import annotations

from sqlglot import exp
from sqlglot.errors import SqlglotError

from telemetry.engine.fixes_common import DType, Fixer, fill, has_type, nth_arg
from telemetry.engine.fixes_datetime import naive_timestamp

# --- JSON -----------------------------------------------------------------------------------------

def _from_json(node: exp.FromJson) -> exp.Expr:
    """from_json(text, '<Spark schema>') → a typed cast of the JSON. Spark answers NULL for
    malformed text and for values of the wrong type; TRY_CAST does the same."""
    schema = node.expression
    if not (isinstance(schema, exp.Literal) and schema.is_string):
        return node
    target = spark_schema_type(schema.name)
    return exp.TryCast(this=exp.TryCast(this=node.this, to=exp.DataType.build("JSON")), to=target)


def spark_schema_type(schema: str) -> exp.DataType:
    """A Spark schema string ('array<struct<a:int>>', or DDL 'a INT, b STRING') as a DuckDB-ready
    sqlglot type, timestamps naive."""
    try:
        dtype = exp.DataType.build(schema, dialect="databricks")
    except SqlglotError:
        dtype = exp.DataType.build(f"struct<{schema}>", dialect="databricks")
    for part in dtype.find_all(exp.DataType):
        naive_timestamp(part)
    return dtype


def _json_path(node: exp.JSONExtract | exp.JSONExtractScalar) -> exp.Expr:
    """get_json_object / `col:path`: NULL (not an error) for malformed JSON, and `:` on a string
    column returns text (scalars unquoted), like `->>`."""
    if isinstance(node, exp.JSONExtract) and not node.args.get("variant_extract"):
        return node
    source = node.this
    if not isinstance(source, exp.ParseJSON):
        source = exp.TryCast(this=source, to=exp.DataType.build("JSON"))
    return exp.JSONExtractScalar(this=source, expression=node.expression)


# --- numbers ----------------------------------------------------------------------------------------

def _cast_integral(node: exp.Cast) -> exp.Expr:
    """Spark truncates fractions when casting to an integer type; DuckDB rounds."""
    if node.to.is_type(*exp.DataType.INTEGER_TYPES) and has_type(node.this, *exp.DataType.REAL_TYPES):
        node.set("this", fill("TRUNC(_x)", x=node.this))
    return node


def _percentile(node: exp.Quantile) -> exp.Expr:
    """Spark percentile() interpolates (like quantile_cont); DuckDB quantile() picks a row."""
    return fill("QUANTILE_CONT(_x, _q)", x=node.this, q=node.args["quantile"])


def _round_double(node: exp.Expr) -> exp.Expr:
    """Spark rounds a DOUBLE through its shortest decimal text (round(1.005, 2) = 1.01); DuckDB
    rounds the binary value (1.0). Applies where sqlglot knows the argument is a DOUBLE."""
    value = node.this if not isinstance(node, exp.Anonymous) else node.expressions[0]
    if not has_type(value, *exp.DataType.FLOAT_TYPES):
        return node
    digits = node.args.get("decimals") if isinstance(node, exp.Round) else nth_arg(node, 1)
    function = "ROUND" if isinstance(node, exp.Round) else "ROUND_EVEN"
    return fill(f"CAST({function}(CAST(CAST(_x AS VARCHAR) AS DECIMAL(38, 10)), _n) AS DOUBLE)",
                 x=value, n=digits or exp.Literal.number(0))


def _approx_percentile(node: exp.ApproxQuantile) -> exp.Expr:
    """Spark's percentile_approx returns an input value, exact below its accuracy (10000 rows by
    default): DuckDB's quantile_disc. DuckDB's approx_quantile interpolates (1 and 10 → 5.5)."""
    return fill("QUANTILE_DISC(_x, _q)", x=node.this, q=node.args["quantile"])


def _count_distinct(node: exp.ApproxDistinct) -> exp.Expr:
    """approx_count_distinct: the exact count (what Spark estimates); the two HyperLogLogs differ."""
    return exp.Count(this=exp.Distinct(expressions=[node.this.copy()]))


def _cast_function(node: exp.Anonymous) -> exp.Expr:
    """bigint(x), smallint(x), ... are casts in Spark."""
    return _cast_integral(exp.cast(node.expressions[0], exp.DataType.build(node.name, dialect="databricks")))


def _pmod(node: exp.Anonymous) -> exp.Expr:
    return fill("CASE WHEN _a % _n < 0 THEN (_a % _n + _n) % _n ELSE _a % _n END",
                 a=node.expressions[0], n=node.expressions[1])


def _bround(node: exp.Anonymous) -> exp.Expr:
    """bround is HALF_EVEN rounding."""
    if _round_double(node) is not node:
        return _round_double(node)
    return fill("ROUND_EVEN(_x, _n)", x=node.expressions[0], n=nth_arg(node, 1) or exp.Literal.number(0))


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
    fn, names = node, []
    if isinstance(node, exp.Aliases):
        fn, names = node.this, [col.name for col in node.expressions]
    elif isinstance(node, exp.Alias):
        fn, names = node.this, [node.alias]
    if isinstance(fn, exp.Explode) and not isinstance(fn, exp.Posexplode):
        return fn, names
    return None


def _lateral_view(node: exp.Lateral) -> exp.Expr:
    """LATERAL VIEW [OUTER] explode(...): sqlglot drops OUTER and cannot UNNEST a map."""
    parts = _explode_parts(node.this) if node.args.get("view") else None
    if parts is None:
        return node
    fn = parts[0]
    alias = node.args.get("alias") or exp.TableAlias(this=exp.to_identifier("_lv"))
    outer = bool(node.args.get("outer")) or isinstance(fn, exp.ExplodeOuter)
    names = [col.name for col in alias.columns]
    if len(names) == 2 or (not names and _is_map(fn.this)):
        sub = exp.select(*_map_columns(fn.this, names or ["key", "value"], outer)).subquery()
        return exp.Join(this=exp.Lateral(this=sub, alias=exp.TableAlias(this=alias.this)), kind="CROSS")
    columns = alias.columns or [exp.to_identifier("col")]
    alias = exp.TableAlias(this=alias.this, columns=columns)
    return exp.Lateral(this=exp.Explode(this=_outer(fn.this) if outer else fn.this), view=True, alias=alias)


def _select_explodes(node: exp.Select) -> exp.Expr:
    """explode/explode_outer in a select list: a map gives key and value columns, OUTER keeps a
    row for an empty array, and an unnamed array column is called `col` as in Spark."""
    projections = []
    for item in node.expressions:
        parts = _explode_parts(item)
        if parts is None:
            projections.append(item)
            continue
        fn, names = parts
        outer = isinstance(fn, exp.ExplodeOuter)
        if len(names) == 2 or (not names and _is_map(fn.this)):
            projections.extend(_map_columns(fn.this, names or ["key", "value"], outer))
        else:
            values = _outer(fn.this) if outer else fn.this
            projections.append(exp.alias_(exp.Explode(this=values), names[0] if names else "col"))
    node.set("expressions", projections)
    return node


FIXERS: dict[type, Fixer] = {
    exp.FromJson: _from_json,
    exp.JSONExtract: _json_path,
    exp.JSONExtractScalar: _json_path,
    exp.Cast: _cast_integral,
    exp.TryCast: _cast_integral,
    exp.Quantile: _percentile,
    exp.ApproxQuantile: _approx_percentile,
    exp.ApproxDistinct: _count_distinct,
    exp.Round: _round_double,
    exp.SafeAdd: lambda node: exp.Add(this=node.this, expression=node.expression),
    exp.SafeSubtract: lambda node: exp.Sub(this=node.this, expression=node.expression),
    exp.SafeMultiply: lambda node: exp.Mul(this=node.this, expression=node.expression),
    exp.IgnoreNulls: _ignore_nulls,
    exp.ArrayExcept: _array_except,
    exp.ArrayIntersect: _array_intersect,
    exp.RegexpSubstr: _regexp_substr,
    exp.Like: _like_escape,
    exp.ILike: _like_escape,
    exp.Substring: _substring,
    exp.SubstringIndex: _substring_index,
    exp.Uuid: _uuid,
    exp.ArraySize: _size,
    exp.ArrayDistinct: _array_distinct,
    exp.Exists: _exists,
    exp.Lateral: _lateral_view,
    exp.Select: _select_explodes,
}

ANONYMOUS: dict[str, Fixer] = {
    "pmod": _pmod,
    "bround": _bround,
    "some": lambda node: fill("BOOL_OR(_x)", x=node.expressions[0]),
    "every": lambda node: fill("BOOL_AND(_x)", x=node.expressions[0]),
    "array_union": _array_union,
    "get": _get,
    **{name: _cast_function for name in ("bigint", "smallint", "tinyint", "float", "decimal")},
    "arrays_overlap": lambda node: fill("LIST_HAS_ANY(_a, _b)", a=node.expressions[0], b=node.expressions[1]),
    "forall": _forall,
}
