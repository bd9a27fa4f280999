"""Arrow results to pandas, the same way for both engines.

Databricks returns DECIMAL where DuckDB often returns DOUBLE (an average, a ratio), and DuckDB sums
BIGINTs into HUGEINT (Arrow decimal(38, 0)) where Databricks returns BIGINT. Pages, charts and
formatting should not care which engine answered, so every result crosses the boundary with
integer decimals as int64 and fractional decimals as float64 (the connector's `Decimal` objects
would otherwise reach pandas as `object` columns that `format` and altair treat as text). Zoned
timestamps become naive UTC for the same reason: one kind of timestamp whichever engine answered.
"""

from __future__ import annotations

import pandas as pd
import pyarrow as pa


def _normalised_type(kind: pa.DataType) -> pa.DataType | None:
    if pa.types.is_decimal(kind):
        return pa.int64() if kind.scale == 0 else pa.float64()
    if pa.types.is_timestamp(kind) and kind.tz is not None:  # the connector's zoned UTC → naive UTC,
        return pa.timestamp(kind.unit)                        # as DuckDB (session zone UTC) returns them
    return None


def normalise(table: pa.Table) -> pa.Table:
    """Decimal columns as int64 (scale 0, when every value fits) or float64 (scale > 0); zoned
    timestamps as naive UTC (the sources' timestamps are UTC; pages and charts treat them so)."""
    for i, field in enumerate(table.schema):
        target = _normalised_type(field.type)
        if target is None:
            continue
        try:
            column = table.column(i)
            if pa.types.is_decimal(field.type) and field.type.scale > 0:
                column = column.cast(pa.string())  # Arrow's decimal→double cast is off in the last digit
            column = column.cast(target)
        except (pa.ArrowInvalid, pa.ArrowNotImplementedError):  # a HUGEINT beyond int64 stays exact
            continue
        table = table.set_column(i, field.name, column)
    return table


def to_frame(table: pa.Table) -> pd.DataFrame:
    """The pandas frame of a normalised Arrow table (what every `Result.frame` is)."""
    return normalise(table).to_pandas()
