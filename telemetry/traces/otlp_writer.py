"""The receiver's two writer threads: the committer (requests → durable inbox files) and the drainer
(inbox files → the span table, when no console holds the database).

A request waits on the committer until its rows are in a fsync'd, renamed inbox file; requests that
queue up meanwhile share one file. The drainer applies the inbox off the request path, so a request
costs a Parquet write, not a database open, transaction and checkpoint.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from concurrent.futures import Future

import pyarrow as pa

from telemetry.engine import inbox


class Committer:
    """One thread that hands decoded batches to the inbox, grouping those that wait together."""

    def __init__(self, write: Callable[[pa.Table], object]) -> None:
        self._write = write
        self._queue: list[tuple[pa.Table, Future]] = []
        self._cond = threading.Condition()
        self._stopping = False
        self._thread = threading.Thread(target=self._run, name="otlp-committer", daemon=True)
        self._thread.start()

    def submit(self, table: pa.Table) -> object:
        """Block until `table` is durably written; raises what the write raised."""
        future: Future = Future()
        with self._cond:
            if self._stopping:
                raise RuntimeError("the receiver is shutting down")
            self._queue.append((table, future))
            self._cond.notify()
        return future.result()

    def _run(self) -> None:
        while True:
            with self._cond:
                while not self._queue and not self._stopping:
                    self._cond.wait()
                if not self._queue:
                    return
                batch, self._queue = self._queue, []
            try:
                handover = self._write(pa.concat_tables([table for table, _ in batch]))
            except Exception as err:  # every waiting request answers 503 with it
                for _, future in batch:
                    future.set_exception(err)
                continue
            for _, future in batch:
                future.set_result(handover)

    def stop(self) -> None:
        """Finish what is queued, then end the thread."""
        with self._cond:
            self._stopping = True
            self._cond.notify()
        self._thread.join()


class Drainer:
    """Applies the inbox about every `interval_s` while batches wait (unless a console holds the file)."""

    def __init__(self, db_path, log: Callable[[str], None], interval_s: float = 0.5) -> None:
        self._db, self._log, self._interval = db_path, log, interval_s
        self._wake = threading.Event()
        self._stopping = False
        self._holder = ""
        self.busy = threading.Lock()  # held while the database is open for a drain
        self._thread = threading.Thread(target=self._run, name="otlp-drainer", daemon=True)
        self._thread.start()

    def poke(self) -> None:
        self._wake.set()

    def drain_once(self) -> None:
        with self.busy:
            self._drain()

    def _drain(self) -> None:
        if not inbox.pending(self._db):
            return
        try:
            report, holder = inbox.drain_file(self._db)
        except Exception as err:  # the batches stay in the inbox for the next pass
            self._log(f"applying the inbox failed, will retry: {type(err).__name__}: {err}")
            return
        if report is None:
            if holder != self._holder:
                self._log(f"the database is held by {holder}: it applies the received spans itself")
            self._holder = holder
            return
        self._holder = ""
        if report.files:
            self._log(f"applied {report.files} batches: {report.added:,} spans added, "
                      f"{report.rows - report.added:,} already there")

    def _run(self) -> None:
        while not self._stopping:
            self._wake.wait(timeout=2.0)  # also retries a failed drain
            self._wake.clear()
            self.drain_once()
            time.sleep(self._interval)

    def stop(self) -> None:
        """Stop, after a last drain (what is left waits in the inbox for the console)."""
        self._stopping = True
        self._wake.set()
        self._thread.join()
        self.drain_once()
