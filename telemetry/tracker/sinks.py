"""Where tracked events go. The embedded sink hands batches to the embedded database's inbox (so an
app tracking locally coexists with a running console, which owns the file and applies them)."""

from __future__ import annotations

from pathlib import Path

from telemetry.tracker.events import CLASSIC, EXTENDED, Event


class EmbeddedSink:
    """Events into the tracker table of an embedded DuckDB file, through its inbox hand-over.

    Rows carry every column; the drain keeps the ones the table has (the classic four, or more) and
    dedups by event_id where the table has it. Imports DuckDB and pyarrow only when first used."""

    def __init__(self, db_path: Path | str, table: str = "main.ops_console.app_events"):
        self.db_path, self.table = Path(db_path), table

    def write(self, events: list[Event]) -> None:
        import pyarrow as pa

        from telemetry.engine import inbox

        columns = {name: [getattr(e, name) for e in events] for name in (*CLASSIC, *EXTENDED)}
        rows = pa.table({**columns, "timestamp": pa.array(columns["timestamp"], pa.timestamp("us")),
                         "duration_ms": pa.array(columns["duration_ms"], pa.float64())})
        inbox.put(self.db_path, self.table, rows, keys=("event_id",))
        inbox.drain_file(self.db_path)  # applied now unless a console holds the file (it drains then)
