"""Rewrites for Databricks constructs that sqlglot turns into DuckDB SQL which runs but answers
differently from Spark (or does not run at all).

`apply` runs on the tree sqlglot parsed with `read="databricks"`, before the DuckDB generator. Each
fixer replaces one node kind with DuckDB SQL that gives Spark's answer; every one is pinned by a test
whose expected value was checked on Apache Spark (tests/engine/test_dialect_spark.py).

Conventions that keep this small:
- Replacements are written as DuckDB SQL templates (`_fill`) with `_name` placeholders, so each fix
  reads like the SQL it produces.
- Nodes are visited children-first, so a fixer sees already-fixed arguments and its output is not
  visited again (no fixer can loop on its own output).
- Types come from sqlglot's `annotate_types` on the original tree. Column types are unknown there
  (no schema), so type-dependent fixes apply to literals, casts and typed functions only.
- Timestamps: the mirror stores naive UTC and the Spark session time zone is UTC, so Databricks
  TIMESTAMP maps to DuckDB TIMESTAMP (naive), never TIMESTAMPTZ. That keeps results independent of
  the DuckDB session time zone and makes `date_trunc` & co return plain TIMESTAMPs.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Callable

import sqlglot
from sqlglot import exp
from sqlglot.errors import SqlglotError
from sqlglot.optimizer.annotate_types import annotate_types

Fixer = Callable[[exp.Expr], exp.Expr]
DType = exp.DataType.Type

_TIMESTAMP_TYPES = (DType.TIMESTAMP, DType.TIMESTAMPTZ, DType.TIMESTAMPLTZ, DType.TIMESTAMPNTZ)
_DATE_UNITS = {"DAY", "DAYS", "WEEK", "WEEKS", "MONTH", "MONTHS", "QUARTER", "QUARTERS", "YEAR", "YEARS"}
_TRUNC_UNITS = {"YYYY": "YEAR", "YY": "YEAR", "MON": "MONTH", "MM": "MONTH", "DD": "DAY"}
_ATOMS = (exp.Column, exp.Literal, exp.Func, exp.Paren, exp.Placeholder, exp.Null, exp.Boolean,
          exp.Lambda, exp.Identifier, exp.Var, exp.Bracket)


def apply(tree: exp.Expr) -> exp.Expr:
    """Return `tree` with every known-wrong translation rewritten (children before parents)."""
    try:
        annotate_types(tree, dialect="databricks")
    except SqlglotError:  # types only sharpen some fixes; without them the others still apply
        pass
    for node in reversed(list(tree.walk())):  # reversed pre-order: descendants come first
        fixer = _fixer_for(node)
        if fixer is None:
            continue
        new = fixer(node)
        if new is not node:
            if new.type is None or new.type.this == DType.UNKNOWN:
                new.type = node.type
            if node is tree:
                tree = new
            else:
                node.replace(new)
    return tree


def _fixer_for(node: exp.Expr) -> Fixer | None:
    if isinstance(node, exp.Anonymous):
        return _ANONYMOUS.get(node.name.lower())
    for cls in type(node).__mro__:  # subclasses too: TryCast is a Cast, explode_outer an Explode
        if cls in _FIXERS:
            return _FIXERS[cls]
    return None


# --- helpers -------------------------------------------------------------------------------------

@lru_cache(maxsize=None)
def _parsed(template: str) -> exp.Expr:
    return sqlglot.parse_one(template, read="duckdb")


def _fill(template: str, **args: exp.Expr) -> exp.Expr:
    """DuckDB SQL `template` with each column `_name` replaced by a copy of `args[name]`."""
    tree = _parsed(template).copy()
    for col in list(tree.find_all(exp.Column)):
        arg = args.get(col.name[1:]) if col.name.startswith("_") and not col.table else None
        if arg is not None:
            arg = arg.copy()
            col.replace(arg if isinstance(arg, _ATOMS) else exp.paren(arg, copy=False))
    return tree


def _is(node: exp.Expr | None, *types: DType) -> bool:
    """True when sqlglot inferred one of `types` for `node` (False when unknown)."""
    return node is not None and node.type is not None and node.type.is_type(*types)


def _unit(node: exp.Expr) -> str:
    unit = node.args.get("unit")
    return unit.name.upper() if unit is not None else ""


def _arg(node: exp.Expr, index: int) -> exp.Expr | None:
    args = node.expressions
    return args[index] if len(args) > index else None


def _cast_to_date(node: exp.Expr) -> exp.Expr:
    return exp.cast(node.copy(), DType.DATE)


# --- time zones and timestamp types ---------------------------------------------------------------

def _naive_timestamp(node: exp.DataType) -> exp.Expr:
    """Databricks TIMESTAMP (sqlglot: TIMESTAMPTZ/LTZ) → DuckDB naive TIMESTAMP (UTC wall clock)."""
    if node.this in (DType.TIMESTAMPTZ, DType.TIMESTAMPLTZ):
        node.set("this", DType.TIMESTAMP)
    return node


def _current_timestamp(_: exp.Expr) -> exp.Expr:
    """`current_timestamp()` as the naive UTC wall clock, whatever DuckDB's TimeZone setting."""
    return _fill("CURRENT_TIMESTAMP AT TIME ZONE 'UTC'")


def _current_date(_: exp.Expr) -> exp.Expr:
    return _fill("CAST(CURRENT_TIMESTAMP AT TIME ZONE 'UTC' AS DATE)")


def _from_utc_timestamp(node: exp.AtTimeZone) -> exp.Expr:
    """from_utc_timestamp(ts, tz): read naive ts as UTC, show the wall clock in tz."""
    return _fill("(_ts AT TIME ZONE 'UTC') AT TIME ZONE _tz", ts=node.this, tz=node.args["zone"])


# --- day of week, extract, truncation --------------------------------------------------------------

def _dayofweek(node: exp.DayOfWeek) -> exp.Expr:
    """Spark dayofweek is 1 = Sunday … 7 = Saturday; DuckDB's is 0 = Sunday … 6."""
    return _fill("DAYOFWEEK(_d) + 1", d=node.this)


def _weekday(node: exp.Anonymous) -> exp.Expr:
    """Spark weekday is 0 = Monday … 6 = Sunday (DuckDB has no weekday())."""
    return _fill("ISODOW(CAST(_d AS DATE)) - 1", d=node.expressions[0])


_EXTRACT_TEMPLATES = {
    "DOW": "DAYOFWEEK(_d) + 1", "DAYOFWEEK": "DAYOFWEEK(_d) + 1",
    "DOW_ISO": "ISODOW(_d)", "DAYOFWEEK_ISO": "ISODOW(_d)", "YEAROFWEEK": "ISOYEAR(_d)",
    # Spark returns seconds with the fraction, as DECIMAL(8,6); DuckDB's SECOND is whole seconds.
    "SECOND": "CAST(EXTRACT(MICROSECOND FROM _d) / 1000000 AS DECIMAL(8, 6))",
    "SECONDS": "CAST(EXTRACT(MICROSECOND FROM _d) / 1000000 AS DECIMAL(8, 6))",
}


def _extract(node: exp.Extract) -> exp.Expr:
    template = _EXTRACT_TEMPLATES.get(node.name.upper())
    return _fill(template, d=node.expression) if template else node


def _date_part(node: exp.Anonymous) -> exp.Expr:
    """date_part('field', x) is Spark's extract(field FROM x)."""
    field, source = _arg(node, 0), _arg(node, 1)
    if not (isinstance(field, exp.Literal) and field.is_string and source is not None):
        return node
    return _extract(exp.Extract(this=exp.var(field.name.upper()), expression=source))


def _date_trunc_unit(node: exp.Expr) -> exp.Expr:
    """Spark accepts 'MM', 'MON', 'YY', 'YYYY', 'DD' as units; DuckDB does not."""
    unit = _unit(node)
    if unit:
        node.set("unit", exp.Literal.string(_TRUNC_UNITS.get(unit, unit)))
    return node


def _trunc(node: exp.DateTrunc) -> exp.Expr:
    """Spark trunc(date, fmt) returns a DATE; DuckDB date_trunc returns a TIMESTAMP."""
    return _cast_to_date(_date_trunc_unit(node))


# --- date arithmetic ------------------------------------------------------------------------------

def _date_add(node: exp.TsOrDsAdd) -> exp.Expr:
    """date_add/date_sub/dateadd(date, n) return a DATE in Spark, not a TIMESTAMP."""
    return _fill("CAST(_d AS DATE) + _n", d=node.this, n=node.expression)


def _date_arith(node: exp.Add | exp.Sub) -> exp.Expr:
    """DATE ± INTERVAL n DAYS/MONTHS is a DATE in Spark; DATE - DATE is an interval of days."""
    left, right = node.this, node.expression
    if not _is(left, DType.DATE):
        return node
    if isinstance(right, exp.Interval) and _unit(right) in _DATE_UNITS:
        return _cast_to_date(node)
    if isinstance(node, exp.Sub) and _is(right, DType.DATE):
        return _fill("TO_DAYS(CAST(_e AS INTEGER))", e=node)
    return node


_ELAPSED_END_DATE = """CASE
  WHEN CAST(_e AS DATE) > CAST(_s AS DATE) AND CAST(_e AS TIME) < CAST(_s AS TIME) THEN CAST(_e AS DATE) - 1
  WHEN CAST(_e AS DATE) < CAST(_s AS DATE) AND CAST(_e AS TIME) > CAST(_s AS TIME) THEN CAST(_e AS DATE) + 1
  ELSE CAST(_e AS DATE) END"""
_ELAPSED_MONTHS = "((YEAR(_e) * 12 + MONTH(_e)) * 32 + DAY(_e) - ((YEAR(_s) * 12 + MONTH(_s)) * 32 + DAY(_s))) // 32"
_MONTHS_PER_UNIT = {"MONTH": 1, "QUARTER": 3, "YEAR": 12}


def _timestampdiff(node: exp.TimestampDiff | exp.DateDiff) -> exp.Expr:
    """Spark counts whole units elapsed (Java ChronoUnit.between); DuckDB date_diff counts
    boundaries crossed. DuckDB's date_sub matches for fixed-length units; months follow Java's
    rule (end moved back a day when its time of day is earlier, then whole months by day of month).
    `datediff(end, start)` (days between dates) parses to the same node with unit DAY and is left
    alone: for it boundary counting is right."""
    unit = _unit(node).rstrip("S")
    start, end = node.expression, node.this
    if isinstance(node, exp.DateDiff) and unit == "DAY":
        return node
    if unit in _MONTHS_PER_UNIT:
        s, e = _fill("CAST(_x AS TIMESTAMP)", x=start), _fill("CAST(_x AS TIMESTAMP)", x=end)
        months = _fill(_ELAPSED_MONTHS, s=s, e=_fill(_ELAPSED_END_DATE, s=s, e=e))
        return months if unit == "MONTH" else _fill(f"_m // {_MONTHS_PER_UNIT[unit]}", m=months)
    if unit in ("WEEK", "DAY", "HOUR", "MINUTE", "SECOND", "MILLISECOND", "MICROSECOND"):
        return _fill(f"DATE_SUB('{unit.lower()}', _s, _e)", s=start, e=end)
    return node


_MONTHS_BETWEEN = """(YEAR(_a) - YEAR(_b)) * 12 + MONTH(_a) - MONTH(_b) + CASE
  WHEN DAY(_a) = DAY(_b) OR (DAY(_a) = DAY(LAST_DAY(_a)) AND DAY(_b) = DAY(LAST_DAY(_b))) THEN 0
  ELSE ((DAY(_a) - DAY(_b)) * 86400 + (HOUR(_a) - HOUR(_b)) * 3600 + (MINUTE(_a) - MINUTE(_b)) * 60
        + SECOND(_a) - SECOND(_b)) / 2678400 END"""


def _months_between(node: exp.MonthsBetween) -> exp.Expr:
    """Spark's formula: time of day counts, a month is 31 days, rounded to 8 digits by default."""
    a, b = (_fill("CAST(_x AS TIMESTAMP)", x=x) for x in (node.this, node.expression))
    months = _fill(_MONTHS_BETWEEN, a=a, b=b)
    round_off = node.args.get("roundoff")
    if isinstance(round_off, exp.Boolean) and not round_off.this:
        return months
    return _fill("ROUND(_m, 8)", m=months)


def _sequence(node: exp.GenerateSeries) -> exp.Expr:
    """Spark sequence() counts down when start > end and returns DATEs for dates (DuckDB: no
    DATE overload, and an empty list when counting down without a step)."""
    start, end, step = node.args.get("start"), node.args.get("end"), node.args.get("step")
    dates = _is(start, DType.DATE) or _is(end, DType.DATE)
    if dates:
        step = step or _fill("CASE WHEN _a <= _b THEN INTERVAL 1 DAY ELSE INTERVAL (-1) DAY END",
                             a=start, b=end)
        return _fill("CAST(GENERATE_SERIES(CAST(_a AS DATE), CAST(_b AS DATE), _s) AS DATE[])",
                     a=start, b=end, s=step)
    if step is None:
        return _fill("GENERATE_SERIES(_a, _b, CASE WHEN _a <= _b THEN 1 ELSE -1 END)", a=start, b=end)
    return node


# --- epoch conversions ----------------------------------------------------------------------------

_EPOCH_SECONDS = "CAST(FLOOR(EPOCH(CAST(_t AS TIMESTAMP))) AS BIGINT)"
_DEFAULT_TIME_FORMAT = "%Y-%m-%d %H:%M:%S"


def _is_default_format(fmt: exp.Expr | None) -> bool:
    return fmt is None or (isinstance(fmt, exp.Literal) and fmt.name.replace("strict", "") ==
                           _DEFAULT_TIME_FORMAT)


def _unix_timestamp(node: exp.StrToUnix) -> exp.Expr:
    """unix_timestamp()/unix_timestamp(ts): whole seconds as BIGINT (sqlglot emits strptime on a
    timestamp, which does not bind). With a string and a format: parse, then whole seconds."""
    value, fmt = node.this, node.args.get("format")
    if value is None:
        return _fill(_EPOCH_SECONDS, t=_current_timestamp(node))
    if _is_default_format(fmt) and not _is(value, *exp.DataType.TEXT_TYPES):
        return _fill(_EPOCH_SECONDS, t=value)
    if fmt is None:
        node.set("format", exp.Literal.string(_DEFAULT_TIME_FORMAT))
    return _fill("CAST(FLOOR(_p) AS BIGINT)", p=node)


def _unix_seconds(node: exp.UnixSeconds) -> exp.Expr:
    """unix_seconds truncates; sqlglot's CAST(EPOCH(ts) AS BIGINT) rounds half a second up."""
    return _fill(_EPOCH_SECONDS, t=node.this)


def _from_epoch(scale: int) -> Fixer:
    """timestamp_seconds/millis/micros: naive UTC TIMESTAMP from a number of units since 1970."""
    def fix(node: exp.Expr) -> exp.Expr:
        value = node.this if not isinstance(node, exp.Anonymous) else node.expressions[0]
        return _fill(f"MAKE_TIMESTAMP(CAST(_v * {scale} AS BIGINT))", v=value)
    return fix


def _from_unixtime(node: exp.UnixToStr) -> exp.Expr:
    """from_unixtime formats in UTC (sqlglot's TO_TIMESTAMP is zoned, so formats in DuckDB's zone)."""
    fmt = node.args.get("format") or exp.Literal.string(_DEFAULT_TIME_FORMAT)
    return exp.TimeToStr(this=_from_epoch(1_000_000)(node), format=fmt)


def _fraction_format(node: exp.Expr) -> exp.Expr:
    """Spark's fraction-of-second patterns (SSS, SSSSSS) have no sqlglot mapping to strftime."""
    fmt = node.args.get("format")
    if isinstance(fmt, exp.Literal) and fmt.is_string and "SSS" in fmt.name:
        node.set("format", exp.Literal.string(fmt.name.replace("SSSSSS", "%f").replace("SSS", "%g")))
    return node


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
        _naive_timestamp(part)
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
    if node.to.is_type(*exp.DataType.INTEGER_TYPES) and _is(node.this, *exp.DataType.REAL_TYPES):
        node.set("this", _fill("TRUNC(_x)", x=node.this))
    return node


def _percentile(node: exp.Quantile) -> exp.Expr:
    """Spark percentile() interpolates (like quantile_cont); DuckDB quantile() picks a row."""
    return _fill("QUANTILE_CONT(_x, _q)", x=node.this, q=node.args["quantile"])


def _pmod(node: exp.Anonymous) -> exp.Expr:
    return _fill("CASE WHEN _a % _n < 0 THEN (_a % _n + _n) % _n ELSE _a % _n END",
                 a=node.expressions[0], n=node.expressions[1])


def _bround(node: exp.Anonymous) -> exp.Expr:
    """bround is HALF_EVEN rounding."""
    return _fill("ROUND_EVEN(_x, _n)", x=node.expressions[0], n=_arg(node, 1) or exp.Literal.number(0))


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
    return _fill("""CASE WHEN _n > 0 THEN ARRAY_TO_STRING(LIST_SLICE(STRING_SPLIT(_s, _d), 1, _n), _d)
                         WHEN _n < 0 THEN ARRAY_TO_STRING(LIST_SLICE(STRING_SPLIT(_s, _d), _n, -1), _d)
                         ELSE '' END""",
                 s=node.this, d=node.args["delimiter"], n=node.args["count"])


def _uuid(_: exp.Uuid) -> exp.Expr:
    """Spark's uuid() is a STRING; DuckDB's is a UUID (length(), || and LIKE fail on it)."""
    return _fill("CAST(UUID() AS VARCHAR)")


# --- arrays and maps --------------------------------------------------------------------------------

def _size(node: exp.ArraySize) -> exp.Expr:
    """size() works on maps as well as arrays; DuckDB's array_length does not take a map."""
    return _fill("CARDINALITY(_x)", x=node.this)


def _exists(node: exp.Exists) -> exp.Expr:
    """exists(array, x -> pred): sqlglot drops the lambda and emits a subquery EXISTS."""
    if not isinstance(node.expression, exp.Lambda):
        return node
    return _fill("CASE WHEN LEN(_a) = 0 THEN FALSE ELSE LIST_BOOL_OR(LIST_TRANSFORM(_a, _f)) END",
                 a=node.this, f=node.expression)


def _forall(node: exp.Anonymous) -> exp.Expr:
    return _fill("CASE WHEN LEN(_a) = 0 THEN TRUE ELSE LIST_BOOL_AND(LIST_TRANSFORM(_a, _f)) END",
                 a=node.expressions[0], f=node.expressions[1])


def _is_map(node: exp.Expr) -> bool:
    if isinstance(node, (exp.Map, exp.VarMap)) or _is(node, DType.MAP):
        return True
    return isinstance(node, exp.TryCast) and node.to.is_type(DType.MAP)


def _outer(values: exp.Expr) -> exp.Expr:
    """explode_outer keeps a row (of NULLs) for an empty or NULL array."""
    return _fill("CASE WHEN CARDINALITY(_a) > 0 THEN _a ELSE [NULL] END", a=values)


def _map_columns(values: exp.Expr, names: list[str], outer: bool) -> list[exp.Expr]:
    """explode(map) → two parallel UNNESTs over its keys and values."""
    keys, vals = _fill("MAP_KEYS(_m)", m=values), _fill("MAP_VALUES(_m)", m=values)
    if outer:
        keys, vals = _outer(keys), _outer(vals)
    return [exp.alias_(_fill("UNNEST(_l)", l=part), name) for part, name in zip((keys, vals), names)]


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


_FIXERS: dict[type, Fixer] = {
    exp.DataType: _naive_timestamp,
    exp.CurrentTimestamp: _current_timestamp,
    exp.CurrentDate: _current_date,
    exp.AtTimeZone: _from_utc_timestamp,
    exp.DayOfWeek: _dayofweek,
    exp.Extract: _extract,
    exp.TimestampTrunc: _date_trunc_unit,
    exp.DateTrunc: _trunc,
    exp.TsOrDsAdd: _date_add,
    exp.Add: _date_arith,
    exp.Sub: _date_arith,
    exp.TimestampDiff: _timestampdiff,
    exp.DateDiff: _timestampdiff,
    exp.MonthsBetween: _months_between,
    exp.GenerateSeries: _sequence,
    exp.StrToUnix: lambda node: _unix_timestamp(_fraction_format(node)),
    exp.UnixSeconds: _unix_seconds,
    exp.UnixToStr: lambda node: _from_unixtime(_fraction_format(node)),
    exp.TimeToStr: _fraction_format,
    exp.StrToTime: _fraction_format,
    exp.TsOrDsToDate: _fraction_format,
    exp.FromJson: _from_json,
    exp.JSONExtract: _json_path,
    exp.JSONExtractScalar: _json_path,
    exp.Cast: _cast_integral,
    exp.TryCast: _cast_integral,
    exp.Quantile: _percentile,
    exp.Like: _like_escape,
    exp.ILike: _like_escape,
    exp.Substring: _substring,
    exp.SubstringIndex: _substring_index,
    exp.Uuid: _uuid,
    exp.ArraySize: _size,
    exp.Exists: _exists,
    exp.Lateral: _lateral_view,
    exp.Select: _select_explodes,
}

_ANONYMOUS: dict[str, Fixer] = {
    "weekday": _weekday,
    "date_part": _date_part,
    "pmod": _pmod,
    "bround": _bround,
    "some": lambda node: _fill("BOOL_OR(_x)", x=node.expressions[0]),
    "arrays_overlap": lambda node: _fill("LIST_HAS_ANY(_a, _b)", a=node.expressions[0],
                                         b=node.expressions[1]),
    "forall": _forall,
    "timestamp_seconds": _from_epoch(1_000_000),
    "timestamp_millis": _from_epoch(1_000),
    "timestamp_micros": _from_epoch(1),
}
