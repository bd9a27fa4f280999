"""Page renders for the benchmark: cold, warm and Streamlit's floor, per registry page × view.

- cold: the query cache emptied first, so every query of the page runs on the engine (after one
  unmeasured render of the page: see `warm_up`);
- warm: the same render again, every result from the cache;
- floor: the same script with `telemetry.ui.cache.fetch` / `.sources` answering from the results
  recorded during the cold render, without any cache: what remains is Streamlit building the same
  metrics, charts and tables, which no query work can make faster.

The helpers here (open a variant in AppTest, patch the cache, record and replay results) are shared
with the warehouse-latency mode (`telemetry.bench.latency`).
"""

from __future__ import annotations

import statistics
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from telemetry import queries, registry
from telemetry.bench.quiet import quiet_streamlit
from telemetry.config import PROJECT_ROOT
from telemetry.engine.base import Engine, QueryError, Result
from telemetry.ui import cache

APP = str(PROJECT_ROOT / "streamlit_app.py")
HEALTH = "health (all sources)"  # how the one cached health call is named in the slowest column
WARM_OVER_FLOOR, COLD_MS, SCALE_RATIO = 1.5, 1000.0, 1.5  # the targets for the embedded engine


@contextmanager
def patched(fetch: Callable[..., Result] | None = None,
            sources: Callable[..., Any] | None = None) -> Iterator[None]:
    """Swap `telemetry.ui.cache.fetch` / `.sources` (what `telemetry.ui.data` calls) for one run."""
    originals = cache.fetch, cache.sources
    cache.fetch, cache.sources = fetch or cache.fetch, sources or cache.sources
    try:
        yield
    finally:
        cache.fetch, cache.sources = originals


def _not_loaded(*_args: Any) -> Any:
    raise QueryError("bench", "not loaded: the benchmark is only opening a session")


def open_page(variant: registry.Variant):
    """An AppTest session on `variant`, ready for a timed `run()`.

    AppTest must run the app once before it can switch pages; that first render (the default page)
    is not measured, so its queries are refused instead of run: it would cost round trips and warm
    the cache of the page measured next."""
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(APP, default_timeout=180)
    with patched(fetch=_not_loaded, sources=_not_loaded):
        at.run()
    at.switch_page(variant.spec.path)
    for key, value in variant.state.items():  # what a deep link would select (?view=…, ?app=…)
        at.session_state[key] = value
    return at


def timed_run(at) -> float:
    """Milliseconds of one `at.run()`; a page that raised is a benchmark error, not a number."""
    started = time.perf_counter()
    at.run()
    elapsed = (time.perf_counter() - started) * 1000
    if at.exception:
        raise RuntimeError(f"page raised: {at.exception[0].value}")
    return elapsed


def clear_cache() -> None:
    """Empty Streamlit's data cache (the query results and the health checks): the next run is cold."""
    import streamlit as st

    st.cache_data.clear()


class Recorder:
    """Wraps the cache functions: keeps every result (for the floor) and how long each call took.

    Calls arrive on the page's query threads at the same time, hence the lock."""

    def __init__(self) -> None:
        self.results: dict[Any, Any] = {}
        self.elapsed_ms: dict[str, float] = {}
        self.misses = 0
        self._fetch, self._sources = cache.fetch, cache.sources
        self._lock = threading.Lock()

    def _keep(self, key: Any, name: str, result: Any, started: float) -> Any:
        with self._lock:
            self.results[key] = result
            self.elapsed_ms[name] = max(self.elapsed_ms.get(name, 0.0), (time.perf_counter() - started) * 1000)
        return result

    def fetch(self, request: queries.Request, engine: Engine, user_key: str) -> Result:
        started = time.perf_counter()
        return self._keep(request.key, request.name, self._fetch(request, engine, user_key), started)

    def sources(self, engine: Engine, user_key: str) -> Any:
        started = time.perf_counter()
        return self._keep("sources", HEALTH, self._sources(engine, user_key), started)

    def replay_fetch(self, request: queries.Request, engine: Engine, user_key: str) -> Result:
        """The recorded result; a request the cold render did not make goes to the cache (counted)."""
        if request.key in self.results:
            return self.results[request.key]
        with self._lock:
            self.misses += 1
        return self._fetch(request, engine, user_key)

    def replay_sources(self, engine: Engine, user_key: str) -> Any:
        if "sources" in self.results:
            return self.results["sources"]
        with self._lock:
            self.misses += 1
        return self._sources(engine, user_key)

    def slowest(self) -> tuple[str, float]:
        """The query that took longest during the recorded render (ms)."""
        if not self.elapsed_ms:
            return "", 0.0
        name = max(self.elapsed_ms, key=self.elapsed_ms.__getitem__)
        return name, self.elapsed_ms[name]

    def recording(self):
        return patched(fetch=self.fetch, sources=self.sources)

    def replaying(self):
        return patched(fetch=self.replay_fetch, sources=self.replay_sources)


def warm_up(at) -> Recorder:
    """One unmeasured cold render, its results recorded (for the floor).

    A server process has rendered its pages before: their modules are imported, Altair's schema
    loaded, the engine's files cached. Without this, the first measured render of each page would
    pay those one-off costs and the "cold" numbers would mix them with the query work."""
    recorder = Recorder()
    clear_cache()
    with recorder.recording():
        timed_run(at)
    return recorder


def floor_ms(at, recorder: Recorder) -> float:
    """One render with every result answered from `recorder`, no cache involved."""
    with recorder.replaying():
        return timed_run(at)


@dataclass(frozen=True)
class PageTiming:
    """Medians of one variant's renders on the embedded engine (ms)."""

    label: str
    cold_ms: float
    warm_ms: float
    floor_ms: float
    slowest: str  # the query that took longest in the median cold render
    slowest_ms: float

    @property
    def warm_ratio(self) -> float:
        return self.warm_ms / self.floor_ms if self.floor_ms else float("nan")

    @property
    def meets(self) -> bool:
        return self.warm_ratio <= WARM_OVER_FLOOR and self.cold_ms <= COLD_MS


def bench_page(variant: registry.Variant, runs: int) -> PageTiming:
    """Cold, warm and floor of one variant, `runs` times each (medians)."""
    at = open_page(variant)
    warm_up(at)
    cold, warm, floor, slowest = [], [], [], []
    for _ in range(runs):
        recorder = Recorder()
        clear_cache()
        with recorder.recording():
            cold.append(timed_run(at))
        slowest.append(recorder.slowest())
        warm.append(timed_run(at))
        floor.append(floor_ms(at, recorder))
    median_run = sorted(range(runs), key=cold.__getitem__)[(runs - 1) // 2]
    return PageTiming(variant.label, statistics.median(cold), statistics.median(warm),
                      statistics.median(floor), *slowest[median_run])


def bench_pages(runs: int, samples: dict[str, str] | None = None,
                variants: list[registry.Variant] | None = None) -> list[PageTiming]:
    """Every registry page × view (pages that need an app, space or message get `samples`)."""
    with quiet_streamlit():
        chosen = variants if variants is not None else registry.variants(samples or {})
        return [bench_page(variant, runs) for variant in chosen]


def _mark(ok: bool) -> str:
    return "ok" if ok else "MISS"


def print_page_table(scale: float, rows: list[PageTiming]) -> None:
    print(f"\n## Page renders (AppTest, embedded engine), scale {scale:g} (ms; median of runs)")
    print(f"targets: warm ≤ {WARM_OVER_FLOOR:g}× floor, cold ≤ {COLD_MS:.0f} ms; "
          "slowest = the query that took longest in the cold render")
    print(f"{'variant':<28} {'cold':>7} {'warm':>7} {'floor':>7} {'warm/floor':>10} {'target':>6}  "
          f"{'slowest query':<36} {'ms':>6}")
    for row in rows:
        print(f"{row.label:<28} {row.cold_ms:>7.0f} {row.warm_ms:>7.0f} {row.floor_ms:>7.0f} "
              f"{row.warm_ratio:>9.2f}× {_mark(row.meets):>6}  {row.slowest:<36} {row.slowest_ms:>6.0f}")
    missed = [row for row in rows if not row.meets]
    print(f"{len(rows) - len(missed)} of {len(rows)} variants meet both targets"
          + (f"; missed: {', '.join(_miss_text(row) for row in missed)}" if missed else ""))


def _miss_text(row: PageTiming) -> str:
    parts = []
    if row.cold_ms > COLD_MS:
        parts.append(f"cold +{row.cold_ms - COLD_MS:.0f} ms")
    if row.warm_ratio > WARM_OVER_FLOOR:
        parts.append(f"warm {row.warm_ratio:.2f}× floor")
    return f"{row.label} ({', '.join(parts)})"


def print_scale_ratio(by_scale: dict[float, list[PageTiming]]) -> None:
    """cold(largest scale) / cold(smallest scale) per variant, against the 1.5× target."""
    if len(by_scale) < 2:
        return
    low, high = min(by_scale), max(by_scale)
    lows = {row.label: row for row in by_scale[low]}
    print(f"\n## Cold render growth, scale {high:g} against scale {low:g} (target ≤ {SCALE_RATIO:g}×)")
    print(f"{'variant':<28} {f'cold@{low:g}':>9} {f'cold@{high:g}':>9} {'ratio':>7} {'target':>6}")
    met = 0
    for row in by_scale[high]:
        base = lows.get(row.label)
        if base is None:
            continue
        ratio = row.cold_ms / base.cold_ms if base.cold_ms else float("nan")
        met += ratio <= SCALE_RATIO
        print(f"{row.label:<28} {base.cold_ms:>9.0f} {row.cold_ms:>9.0f} {ratio:>6.2f}× "
              f"{_mark(ratio <= SCALE_RATIO):>6}")
    print(f"{met} of {len(by_scale[high])} variants grow at most {SCALE_RATIO:g}×")
