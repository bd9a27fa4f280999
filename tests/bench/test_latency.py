"""The benchmark on the small demo: its numbers come from real renders, and its output is its tables.

The latency bench runs once per module (two variants, one run, 50 ms round trips, ~30 s): Overview
and Data health, after and before (one query at a time). Both run 15 light health checks, so the
round trips saved (15 → 2 or 3) dominate DuckDB's own time even on a busy machine."""

from __future__ import annotations

import logging
import os
import threading

import pytest

from telemetry.bench import latency, pages, quiet

LATENCY_S = 0.05
LABELS = ["overview", "data-health"]


class _Kept(logging.Handler):
    """Every record that got past a logger's filters."""

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


def _noisy_loggers() -> list[logging.Logger]:
    return [logging.getLogger(name) for name in quiet.NOISE]


@pytest.fixture(scope="module")
def bench(demo_db):
    """(report, records the noisy loggers let through while it ran), in a clean environment."""
    kept = _Kept()
    with pytest.MonkeyPatch.context() as env:
        for name in [n for n in os.environ if n.startswith(("TELEMETRY_", "DATABRICKS_"))]:
            env.delenv(name)
        for logger in _noisy_loggers():
            logger.addHandler(kept)
        try:
            report = latency.bench_latency(demo_db, latency_s=LATENCY_S, runs=1, labels=LABELS)
        finally:
            for logger in _noisy_loggers():
                logger.removeHandler(kept)
    return report, kept.records


def _rows(bench) -> dict[str, latency.VariantResult]:
    report, _ = bench
    return {row.label: row for row in report.variants}


def test_every_chosen_variant_is_measured_with_real_counts(bench):
    rows = _rows(bench)
    assert sorted(rows) == sorted(LABELS)
    for row in rows.values():
        after = latency.median(row.after)
        assert after.queries > 0, row.label
        assert 1 <= after.chain <= after.queries, row.label
        assert after.connects == 0, f"{row.label}: the pool was warmed, no session should open"
        assert after.ms >= after.chain * LATENCY_S * 1000, "a chain of round trips takes at least its sleeps"
        assert row.floor_ms > 0
        assert after.slowest, "the slowest statement is named after its query"


def test_concurrent_pages_wait_for_fewer_round_trips_than_queries(bench):
    for row in _rows(bench).values():
        after = latency.median(row.after)
        assert after.queries >= 3, row.label
        assert after.chain <= 3 < after.queries, f"{row.label}: {after.chain} of {after.queries} in a row"


def test_one_query_at_a_time_is_one_long_chain_and_slower(bench):
    for row in _rows(bench).values():
        before, after = latency.median(row.before), latency.median(row.after)
        assert before.queries == after.queries, row.label
        assert before.chain == before.queries, row.label
        assert before.ms >= before.queries * LATENCY_S * 1000
        assert before.ms > after.ms, row.label


def test_a_fresh_process_pays_its_connects(bench):
    report, _ = bench
    label, fresh = report.fresh
    assert label == "overview"
    assert fresh.connects >= 2, "the first page opens sessions as its queries start together"
    assert fresh.queries == latency.median(_rows(bench)["overview"].after).queries


def test_the_output_is_the_table_without_bare_mode_warnings(bench, capfd):
    report, records = bench
    latency.print_latency_table(report)
    out, err = capfd.readouterr()
    assert "ScriptRunContext" not in out + err
    assert "variant" in out and all(label in out for label in LABELS)
    assert "fresh process" in out
    noise = [r.getMessage() for r in records if "ScriptRunContext" in r.getMessage()
             or "No runtime found" in r.getMessage()]
    assert noise == []


def test_the_quiet_filter_drops_the_warning_the_threads_would_log():
    """The check above could pass because nothing warns; here the warning is provoked on purpose."""
    from streamlit.runtime.scriptrunner_utils.script_run_context import get_script_run_ctx

    logger = logging.getLogger("streamlit.runtime.scriptrunner_utils.script_run_context")
    kept = _Kept()
    logger.addHandler(kept)
    try:
        def bare_thread() -> None:
            thread = threading.Thread(target=get_script_run_ctx)
            thread.start()
            thread.join()

        bare_thread()
        loud = len(kept.records)
        with quiet.quiet_streamlit():
            bare_thread()
        assert loud == 1 and len(kept.records) == 1
        assert "missing ScriptRunContext" in kept.records[0].getMessage()
    finally:
        logger.removeHandler(kept)


def test_embedded_page_timing_records_through_the_ui_cache(demo_env):
    """The embedded bench patches telemetry.ui.cache: the recorder sees the page's one health call."""
    overview = next(v for v in latency.registry.variants() if v.label == "overview")
    timing = pages.bench_pages(1, variants=[overview])[0]
    assert timing.label == "overview"
    assert timing.cold_ms > 0 and timing.warm_ms > 0 and timing.floor_ms > 0
    assert timing.slowest == pages.HEALTH and timing.slowest_ms > 0
