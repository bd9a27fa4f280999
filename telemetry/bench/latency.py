"""Warehouse-latency mode: every page × view on the real WarehouseEngine, with a round trip per statement.

The engine is `WarehouseEngine` over `SimulatedWarehouse` (the DB-API surface of the connector; each
statement costs `latency_s` and then runs, translated, on the embedded demo file; opening a session
costs `connect_s`). So what is measured is our warehouse code path: the page's concurrent starts,
the bounded query pool, the connection pool, Arrow conversion.

For each variant: the cold render (query cache emptied), the statements the warehouse saw during it,
the longest chain of them that ran one after another, cold ÷ round trip, and Streamlit's floor (the
same render answered from recorded results). Target: cold ≤ 2 round trips + floor + 300 ms.

"before" is the same measurement with one query at a time (TELEMETRY_MAX_CONCURRENT_QUERIES=1),
which is how pages ran before they started their queries together.

Connect cost. The engine opens sessions lazily, up to its pool size. A server that has already
served a page holds them open; a freshly started process opens them during its first page, which
adds one connect to that page's first wave. Measured cold renders use a warmed pool (every session
opened beforehand; the table says how many were opened during the renders: 0 when that holds), and
one extra line measures the first page of a fresh process, connects included.
"""

from __future__ import annotations

import dataclasses
import os
import statistics
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from telemetry import concurrency, queries, registry, runtime
from telemetry.bench import pages, sample_params
from telemetry.bench.quiet import quiet_streamlit
from telemetry.config import Settings, load_settings
from telemetry.engine.dialect import TranslationError, translate
from telemetry.engine.simulated import SimulatedWarehouse, Statement
from telemetry.engine.warehouse import WarehouseEngine

SLACK_MS = 300.0  # the allowance on top of two round trips and the floor
ROUND_TRIPS = 2


@dataclass(frozen=True)
class Render:
    """One cold render on the simulated warehouse."""

    ms: float
    queries: int  # statements the warehouse received during the render (connects are not statements)
    chain: int  # the most of them that ran one after another
    connects: int  # sessions opened during the render
    slowest: str  # the statement that spent longest inside DuckDB (query name)
    slowest_ms: float  # its time on the warehouse minus the round trip


@dataclass
class VariantResult:
    """One variant's renders: after (the configured concurrency) and before (one at a time)."""

    label: str
    after: list[Render] = field(default_factory=list)
    before: list[Render] = field(default_factory=list)
    floor_ms: float = 0.0


@dataclass
class LatencyReport:
    scale: float
    latency_s: float
    connect_s: float
    concurrency: int
    runs: int
    variants: list[VariantResult]
    fresh: tuple[str, Render] | None = None  # the first page of a fresh process (empty pool)

    def target_ms(self, row: VariantResult) -> float:
        return ROUND_TRIPS * self.latency_s * 1000 + row.floor_ms + SLACK_MS

    def meets(self, row: VariantResult) -> bool:
        return median(row.after).ms <= self.target_ms(row)


def median(renders: list[Render]) -> Render:
    """The render with the median time (its own counts, not a mix of several renders)."""
    return sorted(renders, key=lambda r: r.ms)[(len(renders) - 1) // 2]


def bench_settings(db_path: Path, concurrency_limit: int | None = None) -> Settings:
    """The environment's settings on the demo file at `db_path` (engine "embedded", so the local
    developer is the admin and sees every page), with the given query concurrency."""
    settings = load_settings({**os.environ, "TELEMETRY_ENGINE": "embedded", "TELEMETRY_EMBEDDED_PATH": str(db_path)})
    if concurrency_limit is not None:
        settings = dataclasses.replace(settings, max_concurrent_queries=concurrency_limit)
    return settings


def _warm_pool(engine: WarehouseEngine) -> None:
    """Open every session of the engine's pool: as many simultaneous statements as it holds."""
    with ThreadPoolExecutor(engine.pool_size) as executor:
        list(executor.map(lambda _: engine.run("SELECT 1", query="bench/warm_pool"), range(engine.pool_size)))


def _install(warehouse: SimulatedWarehouse, settings: Settings, *, warm: bool = True) -> WarehouseEngine:
    """Make a fresh engine on `warehouse` the process engine (pool sized by `settings`)."""
    engine = warehouse.engine(settings)
    if warm:
        _warm_pool(engine)
    runtime.use(settings, engine)
    return engine


class _Names:
    """Query names by the SQL text the warehouse receives, for the slowest-statement column."""

    def __init__(self, settings: Settings) -> None:
        self._by_sql = {queries.bound_sql(name, settings): name for name in queries.all_names()}

    def __call__(self, sql: str) -> str:
        if sql in self._by_sql:
            return self._by_sql[sql]
        if "information_schema.columns" in sql:
            return "table_columns"
        return "sql: " + " ".join(sql.split())[:30]


def _render(at, warehouse: SimulatedWarehouse, names: _Names) -> Render:
    """One cold render: cache emptied, the warehouse's log reset, the run timed."""
    pages.clear_cache()
    warehouse.reset()
    started = time.perf_counter()
    ms = pages.timed_run(at)
    ended = time.perf_counter()
    during: list[Statement] = [s for s in warehouse.statements if started <= s.started and s.ended <= ended]
    slowest = max(during, key=lambda s: s.elapsed_s, default=None)
    return Render(ms=ms, queries=len(during), chain=concurrency.longest_chain([(s.started, s.ended) for s in during]),
                  connects=warehouse.connections_opened, slowest=names(slowest.sql) if slowest else "",
                  slowest_ms=max(0.0, (slowest.elapsed_s - warehouse.latency_s) * 1000) if slowest else 0.0)


FLOOR_RUNS = 3  # the floor is cheap (no queries) and noisy (~±30 ms): a median of a few


def _floor(at, recorder: pages.Recorder) -> float:
    """Streamlit's floor for the page open in `at`: the recorded results replayed, no cache."""
    return statistics.median(pages.floor_ms(at, recorder) for _ in range(FLOOR_RUNS))


def _pretranslate(settings: Settings) -> None:
    """Translate every named query once before measuring: a real warehouse parses Databricks SQL
    itself, so the simulation's translation (sqlglot, up to ~0.5 s for a query's first run; cached
    per text after) is not a cost a warehouse page pays and must not land in the first run."""
    for name in queries.all_names():
        try:
            translate(queries.bound_sql(name, settings))
        except TranslationError:  # the simulated warehouse reports it as a syntax error, where it runs
            continue


def _progress(text: str) -> None:
    if sys.stderr.isatty():
        print(f"\r{text:<80}", end="", file=sys.stderr, flush=True)


def _sweep(variants: list[registry.Variant], warehouse: SimulatedWarehouse, names: _Names, runs: int,
           results: dict[str, VariantResult], *, side: str, first: bool) -> None:
    """Cold renders of every variant on the installed engine, into `results[label].<side>`.

    The `first` sweep renders each page once unmeasured beforehand (`pages.warm_up`: what a running
    server has done already) and measures its floor from that render's results."""
    for i, variant in enumerate(variants, 1):
        _progress(f"bench {side}: {variant.label} ({i}/{len(variants)})")
        at = pages.open_page(variant)
        row = results.setdefault(variant.label, VariantResult(variant.label))
        if first:
            row.floor_ms = _floor(at, pages.warm_up(at))
        getattr(row, side).extend(_render(at, warehouse, names) for _ in range(runs))
    _progress("")


def _samples(warehouse: SimulatedWarehouse, settings: Settings) -> dict[str, str]:
    """What pages need (busiest app, space, message), on a throwaway engine (the measured one starts
    with an empty pool)."""
    engine = warehouse.engine(settings, pool_size=1)
    try:
        return sample_params.page_samples(engine)
    finally:
        engine.close()


def bench_latency(db_path: Path, *, latency_s: float, connect_s: float | None = None, runs: int = 3,
                  concurrency_limit: int | None = None, before: bool = True, scale: float = 1.0,
                  labels: list[str] | None = None) -> LatencyReport:
    """Every registry variant (or those in `labels`) on the simulated warehouse: after, then before."""
    settings = bench_settings(db_path, concurrency_limit)
    warehouse = SimulatedWarehouse(db_path, latency_s=latency_s, connect_s=connect_s)
    report = LatencyReport(scale, latency_s, warehouse.connect_s, settings.max_concurrent_queries, runs, [])
    try:
        with quiet_streamlit():
            names = _Names(settings)
            _pretranslate(settings)
            variants = [v for v in registry.variants(_samples(warehouse, settings))
                        if labels is None or v.label in labels]
            report.fresh = (variants[0].label, _fresh_render(variants[0], warehouse, settings, names))
            results: dict[str, VariantResult] = {}
            _install(warehouse, settings)
            _sweep(variants, warehouse, names, runs, results, side="after", first=True)
            if before and settings.max_concurrent_queries > 1:
                _install(warehouse, dataclasses.replace(settings, max_concurrent_queries=1))
                _sweep(variants, warehouse, names, runs, results, side="before", first=False)
            report.variants = list(results.values())
    finally:
        runtime.use(None)
        warehouse.close()
    return report


def _fresh_render(variant: registry.Variant, warehouse: SimulatedWarehouse, settings: Settings,
                  names: _Names) -> Render:
    """The first page of a freshly started process: no session open yet, so connects are included."""
    _install(warehouse, settings, warm=False)
    return _render(pages.open_page(variant), warehouse, names)


def _cells(renders: list[Render], latency_s: float) -> str:
    if not renders:
        return f"{'–':>8} {'–':>5} {'–':>6}"
    r = median(renders)
    return f"{r.ms:>8.0f} {r.chain:>5} {r.ms / 1000 / latency_s:>6.1f}"


def print_latency_table(report: LatencyReport) -> None:
    """The per-variant table, the fresh-process line and which variants miss the target."""
    rt = report.latency_s
    print(f"\n## Warehouse latency (real WarehouseEngine on a simulated warehouse), scale {report.scale:g}: "
          f"{rt:g} s per round trip, {report.connect_s:g} s per connect; median of {report.runs} run(s)")
    print("cold = a render with an empty query cache, in a process that has rendered the page before, "
          "on a warmed connection pool\n(every session already open, as on a server that has served a page; "
          "'conn' = sessions opened during the render).")
    print("queries = statements the warehouse received; chain = most of them that ran one after another; "
          "RT = round trip.")
    print(f"target: cold ≤ {ROUND_TRIPS} × RT + floor + {SLACK_MS:.0f} ms. before = one query at a time "
          f"(TELEMETRY_MAX_CONCURRENT_QUERIES=1); after = {report.concurrency} at a time.")
    print(f"{'':<28} {'':>7} {'before (1)':^21} | {f'after ({report.concurrency})':^48} |")
    print(f"{'variant':<28} {'queries':>7} {'cold ms':>8} {'chain':>5} {'/RT':>6} | {'cold ms':>8} {'chain':>5} "
          f"{'/RT':>6} {'conn':>4} {'floor':>6} {'target':>6} {'met':>5} | {'slowest in DuckDB':<34} {'ms':>5}")
    for row in report.variants:
        after = median(row.after)
        met = "ok" if report.meets(row) else f"+{after.ms - report.target_ms(row):.0f}"
        print(f"{row.label:<28} {after.queries:>7} {_cells(row.before, rt)} | {_cells(row.after, rt)} "
              f"{after.connects:>4} {row.floor_ms:>6.0f} {report.target_ms(row):>6.0f} {met:>5} | "
              f"{after.slowest:<34} {after.slowest_ms:>5.0f}")
    if report.fresh:
        label, fresh = report.fresh
        print(f"fresh process (its first render: empty pool, connects and imports included): {label} cold "
              f"{fresh.ms:.0f} ms ({fresh.ms / 1000 / rt:.1f} RT), {fresh.connects} sessions opened, "
              f"{fresh.queries} queries, chain {fresh.chain}")
    missed = [row for row in report.variants if not report.meets(row)]
    print(f"{len(report.variants) - len(missed)} of {len(report.variants)} variants meet the target"
          + (": missed by " + ", ".join(f"{r.label} +{median(r.after).ms - report.target_ms(r):.0f} ms"
                                        for r in missed) if missed else ""))
