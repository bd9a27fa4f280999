"""Dialect fixes for dates and times: Spark's answer where sqlglot's DuckDB SQL differs.

Databricks TIMESTAMP becomes DuckDB's naive TIMESTAMP (the mirror stores the UTC wall clock and the
Spark session zone is UTC), so no result depends on DuckDB's TimeZone setting.
"""

from __future__ import annotations

import re

from sqlglot import exp

from telemetry.engine.fixes_common import (
    TIMESTAMP_TYPES,
    DType,
    Fixer,
    cast_to_date,
    fill,
    has_type,
    nth_arg,
    unit_of,
)

_DATE_UNITS = {"DAY", "DAYS", "WEEK", "WEEKS", "MONTH", "MONTHS", "QUARTER", "QUARTERS", "YEAR", "YEARS"}
_TRUNC_UNITS = {"YYYY": "YEAR", "YY": "YEAR", "MON": "MONTH", "MM": "MONTH", "DD": "DAY"}


# --- time zones and timestamp types ---------------------------------------------------------------

def naive_timestamp(node: exp.DataType) -> exp.Expr:
    """Databricks TIMESTAMP (sqlglot: TIMESTAMPTZ/LTZ) → DuckDB naive TIMESTAMP (UTC wall clock)."""
    if node.this in (DType.TIMESTAMPTZ, DType.TIMESTAMPLTZ):
        node.set("this", DType.TIMESTAMP)
    return node


def _current_timestamp(_: exp.Expr) -> exp.Expr:
    """`current_timestamp()` as the naive UTC wall clock, whatever DuckDB's TimeZone setting."""
    return fill("CURRENT_TIMESTAMP AT TIME ZONE 'UTC'")


def _current_date(_: exp.Expr) -> exp.Expr:
    return fill("CAST(CURRENT_TIMESTAMP AT TIME ZONE 'UTC' AS DATE)")


def _from_utc_timestamp(node: exp.AtTimeZone) -> exp.Expr:
    """from_utc_timestamp(ts, tz): read naive ts as UTC, show the wall clock in tz."""
    return fill("(_ts AT TIME ZONE 'UTC') AT TIME ZONE _tz", ts=node.this, tz=node.args["zone"])


# --- day of week, extract, truncation --------------------------------------------------------------

def _dayofweek(node: exp.DayOfWeek) -> exp.Expr:
    """Spark dayofweek is 1 = Sunday … 7 = Saturday; DuckDB's is 0 = Sunday … 6."""
    return fill("DAYOFWEEK(_d) + 1", d=node.this)


def _weekday(node: exp.Anonymous) -> exp.Expr:
    """Spark weekday is 0 = Monday … 6 = Sunday (DuckDB has no weekday())."""
    return fill("ISODOW(CAST(_d AS DATE)) - 1", d=node.expressions[0])


_EXTRACT_TEMPLATES = {
    "DOW": "DAYOFWEEK(_d) + 1", "DAYOFWEEK": "DAYOFWEEK(_d) + 1",
    "DOW_ISO": "ISODOW(_d)", "DAYOFWEEK_ISO": "ISODOW(_d)", "YEAROFWEEK": "ISOYEAR(_d)",
    # Spark returns seconds with the fraction, as DECIMAL(8,6); DuckDB's SECOND is whole seconds.
    "SECOND": "CAST(EXTRACT(MICROSECOND FROM _d) / 1000000 AS DECIMAL(8, 6))",
    "SECONDS": "CAST(EXTRACT(MICROSECOND FROM _d) / 1000000 AS DECIMAL(8, 6))",
}


def _extract(node: exp.Extract) -> exp.Expr:
    template = _EXTRACT_TEMPLATES.get(node.name.upper())
    return fill(template, d=node.expression) if template else node


def _date_part(node: exp.Anonymous) -> exp.Expr:
    """date_part('field', x) is Spark's extract(field FROM x)."""
    field, source = nth_arg(node, 0), nth_arg(node, 1)
    if not (isinstance(field, exp.Literal) and field.is_string and source is not None):
        return node
    return _extract(exp.Extract(this=exp.var(field.name.upper()), expression=source))


def _date_trunc_unit(node: exp.Expr) -> exp.Expr:
    """Spark accepts 'MM', 'MON', 'YY', 'YYYY', 'DD' as units; DuckDB does not."""
    unit = unit_of(node)
    if unit:
        node.set("unit", exp.Literal.string(_TRUNC_UNITS.get(unit, unit)))
    return node


def _trunc(node: exp.DateTrunc) -> exp.Expr:
    """Spark trunc(date, fmt) returns a DATE; DuckDB date_trunc returns a TIMESTAMP."""
    return cast_to_date(_date_trunc_unit(node))


# --- date arithmetic ------------------------------------------------------------------------------

def _date_add(node: exp.TsOrDsAdd) -> exp.Expr:
    """date_add/date_sub/dateadd(date, n) return a DATE in Spark, not a TIMESTAMP."""
    return fill("CAST(_d AS DATE) + _n", d=node.this, n=node.expression)


def _date_arith(node: exp.Add | exp.Sub) -> exp.Expr:
    """DATE ± INTERVAL n DAYS/MONTHS is a DATE in Spark; DATE - DATE is an interval of days."""
    left, right = node.this, node.expression
    if not has_type(left, DType.DATE):
        return node
    if isinstance(right, exp.Interval) and unit_of(right) in _DATE_UNITS:
        return cast_to_date(node)
    if isinstance(node, exp.Sub) and has_type(right, DType.DATE):
        return fill("TO_DAYS(CAST(_e AS INTEGER))", e=node)
    return node


_ELAPSED_MONTHS = """((YEAR(_e) * 12 + MONTH(_e)) * 32 + DAY(_e)
                    - ((YEAR(_s) * 12 + MONTH(_s)) * 32 + DAY(_s))) // 32"""
# Java moves the end back (forward) a day when it is later (earlier) but its time of day is earlier.
_ELAPSED_END_DATE = """CAST(_e AS DATE) + CASE
  WHEN _e > _s AND CAST(_e AS TIME) < CAST(_s AS TIME) THEN -1
  WHEN _e < _s AND CAST(_e AS TIME) > CAST(_s AS TIME) THEN 1 ELSE 0 END"""
_MONTHS_PER_UNIT = {"MONTH": 1, "QUARTER": 3, "YEAR": 12}


def _as_timestamp(node: exp.Expr) -> exp.Expr:
    return node if has_type(node, *TIMESTAMP_TYPES) else fill("CAST(_x AS TIMESTAMP)", x=node)


def _timestampdiff(node: exp.TimestampDiff) -> exp.Expr:
    """timestampdiff(unit, start, end), and datediff(unit, start, end), which our dialect parses to
    the same node: Spark counts whole units elapsed (Java ChronoUnit.between); DuckDB date_diff
    counts boundaries crossed. DuckDB's date_sub matches for fixed-length units; months follow
    Java's rule (end date adjusted by time of day, then whole months by day of month).
    `datediff(end, start)` (days between dates) is a DateDiff, left alone: for it boundary counting
    is right."""
    unit = unit_of(node).rstrip("S")
    start, end = node.expression, node.this
    if unit in _MONTHS_PER_UNIT:
        s, e = _as_timestamp(start), _as_timestamp(end)
        months = fill(_ELAPSED_MONTHS, s=s, e=fill(_ELAPSED_END_DATE, s=s, e=e))
        return months if unit == "MONTH" else fill(f"_m // {_MONTHS_PER_UNIT[unit]}", m=months)
    if unit in ("WEEK", "DAY", "HOUR", "MINUTE", "SECOND", "MILLISECOND", "MICROSECOND"):
        return fill(f"DATE_SUB('{unit.lower()}', _s, _e)", s=start, e=end)
    return node


_MONTHS_BETWEEN = """(YEAR(_a) - YEAR(_b)) * 12 + MONTH(_a) - MONTH(_b) + CASE
  WHEN DAY(_a) = DAY(_b) OR (DAY(_a) = DAY(LAST_DAY(_a)) AND DAY(_b) = DAY(LAST_DAY(_b))) THEN 0
  ELSE ((DAY(_a) - DAY(_b)) * 86400 + (HOUR(_a) - HOUR(_b)) * 3600 + (MINUTE(_a) - MINUTE(_b)) * 60
        + SECOND(_a) - SECOND(_b)) / 2678400 END"""


def _months_between(node: exp.MonthsBetween) -> exp.Expr:
    """Spark's formula: time of day counts, a month is 31 days, rounded to 8 digits by default."""
    a, b = _as_timestamp(node.this), _as_timestamp(node.expression)
    months = fill(_MONTHS_BETWEEN, a=a, b=b)
    round_off = node.args.get("roundoff")
    if isinstance(round_off, exp.Boolean) and not round_off.this:
        return months
    return fill("ROUND(_m, 8)", m=months)


def _sequence(node: exp.GenerateSeries) -> exp.Expr:
    """Spark sequence() counts down when start > end and returns DATEs for dates (DuckDB: no
    DATE overload, and an empty list when counting down without a step)."""
    start, end, step = node.args.get("start"), node.args.get("end"), node.args.get("step")
    dates = has_type(start, DType.DATE) or has_type(end, DType.DATE)
    if dates:
        step = step or fill("CASE WHEN _a <= _b THEN INTERVAL 1 DAY ELSE INTERVAL (-1) DAY END",
                             a=start, b=end)
        return fill("CAST(GENERATE_SERIES(CAST(_a AS DATE), CAST(_b AS DATE), _s) AS DATE[])",
                     a=start, b=end, s=step)
    if step is None:
        return fill("GENERATE_SERIES(_a, _b, CASE WHEN _a <= _b THEN 1 ELSE -1 END)", a=start, b=end)
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
        return fill(_EPOCH_SECONDS, t=_current_timestamp(node))
    if _is_default_format(fmt) and not has_type(value, *exp.DataType.TEXT_TYPES):
        return fill(_EPOCH_SECONDS, t=value)
    if fmt is None:
        node.set("format", exp.Literal.string(_DEFAULT_TIME_FORMAT))
    return fill("CAST(FLOOR(_p) AS BIGINT)", p=node)


def _unix_seconds(node: exp.UnixSeconds) -> exp.Expr:
    """unix_seconds truncates; sqlglot's CAST(EPOCH(ts) AS BIGINT) rounds half a second up."""
    return fill(_EPOCH_SECONDS, t=node.this)


def _from_epoch(scale: int) -> Fixer:
    """timestamp_seconds/millis/micros: naive UTC TIMESTAMP from a count of units since 1970
    (exact DECIMAL arithmetic: an INT times 1e6 overflows, a DOUBLE loses microseconds)."""
    def fix(node: exp.Expr) -> exp.Expr:
        value = node.expressions[0] if isinstance(node, exp.Anonymous) else node.this
        micros = f"CAST(_v AS DECIMAL(38, 6)) * {scale}" if scale > 1 else "_v"
        return fill(f"MAKE_TIMESTAMP(CAST({micros} AS BIGINT))", v=value)
    return fix


def _from_unixtime(node: exp.UnixToStr) -> exp.Expr:
    """from_unixtime formats in UTC (sqlglot's TO_TIMESTAMP is zoned, so formats in DuckDB's zone)."""
    fmt = node.args.get("format") or exp.Literal.string(_DEFAULT_TIME_FORMAT)
    return exp.TimeToStr(this=_from_epoch(1_000_000)(node), format=fmt)


def _spark_format(node: exp.Expr) -> exp.Expr:
    """Spark datetime patterns sqlglot leaves unmapped: fractions of a second (SSS, SSSSSS) and
    quoted literal text ('T')."""
    fmt = node.args.get("format")
    if isinstance(fmt, exp.Literal) and fmt.is_string and ("SSS" in fmt.name or "'" in fmt.name):
        text = fmt.name.replace("SSSSSS", "%f").replace("SSS", "%g")
        text = re.sub(r"'([^'%]*)'", lambda quoted: quoted.group(1) or "'", text)
        node.set("format", exp.Literal.string(text))
    return node


FIXERS: dict[type, Fixer] = {
    exp.DataType: naive_timestamp,
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
    exp.MonthsBetween: _months_between,
    exp.GenerateSeries: _sequence,
    exp.StrToUnix: lambda node: _unix_timestamp(_spark_format(node)),
    exp.UnixSeconds: _unix_seconds,
    exp.UnixToStr: lambda node: _from_unixtime(_spark_format(node)),
    exp.TimeToStr: _spark_format,
    exp.StrToTime: _spark_format,
    exp.TsOrDsToDate: _spark_format,
}

ANONYMOUS: dict[str, Fixer] = {
    "weekday": _weekday,
    "date_part": _date_part,
    "timestamp_seconds": _from_epoch(1_000_000),
    "timestamp_millis": _from_epoch(1_000),
    "timestamp_micros": _from_epoch(1),
}
