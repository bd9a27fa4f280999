"""`python -m telemetry bench`: numbers, not impressions.

For each demo scale: every named query on the embedded engine (median of several runs; first call
with translation against later calls), then every page in the registry rendered cold (empty
Streamlit cache) and warm, beside Streamlit's floor for that page: the same script with every
query answered instantly from precomputed results, so only Streamlit's own rendering remains.
"""

from __future__ import annotations

import os
import statistics
import sys
import time
from pathlib import Path

from telemetry import queries, runtime, sample_params
from telemetry.config import PROJECT_ROOT, load_settings
from telemetry.engine.dialect import translate


def _median_ms(fn, runs: int) -> float:
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


def bench_queries(runs: int) -> list[tuple[str, float, float, int]]:
    """(name, first call ms incl. translation, median cached-translation ms, rows) per query."""
    window = _window()
    app = sample_params.busiest_app(runtime.engine())
    rows = []
    for name in queries.all_names():
        params = sample_params.examples_for(queries.params_of(name), window, app_name=app, query=name)
        translate.cache_clear()
        started = time.perf_counter()
        result = queries.run(name, **params)
        first = (time.perf_counter() - started) * 1000
        warm = _median_ms(lambda n=name, p=params: queries.run(n, **p), runs)
        rows.append((name, first, warm, len(result.frame)))
    return rows


def print_query_table(scale: float, rows: list[tuple[str, float, float, int]]) -> None:
    print(f"\n## Named queries, embedded engine, scale {scale:g} (ms; median of runs)")
    print(f"{'query':<44} {'first call':>11} {'median':>9} {'rows':>7}")
    for name, first, warm, n in rows:
        print(f"{name:<44} {first:>11.1f} {warm:>9.1f} {n:>7}")
    print(f"{'total':<44} {sum(r[1] for r in rows):>11.1f} {sum(r[2] for r in rows):>9.1f}")


def run_bench(scales: list[float], *, runs: int = 5, pages: bool = True) -> int:
    os.environ["TELEMETRY_ENGINE"] = "embedded"
    for scale in scales:
        path = _ensure_demo(scale)
        os.environ["TELEMETRY_EMBEDDED_PATH"] = str(path)
        runtime.use(load_settings())
        print_query_table(scale, bench_queries(runs))
        if pages:
            from telemetry.bench_pages import bench_pages, print_page_table

            print_page_table(scale, bench_pages(runs))
        runtime.use(None)
    sys.stdout.flush()
    return 0

