"""The shared query pool: bounded, concurrent, and safe when a task fans out again."""

import threading
import time

from telemetry import concurrency


def test_tasks_run_together_within_the_bound():
    running, peak, lock = [0], [0], threading.Lock()

    def task():
        with lock:
            running[0] += 1
            peak[0] = max(peak[0], running[0])
        time.sleep(0.1)
        with lock:
            running[0] -= 1
        return threading.current_thread().name

    started = time.perf_counter()
    results = concurrency.run_all({str(i): task for i in range(6)}, max_workers=3)
    assert peak[0] == 3 and list(results) == [str(i) for i in range(6)]
    assert time.perf_counter() - started < 0.6 * 6 * 0.1 + 0.1  # two waves, not six


def test_a_task_that_fans_out_does_not_deadlock_a_full_pool():
    def inner():
        return concurrency.run_all({"a": lambda: 1, "b": lambda: 2}, max_workers=1)

    outcome = concurrency.run_all({"outer": inner}, max_workers=1)
    assert outcome == {"outer": {"a": 1, "b": 2}}


def test_a_failed_task_is_its_value():
    outcome = concurrency.run_all({"ok": lambda: 1, "bad": lambda: 1 / 0}, max_workers=2)
    assert outcome["ok"] == 1 and isinstance(outcome["bad"], ZeroDivisionError)
