"""Dialect fixes for numbers: casts, rounding, division, DECIMAL products and percentiles, with
Spark's answer (ANSI mode, as on Databricks SQL) where sqlglot's DuckDB SQL differs.
"""

from __future__ import annotations

import re

from sqlglot import exp

from telemetry.engine.fixes_common import (
    DType,
    Fixer,
    decimal_params,
    fill,
    has_type,
    nonzero_number,
    nth_arg,
    sql_string,
    type_unknown,
)

# --- casts to integers ------------------------------------------------------------------------------

# Spark (ANSI) casts text to an integer only when it is an integer, surrounding whitespace allowed:
# '12.0', '1e3' and '' raise CAST_INVALID_INPUT (try_cast: NULL) where DuckDB rounds or parses them.
_INTEGER_TEXT = "[[:space:]]*[+-]?[0-9]+[[:space:]]*"
_INTEGER_TEXT_RE = re.compile(r"\s*[+-]?[0-9]+\s*")
_CAST_TEXT = """CASE WHEN _s IS NULL OR REGEXP_FULL_MATCH(_s, '{regex}') THEN CAST(_s AS {duck})
  ELSE ERROR({prefix} || _s || {suffix}) END"""
_TRY_CAST_TEXT = "CASE WHEN REGEXP_FULL_MATCH(_s, '{regex}') THEN TRY_CAST(_s AS {duck}) END"
# Type unknown at translation time: DuckDB folds TYPEOF while planning, so one branch remains.
_CAST_ANY = """CASE WHEN TYPEOF(_x) IN ('DOUBLE', 'FLOAT') THEN {cast}(TRUNC(TRY_CAST(_x AS DOUBLE)) AS {duck})
  WHEN TYPEOF(_x) LIKE 'DECIMAL%' THEN COALESCE({cast}(TRUNC(TRY_CAST(_x AS DECIMAL(38, 18))) AS {duck}),
                                                {cast}(_x AS {duck}))
  WHEN TYPEOF(_x) = 'VARCHAR' THEN _text
  ELSE {cast}(_x AS {duck}) END"""


def _cast_integral(node: exp.Cast) -> exp.Expr:
    """Spark truncates fractions when casting to an integer type (DuckDB rounds) and accepts only
    integer text; when the source type is unknown the choice is made at run time by TYPEOF."""
    if not node.to.is_type(*exp.DataType.INTEGER_TYPES):
        return node
    value = node.this
    if has_type(value, *exp.DataType.REAL_TYPES):
        node.set("this", fill("TRUNC(_x)", x=value))
        return node
    if has_type(value, *exp.DataType.TEXT_TYPES):
        return _cast_text(node, value)
    if type_unknown(value) and not isinstance(value, exp.Null):
        safe = isinstance(node, exp.TryCast)
        template = _CAST_ANY.format(cast="TRY_CAST" if safe else "CAST", duck=node.to.sql("duckdb"))
        return fill(template, x=value, text=_cast_text(node, fill("CAST(_x AS VARCHAR)", x=value)))
    return node


def _cast_text(node: exp.Cast, text: exp.Expr) -> exp.Expr:
    """CAST(text AS <integer>) raising Spark's CAST_INVALID_INPUT (try_cast: NULL) for non-integers."""
    duck, spark = node.to.sql("duckdb"), node.to.sql("databricks").upper()
    safe = isinstance(node, exp.TryCast)
    if isinstance(text, exp.Literal) and text.is_string and _INTEGER_TEXT_RE.fullmatch(text.name):
        return node  # decided now: DuckDB's cast gives the same integer
    if safe:
        return fill(_TRY_CAST_TEXT.format(regex=_INTEGER_TEXT, duck=duck), s=text)
    prefix = sql_string("[CAST_INVALID_INPUT] The value '")
    suffix = sql_string(f"' of the type \"STRING\" cannot be cast to \"{spark}\" because it is malformed. "
                        "Use `try_cast` to tolerate malformed input and return NULL instead.")
    return fill(_CAST_TEXT.format(regex=_INTEGER_TEXT, duck=duck, prefix=prefix, suffix=suffix), s=text)


def _cast_function(node: exp.Anonymous) -> exp.Expr:
    """bigint(x), smallint(x), ... are casts in Spark."""
    cast = exp.cast(node.expressions[0], exp.DataType.build(node.name, dialect="databricks"))
    cast.this.type = node.expressions[0].type
    return _cast_integral(cast)


# --- division by zero -------------------------------------------------------------------------------

_ZERO_CHECK = "CASE WHEN _b = 0 AND _a IS NOT NULL THEN ERROR({message}) ELSE _r END"
DIVIDE_BY_ZERO = sql_string("[DIVIDE_BY_ZERO] Division by zero. Use `try_divide` to tolerate divisor "
                            "being 0 and return NULL instead.")
REMAINDER_BY_ZERO = sql_string("[REMAINDER_BY_ZERO] Remainder by zero. Use `try_mod` to tolerate "
                               "divisor being 0 and return NULL instead.")


def _zero_checked(dividend: exp.Expr, divisor: exp.Expr, result: exp.Expr, message: str) -> exp.Expr:
    """`result`, or Spark's ANSI error when a non-NULL dividend meets a zero divisor (DuckDB's `/`
    returns inf or NULL, its `%` and `//` raise a message of their own)."""
    if nonzero_number(divisor) or isinstance(dividend, exp.Null):
        return result
    return fill(_ZERO_CHECK.format(message=message), a=dividend, b=divisor, r=result)


def _divide(node: exp.Div | exp.IntDiv) -> exp.Expr:
    """`/` and `div` raise DIVIDE_BY_ZERO; try_divide (a safe Div) keeps returning NULL."""
    if node.args.get("safe"):
        return node
    return _zero_checked(node.this, node.expression, node, DIVIDE_BY_ZERO)


def _modulo(node: exp.Mod) -> exp.Expr:
    """`%` and mod() raise REMAINDER_BY_ZERO (DuckDB's own error does not name it)."""
    return _zero_checked(node.this, node.expression, node, REMAINDER_BY_ZERO)


def _pmod(node: exp.Anonymous) -> exp.Expr:
    """pmod is the non-negative remainder; by zero it raises REMAINDER_BY_ZERO like `%`."""
    a, n = node.expressions[0], node.expressions[1]
    result = fill("CASE WHEN _a % _n < 0 THEN (_a % _n + _n) % _n ELSE _a % _n END", a=a, n=n)
    return _zero_checked(a, n, result, REMAINDER_BY_ZERO)


def _try_mod(node: exp.Anonymous) -> exp.Expr:
    """try_mod is NULL for a zero divisor (DuckDB has no try_mod)."""
    return fill("CASE WHEN _b <> 0 THEN _a % _b END", a=node.expressions[0], b=node.expressions[1])


# --- DECIMAL products -------------------------------------------------------------------------------

MAX_PRECISION = 38
MIN_ADJUSTED_SCALE = 6


def spark_product_type(left: tuple[int, int], right: tuple[int, int]) -> tuple[int, int]:
    """Spark's DECIMAL(p1,s1) * DECIMAL(p2,s2): DECIMAL(p1+p2+1, s1+s2); beyond 38 digits the scale
    gives way (down to 6) so the integral digits fit."""
    precision, scale = left[0] + right[0] + 1, left[1] + right[1]
    if precision <= MAX_PRECISION:
        return precision, scale
    integral = precision - scale
    return MAX_PRECISION, max(MAX_PRECISION - integral, min(scale, MIN_ADJUSTED_SCALE))


def _decimal_product(node: exp.Mul) -> exp.Expr:
    """DuckDB types DECIMAL(38,18) * DECIMAL(30,18) as DECIMAL(38,36) and overflows from 100 on
    (and DECIMAL(10,2) * DECIMAL(10,3) as DECIMAL(18,5)); Spark answers DECIMAL(38,6), the exact
    product rounded half up. Up to 38 digits the exact product is widened, then given Spark's type;
    beyond, it is put together exactly from 38-digit pieces (`_exact_wide_product`)."""
    left, right = decimal_params(node.this), decimal_params(node.expression)
    if left is None or right is None or left[0] + right[0] <= 18:
        return node
    precision, scale = spark_product_type(left, right)
    if left[0] + right[0] <= MAX_PRECISION:
        template = f"CAST(CAST(_a AS DECIMAL(38, {left[1]})) * _b AS DECIMAL({precision}, {scale}))"
        product = fill(template, a=node.this, b=node.expression)
    elif _pieces_fit(left, right):
        product = _exact_wide_product(node.this, node.expression, left, right, (precision, scale))
    else:
        template = f"CAST(CAST(_a AS DOUBLE) * CAST(_b AS DOUBLE) AS DECIMAL({precision}, {scale}))"
        product = fill(template, a=node.this, b=node.expression)  # 15-16 significant digits
    product.type = exp.DataType.build(f"DECIMAL({precision}, {scale})")
    return product


def _pieces_fit(left: tuple[int, int], right: tuple[int, int]) -> bool:
    """Whether each partial product of `_exact_wide_product` fits DuckDB's 38 digits."""
    (p1, s1), (p2, s2) = left, right
    return (s1 >= 1 and s2 >= 1 and s1 + s2 <= MAX_PRECISION - 2 and p1 - s1 + s2 <= MAX_PRECISION
            and s1 + p2 - s2 <= MAX_PRECISION and p1 - s1 + p2 - s2 <= MAX_PRECISION)


def _exact_wide_product(a: exp.Expr, b: exp.Expr, left: tuple[int, int], right: tuple[int, int],
                        result: tuple[int, int]) -> exp.Expr:
    """|a| * |b| as (whole parts) and (fractions): with a = ai + af and b = bi + bf,
    |a||b| = ai*bi + ai*bf + af*bi + af*bf. Each piece is exact in 38 digits; the whole parts of the
    pieces add up to an integer, the fractions to less than 3 (36 digits), so rounding the fractions
    to Spark's scale rounds the product. The sign is put back last (half up = away from zero)."""
    (p1, s1), (p2, s2), (precision, scale) = left, right, result
    ai, af = _split(a, p1, s1)
    bi, bf = _split(b, p2, s2)
    ai_bf, af_bi = fill("_i * _f", i=ai, f=bf), fill("_f * _i", f=af, i=bi)
    whole = fill("_i * _j + CAST(TRUNC(_x) AS DECIMAL(38, 0)) + CAST(TRUNC(_y) AS DECIMAL(38, 0))",
                 i=ai, j=bi, x=ai_bf, y=af_bi)
    fraction = fill(f"CAST(_x - TRUNC(_x) AS DECIMAL({s2}, {s2})) + CAST(_y - TRUNC(_y) AS DECIMAL({s1}, {s1}))"
                    " + _f * _g", x=ai_bf, y=af_bi, f=af, g=bf)
    magnitude = fill(f"CAST(_w AS DECIMAL(38, {scale})) + ROUND(_r, {scale})", w=whole, r=fraction)
    return fill(f"CAST(_m * (SIGN(_a) * SIGN(_b)) AS DECIMAL({precision}, {scale}))", a=a, b=b, m=magnitude)


def _split(value: exp.Expr, precision: int, scale: int) -> tuple[exp.Expr, exp.Expr]:
    """|value| as its whole part DECIMAL(p-s, 0) and its fraction DECIMAL(s, s)."""
    magnitude = fill("ABS(_x)", x=value)
    whole = fill(f"CAST(TRUNC(_m) AS DECIMAL({max(precision - scale, 1)}, 0))", m=magnitude)
    fraction = fill(f"CAST(_m - TRUNC(_m) AS DECIMAL({scale}, {scale}))", m=magnitude)
    return whole, fraction


# --- rounding -----------------------------------------------------------------------------------------

_ROUND_DOUBLE = """COALESCE(CAST({function}(TRY_CAST(CAST(_x AS VARCHAR) AS DECIMAL(38, 10)), _n) AS DOUBLE),
                            {function}(_x, _n))"""


def _round_double(node: exp.Expr) -> exp.Expr:
    """Spark rounds a DOUBLE through its shortest decimal text (round(2.675, 2) = 2.68); DuckDB
    rounds the binary value (2.67). FLOAT is rounded as DuckDB does (Spark gives 2.67 there too).
    Values too large for DECIMAL(38, 10) have no fraction left to round and are rounded as they are."""
    value = node.this if not isinstance(node, exp.Anonymous) else node.expressions[0]
    if not has_type(value, DType.DOUBLE):
        return node
    digits = node.args.get("decimals") if isinstance(node, exp.Round) else nth_arg(node, 1)
    function = "ROUND" if isinstance(node, exp.Round) else "ROUND_EVEN"
    return fill(_ROUND_DOUBLE.format(function=function), x=value, n=digits or exp.Literal.number(0))


def _bround(node: exp.Anonymous) -> exp.Expr:
    """bround is HALF_EVEN rounding."""
    if _round_double(node) is not node:
        return _round_double(node)
    return fill("ROUND_EVEN(_x, _n)", x=node.expressions[0], n=nth_arg(node, 1) or exp.Literal.number(0))


# --- aggregates ---------------------------------------------------------------------------------------

def _percentile(node: exp.Quantile) -> exp.Expr:
    """Spark percentile() interpolates (like quantile_cont); DuckDB quantile() picks a row."""
    return fill("QUANTILE_CONT(_x, _q)", x=node.this, q=node.args["quantile"])


def _approx_percentile(node: exp.ApproxQuantile) -> exp.Expr:
    """Spark's percentile_approx returns an input value, exact below its accuracy (10000 rows by
    default): DuckDB's quantile_disc. DuckDB's approx_quantile interpolates (1 and 10 → 5.5)."""
    return fill("QUANTILE_DISC(_x, _q)", x=node.this, q=node.args["quantile"])


def _count_distinct(node: exp.ApproxDistinct) -> exp.Expr:
    """approx_count_distinct: the exact count (what Spark estimates); the two HyperLogLogs differ."""
    return exp.Count(this=exp.Distinct(expressions=[node.this.copy()]))


FIXERS: dict[type, Fixer] = {
    exp.Cast: _cast_integral,  # TryCast too
    exp.Div: _divide,
    exp.IntDiv: _divide,
    exp.Mod: _modulo,
    exp.Mul: _decimal_product,
    exp.Round: _round_double,
    exp.Quantile: _percentile,
    exp.ApproxQuantile: _approx_percentile,
    exp.ApproxDistinct: _count_distinct,
    exp.SafeAdd: lambda node: exp.Add(this=node.this, expression=node.expression),
    exp.SafeSubtract: lambda node: exp.Sub(this=node.this, expression=node.expression),
    exp.SafeMultiply: lambda node: exp.Mul(this=node.this, expression=node.expression),
}

ANONYMOUS: dict[str, Fixer] = {
    "pmod": _pmod,
    "try_mod": _try_mod,
    "bround": _bround,
    **{name: _cast_function for name in ("bigint", "smallint", "tinyint", "float", "decimal")},
}
