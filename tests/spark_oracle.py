"""Apache Spark SQL as the dialect oracle: a local session, the demo mirror loaded into it, and
result comparison between Spark rows and DuckDB rows.

Spark runs the Databricks SQL as written (only table names are mapped, with the same function the
embedded engine uses) and binds `:name` parameters natively, so it plays the warehouse. DuckDB runs
`telemetry.engine.dialect.translate(sql)`. A difference between the two is a translation bug (or a
limit to document), never a test-data question.
"""

from __future__ import annotations

import logging
import math
import re
import tempfile
import warnings
from collections.abc import Iterable, Iterator, Mapping, Sequence
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow as pa
import pytest
import sqlglot
from sqlglot import exp
from sqlglot.dialects.databricks import Databricks
from sqlglot.tokens import TokenType

from telemetry.engine.arrow import to_frame
from telemetry.engine.dialect import mirror_table_name, translate

REL_TOL = 1e-9


# --- Spark session and tables -----------------------------------------------------------------------

def make_spark_session(warehouse_dir: Path | None = None) -> Any:
    """A small local Spark: UTC session time zone (Databricks' default, and what the mirror's naive
    timestamps mean), ANSI mode as on SQL warehouses, no UI, two shuffle partitions."""
    from pyspark.sql import SparkSession

    with warnings.catch_warnings():  # pyspark warns once, at this import, that pandas 3 is new to it
        warnings.simplefilter("ignore", FutureWarning)
        import pyspark.testing.utils  # noqa: F401

    warehouse_dir = warehouse_dir or Path(tempfile.mkdtemp(prefix="spark-warehouse-"))
    spark = (SparkSession.builder.master("local[2]").appName("ops-console-dialect-oracle")
             .config("spark.sql.session.timeZone", "UTC")
             .config("spark.sql.ansi.enabled", "true")
             .config("spark.ui.enabled", "false")
             .config("spark.ui.showConsoleProgress", "false")
             .config("spark.sql.shuffle.partitions", "2")
             .config("spark.default.parallelism", "2")
             .config("spark.sql.warehouse.dir", str(warehouse_dir))
             .getOrCreate())
    spark.sparkContext.setLogLevel("ERROR")
    from pyspark.logger import PySparkLogger  # it logs a page of JSON per failing statement

    PySparkLogger.getLogger("SQLQueryContextLogger").setLevel(logging.CRITICAL)
    return spark


@pytest.fixture(scope="session")
def spark(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    """One local Spark session for the whole test run (starting one takes seconds)."""
    session = make_spark_session(tmp_path_factory.mktemp("spark-warehouse"))
    yield session
    session.stop()


@pytest.fixture(scope="session")
def spark_demo(spark: Any, demo_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Any:
    """The Spark session with every table of the session's demo mirror registered."""
    from telemetry.mirror.schema import DATABRICKS_SCHEMAS

    load_tables_into_spark(spark, demo_db, DATABRICKS_SCHEMAS, workdir=tmp_path_factory.mktemp("parquet"))
    return spark


def load_tables_into_spark(spark: Any, duckdb_path: Path, schemas: Mapping[str, Sequence[tuple[str, str]]],
                           tables: Mapping[str, str] | None = None, workdir: Path | None = None) -> list[str]:
    """Register the mirror tables of a DuckDB file in Spark under their mapped names.

    `schemas` maps a table (a config key such as `audit`, or a full name) to its (column,
    Databricks type) list. Each table is exported to parquet and exposed as the view
    `catalog__schema.table` that casts every column to its Databricks type, so Spark sees the
    warehouse's types. Configured tables that exist in the file but have no entry in `schemas` are
    registered too, with parquet's types (naive timestamps read as TIMESTAMP). Returns the names.
    """
    import duckdb

    workdir = workdir or Path(tempfile.mkdtemp(prefix="mirror-parquet-"))
    tables = dict(tables or _default_tables())
    loaded = []
    with duckdb.connect(str(duckdb_path), read_only=True) as con:
        present = {f"{schema}.{name}" for schema, name in
                   con.execute("SELECT schema_name, table_name FROM duckdb_tables()").fetchall()}
        for key, columns in schemas.items():
            if key not in tables and "." not in key:
                raise KeyError(f"no table name for schema key {key!r}: add it to telemetry.config.TABLE_SPECS")
            loaded.append(_register(spark, con, mirror_table_name(tables.pop(key, key)), workdir, columns))
        for name in tables.values():
            if mirror_table_name(name) in present:
                loaded.append(_register(spark, con, mirror_table_name(name), workdir, None))
    return loaded


def _register(spark: Any, con: Any, mapped: str, workdir: Path,
              columns: Sequence[tuple[str, str]] | None) -> str:
    """Export one DuckDB table to parquet and expose it in Spark as a view casting to `columns`."""
    from pyspark.sql.types import TimestampNTZType

    database, table = mapped.rsplit(".", 1)
    parquet = workdir / f"{mapped}.parquet"
    con.execute(f"COPY (SELECT * FROM {mapped}) TO '{parquet}' (FORMAT parquet)")
    if columns is None:
        fields = spark.read.parquet(str(parquet)).schema.fields
        columns = [(f.name, "TIMESTAMP" if isinstance(f.dataType, TimestampNTZType) else f.dataType.simpleString())
                   for f in fields]
    select = ", ".join(f"CAST(`{name}` AS {dtype}) AS `{name}`" for name, dtype in columns)
    spark.sql(f"CREATE DATABASE IF NOT EXISTS `{database}`")
    spark.sql(f"CREATE OR REPLACE VIEW `{database}`.`{table}` AS SELECT {select} FROM parquet.`{parquet}`")
    return mapped


def _default_tables() -> dict[str, str]:
    from telemetry.config import load_settings

    return dict(load_settings({}).tables)


# --- running one statement on each engine -------------------------------------------------------------

def placeholders(sql: str) -> list[str]:
    """Names of the `:name` parameters in Databricks SQL, in order of first use."""
    names: list[str] = []
    for tree in sqlglot.parse(sql, read="databricks"):
        for node in tree.find_all(exp.Placeholder) if tree else ():
            if node.name and node.name not in names:
                names.append(node.name)
    return names


def spark_sql_text(sql: str) -> str:
    """Databricks SQL with each `catalog.schema.table` replaced by its mirror name, nothing else."""
    names = set()
    for tree in sqlglot.parse(sql, read="databricks"):
        for table in tree.find_all(exp.Table) if tree else ():
            if table.catalog and table.db:
                names.add((table.catalog, table.db, table.name))
    for parts in sorted(names, key=lambda p: -len(".".join(p))):
        dotted = r"\s*\.\s*".join(rf"`?{re.escape(part)}`?" for part in parts)
        sql = re.sub(rf"(?<![\w.`]){dotted}(?![\w`])", mirror_table_name(".".join(parts)), sql,
                     flags=re.IGNORECASE)
    return sql


_APPROXIMATE = {"PERCENTILE_APPROX", "APPROX_PERCENTILE", "APPROX_COUNT_DISTINCT"}
EXACT_ACCURACY = 1_000_000


def exact_aggregates(sql: str) -> str:
    """Spark's approximate aggregates made exact: percentile_approx gets accuracy 1e6 (exact below
    ~500k rows) and approx_count_distinct becomes count(DISTINCT ...). DuckDB computes the exact
    value Spark estimates; Spark's estimate itself (a sketch) is not reproducible. Text elsewhere is
    untouched."""
    tokens = Databricks().tokenize(sql)
    edits: list[tuple[int, int, str]] = []  # (start, end exclusive, replacement), applied from the end
    for i, token in enumerate(tokens[:-1]):
        if token.text.upper() not in _APPROXIMATE or tokens[i + 1].token_type != TokenType.L_PAREN:
            continue
        depth, commas, close = 0, [], None
        for other in tokens[i + 1:]:
            depth += {TokenType.L_PAREN: 1, TokenType.R_PAREN: -1}.get(other.token_type, 0)
            if other.token_type == TokenType.COMMA and depth == 1:
                commas.append(other)
            if depth == 0:
                close = other
                break
        if close is None:
            continue
        if token.text.upper() == "APPROX_COUNT_DISTINCT":
            argument = sql[tokens[i + 1].end + 1:commas[0].start if commas else close.start]
            edits.append((token.start, close.end + 1, f"count(DISTINCT {argument})"))
        elif len(commas) == 1:
            edits.append((close.start, close.start, f", {EXACT_ACCURACY}"))
        elif len(commas) == 2:
            edits.append((commas[1].end + 1, close.start, f" {EXACT_ACCURACY}"))
    for start, end, text in sorted(edits, reverse=True):
        sql = sql[:start] + text + sql[end:]
    return sql


def run_spark(spark: Any, sql: str, params: Mapping[str, Any] | None = None, *,
              exact: bool = False) -> list[tuple]:
    """Rows Spark returns for Databricks SQL (tables mapped), parameters bound natively; `exact`
    makes approximate aggregates exact (see `exact_aggregates`).

    PySpark converts TIMESTAMP values to and from Python in the *process* time zone, not the session's,
    so naive datetime parameters are passed as UTC and TIMESTAMP values (also inside structs, arrays
    and maps) are turned back into the UTC wall clock: results do not depend on the machine's zone.
    """
    frame = spark_dataframe(spark, sql, params, exact=exact)
    types = [field.dataType for field in frame.schema.fields]
    rows = [tuple(_utc_wall_clock(value, dtype) for value, dtype in zip(row, types, strict=True))
            for row in frame.collect()]
    return normalise_rows(rows)


def spark_dataframe(spark: Any, sql: str, params: Mapping[str, Any] | None = None, *,
                    exact: bool = False) -> Any:
    """The Spark DataFrame of Databricks SQL (tables mapped, `:name` parameters bound natively as
    Spark binds them on a warehouse; naive datetimes mean UTC)."""
    wanted = {name: _utc(params[name]) for name in placeholders(sql)} if params else {}
    text = spark_sql_text(exact_aggregates(sql) if exact else sql)
    return spark.sql(text, args=wanted or None)


def spark_frame(spark: Any, sql: str, params: Mapping[str, Any] | None = None, *,
                exact: bool = False) -> pd.DataFrame:
    """What a page would get from a warehouse for this SQL: Spark's Arrow result through the same
    `telemetry.engine.arrow.to_frame` both engines use (DECIMAL scale 0 → int64, scale > 0 →
    float64). Spark's Arrow timestamps carry the session zone (UTC); they become naive UTC, which is
    what the mirror's and DuckDB's naive TIMESTAMPs mean."""
    table = spark_dataframe(spark, sql, params, exact=exact).toArrow()
    frame = to_frame(table.cast(pa.schema([field.with_type(_naive_utc(field.type)) for field in table.schema])))
    frame.attrs["decimal_scales"] = {field.name: field.type.scale for field in table.schema
                                     if pa.types.is_decimal(field.type) and field.type.scale > 0}
    return frame


def decimal_tolerances(frame: pd.DataFrame) -> list[float]:
    """Per column of a `spark_frame`, half a unit in the last place of the DECIMAL Spark computed it
    as (0 for other columns): the warehouse rounds decimal arithmetic to the result's scale (avg of
    DECIMAL(2,1) gives DECIMAL(6,5) 0.18571), DuckDB keeps a DOUBLE (0.1857142857)."""
    scales = frame.attrs.get("decimal_scales", {})
    return [0.5 * 10.0 ** -scales[name] * (1 + 1e-9) if name in scales else 0.0 for name in frame.columns]


def _naive_utc(kind: pa.DataType) -> pa.DataType:
    """`kind` with every zoned timestamp in it (also inside structs, lists and maps) made naive."""
    if pa.types.is_timestamp(kind) and kind.tz is not None:
        return pa.timestamp(kind.unit)
    if pa.types.is_struct(kind):
        return pa.struct([field.with_type(_naive_utc(field.type)) for field in kind])
    if pa.types.is_map(kind):
        return pa.map_(kind.key_field.with_type(_naive_utc(kind.key_type)),
                       kind.item_field.with_type(_naive_utc(kind.item_type)))
    if pa.types.is_list(kind) or pa.types.is_large_list(kind):
        value = kind.value_field.with_type(_naive_utc(kind.value_type))
        return pa.list_(value) if pa.types.is_list(kind) else pa.large_list(value)
    return kind


def _utc_wall_clock(value: Any, dtype: Any) -> Any:
    """A collected Spark value with every TIMESTAMP in it as a naive UTC datetime."""
    from pyspark.sql import types as T

    if value is None:
        return None
    if isinstance(dtype, T.TimestampType):
        return value.astimezone(UTC).replace(tzinfo=None)  # naive local time → UTC wall clock
    if isinstance(dtype, T.StructType):
        return {f.name: _utc_wall_clock(value[f.name], f.dataType) for f in dtype.fields}
    if isinstance(dtype, T.ArrayType):
        return [_utc_wall_clock(item, dtype.elementType) for item in value]
    if isinstance(dtype, T.MapType):
        return {_utc_wall_clock(key, dtype.keyType): _utc_wall_clock(item, dtype.valueType)
                for key, item in value.items()}
    return value


def _utc(value: Any) -> Any:
    return value.replace(tzinfo=UTC) if isinstance(value, datetime) and value.tzinfo is None else value


def run_duckdb(con: Any, sql: str, params: Mapping[str, Any] | None = None) -> list[tuple]:
    """Rows DuckDB returns for the translation of Databricks SQL."""
    wanted = {name: params[name] for name in placeholders(sql)} if params else {}
    return normalise_rows(con.execute(translate(sql), wanted or None).fetchall())


# --- comparing results ---------------------------------------------------------------------------------

def normalise(value: Any) -> Any:
    """Plain Python values: Spark Rows and DuckDB structs become dicts, arrays lists, pandas and
    numpy scalars their Python equivalents, NaN/NaT/NA None."""
    if hasattr(value, "asDict"):
        return {key: normalise(item) for key, item in value.asDict().items()}
    if isinstance(value, dict):
        return {key: normalise(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)) or type(value).__name__ == "ndarray":
        return [normalise(item) for item in value]
    if hasattr(value, "to_pydatetime"):  # pandas Timestamp (NaT handled below)
        return None if value != value else value.to_pydatetime()
    if hasattr(value, "item") and not isinstance(value, (str, bytes)):  # numpy scalar
        value = value.item()
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    if type(value).__name__ in ("NAType", "NaTType"):  # pandas missing values
        return None
    return value


def normalise_rows(rows: Iterable[Sequence[Any]]) -> list[tuple]:
    return [tuple(normalise(value) for value in row) for row in rows]


def same(left: Any, right: Any, rel_tol: float = REL_TOL, abs_tol: float = 0.0) -> bool:
    """Equal as the user would see them: numbers within `rel_tol` (or half a unit of a DECIMAL's
    last digit) whatever their type (Spark DECIMAL vs DuckDB DOUBLE), but a DATE is not a TIMESTAMP
    and a zoned timestamp is not a naive one. `abs_tol` widens the number tolerance (see
    `decimal_tolerances`)."""
    if left is None or right is None:
        return left is None and right is None
    if _is_number(left) and _is_number(right):
        abs_tol = max(rel_tol, abs_tol, _half_unit(left), _half_unit(right))
        return math.isclose(float(left), float(right), rel_tol=rel_tol, abs_tol=abs_tol)
    if isinstance(left, (date, datetime, timedelta)) or isinstance(right, (date, datetime, timedelta)):
        return type(left) is type(right) and _tz(left) == _tz(right) and left == right
    if isinstance(left, dict) != isinstance(right, dict):  # a MAP via Arrow/pandas is a list of pairs
        left, right = _as_map(left), _as_map(right)
    if isinstance(left, dict) and isinstance(right, dict):
        return left.keys() == right.keys() and all(same(left[k], right[k], rel_tol) for k in left)
    if isinstance(left, list) and isinstance(right, list):
        return len(left) == len(right) and all(same(a, b, rel_tol) for a, b in zip(left, right, strict=True))
    return type(left) is type(right) and left == right


def _as_map(value: Any) -> Any:
    if isinstance(value, list) and all(isinstance(item, list) and len(item) == 2 for item in value):
        return {key: item for key, item in value}
    return value


def same_rows(left: Sequence[tuple], right: Sequence[tuple], ordered: bool = True,
              rel_tol: float = REL_TOL, abs_tols: Sequence[float] | None = None) -> bool:
    """Row lists equal under `same` (`abs_tols`: per column); unordered results are compared sorted."""
    if not ordered:
        left, right = sorted(left, key=sort_key), sorted(right, key=sort_key)
    return len(left) == len(right) and all(
        len(a) == len(b) and all(same(x, y, rel_tol, tol) for x, y, tol in
                                 zip(a, b, abs_tols or [0.0] * len(a), strict=True))
        for a, b in zip(left, right, strict=True))


def sort_key(row: Sequence[Any]) -> tuple:
    """A total order over normalised rows that ignores number types and float noise."""
    return tuple(_key(value) for value in row)


def _key(value: Any) -> tuple[int, str]:
    if value is None:
        return (0, "")
    if _is_number(value):
        return (1, f"{float(value):+.9e}")
    if isinstance(value, (list, dict)):
        return (2, repr(normalise_for_key(value)))
    return (3, str(value))


def normalise_for_key(value: Any) -> Any:
    if isinstance(value, dict):
        return sorted((k, normalise_for_key(v)) for k, v in value.items())
    if isinstance(value, list):
        return [normalise_for_key(v) for v in value]
    return _key(value)


def _half_unit(value: Any) -> float:
    """Half a unit in the last place of a fractional DECIMAL: Spark rounds decimal arithmetic to the
    result's scale (avg of DECIMAL(2,1) gives 0.19444), DuckDB keeps a DOUBLE (0.194444...)."""
    if isinstance(value, Decimal) and value.is_finite() and value.as_tuple().exponent < 0:
        return float(Decimal(5).scaleb(value.as_tuple().exponent - 1)) * (1 + 1e-9)
    return 0.0


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float, Decimal)) and not isinstance(value, bool)


def _tz(value: Any) -> Any:
    return getattr(value, "tzinfo", None)


# --- comparing what users get: column types and order ----------------------------------------------------

def frame_rows(frame: pd.DataFrame) -> list[tuple]:
    """A result frame's rows as plain Python values (see `normalise`)."""
    return normalise_rows(frame.itertuples(index=False, name=None))


def column_kinds(frame: pd.DataFrame) -> dict[str, str]:
    """Column → the kind of value a page gets from it: int, float, bool, str, date, datetime (with
    its zone when it has one), decimal, list[...], struct{...}; "null" when every value is missing.
    int32 and int64 are both "int": pages and charts do not tell them apart; int and float they do."""
    return {str(name): _column_kind(frame[name]) for name in frame.columns}


def _column_kind(series: pd.Series) -> str:
    dtype = series.dtype
    if pd.api.types.is_bool_dtype(dtype):
        return "bool"
    if pd.api.types.is_integer_dtype(dtype):
        return "int"
    if pd.api.types.is_float_dtype(dtype):
        return "float"
    if isinstance(dtype, pd.DatetimeTZDtype):
        return f"datetime[{dtype.tz}]"
    if pd.api.types.is_datetime64_dtype(dtype):
        return "datetime"
    if pd.api.types.is_timedelta64_dtype(dtype):
        return "timedelta"
    return _union(normalise(value) for value in series)


def _union(values: Iterable[Any]) -> str:
    return "|".join(sorted({_value_kind(value) for value in values if value is not None})) or "null"


def _value_kind(value: Any) -> str:
    if isinstance(value, dict):
        return "struct{" + ", ".join(f"{key}: {_union([item])}" for key, item in value.items()) + "}"
    if isinstance(value, list):
        return f"list[{_union(value)}]"
    if isinstance(value, datetime):
        return "datetime" if value.tzinfo is None else f"datetime[{value.tzinfo}]"
    names = {bool: "bool", int: "int", float: "float", Decimal: "decimal", str: "str", date: "date",
             timedelta: "timedelta", bytes: "bytes"}
    return names.get(type(value), type(value).__name__)


def kind_differences(left: Mapping[str, str], right: Mapping[str, str]) -> dict[str, tuple[str, str]]:
    """Columns whose kinds differ (an all-missing column matches any kind: it shows no value)."""
    return {name: (left[name], right[name]) for name in left
            if name in right and left[name] != right[name] and "null" not in (left[name], right[name])}


ALL_COLUMNS = None  # `order_positions`: the ORDER BY keys are not all output columns


def order_positions(sql: str, columns: Sequence[str]) -> tuple[int, ...] | None:
    """Positions in the result (whose column names are `columns`) of the keys the outermost
    statement's ORDER BY sorts by, in ORDER BY order; `()` when it has no ORDER BY (rows have no
    order to compare); ALL_COLUMNS (None) when some key is not an output column (then only whole
    rows in order can be compared).

    Rows that tie on the keys may come in any order on either engine, so an ordered result is
    checked as: same rows, and the same sequence of key values."""
    tree = sqlglot.parse_one(sql, read="databricks")
    order = tree.args.get("order") if isinstance(tree, exp.Query) else None
    if order is None:
        return ()
    selects = list(tree.selects)
    positions = [_position(ordered.this, selects, list(columns)) for ordered in order.expressions]
    return ALL_COLUMNS if None in positions else tuple(positions)


def _position(key: exp.Expr, selects: list[exp.Expr], columns: list[str]) -> int | None:
    """The output column an ORDER BY key names: `ORDER BY 2`, the selected expression itself
    (`ORDER BY d.day` with `d.day` selected), an output name (an alias, or a column `*` selected)."""
    if isinstance(key, exp.Literal) and key.is_int:
        return int(key.name) - 1
    star = any(isinstance(projection, exp.Star) or isinstance(projection, exp.Column) and projection.is_star
               for projection in selects)
    if not star:
        for i, projection in enumerate(selects):
            if projection.unalias() == key:
                return i
    if isinstance(key, exp.Column) and (star or not key.table) and key.name in columns:
        return columns.index(key.name)
    return None


def same_order(left: Sequence[tuple], right: Sequence[tuple], positions: tuple[int, ...] | None,
               rel_tol: float = REL_TOL, abs_tols: Sequence[float] | None = None) -> bool:
    """The rows come in the same order as far as the ORDER BY decides it (see `order_positions`)."""
    if positions is ALL_COLUMNS:
        return same_rows(left, right, ordered=True, rel_tol=rel_tol, abs_tols=abs_tols)
    keys = [[tuple(row[i] for i in positions) for row in rows] for rows in (left, right)]
    tols = [abs_tols[i] for i in positions] if abs_tols else None
    return same_rows(keys[0], keys[1], ordered=True, rel_tol=rel_tol, abs_tols=tols)
