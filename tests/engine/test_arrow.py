"""Results cross the engine boundary with the same types, whichever engine answered."""

from datetime import UTC, datetime
from decimal import Decimal

import pyarrow as pa

from telemetry.engine.arrow import to_frame


def test_decimals_and_zoned_timestamps_are_normalised():
    table = pa.table({
        "avg": pa.array([Decimal("1.50000"), None], pa.decimal128(10, 5)),
        "total": pa.array([Decimal(3), Decimal(4)], pa.decimal128(38, 0)),
        "huge": pa.array([Decimal(10) ** 30, Decimal(1)], pa.decimal128(38, 0)),
        "at": pa.array([datetime(2026, 11, 22, 13, 4, 5, tzinfo=UTC), None], pa.timestamp("us", tz="UTC")),
    })
    frame = to_frame(table)
    assert str(frame["avg"].dtype) == "float64" and frame["avg"].iloc[0] == 1.5
    assert str(frame["total"].dtype) == "int64"
    assert frame["huge"].iloc[0] == Decimal(10) ** 30  # beyond int64: stays exact
    assert frame["at"].dt.tz is None and frame["at"].iloc[0] == datetime(2026, 11, 22, 13, 4, 5)
