"""Where tracked events go. The embedded sink hands batches to the embedded database's inbox (so an
app tracking locally coexists with a running console, which owns the file and applies them)."""

from __future__ import annotations

import time
from pathlib import Path

from telemetry.tracker.events import CLASSIC, EXTENDED, Event


class EmbeddedSink:
    """Events into the tracker table of an embedded DuckDB file, through its inbox hand-over.

    A write returns once its batch is durably in the inbox (fsync'd Parquet). Applying the inbox
    means opening the file for writing and a checkpoint on close, about 0.1 s whatever the batch
    size, so it is done at most every `drain_every_s` (and on `tick`/`close` for what is left):
    under load many batches go in with one transaction. With `drain=False` (the console tracking
    itself: it owns the file and drains its inbox every second) batches are only handed over.

    Rows carry every column; the drain keeps the ones the table has (the classic four, or more) and
    dedups by event_id where the table has it. Imports DuckDB and pyarrow only when first used."""

    def __init__(self, db_path: Path | str, table: str = "main.ops_console.app_events", *,
                 drain: bool = True, drain_every_s: float = 1.0):
        self.db_path, self.table = Path(db_path), table
        self.drain, self.drain_every_s = drain, drain_every_s
        self._drained_at = 0.0
        self._waiting = False

    def write(self, events: list[Event]) -> None:
        if not events:
            return
        import pyarrow as pa

        from telemetry.engine import inbox

        names = (*CLASSIC, *EXTENDED)
        values = zip(*[(e.timestamp, e.app_name, e.user, e.action, e.event_id, e.session_id, e.properties,
                        e.duration_ms) for e in events], strict=True)
        types = {"timestamp": pa.timestamp("us"), "duration_ms": pa.float64()}
        rows = pa.table({name: pa.array(column, types.get(name, pa.string()))
                         for name, column in zip(names, values, strict=True)})
        # Pruned by time: the duplicate check reads only the batch's time range of the table.
        inbox.put(self.db_path, self.table, rows, keys=("event_id",), prune_column="timestamp")
        self._waiting = True
        self.tick()

    def tick(self) -> None:
        """Apply what waits in the inbox if the last drain is old enough (the tracker calls this idle)."""
        if self._waiting and self.drain and time.monotonic() - self._drained_at >= self.drain_every_s:
            self.close()

    def close(self) -> None:
        """Apply what waits now, unless another process (a console) holds the file: it drains then."""
        if not (self._waiting and self.drain):
            return
        from telemetry.engine import inbox

        inbox.drain_file(self.db_path)
        self._drained_at, self._waiting = time.monotonic(), False
