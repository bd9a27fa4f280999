"""One bounded pool for the independent queries of a page, a health check or a job.

A SQL warehouse costs a round trip per statement (0.3–1 s before any work), so statements that do
not depend on each other are started together. The pool is process-wide and bounded by
TELEMETRY_MAX_CONCURRENT_QUERIES, so many browser sessions cannot open unbounded warehouse
sessions; callers that need a value wait on its future only where the wait is real.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Mapping
from concurrent.futures import Future, ThreadPoolExecutor
from typing import TypeVar

T = TypeVar("T")

_lock = threading.Lock()
_pool: ThreadPoolExecutor | None = None
_size = 0


def pool(max_workers: int) -> ThreadPoolExecutor:
    """The shared pool (rebuilt when the configured size changes, e.g. between tests)."""
    global _pool, _size
    with _lock:
        if _pool is None or _size != max_workers:
            if _pool is not None:
                _pool.shutdown(wait=False)
            _pool = ThreadPoolExecutor(max_workers=max_workers, thread_name_prefix=_PREFIX)
            _size = max_workers
        return _pool


_PREFIX = "query"


def _inline(task: Callable[[], T]) -> Future[T]:
    future: Future[T] = Future()
    try:
        future.set_result(task())
    except Exception as err:
        future.set_exception(err)
    return future


def start_all(tasks: Mapping[str, Callable[[], T]], max_workers: int) -> dict[str, Future[T]]:
    """Submit every task at once; return its future by name (in the order given).

    Called from one of the pool's own workers (a task that fans out again), the tasks run inline:
    waiting on the same bounded pool from inside it could wait forever."""
    if threading.current_thread().name.startswith(_PREFIX):
        return {name: _inline(task) for name, task in tasks.items()}
    executor = pool(max_workers)
    return {name: executor.submit(task) for name, task in tasks.items()}


def run_all(tasks: Mapping[str, Callable[[], T]], max_workers: int) -> dict[str, T | BaseException]:
    """Run every task concurrently and wait for all; a task's exception is its value."""
    futures = start_all(tasks, max_workers)
    results: dict[str, T | BaseException] = {}
    for name, future in futures.items():
        try:
            results[name] = future.result()
        except Exception as err:  # the caller decides what a failed task means
            results[name] = err
    return results


def longest_chain(intervals: list[tuple[float, float]]) -> int:
    """The most statements that ran one after another (each starting after the previous ended).

    On a warehouse a page costs about this many round trips: it is what the benchmark reports and
    what the page tests bound. Intervals are (start, end) times of each statement."""
    best: list[int] = []
    ordered = sorted(intervals)
    for i, (start, _) in enumerate(ordered):
        before = [best[j] for j in range(i) if ordered[j][1] <= start]
        best.append(1 + max(before, default=0))
    return max(best, default=0)
