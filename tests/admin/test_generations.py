"""Clearing cached results: each query's cache key holds the generations of the source tables its SQL
reads, so clearing one source recomputes exactly its queries (for every session), and clearing all
recomputes everything."""

from __future__ import annotations

from telemetry import queries
from telemetry.admin import generations
from telemetry.engine.embedded import EmbeddedEngine
from telemetry.ui import cache


class CountingEngine:
    """The demo engine, counting the statements it runs (what a cache hit saves)."""

    name = "embedded"

    def __init__(self, engine: EmbeddedEngine) -> None:
        self.engine, self.runs = engine, 0

    def run(self, *args, **kwargs):
        self.runs += 1
        return self.engine.run(*args, **kwargs)

    def table_columns(self, table: str):
        return self.engine.table_columns(table)


def test_tables_of_reads_the_sources_from_the_sql():
    assert generations.tables_of("tracker/kpis") == {"tracker"}
    assert generations.tables_of("admin/job_runs") == {"job_run_timeline", "jobs"}
    assert "audit" in generations.tables_of("genie/pipeline_gap")


def test_clearing_a_source_recomputes_only_its_queries(demo_env):
    engine = CountingEngine(EmbeddedEngine(demo_env))
    try:
        tracker = queries.request("admin/audit_trail", {"prefix": "admin:", "app_name": "", "limit": 5,
                                                        "start_ts": "2000-01-01 00:00:00"})
        jobs = queries.request("admin/job_runs", {"job_ids": "", "job_names": "", "start_date": "2000-01-01",
                                                  "limit": 1})
        for request in (tracker, jobs, tracker, jobs):
            cache.fetch(request, engine, "")
        assert engine.runs == 2  # the second round came from the cache
        generations.bump("tracker")
        cache.fetch(tracker, engine, "")
        cache.fetch(jobs, engine, "")
        assert engine.runs == 3  # only the tracker query ran again
        generations.bump()
        cache.fetch(jobs, engine, "")
        assert engine.runs == 4
    finally:
        engine.engine.close()
