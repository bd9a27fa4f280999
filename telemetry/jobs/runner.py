"""Run a registered job by name: build its JobContext from the settings, run it, close what was opened.

The embedded engine is opened for writing only for the run (DuckDB allows one writer or many
readers per file, so a running console makes the open fail with a QueryError that says so); a
warehouse run uses the process engine. The workspace client is built on first use, so jobs that
only move data between tables need no workspace credentials.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from typing import Any

from telemetry import runtime
from telemetry.config import Settings
from telemetry.jobs import catalog, error_line
from telemetry.jobs.registry import JobContext, JobError, JobReport

JOB_TIMEOUT_S = 3600.0  # a job's statements may run long (a backfill); pages keep their own limit


def workspace_factory() -> Callable[[], Any]:
    """A thread-safe, lazy `databricks.sdk.WorkspaceClient()` (environment, profile or runtime auth)."""
    lock, built = threading.Lock(), []

    def workspace() -> Any:
        with lock:
            if not built:
                from databricks.sdk import WorkspaceClient

                try:
                    built.append(WorkspaceClient())
                except ValueError as err:  # the SDK's "cannot configure default credentials"
                    raise JobError(f"cannot sign in to the Databricks workspace: {error_line(err)}. Set "
                                   "DATABRICKS_HOST and credentials (e.g. DATABRICKS_TOKEN) or "
                                   "DATABRICKS_CONFIG_PROFILE") from None
            return built[0]

    return workspace


@contextmanager
def open_context(settings: Settings, *, workspace: Callable[[], Any] | None = None,
                 log: Callable[[str], None] = print) -> Iterator[JobContext]:
    """A JobContext on the configured engine; an embedded engine opened here is closed on exit."""
    if settings.engine == "embedded":
        from telemetry.engine.embedded import EmbeddedEngine

        engine = EmbeddedEngine(settings.embedded_path, read_only=False, row_cap=settings.row_cap,
                                timeout_s=JOB_TIMEOUT_S)
    else:
        engine = runtime.engine()
    try:
        yield JobContext(engine=engine, settings=settings, workspace=workspace or workspace_factory(), log=log)
    finally:
        if settings.engine == "embedded":
            engine.close()


def run(name: str, raw: Mapping[str, Any] | None = None, *, settings: Settings | None = None,
        workspace: Callable[[], Any] | None = None, log: Callable[[str], None] = print) -> JobReport:
    """Run job `name` with raw (text or typed) parameters. Raises JobError for an unknown job or a
    bad parameter before anything is opened; the job's own errors (JobError, QueryError, the SDK's
    DatabricksError) propagate for the caller to report."""
    job = catalog.get(name)
    job.parse_params(raw or {})
    settings = settings or runtime.settings()
    if job.embedded_only and settings.engine != "embedded":
        raise JobError(f"{name} runs on the embedded demo database only (TELEMETRY_ENGINE=embedded)")
    with open_context(settings, workspace=workspace, log=log) as context:
        return job.execute(context, raw or {})
