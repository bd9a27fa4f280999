"""`python -m telemetry bench`: numbers, not impressions.

Embedded mode (the default), for each demo scale: every named query on the embedded engine (median
of several runs; first call with translation against later calls), then every registry page × view
rendered cold (empty Streamlit cache) and warm, beside Streamlit's floor for that page: the same
script with every query answered instantly from recorded results, so only Streamlit's own rendering
remains. With several scales, how much each cold render grows from the smallest to the largest.

Warehouse-latency mode (`--latency S`): every page × view on the real WarehouseEngine over a
simulated warehouse that costs S per round trip (see `telemetry.bench.latency`), after and before
pages started their queries together.

Streamlit's bare-mode warnings are silenced (`telemetry.bench.quiet`); the tables go to stdout.
"""

from __future__ import annotations

import os
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

from telemetry import queries, runtime
from telemetry.bench import sample_params
from telemetry.bench.quiet import quiet_streamlit
from telemetry.config import PROJECT_ROOT, load_settings
from telemetry.engine.dialect import translate


def _median_ms(fn: Callable[[], object], runs: int) -> float:
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - started) * 1000)
    return statistics.median(samples)


def _demo_path(scale: float) -> Path:
    return PROJECT_ROOT / "data" / f"bench-scale{scale:g}.duckdb"


def _ensure_demo(scale: float) -> Path:
    from telemetry.cli import build_demo_database

    path = _demo_path(scale)
    build_demo_database(path, scale=scale, if_missing=True)
    return path


def _window() -> sample_params.Window:
    frame = runtime.engine().run("SELECT window_end FROM ops_console_meta.build_info").frame
    end = frame["window_end"].iloc[0].to_pydatetime()
    return sample_params.window_of_days(end, 90)


def bench_queries(runs: int) -> list[tuple[str, float, float, float, int]]:
    """(name, translation ms, first call ms incl. translation, median later call ms, rows) per query."""
    window = _window()
    samples = sample_params.page_samples(runtime.engine())
    rows = []
    for name in queries.all_names():
        params = sample_params.examples_for(queries.params_of(name), window, samples=samples, query=name)
        translate.cache_clear()
        started = time.perf_counter()
        translate(queries.bound_sql(name, runtime.settings()))
        translation = (time.perf_counter() - started) * 1000
        translate.cache_clear()
        started = time.perf_counter()
        result = queries.run(name, **params)
        first = (time.perf_counter() - started) * 1000
        warm = _median_ms(lambda n=name, p=params: queries.run(n, **p), runs)
        rows.append((name, translation, first, warm, len(result.frame)))
    return rows


def print_query_table(scale: float, rows: list[tuple[str, float, float, float, int]]) -> None:
    print(f"\n## Named queries, embedded engine, scale {scale:g} (ms; later calls: median of runs)")
    print(f"{'query':<36} {'translate':>9} {'first call':>10} {'later':>8} {'rows':>6}")
    for name, translation, first, warm, n in rows:
        print(f"{name:<36} {translation:>9.1f} {first:>10.1f} {warm:>8.1f} {n:>6}")
    totals = [sum(r[i] for r in rows) for i in (1, 2, 3)]
    print(f"{'total':<36} {totals[0]:>9.1f} {totals[1]:>10.1f} {totals[2]:>8.1f}")


def _embedded(scale: float) -> Path:
    """Point the process at the demo of `scale` (built on first use) on the embedded engine."""
    path = _ensure_demo(scale)
    os.environ["TELEMETRY_ENGINE"] = "embedded"
    os.environ["TELEMETRY_EMBEDDED_PATH"] = str(path)
    runtime.use(load_settings())
    return path


def run_bench(scales: list[float], *, runs: int = 5, pages: bool = True, latency_s: float | None = None,
              connect_s: float | None = None, concurrency_limit: int | None = None,
              before: bool = True) -> int:
    """The CLI's `bench`: embedded tables per scale, or (with `latency_s`) the warehouse-latency table."""
    from telemetry.bench.pages import PageTiming, bench_pages, print_page_table, print_scale_ratio

    by_scale: dict[float, list[PageTiming]] = {}
    for scale in scales:
        if latency_s is not None:
            from telemetry.bench.latency import bench_latency, print_latency_table

            print_latency_table(bench_latency(_ensure_demo(scale), latency_s=latency_s, connect_s=connect_s,
                                              runs=runs, concurrency_limit=concurrency_limit, before=before,
                                              scale=scale))
        else:
            _embedded(scale)
            with quiet_streamlit():
                print_query_table(scale, bench_queries(runs))
            if pages:
                by_scale[scale] = bench_pages(runs, sample_params.page_samples(runtime.engine()))
                print_page_table(scale, by_scale[scale])
            runtime.use(None)
        sys.stdout.flush()
    print_scale_ratio(by_scale)
    sys.stdout.flush()
    return 0
