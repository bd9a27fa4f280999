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


def bench_queries(runs: int) -> list[tuple[str, float, float, float, int]]:
    """(name, translation ms, first call ms incl. translation, median later call ms, rows) per query."""
    window = _window()
    app = sample_params.busiest_app(runtime.engine())
    rows = []
    for name in queries.all_names():
        params = sample_params.examples_for(queries.params_of(name), window, app_name=app, query=name)
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


def run_bench(scales: list[float], *, runs: int = 5, pages: bool = True) -> int:
    os.environ["TELEMETRY_ENGINE"] = "embedded"
    for scale in scales:
        path = _ensure_demo(scale)
        os.environ["TELEMETRY_EMBEDDED_PATH"] = str(path)
        runtime.use(load_settings())
        print_query_table(scale, bench_queries(runs))
        if pages:
            from telemetry.bench_pages import bench_pages, print_page_table

            print_page_table(scale, bench_pages(runs, sample_params.busiest_app(runtime.engine())))
        runtime.use(None)
    sys.stdout.flush()
    return 0

