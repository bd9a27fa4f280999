"""`bench --traces`: trace search with and without an attribute filter, per scale, on the embedded
engine (cold: the engine's first run of the statement after its translation is cached, a fresh
connection per run so DuckDB's own buffers start empty), the waterfall of the biggest recent trace,
and OTLP ingestion throughput (loader and receiver)."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from datetime import timedelta
from functools import partial

from telemetry import concurrency, queries, runtime
from telemetry.bench import _embedded, _window, sample_params
from telemetry.engine.dialect import translate
from telemetry.engine.embedded import EmbeddedEngine
from telemetry.traces import search

SEARCH_TARGET_MS, WATERFALL_TARGET_MS = 500.0, 1500.0
FILTERED = (search.AttributeFilter("http.request.method", "=", "POST"),)


def _filters(window: sample_params.Window, attributes: tuple[search.AttributeFilter, ...]) -> search.TraceFilters:
    end = window[1]
    return search.TraceFilters(search.epoch_ns(end - timedelta(days=7)), search.epoch_ns(end) + 1,
                               attributes=attributes)


def _cold_ms(run: Callable[[EmbeddedEngine], object], runs: int) -> float:
    """Median over `runs` of a fresh connection's first run (the SQL translation already cached)."""
    settings = runtime.settings()
    samples = []
    for _ in range(runs):
        engine = EmbeddedEngine.from_settings(settings)
        try:
            started = time.perf_counter()
            run(engine)
            samples.append((time.perf_counter() - started) * 1000)
        finally:
            engine.close()
    return statistics.median(samples)


def search_lines(scale: float, runs: int) -> list[str]:
    _embedded(scale)
    window = _window()
    lines = []
    for label, attributes in (("no attribute filter", ()), ("attribute filter http.request.method=POST", FILTERED)):
        f = _filters(window, attributes)
        reqs = search.requests(search.VIEWS[0], f, search.Cursor(), runtime.settings())
        for r in reqs.values():
            translate(queries.bound_sql(r.name, runtime.settings()))

        def page(engine, reqs=reqs) -> None:  # started together, as the page starts them
            tasks = {key: partial(queries.run, r.name, engine=engine, **r.params) for key, r in reqs.items()}
            for future in concurrency.start_all(tasks, runtime.settings().max_concurrent_queries).values():
                future.result()

        ms = _cold_ms(page, runs)
        verdict = "ok" if ms <= SEARCH_TARGET_MS else f"over the {SEARCH_TARGET_MS:.0f} ms target"
        lines.append(f"scale {scale:g}  trace search, last 7 days, {label}: {ms:,.0f} ms cold "
                     f"(page, summary and previous period: {len(reqs)} statements started together) [{verdict}]")
    runtime.use(None)
    return lines


def page_lines(scale: float, runs: int) -> list[str]:
    """The Traces section's pages (search in both views; the Trace page on the biggest recent trace,
    thousands of spans) rendered by AppTest: cold, warm and Streamlit's floor."""
    from telemetry import registry
    from telemetry.bench.pages import bench_pages

    _embedded(scale)
    samples = sample_params.page_samples(runtime.engine())
    spans = queries.run("traces/trace_spans", trace_id=samples["trace"], start_ns=0, end_ns=2**62,
                        row_cap=100_000).frame
    variants = [v for v in registry.variants(samples) if v.spec.section == "Traces"]
    timings = bench_pages(runs, samples, variants=variants)
    runtime.use(None)
    lines = [f"scale {scale:g}  page {t.label:<24} cold {t.cold_ms:>6,.0f} ms  warm {t.warm_ms:>6,.0f} ms  "
             f"floor {t.floor_ms:>6,.0f} ms  slowest query {t.slowest} {t.slowest_ms:,.0f} ms" for t in timings]
    trace = next(t for t in timings if t.label == "trace")
    verdict = "ok" if trace.cold_ms <= WATERFALL_TARGET_MS else f"over the {WATERFALL_TARGET_MS:.0f} ms target"
    lines.append(f"scale {scale:g}  waterfall of a {len(spans):,}-span trace: {trace.cold_ms:,.0f} ms cold [{verdict}]")
    return lines


def latency(scales: list[float], latency_s: float, runs: int) -> None:
    """The Traces pages on the simulated warehouse (each statement a round trip of `latency_s`)."""
    from telemetry import registry
    from telemetry.bench import _ensure_demo
    from telemetry.bench.latency import bench_latency, print_latency_table

    labels = [v.label for v in registry.variants({"trace": "x"}) if v.spec.section == "Traces"]
    for scale in scales:
        print_latency_table(bench_latency(_ensure_demo(scale), latency_s=latency_s, runs=runs, before=False,
                                          scale=scale, labels=labels))


def run(scales: list[float], runs: int = 3) -> list[str]:
    lines = []
    for scale in scales:
        lines += search_lines(scale, runs)
        lines += page_lines(scale, runs)
    return lines
