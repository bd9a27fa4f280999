"""The tracker: `track` appends to a bounded in-memory buffer and returns; a background thread
writes batches to the sink (by size and by interval), and spools to disk what the sink cannot take.

Guarantees, in order of importance:
- `track` never raises and never blocks on I/O (a deque append and a counter).
- An event is never lost silently: it is written, spooled, or (only when the buffer is full because
  even the disk cannot keep up) dropped and counted in `stats()`, with a log line.
- When the sink fails or hangs (each write has a time limit), batches go to the spool and the sink
  is retried with backoff; once it takes a batch again, the spool is replayed oldest first.
- On exit (normal, or SIGTERM as Databricks Apps sends on redeploy) what is buffered is flushed if
  the sink answers in time, else spooled.
"""

from __future__ import annotations

import atexit
import contextlib
import logging
import os
import signal
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Protocol

from telemetry.tracker.events import Event
from telemetry.tracker.spool import Spool

log = logging.getLogger("telemetry.tracker")
_EPOCH = datetime(1970, 1, 1)
MAX_REPLAY_STRIKES = 3  # naive UTC, as the tracker table stores timestamps


class Sink(Protocol):
    """Where batches go. Optional hooks, called within the write time limit when present: `tick()`
    when the tracker is idle (the embedded sink applies its inbox then) and `close()` on exit. A sink
    that wraps another must forward them."""

    def write(self, events: list[Event]) -> None:
        """Write every event or raise (a partial write must be safe to repeat: dedup by event id)."""


@dataclass
class Stats:
    tracked: int = 0
    written: int = 0
    spooled: int = 0
    replayed: int = 0
    dropped: int = 0
    failures: int = 0
    buffered: int = 0
    spool_waiting: int = 0
    sink_healthy: bool = True
    quarantined: int = 0  # events of spooled batches the sink kept refusing while it took others (kept on disk)


class Tracker:
    def __init__(self, sink: Sink, app_name: str, *, spool_dir: Path | str, batch_size: int = 500,
                 interval_s: float = 1.0, max_buffer: int = 50_000, write_timeout_s: float = 10.0,
                 retry_after_s: float = 5.0, exit_timeout_s: float = 5.0,
                 user: Callable[[], str | None] | None = None, session: Callable[[], str | None] | None = None):
        self.sink, self.app_name = sink, app_name
        self.spool = Spool(spool_dir)
        self.batch_size, self.interval_s, self.max_buffer = batch_size, interval_s, max_buffer
        self.write_timeout_s, self.retry_after_s, self.exit_timeout_s = write_timeout_s, retry_after_s, exit_timeout_s
        self._user, self._session = user, session
        self._buffer: deque[tuple] = deque()  # (time ns, action, user, session, properties, duration)
        self._stats = Stats()
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._lock = threading.Lock()  # one batch at a time reaches the sink or the spool
        self._healthy_at = 0.0  # monotonic time from which the sink is tried again
        self._strikes: dict[str, int] = {}  # spool file → replays refused while fresh batches went in
        self._thread = threading.Thread(target=self._loop, name="tracker-flush", daemon=True)
        self._thread.start()
        atexit.register(self.close)
        _install_sigterm(self)

    # --- the caller's side: microseconds, never raises ---------------------------------------------------
    def track(self, action: str, user: str | None = None, *, session_id: str | None = None,
              properties: str | None = None, duration_ms: float | None = None) -> None:
        try:
            stats = self._stats
            stats.tracked += 1
            if len(self._buffer) >= self.max_buffer:
                stats.dropped += 1
                if stats.dropped in (1, 10, 100, 1000) or stats.dropped % 10_000 == 0:
                    log.warning("tracker buffer full (%d events): %d events dropped so far", self.max_buffer,
                                stats.dropped)
                return
            # A tuple now, the Event (its id, its timestamp object) on the flush thread: the caller pays
            # for an append and a clock read only.
            self._buffer.append((time.time_ns(), action, user if user is not None else self._who(),
                                 session_id if session_id is not None else self._sid(), properties, duration_ms))
            if len(self._buffer) >= self.batch_size:
                self._wake.set()
        except Exception:  # noqa: BLE001 - tracking must never break the host app
            log.exception("tracker: an event could not be recorded")

    def _who(self) -> str | None:
        try:
            return self._user() if self._user else None
        except Exception:  # noqa: BLE001
            return None

    def _sid(self) -> str | None:
        try:
            return self._session() if self._session else None
        except Exception:  # noqa: BLE001
            return None

    def stats(self) -> Stats:
        s = self._stats
        return Stats(s.tracked, s.written, s.spooled, s.replayed, s.dropped, s.failures, len(self._buffer),
                     self.spool.events_waiting(), time.monotonic() >= self._healthy_at, s.quarantined)

    # --- the background side -------------------------------------------------------------------------
    def _loop(self) -> None:
        _block_exit_signals()
        while not self._stop.is_set():
            self._wake.wait(self.interval_s)
            self._wake.clear()
            try:
                self.flush()
                self._sink_hook("tick")
            except Exception:  # noqa: BLE001 - the loop must survive anything
                log.exception("tracker: flush failed")

    def _sink_hook(self, name: str) -> None:
        """Call the sink's optional `tick` (idle) or `close` (exit) hook, within the write time limit."""
        hook = getattr(self.sink, name, None)
        if callable(hook) and time.monotonic() >= self._healthy_at:
            self._call_bounded(hook, self.write_timeout_s)

    def _take(self) -> list[Event]:
        """Up to a batch of buffered events, as Events (ids drawn in bulk: one urandom call per batch)."""
        taken = []
        while self._buffer and len(taken) < self.batch_size:
            taken.append(self._buffer.popleft())
        ids = os.urandom(16 * len(taken)).hex()
        return [Event(str(action), self.app_name, who if who is None or isinstance(who, str) else str(who),
                      timestamp=_EPOCH + timedelta(microseconds=ns // 1000), event_id=ids[32 * i:32 * i + 32],
                      session_id=sid if sid is None or isinstance(sid, str) else str(sid),
                      properties=properties, duration_ms=duration_ms)
                for i, (ns, action, who, sid, properties, duration_ms) in enumerate(taken)]

    def _write(self, events: list[Event], timeout_s: float) -> bool:
        """Write to the sink within `timeout_s`; False (and the sink rested) when it fails or hangs.

        The write runs on a daemon thread of its own: a sink that hangs for good is abandoned there
        (it can neither block this loop nor keep the process from exiting); if it completes later,
        the replay of the same events is deduplicated by event id."""
        if time.monotonic() < self._healthy_at:
            return False
        outcome = _run_bounded(lambda: self.sink.write(events), timeout_s, "tracker-sink")
        if outcome == [None]:
            return True
        reason = f"{type(outcome[0]).__name__}: {outcome[0]}" if outcome else f"no answer within {timeout_s:g} s"
        self._stats.failures += 1
        self._healthy_at = time.monotonic() + self.retry_after_s
        log.warning("tracker sink failed (%s): spooling, retrying in %g s", reason, self.retry_after_s)
        return False

    @staticmethod
    def _call_bounded(fn: Callable[[], None], timeout_s: float) -> None:
        """Run a sink hook within `timeout_s` (a hanging hook is abandoned); a failure is logged."""
        outcome = _run_bounded(fn, timeout_s, "tracker-sink-hook")
        if outcome and outcome[0] is not None:  # its data stays where it is (inbox or spool)
            log.warning("tracker sink hook failed: %s: %s", type(outcome[0]).__name__, outcome[0])

    def flush(self, timeout_s: float | None = None) -> None:
        """Write (or spool) everything buffered now; replay the spool when the sink takes writes."""
        timeout_s = self.write_timeout_s if timeout_s is None else timeout_s
        with self._lock:
            took_fresh = False
            while self._buffer:
                batch = self._take()
                if self._write(batch, timeout_s):
                    self._stats.written += len(batch)
                    took_fresh = True
                else:
                    self.spool.put(batch)
                    self._stats.spooled += len(batch)
            self._replay(timeout_s, took_fresh)

    def _replay(self, timeout_s: float, took_fresh: bool) -> None:
        """Replay the spool oldest first. A file the sink refuses while it takes fresh batches (bad data,
        not an outage) is set aside after MAX_REPLAY_STRIKES, so one bad batch cannot block the rest."""
        for path in self.spool.files():
            if time.monotonic() < self._healthy_at:
                return
            try:
                events = self.spool.read(path)
            except (OSError, ValueError, TypeError, KeyError) as err:
                self._quarantine(path, f"unreadable: {err}", 0)
                continue
            if not self._write(events, timeout_s):
                strikes = self._strikes[path.name] = self._strikes.get(path.name, 0) + took_fresh
                if strikes >= MAX_REPLAY_STRIKES:
                    self._quarantine(path, f"refused {strikes} times while the sink took other batches", len(events))
                return
            path.unlink(missing_ok=True)
            self._strikes.pop(path.name, None)
            self._stats.replayed += len(events)

    def _quarantine(self, path: Path, reason: str, events: int) -> None:
        """Move a spool file to `failed/` (kept for a person to look at), counted and logged."""
        failed = path.parent / "failed"
        failed.mkdir(exist_ok=True)
        with contextlib.suppress(FileNotFoundError):
            os.replace(path, failed / path.name)
        self._strikes.pop(path.name, None)
        self._stats.quarantined += events
        self._healthy_at = 0.0  # the sink is fine: go on with the next file now
        log.error("tracker: spooled batch %s (%d events) set aside in %s: %s", path.name, events, failed, reason)

    def close(self) -> None:
        """Stop the thread and flush what is left (the sink gets `exit_timeout_s`, then the spool)."""
        if self._stop.is_set():
            return
        self._stop.set()
        self._wake.set()
        self._thread.join(timeout=self.exit_timeout_s)
        self.flush(timeout_s=self.exit_timeout_s)
        if time.monotonic() >= self._healthy_at and callable(getattr(self.sink, "close", None)):
            self._call_bounded(self.sink.close, self.exit_timeout_s)


def _run_bounded(fn: Callable[[], None], timeout_s: float, name: str) -> list[BaseException | None]:
    """Run `fn` on a daemon thread of its own and wait at most `timeout_s`: [None] when it returned,
    [error] when it raised, [] when it is still running (abandoned there: a sink that hangs for good can
    neither block the tracker nor keep the process from exiting)."""
    outcome: list[BaseException | None] = []

    def attempt() -> None:
        _block_exit_signals()
        try:
            fn()
            outcome.append(None)
        except BaseException as err:  # noqa: BLE001 - the caller reports it
            outcome.append(err)

    worker = threading.Thread(target=attempt, name=name, daemon=True)
    worker.start()
    worker.join(timeout_s)
    return outcome


def _block_exit_signals() -> None:
    """Keep SIGTERM/SIGINT off this (background) thread: the kernel may deliver a process signal to any
    thread that does not block it, and Python runs handlers only on the main thread, so one landing
    here would leave a sleeping main thread (and its SIGTERM flush) waiting until it woke up."""
    with contextlib.suppress(AttributeError, OSError, ValueError):  # no pthread_sigmask (Windows)
        signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGTERM, signal.SIGINT})


def _install_sigterm(tracker: Tracker) -> None:
    """On SIGTERM flush first, then do what the process would have done (only from the main thread)."""
    if threading.current_thread() is not threading.main_thread():
        return
    previous = signal.getsignal(signal.SIGTERM)

    def on_term(signum, frame):  # noqa: ANN001
        tracker.close()
        if callable(previous):
            previous(signum, frame)
        elif previous != signal.SIG_IGN:
            raise SystemExit(128 + signum)

    with contextlib.suppress(ValueError):  # not the main thread of the main interpreter
        signal.signal(signal.SIGTERM, on_term)
