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
def _patched(**replacements) -> Iterator[None]:
    """Swap telemetry.ui's data functions (fetch, sources) for the duration of a run."""
    originals = {name: getattr(ui, name) for name in replacements}
    for name, fn in replacements.items():
        setattr(ui, name, fn)
    try:
        yield
    finally:
        for name, fn in originals.items():
            setattr(ui, name, fn)


def _timed_run(at) -> float:
    started = time.perf_counter()
    at.run()
    elapsed = (time.perf_counter() - started) * 1000
    if at.exception:
        raise RuntimeError(f"page raised: {at.exception[0].value}")
    return elapsed


def _page_app(path: str, state: dict[str, Any]):
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(APP, default_timeout=120)
    at.run()
    at.switch_page(path)
    for key, value in state.items():  # what a deep link would select (?app=…)
        at.session_state[key] = value
    return at


def bench_page(path: str, runs: int, state: dict[str, Any]) -> tuple[float, float, float]:
    """(cold ms, warm ms, floor ms) medians for one page."""
    import streamlit as st

    cold, warm, floor = [], [], []
    recorded: dict[Any, Any] = {}
    fetch, sources = ui.fetch, ui.sources

    def recording_fetch(name, **params):
        recorded[(name, tuple(sorted(params.items())))] = result = fetch(name, **params)
        return result

    def recording_sources():
        recorded["sources"] = result = sources()
        return result

    def replay_fetch(name, **params):
        return recorded[(name, tuple(sorted(params.items())))]

    for _ in range(runs):
        at = _page_app(path, state)
        st.cache_data.clear()
        cold.append(_timed_run(at))
        with _patched(fetch=recording_fetch, sources=recording_sources):
            warm.append(_timed_run(at))
        with _patched(fetch=replay_fetch, sources=lambda: recorded["sources"]):
            floor.append(_timed_run(at))
    return statistics.median(cold), statistics.median(warm), statistics.median(floor)


def _variants(path: str, app_name: str) -> list[tuple[str, dict[str, Any]]]:
    """The views of a page worth timing separately: each App usage section, the per-app view."""
    from telemetry.app_usage import SECTIONS

    if path == "pages/app_usage.py":
        return [(f"{path} [{view}]", {"view": view}) for view in SECTIONS]
    if path == "pages/app_detail.py" and app_name:
        return [(f"{path} [app]", {"app": app_name})]
    return [(path, {})]


def bench_pages(runs: int, app_name: str = "") -> list[tuple[str, float, float, float]]:
    """Every registry page (and its views), cold, warm and floor."""
    return [(label, *bench_page(page.path, runs, state))
            for page in registry.PAGES for label, state in _variants(page.path, app_name)]


def print_page_table(scale: float, rows: list[tuple[str, float, float, float]]) -> None:
    print(f"\n## Page renders (AppTest), scale {scale:g} (ms; median); "
          "targets: warm ≤ 1.5× floor, cold < 2000")
    print(f"{'page':<40} {'cold':>8} {'warm':>8} {'floor':>8} {'warm/floor':>11}")
    for path, cold, warm, floor in rows:
        ratio = warm / floor if floor else float("nan")
        flag = "" if ratio <= 1.5 and cold < 2000 else "  ← over target"
        print(f"{path:<40} {cold:>8.0f} {warm:>8.0f} {floor:>8.0f} {ratio:>10.2f}×{flag}")
