"""Page render timings for the benchmark: cold, warm and Streamlit's floor, per registry page.

The floor is the same page script with `ui.fetch` answering from results recorded during the warm
run, without any cache: what remains is Streamlit building the same metrics, charts and tables.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from telemetry import registry, ui
from telemetry.config import PROJECT_ROOT

APP = str(PROJECT_ROOT / "streamlit_app.py")


@contextmanager
def _patched_fetch(replacement) -> Iterator[None]:
    original = ui.fetch
    ui.fetch = replacement
    try:
        yield
    finally:
        ui.fetch = original


def _timed_run(at) -> float:
    started = time.perf_counter()
    at.run()
    elapsed = (time.perf_counter() - started) * 1000
    if at.exception:
        raise RuntimeError(f"page raised: {at.exception[0].value}")
    return elapsed


def _page_app(path: str):
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(APP, default_timeout=120)
    at.run()
    at.switch_page(path)
    return at


def bench_page(path: str, runs: int) -> tuple[float, float, float]:
    """(cold ms, warm ms, floor ms) medians for one page."""
    import streamlit as st

    cold, warm, floor = [], [], []
    recorded: dict[Any, Any] = {}
    original = ui.fetch

    def recording(name, *, short_ttl=False, **params):
        result = original(name, short_ttl=short_ttl, **params)
        recorded[(name, tuple(sorted(params.items())))] = result
        return result

    for _ in range(runs):
        at = _page_app(path)
        st.cache_data.clear()
        cold.append(_timed_run(at))
        with _patched_fetch(recording):
            warm.append(_timed_run(at))
        with _patched_fetch(lambda name, *, short_ttl=False, **params:
                            recorded[(name, tuple(sorted(params.items())))]):
            floor.append(_timed_run(at))
    return statistics.median(cold), statistics.median(warm), statistics.median(floor)


def bench_pages(runs: int) -> list[tuple[str, float, float, float]]:
    return [(page.path, *bench_page(page.path, runs)) for page in registry.PAGES]


def print_page_table(scale: float, rows: list[tuple[str, float, float, float]]) -> None:
    print(f"\n## Page renders (AppTest), scale {scale:g} (ms; median); "
          "targets: warm ≤ 1.5× floor, cold < 2000")
    print(f"{'page':<32} {'cold':>8} {'warm':>8} {'floor':>8} {'warm/floor':>11}")
    for path, cold, warm, floor in rows:
        ratio = warm / floor if floor else float("nan")
        flag = "" if ratio <= 1.5 and cold < 2000 else "  ← over target"
        print(f"{path:<32} {cold:>8.0f} {warm:>8.0f} {floor:>8.0f} {ratio:>10.2f}×{flag}")
